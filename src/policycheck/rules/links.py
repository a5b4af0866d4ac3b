"""Link integrity, checked the same way with or without Sphinx."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, compress
from operator import attrgetter

from policycheck.domain import LINK_TYPES, LINKS_BY_NAME
from policycheck.i18n import N_
from policycheck.model import LINK_NAMES, Project, link_lists
from policycheck.rules import Context, RawFinding, finding, rule

_WRONG_TYPE = N_("{item} links to {type} {target} through '{link}', which needs {targets}")


_TYPE = attrgetter("type")


def _suspects(project: Project) -> set[str]:
    """The ids of the items that may have a broken link (a superset), worked out link
    type by link type in C: the types of the items that have the link, and each
    distinct target once (most targets are a few organisations, goals and actions that
    many items link to). On a 100,000-item export that costs less than a loop in
    Python over every item's links."""
    items = project.items
    values = items.values()
    found: set[str] = set()
    for name in LINK_NAMES:
        link = LINKS_BY_NAME[name]
        read = attrgetter(name)
        having = list(compress(values, map(read, values)))
        if not having:
            continue
        if not set(map(_TYPE, having)).issubset(link.sources):
            found.update(item.id for item in having if item.type not in link.sources)
        bad = {
            target_id
            for target_id in set(chain.from_iterable(map(read, having)))
            if (target := items.get(target_id)) is None or target.type not in link.targets
        }
        if bad:
            found.update(item.id for item in having if not bad.isdisjoint(read(item)))
    return found


def link_integrity(project: Project, ctx: Context) -> Iterator[RawFinding]:
    links = [LINKS_BY_NAME[name] for name in LINK_NAMES]
    items = project.items
    suspects = _suspects(project)
    # every link once, in the order of Project.edges (of the items that may fail)
    for item in compress(items.values(), map(suspects.__contains__, items)):
        lists = link_lists(item)
        # (the links an item has, picked out in C: most of its link lists are empty)
        for link, targets in compress(zip(links, lists, strict=True), lists):
            name = link.name
            if item.type not in link.sources:
                yield finding(
                    item.id,
                    N_("{type} {item} cannot use link '{link}' (only {sources})"),
                    evidence=f"use\0{name}",
                    type=item.type,
                    item=item.id,
                    link=name,
                    sources=", ".join(link.sources),
                )
                continue
            for target_id in targets:
                target = items.get(target_id)
                if target is None:
                    yield finding(
                        item.id,
                        N_("{item} links to unknown id {target} ({link})"),
                        evidence=f"{name}\0{target_id}",
                        item=item.id,
                        target=target_id,
                        link=name,
                    )
                elif target.type not in link.targets:
                    yield finding(
                        item.id,
                        _WRONG_TYPE,
                        evidence=f"{name}\0{target_id}",
                        item=item.id,
                        type=target.type,
                        target=target_id,
                        link=name,
                        targets=" or ".join(link.targets),
                    )


rule(
    name="link-integrity",
    reads=tuple(link.name for link in LINK_TYPES),
    code="PC501",
    severity="error",
    title=N_("Links are intact"),
    summary=N_(
        "No link to an unknown id or to the wrong type (also in standalone mode, without Sphinx)."
    ),
    rationale=N_(
        "A mistyped id silently breaks the chain from decision to goal to action to owner: "
        "the goal then looks unowned, or the action seems to implement nothing. Each link "
        "type also has a meaning only between certain types (an action implements a goal, "
        "an owner is an organisation)."
    ),
    bad="""```{org} Economic development
:id: O_ECON
```

```{action} Investor service desk
:id: A_DESK
:owner: O_ECNO
```""",
    good="""```{org} Economic development
:id: O_ECON
```

```{action} Investor service desk
:id: A_DESK
:owner: O_ECON
```""",
    check=link_integrity,
)
