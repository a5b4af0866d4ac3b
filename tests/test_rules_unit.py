"""Each rule function on hand-made items: every branch, with its exact message.

Fast (no Sphinx), so that the mutation run (``bash scripts/mutate``) can use them;
the examples and the two paths are tested with real builds elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from policycheck.config import PolicyConfig
from policycheck.engine import check
from policycheck.model import Item, Project
from policycheck.rules import Context, get_rule
from policycheck.rules.waivers import Waiver, active_waivers, parse_waivers

TODAY = date(2026, 6, 15)


def item(ident: str, kind: str, **fields: Any) -> Item:
    return Item(id=ident, type=kind, **fields)


def run(rule: str, *items: Item, config: PolicyConfig | None = None) -> list[tuple[str, str]]:
    spec = get_rule(rule)
    assert spec is not None
    ctx = Context(TODAY, config or PolicyConfig())
    return [(f.need, f.message.render()) for f in spec.check(Project.from_items(items), ctx)]


ORG = item("O_A", "org")
GONE = item("O_GONE", "org", status="dissolved")


# --- goal-has-action ---


def test_goal_without_action() -> None:
    assert run("goal-has-action", item("G_A", "goal")) == [("G_A", "goal G_A has no action")]


def test_goal_with_only_cancelled_actions_names_them() -> None:
    found = run(
        "goal-has-action",
        item("G_A", "goal"),
        item("A_X", "action", implements=["G_A"], status="cancelled"),
        item("A_Y", "action", implements=["G_A"], status="cancelled"),
        item("F_Z", "followup", implements=["G_A"]),  # not an action: never named
    )
    assert found == [("G_A", "goal G_A has no action (cancelled: A_X, A_Y)")]


@pytest.mark.parametrize("status", [None, "planned", "ongoing", "done"])
def test_an_action_that_is_not_cancelled_counts(status: str | None) -> None:
    goals = [item("G_A", "goal"), item("G_B", "goal")]
    action = item("A_X", "action", implements=["G_A", "G_B"], status=status)
    assert run("goal-has-action", *goals, action) == []


def test_only_a_dropped_goal_asks_for_no_action() -> None:
    found = run(
        "goal-has-action",
        item("G_DROP", "goal", status="dropped"),
        item("G_DONE", "goal", status="achieved"),
        item("F_X", "followup", implements=["G_DONE"]),
    )
    assert found == [("G_DONE", "goal G_DONE has no action")]


# --- goal-has-owner ---


@pytest.mark.parametrize(
    ("owners", "status", "expected"),
    [
        ([], None, "goal G_A has no owner"),
        (["O_A", "O_GONE"], None, "goal G_A has 2 owners (O_A, O_GONE); one is needed"),
        (["O_NONE"], None, "owner O_NONE of goal G_A is not an organisation"),
        (["G_B"], None, "owner G_B of goal G_A is not an organisation"),
        (["O_GONE"], None, "owner O_GONE of open goal G_A is dissolved"),
        (["O_GONE"], "active", "owner O_GONE of open goal G_A is dissolved"),
        (["O_GONE"], "achieved", None),
        (["O_GONE"], "dropped", None),
        (["O_A"], None, None),
    ],
)
def test_goal_owner(owners: list[str], status: str | None, expected: str | None) -> None:
    goal = item("G_A", "goal", owner=owners, status=status)
    found = run("goal-has-owner", goal, item("G_B", "goal", owner=["O_A"]), ORG, GONE)
    assert found == ([("G_A", expected)] if expected else [])


# --- goal-has-followup ---

COMPLETE: dict[str, Any] = {"owner": ["O_A"], "cadence": "annual", "indicator": "x"}


def test_goal_without_followup() -> None:
    found = run("goal-has-followup", item("G_A", "goal"), item("A_X", "action", tracks=["G_A"]))
    assert found == [("G_A", "goal G_A has no follow-up")]


def test_followup_of_goal_or_of_a_counting_action_counts() -> None:
    goal, action = item("G_A", "goal"), item("A_X", "action", implements=["G_A"])
    on_goal = item("F_G", "followup", tracks=["G_A"], **COMPLETE)
    on_action = item("F_A", "followup", tracks=["A_X"], **COMPLETE)
    assert run("goal-has-followup", goal, ORG, on_goal) == []
    assert run("goal-has-followup", goal, ORG, action, on_action) == []


def test_followup_of_a_cancelled_action_does_not_count() -> None:
    action = item("A_X", "action", implements=["G_A"], status="cancelled")
    followup = item("F_A", "followup", tracks=["A_X"], **COMPLETE)
    found = run("goal-has-followup", item("G_A", "goal"), ORG, action, followup)
    assert found == [("G_A", "goal G_A has no follow-up")]


def test_incomplete_followups_say_what_each_lacks_once() -> None:
    goal, action = item("G_A", "goal"), item("A_X", "action", implements=["G_A"])
    bare = item("F_BARE", "followup", tracks=["G_A", "A_X"], indicator="  ")
    gone = item("F_GONE", "followup", tracks=["A_X"], owner=["O_GONE"], due="2027-01-01")
    not_org = item("F_NOT", "followup", tracks=["G_A"], owner=["A_X"], cadence="P1Y", indicator="y")
    found = run("goal-has-followup", goal, action, ORG, GONE, bare, gone, not_org)
    assert found == [
        (
            "G_A",
            "goal G_A has no complete follow-up: "  # (by id, whatever the input order)
            "F_BARE lacks an owner, a due date or cadence, an indicator; "
            "F_GONE lacks an owner, an indicator; "
            "F_NOT lacks an owner",
        )
    ]


@pytest.mark.parametrize("when", [{"due": "2027-01-01"}, {"cadence": "monthly"}])
def test_a_due_date_or_a_cadence_is_enough(when: dict[str, str]) -> None:
    followup = item("F_A", "followup", tracks=["G_A"], owner=["O_A"], indicator="x", **when)
    incomplete = item("F_B", "followup", tracks=["G_A"])
    assert run("goal-has-followup", item("G_A", "goal"), ORG, incomplete, followup) == []


def test_dropped_goal_asks_for_no_followup() -> None:
    assert run("goal-has-followup", item("G_A", "goal", status="dropped")) == []


# --- followup-overdue ---


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        ("2026-06-14", None, True),
        (" 2026-06-14 ", "scheduled", True),
        ("2026-06-15", None, False),
        ("2026-06-16", None, False),
        ("2020-01-01", "done", False),
        ("not a date", None, False),
        (None, None, False),
    ],
)
def test_followup_overdue(due: str | None, status: str | None, overdue: bool) -> None:
    found = run("followup-overdue", item("F_A", "followup", due=due, status=status))
    expected = [("F_A", "follow-up F_A was due 2026-06-14 and is not done")]
    assert found == (expected if overdue else [])


def test_only_followups_can_be_overdue() -> None:
    assert run("followup-overdue", item("A_A", "action", due="2020-01-01")) == []


# --- decision-metadata ---

DECISION: dict[str, Any] = {
    "body": ["O_A"],
    "date": "2017-11-13",
    "section": "11",
    "diary": "HEL 2017-010458",
}


def test_complete_decision() -> None:
    assert run("decision-metadata", item("D_A", "decision", **DECISION), ORG) == []


def test_decision_lacking_everything() -> None:
    found = run("decision-metadata", item("D_A", "decision", section=" "))
    assert found == [("D_A", "decision D_A lacks a body, a date, a section, a diary number")]


HELSINKI = PolicyConfig(diary_pattern=r"^HEL[ -]\d{4}-\d{6}$")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": ["G_X"]}, "lacks a body"),
        ({"body": ["O_NONE"]}, "lacks a body"),
        ({"date": "13.11.2017"}, "lacks a valid date (not '13.11.2017')"),
        (
            {"diary": "2017/10458"},
            r": its diary number '2017/10458' is not of the form ^HEL[ -]\d{4}-\d{6}$",
        ),
        (
            {"diary": "2017/10458", "section": None},
            r"lacks a section; its diary number '2017/10458' is not of the form "
            r"^HEL[ -]\d{4}-\d{6}$",
        ),
        ({"diary": " HEL-2017-010458 "}, None),
        ({"section": None}, "lacks a section"),
    ],
)
def test_decision_metadata_details(change: dict[str, Any], message: str | None) -> None:
    decision = item("D_A", "decision", **{**DECISION, **change})
    found = run("decision-metadata", decision, ORG, item("G_X", "goal"), config=HELSINKI)
    sep = "" if message and message.startswith(":") else " "
    assert found == ([("D_A", f"decision D_A{sep}{message}")] if message else [])


def test_diary_pattern_is_configurable() -> None:
    decision = item("D_A", "decision", **{**DECISION, "diary": "TRE 123/2020"})
    config = PolicyConfig(diary_pattern=r"TRE \d+/\d{4}")
    assert run("decision-metadata", decision, ORG, config=config) == []
    assert run("decision-metadata", decision, ORG, config=HELSINKI) == [
        ("D_A", r"decision D_A: its diary number 'TRE 123/2020' is not of the form "
                r"^HEL[ -]\d{4}-\d{6}$")
    ]  # fmt: skip


def test_the_default_diary_pattern_asks_only_for_some_number() -> None:
    for diary in ("TRE 123/2020", "2017/10458", "HEL 2017-010458"):
        decision = item("D_A", "decision", **{**DECISION, "diary": diary})
        assert run("decision-metadata", decision, ORG) == []
    blank = item("D_A", "decision", **{**DECISION, "diary": "  "})
    assert run("decision-metadata", blank, ORG) == [("D_A", "decision D_A lacks a diary number")]


# --- supersession ---


def decision(ident: str, when: str, **fields: Any) -> Item:
    return item(ident, "decision", date=when, **fields)


def test_consistent_supersession() -> None:
    old = decision("D_OLD", "2017-01-01", status="superseded")
    new = decision("D_NEW", "2022-01-01", supersedes=["D_OLD"])
    assert run("supersession", old, new) == []


def test_superseded_decision_not_marked_and_not_earlier() -> None:
    old = decision("D_OLD", "2022-01-01", status="decided")
    new = decision("D_NEW", "2022-01-01", supersedes=["D_OLD"])
    assert run("supersession", old, new) == [
        ("D_NEW", "decision D_NEW supersedes D_OLD, which is not marked superseded"),
        (
            "D_NEW",
            "decision D_NEW (2022-01-01) supersedes D_OLD, which is not earlier (2022-01-01)",
        ),
    ]


def test_no_date_no_order_check() -> None:
    old = item("D_OLD", "decision", status="superseded")
    new = decision("D_NEW", "2022-01-01", supersedes=["D_OLD"])
    assert run("supersession", old, new) == []


def test_marked_superseded_but_nothing_supersedes_it() -> None:
    old = decision("D_OLD", "2017-01-01", status="superseded")
    goal = item("G_X", "goal", supersedes=["D_OLD"])  # not a decision: does not count
    assert run("supersession", old, goal) == [
        ("D_OLD", "decision D_OLD is marked superseded but no decision supersedes it")
    ]


def test_supersedes_a_non_decision_is_left_to_link_integrity() -> None:
    new = decision("D_NEW", "2022-01-01", supersedes=["G_X", "D_NONE"])
    assert run("supersession", new, item("G_X", "goal")) == []


def test_cycles_are_reported_once_from_their_smallest_id() -> None:
    a = decision("D_A", "2020-01-01", status="superseded", supersedes=["D_C"])
    b = decision("D_B", "2020-01-01", status="superseded", supersedes=["D_A"])
    c = decision("D_C", "2020-01-01", status="superseded", supersedes=["D_B"])
    own = decision("D_SELF", "2020-01-01", status="superseded", supersedes=["D_SELF"])
    found = [f for f in run("supersession", c, b, a, own) if "cycle" in f[1]]
    assert found == [
        ("D_A", "supersession cycle: D_A -> D_C -> D_B -> D_A"),
        ("D_SELF", "supersession cycle: D_SELF -> D_SELF"),
    ]


def test_a_chain_is_no_cycle() -> None:
    a = decision("D_A", "2018-01-01", status="superseded")
    b = decision("D_B", "2019-01-01", status="superseded", supersedes=["D_A"])
    c = decision("D_C", "2020-01-01", supersedes=["D_B", "D_A"])
    assert run("supersession", a, b, c) == []


# --- link-integrity ---


def test_link_integrity() -> None:
    found = run(
        "link-integrity",
        ORG,
        item("G_A", "goal", owner=["O_A"]),
        item("A_X", "action", implements=["G_NONE", "O_A", "G_A"]),
        item("O_B", "org", owner=["O_A", "O_A"]),
    )
    assert found == [
        ("A_X", "A_X links to unknown id G_NONE (implements)"),
        ("A_X", "A_X links to org O_A through 'implements', which needs goal"),
        ("O_B", "org O_B cannot use link 'owner' (only goal, action, followup)"),
    ]


def test_link_to_one_of_several_target_types() -> None:
    found = run(
        "link-integrity",
        item("G_A", "goal"),
        item("A_X", "action"),
        item("F_A", "followup", tracks=["G_A", "A_X", "F_A"]),
    )
    assert found == [
        ("F_A", "F_A links to followup F_A through 'tracks', which needs goal or action")
    ]


# --- waiver-expired and waivers ---


def waivers_of(text: str) -> list[object]:
    from policycheck.rules import rule_names

    return list(parse_waivers(item("G_A", "goal", waive=text), rule_names()))


def test_waivers_are_parsed() -> None:
    parsed = waivers_of(
        "goal-has-owner  until 2027-01-01 because a   new unit;;"
        "  goal-has-action until 2026-06-15 because reasons ; "
    )
    assert parsed == [
        Waiver("goal-has-owner", date(2027, 1, 1), "a new unit"),
        Waiver("goal-has-action", date(2026, 6, 15), "reasons"),
    ]


def test_active_waivers_end_after_their_day() -> None:
    goal = item(
        "G_A",
        "goal",
        waive="goal-has-owner until 2026-06-15 because x; goal-has-action until 2026-06-14 because y",
    )
    from policycheck.rules import rule_names

    assert set(active_waivers(goal, rule_names(), TODAY)) == {"goal-has-owner"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "goal-has-owner until 2020-01-01 because old",
            "waiver of goal-has-owner on G_A expired on 2020-01-01",
        ),
        (
            "goal-has-owner until 2027",
            "waiver on G_A is not of the form 'RULE until YYYY-MM-DD because REASON': "
            "goal-has-owner until 2027",
        ),
        (
            "no-such-rule until 2027-01-01 because x",
            "waiver on G_A names unknown rule 'no-such-rule': no-such-rule until 2027-01-01 because x",
        ),
        (
            "waiver-expired until 2027-01-01 because x",
            "waiver on G_A cannot waive waiver-expired itself: "
            "waiver-expired until 2027-01-01 because x",
        ),
        (
            "goal-has-owner until soon because x",
            "waiver on G_A has no valid date ('soon'): goal-has-owner until soon because x",
        ),
    ],
)
def test_waiver_problems(text: str, message: str) -> None:
    assert run("waiver-expired", item("G_A", "goal", waive=text)) == [("G_A", message)]


def test_current_waiver_is_no_finding() -> None:
    waiver = "goal-has-owner until 2026-06-15 because the unit is being founded"
    assert run("waiver-expired", item("G_A", "goal", waive=waiver), item("G_B", "goal")) == []


# --- needs-schema ---


def test_schema_leaves_other_types_and_empty_values_alone() -> None:
    found = run(
        "needs-schema",
        item("R_A", "risk", status="whatever"),
        item("G_A", "goal"),
        item("D_A", "decision", date="2017-11-13", status="decided"),
        item("F_A", "followup", due="2027-13-01", status="done"),
    )
    assert found == [("F_A", "due of F_A is not valid (Due date (ISO 8601)): '2027-13-01'")]


def test_schema_status_message() -> None:
    found = run("needs-schema", item("O_A", "org", status="closed"))
    assert found == [
        ("O_A", "O_A has status 'closed', which a org cannot have (one of: active, dissolved)")
    ]


# --- the engine: grading, waivers, baseline, goals_complete ---


def test_engine_grades_waives_and_counts_complete_goals() -> None:
    items = [
        ORG,
        item("G_OK", "goal", owner=["O_A"]),
        item("A_OK", "action", implements=["G_OK"]),
        item("F_OK", "followup", tracks=["G_OK"], **COMPLETE),
        item("G_NO", "goal", owner=["O_A"], waive="goal-has-action until 2027-01-01 because x"),
        item("G_DROP", "goal", status="dropped"),
        item("F_LATE", "followup", due="2020-01-01"),
    ]
    report = check(
        Project.from_items(items),
        PolicyConfig(severity={"goal-has-owner": "warning"}),
        TODAY,
        baseline=frozenset({("goal-has-followup", "G_NO", "")}),
    )
    got = {(f.rule, f.need): (f.severity, f.known, f.waived) for f in report.findings}
    assert got == {
        ("goal-has-action", "G_NO"): ("error", False, True),
        ("goal-has-followup", "G_NO"): ("error", True, False),
        ("followup-overdue", "F_LATE"): ("warning", False, False),
        ("goal-has-owner", "G_DROP"): ("warning", False, False),
    }
    s = report.summary
    assert (s.items, s.goals, s.goals_complete) == (7, 2, 1)
    assert (s.errors, s.warnings, s.known, s.waived) == (0, 2, 1, 1)
    assert not report.failed
    assert report.waivers == {"G_NO": [report.waivers["G_NO"][0]]}
    assert report.waivers["G_NO"][0].until == "2027-01-01"


def test_engine_off_rule_is_not_run() -> None:
    items = [item("G_A", "goal")]
    config = PolicyConfig(severity={r: "off" for r in ("goal-has-action", "goal-has-owner")})
    report = check(Project.from_items(items), config, TODAY)
    assert {f.rule for f in report.findings} == {"goal-has-followup"}
    assert report.summary.goals_complete == 0
    assert report.failed


# --- the catalogue itself ---


def test_catalogue_order_names_and_goal_rules() -> None:
    from policycheck.rules import all_rules, goal_rules, rule_names

    codes = [r.code for r in all_rules()]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert rule_names() == {r.name for r in all_rules()}
    assert goal_rules() == ("goal-has-action", "goal-has-owner", "goal-has-followup")
    assert get_rule("no-such-rule") is None


def test_a_rule_definition_is_checked_and_registered() -> None:
    from policycheck.rules import _REGISTRY, rule

    def nothing(project: Project, ctx: Context) -> list[Any]:
        return []

    with pytest.raises(ValueError, match="unknown colour, size"):
        rule(name="x", code="PC999", severity="error", summary="s", rationale="r",
             bad="b", good="g", reads=("colour", "due", "size"), check=nothing)  # fmt: skip
    with pytest.raises(ValueError, match="unknown risk"):
        rule(name="x", code="PC999", severity="error", summary="s", rationale="r",
             bad="b", good="g", applies_to=("risk",), check=nothing)  # fmt: skip
    with pytest.raises(ValueError, match="unknown fatal"):
        rule(name="x", code="PC999", severity="fatal", summary="s", rationale="r",
             bad="b", good="g", check=nothing)  # fmt: skip
    try:
        rule(name="test-only", code="PC998", severity="error", summary="S.", rationale="R.",
             bad="b", good="g", goal_completeness=True, check=nothing)  # fmt: skip
        made = _REGISTRY["test-only"]
        assert (made.code, made.severity, made.goal_completeness, made.check) == (
            "PC998",
            "error",
            True,
            nothing,
        )
        decorate = rule(name="test-only", code="PC999", severity="warning", summary="S.",
                        rationale="R  one.\n two", bad="\n bad \n", good=" good ", reads=("due",),
                        applies_to=("goal",))  # fmt: skip
        assert decorate(nothing) is nothing
        made = _REGISTRY["test-only"]
        assert (made.name, made.code, made.severity, made.title, made.summary) == (
            "test-only",
            "PC999",
            "warning",
            "S.",
            "S.",
        )
        assert (made.rationale, made.bad_example, made.good_example) == (
            "R one. two",
            "bad",
            "good",
        )
        assert (made.reads, made.applies_to, made.goal_completeness) == (("due",), ("goal",), False)
        assert made.check is nothing
    finally:
        _REGISTRY.pop("test-only", None)


def test_every_rule_documents_what_it_reads() -> None:
    from policycheck.rules import all_rules

    for r in all_rules():
        assert r.title and r.summary and r.rationale and r.bad_example and r.good_example
        assert r.bad_example != r.good_example
        assert r.reads or r.name == "personal-data", r.name


@pytest.mark.parametrize(
    ("value", "schema", "ok"),
    [
        ("a", {"enum": ["a", "b"]}, True),
        ("c", {"enum": ("a", "b")}, False),
        ("2027-01-31", {"format": "date"}, True),
        ("2027-1-31", {"format": "date"}, False),
        ("2027-01-31", {"format": "email"}, True),
        ("x1", {"pattern": r"\d"}, True),
        ("xy", {"pattern": r"\d"}, False),
        ("anything", {"type": "string"}, True),
    ],
)
def test_schema_keywords(value: str, schema: dict[str, object], ok: bool) -> None:
    from policycheck.rules.schema import allowed

    assert allowed(value, schema) is ok


def test_decision_example_helper() -> None:
    from policycheck.rules.decisions import _decision

    assert _decision("D_Y", "Old", "2016-01-02", "7").endswith(":diary: HEL 2016-000007\n```")
    assert _decision("D_X", "Plan", "2017-11-13", "11", ":status: decided\n") == (
        "```{decision} Plan\n:id: D_X\n:body: O_COMMITTEE\n:date: 2017-11-13\n"
        ":section: 11\n:diary: HEL 2017-000011\n:status: decided\n```"
    )


def test_a_plain_string_is_an_untranslated_message() -> None:
    from policycheck.findings import Message
    from policycheck.rules import RawFinding

    raw = RawFinding("G_A", "goal G_A {is} odd")
    assert raw.need == "G_A"
    assert raw.message == Message("goal G_A {is} odd")
    assert raw.message.render() == "goal G_A {is} odd"
    message = Message.of("goal {goal} has no owner", goal="G_A")
    assert RawFinding("G_A", message).message is message


def test_schema_checks_every_field_of_every_item_once_per_value() -> None:
    found = run(
        "needs-schema",
        item("F_A", "followup", cadence="weekly", indicator="x"),
        item("F_B", "followup", cadence="weekly", due="2027-01-01"),
        item("F_C", "followup", cadence="annual", due="2027-01-01"),
        item("D_A", "decision", date="2017-02-30", section="1"),
        item("D_B", "decision", date="2017-02-30"),
    )
    assert found == [
        (
            "F_A",
            "cadence of F_A is not valid (How often a follow-up recurs: annual, quarterly, monthly or an ISO 8601 duration such as P6M): 'weekly'",
        ),
        (
            "F_B",
            "cadence of F_B is not valid (How often a follow-up recurs: annual, quarterly, monthly or an ISO 8601 duration such as P6M): 'weekly'",
        ),
        ("D_A", "date of D_A is not valid (Decision date (ISO 8601)): '2017-02-30'"),
        ("D_B", "date of D_B is not valid (Decision date (ISO 8601)): '2017-02-30'"),
    ]


def test_every_goal_is_looked_at_after_one_without_owner() -> None:
    found = run("goal-has-owner", item("G_A", "goal"), item("G_B", "goal"))
    assert found == [("G_A", "goal G_A has no owner"), ("G_B", "goal G_B has no owner")]


def test_waivers_after_a_malformed_one_are_read() -> None:
    from policycheck.rules import rule_names
    from policycheck.rules.waivers import WaiverProblem

    goal = item("G_A", "goal", waive="nonsense; goal-has-owner until 2027-01-01 because x")
    parsed = parse_waivers(goal, rule_names())
    assert [type(w) for w in parsed] == [WaiverProblem, Waiver]
    assert parse_waivers(item("G_B", "goal"), rule_names()) == []


def test_supersession_reads_every_link_after_one_to_another_type() -> None:
    old = decision("D_OLD", "2017-01-01")
    new = decision("D_NEW", "2022-01-01", supersedes=["G_X", "D_NEW", "D_OLD"])
    found = [f for f in run("supersession", old, new, item("G_X", "goal")) if "cycle" not in f[1]]
    assert found == [("D_NEW", "decision D_NEW supersedes D_OLD, which is not marked superseded")]


def test_cycles_found_once_each_wherever_the_search_starts() -> None:
    s = "superseded"
    figure_eight = [
        decision("D_A", "2020-01-01", status=s, supersedes=["D_B", "D_C"]),
        decision("D_B", "2020-01-01", status=s, supersedes=["D_A"]),
        decision("D_C", "2020-01-01", status=s, supersedes=["D_A"]),
    ]
    tail = [
        decision("D_K", "2020-01-01", status=s, supersedes=["D_L"]),
        decision("D_L", "2020-01-01", status=s, supersedes=["D_M"]),
        decision("D_M", "2020-01-01", status=s, supersedes=["D_L"]),
    ]
    found = [f for f in run("supersession", *figure_eight, *tail) if "cycle" in f[1]]
    assert found == [
        ("D_A", "supersession cycle: D_A -> D_B -> D_A"),
        ("D_A", "supersession cycle: D_A -> D_C -> D_A"),
        ("D_L", "supersession cycle: D_L -> D_M -> D_L"),
    ]


# --- item-id and item-not-created ---


def test_item_id_generated_or_of_the_wrong_form() -> None:
    import hashlib

    from policycheck.i18n import translator

    made_up = "O_" + hashlib.sha1(b"Economic development").hexdigest().upper()[:5]
    items = [
        item(made_up, "org", title="Economic development"),
        item("O_ECON", "org", title="Economic development"),
        item("o_lower", "org", title="Tourism"),
    ]
    assert run("item-id", *items) == [
        (made_up, f"org {made_up} has no :id: of its own"),
        ("o_lower", "id o_lower is not of the form ^[A-Z][A-Z0-9_]{2,}$"),
    ]
    assert run("item-id", *items, config=PolicyConfig(id_pattern=r"^[a-z_]+$")) == [
        (made_up, f"org {made_up} has no :id: of its own"),
        ("O_ECON", "id O_ECON is not of the form ^[a-z_]+$"),
    ]
    spec = get_rule("item-id")
    assert spec is not None
    found = list(spec.check(Project.from_items(items), Context(TODAY, PolicyConfig())))
    assert found[1].message.render(translator("fi")) == (
        "tunniste o_lower ei ole muotoa ^[A-Z][A-Z0-9_]{2,}$"
    )


def test_item_id_made_up_is_what_the_build_recorded() -> None:
    import hashlib

    title = "Economic development"
    digest = hashlib.sha1(title.encode()).hexdigest().upper()
    short, made_up = "O_" + digest[:2], "O_" + digest[:5]
    items = [item(short, "org", title=title), item(made_up, "org", title=title + " ")]
    # a needs.json without the build's record: told by the form, five characters at least
    assert [f[0] for f in run("item-id", *items)] == []
    items[1] = item(made_up, "org", title=title)
    assert [f[0] for f in run("item-id", *items)] == [made_up]
    # with the record, only what it holds
    project = Project.from_items(items)
    project.generated_ids = frozenset({short})
    spec = get_rule("item-id")
    assert spec is not None
    found = list(spec.check(project, Context(TODAY, PolicyConfig())))
    assert [f.need for f in found] == [short]


def test_item_not_created_at_its_own_place_with_its_reason() -> None:
    from policycheck.i18n import translator
    from policycheck.model import NotCreated

    project = Project.from_items([ORG])
    project.not_created = [
        NotCreated(file="a.md", line=7, type="org", id="O_A", reason="duplicate id"),
        NotCreated(file="b.md", line=3, type="goal", reason="options do not parse"),
    ]
    spec = get_rule("item-not-created")
    assert spec is not None
    found = list(spec.check(project, Context(TODAY, PolicyConfig())))
    assert [(f.need, f.file, f.line, f.message.render()) for f in found] == [
        ("O_A", "a.md", 7, "org O_A was not created: duplicate id"),
        ("", "b.md", 3, "goal without an id was not created: options do not parse"),
    ]
    assert [f.evidence for f in found] == ["org\0O_A", "goal\0"]
    assert found[0].message.render(translator("sv")) == (
        "posten O_A (org) skapades inte: duplicate id"
    )
