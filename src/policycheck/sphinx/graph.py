"""Graphs people can read: one small graph per goal, drawn top-down in the order
of the caption (decision → goal → actions and follow-ups → owners), with what is
missing drawn as a dashed box, a legend in words, and the whole register as one
graph on its own page ("open full size").

Graphs are Graphviz (``sphinx.ext.graphviz``), rendered offline; labels are wrapped
between words, never inside one.
"""

from __future__ import annotations

import html
import subprocess
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.ext.graphviz import graphviz

from policycheck.domain import TYPES_BY_NAME
from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.rules.plan import DROPPED, actions_of, followups_of
from policycheck.sphinx.labels import _, type_label
from policycheck.sphinx.state import project_of

FULL_PAGE = "policycheck-graph"
FULL_ALT = N_(
    "The whole register: every decision, goal, action, follow-up and organisation "
    "and the links between them"
)
WRAP = 26


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(item_type: str, title: str) -> str:
    lines = textwrap.wrap(title, WRAP, break_long_words=False, break_on_hyphens=False)
    return "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)


def _node(app: Sphinx, doc: str | None, item: Item) -> str:
    color = TYPES_BY_NAME[item.type].color if item.type in TYPES_BY_NAME else "#FFFFFF"
    label = f"{type_label(item.type)}\\n{_label(item.type, item.title or item.id)}"
    attrs = [f'label="{label}"', f'fillcolor="{color}"', f"tooltip={_quote(item.title)}"]
    if doc is not None and item.docname:
        try:
            uri = app.builder.get_relative_uri(doc, item.docname)
            attrs.append(f"URL={_quote(uri + '#' + item.id)}")
            attrs.append('target="_top"')
        except NoUri:
            pass
    return f"{_quote(item.id)} [{', '.join(attrs)}];"


def _missing(node_id: str, words: str) -> str:
    return (
        f'{_quote(node_id)} [label="{_label("", words)}", style="dashed", '
        'fillcolor="white", color="#a4161a", fontcolor="#a4161a"];'
    )


HEADER = (
    "digraph {0} {{\n"
    'graph [rankdir=TB, bgcolor="white", nodesep=0.3, ranksep=0.4, fontname="DejaVu Sans"];\n'
    'node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=11, '
    'margin="0.12,0.06"];\n'
    'edge [color="#333333", arrowsize=0.7];\n'
)


def goal_dot(app: Sphinx, doc: str | None, project: Project, goal: Item) -> str:
    """The goal's own graph: its decisions, actions, follow-ups and owners."""
    lines = [HEADER.format(_quote(goal.id)), _node(app, doc, goal)]
    seen = {goal.id}

    def add(item: Item) -> None:
        if item.id not in seen:
            seen.add(item.id)
            lines.append(_node(app, doc, item))

    decisions = [d for d in project.linked_from("adopts", goal.id) if d.type == "decision"]
    for d in decisions:
        add(d)
        lines.append(f"{_quote(d.id)} -> {_quote(goal.id)};")
    if not decisions:
        lines.append(_missing("missing-decision", _("no adopting decision")))
        lines.append(f'"missing-decision" -> {_quote(goal.id)} [style="dashed"];')
    doers: list[Item] = [goal]
    if goal.status not in DROPPED:
        actions, followups = actions_of(project, goal), followups_of(project, goal)
        for item in [*actions, *followups]:
            add(item)
            lines.append(f"{_quote(goal.id)} -> {_quote(item.id)};")
        doers += [*actions, *followups]
        for kind, found in (("action", actions), ("followup", followups)):
            if not found:
                words = _("no action") if kind == "action" else _("no follow-up")
                lines.append(_missing(f"missing-{kind}", words))
                lines.append(f'{_quote(goal.id)} -> "missing-{kind}" [style="dashed"];')
    for item in doers:
        owners = [o for o in project.targets(item, "owner") if o.type == "org"]
        for org in owners:
            add(org)
            lines.append(f"{_quote(item.id)} -> {_quote(org.id)};")
        if item is goal and not owners:
            lines.append(_missing("missing-owner", _("no owner")))
            lines.append(f'{_quote(goal.id)} -> "missing-owner" [style="dashed"];')
    lines.append("}")
    return "\n".join(lines)


def _graph_node(code: str, alt: str) -> graphviz:
    node = graphviz()
    node["code"] = code
    node["options"] = {}
    # sphinx.ext.graphviz writes a given alt into the HTML as it is: escape it here
    node["alt"] = html.escape(alt, quote=True)
    node["classes"] = ["policycheck-graph"]
    return node


def _describe(project: Project, goal: Item) -> str:
    parts = [goal.title]
    for link, kind in (("adopts", "decision"), ("implements", "action"), ("tracks", "followup")):
        items = [i for i in project.linked_from(link, goal.id) if i.type == kind]
        if items:
            parts.append(f"{type_label(kind)}: " + "; ".join(i.title for i in items))
    owners = project.targets(goal, "owner")
    if owners:
        parts.append(f"{_('Owner')}: " + "; ".join(o.title for o in owners))
    return ". ".join(parts)


LEGEND_DOT = (
    'digraph legend {{ graph [rankdir=LR, bgcolor="white", fontname="DejaVu Sans"]; '
    'node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=11]; {0} }}'
)


def _legend_text() -> str:
    return _(
        "How to read the graphs: an arrow goes from a decision to the goal it adopted, "
        "from a goal to its actions and follow-ups, and from each of them to the "
        "organisation responsible. A dashed box says what is missing."
    )


def legend() -> list[nodes.Node]:
    """What the boxes and arrows mean, in words and as a small graph of the boxes."""
    text = _legend_text()
    boxes = [f'"{t}" [label={_quote(type_label(t))}, fillcolor="{spec.color}"];'
             for t, spec in TYPES_BY_NAME.items()]  # fmt: skip
    boxes.append(_missing("missing", _("missing")))
    boxes.append(" -> ".join(_quote(t) for t in ("decision", "goal", "action", "org")) + ";")
    alt = _("Legend: the colours of the boxes for each type of item")
    return [nodes.paragraph("", text, classes=["policycheck-legend"]),
            _graph_node(LEGEND_DOT.format(" ".join(boxes)), alt)]  # fmt: skip


def full_dot(project: Project) -> str:
    """The whole register as one graph, every goal included (for the full-size page)."""
    lines = [HEADER.format('"register"')]
    for item in project.items.values():
        if item.type in TYPES_BY_NAME:
            lines.append(_node_plain(item))
    for source, link, target in project.edges():
        if target not in project.items:
            continue
        a, b = (
            (target, source.id)
            if link in ("implements", "tracks", "parent")
            else (source.id, target)
        )
        lines.append(f"{_quote(a)} -> {_quote(b)};")
    lines.append("}")
    return "\n".join(lines)


def _node_plain(item: Item) -> str:
    color = TYPES_BY_NAME[item.type].color
    label = f"{type_label(item.type)}\\n{_label(item.type, item.title or item.id)}"
    return f'{_quote(item.id)} [label="{label}", fillcolor="{color}"];'


def full_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The page with the whole graph at full size, in a box that scrolls (html only)."""
    project = project_of(app)
    if project is None or app.builder.format != "html" or not graph_pages(app.env):
        return
    title = _("The whole register as a graph")
    try:
        svg = subprocess.run(
            [str(app.config.graphviz_dot or "dot"), "-Tsvg"],
            input=full_dot(project).encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        failed = html.escape(_("The graph could not be drawn."))
        body = f"<h1>{html.escape(title)}</h1><p>{failed}</p>"
    else:
        images = Path(app.builder.outdir, "_images")
        images.mkdir(parents=True, exist_ok=True)
        (images / f"{FULL_PAGE}.svg").write_bytes(svg)
        label = html.escape(_("Graph, scrolls sideways"), quote=True)
        alt = html.escape(_(FULL_ALT), quote=True)
        body = (
            f"<h1>{html.escape(title)}</h1><p>{html.escape(_legend_text())}</p>"
            '<div class="policycheck-scroll policycheck-full-graph" tabindex="0" '
            f'role="region" aria-label="{label}"><img src="_images/{FULL_PAGE}.svg" '
            f'alt="{alt}"></div>'
        )
    yield FULL_PAGE, {"title": title, "body": body}, "page.html"


def graph_view(app: Sphinx, doc: str, project: Project, goals: Iterable[Item]) -> list[nodes.Node]:
    out: list[nodes.Node] = [*legend()]
    try:
        full = app.builder.get_relative_uri(doc, FULL_PAGE)
        link = nodes.reference("", _("Open the whole graph full size"), refuri=full)
        out.append(nodes.paragraph("", "", link))
    except NoUri:
        pass
    for goal in goals:
        title = nodes.paragraph("", "", nodes.strong("", goal.title or goal.id))
        out.append(
            nodes.container(
                "",
                title,
                _graph_node(goal_dot(app, doc, project, goal), _describe(project, goal)),
                classes=["policycheck-graph-goal"],
                ids=[f"graph-{nodes.make_id(goal.id)}"],
            )
        )
    return out


def graph_pages(env: Any) -> dict[str, bool]:
    """The documents that show graphs (the full-size page is made only for them)."""
    from policycheck.sphinx.state import per_document

    pages: dict[str, bool] = per_document(env, "graph_pages")
    return pages


def setup_graph(app: Sphinx) -> None:
    app.connect("html-collect-pages", full_page)
