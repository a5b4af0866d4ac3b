"""The command line: exit statuses, baseline, reports, input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TODAY, build
from test_rules_both_paths import DEFECTS

from policycheck.cli import main


def test_rules_lists_the_catalogue(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for name in (
        "goal-has-action",
        "goal-has-owner",
        "goal-has-followup",
        "followup-overdue",
        "decision-metadata",
        "supersession",
        "waiver-expired",
        "personal-data",
        "link-integrity",
    ):
        assert name in out


def test_check_dir_builds_needs_in_an_ignored_cache(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(DEFECTS)
    code = main(["check", str(root), "--today", TODAY])
    out = capsys.readouterr().out
    assert code == 1
    assert "plan.md" in out and "goal-has-action" in out
    assert out.strip().splitlines()[-1].startswith("0 of 3 goals complete")
    cache = root / "_build" / "policycheck"
    assert (cache / "needs" / "needs.json").is_file()
    assert (cache / ".gitignore").read_text().strip().endswith("*")


def test_baseline_makes_known_findings_pass_and_new_ones_fail(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(DEFECTS)
    assert main(["baseline", str(root), "--today", TODAY]) == 0
    capsys.readouterr()
    baseline = json.loads((root / "policycheck-baseline.json").read_text())
    assert {"rule": "goal-has-action", "need": "G_EMPTY"} in [
        {k: e[k] for k in ("rule", "need")} for e in baseline["findings"]
    ]
    assert all("line" not in e for e in baseline["findings"])

    assert main(["check", str(root), "--today", TODAY, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] == 0
    assert report["summary"]["known"] == len(report["findings"]) > 0
    assert all(f["known"] for f in report["findings"])

    # moving text changes lines, not keys: still known
    plan = root / "plan.md"
    plan.write_text(plan.read_text().replace("# Plan\n", "# Plan\n\nIntro.\n\n"))
    assert main(["check", str(root), "--today", TODAY]) == 0
    capsys.readouterr()

    # a new defect fails the run
    plan.write_text(plan.read_text() + "\n```{goal} New gap\n:id: G_NEW\n```\n")
    assert main(["check", str(root), "--today", TODAY, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    new = [f for f in report["findings"] if not f["known"]]
    assert {f["need"] for f in new} == {"G_NEW"}


def test_today_changes_overdue_findings(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(DEFECTS)
    built = build(root)
    needs_json = str(built.outdir / "needs.json")
    main(["check", "--needs-json", needs_json, "--config", str(root), "--format", "json",
          "--today", "2020-06-30"])  # fmt: skip
    early = json.loads(capsys.readouterr().out)
    main(["check", "--needs-json", needs_json, "--config", str(root), "--format", "json",
          "--today", "2020-07-01"])  # fmt: skip
    late = json.loads(capsys.readouterr().out)
    assert not [f for f in early["findings"] if f["rule"] == "followup-overdue"]
    assert [f for f in late["findings"] if f["rule"] == "followup-overdue"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b'{"versions": {"1": {"needs": {"X": {"id": "X"', "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not valid JSON"),
        (b"[1, 2, 3]", "layout"),
        (b'{"versions": {"1": {"needs": {"G_A": {"id": "G_A", "type": 5}}}}}', "layout"),
        (b'{"current_version": "", "versions": {}}', "no versions"),
        (b"[" * 100000 + b"]" * 100000, "layout"),
        (
            b'{"versions": {"1": {"needs": {"X": {"id": "X", "type": "goal", "deep": '
            + b"[" * 100000
            + b"]" * 100000
            + b"}}}}}",
            "needs.json",
        ),
    ],
)
def test_bad_needs_json_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    path = tmp_path / "needs.json"
    path.write_bytes(content)
    assert main(["check", "--needs-json", str(path), "--config", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(path) in err and expected in err
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--needs-json", "/nonexistent/needs.json"],
        ["check", "/nonexistent-folder"],
        ["check", "--format", "yaml"],
        ["check", "--today", "2026-02-30", "--needs-json", "x.json"],
        ["frobnicate"],
    ],
)
def test_usage_and_input_errors_exit_2(argv: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("policycheck: error:") and err.count("\n") == 1


def test_folder_without_conf_py(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", str(tmp_path)]) == 2
    assert "no conf.py" in capsys.readouterr().err


def test_broken_toml_names_file_and_line(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(DEFECTS)
    (root / "pyproject.toml").write_text("[tool.policycheck]\nbaseline = \n")
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:2:" in err


def test_schema_violations_are_located_in_the_report(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(
        {
            "plan.md": """
            # Plan

            ```{goal} Bad status
            :id: G_BAD_STATUS
            :status: finished
            ```
            """
        }
    )
    main(["check", str(root), "--today", TODAY, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    schema = [f for f in report["findings"] if f["rule"] == "needs-schema"]
    assert schema and schema[0]["need"] == "G_BAD_STATUS"
    assert (schema[0]["file"], schema[0]["line"]) == ("plan.md", 3)
    assert "finished" in schema[0]["message"]


@pytest.mark.parametrize(
    ("conf", "expected"),
    [
        ("extensions = [\n", "conf.py"),
        ("raise RuntimeError('boom')\n", "conf.py"),
        ('extensions = ["myst_parser", "policycheck"]\nneeds_types = 5\n', "conf.py"),
    ],
)
def test_broken_conf_py_is_one_line(project, capsys, conf: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    root = project({"plan.md": "# P\n"}, conf=conf)
    for command in (["check", str(root)], ["build", str(root)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith("policycheck: error:") and expected in err
        assert err.count("\n") == 1


def test_non_utf8_source_names_file_and_line(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project({"plan.md": "# P\n"})
    (root / "plan.md").write_bytes(b"# Plan\n\n```{goal} Caf\xe9\n:id: G_X\n```\n")
    before = (root / "plan.md").read_bytes()
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err
    assert "plan.md:3: not UTF-8" in err and err.count("\n") == 1
    assert (root / "plan.md").read_bytes() == before


def test_control_characters_do_not_reach_the_terminal(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project({"plan.md": "# P\n\n```{goal} \u202eevil\x1b[2J\n:id: G_X\n```\n"})
    main(["check", str(root), "--today", TODAY])
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x1b" not in out


def test_needs_json_path_imports_no_sphinx(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    needs_json = build(project(DEFECTS)).outdir / "needs.json"
    code = (
        "import sys\n"
        "from policycheck.cli import main\n"
        f"rc = main(['check', '--needs-json', {str(needs_json)!r}, '--format', 'sarif',"
        f" '--output', {str(tmp_path / 'r.sarif')!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'sphinx_needs', 'docutils'))\n"
        "assert rc == 1 and not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)
