"""Open data with the site: the register, the findings and the history as files.

At ``build-finished`` (the ``html`` and ``dirhtml`` builders, successful builds
only) the build writes to ``<outdir>/data/``: ``register.json``, ``register.csv``,
``findings.json``, ``changes.json`` and ``changes.atom``, at the same addresses in
every build. Each
page's head links the Atom feed (``<link rel="alternate">``). The
``policycheck-open-data`` directive lists the files and documents the CSV columns.
The licence is the TOML table's ``licence`` key.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from policycheck.fileio import write_atomic
from policycheck.history.opendata import (
    COLUMNS,
    FIELD_COLUMNS,
    Meta,
    atom_feed,
    changes_json,
    register_csv,
    register_json,
)
from policycheck.model import LINK_NAMES, Project
from policycheck.sphinx.state import report_of
from policycheck.sphinx.tables import Cell, table

DATA = "data"
FILES = {
    "register.json": "The register as JSON",
    "register.csv": "The register as CSV, one row per item (UTF-8 with a byte-order mark, "
    "for spreadsheets)",
    "findings.json": "The checker's findings as JSON",
    "changes.json": "The history of changes as JSON",
    "changes.atom": "The history of changes as an Atom feed",
}


def _meta(app: Sphinx) -> Meta:
    from policycheck.history.log import _git
    from policycheck.sphinx.checks import today_of
    from policycheck.sphinx.state import policy_config

    srcdir = Path(app.srcdir)
    top = _git(srcdir, "rev-parse", "--show-toplevel")
    prefix = ""
    if top:
        rel = srcdir.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
        prefix = "" if rel == "." else rel + "/"
    return Meta(
        project=str(app.config.project),
        licence=policy_config(app).licence,
        updated=today_of(app).isoformat(),
        prefix=prefix,
        base_url=str(app.config.html_baseurl or ""),
    )


def _history_page(app: Sphinx) -> str | None:
    """The first page holding ``policycheck-history`` (the feed's alternate link)."""
    from policycheck.sphinx.history import pages_with

    found = sorted(pages_with(app.env, "history"))
    return found[0] if found else None


def _address(app: Sphinx, target: str) -> str:
    """``target`` (a path in the site) as seen from the feed: absolute with html_baseurl."""
    base = str(app.config.html_baseurl or "")
    if base:
        return base.rstrip("/") + "/" + target
    return relative_uri(f"{DATA}/changes.atom", target) or target.rsplit("/", 1)[-1]


# Builders that publish a website (not epub or singlehtml, which package one file).
SITE_BUILDERS = frozenset({"html", "dirhtml"})


def write_open_data(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    from policycheck.reporters.json_report import as_dict
    from policycheck.sphinx.history import _project, history_of, words_of

    meta, project = _meta(app), _project(app)
    folder = Path(app.outdir) / DATA
    report, history = report_of(app), history_of(app)
    page = _history_page(app)
    page_uri = (
        app.builder.get_target_uri(page)
        if page
        else app.builder.get_target_uri(app.config.root_doc)
    )
    # an unchanged rebuild writes nothing: the files are made from these alone
    key_file = Path(app.doctreedir) / "policycheck-open-data.key"
    findings = as_dict(report) if report is not None else None
    key = _key(project, findings, history.head, repr(meta), str(app.config.language), page_uri)
    wanted = [name for name in FILES if findings is not None or name != "findings.json"]
    if all((folder / name).is_file() for name in wanted) and _read(key_file) == key:
        return
    folder.mkdir(parents=True, exist_ok=True)

    def dump(name: str, data: Any) -> None:
        text = msgspec.json.format(msgspec.json.encode(data), indent=1).decode("utf-8")
        write_atomic(folder / name, text + "\n")

    dump("register.json", register_json(project, meta))
    (folder / "register.csv").write_bytes(register_csv(project, meta).encode("utf-8-sig"))
    if findings is not None:
        dump("findings.json", {"licence": meta.licence, **findings})
    dump("changes.json", changes_json(history, meta))
    feed = atom_feed(
        history, meta, words_of(app), _address(app, page_uri), _address(app, f"{DATA}/changes.atom")
    )
    (folder / "changes.atom").write_bytes(feed)
    write_atomic(key_file, key)


def _key(project: Project, findings: dict[str, Any] | None, *parts: str) -> str:
    from policycheck import __version__

    digest = hashlib.sha256(__version__.encode())
    digest.update(msgspec.json.encode(sorted(project.items.values(), key=lambda i: i.id)))
    digest.update(msgspec.json.encode(findings))
    digest.update("\0".join(parts).encode())
    return digest.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


def _head_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in SITE_BUILDERS or "pathto" not in context:
        return
    from policycheck.sphinx.history import words_of

    title = html.escape(words_of(app)._("Changes in the register"), quote=True)
    href = html.escape(context["pathto"](f"{DATA}/changes.atom", 1), quote=True)
    link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}" />'
    context["metatags"] = context.get("metatags", "") + link + "\n"


def open_data_view(app: Sphinx, doc: str) -> list[nodes.Node]:
    from policycheck.sphinx.history import words_of

    words = words_of(app)
    here = app.builder.get_target_uri(doc)
    files = nodes.bullet_list(classes=["policycheck-open-data"])
    for name, label in FILES.items():
        uri = relative_uri(here, f"{DATA}/{name}")
        para = nodes.paragraph(
            "", "", nodes.reference("", name, refuri=uri), nodes.Text(f": {words._(label)}")
        )
        files += nodes.list_item("", para)
    out: list[nodes.Node] = [files]
    licence = _meta(app).licence
    if licence:
        out.append(nodes.paragraph("", words._("Licence: {licence}").format(licence=licence)))
    rows: list[list[Cell]] = [[nodes.literal("", c), _described(app, c, words._)] for c in COLUMNS]
    out.append(table([words._("Column"), words._("Meaning")], rows, ["policycheck-columns"]))
    return out


def _described(app: Sphinx, column: str, translate: Callable[[str], str]) -> Cell:
    if column != "type":
        return translate(_describe(column))
    from policycheck.sphinx.config_reference import with_literals
    from policycheck.sphinx.state import policy_config

    # the values of the column: the project's type names, as written (code)
    names = ", ".join(f"`{name}`" for name in policy_config(app).vocabulary().names)
    return with_literals(translate("item type, one of: {types}").format(types=names))


def _describe(column: str) -> str:
    if column in FIELD_COLUMNS:
        return "the field's value as written (dates as YYYY-MM-DD)"
    if column in LINK_NAMES:
        return "ids of the linked items, separated by ;"
    return {
        "id": "the item's identifier",
        "title": "the item's title",
        "status": "the item's status as written",
        "content": "the item's text",
        "file": "the source file, relative to the repository",
        "line": "the line in the source file",
    }[column]


def setup_open_data(app: Sphinx) -> None:
    app.connect("build-finished", write_open_data)
    app.connect("html-page-context", _head_link)
