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

from policycheck.domain import vocabulary
from policycheck.sphinx.needs_access import (
    aggregate_node_types,
    reference_node_types,
    unresolved_needs,
)
from policycheck.sphinx.state import domain_of, policy_config


def _link_fields() -> tuple[str, ...]:
    return ("links", "parent_needs", *(link.name for link in vocabulary().links))


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    data = domain_of(app.env).data
    aggregate, references = aggregate_node_types(), reference_node_types()
    found: set[str] = set()
    for node in doctree.findall(nodes.Element):
        if isinstance(node, aggregate):
            data["dynamic"].add(docname)
        elif isinstance(node, references) and node.get("reftarget"):
            found.add(str(node["reftarget"]).split(".")[0])
    if found:
        data["refs"][docname] = sorted(found)


def _incoming(needs: Any) -> dict[str, dict[str, list[str]]]:
    """Back-links computed from the outgoing links: the needs are not post-processed
    yet when Sphinx asks which pages to rewrite."""
    back: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    link_fields = _link_fields()
    for need in needs.values():
        for name in link_fields:
            for target in need.get(name) or []:
                back[str(target).split(".")[0]][name].append(need["id"])
    return back


def _view(
    need: Any, needs: Any, back: dict[str, dict[str, list[str]]], link_fields: tuple[str, ...]
) -> list[Any]:
    """What a page shows of a need that other pages can change."""
    incoming = {name: sorted(ids) for name, ids in back.get(need["id"], {}).items()}
    linked = sorted(
        {str(t).split(".")[0] for name in link_fields for t in (need.get(name) or [])}
        | {i for ids in incoming.values() for i in ids}
    )
    titles = [(t, needs[t]["title"] if t in needs else None) for t in linked]
    return [need["id"], need.get("title"), need.get("status"), incoming, titles]


def fingerprints(env: BuildEnvironment) -> dict[str, str]:
    needs, needextends = unresolved_needs(env)
    back, link_fields = _incoming(needs), _link_fields()
    # needextend changes needs of other pages: every page with needs depends on it
    extends = json.dumps(needextends, sort_keys=True, default=str)
    views: dict[str, list[Any]] = defaultdict(lambda: [extends])
    for need in needs.values():
        if need.get("docname"):
            views[str(need["docname"])].append(_view(need, needs, back, link_fields))
    for docname, ids in domain_of(env).data["refs"].items():
        views[docname].append(
            [_view(needs[i], needs, back, link_fields) if i in needs else i for i in ids]
        )
    return {
        doc: hashlib.sha256(json.dumps(view, sort_keys=True, default=str).encode()).hexdigest()
        for doc, view in views.items()
    }


def _inputs(app: Sphinx, prints: dict[str, str]) -> str:
    """Everything an aggregate page can show: all pages' needs, the date the checks
    use, and policycheck's configuration and baseline."""
    from pathlib import Path

    from policycheck.sphinx.checks import today_of

    policy = policy_config(app)
    baseline = policy.folder(Path(app.confdir)) / policy.baseline
    known = baseline.read_bytes() if baseline.is_file() else b""
    parts = [json.dumps(sorted(prints.items())), today_of(app).isoformat(), repr(policy)]
    return hashlib.sha256("\0".join(parts).encode() + known).hexdigest()


def outdated_views(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    state = domain_of(env).data
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
    app.connect("env-get-updated", outdated_views)
