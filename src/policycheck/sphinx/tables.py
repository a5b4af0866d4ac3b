"""Small docutils builders shared by the site's views, and the few HTML-only nodes
they need (chart bars, text in another language).

The HTML-only nodes are subclasses of docutils' own, so every other builder
(LaTeX, text, man…) renders them as a plain container or inline (Sphinx's
translators fall back along the class hierarchy).
"""

from __future__ import annotations

from typing import Any, Union

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri

from policycheck.model import Item

Cell = Union[nodes.Node, str, list[nodes.Node]]  # noqa: UP007 (docutils types are Any)


class bar(nodes.inline):  # type: ignore[misc]
    """A decorative bar of ``percent`` width; the text next to it says the same."""


class foreign(nodes.container):  # type: ignore[misc]
    """Block content in another language than the page's (``lang``)."""


class foreign_inline(nodes.inline):  # type: ignore[misc]
    """Inline content in another language than the page's (``lang``)."""


def _visit_bar(self: Any, node: bar) -> None:
    percent = max(0, min(100, int(node["percent"])))
    self.body.append(
        '<span class="policycheck-bar" aria-hidden="true">'
        f'<span class="policycheck-bar-fill" style="width: {percent}%"></span></span>'
    )
    raise nodes.SkipNode


def _visit_foreign(self: Any, node: foreign) -> None:
    self.body.append(self.starttag(node, "div", "", lang=node["lang"]))


def _visit_foreign_inline(self: Any, node: foreign_inline) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def _depart_div(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _depart_span(self: Any, node: nodes.Element) -> None:
    self.body.append("</span>")


def setup_nodes(app: Sphinx) -> None:
    app.add_node(bar, html=(_visit_bar, None))
    app.add_node(foreign, html=(_visit_foreign, _depart_div))
    app.add_node(foreign_inline, html=(_visit_foreign_inline, _depart_span))


def in_english(*children: nodes.Node, block: bool = False) -> nodes.Element:
    """``children`` marked as English (code identifiers, untranslated text)."""
    node = foreign(lang="en") if block else foreign_inline(lang="en")
    node.extend(children)
    return node


def text_or_nodes(cell: Cell) -> list[nodes.Node]:
    if isinstance(cell, str):
        return [nodes.Text(cell)]
    if isinstance(cell, list):
        return cell
    return [cell]


def table(
    headers: list[str], rows: list[list[Cell]], classes: list[str] | None = None
) -> nodes.table:
    """A table with a header row; ``policycheck-sortable`` tables get sorting and a
    filter from policycheck.js, which also lets wide tables scroll in their own box."""
    tbl = nodes.table(classes=["policycheck-table", "colwidths-auto", *(classes or [])])
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(list(headers))
    group += head
    body = nodes.tbody()
    for row in rows:
        body += _row(row)
    group += body
    return tbl


def _row(cells: list[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        para = nodes.paragraph()
        para.extend(text_or_nodes(cell))
        entry += para
        row += entry
    return row


def item_ref(app: Sphinx, fromdocname: str, item: Item, show_id: bool = True) -> nodes.Node:
    """A link to the item where it is defined (plain text if it has no page)."""
    label = f"{item.title} ({item.id})" if show_id else (item.title or item.id)
    if not item.docname:
        return nodes.Text(label)
    try:
        uri = app.builder.get_relative_uri(fromdocname, item.docname)
    except NoUri:
        return nodes.Text(label)
    ref = nodes.reference("", label, internal=True, refuri=f"{uri}#{item.id}")
    return ref


def refs(app: Sphinx, fromdocname: str, items: list[Item], empty: str = "") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(", "))
        out.append(item_ref(app, fromdocname, item))
    return out or [nodes.Text(empty)]


def section(ids: str, title: str, *children: nodes.Node) -> nodes.section:
    sec = nodes.section(ids=[nodes.make_id(ids)])
    sec += nodes.title("", title)
    for child in children:
        sec += child
    return sec
