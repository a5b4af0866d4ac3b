"""The human-readable report: findings grouped by file, then a summary line.

In the report's language (``Report.language``: ``--language`` or the locale); rule
codes and names, ids and paths stay as written. Colour only when asked (the CLI asks
on a terminal without ``NO_COLOR``); the text reads the same without it. User text
is folded onto one line with control and bidi characters made visible, so a title
cannot rewrite the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from policycheck.errors import one_line
from policycheck.findings import Finding, Report
from policycheck.i18n import N_

_COLOURS = {"error": "31", "warning": "33", "known": "2", "file": "1"}
# a finding's tag in the first column (a severity, or known from the baseline)
TAGS = {"error": N_("error"), "warning": N_("warning"), "known": N_("known")}
SUMMARY = N_(
    "{complete} of {goals} goals complete; {errors} errors, {warnings} warnings, "
    "{known} known, {waived} waived (today {today})"
)


def _paint(text: str, kind: str, color: bool) -> str:
    return f"\033[{_COLOURS[kind]}m{text}\033[0m" if color else text


def _row(f: Finding, color: bool, _: Callable[[str], str], width: int) -> str:
    tag = "known" if f.known else f.severity
    word = _(TAGS.get(tag, tag))
    return (
        f"  {f.line:>5}  {_paint(f'{word:<{width}}', tag, color)}  {f.code} {f.rule}  "
        f"{one_line(f.need)}  {one_line(f.text(_))}"
    )


def render(report: Report, color: bool = False) -> str:
    _ = report.translator()
    width = max(len(_(word)) for word in TAGS.values())

    def rows(findings: list[Finding]) -> list[str]:
        return [_row(f, color, _, width) for f in findings]

    lines: list[str] = []
    for file, group in groupby(report.active, key=lambda f: f.file):
        lines.append(_paint(one_line(file) or _("(no file)"), "file", color))
        lines.extend(rows(list(group)))
        lines.append("")
    if report.fixed:
        fixed = report.say(N_("fixed by this change: {count}"), count=len(report.fixed))
        lines.append(_paint(fixed, "file", color))
        lines.extend(rows(report.fixed))
        lines.append("")
    if report.changes is not None:
        lines.extend(_changes(report, color))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _changes(report: Report, color: bool) -> list[str]:
    from policycheck.history.words import Words

    assert report.changes is not None
    words = Words(report.language)
    said = words.lines(report.changes) or [words.nothing()]
    return [
        _paint(one_line(words.heading()), "file", color),
        *(f"  {one_line(s)}" for s in said),
        "",
    ]


def summary_line(report: Report) -> str:
    """The counts in one line, in the report's language."""
    s = report.summary
    return report.say(
        SUMMARY,
        complete=s.goals_complete,
        goals=s.goals,
        errors=s.errors,
        warnings=s.warnings,
        known=s.known,
        waived=s.waived,
        today=report.today,
    )
