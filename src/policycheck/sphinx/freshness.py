"""Never stale: an incremental build writes the same pages as a clean one.

sphinx-needs renders back-links, need references and tables (needtable, needflow,
…) when a page is written, from the data of the whole project; but Sphinx writes
only the pages whose source changed, so a page keeps an old "owns" list after an
owner was changed elsewhere (sphinx-needs issue #354). After reading, this module
compares, for every page, a fingerprint of what it shows of *other* pages (the
back-links and linked titles of its needs, the needs it references) with the
fingerprint of the previous build, and has Sphinx rewrite the pages whose view
changed (``env-get-updated``). A page with sphinx-needs' tables, lists, flows, pies
or counts is rewritten when a need its views may select changed (or one that links
to it, or that it links to: ``selection``); a page with other aggregate views (flows
from a root, extracts, filter functions) or policycheck's views whenever any need
changed;
policycheck's views also when the date, its configuration or the baseline changed;
a goal's page when what its timeline shows as overdue changed. A field that a
``needextend`` sets is not read by the selection (its value is set when the views
are drawn); with one that adds or removes links, every aggregate page, every page
with needs and every page referencing one is rewritten on any change. Nothing is
re-read, so a build stays incremental, and the pages listing a page rewritten this
way in their tables of contents are not rewritten with it (its title is as it was:
``spare_parents``). A need whose value calls a dynamic function
(``[[copy("title", "R_1")]]``: in its page, imported, given by a ``needextend`` or by
a field's default in ``conf.py``) shows a value of another: its page is rewritten,
with every aggregate view and the pages referencing or linking it, after any change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from operator import itemgetter
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from policycheck.sphinx.needs_access import (
    aggregate_node_types,
    calls_dynamic_function,
    read_order,
    reference_node_types,
    unresolved_needs,
)
from policycheck.sphinx.pageviews import NeedsIndex, dated, extensions, fingerprints, need_of
from policycheck.sphinx.selection import (
    Extended,
    may_select,
    reads_title,
    selection_of,
    snapshot,
)
from policycheck.sphinx.state import domain_of, memo, per_document, policy_config

_READ = "read"  # the pages read in this build
_SELECTIONS = "selections"  # page -> what each of its aggregate views selects (or None)
_FUNCTIONS = "functions"  # pages whose needs call dynamic functions
# a dynamic function's call: [[copy("title")]] (the need role's [[title]] is none)
_FUNCTION_CALL = re.compile(r"\[\[\s*[A-Za-z_]\w*\s*\(")
_first_item = itemgetter(0)


def source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page whose needs call dynamic functions (``[[copy(...)]]``) shows values of
    other needs that only sphinx-needs' resolution knows: rewritten with the tables."""
    if "[[" in source[0] and _FUNCTION_CALL.search(source[0]):
        domain_of(app.env).data["dynamic"].add(docname)
        per_document(app.env, _FUNCTIONS)[docname] = True


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    data = domain_of(app.env).data
    per_document(app.env, _READ)[docname] = True  # merged from parallel readers
    aggregate, references = aggregate_node_types(), reference_node_types()
    found: dict[str, bool] = {}
    for node in doctree.findall(nodes.Element):
        if isinstance(node, aggregate):
            data["dynamic"].add(docname)
            per_document(app.env, _SELECTIONS).setdefault(docname, []).append(selection_of(node))
        elif isinstance(node, references) and node.get("reftarget"):
            need_id = need_of(str(node["reftarget"]))
            found[need_id] = found.get(need_id, False) or _shows_title(node, references[0])
    if found:
        data["refs"][docname] = sorted(found.items())


def _shows_title(reference: nodes.Element, need_role: type[nodes.Node]) -> bool:
    """Whether a reference shows the need's title: not a ``:need:`` role (the node
    class ``need_role``) with text of its own (``:need:`the committer
    <rl__committer>```), which sphinx-needs shows in place of the title (a text with
    ``[[field]]`` in it shows that field)."""
    text = reference.astext()
    own_text = reference.get("refexplicit") and "[[" not in text
    # (text that is the target itself is no text of its own: the title is shown)
    own_text = own_text and text != str(reference.get("reftarget"))
    return not (own_text and isinstance(reference, need_role))


NeedState = tuple[str, tuple[Any, ...], tuple[tuple[str, str], ...], str | None, tuple[str, ...]]
"""A need as the previous build saw it: a digest of all its data, what filters read
of it (``selection.snapshot``), its links (type and target, a part's too), its page
and the ids of its parts."""


def _differing(now: dict[str, Any], before: dict[str, Any]) -> set[str]:
    """The keys whose value differs between two builds' tables (added and removed
    ones too)."""
    return {key for key in now.keys() | before.keys() if now.get(key) != before.get(key)}


def _need_states(
    index: NeedsIndex, before: dict[str, NeedState], read: set[str], calling: set[str]
) -> dict[str, NeedState]:
    """Every need's state, made again only for the needs of the pages ``read`` in this
    build (and needs of no page); the others' are as they were (``needextend`` is in
    every page's fingerprint). The pages of needs made again whose values call a
    dynamic function (``[[copy("title", "R_1")]]``, written or imported) are added to
    ``calling``."""
    states: dict[str, NeedState] = {}
    for need_id, doc in index.docname.items():
        old = before.get(need_id)
        if doc and doc not in read and old is not None and old[3] == doc:
            states[need_id] = old
            continue
        need = index.needs[need_id]
        core = sorted(need.iter_core_items(), key=_first_item)
        extras = sorted(need.iter_extra_items(), key=_first_item)
        links = sorted(need.iter_links_items(), key=_first_item)
        if doc and need.has_dynamic_fields:
            calling.add(doc)
        digest = hashlib.sha256(repr((need_id, core, extras, links)).encode()).hexdigest()
        links_to = tuple(sorted({(name, t) for name, ts in index.outgoing[need_id] for t in ts}))
        parts = tuple(sorted(need.get("parts") or ()))
        states[need_id] = (digest, snapshot(need), links_to, doc, parts)
    return states


# the settings that may give every need of a type a value (a field's default, its
# predicates, a derived field or link), which sphinx-needs sets after this module
# reads the needs
_DEFAULTS = ("needs_fields", "needs_links", "needs_types", "needs_global_options",
             "needs_extra_options", "needs_extra_links")  # fmt: skip
_DERIVED = ("derive", "derive_by_type")


def _copied_on_any_need(app: Sphinx, extends: Iterable[Any]) -> bool:
    """Whether needs may get values from other needs after this module reads them: a
    dynamic function in a default in ``conf.py``
    (``"default": "[[copy('title', 'R_1')]]"``) or in a ``needextend``, or a derived
    field or link (``"derive": {"kind": "sum", "field": "hours", "over": "links"}``).
    Then any need's page may show a value of another need."""
    if any(
        calls_dynamic_function(value)
        for extend in extends
        for _name, _kind, value in extend["modifications"]
    ):
        return True
    settings = [getattr(app.config, name, None) for name in _DEFAULTS]
    if any(_derives(setting) for setting in settings):
        return True
    text = repr(settings)
    return "[[" in text and _FUNCTION_CALL.search(text) is not None


def _derives(setting: Any, depth: int = 0) -> bool:
    """Whether a setting declares a derived field or link, at any depth (a type's own
    fields too); a field named like the key only costs rewritten pages."""
    if depth > 8:
        return True
    values: Iterable[Any]
    if isinstance(setting, Mapping):
        values = setting.values()
        if any(key in setting for key in _DERIVED):
            return True
    elif isinstance(setting, list | tuple):
        values = setting
    else:
        return False
    return any(_derives(value, depth + 1) for value in values)


def _contents(states: dict[str, NeedState]) -> dict[str, str]:
    """A digest of all the data of each page's needs: what tables and policycheck's
    views can show (a field no page view holds, an indicator, a source)."""
    data: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for need_id, (digest, _snapshot, _links, doc, _parts) in states.items():
        data[doc or ""].append((need_id, digest))  # ("": needs of no page, external ones)
    return {doc: hashlib.sha256(repr(sorted(v)).encode()).hexdigest() for doc, v in data.items()}


def _shown_elsewhere(
    index: NeedsIndex, states: dict[str, NeedState], before: dict[str, NeedState]
) -> set[str]:
    """The needs whose row in a table may look different: those changed, added or
    removed; those a changed need links to or no longer does, or through another
    link type or to another part (their back-links); for a need whose parts changed,
    every need linking to it (a link to a part that is gone is dead); and for a need
    added, removed or moved to another page, every need it links to and every need
    linking to it (a link shows the id and leads to its page)."""
    changed = _differing(states, before)
    shown = set(changed)
    for need_id in changed:
        new, old = states.get(need_id), before.get(need_id)
        # (an external need, of no page: a link to it leads to its URL, which may change)
        sources = (source for _name, source in index.incoming.get(need_id, ()))
        if new is not None and old is not None and new[3] == old[3] and new[3] is not None:
            shown.update(need_of(t) for _name, t in set(new[2]) ^ set(old[2]))
            if new[4] != old[4]:
                shown.update(sources)
            continue
        for state in (new, old):
            if state is not None:
                shown.update(need_of(t) for _name, t in state[2])
        shown.update(sources)
    return shown


def _showing(
    index: NeedsIndex, calling: set[str], refs: dict[str, list[tuple[str, bool]]]
) -> set[str]:
    """The pages that show needs of the pages ``calling`` (whose values a dynamic
    function may copy from any other need) by a reference or a link, with its
    title where the project shows link titles."""
    copying = {i for i, doc in index.docname.items() if doc in calling}
    pages: set[str | None] = {
        doc for doc, shown in refs.items() if any(i in copying for i, _titled in shown)
    }
    for need_id in copying:
        pages.update(
            index.docname.get(need_of(t)) for _n, ts in index.outgoing[need_id] for t in ts
        )
        pages.update(index.docname.get(source) for _n, source in index.incoming.get(need_id, ()))
    return {page for page in pages if page}


def _extended(extends: list[Any]) -> Extended:
    """The fields the ``needextend`` directives set, with the values they append to a
    list (``:+tags: x``), or None where they may set anything."""
    found: dict[str, set[str] | None] = {}
    for extend in extends:
        for name, kind, value in extend["modifications"]:
            literal = getattr(value, "value", None)
            so_far = found.setdefault(name, set())
            if (
                so_far is not None
                and str(kind) == "+"
                and isinstance(literal, list)
                and all(isinstance(v, str) for v in literal)
            ):
                so_far.update(literal)
            else:
                found[name] = None
    return {name: None if v is None else frozenset(v) for name, v in found.items()}


def _selecting(
    pages: set[str],
    selections: dict[str, list[Any]],
    shown: set[str],
    states: dict[str, NeedState],
    before: dict[str, NeedState],
    unsure: Extended,
) -> set[str]:
    """The pages among ``pages`` whose aggregate views may show one of the needs
    ``shown`` (as it is, or as it was; ``unsure``: fields not to be read)."""
    found = set()
    snapshots = [s[1] for i in shown for s in (states.get(i), before.get(i)) if s is not None]
    for page in pages:
        chosen = selections.get(page)
        if (
            chosen is None
            or None in chosen
            or any(
                may_select(selection, need, unsure) for selection in chosen for need in snapshots
            )
        ):
            found.add(page)
    return found


def _data(prints: dict[str, str], contents: dict[str, str]) -> str:
    """Everything sphinx-needs' aggregate views (tables, flows, counts) can show: all
    pages' needs."""
    parts = [json.dumps(sorted(prints.items())), json.dumps(sorted(contents.items()))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _inputs(app: Sphinx, data: str, today: date) -> str:
    """Everything policycheck's views can show: all pages' needs (``data``), the date
    the checks use, and policycheck's configuration and baseline."""
    from pathlib import Path

    policy = policy_config(app)
    baseline = policy.folder(Path(app.confdir)) / policy.baseline
    known = baseline.read_bytes() if baseline.is_file() else b""
    parts = [data, today.isoformat(), repr(policy)]
    return hashlib.sha256("\0".join(parts).encode() + known).hexdigest()


def _navigation(env: BuildEnvironment) -> str:
    """What every page's navigation shows: the pages, their titles and the tables of
    contents (a theme's sidebar holds the whole tree on every page)."""
    titles = sorted((doc, title.astext()) for doc, title in env.titles.items())
    tree = sorted((doc, list(children)) for doc, children in env.toctree_includes.items())
    return hashlib.sha256(repr((sorted(env.found_docs), titles, tree)).encode()).hexdigest()


def outdated_views(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    from policycheck.sphinx.checks import today_of

    state = domain_of(env).data
    read_now = per_document(env, _READ)
    read = set(read_now)
    read_now.clear()  # (the next build's pages read are its own)
    read_order(env)  # (the pages read again put their needs last)
    needs, needextends = unresolved_needs(env)
    today = today_of(app)
    goal = policy_config(app).type_name("goal")
    index = NeedsIndex(needs, goal, today, bool(app.config.needs_show_link_title))
    extends = extensions(needextends)
    # a needextend chosen by a filter that may read a need's title may set what a
    # reference with its own text shows (its status): those references count it too
    by_title = any(
        not e.get("filter_is_id") and reads_title(str(e.get("filter") or ""))
        for e in needextends.values()
    )
    new = fingerprints(env, index, extends, titles_always=by_title)
    changed = _differing(new, state["prints"])  # (a page whose needs were all removed too)
    overdue = dated(index)
    changed |= _differing(overdue, state["dated"])
    before: dict[str, NeedState] = state["needs"]
    calling: set[str] = set()
    states = _need_states(index, before, read, calling)
    if _copied_on_any_need(app, needextends.values()):
        calling.update(doc for doc in index.docname.values() if doc)
    for doc in calling:  # (as source_read marks a page that calls one in its text)
        state["dynamic"].add(doc)
        per_document(env, _FUNCTIONS)[doc] = True
    data = _data(new, _contents(states))
    extended = hashlib.sha256(extends.encode()).hexdigest()
    if extended != state["extends"]:  # every aggregate view may show what they changed
        changed |= state["dynamic"]
    if data != state["data"]:  # a need changed: the pages whose views may show it
        # a needextend sets fields of needs elsewhere when the views are drawn: those
        # fields are not read; one that adds or removes links may change any page
        directives = list(needextends.values())
        links_extended = any(e.get("list_modifications") for e in directives)
        functions = per_document(env, _FUNCTIONS)  # (a need's value copied from any other)
        if not before or links_extended or functions:
            changed |= state["dynamic"]
            if links_extended:  # (any need may gain or lose a link: every back-link list,
                # on the needs' pages and where a role shows them)
                changed |= {doc for doc in index.docname.values() if doc} | set(state["refs"])
            elif functions:
                changed |= _showing(index, set(functions), state["refs"])
        else:
            unsure = _extended(directives)
            shown = _shown_elsewhere(index, states, before)
            aggregate = state["dynamic"] - state["views"]
            changed |= state["views"]  # (policycheck's show every item)
            selections = per_document(env, _SELECTIONS)
            changed |= _selecting(aggregate, selections, shown, states, before, unsure)
    # the date, policycheck's configuration or the baseline changed: its views only (a
    # new day rewrote every table of the host's own needs too)
    inputs = _inputs(app, data, today)
    if inputs != state["inputs"]:
        changed |= state["views"]
    navigation = _navigation(env)
    if state["navigation"] and navigation != state["navigation"]:
        changed |= env.found_docs  # a page added, removed, renamed or moved
    state["prints"], state["data"], state["inputs"] = new, data, inputs
    state["dated"], state["extends"] = overdue, extended
    state["navigation"] = navigation
    state["needs"] = states
    rewritten = changed & env.found_docs
    # pages rewritten for what they show of other pages were not read: their titles
    # and tables of contents are as they were (see spare_parents)
    memo(app)[_NOT_READ] = rewritten - read
    return sorted(rewritten)


_NOT_READ = "rewritten-not-read"
_SPARED = "spared-parents"


def spare_parents(app: Sphinx, builder: object) -> None:
    """Sphinx rewrites, with every page it writes, the pages whose table of contents
    lists it (``files_to_rebuild``): a page read again may have a new title. A page
    rewritten here for what it shows of *other* pages was not read, so its title and
    its headings are as they were, and the pages listing it would be written
    unchanged: they are left out while Sphinx picks the pages to write (``write``,
    right after this event), and put back once a page is written."""
    not_read = memo(app).pop(_NOT_READ, set())
    parents = getattr(app.env, "files_to_rebuild", None)
    if not isinstance(parents, dict):  # (a Sphinx that keeps them otherwise: all written)
        return
    memo(app)[_SPARED] = {doc: parents.pop(doc) for doc in not_read if doc in parents}


def restore_parents(app: Sphinx, *args: object) -> None:
    spared = memo(app).pop(_SPARED, None)
    if spared:
        app.env.files_to_rebuild.update(spared)


def purge_first(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Forget every page to be read before any is read, as Sphinx does when it reads
    in parallel: read one by one in name order, an item moved from ``orgs`` to
    ``org_b`` would meet its old self, still on record, and be dropped as a
    duplicate (the incremental site would then lack it)."""
    for docname in docnames:
        app.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)


def setup_freshness(app: Sphinx) -> None:
    app.connect("source-read", source_read)
    app.connect("doctree-read", doctree_read)
    app.connect("env-before-read-docs", purge_first)
    app.connect("env-get-updated", outdated_views)
    app.connect("write-started", spare_parents)
    app.connect("doctree-resolved", restore_parents)  # (the first page written)
    app.connect("build-finished", restore_parents)
