"""Rules on decision records: complete metadata and a consistent supersession chain."""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.findings import Listing, Message
from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.patterns import Pattern, user_pattern
from policycheck.rules import Context, RawFinding, finding, rule
from policycheck.rules.personal_data import shown
from policycheck.rules.plan import parse_date


def _compiled(pattern: str) -> Pattern:
    return user_pattern(pattern, "diary_pattern")  # RE2: a configured pattern never hangs


_BODY = """```{org} Business committee
:id: O_COMMITTEE
```"""


def _decision(ident: str, title: str, date: str, section: str, extra: str = "") -> str:
    year = date[:4]
    return f"""```{{decision}} {title}
:id: {ident}
:body: O_COMMITTEE
:date: {date}
:section: {section}
:diary: HEL {year}-0{section.zfill(5)}
{extra}```"""


def decision_metadata(project: Project, ctx: Context) -> Iterator[RawFinding]:
    diary_re = _compiled(ctx.config.diary_pattern)
    for decision in project.of_type("decision"):
        missing: list[Message] = []
        if not [b for b in project.targets(decision, "body") if b.type == "org"]:
            missing.append(Message(N_("a body")))
        if not decision.date:
            missing.append(Message(N_("a date")))
        elif parse_date(decision.date) is None:
            missing.append(
                Message.of(
                    N_("a valid date (not {value})"),
                    value=shown(decision.date, ctx.config.phone_region),
                )
            )
        if not (decision.section or "").strip():
            missing.append(Message(N_("a section")))
        diary = (decision.diary or "").strip()
        malformed: Message | None = None
        if not diary:
            missing.append(Message(N_("a diary number")))
        elif not diary_re.fullmatch(diary):
            malformed = Message.of(
                N_("its diary number {value} is not of the form {pattern}"),
                value=shown(diary, ctx.config.phone_region),
                pattern=ctx.config.diary_pattern,
            )
        if missing and malformed is not None:
            yield finding(
                decision.id,
                N_("decision {decision} lacks {missing}; {malformed}"),
                decision=decision.id,
                missing=Listing(tuple(missing)),
                malformed=malformed,
            )
        elif missing:
            yield finding(
                decision.id,
                N_("decision {decision} lacks {missing}"),
                decision=decision.id,
                missing=Listing(tuple(missing)),
            )
        elif malformed is not None:
            yield finding(
                decision.id,
                N_("decision {decision}: {malformed}"),
                decision=decision.id,
                malformed=malformed,
            )


rule(
    name="decision-metadata",
    applies_to=("decision",),
    reads=("body", "date", "section", "diary"),
    code="PC201",
    severity="error",
    title=N_("Decisions are traceable"),
    summary=N_(
        "A decision has a body, a date, a section and a diary number of the configured form."
    ),
    rationale=N_(
        "A decision is traceable only when a reader can find the original minutes: which "
        "body decided, when, under which § and case number. The diary-number form is "
        "configurable (`diary_pattern`); Helsinki's is `HEL 2017-010458`."
    ),
    bad="""```{decision} International activities plan
:id: D_2017_11
:section: 11
```""",
    good=_BODY
    + "\n\n"
    + _decision("D_2017_11", "International activities plan", "2017-11-13", "11"),
    check=decision_metadata,
)


def supersession(project: Project, ctx: Context) -> Iterator[RawFinding]:
    decisions = project.of_type("decision")
    for decision in decisions:
        for old in project.targets(decision, "supersedes"):
            if old.type != "decision" or old.id == decision.id:
                continue  # link-integrity reports a wrong type; a self-link is a cycle
            if old.status != "superseded":
                yield finding(
                    decision.id,
                    N_("decision {decision} supersedes {old}, which is not marked superseded"),
                    decision=decision.id,
                    old=old.id,
                )
            new_date, old_date = parse_date(decision.date), parse_date(old.date)
            if new_date and old_date and old_date >= new_date:
                yield finding(
                    decision.id,
                    N_(
                        "decision {decision} ({date}) supersedes {old}, "
                        "which is not earlier ({old_date})"
                    ),
                    decision=decision.id,
                    date=new_date.isoformat(),
                    old=old.id,
                    old_date=old_date.isoformat(),
                )
        if decision.status == "superseded" and not [
            d for d in project.linked_from("supersedes", decision.id) if d.type == "decision"
        ]:
            yield finding(
                decision.id,
                N_("decision {decision} is marked superseded but no decision supersedes it"),
                decision=decision.id,
            )
    for cycle in _cycles(project, decisions):
        yield finding(
            cycle[0], N_("supersession cycle: {cycle}"), cycle=" -> ".join([*cycle, cycle[0]])
        )


rule(
    name="supersession",
    applies_to=("decision",),
    reads=("status", "date", "supersedes"),
    code="PC202",
    severity="error",
    title=N_("Supersession is consistent"),
    summary=N_(
        "A supersedes link points to an existing, earlier decision that is marked "
        "superseded; no cycles."
    ),
    rationale=N_(
        'The register must answer "is this still in force?" both ways: the newer decision '
        "names what it replaces, the older one is marked superseded, and only a later "
        "decision can replace an earlier one. A decision marked superseded that nothing "
        "supersedes leaves the reader without the decision in force."
    ),
    bad="\n\n".join(
        (
            _BODY,
            _decision("D_2017", "Plan 2017", "2017-11-13", "11", ":status: decided\n"),
            _decision("D_2022", "Plan 2022", "2022-01-10", "4", ":supersedes: D_2017\n"),
        )
    ),
    good="\n\n".join(
        (
            _BODY,
            _decision("D_2017", "Plan 2017", "2017-11-13", "11", ":status: superseded\n"),
            _decision("D_2022", "Plan 2022", "2022-01-10", "4", ":supersedes: D_2017\n"),
        )
    ),
    check=supersession,
)


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
