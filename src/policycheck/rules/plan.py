"""Rules on the plan itself: every goal has an action, an owner and a follow-up."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from datetime import date

from policycheck.domain import VOCABULARY, Phase
from policycheck.findings import Listing, Message
from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.rules import Context, RawFinding, finding, rule

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
    for owner_id in item.owner:
        owner = items.get(owner_id)
        if owner is not None and owner.type == "org" and owner.status not in DISSOLVED:
            return True
    return False


_NO_OWNER = Message(N_("an owner"))
_NO_SCHEDULE = Message(N_("a due date or cadence"))
_NO_INDICATOR = Message(N_("an indicator"))


def followup_gaps(project: Project, followup: Item) -> list[Message]:
    """What a follow-up lacks to count: an owner, a due date or cadence, an indicator."""
    gaps = []
    if not _has_owner(project, followup):
        gaps.append(_NO_OWNER)
    if not (followup.due or followup.cadence):
        gaps.append(_NO_SCHEDULE)
    if not (followup.indicator or "").strip():
        gaps.append(_NO_INDICATOR)
    return gaps


def _open_goals(project: Project) -> Iterator[Item]:
    return (g for g in project.of_type("goal") if g.status not in DROPPED)


_ORG = """```{org} Economic development
:id: O_ECON
```"""
_GOAL = """```{goal} Attract investment
:id: G_INVEST
:owner: O_ECON
```"""
_ACTION = """```{action} Investor service desk
:id: A_DESK
:implements: G_INVEST
:owner: O_ECON
```"""
_FOLLOWUP = """```{followup} Annual review
:id: F_REVIEW
:tracks: G_INVEST
:owner: O_ECON
:cadence: annual
:indicator: Number of new foreign-owned companies
```"""


def goal_has_action(project: Project, ctx: Context) -> Iterator[RawFinding]:
    counted: dict[str, list[Item]] = project.derived("counting-actions", _counting_actions)
    for goal in _open_goals(project):
        if counted.get(goal.id):  # actions_of(project, goal), without a call per goal
            continue
        cancelled = [a.id for a in project.linked_from("implements", goal.id) if a.type == "action"]
        if cancelled:
            yield finding(
                goal.id,
                N_("goal {goal} has no action (cancelled: {cancelled})"),
                goal=goal.id,
                cancelled=", ".join(cancelled),
            )
        else:
            yield finding(goal.id, N_("goal {goal} has no action"), goal=goal.id)


rule(
    name="goal-has-action",
    applies_to=("goal",),
    reads=("status", "implements"),
    goal_completeness=True,
    code="PC101",
    severity="error",
    title=N_("Every goal has an action"),
    summary=N_(
        "Every goal that is not dropped has at least one action implementing it that is "
        "not cancelled."
    ),
    rationale=N_(
        "A goal without an action is a wish. The register must show, for each goal, what "
        "the city will actually do about it; a cancelled action no longer does anything."
    ),
    bad="\n\n".join((_ORG, _GOAL, _FOLLOWUP)),
    good="\n\n".join((_ORG, _GOAL, _ACTION, _FOLLOWUP)),
    check=goal_has_action,
)


def goal_has_owner(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for goal in project.of_type("goal"):
        ids = goal.links("owner")
        if not ids:
            yield finding(goal.id, N_("goal {goal} has no owner"), goal=goal.id)
            continue
        if len(ids) > 1:
            yield finding(
                goal.id,
                N_("goal {goal} has {count} owners ({owners}); one is needed"),
                goal=goal.id,
                count=len(ids),
                owners=", ".join(ids),
            )
            continue
        owner = project.items.get(ids[0])
        if owner is None or owner.type != "org":
            yield finding(
                goal.id,
                N_("owner {owner} of goal {goal} is not an organisation"),
                owner=ids[0],
                goal=goal.id,
            )
        elif owner.status in DISSOLVED and goal.status not in CLOSED_GOAL:
            yield finding(
                goal.id,
                N_("owner {owner} of open goal {goal} is dissolved"),
                owner=owner.id,
                goal=goal.id,
            )


rule(
    name="goal-has-owner",
    applies_to=("goal",),
    reads=("status", "owner"),
    goal_completeness=True,
    code="PC102",
    severity="error",
    title=N_("Every goal has one owner"),
    summary=N_("Every goal has exactly one owner, an existing organisation that is not dissolved."),
    rationale=N_(
        "Accountability needs one name on the door. Two owners mean nobody; an owner that "
        "was dissolved in a reorganisation means the goal was silently orphaned. An achieved "
        "or dropped goal may keep the owner it had."
    ),
    bad="""```{org} Old department
:id: O_OLD_DEPT
:status: dissolved
```

```{goal} Attract investment
:id: G_INVEST
:owner: O_OLD_DEPT
```

"""
    + "\n\n".join((_ORG, _ACTION, _FOLLOWUP)),
    good="\n\n".join((_ORG, _GOAL, _ACTION, _FOLLOWUP)),
    check=goal_has_owner,
)


def _tracking(project: Project) -> tuple[dict[str, Message | None], set[str]]:
    """What each follow-up that tracks something lacks (``followup_gaps``), by id, as
    the goal's finding says it (None: nothing), and the ids tracked by a follow-up
    that lacks nothing (as ``followups_of`` finds follow-ups: through the items'
    ``tracks`` links)."""
    lacking: dict[str, Message | None] = {}
    complete: set[str] = set()
    for target, trackers in project.incoming("tracks").items():
        for f in trackers:
            if f.type != "followup":
                continue
            if f.id not in lacking:
                gaps = followup_gaps(project, f)
                lacking[f.id] = (
                    Message.of(
                        N_("{followup} lacks {gaps}"), followup=f.id, gaps=Listing(tuple(gaps))
                    )
                    if gaps
                    else None
                )
            if lacking[f.id] is None:
                complete.add(target)
    return lacking, complete


_item_id = operator.attrgetter("id")


def goal_has_followup(project: Project, ctx: Context) -> Iterator[RawFinding]:
    lacking, complete = project.derived("tracking", _tracking)
    counted: dict[str, list[Item]] = project.derived("counting-actions", _counting_actions)
    for goal in _open_goals(project):
        # a goal (or one of its counting actions: actions_of, without a call per goal)
        # that a complete follow-up tracks needs nothing more: the definition below
        # would find nothing
        if goal.id in complete or any(a.id in complete for a in counted.get(goal.id, ())):
            continue
        followups = followups_of(project, goal)
        if not followups:
            yield finding(goal.id, N_("goal {goal} has no follow-up"), goal=goal.id)
            continue
        # (every follow-up found tracks something: its gaps were worked out once)
        detail = [lacks for f in followups if (lacks := lacking[f.id]) is not None]
        if len(detail) < len(followups):  # one of them lacks nothing
            continue
        if len(detail) > 1:  # by id: the same words whatever order the items came in
            detail = [lacking[f.id] for f in sorted(followups, key=_item_id)]
        yield finding(
            goal.id,
            N_("goal {goal} has no complete follow-up: {detail}"),
            goal=goal.id,
            detail=Listing(tuple(detail), "; "),
        )


rule(
    name="goal-has-followup",
    applies_to=("goal",),
    reads=("status", "tracks", "implements", "owner", "due", "cadence", "indicator"),
    goal_completeness=True,
    code="PC103",
    severity="error",
    title=N_("Every goal is followed up"),
    summary=N_(
        "Every goal that is not dropped is tracked by at least one follow-up that has an "
        "owner, a due date or a cadence, and an indicator."
    ),
    rationale=N_(
        "Without follow-up nobody learns whether the goal was reached. A follow-up counts "
        "only when someone owns it, it is due at a date or recurs, and it says what is "
        "measured. A follow-up may track the goal or one of the goal's actions."
    ),
    bad="\n\n".join(
        (
            _ORG,
            _GOAL,
            _ACTION,
            """```{followup} Annual review
:id: F_REVIEW
:tracks: G_INVEST
```""",
        )
    ),
    good="\n\n".join((_ORG, _GOAL, _ACTION, _FOLLOWUP)),
    check=goal_has_followup,
)


def followup_overdue(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for followup in project.of_type("followup"):
        if followup.status in FOLLOWUP_DONE or not followup.due:
            continue
        due = parse_date(followup.due)
        if due is not None and due < ctx.today:
            yield finding(
                followup.id,
                N_("follow-up {followup} was due {due} and is not done"),
                followup=followup.id,
                due=due.isoformat(),
            )


rule(
    name="followup-overdue",
    applies_to=("followup",),
    reads=("status", "due"),
    code="PC104",
    severity="warning",
    title=N_("No follow-up is overdue"),
    summary=N_('A follow-up whose due date is before "today" is done, or it is reported.'),
    rationale=N_(
        "A date that passed without a report is the first sign a plan has stalled. "
        "`today` is the real date unless `--today` fixes it, so a report can be reproduced."
    ),
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
    check=followup_overdue,
)


def parse_date(value: str | None) -> date | None:
    """An ISO date, or None when the value is not one (the schema rule reports that)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None
