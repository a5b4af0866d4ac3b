"""Waivers: ``:waive: RULE until YYYY-MM-DD because REASON`` (several with ``;``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from policycheck.findings import Message
from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.rules import Context, RawFinding, finding, rule

WAIVER = re.compile(r"^(?P<rule>\S+)\s+until\s+(?P<until>\S+)\s+because\s+(?P<reason>\S.*)$", re.S)
NAME = "waiver-expired"


@dataclass(frozen=True)
class Waiver:
    rule: str
    until: date
    reason: str


@dataclass(frozen=True)
class WaiverProblem:
    text: str
    problem: Message


def parse_waivers(item: Item, known_rules: frozenset[str]) -> list[Waiver | WaiverProblem]:
    """Every waiver written on ``item``, or what is wrong with it."""
    out: list[Waiver | WaiverProblem] = []
    for part in (item.waive or "").split(";"):
        text = " ".join(part.split())
        if not text:
            continue
        match = WAIVER.match(text)
        if match is None:
            out.append(
                WaiverProblem(
                    text, Message(N_("is not of the form 'RULE until YYYY-MM-DD because REASON'"))
                )
            )
            continue
        name, until, reason = match["rule"], match["until"], match["reason"].strip()
        if name not in known_rules:
            out.append(
                WaiverProblem(text, Message.of(N_("names unknown rule {rule}"), rule=repr(name)))
            )
        elif name == NAME:
            out.append(WaiverProblem(text, Message.of(N_("cannot waive {rule} itself"), rule=NAME)))
        else:
            try:
                out.append(Waiver(name, date.fromisoformat(until), reason))
            except ValueError:
                out.append(
                    WaiverProblem(
                        text, Message.of(N_("has no valid date ({value})"), value=repr(until))
                    )
                )
    return out


def active_waivers(item: Item, known_rules: frozenset[str], today: date) -> dict[str, Waiver]:
    """The waivers of ``item`` that silence their rule today, by rule name."""
    return {
        w.rule: w
        for w in parse_waivers(item, known_rules)
        if isinstance(w, Waiver) and w.until >= today
    }


def waiver_expired(project: Project, ctx: Context) -> Iterator[RawFinding]:
    from policycheck.rules import rule_names

    known = rule_names()
    for item in project.having("waive"):
        for waiver in parse_waivers(item, known):
            if isinstance(waiver, WaiverProblem):
                yield finding(
                    item.id,
                    N_("waiver on {item} {problem}: {waiver}"),
                    item=item.id,
                    problem=waiver.problem,
                    waiver=waiver.text,
                )
            elif waiver.until < ctx.today:
                yield finding(
                    item.id,
                    N_("waiver of {rule} on {item} expired on {until}"),
                    rule=waiver.rule,
                    item=item.id,
                    until=waiver.until.isoformat(),
                )


rule(
    name=NAME,
    reads=("waive",),
    code="PC301",
    severity="warning",
    title=N_("Waivers are valid and current"),
    summary=N_(
        "A waiver past its expiry is reported and no longer silences its rule; a waiver "
        "that cannot be read (no date, no reason, unknown rule) is reported too."
    ),
    rationale=N_(
        "A waiver is a justified, dated exception, not a way to hide a gap. Once its date "
        "passes, the finding it silenced comes back and the waiver itself is reported, so "
        "that someone decides again. A waiver without a reason or date is no waiver."
    ),
    bad="""```{followup} Interim report
:id: F_INTERIM
:due: 2020-06-30
:status: done
:waive: followup-overdue until 2020-09-30 because the report waited for the statistics
```""",
    good="""```{followup} Interim report
:id: F_INTERIM
:due: 2020-06-30
:status: scheduled
:waive: followup-overdue until 2027-06-30 because the report waits for the 2026 statistics
```""",
    check=waiver_expired,
)
