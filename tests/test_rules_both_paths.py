"""Every rule, failing and passing, through a real Sphinx build and through --needs-json.

The two paths must report the same findings on the same items, files and lines.
"""

from __future__ import annotations

import re

import pytest
from conftest import build, cli_json

ORGS = """
# Organisations

```{org} Economic development
:id: O_ECON
```

```{org} Old department
:id: O_OLD
:status: dissolved
```

```{org} Committee
:id: O_COMMITTEE
```
"""

CLEAN = {
    "orgs.md": ORGS,
    "plan.md": """
    # Plan

    ```{decision} Earlier plan
    :id: D_2016
    :status: superseded
    :body: O_COMMITTEE
    :date: 2016-05-01
    :section: 7
    :diary: HEL 2016-000001
    ```

    ```{decision} Plan adopted
    :id: D_2017
    :status: decided
    :adopts: G_OK
    :supersedes: D_2016
    :body: O_COMMITTEE
    :date: 2017-11-13
    :section: 11
    :diary: HEL-2017-010458
    ```

    ```{goal} Attract investment
    :id: G_OK
    :owner: O_ECON
    ```

    ```{goal} Dropped goal asks for nothing
    :id: G_DROPPED
    :status: dropped
    :owner: O_OLD
    ```

    ```{action} Investor desk
    :id: A_OK
    :implements: G_OK
    :owner: O_ECON
    :due: 2027-12-31
    ```

    ```{followup} Annual review
    :id: F_OK
    :tracks: A_OK
    :owner: O_ECON
    :cadence: annual
    :due: 2020-01-01
    :status: done
    :indicator: new foreign-owned companies
    ```
    """,
}

DEFECTS = {
    "orgs.md": ORGS,
    "plan.md": """
    # Plan

    ```{decision} Plan without metadata
    :id: D_BARE
    :section: 11
    :diary: 2017/10458
    ```

    ```{decision} Newer but earlier
    :id: D_NEW
    :body: O_COMMITTEE
    :date: 2015-01-01
    :section: 1
    :diary: HEL 2015-000001
    :supersedes: D_OLD
    ```

    ```{decision} Old one not marked
    :id: D_OLD
    :body: O_COMMITTEE
    :date: 2016-01-01
    :section: 2
    :diary: HEL 2016-000002
    ```

    ```{goal} Nothing at all
    :id: G_EMPTY
    ```

    ```{goal} Only a cancelled action and a dissolved owner
    :id: G_CANCELLED
    :owner: O_OLD
    ```

    ```{action} Cancelled
    :id: A_CANCELLED
    :implements: G_CANCELLED
    :status: cancelled
    ```

    ```{followup} Incomplete follow-up
    :id: F_HALF
    :tracks: G_CANCELLED
    :due: 2020-06-30
    ```

    ```{action} Points nowhere
    :id: A_DANGLING
    :implements: G_NOPE
    ```

    ```{goal} Contact goal
    :id: G_CONTACT
    :owner: O_ECON
    :waive: goal-has-action until 2020-01-01 because an old excuse; goal-has-followup until 2099-01-01 because indicators are being defined; goal-has-owner until soon because reasons

    Ask matti.virtanen(at)hel.fi or call 040 123 4567.
    ```
    """,
}

# (rule, need, file, line)
EXPECTED_DEFECTS = {
    ("decision-metadata", "D_BARE", "plan.md", 3),
    ("supersession", "D_NEW", "plan.md", 9),
    ("goal-has-action", "G_EMPTY", "plan.md", 26),
    ("goal-has-owner", "G_EMPTY", "plan.md", 26),
    ("goal-has-followup", "G_EMPTY", "plan.md", 26),
    ("goal-has-action", "G_CANCELLED", "plan.md", 30),
    ("goal-has-owner", "G_CANCELLED", "plan.md", 30),
    ("goal-has-followup", "G_CANCELLED", "plan.md", 30),
    ("followup-overdue", "F_HALF", "plan.md", 41),
    ("link-integrity", "A_DANGLING", "plan.md", 47),
    ("goal-has-action", "G_CONTACT", "plan.md", 52),
    ("waiver-expired", "G_CONTACT", "plan.md", 52),
    ("personal-data", "G_CONTACT", "plan.md", 52),
}


def _in_build(built) -> set[tuple[str, str, str, int]]:  # type: ignore[no-untyped-def]
    assert built.report is not None
    return {(f.rule, f.need, f.file, f.line) for f in built.report.active}


def _standalone(built, capsys) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    return cli_json(
        "check",
        "--needs-json",
        str(built.outdir / "needs.json"),
        "--config",
        str(built.root),
        capsys=capsys,
    )


def test_clean_project_has_no_findings_either_way(project, capsys) -> None:  # type: ignore[no-untyped-def]
    built = build(project(CLEAN))
    assert _in_build(built) == set()
    assert "policycheck" not in built.warnings
    code, report = _standalone(built, capsys)
    assert code == 0
    assert report["findings"] == []
    assert report["summary"]["goals"] == 1
    assert report["summary"]["goals_complete"] == 1


def test_seeded_defects_found_on_the_right_item_file_and_line(project, capsys) -> None:  # type: ignore[no-untyped-def]
    built = build(project(DEFECTS))
    in_build = _in_build(built)
    # D_OLD is not marked superseded and is earlier: two findings on D_NEW, one key
    assert in_build == EXPECTED_DEFECTS
    code, report = _standalone(built, capsys)
    assert code == 1
    standalone = {(f["rule"], f["need"], f["file"], f["line"]) for f in report["findings"]}
    assert standalone == in_build
    messages_build = sorted(f.message for f in built.report.active)
    assert messages_build == sorted(f["message"] for f in report["findings"])


def test_in_build_warnings_are_located_and_typed(project) -> None:  # type: ignore[no-untyped-def]
    root = project(DEFECTS)
    built = build(root)
    for rule, _need, file, line in EXPECTED_DEFECTS:
        where = re.escape(str(root / file))
        pattern = rf"{where}:{line}: WARNING: \[PC\d+ {rule}\] .*\[policycheck\.{rule}\]"
        assert re.search(pattern, built.warnings), (rule, line)


def test_suppress_warnings_silences_one_rule(project) -> None:  # type: ignore[no-untyped-def]
    from conftest import CONF

    root = project(DEFECTS, conf=CONF + 'suppress_warnings = ["policycheck.goal-has-owner"]\n')
    built = build(root)
    assert "[policycheck.goal-has-owner]" not in built.warnings
    assert "[policycheck.goal-has-action]" in built.warnings


def test_waivers_silence_exactly_their_rule_until_their_date(project, capsys) -> None:  # type: ignore[no-untyped-def]
    built = build(project(DEFECTS))
    report = built.report
    contact = {f.rule: f for f in report.findings if f.need == "G_CONTACT"}
    assert contact["goal-has-followup"].waived  # valid until 2099
    assert not contact["goal-has-action"].waived  # expired in 2020: silences nothing
    messages = [f.message for f in report.findings if f.rule == "waiver-expired"]
    assert any("expired on 2020-01-01" in m for m in messages)
    assert any("no valid date ('soon')" in m for m in messages)


@pytest.mark.parametrize("severity", ["warning", "off"])
def test_severity_can_be_changed_in_the_toml_table(project, capsys, severity) -> None:  # type: ignore[no-untyped-def]
    root = project(DEFECTS)
    (root / "pyproject.toml").write_text(
        f'[tool.policycheck]\nseverity = {{"goal-has-action" = "{severity}"}}\n'
    )
    built = build(root)
    _, report = _standalone(built, capsys)
    actions = [f for f in report["findings"] if f["rule"] == "goal-has-action"]
    if severity == "off":
        assert actions == []
    else:
        assert actions and all(f["severity"] == "warning" for f in actions)
