"""The register over time on the site: the "changes" page, item timelines, progress.

- ``policycheck-history``: the register's history from the git log, newest first,
  one section per commit (date, message, what it did to the items); the latest 300
  commits unless ``:limit: N`` (0: all), the rest in ``data/changes.json``.
- ``policycheck-timeline ID``: a goal as a timeline (adopted by, actions with their
  status and dates, follow-ups with due dates, what is overdue now, its history).
- ``policycheck-progress``: per goal, the share of its actions done (numbers and an
  accessible bar); per organisation, what it owns and what of that is late.
- Every goal, action, follow-up and decision on the site gets its own history
  (entered the register, each change with its date) after it, unless
  ``policycheck_item_history = False``; goals get their whole timeline.

The history is read once per build in the main process (``history.log``, cached by
commit). Pages showing it are rewritten when HEAD moves, as well as when the items
change (``freshness``), so they are never stale. Without git history the page says
so in one sentence; nothing warns or fails.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from policycheck.errors import one_line
from policycheck.history.log import Commit, History, read_history
from policycheck.history.progress import by_organisation, is_late, progress
from policycheck.history.words import Words
from policycheck.model import Item, Project
from policycheck.sphinx.labels import status_label
from policycheck.sphinx.state import (
    domain_of,
    has_views,
    mark_view,
    memo,
    per_document,
    policy_config,
    project_of,
)
from policycheck.sphinx.tables import Cell, item_ref, refs, table
from policycheck.sphinx.walk import find, find_each

TIMELINE_TYPES = frozenset({"goal", "action", "followup", "decision"})
# Commits shown on the changes page unless ``:limit:`` says otherwise (0: all); the
# whole history is always in data/changes.json and the Atom feed's latest entries.
PAGE_LIMIT = 300


class history_view(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for a history view, filled at doctree-resolved."""


class item_history_slot(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where an item's history goes: right after its card, marked before sphinx-needs
    draws the cards and filled after, so that sphinx-needs' passes over the page do not
    walk the histories."""


def _directive(view: str, argument: bool = False) -> type[SphinxDirective]:
    class HistoryDirective(SphinxDirective):
        has_content = False
        required_arguments = 1 if argument else 0
        option_spec: ClassVar[dict[str, Any]] = {"limit": directives.nonnegative_int}

        def run(self) -> list[nodes.Node]:
            mark_view(self.env, self.env.docname)
            _pages(self.env).setdefault(self.env.docname, set()).add(view)
            target = self.arguments[0].strip() if argument else ""
            limit = self.options.get("limit", PAGE_LIMIT)
            return [history_view(view=view, target=target, limit=limit)]

    HistoryDirective.__name__ = f"{view.title()}Directive"
    return HistoryDirective


def _pages(env: BuildEnvironment) -> dict[str, set[str]]:
    """Docname to the history views it holds (kept in the environment)."""
    pages: dict[str, set[str]] = per_document(env, "history_pages")
    return pages


def pages_with(env: BuildEnvironment, view: str) -> set[str]:
    return {doc for doc, views in _pages(env).items() if view in views}


def words_of(app: Sphinx) -> Words:
    return Words(str(app.config.language or "en"))


def _wanted(app: Sphinx) -> tuple[Callable[[str], bool], str]:
    """Which paths (relative to the source folder) are the project's sources."""
    suffixes = tuple(app.config.source_suffix)
    include = Matcher(app.config.include_patterns)
    exclude = Matcher([*app.config.exclude_patterns, "_build/**"])

    def wanted(path: str) -> bool:
        return path.endswith(suffixes) and include(path) and not exclude(path)

    settings = repr((suffixes, app.config.include_patterns, app.config.exclude_patterns))
    return wanted, settings


def need_directives(app: Sphinx) -> list[str]:
    return sorted(str(t["directive"]) for t in app.config.needs_types)


def history_of(app: Sphinx) -> History:
    """The register's history, read once per build (from the cache when HEAD is known)."""
    cached: History | None = memo(app).get("history")
    if cached is None:
        wanted, settings = _wanted(app)
        cached = read_history(
            Path(app.srcdir),
            Path(app.doctreedir) / "policycheck-history",
            need_directives(app),
            wanted,
            settings,
        )
        memo(app)["history"] = cached
    return cached


def _project(app: Sphinx) -> Project:
    """The checks' model, when they ran; else one made from the needs, once per run
    (asked for by every page, view and goal's timeline while pages are written, when
    the needs no longer change)."""
    project = project_of(app) or memo(app).get("model")
    if project is None:
        from policycheck.sphinx.checks import project_from_needs
        from policycheck.sphinx.needs_access import needs_view

        project = memo(app)["model"] = project_from_needs(needs_view(app), policy_config(app))
    return project


# (commit, what happened in words, the fields it changed; "added"/"removed" for those)
Event = tuple[Commit, str, frozenset[str]]


def events_by_item(app: Sphinx) -> dict[str, list[Event]]:
    """Each item's history, oldest first."""
    cached: dict[str, list[Event]] | None = memo(app).get("item_events")
    if cached is not None:
        return cached
    words = words_of(app)
    events: dict[str, list[Event]] = defaultdict(list)
    for commit in reversed(history_of(app).commits):
        for ref in commit.changes.added:
            events[ref.id].append((commit, words.added(ref), frozenset({"added"})))
        for ref in commit.changes.removed:
            events[ref.id].append((commit, words.removed(ref), frozenset({"removed"})))
        for change in commit.changes.changed:
            events[change.id].append((commit, words.changed(change), frozenset(change.fields)))
    found = dict(events)
    memo(app)["item_events"] = found
    return found


def _day(commit: Commit) -> str:
    return commit.date[:10]


def _note(text: str) -> nodes.paragraph:
    return nodes.paragraph("", text, classes=["policycheck-history-note"])


def history_page(app: Sphinx, doc: str, limit: int) -> list[nodes.Node]:
    words, history = words_of(app), history_of(app)
    project = _project(app)
    if not history.available:
        return [
            _note(
                words._(
                    "This site was not built from a git repository with history, "
                    "so the register's history cannot be shown."
                )
            )
        ]
    out: list[nodes.Node] = []
    commits = history.commits[:limit] if limit else history.commits
    if history.shallow and history.start:
        start = history.start[:10]
        out.append(
            _note(
                words._(
                    "The history begins on {date}: the repository was copied "
                    "without its earlier history."
                ).format(date=start)
            )
        )
    if not commits:
        out.append(_note(words._("No changes to the register yet.")))
    elif len(commits) < len(history.commits):
        older = words._("The {shown} latest of {total} changes; all of them are in {file}.")
        out.append(
            _note(
                older.format(
                    shown=len(commits), total=len(history.commits), file="data/changes.json"
                )
            )
        )
    for commit in commits:
        section = nodes.section(ids=[f"commit-{commit.sha[:12]}"], classes=["policycheck-commit"])
        section += nodes.title("", one_line(f"{_day(commit)} {commit.subject}"))
        section += nodes.paragraph("", "", nodes.literal("", commit.sha[:10]))
        section += _lines(app, doc, project, words.lines(commit.changes))
        out.append(section)
    return out


def _lines(app: Sphinx, doc: str, project: Project, lines: list[str]) -> nodes.bullet_list:
    """Change lines, each with its item id linked to the item where it still exists."""
    out = nodes.bullet_list(classes=["policycheck-changes"])
    for line in map(one_line, lines):
        item_id = line.split(" ", 1)[0].rstrip(":")
        para = nodes.paragraph()
        item = project.items.get(item_id)
        link = item_ref(app, doc, item) if item is not None else None
        if isinstance(link, nodes.reference):
            para += nodes.reference("", item_id, internal=True, refuri=link["refuri"])
            para += nodes.Text(line[len(item_id) :])
        else:
            para += nodes.Text(line)
        out += nodes.list_item("", para)
    return out


def item_history(app: Sphinx, item_id: str) -> nodes.Node | None:
    """The dated history of one item, or None when the history says nothing of it."""
    events = events_by_item(app).get(item_id)
    if not events:
        return None
    out = nodes.bullet_list(classes=["policycheck-item-history"])
    for commit, line, _ in events:
        out += nodes.list_item("", nodes.paragraph("", one_line(f"{_day(commit)}: {line}")))
    return out


def progress_cell(app: Sphinx, goal: Item) -> list[nodes.Node]:
    """A goal's progress: an accessible bar (HTML ``<progress>``) and the numbers."""
    words = words_of(app)
    done, total = progress(_project(app), goal)
    text = words._("{done} of {total} actions done").format(done=done, total=total)
    if not total:
        return [nodes.Text(text)]
    label = html.escape(words._("Progress of {title}").format(title=goal.title), quote=True)
    bar = (
        f'<progress class="policycheck-progress" max="{total}" value="{done}" '
        f'aria-label="{label}">{round(100 * done / total)} %</progress> '
    )
    return [nodes.raw("", bar, format="html"), nodes.Text(text)]


def _since(app: Sphinx, item: Item) -> str:
    """The date of an item's last change of status (or of its entry), when known."""
    for commit, _, fields in reversed(events_by_item(app).get(item.id, [])):
        if "status" in fields or "added" in fields:
            return _day(commit)
    return ""


def goal_timeline(app: Sphinx, doc: str, goal: Item) -> list[nodes.Node]:
    from policycheck.rules.plan import actions_of, followups_of
    from policycheck.sphinx.checks import today_of

    words, project, today = words_of(app), _project(app), today_of(app)

    def sub(title: str, *children: nodes.Node) -> nodes.container:
        box = nodes.container(classes=["policycheck-timeline-part"])
        box += nodes.rubric("", title)
        box.extend(children)
        return box

    adopted = sorted(
        (d for d in project.linked_from("adopts", goal.id) if d.type == "decision"),
        key=lambda d: d.date or "",
    )
    decisions = nodes.bullet_list()
    for d in adopted:
        decisions += nodes.list_item(
            "", nodes.paragraph("", "", item_ref(app, doc, d), nodes.Text(f" {d.date or ''}"))
        )
    actions = sorted(actions_of(project, goal), key=lambda a: (a.due or "9999", a.id))
    rows: list[list[Cell]] = [
        [
            [item_ref(app, doc, a)],
            status_label(a.type, a.status) or words._("no status"),
            a.due or "",
            _since(app, a),
        ]
        for a in actions
    ]
    followups = sorted(followups_of(project, goal), key=lambda f: (f.due or "9999", f.id))
    frows: list[list[Cell]] = [
        [
            [item_ref(app, doc, f)],
            status_label(f.type, f.status) or words._("no status"),
            f.due or (words._("every {cadence}").format(cadence=f.cadence) if f.cadence else ""),
            _since(app, f),
        ]
        for f in followups
    ]
    late = [i for i in [goal, *actions, *followups] if is_late(i, today)]
    heads = [words._("Actions"), words._("status"), words._("due"), words._("History")]
    fheads = [words._("Follow-ups"), words._("status"), words._("due"), words._("History")]
    parts: list[nodes.Node] = [
        nodes.paragraph("", "", *progress_cell(app, goal)),
        sub(words._("Adopted by"), decisions if adopted else nodes.paragraph("", words._("none"))),
        sub(
            words._("Actions"), table(heads, rows) if rows else nodes.paragraph("", words._("none"))
        ),
        sub(
            words._("Follow-ups"),
            table(fheads, frows) if frows else nodes.paragraph("", words._("none")),
        ),
        sub(
            words._("Overdue now"),
            nodes.paragraph("", "", *refs(app, doc, late))
            if late
            else nodes.paragraph("", words._("Nothing is overdue.")),
        ),
    ]
    history = item_history(app, goal.id)
    if history is not None:
        parts.append(sub(words._("History"), history))
    return parts


def progress_page(app: Sphinx, doc: str) -> list[nodes.Node]:
    from policycheck.sphinx.checks import today_of

    words, project = words_of(app), _project(app)
    goals = sorted(project.of_type("goal"), key=lambda g: g.id)
    rows: list[list[Cell]] = [[[item_ref(app, doc, g)], progress_cell(app, g)] for g in goals]
    out: list[nodes.Node] = [
        table([words._("Goal"), words._("Progress")], rows, ["policycheck-progress-table"])
    ]
    orgs = by_organisation(project, today_of(app))
    org_rows: list[list[Cell]] = [
        [
            [item_ref(app, doc, load.org)],
            str(len(load.owns)),
            refs(app, doc, load.late, empty=str(0)),
        ]
        for load in orgs
    ]
    heads = [words._("Organisation"), words._("Owns"), words._("Late")]
    out.append(table(heads, org_rows, ["policycheck-org-load", "policycheck-sortable"]))
    return out


def mark(app: Sphinx, doctree: nodes.document, doc: str) -> None:
    """Before sphinx-needs draws its cards (priority 500): a slot after each item that
    has a history, found by its need node (gone once the card is drawn)."""
    if app.builder.format != "html":
        for node in find(doctree, history_view):
            node.replace_self([])
        return
    if app.config.policycheck_item_history and doc in _docs_with_items(app):
        _mark_item_histories(app, doctree)


def resolve(app: Sphinx, doctree: nodes.document, doc: str) -> None:
    """After sphinx-needs (priority 500) and the cards' translation (600): the views and
    the item histories, which neither of them has to walk."""
    if app.builder.format != "html":
        return
    views, slots = find_each(doctree, history_view, item_history_slot)
    if has_views(app.env, doc):
        for node in views:
            node.replace_self(_view(app, doc, node))
    if slots:  # the model and the words once per page, not once per item
        project, words = _project(app), words_of(app)
        for slot in slots:
            item = project.items[slot["item"]]
            slot.replace_self(_item_history_box(app, doc, item, words))


def _view(app: Sphinx, doc: str, node: history_view) -> list[nodes.Node]:
    view = node["view"]
    if view == "history":
        return history_page(app, doc, node["limit"])
    if view == "progress":
        return progress_page(app, doc)
    if view == "opendata":
        from policycheck.sphinx.opendata import open_data_view

        return open_data_view(app, doc)
    goal = _project(app).items.get(node["target"])
    if goal is None:
        return [_note(words_of(app)._("No item with the id {id}.").format(id=node["target"]))]
    return goal_timeline(app, doc, goal)


def _docs_with_items(app: Sphinx) -> set[str]:
    """The pages holding items (made once per build: asked for every page written)."""
    found: set[str] | None = memo(app).get("docs-with-items")
    if found is None:
        found = {i.docname for i in _project(app).items.values() if i.docname}
        memo(app)["docs-with-items"] = found
    return found


def _mark_item_histories(app: Sphinx, doctree: nodes.document) -> None:
    from policycheck.sphinx.needs_access import need_node_type

    project = _project(app)
    for need in find(doctree, need_node_type()):
        ids = need.get("ids") or []
        item = project.items.get(ids[0]) if ids else None
        if item is None or item.type not in TIMELINE_TYPES:
            continue
        if item.type != "goal" and not events_by_item(app).get(item.id):
            continue  # nothing to show
        need.parent.insert(need.parent.index(need) + 1, item_history_slot(item=item.id))


def _item_history_box(app: Sphinx, doc: str, item: Item, words: Words) -> list[nodes.Node]:
    if item.type == "goal":
        children: list[nodes.Node] = goal_timeline(app, doc, item)
    else:
        history = item_history(app, item.id)
        children = [history] if history is not None else []
    if not children:
        return []
    summary = html.escape(f"{words._('History')}: {item.id}", quote=False)
    box = nodes.container(classes=["policycheck-timeline"])
    box += nodes.raw("", f"<details><summary>{summary}</summary>", format="html")
    box.extend(children)
    box += nodes.raw("", "</details>", format="html")
    return [box]


def _outdated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """When HEAD moved, the pages whose history view changed: the history pages, and
    the pages of the items changed since (and of the goals they implement or track,
    whose timelines show them); all item pages when that is not known. The history
    is read here, in the main process, before pages are written in parallel."""
    if app.builder.format != "html":
        return []
    history = history_of(app)
    state = domain_of(env).data
    previous = state["history_head"]
    if previous == history.head:  # "" == "" outside git: nothing to rewrite either
        return []
    state["history_head"] = history.head
    from policycheck.sphinx.needs_access import unresolved_needs

    # read only: the needs are not post-processed yet (get_needs_view would freeze them)
    needs, _extends = unresolved_needs(env)
    if history.new_ids is None or history.since != previous:
        changed = set(needs)
    else:
        changed = {i for i in history.new_ids if i in needs}
        changed |= {
            t
            for i in changed
            for link in ("implements", "tracks")
            for t in needs[i].get(link) or ()
        }
    docs = {str(needs[i]["docname"]) for i in changed if i in needs and needs[i].get("docname")}
    docs |= set(_pages(env))
    return sorted(docs & env.found_docs)


def setup_history(app: Sphinx) -> None:
    from policycheck.sphinx.opendata import setup_open_data

    app.add_config_value("policycheck_item_history", True, "html", types=(bool,))
    app.add_node(history_view)
    app.add_node(item_history_slot)
    app.add_directive("policycheck-history", _directive("history"))
    app.add_directive("policycheck-timeline", _directive("timeline", argument=True))
    app.add_directive("policycheck-progress", _directive("progress"))
    app.add_directive("policycheck-open-data", _directive("opendata"))
    # around sphinx-needs replacing its need nodes by their cards (priority 500) and
    # policycheck translating the cards (600)
    app.connect("doctree-resolved", mark, priority=400)
    app.connect("doctree-resolved", resolve, priority=700)
    app.connect("env-get-updated", _outdated)
    setup_open_data(app)
