"""Item cards and tables in the reader's language: sphinx-needs draws each item as a card whose
field names (``status:``, ``source:``) and values (``proposed``, ``2027-12-31``) are
the raw data. For policycheck's own types only, after sphinx-needs has drawn the
cards (``doctree-resolved``, after its priority 500), the field names, statuses,
dates and cadences are written as the reader says them, and a source whose document
has a public address (``policycheck_sources``) links to it. A host project's own
types and layouts are left exactly as they were.
"""

from __future__ import annotations

from collections.abc import Mapping

from docutils import nodes
from sphinx.application import Sphinx

from policycheck.domain import TYPES_BY_NAME
from policycheck.i18n import N_
from policycheck.sphinx.labels import _, format_date, pgettext, status_label
from policycheck.sphinx.sources import diary_url
from policycheck.sphinx.state import project_of
from policycheck.sphinx.walk import find, find_each

FIELD_LABELS = {
    "status": N_("Status"),
    "source": N_("Source"),
    "tags": N_("Tags"),
    "due": N_("Due"),
    "cadence": N_("Recurs"),
    "indicator": N_("Indicator"),
    "date": N_("Date"),
    "section": N_("Section"),
    "diary": N_("Diary number"),
    "waive": N_("Exception"),
}
DATES = ("due", "date")


def _classes(node: nodes.Element) -> list[str]:
    classes: list[str] = node.get("classes", [])
    return classes


def card_type(table: nodes.Element) -> str | None:
    """The policycheck type of a sphinx-needs card (``needs_type_goal``), else None."""
    for cls in _classes(table):
        if cls.startswith("needs_type_") and cls[len("needs_type_") :] in TYPES_BY_NAME:
            return cls[len("needs_type_") :]
    return None


def source_link(value: str, sources: Mapping[str, object]) -> list[nodes.Node]:
    """``value`` with the document names it starts with linked to their public address."""
    for name, spec in sources.items():
        if not value.startswith(name):
            continue
        info = spec if isinstance(spec, Mapping) else {"url": spec}
        url = str(info.get("url", ""))
        if not url.startswith(("https://", "http://")):
            break
        out: list[nodes.Node] = [nodes.reference("", name, refuri=url)]
        if info.get("date"):
            captured = _("captured {date}").format(date=format_date(str(info["date"])))
            out.append(nodes.Text(f" ({captured})"))
        out.append(nodes.Text(value[len(name) :]))
        return out
    return [nodes.Text(value)]


def _field(
    item_type: str, name: str, data: nodes.Element, sources: Mapping[str, object], diary: str = ""
) -> None:
    text = data.astext()
    new: list[nodes.Node]
    if name == "diary" and diary.startswith(("https://", "http://")):
        new = [nodes.reference("", text, refuri=diary)]
    elif name == "status":
        new = [nodes.Text(status_label(item_type, text))]
    elif name in DATES:
        new = [nodes.Text(format_date(text))]
    elif name == "cadence":
        new = [nodes.Text(pgettext("cadence", text))]
    elif name == "source" and sources and len(data.children) == 1:
        new = source_link(text, sources)
    else:
        return
    data.children = []
    data.extend(new)


def _card(node: nodes.Node) -> nodes.Element | None:
    """The sphinx-needs card ``node`` is drawn in: its nearest enclosing ``need`` table
    (a card in another card's content is a card of its own, maybe of a host's type)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.table) and "need" in _classes(parent):
            return parent
        parent = parent.parent
    return None


def translate_cards(app: Sphinx, spans: list[nodes.inline]) -> None:
    """The field lines (``needs_<field>`` spans) of the cards of policycheck's types."""
    sources = app.config.policycheck_sources or {}
    types: dict[int, str | None] = {}  # card → its policycheck type, by identity
    for span in spans:
        names = [c[len("needs_") :] for c in _classes(span) if c.startswith("needs_")]
        if not names or names[0] not in FIELD_LABELS:
            continue
        card = _card(span)
        if card is None:
            continue
        if id(card) not in types:
            types[id(card)] = card_type(card)
        item_type = types[id(card)]
        if item_type is None:
            continue
        name = names[0]
        for child in span.children:
            if not isinstance(child, nodes.Element):
                continue
            if "needs_label" in _classes(child):
                child.children = []
                child += nodes.Text(f"{_(FIELD_LABELS[name])}: ")
            elif "needs_data" in _classes(child):
                link = diary_url(app, child.astext()) if name == "diary" else ""
                _field(item_type, name, child, sources, link)


def translate_table_rows(app: Sphinx, rows: list[nodes.row]) -> None:
    """The same for sphinx-needs' tables (``needtable``): in a row of a policycheck
    item, statuses, dates and cadences as readers say them, linked items by name."""
    project = project_of(app)
    if project is None:
        return
    for row in rows:
        attributes = row.get("html_attributes") or {}
        item = project.items.get(str(attributes.get("data-need-id", "")))
        if item is None or item.type not in TYPES_BY_NAME:
            continue
        for entry in row.children:
            names = [c[len("needs_") :] for c in _classes(entry) if c.startswith("needs_")]
            if not names or names[0] in ("id", "title"):
                continue
            for ref in find(entry, nodes.reference):
                target = project.items.get(ref.astext())
                if target is not None and target.title:
                    ref.children = []
                    ref += nodes.Text(target.title)
            for para in find(entry, nodes.paragraph):
                if len(para.children) == 1 and isinstance(para[0], nodes.Text):
                    _field(item.type, names[0], para, {})


def translate_views(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    spans, rows = find_each(doctree, nodes.inline, nodes.row)
    translate_cards(app, spans)
    translate_table_rows(app, rows)


def setup_cards(app: Sphinx) -> None:
    # name → public address, or {"url": …, "date": "YYYY-MM-DD"} (when it was captured)
    app.add_config_value("policycheck_sources", {}, "html", types=(dict,))
    app.connect("doctree-resolved", translate_views, priority=600)
