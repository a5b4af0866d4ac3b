"""Every report format: golden output on one fixed project, validated with standard
parsers and schemas, and safe against hostile text."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import TODAY, build
from test_rules_both_paths import DEFECTS

from policycheck.cli import main
from policycheck.reporters import REPORTERS

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "src/policycheck/schemas/report.schema.json").read_text()
)


@pytest.fixture(scope="module")
def needs_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("reports") / "proj", DEFECTS)
    needs_json = build(root).outdir / "needs.json"
    # a city's own diary-number form (the library's default takes any number)
    (needs_json.parent / "policycheck.toml").write_text(
        "diary_pattern = '^HEL[ -]\\d{4}-\\d{6}$'\n"
    )
    return needs_json


def run(needs_json: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    config = str(needs_json.parent)  # a table with only diary_pattern: otherwise defaults
    code = main(["check", "--needs-json", str(needs_json), "--config", config,
                 "--format", fmt, "--today", TODAY])  # fmt: skip
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_golden(needs_json: Path, fmt: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for var in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(var, raising=False)
    code, out = run(needs_json, fmt, capsys)
    assert code == 1
    golden = GOLDEN / f"defects.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_json_validates_against_the_shipped_schema(needs_json: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out = run(needs_json, "json", capsys)
    report = json.loads(out)
    jsonschema.validate(report, REPORT_SCHEMA, format_checker=jsonschema.FormatChecker())
    keys = [(f["file"], f["line"], f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys)


def test_sarif_validates_and_locates(needs_json: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out = run(needs_json, "sarif", capsys)
    sarif = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["name"] for r in rules} >= {"goal-has-action", "personal-data", "link-integrity"}
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    located = [r for r in run_["results"] if r["ruleId"] == "PC101"]
    loc = located[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "plan.md" and loc["region"]["startLine"] > 0
    waived = [r for r in run_["results"] if r.get("suppressions")]
    assert (
        waived and "indicators are being defined" in waived[0]["suppressions"][0]["justification"]
    )


def test_junit_has_a_case_per_item_and_rule(needs_json: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out = run(needs_json, "junit", capsys)
    root = ET.fromstring(out)
    cases = root.findall(".//testcase")
    names = {c.get("name") for c in cases}
    assert "goal-has-action G_EMPTY" in names and "link-integrity O_ECON" in names
    assert "goal-has-action O_ECON" not in names  # a rule only on the types it reads
    failure = root.find(".//testcase[@name='goal-has-action G_EMPTY']/failure")
    assert failure is not None and "plan.md:26:" in failure.get("message", "")
    case = root.find(".//testcase[@name='goal-has-action G_EMPTY']")
    assert case is not None and case.get("file") == "plan.md" and case.get("line") == "26"
    # read back as CI test-report viewers do
    from junitparser import JUnitXml

    suites = JUnitXml.fromstring(out)
    assert sum(s.tests for s in suites) == len(cases)
    assert sum(s.failures for s in suites) == len(root.findall(".//failure"))
    # the counts written are those junitparser counts itself, suite by suite
    written = [(s.name, s.tests, s.failures, s.skipped, s.errors) for s in suites]
    total = (suites.tests, suites.failures, suites.skipped, suites.errors)
    suites.update_statistics()
    assert written == [(s.name, s.tests, s.failures, s.skipped, s.errors) for s in suites]
    assert total == (suites.tests, suites.failures, suites.skipped, suites.errors)
    assert suites.failures and suites.skipped  # (both kinds of result were counted)


def test_junit_counts_each_suite_once_not_once_per_case(
    needs_json: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """junitparser's ``add_testcase`` counts the whole suite again for every case
    added: quadratic (177 s for 6,000 items, against 1 s). The cases are added at
    once, so each suite is counted a bounded number of times, however many items."""
    from junitparser import TestSuite

    counted: list[str] = []
    original = TestSuite.update_statistics

    def counting(self):  # type: ignore[no-untyped-def]
        counted.append(self.name)
        return original(self)

    monkeypatch.setattr(TestSuite, "update_statistics", counting)
    _, out = run(needs_json, "junit", capsys)
    suites = ET.fromstring(out).findall("testsuite")
    cases = ET.fromstring(out).findall(".//testcase")
    assert len(cases) > 3 * len(suites)  # enough cases per suite to tell the two apart
    assert max(counted.count(s.get("name")) for s in suites) <= 2


def test_github_annotations_are_one_per_finding(needs_json: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out = run(needs_json, "github", capsys)
    lines = out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(lines) - 1
    assert "::error file=plan.md,line=26,title=PC101 goal-has-action%3A G_EMPTY::" in out


def test_markdown_summary(needs_json: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "city/plan")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    _, out = run(needs_json, "markdown", capsys)
    assert "(https://github.com/city/plan/blob/abc123/plan.md#L26)" in out
    assert "| Goals complete |" in out


def test_output_file_is_written_atomically_and_never_over_the_input(
    needs_json, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / "report.sarif"
    code = main(["check", "--needs-json", str(needs_json), "--config", str(tmp_path),
                 "--format", "sarif", "--output", str(target), "--today", TODAY])  # fmt: skip
    assert code == 1 and json.loads(target.read_text())["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["report.sarif"]
    before = needs_json.read_bytes()
    code = main(["check", "--needs-json", str(needs_json), "--output", str(needs_json)])
    assert code == 2 and needs_json.read_bytes() == before
    assert "overwrite the input" in capsys.readouterr().err
