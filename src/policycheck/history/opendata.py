"""The register as open data: JSON and CSV of the items, the history as JSON and Atom.

Pure functions from the model and the history to file contents; the Sphinx build
writes them next to the site (``sphinx/opendata``). Every file carries the licence
the project set. The CSV is UTF-8 with a byte-order mark so that spreadsheets open
Finnish and Swedish letters correctly, one row per item, links as ids separated by
``;``; a cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``)
is prefixed with ``'``. The Atom feed is built with ElementTree, which escapes all
text; entry ids are UUIDs derived from the commit, so they never change.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from policycheck.errors import one_line
from policycheck.history.diff import TEXT_FIELDS
from policycheck.history.log import History
from policycheck.history.words import Words
from policycheck.model import LINK_NAMES, Item, Project

ATOM = "http://www.w3.org/2005/Atom"
FIELD_COLUMNS: tuple[str, ...] = tuple(f for f in TEXT_FIELDS if f not in ("type", "title"))
COLUMNS: tuple[str, ...] = (
    "id",
    "type",
    "title",
    *FIELD_COLUMNS,
    *LINK_NAMES,
    "content",
    "file",
    "line",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Meta:
    """What every open-data file says about itself."""

    project: str
    licence: str | None
    updated: str  # the date of the data (ISO)
    prefix: str = ""  # the Sphinx source folder, relative to the repository
    base_url: str = ""  # the site's address (html_baseurl), when known


def _file(item: Item, meta: Meta) -> str:
    return meta.prefix + item.file if item.file else ""


_field_values = attrgetter(*FIELD_COLUMNS)
_link_values = attrgetter(*LINK_NAMES)


def item_record(item: Item, meta: Meta) -> dict[str, Any]:
    record: dict[str, Any] = {"id": item.id, "type": item.type, "title": item.title}
    record.update(zip(FIELD_COLUMNS, _field_values(item), strict=True))
    record["links"] = dict(zip(LINK_NAMES, map(list, _link_values(item)), strict=True))
    record["content"] = item.content
    record["file"], record["line"] = _file(item, meta), item.lineno
    return record


def _header(meta: Meta) -> dict[str, Any]:
    return {"project": meta.project, "licence": meta.licence, "updated": meta.updated}


def register_json(project: Project, meta: Meta) -> dict[str, Any]:
    items = sorted(project.items.values(), key=lambda i: i.id)
    return {**_header(meta), "items": [item_record(i, meta) for i in items]}


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def register_csv(project: Project, meta: Meta) -> str:
    """The items as CSV (the caller writes it as ``utf-8-sig``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in sorted(project.items.values(), key=lambda i: i.id):
        row: list[object] = [item.id, item.type, item.title, *_field_values(item)]
        row += map(";".join, _link_values(item))
        row += [item.content, _file(item, meta), item.lineno]
        writer.writerow(map(_cell, row))
    return out.getvalue()


def changes_json(history: History, meta: Meta) -> dict[str, Any]:
    return {
        **_header(meta),
        "available": history.available,
        "commits": [
            {"commit": c.sha, "date": c.date, "subject": c.subject, "changes": c.changes.as_dict()}
            for c in history.commits
        ],
    }


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold: other control characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _uuid(text: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, text).urn


def atom_feed(
    history: History, meta: Meta, words: Words, page: str, feed: str, limit: int = 100
) -> bytes:
    """An Atom 1.0 feed of the register's changes, newest first (``limit`` entries).

    ``page`` is the address of the changes page and ``feed`` the feed's own, both
    absolute when the site's address is known, else relative to the feed.
    """

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    root = ET.Element("feed", {"xmlns": ATOM})
    commits = history.commits[:limit]
    first = history.commits[-1].sha if history.commits else ""
    sub(root, "id", _uuid(f"policycheck-feed:{meta.base_url or meta.project}:{first}"))
    sub(root, "title", words._("Updates of {project}").format(project=meta.project))
    sub(root, "updated", commits[0].date if commits else f"{meta.updated}T00:00:00Z")
    author = sub(root, "author")
    sub(author, "name", meta.project)
    sub(root, "link", rel="self", href=feed, type="application/atom+xml")
    sub(root, "link", rel="alternate", href=page, type="text/html")
    if meta.licence:
        sub(root, "rights", meta.licence)
    sub(root, "generator", "policycheck")
    for c in commits:
        entry = sub(root, "entry")
        sub(entry, "id", _uuid(f"policycheck-commit:{c.sha}"))
        sub(entry, "title", one_line(c.subject) or c.sha[:10])
        sub(entry, "updated", c.date)
        sub(entry, "link", rel="alternate", href=f"{page}#commit-{c.sha[:12]}", type="text/html")
        sub(entry, "content", "\n".join(map(one_line, words.lines(c.changes))), type="text")
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml
