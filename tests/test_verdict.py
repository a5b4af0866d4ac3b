"""The verdict is the same on every path: schema findings, severities and ``off``."""

from __future__ import annotations

import re

import pytest
from conftest import build, cli_json

BAD_DUE = {
    "plan.md": """
    # Plan

    ```{followup} Interim report
    :id: F_BAD_DUE
    :due: end of 2027
    ```
    """
}

GOAL_WITHOUT_FOLLOWUP = {
    "plan.md": """
    # Plan

    ```{org} Economic development
    :id: O_ECON
    ```

    ```{goal} Attract investment
    :id: G_INVEST
    :owner: O_ECON
    ```

    ```{action} Investor service desk
    :id: A_DESK
    :implements: G_INVEST
    ```
    """
}


def test_bad_due_date_is_one_finding_on_every_path(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(BAD_DUE)
    built = build(root)
    message = "due of F_BAD_DUE is not valid (Due date (ISO 8601)): 'end of 2027'"
    warning = rf"{re.escape(str(root / 'plan.md'))}:3: WARNING: \[PC001 needs-schema\] "
    assert re.search(warning + re.escape(message), built.warnings)
    assert built.report is not None
    in_build = [(f.rule, f.need, f.file, f.line, f.message) for f in built.report.active]
    assert in_build == [("needs-schema", "F_BAD_DUE", "plan.md", 3, message)]

    for args in (
        [str(root)],
        ["--needs-json", str(built.outdir / "needs.json"), "--config", str(root)],
    ):
        code, report = cli_json("check", *args, capsys=capsys)
        assert code == 1
        found = [
            (f["rule"], f["need"], f["file"], f["line"], f["message"]) for f in report["findings"]
        ]
        assert found == in_build, args


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("due", "2027-12-31", True),
        ("due", "2027-02-30", False),
        ("due", "20271231", False),
        ("cadence", "quarterly", True),
        ("cadence", "P6M", True),
        ("cadence", "fortnightly", False),
        ("status", "done", True),
        ("status", "finished", False),
    ],
)
def test_schema_rule_reads_the_vocabulary(field: str, value: str, ok: bool) -> None:
    from datetime import date

    from policycheck.config import PolicyConfig
    from policycheck.model import Item, Project
    from policycheck.rules import Context
    from policycheck.rules.schema import needs_schema

    item = Item(id="F_ONE", type="followup", **{field: value})
    found = list(
        needs_schema(Project.from_items([item]), Context(date(2026, 1, 1), PolicyConfig()))
    )
    assert (found == []) is ok
    assert all(f.need == "F_ONE" and value in f.message.render() for f in found)


def _summary(root, capsys, severity: str | None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    if severity:
        (root / "pyproject.toml").write_text(
            f'[tool.policycheck]\nseverity = {{"goal-has-followup" = "{severity}"}}\n'
        )
    _, report = cli_json("check", str(root), capsys=capsys)
    summary: dict[str, int] = report["summary"]
    return summary


@pytest.mark.parametrize(
    ("severity", "complete", "errors"),
    [(None, 0, 1), ("warning", 0, 0), ("off", 1, 0)],
)
def test_a_rule_switched_off_is_no_part_of_the_verdict(  # type: ignore[no-untyped-def]
    project, capsys, severity, complete, errors
) -> None:
    root = project(GOAL_WITHOUT_FOLLOWUP)
    summary = _summary(root, capsys, severity)
    assert (summary["goals"], summary["goals_complete"]) == (1, complete)
    assert summary["errors"] == errors
    # the build (and so the site's views) computes the same verdict
    built = build(root)
    assert built.report is not None
    assert built.report.summary.goals_complete == complete
    assert ("goal-has-followup" in built.warnings) is (severity != "off")
