"""What each page shows of other pages' needs, as fingerprints that freshness compares
from build to build: a need's title, status and page, where its links lead, its
back-links, a goal's timeline and what it shows as overdue today, and the
``needextend`` directives, which change needs of other pages."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date
from typing import Any

from sphinx.environment import BuildEnvironment

from policycheck.history.progress import late_on
from policycheck.sphinx.state import domain_of


def need_of(reference: str) -> str:
    """The id of the need a link or reference names (``G_1.part``: a part of ``G_1``)."""
    return reference.split(".")[0]


# What a goal's timeline shows of the items linked to it (history.goal_timeline)
_SHOWN = ("title", "status", "due", "cadence", "date", "type", "docname")


# Where a need stands in its file: no reference shows it (a line added above a need
# would rewrite every page referencing it)
_WHERE_IN_ITS_FILE = frozenset(("lineno", "lineno_content"))


class NeedsIndex:
    """The needs as read, with what each page can show of the others."""

    def __init__(self, needs: Any, goal_type: str, today: date, link_titles: bool = False) -> None:
        self.needs, self.goal_type, self.today = needs, goal_type, today
        # (``needs_show_link_title``: a need's links and back-links show their titles)
        self.link_titles = link_titles
        self.outgoing: dict[str, list[tuple[str, list[str]]]] = {}
        # target id -> (link name, source id): back-links computed from the outgoing
        # links, as the needs are not post-processed yet when Sphinx asks
        self.incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.docname: dict[str, str | None] = {}
        self._shown: dict[str, tuple[Any, ...]] = {}
        self._whole: dict[tuple[str, bool], tuple[Any, ...]] = {}
        for need_id, need in needs.items():
            self.docname[need_id] = need["docname"]
            out = [
                (name, [str(t) for t in targets])
                for name, targets in need.iter_links_items()
                if targets  # (every link type: the project's own too)
            ]
            self.outgoing[need_id] = out
            for name, targets in out:
                for target in targets:
                    self.incoming[need_of(target)].append((name, need_id))

    def shown(self, need_id: str) -> tuple[Any, ...]:
        """The fields of ``need_id`` a page may show in a table or timeline."""
        found = self._shown.get(need_id)
        if found is None:
            need = self.needs.get(need_id)
            found = (need_id, None) if need is None else (need_id, *map(need.get, _SHOWN))
            self._shown[need_id] = found
        return found

    def view(self, need_id: str) -> tuple[Any, ...]:
        """What a page shows of ``need_id`` that other pages can change: where its
        links lead (sphinx-needs links each id to its page) and whether they are dead,
        its back-links, and for
        a goal, the items of its timeline (decisions, actions, their follow-ups)."""
        need = self.needs[need_id]
        out = tuple(
            (name, tuple(self._end(t) for t in targets)) for name, targets in self.outgoing[need_id]
        )
        incoming = tuple(
            sorted((name, *self._end(s)) for name, s in self.incoming.get(need_id, ()))
        )
        timeline = tuple(self.shown(i) for i in self._timeline(need_id))
        # (its page too: a reference to it leads there)
        return (need_id, self.docname[need_id], need["title"], need["status"], out, incoming,
                timeline)  # fmt: skip

    def whole(self, need_id: str, titled: bool = True) -> tuple[Any, ...]:
        """All of a need, its parts too, and its :meth:`view`: what a reference to it
        can show (``needs_role_need_template``, ``[[field]]`` in the role's text, a
        part's text); without its title for a reference that shows its own text."""
        found = self._whole.get((need_id, titled))
        if found is None:  # (many pages may reference one need: made once per build)
            need = self.needs[need_id]
            core = [
                (k, v)
                for k, v in need.iter_core_items()
                if k not in _WHERE_IN_ITS_FILE and (titled or k != "title")
            ]
            view = self.view(need_id)
            if not titled:
                view = view[:2] + view[3:]  # (the view's title)
            items = (sorted(core), sorted(need.iter_extra_items()))
            found = self._whole[need_id, titled] = (view, repr(items), repr(need.get("parts")))
        return found

    def _end(self, target: str) -> tuple[Any, ...]:
        """What a link shows of the need at its other end: where it leads (its page,
        or an external need's address), whether it is dead, and its title where the
        project shows link titles."""
        need = self.needs.get(need_of(target))
        if need is None:
            return (target, None, False)
        part = target.partition(".")[2]
        alive = not part or part in (need.get("parts") or {})
        shown = (target, self.docname.get(need_of(target)), need.get("external_url"), alive)
        return (*shown, need["title"]) if self.link_titles else shown

    def overdue(self, need_id: str) -> tuple[str, ...]:
        """What a goal's timeline shows as overdue today (the one part of a page that
        changes with the date alone): the goal and its items that are late."""
        if self.needs[need_id]["type"] != self.goal_type:
            return ()
        return tuple(i for i in [need_id, *self._timeline(need_id)] if self._late(i))

    def _timeline(self, need_id: str) -> list[str]:
        """The items of a goal's timeline, in order (none for another need): those
        linking to it (decisions, actions) and the follow-ups tracking those."""
        if self.needs[need_id]["type"] != self.goal_type:
            return []
        linked = {s for _name, s in self.incoming.get(need_id, ())}
        linked |= {f for s in linked for name, f in self.incoming.get(s, ()) if name == "tracks"}
        return sorted(linked)

    def _late(self, need_id: str) -> bool:
        need = self.needs.get(need_id)
        return need is not None and late_on(need.get("due"), need.get("status"), self.today)


def extensions(needextends: Any) -> str:
    """The ``needextend`` directives, which change needs of other pages, in the order
    sphinx-needs applies them (priority, page, line), without their line numbers: a
    line added above one in its file changes nothing they do (it rewrote every page)."""
    ordered = sorted(
        needextends.values(),
        key=lambda e: (e.get("extend_priority", 500), e.get("docname") or "", e.get("lineno") or 0),
    )
    return repr(
        [
            json.dumps({k: v for k, v in e.items() if k != "lineno"}, sort_keys=True, default=str)
            for e in ordered
        ]
    )


def fingerprints(
    env: BuildEnvironment, index: NeedsIndex, extends: str, titles_always: bool = False
) -> dict[str, str]:
    """Per page, a digest of what it shows of other pages' needs (``extends``: the
    needextends, see :func:`extensions`, on which every page with needs depends;
    ``titles_always``: a reference with its own text counts the need's title too)."""
    views: dict[str, list[Any]] = defaultdict(lambda: [extends])
    for need_id, doc in index.docname.items():
        if doc:
            views[doc].append(index.view(need_id))
    for docname, shown in domain_of(env).data["refs"].items():
        views[docname].append(
            tuple(
                index.whole(i, titled or titles_always) if i in index.needs else i
                for i, titled in shown
            )
        )
    return {doc: hashlib.sha256(repr(view).encode()).hexdigest() for doc, view in views.items()}


def dated(index: NeedsIndex) -> dict[str, str]:
    """Per page with goals, a digest of what their timelines show as overdue today."""
    late: dict[str, list[Any]] = defaultdict(list)
    for need_id, doc in index.docname.items():
        if doc and (overdue := index.overdue(need_id)):
            late[doc].append(overdue)
    return {doc: hashlib.sha256(repr(v).encode()).hexdigest() for doc, v in late.items()}
