"""The JSON report of CONTRACT.md (``--format json``); schema in ``report.schema.json``."""

from __future__ import annotations

import json
from dataclasses import asdict

from policycheck import __version__
from policycheck.findings import Report


def as_dict(report: Report) -> dict[str, object]:
    return {
        "tool": "policycheck",
        "version": __version__,
        "today": report.today,
        "summary": asdict(report.summary),
        "findings": [
            {
                "rule": f.rule,
                "code": f.code,
                "severity": f.severity,
                "need": f.need,
                "file": f.file,
                "line": f.line,
                "message": f.message,
                "known": f.known,
            }
            for f in report.active
        ],
    }


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
