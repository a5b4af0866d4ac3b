"""Hostile input: no traceback, no forged annotation, no raw HTML, no terminal tricks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
from hypothesis import given
from hypothesis import strategies as st
from test_reports import REPORT_SCHEMA, SARIF_SCHEMA

from policycheck.cli import main
from policycheck.findings import CheckedItem, Finding, Report, Summary, Waived
from policycheck.reporters import REPORTERS

FORGE = "X\n::error file=forged.md,line=1::forged\r\n%0A"
BIDI = "\u202egnp.exe\u202c"
SCRIPT = "<script>alert(1)</script>"


def hostile_needs_json(tmp_path: Path) -> Path:
    def need(id_: str, **extra: object) -> dict[str, object]:
        return {"id": id_, "type": "goal", "title": SCRIPT + BIDI, "docname": "a/" + FORGE,
                "doctype": ".md", "lineno": 3, "content": f"{SCRIPT} \x1b[2J{BIDI}", **extra}  # fmt: skip

    needs = {
        i: need(i)
        for i in (FORGE, SCRIPT, BIDI, "G_@everyone", "G_|broken|table", "G_[x](javascript:1)")
    }
    path = tmp_path / "needs.json"
    path.write_text(json.dumps({"current_version": "", "versions": {"": {"needs": needs}}}))
    return path


def check_outputs(outputs: dict[str, str], findings: int) -> None:
    json.loads(outputs["json"])
    jsonschema.validate(json.loads(outputs["json"]), REPORT_SCHEMA)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(outputs["sarif"]))
    ET.fromstring(outputs["junit"])
    github = outputs["github"].splitlines()
    assert len(github) == findings + 1
    assert all(line.startswith("::") for line in github[:-1])
    assert not any(line.startswith("::error file=forged") for line in github)
    for line in github[:-1]:  # only the command's own "::" separators remain
        _, _, message = line[2:].partition("::")
        assert "\n" not in message and "\r" not in message
    md = outputs["markdown"]
    assert "<script" not in md.lower()
    assert "@everyone" not in md
    assert all(tag in ("details", "/details", "summary", "/summary") for tag in _tags(md))
    for text in (outputs["text"], outputs["github"], outputs["markdown"], outputs["junit"]):
        assert "\u202e" not in text and "\x1b" not in text


def _tags(md: str) -> list[str]:
    import re

    return [m.split()[0] for m in re.findall(r"<(/?[a-zA-Z][^>]*)>", md)]


def test_hostile_needs_json_every_format(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = hostile_needs_json(tmp_path)
    outputs = {}
    for fmt in REPORTERS:
        code = main(["check", "--needs-json", str(path), "--config", str(tmp_path),
                     "--format", fmt, "--today", "2026-11-22"])  # fmt: skip
        assert code == 1
        outputs[fmt] = capsys.readouterr().out
    findings = len(json.loads(outputs["json"])["findings"])
    assert findings >= 18
    check_outputs(outputs, findings)


text = st.lists(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(["\n", "\r", "::", "%", ",", "<b>", "@", "|", "\u202e"]),
    max_size=12,
).map("".join)
findings = st.builds(
    Finding,
    file=text,
    line=st.integers(0, 10_000),
    rule=st.sampled_from(["goal-has-action", "personal-data", "needs-schema"]),
    need=text,
    message=text,
    code=st.sampled_from(["PC101", "PC401", "PC001"]),
    severity=st.sampled_from(["error", "warning"]),
    known=st.booleans(),
    waived=st.booleans(),
)


@given(st.lists(findings, max_size=6), text)
def test_every_reporter_survives_arbitrary_text(found: list[Finding], reason: str) -> None:
    report = Report(
        "2026-11-22",
        sorted(found),
        Summary(),
        {f.need: [Waived(f.rule, "2030-01-01", reason)] for f in found if f.waived},
        lambda: [CheckedItem(f.need, "goal", f.file, f.line) for f in found],
    )
    outputs = {fmt: render(report) for fmt, render in REPORTERS.items()}
    check_outputs(outputs, len(report.active))
