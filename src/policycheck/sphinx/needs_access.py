"""Every use of sphinx-needs beyond its configuration, in one module.

Public API (``sphinx_needs.api``, documented) is used where it exists. sphinx-needs
9.1 has none for two things the freshness check needs, so they are isolated here:

- the node classes of its aggregate views and need roles (to know which pages show
  other pages' needs): imported from the directive and role packages, never from
  their private ``_``-modules;
- the needs *before* they are resolved and sealed, and the ``needextend``
  directives, when Sphinx asks which pages to rewrite (``env-get-updated``):
  ``sphinx_needs.api.get_needs_view`` must not be called before the write phase,
  as it resolves and locks the needs. ``SphinxNeedsData`` is read, never written,
  but for the order of its needs (``read_order``);
- the need directive, subclassed to note items sphinx-needs did not create
  (``policycheck.sphinx.created``), and the node a need becomes in a doctree (where
  ``policycheck.sphinx.history`` adds an item's history): sphinx-needs documents
  neither class as API, though both live in non-private modules.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# A base class is needed when the subclass is defined, so this one is imported here,
# not in a function (sphinx-needs is imported with policycheck's extension anyway).
from sphinx_needs.directives.need import NeedDirective

__all__ = [
    "NeedDirective",
    "aggregate_node_types",
    "calls_dynamic_function",
    "need_node_type",
    "need_parts",
    "needs_view",
    "read_order",
    "reference_node_types",
    "unresolved_needs",
]


def aggregate_node_types() -> tuple[type[nodes.Node], ...]:
    """Nodes that show needs of the whole project (tables, flows, lists, counts,
    ``needuml``/``needarch`` diagrams, whose Jinja reads any need, and the ``ndf``
    role, a dynamic function's value such as another need's title)."""
    from sphinx_needs.directives.needbar import Needbar
    from sphinx_needs.directives.needextract import Needextract
    from sphinx_needs.directives.needflow import NeedflowGraphiz, NeedflowPlantuml
    from sphinx_needs.directives.needgantt import Needgantt
    from sphinx_needs.directives.needlist import Needlist
    from sphinx_needs.directives.needpie import Needpie
    from sphinx_needs.directives.needsequence import Needsequence
    from sphinx_needs.directives.needtable import Needtable
    from sphinx_needs.directives.needuml import Needuml
    from sphinx_needs.roles.need_count import NeedCount
    from sphinx_needs.roles.need_func import NeedFunc

    return (Needbar, Needextract, NeedflowGraphiz, NeedflowPlantuml, Needgantt, Needlist,
            Needpie, Needsequence, Needtable, Needuml, NeedCount, NeedFunc)  # fmt: skip


def selecting_node_types() -> tuple[
    tuple[type[nodes.Element], ...], type[nodes.Element], type[nodes.Element]
]:
    """The aggregate views whose selection ``selection.selection_of`` can read: those
    that show the needs their filters select and nothing of others (tables, lists,
    flows: a flow draws only the links between the needs it selects), a pie chart and
    a ``need_count``."""
    from sphinx_needs.directives.needflow import NeedflowGraphiz, NeedflowPlantuml
    from sphinx_needs.directives.needlist import Needlist
    from sphinx_needs.directives.needpie import Needpie
    from sphinx_needs.directives.needtable import Needtable
    from sphinx_needs.roles.need_count import NeedCount

    return (Needtable, Needlist, NeedflowGraphiz, NeedflowPlantuml), Needpie, NeedCount


def reference_node_types() -> tuple[type[nodes.Node], ...]:
    """Roles that show another need's title or links: ``need`` first, then
    ``need_outgoing`` and ``need_incoming``."""
    from sphinx_needs.roles.need_incoming import NeedIncoming
    from sphinx_needs.roles.need_outgoing import NeedOutgoing
    from sphinx_needs.roles.need_ref import NeedRef

    return (NeedRef, NeedOutgoing, NeedIncoming)


def calls_dynamic_function(value: Any) -> bool:
    """Whether a value as sphinx-needs parsed it (a ``needextend``'s, e.g. a
    ``FieldFunctionArray``) calls a dynamic function such as ``copy``."""
    from sphinx_needs.functions.functions import DynamicFunctionParsed

    if isinstance(value, DynamicFunctionParsed):
        return True
    items = getattr(value, "value", value)
    return isinstance(items, tuple | list) and any(map(calls_dynamic_function, items))


def need_node_type() -> type[nodes.Element]:
    """The node a need directive leaves in the doctree (the item's box)."""
    from sphinx_needs.nodes import Need

    return Need


def unresolved_needs(env: BuildEnvironment) -> tuple[Mapping[str, Any], Any]:
    """The needs as read (links not yet resolved) and the ``needextend`` directives."""
    from sphinx_needs.data import SphinxNeedsData

    data = SphinxNeedsData(env)
    return data.get_needs_mutable(), data.get_or_create_extends()


def read_order(env: BuildEnvironment) -> None:
    """Put the needs back in the order a clean build reads them: needs of no page
    (external ones, loaded before any page) first, then page by page in Sphinx's
    reading order (sorted names), each page's in its own order. A page read again is
    forgotten and its needs added last, so after an edit a view that lists needs in
    the order found (a needlist, a flow, ``:max_items:``) drew them in another order
    than a clean build, in plain sphinx-needs too. The mapping is reordered in place,
    before sphinx-needs resolves it (``env-get-updated``); only when out of order."""
    from sphinx_needs.data import SphinxNeedsData

    needs = SphinxNeedsData(env).get_needs_mutable()
    position = {doc: n for n, doc in enumerate(sorted(env.found_docs), start=1)}
    last = len(position) + 1  # (a page no longer found)
    ranks = [0 if (doc := need["docname"]) is None else position.get(doc, last)
             for need in needs.values()]  # fmt: skip
    if all(a <= b for a, b in itertools.pairwise(ranks)):
        return
    order = sorted(range(len(ranks)), key=ranks.__getitem__)  # (stable: a page's order)
    items = list(needs.items())
    needs.clear()
    needs.update(items[n] for n in order)


def need_parts(need: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A need's values by name, and its extra (project-defined) fields.

    Read through the need item's own iterators (``iter_core_items``,
    ``iter_extra_items``, ``iter_links_items``), once each: looking the model's
    fields up one by one costs a search of seven tables per name. A plain mapping
    (a need from needs.json) is taken as it is, its extras unknown (None).
    """
    if not hasattr(need, "iter_extra_items"):
        return dict(need), None
    extras = dict(need.iter_extra_items())
    values = {**extras, **dict(need.iter_links_items()), **dict(need.iter_core_items())}
    return values, extras


def needs_view(app: Sphinx) -> Mapping[str, Any]:
    """The resolved needs, read-only (public API; only in the write phase)."""
    from sphinx_needs.api import get_needs_view

    view: Mapping[str, Any] = get_needs_view(app)
    return view
