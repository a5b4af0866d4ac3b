"""A Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

Counts, a table of findings linking to file and line, and the known (baselined)
findings collapsed. All user text is escaped: no raw HTML survives. Links point
into the repository when GitHub's environment names it (``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY``, ``GITHUB_SHA``), else the location is plain text.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from policycheck.findings import Finding, Report
from policycheck.i18n import N_, Translate
from policycheck.reporters.escape import markdown


def _link_base() -> str | None:
    server = os.environ.get("GITHUB_SERVER_URL")
    repo = os.environ.get("GITHUB_REPOSITORY")
    sha = os.environ.get("GITHUB_SHA")
    if server and repo and sha:
        return f"{server}/{quote(repo)}/blob/{quote(sha)}/"
    return None


def _where(f: Finding, base: str | None) -> str:
    if not f.file:
        return ""
    label = markdown(f"{f.file}:{f.line}")
    if base is None:
        return label
    return f"[{label}]({base}{quote(f.file)}#L{f.line})"


def _table(findings: list[Finding], base: str | None, _: Translate) -> list[str]:
    head = " | ".join(markdown(_(word)) for word in ("Where", "Rule", "Item", "Finding"))
    rows = [f"| {head} |", "|---|---|---|---|"]
    for f in findings:
        rule = markdown(f"{f.code} {f.rule}")
        message = markdown(f.text(_))
        rows.append(f"| {_where(f, base)} | {rule} | {markdown(f.need)} | {message} |")
    return rows


def _changes(report: Report) -> list[str]:
    """What the change does to the register, in the report's language: read first."""
    from policycheck.history.words import Words

    assert report.changes is not None
    words = Words(report.language)
    said = words.lines(report.changes) or [words.nothing()]
    return [f"## {markdown(words.heading())}", "", *(f"- {markdown(line)}" for line in said), ""]


def render(report: Report) -> str:
    s = report.summary
    _ = report.translator()
    base = _link_base()
    new = [f for f in report.active if not f.known]
    known = [f for f in report.active if f.known]
    verdict = _("policycheck found new errors") if report.failed else _("policycheck passed")
    heads = ("Goals complete", "Errors", "Warnings", "Known", "Waived")
    complete = report.say(N_("{complete} of {goals}"), complete=s.goals_complete, goals=s.goals)
    lines = [
        f"## {'❌' if report.failed else '✅'} {markdown(verdict)}",
        "",
        "| " + " | ".join(markdown(_(head)) for head in heads) + " |",
        "|---|---|---|---|---|",
        f"| {complete} | {s.errors} | {s.warnings} | {s.known} | {s.waived} |",
        "",
    ]
    if report.changes is not None:
        lines[:0] = _changes(report)
    if new:
        lines += [f"### {markdown(_('Findings'))}", "", *_table(new, base, _), ""]
    if report.fixed:
        fixed = report.say(N_("Fixed by this change ({count})"), count=len(report.fixed))
        lines += [f"### {markdown(fixed)}", "", *_table(report.fixed, base, _), ""]
    if known:
        summary = report.say(N_("Known findings (baseline): {count}"), count=len(known))
        lines += [
            "<details>",
            f"<summary>{markdown(summary)}</summary>",
            "",
            *_table(known, base, _),
            "",
            "</details>",
            "",
        ]
    lines.append(report.say(N_("Checked on {today}."), today=markdown(report.today)))
    return "\n".join(lines) + "\n"
