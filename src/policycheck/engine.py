"""The one place rules are run: model in, graded findings out.

Both the Sphinx build (``sphinx/checks``) and the command line (``cli``) call
:func:`check`, so a finding is the same finding on either path.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from operator import attrgetter

from policycheck.config import PolicyConfig
from policycheck.findings import (
    CheckedItem,
    Finding,
    Key,
    Message,
    Report,
    RuleInfo,
    Summary,
    Waived,
    fingerprint_of,
)
from policycheck.model import Project
from policycheck.rules import Context, RawFinding, all_rules, goal_rules, rule_names
from policycheck.rules.plan import DROPPED
from policycheck.rules.waivers import active_waivers

# The report's order, as Finding's own ordering (every compared field in turn), with
# each finding's fields read once rather than at every comparison.
SORT_KEY = attrgetter(*(f.name for f in fields(Finding) if f.compare))

# The rules whose findings make a goal incomplete (``Rule.goal_completeness``).
GOAL_RULES = goal_rules()


def rule_infos() -> list[RuleInfo]:
    """The catalogue as the report carries it: reporters read the report, not the rules."""
    return [
        RuleInfo(
            r.name,
            r.code,
            r.severity,
            r.summary,
            r.rationale,
            r.bad_example,
            r.good_example,
            r.applies_to,
        )
        for r in all_rules()
    ]


def check(
    project: Project,
    config: PolicyConfig,
    today: date,
    *,
    baseline: frozenset[Key] = frozenset(),
    path_prefix: str = "",
) -> Report:
    """Run every rule at the severity the configuration gives it (``off``: not run, and
    no part of the verdict, ``goals_complete`` included). ``path_prefix`` is the Sphinx
    project's folder relative to the repository root (``"docs/"``): every reported file
    is relative to the repository root."""
    ctx = Context(today=today, config=config)
    known_rules = rule_names()
    waivers = {
        item.id: active_waivers(item, known_rules, today) for item in project.having("waive")
    }
    findings: list[Finding] = []
    incomplete_goals: set[str] = set()

    def add(
        rule: str,
        code: str,
        severity: str,
        need: str,
        message: Message,
        raw: RawFinding | None = None,
    ) -> None:
        item = project.items.get(need)
        waived = need in waivers and rule in waivers[need]
        print_ = fingerprint_of(raw.evidence) if raw and raw.evidence else ""
        if raw and raw.file:
            file, line = raw.file, raw.line
        else:
            file = item.file if item else ""
            line = (item.lineno or 1) if item is not None and file else 0
        findings.append(
            Finding(  # (positional, in the order of its fields: a hot path)
                path_prefix + file if file else "",  # file
                line,
                rule,
                need,
                message.render(),  # message
                code,
                severity,
                (rule, need, print_) in baseline and not waived,  # known
                waived,
                message,  # template
                print_,  # fingerprint
            )
        )

    for rule in all_rules():
        severity = config.severity_of(rule.name, rule.severity)
        if severity == "off":
            continue
        for raw in rule.check(project, ctx):
            if rule.goal_completeness:
                incomplete_goals.add(raw.need)
            add(rule.name, rule.code, severity, raw.need, raw.message, raw)

    findings.sort(key=SORT_KEY)
    open_goals = [g for g in project.of_type("goal") if g.status not in DROPPED]
    summary = Summary(
        items=len(project.items),
        goals=len(open_goals),
        goals_complete=sum(1 for g in open_goals if g.id not in incomplete_goals),
    )
    report_waivers = {
        need: [Waived(w.rule, w.until.isoformat(), w.reason) for w in active.values()]
        for need, active in waivers.items()
        if active
    }

    def items() -> list[CheckedItem]:
        return [
            CheckedItem(
                i.id,
                i.type,
                path_prefix + i.file if i.file else "",
                (i.lineno or 1) if i.file else 0,
            )
            for i in project.items.values()
        ]

    report = Report(today.isoformat(), findings, summary, report_waivers, items)
    report.rules = rule_infos()
    report.count_findings()
    return report
