"""SARIF 2.1.0 for GitHub code scanning: the full rule catalogue and located results.

Results carry ``partialFingerprints`` made of rule and item (not line), so moving
text does not make a finding new; known (baselined) findings have
``baselineState: unchanged``, new ones ``new``; waived findings are present with an
in-source suppression and its justification. The output validates against the
official OASIS schema (tests/data).
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from policycheck import __version__
from policycheck.findings import Finding, Report, RuleInfo
from policycheck.textsafe import json_for_log

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFO_URI = "https://pypi.org/project/policycheck/"


def _descriptor(r: RuleInfo) -> dict[str, Any]:
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.rationale},
        "help": {
            "text": f"{r.summary}\n\n{r.rationale}",
            "markdown": f"{r.summary}\n\n{r.rationale}\n\nFails:\n\n{r.bad_example}\n\n"
            f"Passes:\n\n{r.good_example}",
        },
        "defaultConfiguration": {"level": r.severity},
        "properties": {"tags": ["policy"]},
    }


def _fingerprint(f: Finding) -> str:
    key = f"{f.rule}\0{f.need}" + (f"\0{f.fingerprint}" if f.fingerprint else "")
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _result(
    f: Finding, index: dict[str, int], reasons: dict[tuple[str, str], str]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": "error" if f.severity == "error" else "warning",
        "message": {"text": f.message},
        "partialFingerprints": {"policycheckItemRule/v1": _fingerprint(f)},
        "baselineState": "unchanged" if f.known else "new",
        "properties": {"need": f.need},
    }
    if f.file:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(f.line, 1)},
                },
                "logicalLocations": [{"name": f.need, "kind": "object"}],
            }
        ]
    if f.waived:
        result["suppressions"] = [
            {"kind": "inSource", "justification": reasons.get((f.rule, f.need), "waived")}
        ]
    return result


def as_dict(report: Report) -> dict[str, Any]:
    rules = [_descriptor(r) for r in report.rules]
    index = {r["id"]: i for i, r in enumerate(rules)}
    for f in report.findings:  # a rule the report does not describe: named, at least
        if f.code not in index:
            index[f.code] = len(rules)
            rules.append({"id": f.code, "name": f.rule})
    reasons = {
        (w.rule, need): f"{w.reason} (until {w.until})"
        for need, waivers in report.waivers.items()
        for w in waivers
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policycheck",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "results": [_result(f, index, reasons) for f in report.findings],
                "properties": {
                    "today": report.today,
                    **({"changes": report.changes.as_dict()} if report.changes is not None else {}),
                },
            }
        ],
    }


def render(report: Report) -> str:
    data = msgspec.json.format(msgspec.json.encode(as_dict(report)), indent=2).decode()
    return json_for_log(data) + "\n"
