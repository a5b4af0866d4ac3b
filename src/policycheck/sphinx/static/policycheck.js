/* policycheck: sorting and filtering for register tables (no dependencies, offline).
   Every table with the class "policycheck-sortable" gets a labelled search field and
   header buttons that sort by a column; aria-sort tells assistive technology. */
(function () {
  "use strict";
  var fi = (document.documentElement.lang || "").indexOf("fi") === 0;
  var words = fi
    ? { filter: "Suodata taulukkoa", sort: "Järjestä sarakkeen mukaan", shown: "riviä näkyvissä" }
    : { filter: "Filter the table", sort: "Sort by this column", shown: "rows shown" };
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
          var x = cellText(a, index), y = cellText(b, index);
          var order = x.localeCompare(y, fi ? "fi" : "en", { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.querySelectorAll("table.policycheck-sortable").forEach(setup);
})();
