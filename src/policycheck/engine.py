"""The one place rules are run: model in, graded findings out.

Both the Sphinx build (``sphinx/checks``) and the command line (``cli``) call
:func:`check`, so a finding is the same finding on either path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from policycheck.config import PolicyConfig
from policycheck.findings import CheckedItem, Finding, Key, Report, Summary, Waived, fingerprint_of
from policycheck.model import Project
from policycheck.rules import Context, RawFinding, all_rules, rule_names
from policycheck.rules.plan import DROPPED
from policycheck.rules.waivers import active_waivers

GOAL_RULES = ("goal-has-action", "goal-has-owner", "goal-has-followup")

# sphinx-needs' own schema violations, located and reported alongside the rules.
SCHEMA_RULE = "needs-schema"
SCHEMA_CODE = "PC001"


def check(
    project: Project,
    config: PolicyConfig,
    today: date,
    *,
    baseline: frozenset[Key] = frozenset(),
    schema_violations: Mapping[str, list[str]] | None = None,
) -> Report:
    ctx = Context(today=today, config=config)
    known_rules = rule_names()
    waivers = {
        item.id: active_waivers(item, known_rules, today)
        for item in project.items.values()
        if item.waive
    }
    findings: list[Finding] = []
    incomplete_goals: set[str] = set()

    def add(
        rule: str,
        code: str,
        severity: str,
        need: str,
        message: str,
        raw: RawFinding | None = None,
    ) -> None:
        item = project.items.get(need)
        waived = rule in waivers.get(need, {})
        print_ = fingerprint_of(raw.evidence) if raw else ""
        if raw and raw.file:
            file, line = raw.file, raw.line
        else:
            file = item.file if item else ""
            line = (item.lineno or 1) if item and item.file else 0
        findings.append(
            Finding(
                file=file,
                line=line,
                rule=rule,
                need=need,
                message=message,
                code=code,
                severity=severity,
                known=(rule, need, print_) in baseline and not waived,
                waived=waived,
                fingerprint=print_,
            )
        )

    for rule in all_rules():
        severity = config.severity_of(rule.name, rule.severity)
        for raw in rule.check(project, ctx):
            if rule.name in GOAL_RULES:
                incomplete_goals.add(raw.need)
            if severity != "off":
                add(rule.name, rule.code, severity, raw.need, raw.message, raw)
    for need, messages in (schema_violations or {}).items():
        for message in messages:
            text = f"{need}: schema violation, {message}"
            add(
                SCHEMA_RULE,
                SCHEMA_CODE,
                "error",
                need,
                text,
                RawFinding(need, text, evidence=message),
            )

    findings.sort()
    open_goals = [g for g in project.of_type("goal") if g.status != DROPPED]
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
            CheckedItem(i.id, i.type, i.file, (i.lineno or 1) if i.file else 0)
            for i in project.items.values()
        ]

    report = Report(today.isoformat(), findings, summary, report_waivers, items)
    report.count_findings()
    return report
