"""Finding messages and the rule catalogue are translated by the one gettext catalogue."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from policycheck.config import PolicyConfig
from policycheck.engine import check
from policycheck.findings import Listing, Message
from policycheck.i18n import translated_languages, translator
from policycheck.model import Item, Project
from policycheck.rules import all_rules

RULES_DIR = Path(__file__).parents[1] / "src" / "policycheck" / "rules"
# personal_data.py is the "gate" area's; its messages are its own to mark and translate
SOURCES = sorted(p for p in RULES_DIR.glob("*.py") if p.name != "personal_data.py")


def _msgids() -> list[str]:
    ids = []
    for source in SOURCES:
        for _line, msgid, _comments, _context in extract_from_file(
            "python", str(source), keywords={"N_": None}
        ):
            ids.append(msgid)
    return ids


MSGIDS = _msgids()
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_rule_text_is_marked_for_extraction() -> None:
    marked = set(MSGIDS)
    for rule in all_rules():
        if rule.name == "personal-data":
            continue
        assert {rule.title, rule.summary, rule.rationale} <= marked, rule.name


@pytest.mark.parametrize("language", translated_languages())
@pytest.mark.parametrize("msgid", MSGIDS)
def test_translated_with_the_same_placeholders(language: str, msgid: str) -> None:
    translated = translator(language)(msgid)
    assert translated != msgid, f"no {language} translation"
    assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(msgid))


def test_a_finding_is_english_in_reports_and_translated_on_demand() -> None:
    items = [Item(id="G_LONELY", type="goal", owner=["O_GONE"])]
    report = check(Project.from_items(items), PolicyConfig(), date(2026, 1, 1))
    owner = next(f for f in report.findings if f.rule == "goal-has-owner")
    assert owner.message == "owner O_GONE of goal G_LONELY is not an organisation"
    assert owner.text(translator("fi")) == "tavoitteen G_LONELY vastuutaho O_GONE ei ole toimija"
    assert owner.text(translator("sv")) == (
        "den ansvariga O_GONE för målet G_LONELY är ingen organisation"
    )
    assert owner.text(translator("en")) == owner.message


def test_nested_parameters_are_translated_with_the_message() -> None:
    gaps = Listing((Message("an owner"), Message("an indicator")))
    detail = Message.of("{followup} lacks {gaps}", followup="F_X", gaps=gaps)
    outer = Message.of(
        "goal {goal} has no complete follow-up: {detail}",
        goal="G_X",
        detail=Listing((detail, detail), "; "),
    )
    assert outer.render() == (
        "goal G_X has no complete follow-up: F_X lacks an owner, an indicator; "
        "F_X lacks an owner, an indicator"
    )
    assert outer.render(translator("fi")) == (
        "tavoitteella G_X ei ole täydellistä seurantaa: seurannalta F_X puuttuu: "
        "vastuutaho, mittari; seurannalta F_X puuttuu: vastuutaho, mittari"
    )


def test_user_text_in_parameters_is_not_formatted_again() -> None:
    message = Message.of("goal {goal} has no owner", goal="{0} {goal!r} {__class__}")
    assert message.render() == "goal {0} {goal!r} {__class__} has no owner"
    assert message.render(translator("fi")) == (
        "tavoitteella {0} {goal!r} {__class__} ei ole vastuutahoa"
    )


def test_a_broken_translation_falls_back_to_english() -> None:
    message = Message.of("goal {goal} has no owner", goal="G_X")
    assert message.render(lambda _: "tavoitteella {tavoite} ei ole") == "goal G_X has no owner"
