"""Reporters turn a :class:`~policycheck.findings.Report` into text for people and tools."""

from __future__ import annotations

from collections.abc import Callable

from policycheck.findings import Report
from policycheck.reporters import json_report, text

Reporter = Callable[[Report], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
}
