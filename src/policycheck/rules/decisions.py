"""Rules on decision records: complete metadata and a consistent supersession chain."""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.model import Item, Project
from policycheck.patterns import Pattern, user_pattern
from policycheck.rules import Context, RawFinding, rule
from policycheck.rules.plan import parse_date


def _compiled(pattern: str) -> Pattern:
    return user_pattern(pattern, "diary_pattern")  # RE2: a configured pattern never hangs


@rule(
    name="decision-metadata",
    applies_to=("decision",),
    code="PC201",
    severity="error",
    summary="A decision has a body, a date, a section and a diary number of the configured form.",
    rationale="""
A decision is traceable only when a reader can find the original minutes: which
body decided, when, under which § and case number. The diary-number form is
configurable (`diary_pattern`); Helsinki's is `HEL 2017-010458`.
""",
    bad="""```{decision} International activities plan
:id: D_2017_11
:section: 11
```""",
    good="""```{decision} International activities plan
:id: D_2017_11
:body: O_ELINKEINOJAOSTO
:date: 2017-11-13
:section: 11
:diary: HEL 2017-010458
```""",
)
def decision_metadata(project: Project, ctx: Context) -> Iterator[RawFinding]:
    diary_re = _compiled(ctx.config.diary_pattern)
    for decision in project.of_type("decision"):
        missing = []
        if not [b for b in project.targets(decision, "body") if b.type == "org"]:
            missing.append("a body")
        if not decision.date:
            missing.append("a date")
        elif parse_date(decision.date) is None:
            missing.append(f"a valid date (not {decision.date!r})")
        if not (decision.section or "").strip():
            missing.append("a section")
        diary = (decision.diary or "").strip()
        if not diary:
            missing.append("a diary number")
        elif not diary_re.fullmatch(diary):
            missing.append(f"a diary number of the form {ctx.config.diary_pattern} (not {diary!r})")
        if missing:
            yield RawFinding(decision.id, f"decision {decision.id} lacks {', '.join(missing)}")


@rule(
    name="supersession",
    applies_to=("decision",),
    code="PC202",
    severity="error",
    summary="A supersedes link points to an existing, earlier decision that is marked "
    "superseded; no cycles.",
    rationale="""
The register must answer "is this still in force?" both ways: the newer decision
names what it replaces, the older one is marked superseded, and only a later
decision can replace an earlier one. A decision marked superseded that nothing
supersedes leaves the reader without the decision in force.
""",
    bad="""```{decision} Plan 2022
:id: D_2022
:date: 2022-01-10
:supersedes: D_2017
```
(where `D_2017` is still `:status: decided`)""",
    good="""```{decision} Plan 2022
:id: D_2022
:date: 2022-01-10
:supersedes: D_2017
```
(where `D_2017` has `:status: superseded` and an earlier date)""",
)
def supersession(project: Project, ctx: Context) -> Iterator[RawFinding]:
    decisions = project.of_type("decision")
    for decision in decisions:
        for old in project.targets(decision, "supersedes"):
            if old.type != "decision" or old.id == decision.id:
                continue  # link-integrity reports a wrong type; a self-link is a cycle
            if old.status != "superseded":
                yield RawFinding(
                    decision.id,
                    f"decision {decision.id} supersedes {old.id}, which is not marked superseded",
                )
            new_date, old_date = parse_date(decision.date), parse_date(old.date)
            if new_date and old_date and old_date >= new_date:
                yield RawFinding(
                    decision.id,
                    f"decision {decision.id} ({new_date}) supersedes {old.id}, "
                    f"which is not earlier ({old_date})",
                )
        if decision.status == "superseded" and not [
            d for d in project.linked_from("supersedes", decision.id) if d.type == "decision"
        ]:
            yield RawFinding(
                decision.id,
                f"decision {decision.id} is marked superseded but no decision supersedes it",
            )
    for cycle in _cycles(project, decisions):
        yield RawFinding(cycle[0], f"supersession cycle: {' -> '.join([*cycle, cycle[0]])}")


def _cycles(project: Project, decisions: list[Item]) -> Iterator[list[str]]:
    """Each cycle of supersedes links once, starting at its smallest id (iterative DFS)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in sorted(d.id for d in decisions):
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(_next(project, start)))]
        state[start] = 1
        path.append(start)
        while stack:
            node, successors = stack[-1]
            nxt = next(successors, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                low = cycle.index(min(cycle))
                yield cycle[low:] + cycle[:low]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(_next(project, nxt))))


def _next(project: Project, decision_id: str) -> list[str]:
    return sorted(
        i.id
        for i in project.targets(project.items[decision_id], "supersedes")
        if i.type == "decision"
    )
