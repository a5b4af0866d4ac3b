"""The JSON report of CONTRACT.md (``--format json``); schema in ``report.schema.json``."""

from __future__ import annotations

from dataclasses import asdict

import msgspec

from policycheck import __version__
from policycheck.findings import Report
from policycheck.textsafe import json_for_log


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
        **({"changes": report.changes.as_dict()} if report.changes is not None else {}),
    }


def render(report: Report) -> str:
    # msgspec's encoder and formatter: the stdlib's indenting encoder is pure Python
    # and slow on reports with tens of thousands of findings.
    data = msgspec.json.format(msgspec.json.encode(as_dict(report)), indent=2)
    return json_for_log(data.decode("utf-8")) + "\n"
