"""Link integrity, checked the same way with or without Sphinx."""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.domain import LINK_TYPES
from policycheck.model import Project
from policycheck.rules import Context, RawFinding, rule


@rule(
    name="link-integrity",
    code="PC501",
    severity="error",
    summary="No link to an unknown id or to the wrong type (also in standalone mode, without "
    "Sphinx).",
    rationale="""
A mistyped id silently breaks the chain from decision to goal to action to owner:
the goal then looks unowned, or the action seems to implement nothing. Each link
type also has a meaning only between certain types (an action implements a goal,
an owner is an organisation).
""",
    bad="""```{action} Investor service desk
:id: A_DESK
:implements: G_INVSET
```""",
    good="""```{action} Investor service desk
:id: A_DESK
:implements: G_INVEST
```""",
)
def link_integrity(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for item in project.items.values():
        for link in LINK_TYPES:
            targets = item.links(link.name)
            if not targets:
                continue
            if item.type not in link.sources:
                yield RawFinding(
                    item.id,
                    f"{item.type} {item.id} cannot use link '{link.name}' "
                    f"(only {', '.join(link.sources)})",
                )
                continue
            for target_id in targets:
                target = project.items.get(target_id)
                if target is None:
                    yield RawFinding(
                        item.id, f"{item.id} links to unknown id {target_id} ({link.name})"
                    )
                elif target.type not in link.targets:
                    yield RawFinding(
                        item.id,
                        f"{item.id} links to {target.type} {target_id} through '{link.name}', "
                        f"which needs {' or '.join(link.targets)}",
                    )
