"""Progress at a glance: each goal's share of actions done, and what is late.

The counting is the rules' own: a goal's actions are those ``actions_of`` counts
(implementing it, not cancelled), so the site's progress and the checker agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from policycheck.model import Item, Project
from policycheck.rules.plan import actions_of, parse_date

DONE = "done"
# Statuses after which a due date no longer matters (CONTRACT.md's statuses).
FINISHED = frozenset({"done", "cancelled", "achieved", "dropped", "superseded", "revoked"})


def progress(project: Project, goal: Item) -> tuple[int, int]:
    """(actions done, actions counted) of ``goal``; cancelled actions do not count."""
    actions = actions_of(project, goal)
    return sum(1 for a in actions if a.status == DONE), len(actions)


def is_late(item: Item, today: date) -> bool:
    """Whether ``item`` has a due date before ``today`` and is not finished."""
    return late_on(item.due, item.status, today)


def late_on(due: str | None, status: str | None, today: date) -> bool:
    """:func:`is_late` of an item with this due date and status (as sphinx-needs
    holds them, before the model is made)."""
    day = parse_date(due)
    return day is not None and day < today and status not in FINISHED


@dataclass(frozen=True)
class OrgLoad:
    org: Item
    owns: list[Item]
    late: list[Item]


def by_organisation(project: Project, today: date) -> list[OrgLoad]:
    """Per organisation (by id), the items it owns and which of them are late."""
    out = []
    for org in sorted(project.of_type("org"), key=lambda o: o.id):
        owns = sorted(project.linked_from("owner", org.id), key=lambda i: (i.type, i.id))
        out.append(OrgLoad(org, owns, [i for i in owns if is_late(i, today)]))
    return out
