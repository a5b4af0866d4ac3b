"""The build tunes the garbage collector only while it runs, and leaves the process
as it found it (tests and sphinx-autobuild build again in the same process)."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

from conftest import build, write_project

ITEMS = {"items.md": "# Items\n\n```{org} Unit\n:id: O_UNIT\n```\n"}


def test_the_collector_is_as_before_after_each_build(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", ITEMS)
    before = gc.get_threshold()
    for _build in ("first", "cached"):
        built = build(root, "html")
        assert built.report is not None
        assert gc.isenabled()
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0


def test_a_build_that_fails_to_start_leaves_the_collector_on_for_the_next(
    tmp_path: Path,
) -> None:
    """A theme that does not exist fails after the collector was paused and before the
    build begins: the next build in the process turns it on again."""
    broken = write_project(
        tmp_path / "broken", ITEMS, conf='extensions = ["policycheck"]\nhtml_theme = "nope"\n'
    )
    before = gc.get_threshold()
    with contextlib.suppress(Exception):
        build(broken, "html")
    build(write_project(tmp_path / "p", ITEMS), "html")
    assert gc.isenabled() and gc.get_threshold() == before and gc.get_freeze_count() == 0
