"""GitHub Actions workflow commands: one annotation per finding on its file and line.

Escaped as GitHub's toolkit does (``%``, ``\\r``, ``\\n`` in data; also ``:`` and
``,`` in properties), so a hostile title cannot end the command and forge another.
"""

from __future__ import annotations

from policycheck.findings import Finding, Report
from policycheck.i18n import Translate
from policycheck.reporters.escape import github_data, github_property, visible
from policycheck.reporters.text import summary_line


def _command(f: Finding, _: Translate) -> str:
    level = "notice" if f.known else ("error" if f.severity == "error" else "warning")
    props = []
    if f.file:
        props += [f"file={github_property(visible(f.file))}", f"line={f.line}"]
    known = " " + _("(known)") if f.known else ""
    props.append(f"title={github_property(visible(f'{f.code} {f.rule}{known}: {f.need}'))}")
    return f"::{level} {','.join(props)}::{github_data(visible(f.text(_)))}"


def render(report: Report) -> str:
    _ = report.translator()
    lines = [_command(f, _) for f in report.active]
    if report.changes is not None:
        from policycheck.history.words import Words

        words = Words(report.language)
        title = github_property(visible(words.heading()))
        said = words.lines(report.changes) or [words.nothing()]
        lines += [f"::notice title={title}::{github_data(visible(line))}" for line in said]
    lines.append(github_data(summary_line(report)))
    return "\n".join(lines) + "\n"
