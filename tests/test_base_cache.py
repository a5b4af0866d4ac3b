"""``check --base`` keeps the base's needs in the project's cache_dir: the same
report from a warm cache as from a fresh build, a new base misses it, and a damaged
entry is rebuilt, never trusted."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, write_project
from test_pr_workflow import git
from test_rules_both_paths import CLEAN

from policycheck import basecache, gitbase
from policycheck.cli import main
from policycheck.reader import NOT_CREATED_FILE

# a goal the base lacks a follow-up for, a follow-up overdue only after 2027-06-30,
# and an item the build cannot create (no id): the list of those is in the entry too
EXTRA = """
# Extra

```{goal} Old gap
:id: G_OLD_GAP
:owner: O_ECON
```

```{followup} Late report
:id: F_LATE
:tracks: G_OLD_GAP
:owner: O_ECON
:due: 2027-06-30
:indicator: reports sent
```

```{goal} No id here
:owner: O_ECON
```
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose Sphinx project is in ``docs/``, its TOML table at the root."""
    top = tmp_path / "repo"
    write_project(top / "docs", {**CLEAN, "extra.md": EXTRA})
    (top / "pyproject.toml").write_text('[tool.policycheck]\ncache_dir = "_build/pc"\n')
    (top / ".gitignore").write_text("_build/\n")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "base")
    plan = top / "docs" / "plan.md"
    plan.write_text(plan.read_text() + "\n```{goal} New gap\n:id: G_NEW_GAP\n:owner: O_ECON\n```\n")
    return top


def entries(top: Path) -> list[Path]:
    folder = top / "_build" / "pc" / basecache.FOLDER
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def check_base(top: Path, capsys: Any, ref: str = "main", today: str = TODAY) -> dict[str, Any]:
    code = main(["check", str(top / "docs"), "--base", ref, "--today", today, "--format", "json"])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    report: dict[str, Any] = json.loads(captured.out)
    return report


def no_worktree(*_args: object) -> None:
    raise AssertionError("the base was built again instead of read from the cache")


def test_warm_cache_gives_the_same_report_as_a_fresh_build(
    repo: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = check_base(repo, capsys)
    assert len(entries(repo)) == 1
    assert {f["need"] for f in cold["findings"] if not f.get("known")} == {"G_NEW_GAP"}
    assert (repo / "_build" / "pc" / basecache.FOLDER / ".gitignore").is_file()
    assert git(repo, "status", "--porcelain").split() == ["M", "docs/plan.md"]
    with monkeypatch.context() as patched:
        patched.setattr(gitbase, "base_worktree", no_worktree)
        warm = check_base(repo, capsys)
        # findings are computed from the cached needs with the run's own date
        later_warm = check_base(repo, capsys, today="2027-07-01")
    assert warm == cold
    shutil.rmtree(repo / "_build" / "pc" / basecache.FOLDER)
    later_cold = check_base(repo, capsys, today="2027-07-01")
    assert later_warm == later_cold != cold
    assert "F_LATE" in {f["need"] for f in later_cold["findings"]}


def test_a_new_base_commit_misses_the_cache(repo: Path, capsys: Any) -> None:
    first = check_base(repo, capsys)
    git(repo, "commit", "-q", "-am", "add G_NEW_GAP")
    second = check_base(repo, capsys)
    assert len(entries(repo)) == 2
    assert {f["need"] for f in first["findings"] if not f.get("known")} == {"G_NEW_GAP"}
    assert all(f.get("known") for f in second["findings"])  # G_NEW_GAP is on the base now
    # the old base is still cached, and still right
    assert check_base(repo, capsys, ref="main~1") == first


def rewrite_manifest(entry: Path, **changes: object) -> None:
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest.update(changes)
    (entry / "manifest.json").write_text(json.dumps(manifest))


def truncate(entry: Path) -> None:
    needs = entry / basecache.NEEDS_FILE
    needs.write_bytes(needs.read_bytes()[:100])


def garbage_manifest(entry: Path) -> None:
    (entry / "manifest.json").write_bytes(b"\x00{not json")


def no_side_file(entry: Path) -> None:
    (entry / NOT_CREATED_FILE).unlink()


def consistent_but_invalid(entry: Path) -> None:
    """An entry whose manifest matches its files, and whose needs.json is not one."""
    (entry / basecache.NEEDS_FILE).write_text("[]")
    digest = basecache._digest(entry / basecache.NEEDS_FILE)
    sha = json.loads((entry / "manifest.json").read_text())["sha256"]
    rewrite_manifest(entry, sha256={**sha, basecache.NEEDS_FILE: digest})


def says_absent(entry: Path) -> None:
    """An entry edited to say the project did not exist: its files no longer match."""
    rewrite_manifest(entry, absent=True)
    (entry / basecache.NEEDS_FILE).write_text("{}")


@pytest.mark.parametrize(
    "damage", [truncate, garbage_manifest, no_side_file, consistent_but_invalid, says_absent]
)
def test_a_damaged_entry_is_rebuilt_not_trusted(repo: Path, capsys: Any, damage: Any) -> None:
    cold = check_base(repo, capsys)
    (entry,) = entries(repo)
    damage(entry)
    assert check_base(repo, capsys) == cold
    (rebuilt,) = entries(repo)
    assert basecache.lookup(rebuilt.parent, rebuilt.name) is not None


def test_a_project_absent_at_the_base_is_cached_as_absent(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    (top / "README.md").write_text("nothing yet\n")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "before the plan")
    write_project(top / "docs", {**CLEAN, "extra.md": EXTRA})
    (top / "pyproject.toml").write_text('[tool.policycheck]\ncache_dir = "_build/pc"\n')
    cold = check_base(top, capsys)
    assert cold["findings"] and not any(f.get("known") for f in cold["findings"])
    with monkeypatch.context() as patched:
        patched.setattr(gitbase, "base_worktree", no_worktree)
        assert check_base(top, capsys) == cold


def test_an_unwritable_cache_only_costs_time(repo: Path, capsys: Any) -> None:
    cold = check_base(repo, capsys)
    folder = repo / "_build" / "pc" / basecache.FOLDER
    shutil.rmtree(folder)
    folder.write_text("a file where the cache's folder would be\n")
    assert check_base(repo, capsys) == cold
    assert folder.read_text() == "a file where the cache's folder would be\n"


def test_another_environment_misses_the_cache(
    repo: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = check_base(repo, capsys)
    environment = basecache._environment()
    assert any(part.startswith("sphinx_needs-") for part in environment)
    # another sphinx-needs version (or extension, or edited policycheck): built again
    changed = [p.replace("sphinx_needs-", "sphinx_needs-0.") for p in environment]
    monkeypatch.setattr(basecache, "_environment", lambda: changed)
    assert check_base(repo, capsys) == first
    assert len(entries(repo)) == 2


def test_a_warm_run_prunes_what_a_killed_run_left(
    repo: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_base(repo, capsys)
    dead = 2**22 + 12345  # beyond pid_max on usual systems: no such process
    folder = Path(tempfile.mkdtemp(prefix=f"policycheck-base-{dead}-"))
    git(repo, "worktree", "add", "--detach", "-q", str(folder / "base"), "HEAD")
    monkeypatch.setattr(gitbase, "base_worktree", no_worktree)
    check_base(repo, capsys)
    assert git(repo, "worktree", "list").count("\n") == 1
    assert not folder.exists()
