"""Never stale: an incremental build after an edit writes the same pages as a clean build
(sphinx-needs issue #354), and a no-change rebuild reads nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import build, write_project

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


def test_title_change_reaches_referencing_pages(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES)
    build(root, "html")
    goals = root / "goals.md"
    goals.write_text(goals.read_text().replace("Goal X", "Goal renamed"))
    incremental = build(root, "html")
    pages = _pages(incremental.outdir)
    assert "Goal renamed" in pages["refs.html"]
    assert pages == _clean_build(root, tmp_path)


def test_no_change_rebuild_reads_nothing_and_keeps_pages(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES)
    first = _pages(build(root, "html").outdir)
    again = build(root, "html")
    assert "0 added, 0 changed, 0 removed" in again.status
    assert _pages(again.outdir) == first
