"""Build a Sphinx project in-process: its needs (for ``check``) or its HTML site.

Sphinx is imported only here and in ``sphinx/``, never on the ``--needs-json`` path.
"""

from __future__ import annotations

import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast

from policycheck.errors import InputError, one_line
from policycheck.findings import Report
from policycheck.i18n import N_
from policycheck.textsafe import SafeStream, for_log


@dataclass
class BuildResult:
    outdir: Path
    status: int
    report: Report | None
    # conf.py's suppress_warnings, for the command line to silence the same rules
    suppress_warnings: tuple[str, ...] = ()
    # conf.py's language: the command line's when neither --language nor the locale
    # names one
    language: str | None = None


def require_project(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise InputError(
            N_(
                "not a folder: give a Sphinx project folder (or --needs-json FILE for a needs.json)"
            ),
            root,
        )
    if not root.is_dir():
        raise InputError(N_("no such folder"), root)
    if not (root / "conf.py").is_file():
        below = projects_below(root, limit=4)
        if below:
            shown = ", ".join(str(p) for p in below[:3]) + (", …" if len(below) > 3 else "")
            raise InputError(
                N_("no conf.py here: not a Sphinx project folder (one is in {folders})")
                if len(below) == 1
                else N_(
                    "no conf.py here: not a Sphinx project folder (Sphinx projects are in "
                    "{folders})"
                ),
                root,
                folders=shown,
            )
        raise InputError(N_("no conf.py here: not a Sphinx project folder"), root)


def projects_below(root: Path, depth: int = 2, limit: int = 3) -> list[Path]:
    """Sphinx project folders (holding a ``conf.py``) up to ``depth`` levels below
    ``root``, such as ``docs``: named in the error when ``check`` is run a level too
    high. Hidden, build and environment folders are not searched."""
    found: list[Path] = []
    level = [root]
    for _ in range(depth):
        deeper: list[Path] = []
        for folder in level:
            try:
                children = sorted(c for c in folder.iterdir() if c.is_dir())
            except OSError:
                continue
            for child in children:
                if child.name.startswith((".", "_")) or child.name in _NOT_SEARCHED:
                    continue
                if (child / "conf.py").is_file():
                    found.append(child)
                    if len(found) == limit:
                        return found
                deeper.append(child)
        level = deeper[:200]  # a bounded look, never a walk of a whole tree
    return found


_NOT_SEARCHED = frozenset(("node_modules", "venv", "env", "site-packages", "build", "dist"))


def ignore_folder(folder: Path) -> None:
    """Make a cache folder git-ignored wherever it lies."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# created by policycheck: a build cache\n*\n", encoding="utf-8")


def run_sphinx(
    root: Path,
    builder: str,
    outdir: Path,
    doctreedir: Path,
    overrides: dict[str, Any],
    status: TextIO | None,
    warning: TextIO,
    strict: bool = False,
) -> BuildResult:
    """Build ``root``; with ``strict``, from a fresh environment, so that every
    warning of the project is emitted again (an incremental build repeats only
    those of the documents it re-reads) and fails the build."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    require_project(root)
    if not getattr(warning, "isatty", lambda: False)() or os.environ.get("NO_COLOR"):
        from sphinx.util.console import nocolor

        nocolor()
    try:
        with patch_docutils(root), docutils_namespace():
            try:
                app = Sphinx(
                    srcdir=root,
                    confdir=root,
                    outdir=outdir,
                    doctreedir=doctreedir,
                    buildername=builder,
                    confoverrides=overrides,
                    status=status,
                    warning=warning,
                    warningiserror=strict,
                    freshenv=strict,
                )
            except (SphinxError, OSError, SyntaxError, UnicodeDecodeError):
                raise
            except Exception as exc:  # a value of conf.py Sphinx cannot start with
                raise InputError(
                    N_("Sphinx cannot start with this configuration: {error}"),
                    root / "conf.py",
                    error=f"{type(exc).__name__}: {one_line(str(exc))}",
                ) from None
            app.build()
    except SphinxError as exc:
        conf = root / "conf.py"
        message, line = _without_traceback(str(exc), conf)
        raise InputError(f"{exc.category}: {message}", conf, line) from None
    except UnicodeDecodeError as exc:
        file, line = _undecodable(root)
        raise InputError(
            N_("not UTF-8 text ({reason})"), file or root, line, reason=exc.reason
        ) from None
    except (OSError, SyntaxError) as exc:
        raise InputError(N_("cannot build: {error}"), root, error=one_line(str(exc))) from None
    from policycheck.sphinx.state import report_of

    report = report_of(app)
    suppressed = tuple(str(s) for s in app.config.suppress_warnings or ())
    language = app.config.language if isinstance(app.config.language, str) else None
    return BuildResult(outdir, app.statuscode, report, suppressed, language)


_TRACEBACK = "Traceback (most recent call last):"


def _without_traceback(message: str, conf: Path) -> tuple[str, int | None]:
    """Sphinx's error for an exception in conf.py carries the whole traceback: the
    message's first sentence and the exception's own last line, and the line of
    conf.py where it was raised."""
    head, found, trace = message.partition(_TRACEBACK)
    if not found:  # a syntax error: "... (conf.py, line 12)"
        at = re.search(rf"\({re.escape(conf.name)}, line (\d+)\)", message)
        return message, int(at.group(1)) if at else None
    lines = [line.strip() for line in trace.strip().splitlines() if line.strip()]
    line = None
    for match in re.finditer(r'File "([^"]*)", line (\d+)', trace):
        if Path(match.group(1)).name == conf.name:
            line = int(match.group(2))
    return f"{head.strip().rstrip(':')}: {lines[-1] if lines else ''}", line


def _undecodable(root: Path) -> tuple[Path | None, int | None]:
    """The first source file under ``root`` that is not UTF-8, and the line."""
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".md", ".rst", ".txt") or "_build" in path.parts:
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return path, data.count(b"\n", 0, exc.start) + 1
    return None, None


def build_needs(root: Path, cache: Path) -> Path:
    """Build the needs.json of the project in ``root`` incrementally in ``cache``."""
    return build_needs_of(root, cache)[0]


def build_needs_of(root: Path, cache: Path) -> tuple[Path, BuildResult]:
    """:func:`build_needs`, and the build (the project's ``suppress_warnings`` and
    ``language``)."""
    ignore_folder(cache)
    warnings = io.StringIO()
    result = run_sphinx(
        root,
        "needs",
        cache / "needs",
        cache / "doctrees",
        {"policycheck_checks": False},
        None,
        warnings,
    )
    sys.stderr.write(for_log(warnings.getvalue()))
    if result.status != 0:
        raise InputError(N_("the Sphinx build of the needs failed"), root)
    return result.outdir / "needs.json", result


def build_html(root: Path, today: str | None, strict: bool) -> BuildResult:
    overrides = {"policycheck_today": today} if today else {}
    build = root / "_build"
    # everything Sphinx and its extensions print goes through the one sanitiser
    status = cast(TextIO, SafeStream(sys.stdout))
    warning = cast(TextIO, SafeStream(sys.stderr))
    try:
        return run_sphinx(
            root, "html", build / "html", build / "doctrees", overrides, status, warning, strict
        )
    finally:
        status.flush()
        warning.flush()
