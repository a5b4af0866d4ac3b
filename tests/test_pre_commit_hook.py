"""The pre-commit hook, run with `pre-commit try-repo` on a tmp repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_project
from test_rules_both_paths import CLEAN

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_try_repo_passes_clean_and_fails_on_a_gap(tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pre_commit = Path(shutil.which("pre-commit") or "pre-commit")
    # a snapshot of this repository as it is (try-repo reads a git repository)
    snapshot = tmp_path / "policycheck"
    subprocess.run(["git", "clone", "-q", str(REPO), str(snapshot)], check=True)
    for rel in ("src", "pyproject.toml", ".pre-commit-hooks.yaml", "README.md"):
        src, dst = REPO / rel, snapshot / rel
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dst)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", "add", "-A"], cwd=snapshot, check=True, env=env)
    subprocess.run(
        ["git", "commit", "-q", "-m", "snapshot", "--allow-empty"],
        cwd=snapshot,
        check=True,
        env=env,
    )

    city = write_project(tmp_path / "city", CLEAN)
    (city / ".gitignore").write_text("_build/\n")
    subprocess.run(["git", "init", "-q"], cwd=city, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=city, check=True, env=env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(snapshot), "policycheck", "--all-files"],
            cwd=city, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (city / "plan.md").write_text(
        (city / "plan.md").read_text() + "\n```{goal} Gap\n:id: G_GAP\n```\n"
    )
    subprocess.run(["git", "add", "-A"], cwd=city, check=True, env=env)
    failing = try_repo()
    assert failing.returncode != 0
    assert "G_GAP" in failing.stdout
