"""Adopting policycheck in an existing project takes nothing away (issue 13).

``tests/data/adopt-rst`` is an existing reStructuredText sphinx-needs project of an
invented city: docs in ``docs/``, its own ``action`` type, ids optional, PlantUML,
sphinx-needs' deprecated ``needs_extra_options``/``needs_extra_links``, a stray
Markdown file, and the policycheck table in the root ``pyproject.toml``. It is built
without and with policycheck, for real.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from policycheck.cli import main
from policycheck.sphinx.state import report_of

DATA = Path(__file__).parent / "data" / "adopt-rst"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def make_repo(where: Path, with_policycheck: bool) -> Path:
    """A git repository holding the adoption project; with policycheck added, its
    conf.py lists the extension and docs/plan.rst holds a complete plan."""
    shutil.copytree(DATA, where, ignore=shutil.ignore_patterns("plan.rst.in", "_build"))
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    if with_policycheck:
        with (where / "docs" / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write('\nextensions.append("policycheck")\n')
        shutil.copy(DATA / "plan.rst.in", where / "docs" / "plan.rst")
    return where


def sphinx_build(docs: Path) -> tuple[Sphinx, dict[str, Any], list[str]]:
    """Build ``docs`` as sphinx-build would, with no policycheck-specific overrides
    (the project without policycheck would warn about them)."""
    warnings = io.StringIO()
    with patch_docutils(docs), docutils_namespace():
        app = Sphinx(docs, docs, docs / "_build" / "html", docs / "_build" / "doctrees",
                     "html", status=None, warning=warnings, freshenv=True)  # fmt: skip
        app.build()
    data = json.loads((docs / "_build" / "html" / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    text = ANSI.sub("", warnings.getvalue()).replace(str(docs), "DOCS")
    return app, needs, sorted(line for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    before = make_repo(tmp_path_factory.mktemp("before") / "repo", with_policycheck=False)
    after = make_repo(tmp_path_factory.mktemp("after") / "repo", with_policycheck=True)
    app_a, needs_a, warnings_a = sphinx_build(before / "docs")
    app_b, needs_b, warnings_b = sphinx_build(after / "docs")
    return {
        "before": (app_a, needs_a, warnings_a),
        "after": (app_b, needs_b, warnings_b),
        "repo": after,
    }


def test_the_project_keeps_exactly_its_own_needs(both: dict[str, Any]) -> None:
    _, before, _ = both["before"]
    _, after, _ = both["after"]
    assert len(before) == 3  # the id-less requirement included
    own_after = {i: n for i, n in after.items() if n["type"] in ("req", "action")}
    assert own_after.keys() == before.keys()
    for need_id, need in before.items():
        changed = {k: (v, own_after[need_id].get(k)) for k, v in need.items()
                   if own_after[need_id].get(k) != v}  # fmt: skip
        assert not changed, (need_id, changed)


def test_the_project_keeps_exactly_its_own_warnings(both: dict[str, Any]) -> None:
    _, _, before = both["before"]
    _, _, after = both["after"]
    # the project's own warnings are there (a dangling link, a deprecated option) ...
    assert any("WP_MISSING" in w for w in before)
    assert any("needs_extra_options" in w for w in before)
    # ... and policycheck adds none: the plan is complete, nothing else is checked
    assert after == before


def test_settings_and_parsers_are_the_projects(both: dict[str, Any]) -> None:
    app, needs, _ = both["after"]
    assert app.config.needs_id_required is False
    assert app.config.needs_flow_engine == "plantuml"
    assert "myst_parser" not in app.extensions
    assert "stray" not in app.env.found_docs
    assert needs["A_BUDGET"]["type"] == "plan_action"
    assert needs["WP_PORTAL"]["type"] == "action"
    # read as policycheck's action: the goal counts it, no finding
    report = report_of(app)
    assert report is not None
    assert report.summary.goals_complete == report.summary.goals == 1
    assert report.findings == []


def _defect(repo: Path) -> None:
    """A goal with no action, no follow-up and no owner, on line 3 of docs/gaps.rst."""
    (repo / "docs" / "gaps.rst").write_text(
        "Gaps\n====\n\n.. goal:: Nobody's goal\n   :id: G_ORPHAN\n", encoding="utf-8"
    )


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit", "markdown", "text"])
def test_reports_name_repository_root_paths(
    both: dict[str, Any], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = both["repo"]
    if not (repo / "docs" / "gaps.rst").exists():
        _defect(repo)
    code = main(["check", str(repo / "docs"), "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1
    assert "docs/gaps.rst" in out
    assert not re.search(r"(?<![/\w])gaps\.rst", out)  # never without its folder
    if fmt == "json":
        files = {f["file"] for f in json.loads(out)["findings"]}
        assert files == {"docs/gaps.rst"}


def test_needs_json_finds_its_table_and_its_paths(
    both: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """``--needs-json`` looks for the table from the needs.json's folder upwards, and
    names files from the repository root when the needs.json lies in the project."""
    repo = both["repo"]
    needs_json = repo / "docs" / "_build" / "html" / "needs.json"
    code = main(["check", "--needs-json", str(needs_json), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["findings"]  # plan_action read as an action: goal complete
    assert report["summary"]["goals_complete"] == 1
    assert report["summary"]["items"] == 5  # the project's own needs are not checked


def test_needs_json_without_default_values_names_rst_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With ``needs_json_remove_defaults`` the needs.json has no doctype for .rst
    pages; the report still names the file, from the repository root."""
    repo = make_repo(tmp_path / "repo", with_policycheck=True)
    _defect(repo)
    sphinx_build(repo / "docs")
    needs_json = repo / "docs" / "_build" / "html" / "needs.json"
    assert "doctype" not in json.loads(needs_json.read_text())["versions"][""]["needs"]["G_ORPHAN"]
    code = main(["check", "--needs-json", str(needs_json), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert {(f["file"], f["line"]) for f in findings} == {("docs/gaps.rst", 4)}
