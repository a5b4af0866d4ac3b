"""The repository's own workflow and hook files: valid, least privilege, pinned."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


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
        check_steps(job["steps"])


def check_steps(steps: list[dict]) -> None:  # type: ignore[type-arg]
    for step in steps:
        assert ("uses" in step) != ("run" in step), step
        if "uses" in step:
            assert step["uses"] == "./" or PINNED.fullmatch(step["uses"]), step["uses"]
        if "run" in step:
            assert "${{" not in step["run"], "pass expressions through env, not into scripts"
            subprocess.run(["bash", "-n"], input=step["run"], text=True, check=True)
            for script in re.findall(r"bash (\S+)", step["run"]):
                assert (REPO / script).is_file(), script


def test_workflow_runs_on_push_to_main_and_uses_the_action_of_this_repository() -> None:
    wf = load(REPO / ".github/workflows/policycheck.yml")
    triggers = wf[True] if True in wf else wf["on"]
    assert triggers["push"]["branches"] == ["main"]
    steps = wf["jobs"]["check"]["steps"]
    assert [s["uses"] for s in steps if "uses" in s][-1] == "./"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the pull request's base, for --base


def test_action_is_composite_pinned_and_uses_the_cli_as_documented() -> None:
    action = load(REPO / "action.yml")
    assert {"name", "description", "inputs", "runs"} <= set(action)
    assert {"project", "python-version", "base"} <= set(action["inputs"])
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    check_steps(steps)
    assert all(s.get("shell") == "bash" for s in steps if "run" in s)
    text = (REPO / "action.yml").read_text()
    assert "--base" in text and "--strict" in text and "GITHUB_STEP_SUMMARY" in text
    assert "${{ github.action_path }}" in text  # installs the action's own checkout
    upload = next(s for s in steps if "upload-sarif@" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif }}"
    # a fork's pull request cannot write security events: the upload is skipped
    assert "github.event.pull_request.head.repo.full_name == github.repository" in upload["if"]


def test_one_pin_per_action_everywhere() -> None:
    """The same third-party action is pinned to the same commit in every file."""
    from policycheck.init import CHECKOUT, project_files

    texts = [p.read_text() for p in [*WORKFLOWS, REPO / "action.yml"]]
    texts += [text for name, text in project_files("en").items() if name.endswith(".yml")]
    pins: dict[str, set[str]] = {}
    for text in texts:
        for action, sha in re.findall(r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40})", text):
            pins.setdefault(action, set()).add(sha)
    assert all(len(shas) == 1 for shas in pins.values()), pins
    assert CHECKOUT.split("  #")[0] in texts[0]


def test_pre_commit_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "policycheck" and hooks[0]["entry"].startswith("policycheck check")
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    ids = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert {"policycheck", "ruff", "ruff-format"} <= ids


def test_the_readme_rule_table_is_the_catalogue() -> None:
    """The README's table of rules is the rules' own code, name, severity and summary
    (one definition: the rule), so a rule added or reworded shows up there."""
    from policycheck.rules import all_rules

    rows = ["| code | name | default | what must hold |", "|---|---|---|---|"]
    rows += [
        f"| {r.code} | `{r.name}` | {r.severity} | {r.summary.replace('|', chr(92) + '|')} |"
        for r in all_rules()
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- rules:[^\n]*-->\n(.*?)\n<!-- /rules -->", readme, re.S)
    assert block, "the README's rule table lost its markers"
    expected = "\n".join(rows)
    assert block.group(1) == expected, f"replace the README's rule table with:\n{expected}"
