/* policycheck: sorting and filtering for register tables (no dependencies, offline).
   Every table with the class "policycheck-sortable" gets a labelled search field and
   header buttons that sort by a column; aria-sort tells assistive technology. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  // the words come from policycheck's catalogue, in the site's language (register.py)
  var words = window.POLICYCHECK_WORDS ||
    { filter: "Filter the table", sort: "Sort by this column", shown: "rows shown",
      table: "Table, scrolls sideways" };
  // d.m.yyyy dates sort as dates
  function sortKey(text) {
    return text.replace(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g, function (_, d, m, y) {
      return y + "-" + ("0" + m).slice(-2) + "-" + ("0" + d).slice(-2);
    });
  }
  var counter = 0;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function setup(table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    counter += 1;
    var id = "policycheck-filter-" + counter;
    var wrap = document.createElement("div");
    wrap.className = "policycheck-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = words.filter;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "policycheck-filter-status";
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    table.parentNode.insertBefore(wrap, table);

    input.addEventListener("input", function () {
      var needle = input.value.toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var match = row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = needle ? shown + " " + words.shown : "";
    });

    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "policycheck-sort";
      button.title = words.sort;
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(cellText(a, index)), y = sortKey(cellText(b, index));
          var order = x.localeCompare(y, lang, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.querySelectorAll("table.policycheck-sortable").forEach(setup);

  // on a phone the glance table reflows as one card per goal: each cell says its column
  document.querySelectorAll("table.policycheck-glance").forEach(function (table) {
    if (!table.tHead) return;
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.trim();
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (i > 0) cell.setAttribute("data-label", heads[i] || "");
      });
    });
    table.classList.add("policycheck-cards");
  });

  // Every table in the page's content scrolls sideways inside its own box; a box that
  // does scroll is reachable by keyboard and named (WCAG 2.1.1, 4.1.2).
  function scrollBoxes() {
    document.querySelectorAll("[role=main] table, article table").forEach(function (table) {
      var box = table.closest(".table-wrapper, .policycheck-scroll");
      if (!box) {
        box = document.createElement("div");
        box.className = "policycheck-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = table.caption ? table.caption.textContent.trim() : "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? words.table + ": " + caption : words.table);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  // code blocks that scroll sideways are reachable by keyboard too
  function scrollCode() {
    document.querySelectorAll("pre").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1) pre.setAttribute("tabindex", "0");
      else if (pre.getAttribute("tabindex") === "0") pre.removeAttribute("tabindex");
    });
  }
  function layout() { scrollBoxes(); scrollCode(); }
  layout();
  window.addEventListener("resize", layout);
})();
