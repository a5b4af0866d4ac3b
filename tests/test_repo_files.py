"""The repository's own workflow and hook files: valid, least privilege, pinned."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:  # type: ignore[type-arg]
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_least_privilege_and_pinned(path: Path) -> None:
    wf = load(path)
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads `on` as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert wf["permissions"] == {}
    for name, job in wf["jobs"].items():
        assert "permissions" in job, name
        assert set(job["permissions"].values()) <= {"read", "write", "none"}
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if "run" in step:
                assert "${{" not in step["run"], "pass expressions through env, not into scripts"
                subprocess.run(["bash", "-n"], input=step["run"], text=True, check=True)
                for script in re.findall(r"bash (\S+)", step["run"]):
                    assert (REPO / script).is_file(), script


def test_workflow_uses_the_cli_as_documented() -> None:
    text = (REPO / ".github/workflows/policycheck.yml").read_text()
    assert (
        "--base" in text
        and "--strict" in text
        and "sarif" in text
        and "GITHUB_STEP_SUMMARY" in text
    )


def test_pre_commit_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "policycheck" and hooks[0]["entry"].startswith("policycheck check")
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    ids = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert {"policycheck", "ruff", "ruff-format"} <= ids
