"""The human-readable report: findings grouped by file, then a summary line.

Colour only when asked (the CLI asks on a terminal without ``NO_COLOR``); the text
reads the same without it. User text is folded onto one line with control and
bidi characters made visible, so a title cannot rewrite the terminal.
"""

from __future__ import annotations

from itertools import groupby

from policycheck.errors import one_line
from policycheck.findings import Finding, Report

_COLOURS = {"error": "31", "warning": "33", "known": "2", "file": "1"}


def _paint(text: str, kind: str, color: bool) -> str:
    return f"\033[{_COLOURS[kind]}m{text}\033[0m" if color else text


def _row(f: Finding, color: bool) -> str:
    tag = "known" if f.known else f.severity
    return (
        f"  {f.line:>5}  {_paint(f'{tag:<7}', tag, color)}  {f.code} {f.rule}  "
        f"{one_line(f.need)}  {one_line(f.message)}"
    )


def render(report: Report, color: bool = False) -> str:
    lines: list[str] = []
    for file, group in groupby(report.active, key=lambda f: f.file):
        lines.append(_paint(one_line(file) or "(no file)", "file", color))
        lines.extend(_row(f, color) for f in group)
        lines.append("")
    if report.fixed:
        lines.append(_paint(f"fixed by this change: {len(report.fixed)}", "file", color))
        lines.extend(_row(f, color) for f in report.fixed)
        lines.append("")
    if report.changes is not None:
        lines.extend(_changes(report, color))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _changes(report: Report, color: bool) -> list[str]:
    from policycheck.history.words import Words, report_language

    assert report.changes is not None
    words = Words(report_language(report))
    said = words.lines(report.changes) or [words.nothing()]
    return [
        _paint(one_line(words.heading()), "file", color),
        *(f"  {one_line(s)}" for s in said),
        "",
    ]


def summary_line(report: Report) -> str:
    s = report.summary
    return (
        f"{s.goals_complete} of {s.goals} goals complete; {s.errors} errors, "
        f"{s.warnings} warnings, {s.known} known, {s.waived} waived (today {report.today})"
    )
