"""policycheck keeps a host project's settings, and its own settings give one verdict
on every path (issue 13). Real Sphinx builds of small reStructuredText projects."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import build, cli_json, write_project
from sphinx.errors import ConfigError as SphinxConfigError

from policycheck.cli import main

RST = 'extensions = ["policycheck"]\nproject = "Example city"\n'

PLAN = """
Plan
====

.. org:: Board
   :id: O_BOARD

.. goal:: Clean air
   :id: G_AIR
   :owner: O_BOARD

.. action:: Low-emission zone
   :id: A_ZONE
   :implements: G_AIR
"""


def rst_project(root: Path, conf: str = RST, files: dict[str, str] | None = None) -> Path:
    pages = {"index.rst": "City\n====\n\n.. toctree::\n   :glob:\n\n   *\n", "plan.rst": PLAN}
    return write_project(root, {**pages, **(files or {})}, conf)


def test_sphinx_needs_default_types_are_kept(tmp_path: Path) -> None:
    req = "Reqs\n====\n\n.. req:: A requirement\n   :id: REQ_ONE\n\n.. spec:: A spec\n   :id: SPEC_ONE\n"
    built = build(rst_project(tmp_path / "p", files={"reqs.rst": req}))
    needs = built.needs()
    assert needs["REQ_ONE"]["type"] == "req"
    assert needs["SPEC_ONE"]["type"] == "spec"
    assert needs["G_AIR"]["type"] == "goal"
    assert "Unknown directive" not in built.warnings


def test_a_reStructuredText_project_gets_no_myst(tmp_path: Path) -> None:
    root = rst_project(tmp_path / "p", files={"notes.md": "# Notes\n\nNot a page.\n"})
    built = build(root)
    assert "myst_parser" not in built.app.extensions
    assert "notes" not in built.app.env.found_docs
    assert "index" in built.app.env.found_docs


def test_the_projects_settings_are_kept(tmp_path: Path) -> None:
    conf = (
        RST
        + 'needs_id_required = False\nneeds_flow_engine = "plantuml"\nneeds_id_regex = "^[A-Z_]{3,}$"\n'
    )
    built = build(rst_project(tmp_path / "p", conf))
    assert built.app.config.needs_id_required is False
    assert built.app.config.needs_flow_engine == "plantuml"
    assert built.app.config.needs_id_regex == "^[A-Z_]{3,}$"


def test_unset_settings_get_policychecks_defaults(tmp_path: Path) -> None:
    """Short ids such as G_OK would be dropped by sphinx-needs' default pattern; the
    default is widened, not replaced. Nothing else unset is set."""
    built = build(rst_project(tmp_path / "p", files={"ok.rst": "OK\n==\n\n.. goal:: Short\n   :id: G_OK\n\n.. req:: Own\n   :id: 12345\n"}))  # fmt: skip
    needs = built.needs()
    assert "G_OK" in needs and "12345" in needs
    assert built.app.config.needs_flow_engine == "plantuml"  # sphinx-needs' default, kept
    assert built.app.config.needs_id_required is False


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'needs_extra_options = ["owner"]',
            "needs_extra_options declares 'owner', which is a policycheck link",
        ),
        (
            'needs_extra_options = [{"name": "due"}]',
            "needs_extra_options declares 'due', which is a policycheck field",
        ),
        (
            'needs_extra_links = [{"option": "due"}]',
            "needs_extra_links declares 'due', which is a policycheck field",
        ),
        ('needs_fields = {"tracks": {}}', "needs_fields declares 'tracks'"),
        ('needs_links = {"source": {}}', "needs_links declares 'source'"),
    ],
)
def test_a_name_clash_is_one_clear_error(
    tmp_path: Path, setting: str, message: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    root = rst_project(tmp_path / "p", RST + setting + "\n")
    with pytest.raises(SphinxConfigError, match=message):
        build(root)
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "needs_fields esittelee nimen 'tracks', joka on policycheckin linkki"),
        ("sv", "needs_fields deklarerar 'tracks', som är en länk i policycheck"),
    ],
)
def test_a_name_clash_is_told_in_the_project_s_language(
    tmp_path: Path, language: str, message: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    conf = RST + f'language = "{language}"\nneeds_fields = {{"tracks": {{}}}}\n'
    root = rst_project(tmp_path / "p", conf)
    with pytest.raises(SphinxConfigError, match=message):
        build(root)
    with pytest.raises(SphinxConfigError, match="'yesterday'") as raised:
        build(rst_project(tmp_path / "q", RST + f'language = "{language}"\n'),
              overrides={"policycheck_today": "yesterday"})  # fmt: skip
    assert "YYYY" not in str(raised.value)  # (VVVV-KK-PP, ÅÅÅÅ-MM-DD)


def test_deprecated_options_without_a_clash_keep_working(tmp_path: Path) -> None:
    conf = RST + 'needs_extra_options = ["priority"]\nneeds_extra_links = [{"option": "blocks"}]\n'
    own = "Own\n===\n\n.. req:: Own\n   :id: REQ_OWN\n   :priority: high\n   :blocks: REQ_TWO\n\n.. req:: Two\n   :id: REQ_TWO\n"
    built = build(rst_project(tmp_path / "p", conf, {"own.rst": own}))
    needs = built.needs()
    assert needs["REQ_OWN"]["priority"] == "high"
    assert needs["REQ_OWN"]["blocks"] == ["REQ_TWO"]
    assert "initialized" not in built.warnings


def test_renamed_types_make_directives_rules_and_examples_follow(tmp_path: Path) -> None:
    conf = RST + 'needs_types = [{"directive": "action", "title": "Task", "prefix": "T_"}]\n'
    conf += "needs_build_json = True\n"
    plan = PLAN.replace(".. action::", ".. plan_action::")
    files = {"plan.rst": plan, "rules.rst": "Rules\n=====\n\n.. policycheck-rules::\n",
             "own.rst": "Own\n===\n\n.. action:: Own task\n   :id: T_OWN\n"}  # fmt: skip
    root = rst_project(tmp_path / "p", conf, files)
    (root / "policycheck.toml").write_text('types = { action = "plan_action" }\n')
    built = build(root, "html")
    needs = json.loads((root / "_build" / "html" / "needs.json").read_text())
    needs = needs["versions"][needs["current_version"]]["needs"]
    assert needs["A_ZONE"]["type"] == "plan_action" and needs["T_OWN"]["type"] == "action"
    rules = {f.rule for f in built.report.findings} if built.report else set()
    assert "goal-has-action" not in rules  # A_ZONE counts as the goal's action
    assert "link-integrity" not in rules
    page = html.unescape(
        re.sub(r"<[^>]+>", "", (root / "_build" / "html" / "rules.html").read_text())
    )
    assert ".. plan_action:: Investor service desk" in page  # RST, the project's name
    assert "```{action}" not in page


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('types = { task = "x" }', "types.task: unknown item type"),
        ('types = { action = "goal" }', "types: 'goal' names two item types"),
        ('types = { action = "Plan Action" }', "is not a directive name"),
    ],
)
def test_bad_type_names_are_one_line(tmp_path: Path, table: str, message: str, capsys) -> None:  # type: ignore[no-untyped-def]
    root = rst_project(tmp_path / "p")
    (root / "policycheck.toml").write_text(table + "\n")
    assert main(["check", str(root)]) == 2
    assert message in capsys.readouterr().err


def test_suppress_warnings_gives_the_same_verdict_on_every_path(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    conf = RST + 'suppress_warnings = ["policycheck.goal-has-followup"]\n'
    root = rst_project(tmp_path / "p", conf)
    built = build(root)
    assert "goal-has-followup" not in built.warnings
    assert built.report is not None
    assert "goal-has-followup" not in {f.rule for f in built.report.findings}
    _, report = cli_json("check", str(root), capsys=capsys)
    rules = {f["rule"] for f in report["findings"]}
    assert "goal-has-followup" not in rules
    assert "goal-has-owner" not in rules and rules == set()


def test_suppressing_all_of_policycheck_silences_every_rule(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    conf = RST + 'suppress_warnings = ["policycheck"]\n'
    root = rst_project(
        tmp_path / "p", conf, {"gap.rst": "Gap\n===\n\n.. goal:: Alone\n   :id: G_ALONE\n"}
    )
    code, report = cli_json("check", str(root), capsys=capsys)
    assert code == 0 and report["findings"] == []
    code, report = cli_json("check", str(rst_project(tmp_path / "q", files={"gap.rst": "Gap\n===\n\n.. goal:: Alone\n   :id: G_ALONE\n"})), capsys=capsys)  # fmt: skip
    assert code == 1 and report["findings"]


def test_an_item_without_an_id_is_a_finding_on_both_paths(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    files = {"more.rst": "More\n====\n\n.. org:: Nameless\n\n.. org:: Short\n   :id: o_lower\n"}
    root = rst_project(tmp_path / "p", RST + 'needs_id_regex = ".*"\n', files)
    built = build(root)
    assert built.report is not None
    found = {(f.rule, f.message) for f in built.report.findings if f.rule == "item-id"}
    assert len(found) == 2
    assert any("has no :id: of its own" in m for _, m in found)
    assert any("o_lower is not of the form" in m for _, m in found)
    _, report = cli_json("check", "--needs-json", str(built.outdir / "needs.json"), capsys=capsys)
    assert {
        (f["rule"], f["message"]) for f in report["findings"] if f["rule"] == "item-id"
    } == found


def test_the_default_diary_form_is_any_case_number(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    decision = "Decisions\n=========\n\n.. decision:: Budget\n   :id: D_1\n   :body: O_BOARD\n   :date: 2030-01-01\n   :section: 3\n   :diary: 2030/123\n"
    root = rst_project(tmp_path / "p", files={"d.rst": decision})
    _, report = cli_json("check", str(root), capsys=capsys)
    assert "decision-metadata" not in {f["rule"] for f in report["findings"]}
    (root / "policycheck.toml").write_text("diary_pattern = '^HEL [0-9]{4}-[0-9]{6}$'\n")
    _, report = cli_json("check", str(root), capsys=capsys)
    (message,) = [f["message"] for f in report["findings"] if f["rule"] == "decision-metadata"]
    assert "lacks" not in message
    assert "'2030/123' is not of the form ^HEL" in message


def test_the_table_is_found_upwards_but_not_beyond_the_repository(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    outer = tmp_path / "outer"
    repo = outer / "repo"
    root = rst_project(repo / "site" / "docs")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (outer / "pyproject.toml").write_text(
        "[tool.policycheck]\nseverity = { goal-has-followup = 'off' }\n"
    )
    _, report = cli_json("check", str(root), capsys=capsys)
    assert "goal-has-followup" in {f["rule"] for f in report["findings"]}  # outside: not read
    assert {f["file"] for f in report["findings"]} == {"site/docs/plan.rst"}
    (repo / "pyproject.toml").write_text(
        "[tool.policycheck]\nseverity = { goal-has-followup = 'off' }\n"
    )
    _, report = cli_json("check", str(root), capsys=capsys)
    assert "goal-has-followup" not in {f["rule"] for f in report["findings"]}
    built = build(root)  # the build reads the same table
    assert built.report is not None
    assert built.report.findings == []
    (repo / "pyproject.toml").write_text("[tool.policycheck]\n")
    built = build(root)
    assert built.report is not None
    assert {f.file for f in built.report.findings} == {"site/docs/plan.rst"}


def test_new_writes_the_configured_type_name(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from conftest import CONF

    root = write_project(
        tmp_path / "p", {"docs/plan.md": "# Plan\n\n```{goal} Air\n:id: G_AIR\n```\n"}, CONF
    )
    (root / "policycheck.toml").write_text('types = { action = "plan_action" }\n')
    assert (
        main(["new", "action", "Low-emission zone", "--dir", str(root), "--implements", "G_AIR"])
        == 0
    )
    assert capsys.readouterr().out.startswith("A_")
    text = (root / "docs" / "plan.md").read_text()
    assert "```{plan_action} Low-emission zone" in text and "{action}" not in text


def test_an_id_pattern_that_rejects_policychecks_ids_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = rst_project(tmp_path / "p", RST + 'needs_id_regex = "^REQ-[0-9]+$"\n')
    with pytest.raises(SphinxConfigError, match=r"needs_id_regex '\^REQ-\[0-9\]\+\$' rejects"):
        build(root)
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err.strip()
    assert "needs_id_regex" in err and len(err.splitlines()) == 1


def test_a_myst_build_leaves_the_next_rst_build_alone(tmp_path: Path) -> None:
    """Sphinx merges source suffixes into its module-level default in place; a MyST
    project built first must not make a later RST project's stray .md a source."""
    from conftest import CONF

    build(write_project(tmp_path / "myst", {"plan.md": "# Plan\n"}, CONF))
    built = build(rst_project(tmp_path / "rst", files={"notes.md": "# Notes\n"}))
    assert "notes" not in built.app.env.found_docs


def test_an_item_whose_id_the_pattern_rejects_is_reported_once(tmp_path: Path) -> None:
    files = {"index.rst": "Home\n====\n\n.. goal:: One\n   :id: G_OK\n"}
    root = rst_project(tmp_path / "p", RST + 'needs_id_regex = "^[A-Z0-9_]{6,}"\n', files)
    built = build(root, "html")
    lines = [line for line in built.warnings.splitlines() if "was not created" in line]
    assert len([line for line in lines if "G_OK" in line]) == 1, lines
    assert all("PC002" in line for line in lines), lines


# A shared metamodel's own "implements" link (the fifth trial: S-CORE's), used by
# the project's own needs between its own types; S-CORE's docs-as-code declares its
# links with the deprecated needs_extra_links (the real-project benchmark)
METAMODEL_LINKS = {
    "needs_links": RST + 'needs_links = {"implements": {"incoming": "is implemented by", '
    '"outgoing": "implements"}}\n',
    "needs_extra_links": RST + 'needs_extra_links = [{"option": "implements", '
    '"incoming": "is implemented by", "outgoing": "implements"}]\n',
}
OWN_NEEDS = """Own
===

.. spec:: A specification
   :id: SPEC_ONE

.. req:: A requirement
   :id: REQ_ONE
   :implements: SPEC_ONE

.. action:: Wrong target
   :id: A_WRONG
   :implements: O_BOARD
"""


@pytest.mark.parametrize("setting", sorted(METAMODEL_LINKS))
def test_a_link_of_the_projects_with_one_of_our_names_is_kept(
    tmp_path: Path, setting: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = rst_project(tmp_path / "p", METAMODEL_LINKS[setting], {"own.rst": OWN_NEEDS})
    built = build(root, "html")
    if setting == "needs_links":
        assert built.app.config.needs_links["implements"] == {
            "incoming": "is implemented by",
            "outgoing": "implements",
        }
    else:  # (as the project declared it, and not declared again)
        assert "implements" not in built.app.config.needs_links
    assert "provides differently" not in built.warnings
    assert "is implemented by" in (built.outdir / "own.html").read_text()
    # the project's own link between its own needs is no policycheck finding; a policy
    # item's link to the wrong type still is
    code, report = cli_json("check", str(root), capsys=capsys)
    wrong = [f for f in report["findings"] if f["rule"] == "link-integrity"]
    assert [f["need"] for f in wrong] == ["A_WRONG"], wrong
    assert code == 1
