"""Never stale: an incremental build writes the same pages as a clean one.

sphinx-needs renders back-links, need references and tables (needtable, needflow,
…) when a page is written, from the data of the whole project; but Sphinx writes
only the pages whose source changed, so a page keeps an old "owns" list after an
owner was changed elsewhere (sphinx-needs issue #354). After reading, this module
compares, for every page, a fingerprint of what it shows of *other* pages (the
back-links and linked titles of its needs, the needs it references) with the
fingerprint of the previous build, and has Sphinx rewrite the pages whose view
changed (``env-get-updated``). Pages with aggregate views (tables, flows,
policycheck's register) are rewritten whenever any need, the date, the
configuration or the baseline changed. Nothing is re-read, so a
build stays incremental.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from policycheck.domain import LINK_TYPES

_LINK_FIELDS = ("links", "parent_needs", *(link.name for link in LINK_TYPES))


def _aggregate_nodes() -> tuple[type[nodes.Node], ...]:
    from sphinx_needs.directives.needbar import Needbar
    from sphinx_needs.directives.needextract import Needextract
    from sphinx_needs.directives.needflow._directive import NeedflowGraphiz, NeedflowPlantuml
    from sphinx_needs.directives.needgantt import Needgantt
    from sphinx_needs.directives.needlist import Needlist
    from sphinx_needs.directives.needpie import Needpie
    from sphinx_needs.directives.needsequence import Needsequence
    from sphinx_needs.directives.needtable import Needtable
    from sphinx_needs.roles.need_count import NeedCount

    return (Needbar, Needextract, NeedflowGraphiz, NeedflowPlantuml, Needgantt, Needlist,
            Needpie, Needsequence, Needtable, NeedCount)  # fmt: skip


def _ref_nodes() -> tuple[type[nodes.Node], ...]:
    from sphinx_needs.roles.need_incoming import NeedIncoming
    from sphinx_needs.roles.need_outgoing import NeedOutgoing
    from sphinx_needs.roles.need_ref import NeedRef

    return (NeedRef, NeedOutgoing, NeedIncoming)


def _state(env: BuildEnvironment) -> dict[str, Any]:
    if not hasattr(env, "policycheck_freshness"):
        env.policycheck_freshness = {  # type: ignore[attr-defined]
            "dynamic": set(),  # docs with aggregate views
            "refs": {},  # doc -> need ids it references inline
            "prints": {},  # doc -> fingerprint of the previous build
        }
    state: dict[str, Any] = env.policycheck_freshness  # type: ignore[attr-defined]
    return state


def mark_dynamic(env: BuildEnvironment, docname: str) -> None:
    _state(env)["dynamic"].add(docname)
    _state(env).setdefault("policycheck_views", set()).add(docname)


def has_views(env: BuildEnvironment, docname: str) -> bool:
    """Whether the page holds a policycheck view (no need to search its doctree)."""
    return docname in _state(env).get("policycheck_views", ())


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    state = _state(app.env)
    aggregate, references = _aggregate_nodes(), _ref_nodes()
    found: set[str] = set()
    for node in doctree.findall(nodes.Element):
        if isinstance(node, aggregate):
            state["dynamic"].add(docname)
        elif isinstance(node, references) and node.get("reftarget"):
            found.add(str(node["reftarget"]).split(".")[0])
    if found:
        state["refs"][docname] = sorted(found)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    state = _state(env)
    state["dynamic"].discard(docname)
    state.setdefault("policycheck_views", set()).discard(docname)
    state["refs"].pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    state, theirs = _state(env), _state(other)
    state["dynamic"] |= theirs["dynamic"] & docnames
    views = state.setdefault("policycheck_views", set())
    views |= theirs.get("policycheck_views", set()) & docnames
    state["refs"].update({d: r for d, r in theirs["refs"].items() if d in docnames})


def _incoming(needs: Any) -> dict[str, dict[str, list[str]]]:
    """Back-links computed from the outgoing links: the needs are not post-processed
    yet when Sphinx asks which pages to rewrite."""
    back: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for need in needs.values():
        for name in _LINK_FIELDS:
            for target in need.get(name) or []:
                back[str(target).split(".")[0]][name].append(need["id"])
    return back


def _view(need: Any, needs: Any, back: dict[str, dict[str, list[str]]]) -> list[Any]:
    """What a page shows of a need that other pages can change."""
    incoming = {name: sorted(ids) for name, ids in back.get(need["id"], {}).items()}
    linked = sorted(
        {str(t).split(".")[0] for name in _LINK_FIELDS for t in (need.get(name) or [])}
        | {i for ids in incoming.values() for i in ids}
    )
    titles = [(t, needs[t]["title"] if t in needs else None) for t in linked]
    return [need["id"], need.get("title"), need.get("status"), incoming, titles]


def fingerprints(env: BuildEnvironment) -> dict[str, str]:
    from sphinx_needs.data import SphinxNeedsData

    data = SphinxNeedsData(env)
    needs = data.get_needs_mutable()
    back = _incoming(needs)
    # needextend changes needs of other pages: every page with needs depends on it
    extends = json.dumps(data.get_or_create_extends(), sort_keys=True, default=str)
    views: dict[str, list[Any]] = defaultdict(lambda: [extends])
    for need in needs.values():
        if need.get("docname"):
            views[str(need["docname"])].append(_view(need, needs, back))
    for docname, ids in _state(env)["refs"].items():
        views[docname].append([_view(needs[i], needs, back) if i in needs else i for i in ids])
    return {
        doc: hashlib.sha256(json.dumps(view, sort_keys=True, default=str).encode()).hexdigest()
        for doc, view in views.items()
    }


def _inputs(app: Sphinx, prints: dict[str, str]) -> str:
    """Everything an aggregate page can show: all pages' needs, the date the checks
    use, and policycheck's configuration and baseline."""
    from pathlib import Path

    from policycheck.sphinx.checks import today_of

    policy = getattr(app, "policycheck_config", None)
    baseline = policy.folder(Path(app.confdir)) / policy.baseline if policy else None
    known = baseline.read_bytes() if baseline and baseline.is_file() else b""
    parts = [json.dumps(sorted(prints.items())), today_of(app).isoformat(), repr(policy)]
    return hashlib.sha256("\0".join(parts).encode() + known).hexdigest()


def outdated_views(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    state = _state(env)
    new = fingerprints(env)
    old: dict[str, str] = state["prints"]
    changed = {doc for doc, print_ in new.items() if old.get(doc) != print_}
    changed |= set(old) - set(new)  # a page whose needs were all removed
    inputs = _inputs(app, new)
    if inputs != state.get("inputs"):
        changed |= state["dynamic"]
    state["prints"], state["inputs"] = new, inputs
    return sorted(changed & env.found_docs)


def setup_freshness(app: Sphinx) -> None:
    app.connect("doctree-read", doctree_read)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-updated", outdated_views)
