"""`policycheck init`: from nothing to a clean check and a `-W` build with `new` alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policycheck.cli import main

HEADINGS = {
    "en": ("Our plan", "Goals", "Decisions"),
    "fi": ("Suunnitelmamme", "Tavoitteet", "Päätökset"),
    "sv": ("Vår plan", "Mål", "Beslut"),
}


def new(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["new", *args, "--dir", str(root)]) == 0
    out = capsys.readouterr().out
    return out.split()[0]


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_init_then_new_gives_a_clean_check_and_a_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    root = tmp_path / "city"
    assert main(["init", str(root), "--language", language]) == 0
    capsys.readouterr()
    title, goals, decisions = HEADINGS[language]
    assert (root / "index.md").read_text().startswith(f"# {title}\n")
    assert (root / "goals.md").read_text().startswith(f"# {goals}\n")
    assert (root / "decisions" / "index.md").read_text().startswith(f"# {decisions}\n")
    assert f'language = "{language}"' in (root / "conf.py").read_text()

    org = new(root, capsys, "org", "City board")
    goal = new(root, capsys, "goal", "Grow tourism", "--owner", org, "--set", "due=2031-12-31")
    action = new(root, capsys, "action", "Tourism fair", "--implements", goal, "--owner", org,
                 "--set", "due=2030-12-31")  # fmt: skip
    new(root, capsys, "followup", "Yearly count", "--tracks", goal, "--owner", org,
        "--set", "cadence=annual", "--set", "indicator=Visitors per year")  # fmt: skip
    new(root, capsys, "decision", "Tourism plan adopted", "--adopts", goal, "--body", org,
        "--set", "date=2030-01-15", "--set", "section=12", "--set", "diary=HEL 2030-000001",
        "--set", "status=decided")  # fmt: skip
    assert (org, goal, action) == ("O_1", "G_1", "A_1")

    assert main(["check", str(root), "--format", "json"]) == 0
    capsys.readouterr()
    html = root / "_build" / "strict"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-b", "html", str(root),
         str(html)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    index = (html / "index.html").read_text()
    assert title in index and goals in index
    assert (html / "decisions" / "D_1.html").is_file()


def test_init_writes_ci_and_pre_commit_that_parse(tmp_path: Path) -> None:
    root = tmp_path / "city"
    assert main(["init", str(root), "--language", "en"]) == 0
    workflow = yaml.safe_load((root / ".github/workflows/policycheck.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads `on` as True
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[-1]["uses"].startswith("policycheck/policycheck@v")
    assert steps[0]["with"]["fetch-depth"] == 0
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"][0]["id"] == "policycheck"
    assert "additional_dependencies" in hooks["repos"][0]["hooks"][0]
    assert "/_build/" in (root / ".gitignore").read_text()
    toml = (root / "policycheck.toml").read_text()
    assert 'items_file = "goals.md"' in toml


@pytest.mark.parametrize("existing", ["conf.py", "decisions/index.md", ".gitignore"])
def test_init_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    root = tmp_path / "city"
    (root / existing).parent.mkdir(parents=True)
    (root / existing).write_text("mine\n")
    assert main(["init", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and existing in err and "overwrites nothing" in err
    assert [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()] == [existing]
    assert (root / existing).read_text() == "mine\n"


def test_init_into_a_folder_with_other_files_and_onto_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("# Our repository\n")
    assert main(["init", str(root), "--language", "sv"]) == 0
    assert (root / "README.md").read_text() == "# Our repository\n"
    assert "README.md" in (root / "conf.py").read_text()  # excluded from the site
    capsys.readouterr()
    file = tmp_path / "file"
    file.write_text("x")
    assert main(["init", str(file)]) == 2
    assert "not a folder" in capsys.readouterr().err
