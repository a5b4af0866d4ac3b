"""Small docutils builders shared by the site's views."""

from __future__ import annotations

from typing import Union

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri

from policycheck.model import Item

Cell = Union[nodes.Node, str, list[nodes.Node]]  # noqa: UP007 (docutils types are Any)


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
    filter from policycheck.js."""
    tbl = nodes.table(classes=["policycheck-table", *(classes or [])])
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
    label = f"{item.title} ({item.id})" if show_id else item.title
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
