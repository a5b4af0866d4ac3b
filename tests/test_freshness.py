"""Never stale: an incremental build after an edit writes the same pages as a clean build
(sphinx-needs issue #354), and a no-change rebuild reads nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import build, write_project
from test_pr_workflow import git

FILES = {
    "orgs.md": """
    # Organisations

    ```{org} Org A
    :id: O_A
    ```

    ```{org} Org B
    :id: O_B
    ```
    """,
    "goals.md": """
    # Goals

    ```{goal} Goal X
    :id: G_X
    :owner: O_A
    ```

    ```{action} Act
    :id: A_X
    :implements: G_X
    :owner: O_A
    ```
    """,
    "refs.md": """
    # References

    See {need}`G_X`.
    """,
    "tables.md": """
    # Tables

    ```{needtable}
    :types: goal
    :columns: id, title, owner
    ```

    ```{policycheck-goals}
    ```

    ```{policycheck-owners}
    ```
    """,
}

# sphinx-needs and docutils give some elements ids that differ from build to build
_RANDOM = [
    (re.compile(r'id="[A-Za-z]*-?[0-9a-f]{8,}"'), 'id="X"'),
    (re.compile(r"SNCB-[0-9a-f]+"), "SNCB-X"),
    (re.compile(r"[0-9a-f]{32}"), "HASH"),
]


def _pages(outdir: Path) -> dict[str, str]:
    pages = {}
    for page in sorted(outdir.glob("*.html")):
        if page.name in ("search.html", "genindex.html"):
            continue
        text = page.read_text(encoding="utf-8")
        for pattern, repl in _RANDOM:
            text = pattern.sub(repl, text)
        pages[page.name] = text
    return pages


def _clean_build(root: Path, tmp: Path) -> dict[str, str]:
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)  # (one test may compare after each edit)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_build"))
    return _pages(build(clean, "html", fresh=True).outdir)


def test_incremental_equals_clean_after_an_edit_elsewhere(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES)
    build(root, "html")
    goals = root / "goals.md"
    goals.write_text(
        goals.read_text().replace(
            ":owner: O_A\n```\n\n```{action}", ":owner: O_B\n```\n\n```{action}"
        )
    )
    (root / "orgs.md").touch()  # no change of content on the org page itself
    incremental = build(root, "html")
    assert "1 changed" in incremental.status or "2 changed" in incremental.status
    pages = _pages(incremental.outdir)
    assert pages == _clean_build(root, tmp_path)
    # the org page now lists the goal under Org B (the stale case of #354)
    orgs = pages["orgs.html"]
    assert orgs.index("G_X") > orgs.index("Org B")


def test_a_clean_build_links_the_assets_as_an_incremental_one_does(tmp_path: Path) -> None:
    # copied when the build was done, the assets were missing while a clean build
    # wrote its pages (no checksum in their links), and there when an incremental
    # build rewrote some (with one): the two sites differed on every rewritten page
    root = write_project(tmp_path / "proj", FILES)
    outdir = build(root, "html", fresh=True).outdir
    links = [
        link
        for page in outdir.glob("*.html")
        for link in re.findall(r"_static/policycheck\.(?:css|js)[^\"']*", page.read_text("utf-8"))
    ]
    assert len(links) >= 2 * len(FILES)
    assert all(re.fullmatch(r"\S+\?v=[0-9a-f]+", link) for link in links), set(links)


def test_title_change_reaches_referencing_pages(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES)
    build(root, "html")
    goals = root / "goals.md"
    goals.write_text(goals.read_text().replace("Goal X", "Goal renamed"))
    incremental = build(root, "html")
    pages = _pages(incremental.outdir)
    assert "Goal renamed" in pages["refs.html"]
    assert pages == _clean_build(root, tmp_path)


def _written(status: str) -> list[str]:
    """The pages a build wrote, from its progress lines."""
    # colours, and with CI=true one progress line rewritten in place ("\x1b[2K...\r")
    plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", status).replace("\r", "\n")
    return re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", plain, re.MULTILINE)


def _stamps(outdir: Path) -> dict[str, int]:
    """When each page and each file of policycheck's was last written (Sphinx and
    sphinx-needs write their index, search, permalink and theme files every build)."""
    ours = [
        *(p for p in outdir.glob("*.html") if p.stem in ("index", *(Path(f).stem for f in FILES))),
        *(outdir / "data").iterdir(),
        *(outdir / "_static").glob("policycheck.*"),
    ]
    return {str(p.relative_to(outdir)): p.stat().st_mtime_ns for p in ours}


@pytest.mark.parametrize("in_git", [False, True], ids=["outside git", "in a git repository"])
def test_no_change_rebuild_reads_and_writes_nothing(tmp_path: Path, in_git: bool) -> None:
    root = write_project(tmp_path / "proj", FILES)
    if in_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "plan")
    first = build(root, "html")
    pages, stamps = _pages(first.outdir), _stamps(first.outdir)
    again = build(root, "html")
    assert "0 added, 0 changed, 0 removed" in again.status
    assert "configuration has changed" not in again.status
    assert _written(again.status) == []
    assert _pages(again.outdir) == pages
    # no page, open-data file or static file of ours was rewritten
    assert _stamps(again.outdir) == stamps


def test_edit_rewrites_only_the_pages_that_show_the_item(tmp_path: Path) -> None:
    """A goal's new title is shown on its own page, the table page and the page that
    references it (and Sphinx rewrites the index, whose table of contents lists the
    edited page); the organisation page shows the goal only by id (a back-link), so
    it is not rewritten, and the site is still the same as a clean build."""
    root = write_project(tmp_path / "proj", FILES)
    build(root, "html")
    goals = root / "goals.md"
    goals.write_text(goals.read_text().replace("Goal X", "Goal renamed"))
    incremental = build(root, "html")
    assert sorted(_written(incremental.status)) == ["goals", "index", "refs", "tables"]
    assert _pages(incremental.outdir) == _clean_build(root, tmp_path)


# Each edit, applied in turn to the same project, and the incremental site compared
# with a clean build after each: what a page shows of items on other pages.
EDITS: list[tuple[str, str, str, str]] = [
    ("an action's status (shown in its goal's timeline)", "goals.md",
     ":implements: G_X\n", ":implements: G_X\n:status: done\n"),
    ("an action's due date", "goals.md", ":implements: G_X\n", ":implements: G_X\n:due: 2031-01-31\n"),
    ("an organisation renamed", "orgs.md", "Org A", "Org Alpha"),
    ("a follow-up of the action, on another page", "orgs.md", "```{org} Org B",
     "```{followup} Review\n:id: F_X\n:tracks: A_X\n:owner: O_B\n:cadence: annual\n```\n\n"
     "```{org} Org B"),
    ("the follow-up's cadence", "orgs.md", ":cadence: annual", ":cadence: monthly"),
    ("the follow-up's indicator (the goals view shows whether it has one)", "orgs.md",
     ":cadence: monthly", ":cadence: monthly\n:indicator: visits per year"),
    ("a goal's source (only the tables' full data shows it)", "goals.md",
     ":owner: O_A\n```\n\n```{action}", ":owner: O_A\n:source: plan 2026\n```\n\n```{action}"),
    ("an organisation moved to a page of its own", "orgs.md",
     "```{org} Org B\n:id: O_B\n```\n", ""),
    ("the goal extended from another page", "refs.md", "See",
     "```{needextend} G_X\n:status: active\n```\n\nSee"),
    ("the action deleted", "goals.md", "```{action} Act", "```{action} Act\n:delete: true"),
]  # fmt: skip


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "-j 2"])
def test_incremental_equals_clean_after_each_of_many_edits(tmp_path: Path, parallel: int) -> None:
    """With ``-j 2`` the pages are read and written by two processes: the per-page
    records are merged back, and the site is still that of a clean build."""
    root = write_project(tmp_path / "proj", FILES)
    build(root, "html", parallel=parallel)
    for n, (what, file, old, new) in enumerate(EDITS):
        path = root / file
        text = path.read_text()
        assert old in text, what
        path.write_text(text.replace(old, new, 1))
        if what.startswith("an organisation moved"):
            (root / "org_b.md").write_text("# Org B\n\n```{org} Org B\n:id: O_B\n```\n")
        incremental = build(root, "html", parallel=parallel)
        assert _pages(incremental.outdir) == _clean_build(root, tmp_path / f"clean{n}"), what


DATED = {
    "goals.md": """
    # Goals

    ```{org} Org A
    :id: O_A
    ```

    ```{goal} Goal X
    :id: G_X
    :owner: O_A
    ```

    ```{action} Act
    :id: A_X
    :implements: G_X
    :owner: O_A
    :due: 2027-01-10
    ```
    """,
    "host.md": """
    # The project's own needs

    ```{req} Requirement
    :id: R_1
    ```

    ```{needtable}
    :types: req
    :columns: id, title
    ```
    """,
    "views.md": """
    # Goals at a glance

    ```{policycheck-goals}
    ```
    """,
}


def test_a_new_day_rewrites_only_the_pages_that_show_the_date(tmp_path: Path) -> None:
    """The date the checks use is shown by policycheck's views and by a goal's
    "overdue now"; a table of the project's own needs does not show it (a new day
    rewrote every page with a table)."""
    root = write_project(tmp_path / "proj", DATED)
    build(root, "html", overrides={"policycheck_today": "2027-01-05"})

    def day(today: str) -> tuple[list[str], dict[str, str]]:
        built = build(root, "html", overrides={"policycheck_today": today})
        clean = tmp_path / f"clean-{today}"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_build"))
        expected = _pages(build(clean, "html", {"policycheck_today": today}, fresh=True).outdir)
        assert _pages(built.outdir) == expected, today
        return sorted(_written(built.status)), _pages(built.outdir)

    # the action is overdue from the 11th: the goal's timeline says so
    written, pages = day("2027-01-15")
    # (not the index listing them: neither page was read, so their titles are as they were)
    assert written == ["goals", "views"]
    assert "A_X" in pages["goals.html"].split("Nothing is overdue")[0]
    # a day later nothing overdue changed: the views alone (they show the date)
    assert day("2027-01-16")[0] == ["views"]
