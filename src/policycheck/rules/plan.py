"""Rules on the plan itself: every goal has an action, an owner and a follow-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from policycheck.domain import VOCABULARY, Phase
from policycheck.model import Item, Project
from policycheck.rules import Context, RawFinding, rule

# What statuses mean (domain.ITEM_TYPES, by phase): a dropped goal asks for nothing,
# a cancelled action does not count, a dissolved organisation owns nothing.
DROPPED = VOCABULARY.statuses_in("goal", Phase.WITHDRAWN)
CANCELLED = VOCABULARY.statuses_in("action", Phase.WITHDRAWN)
DISSOLVED = VOCABULARY.statuses_in("org", Phase.WITHDRAWN)
CLOSED_GOAL = VOCABULARY.statuses_in("goal", Phase.WITHDRAWN, Phase.DONE)
FOLLOWUP_DONE = VOCABULARY.statuses_in("followup", Phase.DONE)


def _counting_actions(project: Project) -> dict[str, list[Item]]:
    by_goal: dict[str, list[Item]] = {}
    for action in project.of_type("action"):
        if action.status not in CANCELLED:
            for goal_id in action.implements:
                by_goal.setdefault(goal_id, []).append(action)
    return by_goal


def actions_of(project: Project, goal: Item) -> list[Item]:
    """Actions implementing ``goal`` that still count (not cancelled)."""
    by_goal: dict[str, list[Item]] = project.derived("counting-actions", _counting_actions)
    return by_goal.get(goal.id, [])


def followups_of(project: Project, goal: Item) -> list[Item]:
    """Follow-ups tracking the goal itself or one of its counting actions."""
    tracked_by = project.incoming("tracks")  # fetched once: this runs for every goal
    found = [f for f in tracked_by.get(goal.id, ()) if f.type == "followup"]
    for action in actions_of(project, goal):
        for f in tracked_by.get(action.id, ()):
            if f.type == "followup" and f not in found:
                found.append(f)
    return found


def _has_owner(project: Project, item: Item) -> bool:
    """Whether an existing organisation that is not dissolved owns ``item``."""
    items = project.items
    return any(
        (o := items.get(i)) is not None and o.type == "org" and o.status not in DISSOLVED
        for i in item.owner
    )


def followup_gaps(project: Project, followup: Item) -> list[str]:
    """What a follow-up lacks to count: an owner, a due date or cadence, an indicator."""
    gaps = []
    if not _has_owner(project, followup):
        gaps.append("an owner")
    if not (followup.due or followup.cadence):
        gaps.append("a due date or cadence")
    if not (followup.indicator or "").strip():
        gaps.append("an indicator")
    return gaps


def _open_goals(project: Project) -> Iterator[Item]:
    return (g for g in project.of_type("goal") if g.status not in DROPPED)


@rule(
    name="goal-has-action",
    applies_to=("goal",),
    code="PC101",
    severity="error",
    summary="Every goal that is not dropped has at least one action implementing it that is "
    "not cancelled.",
    rationale="""
A goal without an action is a wish. The register must show, for each goal, what
the city will actually do about it; a cancelled action no longer does anything.
""",
    bad="""```{goal} Attract investment
:id: G_INVEST
```""",
    good="""```{goal} Attract investment
:id: G_INVEST
```

```{action} Investor service desk
:id: A_DESK
:implements: G_INVEST
```""",
)
def goal_has_action(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for goal in _open_goals(project):
        if actions_of(project, goal):
            continue
        cancelled = [a.id for a in project.linked_from("implements", goal.id) if a.type == "action"]
        extra = f" (cancelled: {', '.join(cancelled)})" if cancelled else ""
        yield RawFinding(goal.id, f"goal {goal.id} has no action{extra}")


@rule(
    name="goal-has-owner",
    applies_to=("goal",),
    code="PC102",
    severity="error",
    summary="Every goal has exactly one owner, an existing organisation that is not dissolved.",
    rationale="""
Accountability needs one name on the door. Two owners mean nobody; an owner that
was dissolved in a reorganisation means the goal was silently orphaned.
An achieved or dropped goal may keep the owner it had.
""",
    bad="""```{goal} Attract investment
:id: G_INVEST
:owner: O_OLD_DEPT
```
(where `O_OLD_DEPT` has `:status: dissolved`)""",
    good="""```{goal} Attract investment
:id: G_INVEST
:owner: O_ECON
```""",
)
def goal_has_owner(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for goal in project.of_type("goal"):
        ids = goal.links("owner")
        if not ids:
            yield RawFinding(goal.id, f"goal {goal.id} has no owner")
            continue
        if len(ids) > 1:
            yield RawFinding(
                goal.id, f"goal {goal.id} has {len(ids)} owners ({', '.join(ids)}); one is needed"
            )
            continue
        owner = project.items.get(ids[0])
        if owner is None or owner.type != "org":
            yield RawFinding(goal.id, f"owner {ids[0]} of goal {goal.id} is not an organisation")
        elif owner.status in DISSOLVED and goal.status not in CLOSED_GOAL:
            yield RawFinding(goal.id, f"owner {owner.id} of open goal {goal.id} is dissolved")


@rule(
    name="goal-has-followup",
    applies_to=("goal",),
    code="PC103",
    severity="error",
    summary="Every goal that is not dropped is tracked by at least one follow-up that has an "
    "owner, a due date or a cadence, and an indicator.",
    rationale="""
Without follow-up nobody learns whether the goal was reached. A follow-up counts
only when someone owns it, it is due at a date or recurs, and it says what is
measured. A follow-up may track the goal or one of the goal's actions.
""",
    bad="""```{followup} Annual review
:id: F_REVIEW
:tracks: G_INVEST
```""",
    good="""```{followup} Annual review
:id: F_REVIEW
:tracks: G_INVEST
:owner: O_ECON
:cadence: annual
:indicator: Number of new foreign-owned companies
```""",
)
def goal_has_followup(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for goal in _open_goals(project):
        followups = followups_of(project, goal)
        if not followups:
            yield RawFinding(goal.id, f"goal {goal.id} has no follow-up")
            continue
        if any(not followup_gaps(project, f) for f in followups):
            continue
        gaps = {f.id: followup_gaps(project, f) for f in followups}
        if all(gaps.values()):
            detail = "; ".join(f"{fid} lacks {', '.join(g)}" for fid, g in gaps.items())
            yield RawFinding(goal.id, f"goal {goal.id} has no complete follow-up: {detail}")


@rule(
    name="followup-overdue",
    applies_to=("followup",),
    code="PC104",
    severity="warning",
    summary='A follow-up whose due date is before "today" is done, or it is reported.',
    rationale="""
A date that passed without a report is the first sign a plan has stalled. `today`
is the real date unless `--today` fixes it, so a report can be reproduced.
""",
    bad="""```{followup} Interim report
:id: F_INTERIM
:due: 2020-06-30
:status: scheduled
```""",
    good="""```{followup} Interim report
:id: F_INTERIM
:due: 2020-06-30
:status: done
```""",
)
def followup_overdue(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for followup in project.of_type("followup"):
        if followup.status in FOLLOWUP_DONE or not followup.due:
            continue
        due = parse_date(followup.due)
        if due is not None and due < ctx.today:
            yield RawFinding(
                followup.id, f"follow-up {followup.id} was due {due.isoformat()} and is not done"
            )


def parse_date(value: str | None) -> date | None:
    """An ISO date, or None when the value is not one (the schema reports that)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None
