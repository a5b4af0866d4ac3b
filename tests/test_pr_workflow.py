"""--base on real git repositories, and `policycheck new` on a copy of a project."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, build, write_project
from test_rules_both_paths import CLEAN

from policycheck.cli import main


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_project(
        tmp_path / "repo",
        {
            **CLEAN,
            "extra.md": "# Extra\n\n```{goal} Old gap\n:id: G_OLD_GAP\n:owner: O_ECON\n```\n",
        },
    )
    (root / ".gitignore").write_text("_build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def check_base(root: Path, capsys, fmt: str = "json") -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", str(root), "--base", "main", "--today", TODAY, "--format", fmt])
    out = capsys.readouterr().out
    return code, json.loads(out) if fmt == "json" else {"text": out}


def test_base_reports_only_what_the_change_introduced(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status_before = git(repo, "status", "--porcelain")
    stash_before = git(repo, "stash", "list")
    code, report = check_base(repo, capsys)
    assert code == 0  # G_OLD_GAP was already on the base
    assert {f["need"] for f in report["findings"]} == {"G_OLD_GAP"}
    assert all(f["known"] for f in report["findings"])

    plan = repo / "plan.md"
    plan.write_text(plan.read_text() + "\n```{goal} New gap\n:id: G_NEW_GAP\n:owner: O_ECON\n```\n")
    code, report = check_base(repo, capsys)
    assert code == 1
    new = {f["need"] for f in report["findings"] if not f["known"]}
    assert new == {"G_NEW_GAP"}
    assert git(repo, "stash", "list") == stash_before
    assert git(repo, "worktree", "list").count("\n") == 1
    assert set(git(repo, "status", "--porcelain").splitlines()) - set(
        status_before.splitlines()
    ) == {" M plan.md"}


def test_moved_block_is_not_new_and_fixes_are_shown(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    extra = repo / "extra.md"
    block = extra.read_text().split("\n", 2)[2]
    extra.write_text("# Extra\n\nSome text first.\n\nMore text.\n\n" + block)
    code, report = check_base(repo, capsys)
    assert code == 0 and report["summary"]["errors"] == 0

    extra.write_text(
        extra.read_text().replace(":id: G_OLD_GAP\n", ":id: G_OLD_GAP\n:status: dropped\n")
    )
    code, out = check_base(repo, capsys, "text")
    assert code == 0
    assert "fixed by this change: 2" in out["text"] and "G_OLD_GAP" in out["text"]


@pytest.mark.parametrize(
    ("ref", "expected"), [("no-such-ref", "no such commit or ref"), ("main", "not in one")]
)
def test_base_errors(repo: Path, tmp_path: Path, capsys, ref: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    root = repo
    if expected == "not in one":
        root = write_project(tmp_path / "plain", CLEAN)
    assert main(["check", str(root), "--base", ref]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_new_adds_items_the_next_build_sees_without_changing_a_line(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = {p: p.read_text() for p in repo.rglob("*.md")}
    assert main(["new", "goal", "Grow tourism", "--dir", str(repo), "--owner", "O_ECON"]) == 0
    out = capsys.readouterr().out.split()
    assert out[0] == "G_1" and out[1].startswith(str(repo / "docs" / "plan.md"))
    assert main(["new", "action", "Tourism fair", "--dir", str(repo), "--implements", "G_1"]) == 0
    assert capsys.readouterr().out.startswith("A_1 ")
    assert (
        main(["new", "decision", "Tourism plan", "--dir", str(repo), "--adopts", "G_1,G_OK"]) == 0
    )
    # the base has D_2016 and D_2017: the next free number of the prefix is 2018
    assert capsys.readouterr().out.startswith("D_2018 " + str(repo / "decisions" / "D_2018.md:3"))

    diff = git(repo, "diff", "--numstat")
    assert all(line.split()[1] == "0" for line in diff.splitlines())  # nothing deleted
    for path, text in before.items():
        assert path.read_text() == text  # existing files untouched (new ones added)

    (repo / "index.md").write_text(
        (repo / "index.md").read_text().replace("*\n```", "*\ndocs/*\ndecisions/*\n```")
    )
    needs = build(repo).needs()
    assert needs["G_1"]["owner"] == ["O_ECON"] and needs["A_1"]["implements"] == ["G_1"]
    assert needs["D_2018"]["adopts"] == ["G_1", "G_OK"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["new", "budget", "X"], "unknown type"),
        (["new", "goal", "X", "--owner", "O_NOPE"], "no item with id 'O_NOPE'"),
        (["new", "goal", "X", "--owner", "G_OK"], "is of type goal, not org"),
        (["new", "goal", "X", "--implements", "G_OK"], "an item of type goal cannot use this link"),
        (["new", "goal", "two\nlines"], "one non-empty line"),
    ],
)
def test_new_refuses_bad_requests(repo: Path, capsys, argv: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    before = {
        p: p.read_bytes()
        for p in repo.rglob("*")
        if p.is_file() and "_build" not in p.parts and ".git" not in p.parts
    }
    assert main([*argv, "--dir", str(repo)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
    after = {
        p: p.read_bytes()
        for p in repo.rglob("*")
        if p.is_file() and "_build" not in p.parts and ".git" not in p.parts
    }
    assert after == before


def test_extra_reports_in_one_run(repo: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    sarif, md = tmp_path / "r.sarif", tmp_path / "r.md"
    code = main(["check", str(repo), "--today", TODAY, "--format", "github",
                 "--report", f"sarif={sarif}", "--report", f"markdown={md}"])  # fmt: skip
    assert code == 1
    assert capsys.readouterr().out.startswith("::error ")
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert md.read_text().startswith("## ")
    assert main(["check", str(repo), "--report", "yaml=x"]) == 2
