"""Link integrity, checked the same way with or without Sphinx."""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.domain import LINKS_BY_NAME
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
    misused: set[tuple[str, str]] = set()
    for item, name, target_id in project.edges():
        link = LINKS_BY_NAME[name]
        if item.type not in link.sources:
            if (item.id, name) not in misused:
                misused.add((item.id, name))
                yield RawFinding(
                    item.id,
                    f"{item.type} {item.id} cannot use link '{name}' "
                    f"(only {', '.join(link.sources)})",
                    evidence=f"use\0{name}",
                )
            continue
        target = project.items.get(target_id)
        if target is None:
            yield RawFinding(
                item.id,
                f"{item.id} links to unknown id {target_id} ({name})",
                evidence=f"{name}\0{target_id}",
            )
        elif target.type not in link.targets:
            yield RawFinding(
                item.id,
                f"{item.id} links to {target.type} {target_id} through '{name}', "
                f"which needs {' or '.join(link.targets)}",
                evidence=f"{name}\0{target_id}",
            )
