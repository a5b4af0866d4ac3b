"""The extension alone gives sphinx-needs the policy vocabulary (issue: foundation)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONF, build

MIN = {
    "index.md": """
    # Plan

    ```{goal} Attract investment
    :id: G_INVEST
    :owner: O_ECON
    :status: active
    :source: seed 004, "Investointien ja osaajien houkuttelu"
    ```

    ```{action} Investor desk
    :id: A_DESK
    :implements: G_INVEST
    :due: 2027-12-31
    ```

    ```{followup} Review
    :id: F_REV
    :tracks: G_INVEST
    :cadence: annual
    :indicator: new companies
    ```

    ```{org} Economic development
    :id: O_ECON
    ```

    ```{decision} Plan
    :id: D_1
    :adopts: G_INVEST
    :body: O_ECON
    :date: 2017-11-13
    :section: 11
    :diary: HEL 2017-010458
    ```
    """
}


def test_types_fields_and_links_in_needs_json(project) -> None:  # type: ignore[no-untyped-def]
    built = build(project(MIN))
    needs = built.needs()
    assert {n["type"] for n in needs.values()} == {"goal", "action", "followup", "org", "decision"}
    assert needs["A_DESK"]["implements"] == ["G_INVEST"]
    assert needs["G_INVEST"]["implements_back"] == ["A_DESK"]
    assert needs["O_ECON"]["owner_back"] == ["G_INVEST"]
    assert needs["F_REV"]["cadence"] == "annual"
    assert needs["D_1"]["diary"] == "HEL 2017-010458"
    assert needs["G_INVEST"]["source"].startswith("seed 004")
    assert "deprecated" not in built.warnings.lower()


def test_short_ids_are_kept(project) -> None:  # type: ignore[no-untyped-def]
    root = project({"index.md": "# T\n\n```{org} Short\n:id: O_A\n```\n"})
    assert "O_A" in build(root).needs()


def test_wrong_target_type_is_a_located_warning(project) -> None:  # type: ignore[no-untyped-def]
    root = project(
        {
            "index.md": """
            # T

            ```{org} Org
            :id: O_A
            ```

            ```{action} Act
            :id: A_X
            :implements: O_A
            ```
            """
        }
    )
    built = build(root)
    assert f"{root / 'index.md'}:7: WARNING" in built.warnings
    assert "target need type 'org'" in built.warnings


def test_status_outside_the_types_enum_is_a_schema_violation(project) -> None:  # type: ignore[no-untyped-def]
    root = project({"index.md": "# T\n\n```{goal} G\n:id: G_X\n:status: finished\n```\n"})
    built = build(root)
    assert "finished" in built.warnings and "schema" in built.warnings.lower()


def test_user_needs_types_and_fields_survive(project) -> None:  # type: ignore[no-untyped-def]
    conf = CONF + (
        'needs_types = [{"directive": "risk", "title": "Risk", "prefix": "R_"}]\n'
        'needs_fields = {"budget": {"description": "EUR", "nullable": True}}\n'
    )
    root = project(
        {"index.md": "# T\n\n```{risk} Risk\n:id: R_ONE\n:budget: 100\n```\n"}, conf=conf
    )
    needs = build(root).needs()
    assert needs["R_ONE"]["type"] == "risk"
    assert needs["R_ONE"]["budget"] == "100"


def test_conflicting_user_type_is_a_clear_error(project) -> None:  # type: ignore[no-untyped-def]
    from sphinx.errors import ConfigError

    conf = CONF + 'needs_types = [{"directive": "goal", "title": "Objective", "prefix": "O_"}]\n'
    root = project({"index.md": "# T\n"}, conf=conf)
    with pytest.raises(ConfigError, match="needs_types defines 'goal'"):
        build(root)


def test_no_change_rebuild_reads_nothing(project) -> None:  # type: ignore[no-untyped-def]
    root = project(MIN)
    build(root, "html")
    again = build(root, "html")
    assert "0 added, 0 changed, 0 removed" in again.status


def test_finnish_titles_when_language_is_finnish(project) -> None:  # type: ignore[no-untyped-def]
    root = project(MIN, conf=CONF + 'language = "fi"\n')
    needs = build(root).needs()
    assert needs["G_INVEST"]["type_name"] == "Tavoite"


def test_bad_toml_table_names_file_and_key(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sphinx.errors import ConfigError

    root = project({"index.md": "# T\n"})
    (root / "pyproject.toml").write_text("[tool.policycheck]\nseverity = {nope = 'error'}\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: severity.nope: unknown rule"):
        build(root)


def test_schema_violations_get_a_located_warning(project) -> None:  # type: ignore[no-untyped-def]
    root = project({"plan.md": "# T\n\n```{goal} G\n:id: G_X\n:status: finished\n```\n"})
    built = build(root, "html")
    assert (
        f"{root / 'plan.md'}:3: WARNING: [PC001 needs-schema] G_X has status 'finished', "
        "which a goal cannot have"
    ) in built.warnings
