"""Reporters turn a :class:`~policycheck.findings.Report` into text for people and tools."""

from __future__ import annotations

from collections.abc import Callable

from policycheck.findings import Report
from policycheck.reporters import github, json_report, junit, markdown, sarif, text

Reporter = Callable[[Report], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "markdown": markdown.render,
}
