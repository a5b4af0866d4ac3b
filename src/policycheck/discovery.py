"""Where a project lies in its repository: the folders searched for the policycheck
table, and the repository root that every report path is relative to.

A project in ``docs/`` of a repository uses the table in the root's
``pyproject.toml``, and its findings name ``docs/plan.rst``, not ``plan.rst``, so
that code hosts place them on the changed lines. Nothing here runs git: a folder
holding ``.git`` (a folder, or a file in a worktree or submodule) is a repository
root.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path, PurePosixPath


def _is_repository_root(folder: Path) -> bool:
    return (folder / ".git").exists()


def search_folders(start: Path) -> Iterator[Path]:
    """``start`` and its parents, up to and including the repository root.

    Outside a repository, the search stops below the home folder (a table in the
    home folder belongs to no project) or at the filesystem root.
    """
    folder = start.resolve()
    home = _home()
    yield folder
    while not _is_repository_root(folder) and folder.parent != folder:
        folder = folder.parent
        if folder == home and not _is_repository_root(folder):
            return
        yield folder


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def repository_root(project: Path) -> Path:
    """The git top level holding ``project``, or ``project`` itself outside git."""
    start = project.resolve()
    for folder in (start, *start.parents):
        if _is_repository_root(folder):
            return folder
    return start


def path_prefix(project: Path) -> str:
    """The project folder relative to its repository root, as a prefix for source
    paths (``"docs/"``; ``""`` for a project at the root or outside git)."""
    start = project.resolve()
    relative = PurePosixPath(start.relative_to(repository_root(start)).as_posix())
    return "" if str(relative) == "." else f"{relative}/"


def sphinx_project_of(needs_json: Path) -> Path | None:
    """The Sphinx project a needs.json was built from, when it lies in the project's
    build folder (``docs/_build/needs/needs.json`` → ``docs``): the nearest folder
    upwards holding a ``conf.py``, within the repository."""
    for folder in search_folders(needs_json.resolve().parent):
        if (folder / "conf.py").is_file():
            return folder
    return None


def conf_language(project: Path) -> str | None:
    """The ``language`` a project's conf.py sets, when it sets it to a plain string at
    its top level (as ``policycheck init`` writes it); read, never run, so that an
    error found before the build can be told in the project's language."""
    found = conf_literal(project, "language")
    return found if isinstance(found, str) else None


def conf_literal(project: Path, name: str) -> object:
    """The value conf.py gives ``name`` at its top level, when it is a literal (a
    string, a list, a dict...); None when it is computed, not set, or conf.py cannot
    be read. Read with ``ast``, never run."""
    try:
        with (project / "conf.py").open("rb") as handle:
            source = handle.read(1 << 20)
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            try:
                found = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                found = None
    return found


def page_suffixes(project: Path) -> frozenset[str]:
    """The suffixes of the files Sphinx reads as pages of ``project``: conf.py's
    ``source_suffix`` when it is written as a literal (a string, a list or a dict);
    else those of reStructuredText, MyST Markdown and plain text (Sphinx's default
    and the parsers' usual ones: a computed ``source_suffix`` cannot be read without
    running conf.py)."""
    given = conf_literal(project, "source_suffix")
    if isinstance(given, str):
        given = [given]
    if isinstance(given, (list, tuple, dict)):
        named = frozenset(s for s in given if isinstance(s, str) and s)
        if named:
            return named
    return frozenset({".rst", ".md", ".txt"})
