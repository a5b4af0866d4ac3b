"""Pre-filters that scan many items at once (ids, texts, goals) give the verdict of
the plain definitions they stand in for: every item they clear is one the
definition finds nothing in (bench/check_needs_json.py measures what they save)."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from datetime import date

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from policycheck.config import PolicyConfig
from policycheck.domain import vocabulary
from policycheck.findings import Listing, Message
from policycheck.i18n import N_
from policycheck.model import DEFAULT_ROLES, Item, Project
from policycheck.patterns import user_pattern
from policycheck.reader import parse_needs_json
from policycheck.rules import Context, RawFinding, finding
from policycheck.rules import personal_data as pd
from policycheck.rules.ids import generated_id, item_id
from policycheck.rules.plan import (
    _open_goals,
    actions_of,
    followup_gaps,
    followups_of,
    goal_has_action,
    goal_has_followup,
)
from policycheck.rules.prefilter import SPACE, _line_scanner, may_not_match, re2_syntax

CTX = Context(date(2026, 1, 1), PolicyConfig())

SIMPLE = [
    PolicyConfig().id_pattern,
    r"[A-Z]{2}_\d+",
    r"\d",
    r"",
    r"A*$",
    r"^[A-Z-]{2,5}",
    r"[a-z]{3}",
    r"^\w+$",
    r"G_\d?$",
]
COMPLEX = [r"^.{3}$", r"(?i)^ä\w+", r"^(a+)+$", r"A+B+", r"^[^x]+$", r"[A-Z]|\d"]
ID_CHARS = "AGBZa_-09\u0663\u00c4\u00df\n"  # with a non-ASCII digit, letters, a newline


def matches(pattern: str, text: str) -> bool:
    return user_pattern(pattern).match(text) is not None


def test_only_simple_patterns_are_scanned_by_python() -> None:
    assert all(_line_scanner(p) is not None for p in SIMPLE)
    assert all(_line_scanner(p) is None for p in COMPLEX)


@given(st.sampled_from(SIMPLE + COMPLEX), st.lists(st.text(ID_CHARS, max_size=6), max_size=40))
@example(r"^\w+$", ["A\u0663"])  # Python's \w (not RE2's) takes a non-ASCII digit
@example(r"A*$", ["A\nB", "B"])
def test_texts_cleared_by_the_line_scan_match(pattern: str, texts: list[str]) -> None:
    suspects = may_not_match(pattern, texts)
    cleared = [t for t in texts if t not in suspects]
    assert all(matches(pattern, t) for t in cleared)
    assert all(t in suspects for t in texts if not matches(pattern, t))


@pytest.mark.parametrize("pattern", [PolicyConfig().id_pattern, r"^G_\d+$"])
def test_large_groups_are_split_to_find_the_few_that_fail(pattern: str) -> None:
    texts = [f"G_{n}" for n in range(5000)]
    assert may_not_match(pattern, texts) == []
    texts[0], texts[4321] = "bad one", "G-"
    suspects = may_not_match(pattern, texts)
    assert {"bad one", "G-"} <= set(suspects) and len(suspects) <= 2048


def plain_item_id(project: Project) -> Iterator[tuple[str, str]]:
    """The item-id rule over every item, as it was before its pre-filter."""
    pattern = CTX.config.id_pattern
    for item in project.items.values():
        if generated_id(item, project):
            yield item.id, "made up"
        elif not matches(pattern, item.id):
            yield item.id, "form"


def sha(text: str, n: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest().upper()[:n]


@st.composite
def id_projects(draw: st.DrawFn) -> Project:
    made = []
    for n in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["goal", "action", "org"]))
        title = draw(st.sampled_from(["", "Grow", "a b", "Attract investment"]))
        prefix = vocabulary().type_of_role(kind).prefix
        rest = draw(
            st.sampled_from(
                [
                    sha(title, 5),
                    sha(title, 7),
                    title.upper().replace(" ", "_") + "_" + sha(title, 5),
                    f"{n}",
                    f"{10000 + n}",
                    f"ABCDE{n}",
                    f"x{n}\n",
                ]
            )
        )
        made.append(Item(id=prefix + rest, type=kind, title=title))
    project = Project.from_items(made)
    if draw(st.booleans()):  # as after a build of ours, which records the made-up ids
        project.generated_ids = frozenset(i.id for i in made if draw(st.booleans()))
    return project


@given(id_projects())
def test_the_id_rule_reports_as_over_every_item(project: Project) -> None:
    got = [(raw.need, "made up" if "no :id:" in raw.message.template else "form")
           for raw in item_id(project, CTX)]  # fmt: skip
    assert got == list(plain_item_id(project))


def test_every_python_space_is_a_space_to_the_scan() -> None:
    space = user_pattern(f"{SPACE}+")
    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert space.fullmatch(spaces) is not None


TEXT_PARTS_OF_MARKERS = [
    "x", "@", "\uff20", "&#0064;", "&#X40;", "&COMMAT;", "(", ")", "[", "]", "{", "}", "a",
    "T", "\u00e4", "\u00c4", " ", "\u2028", "\u3000", "\x85", "\x1c", "\u200b", "1", "0 1",
    "\uff10", "\uff14", "-", "/", "(0)", "\u2013", "\u00a0", "\t", "\n", "*", "_", "\\",
    "`", "~", "dot", "piste", " at ", "\u0664", "\u202f", "&#160;", "<b>", "</i>",
    # invisible ("default ignorable") characters, astral ones too
    "\u034f", "\U000e0041", "\ufe0f", "\U000e0100", "\u3164", "\uffa0", "\u115f",
    "\u180b", "\u2065", "\U0001bca0",
    # a percent-encoded at sign, "at" and a dotted domain
    "%", "4", "%40", ".", "org", "fi", "o*rg", "first.last", "ät",
]  # fmt: skip
TEXT_PARTS = [
    "plain", "someone@example.org", "someone(at)example.org", "x [ a ] y", "( ät )",
    "&#64;", "&#x40;", "&commat;", "\uff20", "\ufe6b", "040 000 0000", "tel. 09 000 000",
    "2017-2021", "HEL 2017-010458", "31.12.2017", "1234567-8", "\uff10\uff14\uff10 000 0000",
    "1\u20030\u200b0 0000 000", "(\u2028at\u3000)", "(\x85a\x1c)", "12\x003456789", " ",
    "\ud800", "\u00c4(AT)", "(\u0130t)", "room 12 040 123 4567", "+358 40 000 0000",
    "\uff10\uff14\uff10\u3000\uff10\uff10\uff10\u3000\uff10\uff10\uff10\uff10",
    # what a reader sees differently from what is written (third trial)
    "040&#160;000&#160;0000", "040&nbsp;000 0000", "040\u202f000\u202f0000",
    "\u0660\u0664\u0660 \u0660\u0660\u0660 \u0660\u0660\u0660\u0660", "<someone@example.org>",
    '<a href="mailto:someone@example.org">x</a>', "someone at example dot org",
    "someone(at)example(piste)fi", "040 *000* 0000", "040 **000** 0000", "(*at*)",
    "a*t", "d*ot", "040 \\- 000", "0\u00ad40 000 0000", "&amp;#64;", "<b>040</b> 000 0000",
    "\u2460\u2463\u2460 000 0000", "ISBN 978-952-331-123-4",
    "040\n000 0000", "040\t000\t0000", "<!-- x -->", "<!--", "-->", "<b></b>", "<p>",
    "%40", 'href="tel:+358400000000"', "\n\n", "\u00b7", "040\u2022000\u20220000",
    "040\u034f000 0000", "some\U000e0041one@exam\ufe0fple.org", "04\u31640 000\uffa00000",
    "\u034f", "\U000e0100", "\u115f", "\u2065",
    "0\\40 123 4567", "040 12\\3 4567",
    "someone@[192.0.2.1]", "@[IPv6:2001:db8::1]",
    "someone%40example.org", "%*4*0",
    "first.last at example.org", "first.last a*t* exa*mple.o*rg", "some_one \u00e4t ex.fi",
    "first.last at example\\.org", " at example.org", "first.last",
    "first.last at example(dot)org", "at x[piste]fi", "(d*ot)",
]  # fmt: skip


@given(st.lists(st.sampled_from(TEXT_PARTS_OF_MARKERS), max_size=4).map("".join))
@example("(\u2028a)")
@example("[\x85AT\x1c}")
@example("\uff10\uff14\uff10\u2013\uff10\uff10\uff10\uff10")
@example("at\u3000\u3000dot")
def test_the_markers_mean_the_same_to_re2(text: str) -> None:
    """The rule's marker patterns, translated, find a marker wherever Python's do (RE2's
    ``\\S`` also takes the spaces outside ASCII: more, never less), and the same runs
    of digits."""
    marker, run = user_pattern(re2_syntax(pd._MARK)), user_pattern(re2_syntax(pd._DIGIT_RUN))
    if pd._MARK.search(text) is not None:
        assert marker.search(text) is not None
    runs = [m.group() for m in pd._DIGIT_RUN.finditer(text)]
    assert [m.group() for m in run.finditer(text)] == runs  # type: ignore[attr-defined]


@given(st.lists(st.sampled_from(TEXT_PARTS + TEXT_PARTS_OF_MARKERS), max_size=4).map("".join))
@example("040&#160;000&#160;0000")
@example("<someone@example.org>")
@example("\u2460\u2463\u2460 000 0000")
def test_the_cheap_markers_are_there_wherever_the_rule_finds_something(text: str) -> None:
    """What the definition finds in a text as a reader sees it, the cheap markers on the
    text as written see: the per-item test and the scan of many items at once."""
    assert_marked_if_found(text)


def assert_marked_if_found(text: str) -> None:
    if not pd.find_in_text(text):
        return
    assert pd.worth_a_look(text)
    item = Item(id="O_A", type="org", content=text)
    assert pd._marked([item]) is not False


# What the rule finds, and what a reader does not see inside it (Markdown's escapes
# and emphasis, invisible characters, tags, comments, entities, line breaks)
FOUND = [
    "someone@example.org", "someone(at)example.org", "someone at example dot org",
    "040 123 4567", "+358 40 000 0000", "tel. 09 000 000",
    "0\\40 123 4567",
    "someone@[192.0.2.1]", "someone@[IPv6:2001:db8::1]",
    "someone%40example.org",
    "first.last at example.org", "some_one \u00e4t example.fi", "someone2 at example.com",
    "first.last at example(dot)org",
]  # fmt: skip
UNSEEN = [
    "*", "**", "_", "`", "~", "\\", " ", "\n", "\u200b", "\u00ad", "\u034f", "\U000e0041",
    "\ufe0f", "\U000e0100", "\u3164", "\uffa0", "\u115f", "\u180b", "\u2065", "\U0001bca0",
    "<b></b>", "<!-- -->", "&shy;", "&#8203;",
]  # fmt: skip


@given(st.sampled_from(FOUND), st.integers(0, 30), st.sampled_from(UNSEEN))
@example("someone%40example.org", 8, "*")  # %*40
@example("someone%40example.org", 8, "\u034f")
@example("first.last at example.org", 12, "*")  # a*t
@example("first.last at example.org", 12, "\U000e0041")
@example("first.last at example.org", 22, "*")  # example.*org
@example("first.last at example.org", 21, "\\")  # example\.org
@example("someone at example dot org", 9, "\u2065")
@example("first.last at example(dot)org", 25, "*")  # (dot*)
@example("040 123 4567", 2, "\u3164")
def test_the_cheap_markers_see_what_a_reader_does_not(found: str, at: int, unseen: str) -> None:
    """Whatever the rule finds in a text with something a reader does not see inside
    it, the cheap markers see in the text as written."""
    assert_marked_if_found(found[:at] + unseen + found[at:])


@st.composite
def text_items(draw: st.DrawFn) -> list[Item]:
    part = st.sampled_from(TEXT_PARTS)
    text = st.lists(part, max_size=3).map("".join)
    made = []
    for n in range(draw(st.integers(0, 6))):
        made.append(
            Item(
                id=f"O_{n}",
                type="org",
                title=draw(text),
                content=draw(st.none() | text),
                source=draw(st.none() | text),
                texts=draw(st.dictionaries(st.sampled_from(["extra", "layout"]), text, max_size=2)),
            )
        )
    return made


@given(text_items())
@example([Item(id="O_A", type="org", title="x\ud800", content="someone@example.org")])
def test_the_personal_data_rule_reports_as_over_every_item(made: list[Item]) -> None:
    project = Project.from_items(made)
    expected = [  # the definition on every published text, without any marker test
        (item.id, f"{name}\0" + "\0".join(sorted(f.masked for f in found)))
        for item in project.items.values()
        for name, text in pd.published_texts(item)
        if (found := pd.find_in_text(text, "FI"))
    ]
    assert [(raw.need, raw.evidence) for raw in pd.personal_data(project, CTX)] == expected


def test_only_groups_holding_a_marker_are_looked_at_closely() -> None:
    made = [Item(id=f"O_{n}", type="org", title="HEL 2017-010458") for n in range(20000)]
    made[17000] = Item(id="O_17000", type="org", content="tel. 040 000 0000")
    looked_at = list(pd.items_worth_a_look(made))
    assert made[17000] in looked_at and len(looked_at) == pd._CHUNK


def plain_goal_has_followup(project: Project) -> Iterator[RawFinding]:
    """The goal-has-followup rule as it was before its pre-filter."""
    for goal in _open_goals(project):
        followups = followups_of(project, goal)
        if not followups:
            yield finding(goal.id, N_("goal {goal} has no follow-up"), goal=goal.id)
            continue
        if any(not followup_gaps(project, f) for f in followups):
            continue
        detail = [
            Message.of(
                N_("{followup} lacks {gaps}"),
                followup=f.id,
                gaps=Listing(tuple(followup_gaps(project, f))),
            )
            for f in followups
        ]
        yield finding(
            goal.id,
            N_("goal {goal} has no complete follow-up: {detail}"),
            goal=goal.id,
            detail=Listing(tuple(detail), "; "),
        )


@st.composite
def plans(draw: st.DrawFn) -> Project:
    ids = [f"X_{n}" for n in range(draw(st.integers(1, 5)))]
    some = st.lists(st.sampled_from([*ids, "NOPE"]), max_size=2)
    made = [
        Item(
            id=item_id,
            type=draw(st.sampled_from(["goal", "action", "followup", "org", "decision"])),
            status=draw(st.sampled_from([None, "dropped", "cancelled", "dissolved", "done"])),
            due=draw(st.sampled_from([None, "", "2027-12-31", "2027-12-31"])),
            cadence=draw(st.sampled_from([None, "annual"])),
            indicator=draw(st.sampled_from([None, " ", "x", "x"])),
            # mostly the one organisation: follow-ups with one gap or none are common
            owner=tuple(draw(st.sampled_from([["O_ORG"], ["O_ORG"], ["O_GONE"]]) | some)),
            tracks=tuple(draw(some)),
            implements=tuple(draw(some)),
        )
        for item_id in draw(st.lists(st.sampled_from(ids), max_size=9))  # duplicates too
    ]
    made += [Item(id="O_ORG", type="org"), Item(id="O_GONE", type="org", status="dissolved")]
    return Project.from_items(made)


ONE_GAP = Project.from_items(
    [
        Item(id="G_A", type="goal"),
        Item(id="F_A", type="followup", tracks=("G_A",), owner=("O_ORG",), cadence="annual"),
        Item(id="O_ORG", type="org"),
    ]
)

# a complete follow-up of a cancelled action does not follow the goal up
CANCELLED = Project.from_items(
    [
        Item(id="G_A", type="goal"),
        Item(id="A_A", type="action", status="cancelled", implements=("G_A",)),
        Item(id="F_A", type="followup", tracks=("A_A",), owner=("O_ORG",), cadence="annual",
             indicator="x"),
        Item(id="O_ORG", type="org"),
    ]
)  # fmt: skip


@given(plans())
@example(ONE_GAP)
@example(CANCELLED)
def test_the_goal_rules_report_as_goal_by_goal(project: Project) -> None:
    def shown(found: Iterator[RawFinding]) -> list[tuple[str, str]]:
        return [(raw.need, raw.message.render()) for raw in found]

    expected = shown(plain_goal_has_followup(project))
    assert shown(goal_has_followup(project, CTX)) == expected
    plain = [g.id for g in _open_goals(project) if not actions_of(project, g)]
    assert [raw.need for raw in goal_has_action(project, CTX)] == plain


@st.composite
def needs_maps(draw: st.DrawFn) -> tuple[dict[str, Item], dict[str, str]]:
    """A decoded export's map of need id to item: mostly filed under their own ids
    and of policycheck's types, sometimes not (another key, a project's own type, a
    configured type name)."""
    ids = st.sampled_from(["G_1", "G_2", "A_1", "O_1", "X"])
    types = st.sampled_from(["goal", "goal", "action", "org", "req", "Ziel"])
    needs = {}
    for key in draw(st.lists(ids, max_size=6, unique=True)):
        own = draw(st.booleans()) or draw(st.booleans())
        needs[key] = Item(id=key if own else draw(ids), type=draw(types))
    roles = draw(st.sampled_from([dict(DEFAULT_ROLES), {**DEFAULT_ROLES, "Ziel": "goal"}]))
    return needs, roles


@given(needs_maps())
def test_a_decoded_map_makes_the_project_its_items_make(made: tuple[dict, dict]) -> None:
    needs, roles = made
    fast, plain = Project.from_needs(needs, roles), Project.from_items(needs.values(), roles)
    assert list(fast.items.items()) == list(plain.items.items())
    assert list(fast.by_type.items()) == list(plain.by_type.items())


def test_items_without_other_text_fields_share_one_read_only_empty_texts() -> None:
    decoded = parse_needs_json(
        b'{"current_version": "", "versions": {"": {"needs": {'
        b'"G_1": {"id": "G_1", "type": "goal"}, "G_2": {"id": "G_2", "type": "goal"}}}}}'
    )
    first, second = decoded.items.values()
    assert first.texts is second.texts is Item(id="G_3", type="goal").texts
    assert first.texts == {} and not first.texts and msgspec.json.encode(first.texts) == b"{}"
    for change in (
        lambda t: t.__setitem__("x", "y"),
        lambda t: t.update(x="y"),
        lambda t: t.setdefault("x", "y"),
        lambda t: t.__ior__({"x": "y"}),
    ):
        with pytest.raises(TypeError):
            change(first.texts)
    assert first.texts == {}
    assert Item(id="G_4", type="goal", texts={"x": "y"}).texts == {"x": "y"}
