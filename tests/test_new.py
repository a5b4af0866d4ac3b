"""`policycheck new` on hostile titles and values, both syntaxes, concurrent runs,
symbolic links, id patterns and unwritable targets: real projects, real builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import build, write_project
from hypothesis import given
from hypothesis import strategies as st

from policycheck.cli import main
from policycheck.errors import ConfigError
from policycheck.itemsyntax import _myst_value

ORG = "```{org} Economic development\n:id: O_ECON\n```\n"
RST_CONF = 'extensions = ["policycheck"]\nproject = "RST city"\n'
RST_INDEX = "Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n   decisions/*\n"
RST_DECISIONS = "Decisions\n=========\n"

NASTY_TITLES = [
    "A `tick` and ``two`` and ```three```",
    "<script>alert(1)</script> & &amp; *emph* _u_ |sub| `x`_",
    "~~~ tildes ~~~ and ``` fences",
    "{role}`x` $math$ [link](https://example.org) <https://example.org>",
    "# not a heading - not a list 1. not enumerated",
    "Trailing backslash \\",
    "Ünïcödé 漢字 and emoji 🙂",
]


def run_new(root: Path, *args: str) -> int:
    return main(["new", *args, "--dir", str(root)])


def myst_project(tmp_path: Path, **table: str) -> Path:
    toml = '[tool.policycheck]\nitems_file = "plan.md"\n' + "".join(
        f"{key} = {value}\n" for key, value in table.items()
    )
    root = write_project(
        tmp_path / "proj",
        {
            "index.md": "# Index\n\n```{toctree}\n:glob:\n\n*\ndecisions/*\n```\n",
            "orgs.md": "# Orgs\n\n" + ORG,
            "plan.md": "# Plan\n",
            "decisions/index.md": "# Decisions\n",
        },
    )
    (root / "pyproject.toml").write_text(toml)
    return root


def rst_project(tmp_path: Path) -> Path:
    root = write_project(
        tmp_path / "rst",
        {
            "index.rst": RST_INDEX,
            "orgs.rst": "Orgs\n====\n\n.. org:: Economic development\n   :id: O_ECON\n",
            "plan.rst": "Plan\n====\n",
            "decisions/index.rst": RST_DECISIONS,
        },
        conf=RST_CONF,
    )
    (root / "pyproject.toml").write_text('[tool.policycheck]\nitems_file = "plan.rst"\n')
    return root


@pytest.mark.parametrize("syntax", ["myst", "rst"])
def test_nasty_titles_come_out_exactly_and_never_as_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], syntax: str
) -> None:
    root = myst_project(tmp_path) if syntax == "myst" else rst_project(tmp_path)
    ids = []
    for title in NASTY_TITLES:
        assert run_new(root, "goal", title, "--owner", "O_ECON") == 0
        ids.append(capsys.readouterr().out.split()[0])
        assert run_new(root, "decision", title, "--body", "O_ECON") == 0
        ids.append(capsys.readouterr().out.split()[0])
    plan = (root / ("plan.md" if syntax == "myst" else "plan.rst")).read_text()
    assert "TODO" not in plan and ":source:" not in plan
    needs = build(root, fresh=True).needs()
    built = build(root, "html", fresh=True)
    # every item is there (no fence swallowed the next one), with its title as typed
    assert [needs[i]["title"] for i in ids] == [t for t in NASTY_TITLES for _ in (1, 2)]
    assert all(needs[i]["type"] == ("goal", "decision")[n % 2] for n, i in enumerate(ids))
    assert "Unknown directive" not in built.warnings and "ERROR" not in built.warnings
    for decision in ids[1::2]:
        page = (built.outdir / "decisions" / f"{decision}.html").read_text()
        scripts = ScriptFinder()
        scripts.feed(page)
        assert not [s for s in scripts.bodies if "alert(1)" in s]
        assert "<b>" not in page.split("<h1>")[1].split("</h1>")[0]
    heading = (built.outdir / "decisions" / f"{ids[3]}.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &amp;amp; *emph*" in heading


class ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag == "script"
        if self._in:
            self.bodies.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.bodies[-1] += data


def test_rst_files_get_rst_and_a_leading_colon_title_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = rst_project(tmp_path)
    assert run_new(root, "goal", "Grow", "--owner", "O_ECON", "--set", "due=2030-12-31") == 0
    assert capsys.readouterr().out.startswith("G_1 ")
    text = (root / "plan.rst").read_text()
    assert ".. goal:: Grow\n   :id: G_1\n   :status: proposed\n   :owner: O_ECON\n" in text
    assert "```" not in text
    assert run_new(root, "decision", "Adopted", "--adopts", "G_1") == 0
    assert (root / "decisions" / "D_1.rst").read_text().startswith("Adopted\n=======\n\n.. ")
    before = (root / "plan.rst").read_text()
    assert run_new(root, "goal", ":owner: O_ECON") == 2
    assert "cannot start with ':'" in capsys.readouterr().err
    assert (root / "plan.rst").read_text() == before


def test_set_takes_every_field_checked_against_the_vocabulary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = myst_project(tmp_path)
    assert run_new(root, "goal", "Grow", "--owner", "O_ECON") == 0
    capsys.readouterr()
    indicator = 'Visitors: "per year" # counted, \\ and: more'
    assert (
        run_new(
            root,
            "followup",
            "Review",
            "--set",
            "tracks=G_1",
            "--set",
            "owner=O_ECON",
            "--set",
            "cadence=P6M",
            "--set",
            f"indicator={indicator}",
            "--set",
            "due=2030-12-31",
            "--set",
            "status=done",
            "--set",
            "source=Council decision § 11",
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("F_1 ")
    need = build(root).needs()["F_1"]
    assert need["indicator"] == indicator and need["cadence"] == "P6M"
    assert need["due"] == "2030-12-31" and need["status"] == "done"
    assert need["tracks"] == ["G_1"] and need["owner"] == ["O_ECON"]
    assert need["source"] == "Council decision § 11"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["goal", "X", "--set", "colour=red"],
            "not a field of type goal (one of: status, tags, due",
        ),
        (["decision", "X", "--set", "due=2030-01-01"], "due: not a field of type decision"),
        (["goal", "X", "--set", "due=2030-02-30"], "not a date"),
        (["goal", "X", "--set", "due=tomorrow"], "not a date"),
        (
            ["followup", "X", "--set", "cadence=weekly"],
            "cadence: 'weekly' is not valid (How often a follow-up recurs: annual, quarterly",
        ),
        (["goal", "X", "--set", "status=done"], "not a status of type goal (one of: proposed"),
        (["goal", "X", "--set", "due"], "expected FIELD=VALUE"),
        (["goal", "X", "--set", "source=a\nb"], "one non-empty line"),
        (["goal", "X", "--set", "source=a", "--set", "source=b"], "given twice"),
        (["goal", "X", "--set", "owner=O_NOPE"], "no item with id 'O_NOPE'"),
        (["budget", "X"], "unknown type 'budget' (one of: decision, goal, action, followup, org)"),
        (["goal", "bell\x07"], "one non-empty line without control characters"),
    ],
)
def test_bad_requests_are_one_line_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    root = myst_project(tmp_path)
    before = snapshot(root)
    assert run_new(root, *args) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(root) == before


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "_build" not in p.parts}


def test_next_free_id_skips_files_and_written_ids_the_build_does_not_see(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = myst_project(tmp_path)
    (root / "decisions" / "D_1.md").write_text("# Draft, not an item yet\n")
    (root / "drafts").mkdir()
    assert run_new(root, "decision", "First") == 0
    assert capsys.readouterr().out.startswith("D_2 ")
    assert (root / "decisions" / "D_1.md").read_text() == "# Draft, not an item yet\n"
    # an id written in the target file whose item the build dropped is taken too
    plan = root / "plan.md"
    plan.write_text(plan.read_text() + "\n```{goal} Bad\n:id: G_7\n:unknown_option: x\n```\n")
    assert run_new(root, "goal", "Next") == 0
    assert capsys.readouterr().out.startswith("G_8 ")


def test_configured_id_pattern_is_respected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = myst_project(tmp_path, id_pattern="'^[A-Z]_[0-9]{3,}$'")
    (root / "orgs.md").write_text("# Orgs\n\n```{org} Economic development\n:id: O_100\n```\n")
    assert run_new(root, "goal", "X") == 2
    err = capsys.readouterr().err
    assert "does not accept ids of the form G_<number>" in err and "pyproject.toml" in err
    assert err.count("\n") == 1


def test_symlinks_out_of_the_project_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = myst_project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "plan.md").write_text("# Not the project's\n")
    (root / "plan.md").unlink()
    (root / "plan.md").symlink_to(outside / "plan.md")
    shutil.rmtree(root / "decisions")
    (root / "decisions").symlink_to(outside, target_is_directory=True)
    for args in (["goal", "X"], ["decision", "Y"]):
        assert run_new(root, *args) == 2
        err = capsys.readouterr().err
        assert "leads outside the project" in err and err.count("\n") == 1
    assert sorted(p.name for p in outside.iterdir()) == ["plan.md"]
    assert (outside / "plan.md").read_text() == "# Not the project's\n"


@pytest.mark.parametrize("kind", ["folder", "fifo", "readonly-file", "readonly-folder"])
def test_unwritable_targets_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind.startswith("readonly") and os.geteuid() == 0:
        pytest.skip("root writes read-only files")
    root = myst_project(tmp_path)
    plan = root / "plan.md"
    item = "goal"
    if kind == "folder":
        plan.unlink()
        plan.mkdir()
    elif kind == "fifo":
        plan.unlink()
        os.mkfifo(plan)
    elif kind == "readonly-file":
        plan.chmod(0o444)
    else:
        (root / "decisions").chmod(0o555)
        item = "decision"
    assert run_new(root, item, "X") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("nothing was written" in err or "cannot" in err)
    assert "Traceback" not in err


def test_four_concurrent_runs_get_four_ids(tmp_path: Path) -> None:
    root = myst_project(tmp_path)
    assert run_new(root, "goal", "Warm up the cache") == 0
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "policycheck.cli", "new", kind, f"Item {n}", "--dir", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, kind in enumerate(["goal", "goal", "decision", "decision"])
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outs
    ids = sorted(out.split()[0] for out, _ in outs)
    assert ids == ["D_1", "D_2", "G_2", "G_3"]
    needs = build(root).needs()
    assert {"G_1", "G_2", "G_3", "D_1", "D_2"} <= set(needs)


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1))
def test_myst_option_values_read_back_unchanged(value: str) -> None:
    from myst_parser.parsers.options import options_to_items

    value = value.strip()
    if not value:
        return
    try:
        written = _myst_value("indicator", value)
    except ConfigError:
        pytest.fail(f"{value!r} could not be written")
    items, _ = options_to_items(f"indicator: {written}")
    assert items == [("indicator", value)]
