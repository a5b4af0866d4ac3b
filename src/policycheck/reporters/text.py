"""The human-readable report: findings grouped by file, then a summary line."""

from __future__ import annotations

from itertools import groupby

from policycheck.errors import one_line
from policycheck.findings import Finding, Report


def _row(f: Finding) -> str:
    tag = "known" if f.known else f.severity
    return f"  {f.line:>5}  {tag:<7}  {f.code} {f.rule}  {one_line(f.need)}  {one_line(f.message)}"


def render(report: Report) -> str:
    lines: list[str] = []
    for file, group in groupby(report.active, key=lambda f: f.file):
        lines.append(one_line(file) or "(no file)")
        lines.extend(_row(f) for f in group)
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    s = report.summary
    return (
        f"{s.goals_complete} of {s.goals} goals complete; {s.errors} errors, "
        f"{s.warnings} warnings, {s.known} known, {s.waived} waived (today {report.today})"
    )
