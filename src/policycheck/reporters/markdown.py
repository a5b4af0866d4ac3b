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


def _table(findings: list[Finding], base: str | None) -> list[str]:
    rows = ["| Where | Rule | Item | Finding |", "|---|---|---|---|"]
    for f in findings:
        rule = markdown(f"{f.code} {f.rule}")
        rows.append(f"| {_where(f, base)} | {rule} | {markdown(f.need)} | {markdown(f.message)} |")
    return rows


def _changes(report: Report) -> list[str]:
    """What the change does to the register, in the report's language: read first."""
    from policycheck.history.words import Words, report_language

    assert report.changes is not None
    words = Words(report_language(report))
    said = words.lines(report.changes) or [words.nothing()]
    return [f"## {markdown(words.heading())}", "", *(f"- {markdown(line)}" for line in said), ""]


def render(report: Report) -> str:
    s = report.summary
    base = _link_base()
    new = [f for f in report.active if not f.known]
    known = [f for f in report.active if f.known]
    verdict = "❌ policycheck found new errors" if report.failed else "✅ policycheck passed"
    lines = [
        f"## {verdict}",
        "",
        "| Goals complete | Errors | Warnings | Known | Waived |",
        "|---|---|---|---|---|",
        f"| {s.goals_complete} of {s.goals} | {s.errors} | {s.warnings} | {s.known} | {s.waived} |",
        "",
    ]
    if report.changes is not None:
        lines[:0] = _changes(report)
    if new:
        lines += ["### Findings", "", *_table(new, base), ""]
    if report.fixed:
        fixed = report.fixed
        lines += [f"### Fixed by this change ({len(fixed)})", "", *_table(fixed, base), ""]
    if known:
        lines += [
            "<details>",
            f"<summary>Known findings (baseline): {len(known)}</summary>",
            "",
            *_table(known, base),
            "",
            "</details>",
            "",
        ]
    lines.append(f"Checked on {markdown(report.today)}.")
    return "\n".join(lines) + "\n"
