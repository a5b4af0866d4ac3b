"""Test helpers: write small Sphinx projects to a tmp folder and build them for real."""

from __future__ import annotations

import io
import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sphinx.locale
from hypothesis import settings
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from policycheck.cli import main as cli_main
from policycheck.findings import Report
from policycheck.sphinx.state import report_of

# Property and fuzz tests run briefly by default (CI); HYPOTHESIS_PROFILE=long runs
# them for longer on demand.
settings.register_profile("default", max_examples=150, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
# fewer examples for each mutant of a mutation run (scripts/mutate)
settings.register_profile("mutation", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

CONF = 'extensions = ["myst_parser", "policycheck"]\nproject = "Test city"\n'
TODAY = "2026-11-22"


@dataclass
class Built:
    root: Path
    outdir: Path
    status: str
    warnings: str
    report: Report | None
    app: Sphinx

    def needs(self) -> dict[str, Any]:
        data = json.loads((self.outdir / "needs.json").read_text(encoding="utf-8"))
        return data["versions"][data["current_version"]]["needs"]


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line speaks the locale's language: tests never depend on the
    machine's; a test that wants another passes ``--language`` or sets ``LANGUAGE``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANGUAGE", "en")


def write_project(root: Path, files: dict[str, str], conf: str = CONF) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(conf, encoding="utf-8")
    if "index.md" not in files:
        files = {"index.md": "# Index\n\n```{toctree}\n:glob:\n\n*\n```\n", **files}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def build(
    root: Path,
    builder: str = "needs",
    overrides: dict[str, Any] | None = None,
    fresh: bool = False,
    parallel: int = 0,
) -> Built:
    status, warning = io.StringIO(), io.StringIO()
    outdir = root / "_build" / builder
    # one process builds many projects in many languages: forget the previous
    # build's catalogues, as sphinx.testing does
    sphinx.locale.translators.clear()
    with patch_docutils(root), docutils_namespace():
        app = Sphinx(
            srcdir=root,
            confdir=root,
            outdir=outdir,
            doctreedir=root / "_build" / "doctrees",
            buildername=builder,
            confoverrides={"policycheck_today": TODAY, **(overrides or {})},
            status=status,
            warning=warning,
            freshenv=fresh,
            parallel=parallel,
        )
        app.build()
    # as sphinx.testing does: Sphinx keeps message catalogues per process, so a later
    # build in another language would otherwise be translated with this one's
    sphinx.locale.translators.clear()
    return Built(
        root,
        outdir,
        status.getvalue(),
        warning.getvalue(),
        report_of(app),
        app,
    )


def cli_json(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    """Run the CLI with --format json and return (exit status, parsed report)."""
    code = cli_main([*args, "--format", "json", "--today", TODAY])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(files: dict[str, str], conf: str = CONF) -> Path:
        return write_project(tmp_path / "proj", files, conf)

    return make
