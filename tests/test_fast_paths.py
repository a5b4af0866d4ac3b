"""The standalone check's fast paths give the verdict of the plain definitions they
stand in for (bench/check_needs_json.py measures what they save)."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from policycheck import domain
from policycheck.config import PolicyConfig
from policycheck.domain import LINKS_BY_NAME, Field, vocabulary
from policycheck.model import LINK_NAMES, Item, Project
from policycheck.patterns import user_matcher, user_pattern
from policycheck.rules import Context
from policycheck.rules.ids import generated_id
from policycheck.rules.links import link_integrity
from policycheck.rules.schema import _violations, needs_schema

PATTERNS = [
    PolicyConfig().id_pattern,
    r"[A-Z]{2}_\d+",
    r"^.{3}$",
    r"(?i)^ä\w+",
    r"^(a+)+$",
    r"\d",
    r"",
    r"A*$",
    r"(?s)A.{0,3}_",
    r"(?:[A-F]|\d){1,40}(_Z|$)",
    r"(?i)^(ä|ß|ss)",
]
TEXT = st.text(alphabet="AaäÄ_Z0123456789F- \u00df\U0001f600", max_size=12)


@given(st.sampled_from(PATTERNS), TEXT)
@example(r"^.{3}$", "ä\U0001f600b")
@example(r"(?i)^ä\w+", "Äß")
def test_the_bytes_matcher_agrees_with_the_pattern(pattern: str, text: str) -> None:
    expected = user_pattern(pattern).match(text) is not None
    assert user_matcher(pattern)(text) == expected


def slow_generated_id(item: Item) -> bool:
    """The plain definition: hash first, then compare (a made-up id has at least
    sphinx-needs' default five hash characters)."""
    prefix = vocabulary().type_of_role(item.type).prefix
    if not item.id.startswith(prefix):
        return False
    rest = item.id[len(prefix) :]
    digest = hashlib.sha1((item.title or item.content or "").encode("utf-8")).hexdigest().upper()
    from_title = (item.title or "").upper().replace(" ", "_") + "_"
    if rest.startswith(from_title):
        rest = rest[len(from_title) :]
    return len(rest) >= 5 and digest.startswith(rest)


def sha_start(text: str, n: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest().upper()[:n]


@st.composite
def items(draw: st.DrawFn) -> Item:
    kind = draw(st.sampled_from(["goal", "action", "org"]))
    prefix = vocabulary().type_of_role(kind).prefix
    title = draw(st.sampled_from(["", "Grow", "a b", "ß x", "Attract investment"]))
    content = draw(st.sampled_from([None, "", "Text"]))
    source = title or content or ""
    rest = draw(
        st.sampled_from(
            [
                sha_start(source, 5),
                sha_start(source, 1),
                title.upper().replace(" ", "_") + "_" + sha_start(source, 4),
                title.upper().replace(" ", "_") + "_",
                "",
                "123",
                "0_B",
                "XYZ",
            ]
        )
    )
    other = draw(st.sampled_from(["", "G_", "O_"]))
    return Item(id=(other or prefix) + rest, type=kind, title=title, content=content)


@given(items())
def test_generated_ids_are_told_as_before(item: Item) -> None:
    assert generated_id(item) == slow_generated_id(item)
    prefix = vocabulary().type_of_role(item.type).prefix
    assert generated_id(item, prefix=prefix) == slow_generated_id(item)


@st.composite
def projects(draw: st.DrawFn) -> Project:
    made = []
    for n in range(draw(st.integers(0, 6))):
        made.append(
            Item(
                id=f"I_{n}",
                type=draw(st.sampled_from(["goal", "action", "followup", "decision", "mine"])),
                status=draw(st.sampled_from([None, "", "active", "done", "achieved", "bogus"])),
                due=draw(st.sampled_from([None, "", "2027-12-31", "2027-02-30", "soon"])),
                cadence=draw(st.sampled_from([None, "annual", "P1Y", "yearly"])),
                as_of=draw(st.sampled_from([None, "2024", "2024-13"])),
                indicator=draw(st.sampled_from([None, "x"])),
            )
        )
    return Project.from_items(made, {**{r: r for r in ("goal", "action", "followup")},
                                     "decision": "decision", "mine": "goal"})  # fmt: skip


@given(projects())
def test_the_schema_rule_skips_only_valid_items(project: Project) -> None:
    voc = vocabulary()
    checked: dict[tuple[str, str], bool] = {}
    expected = [
        (item.id, message.render())
        for item in project.items.values()
        for message in _violations(item, voc, list(voc.fields), checked)
    ]
    ctx = Context(date(2026, 1, 1), PolicyConfig())
    assert [(raw.need, raw.message.render()) for raw in needs_schema(project, ctx)] == expected


def edge_by_edge(project: Project) -> list[tuple[str, str, str]]:
    """The link rule's definition over Project.edges, as it was before the fast path."""
    found, misused = [], set()
    for item, name, target_id in project.edges():
        link = LINKS_BY_NAME[name]
        if item.type not in link.sources:
            if (item.id, name) not in misused:
                misused.add((item.id, name))
                found.append((item.id, f"use {name}", f"use\0{name}"))
            continue
        target = project.items.get(target_id)
        if target is None:
            found.append((item.id, f"unknown {target_id}", f"{name}\0{target_id}"))
        elif target.type not in link.targets:
            found.append((item.id, f"type {target.type} {target_id}", f"{name}\0{target_id}"))
    return found


@st.composite
def linked(draw: st.DrawFn) -> Project:
    ids = [f"X_{n}" for n in range(draw(st.integers(1, 5)))]
    targets = st.lists(st.sampled_from([*ids, "NOPE"]), max_size=3)
    made = [
        Item(
            id=item_id,
            type=draw(st.sampled_from(["goal", "action", "followup", "decision", "org"])),
            **{name: draw(targets) for name in draw(st.sets(st.sampled_from(LINK_NAMES)))},
        )
        for item_id in ids
    ]
    return Project.from_items(made)


@given(linked())
def test_the_link_rule_reports_as_edge_by_edge(project: Project) -> None:
    ctx = Context(date(2026, 1, 1), PolicyConfig())
    got = [(raw.need, raw.evidence) for raw in link_integrity(project, ctx)]
    assert got == [(need, evidence) for need, _, evidence in edge_by_edge(project)]


def test_a_constrained_field_the_table_adds_is_checked_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A field the vocabulary gains is not an attribute of the model: its value, kept
    in the item's other texts, is checked like the others (fast path included)."""
    extra = Field("likelihood", "Likelihood", "How likely", (), {"pattern": "^(low|high)$"})
    table = dataclasses.replace(domain.VOCABULARY, fields=(*domain.VOCABULARY.fields, extra))
    monkeypatch.setattr(domain, "VOCABULARY", table)
    project = Project.from_items(
        [
            Item(id="G_A", type="goal", due="soon", texts={"likelihood": "maybe"}),
            Item(id="G_B", type="goal", texts={"likelihood": "low"}),
            Item(id="G_C", type="goal", texts={"likelihood": "often"}),
        ]
    )
    ctx = Context(date(2026, 1, 1), PolicyConfig())
    found = [raw.message.render() for raw in needs_schema(project, ctx)]
    assert found == [
        "due of G_A is not valid (Due date (ISO 8601)): 'soon'",
        "likelihood of G_A is not valid (How likely): 'maybe'",
        "likelihood of G_C is not valid (How likely): 'often'",
    ]
