"""Reporters turn a :class:`~policycheck.findings.Report` into text for people and tools.

Each format's module is imported when it is used, so a run pays only for its own
format (JUnit's library alone costs more start-up than the text report's run).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from policycheck.findings import Report

Reporter = Callable[[Report], str]

_MODULES = {
    "text": "text",
    "json": "json_report",
    "junit": "junit",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
}


def _lazy(module: str) -> Reporter:
    def render(report: Report) -> str:
        renderer: Reporter = import_module(f"policycheck.reporters.{module}").render
        return renderer(report)

    return render


REPORTERS: dict[str, Reporter] = {name: _lazy(module) for name, module in _MODULES.items()}
