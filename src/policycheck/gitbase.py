"""``check --base GITREF``: the findings the project had at another commit.

The base is checked out in a temporary ``git worktree`` (removed afterwards) and its
needs are built in a temporary cache (and kept, by base tree, in the project's
``cache_dir``: see :mod:`policycheck.basecache`), so the user's working tree, index
and stash are never touched, also when the run is stopped (Ctrl-C, SIGTERM,
SIGHUP); worktrees left by a killed run are pruned at the next. Findings are compared by rule, item
and fingerprint (what a content-sensitive rule found), never by line, so moving
text is not a new finding, and more personal data on an item is.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from policycheck import basecache
from policycheck.config import PolicyConfig
from policycheck.engine import check
from policycheck.errors import InputError
from policycheck.findings import Finding, Report
from policycheck.history.diff import Changes, diff
from policycheck.i18n import N_
from policycheck.model import Project
from policycheck.reader import read_needs_json


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
        )
    except FileNotFoundError:
        raise InputError(N_("git is not installed"), cwd) from None
    except subprocess.TimeoutExpired:
        raise InputError(
            N_("git {command}: no answer within 5 minutes"), cwd, command=args[0]
        ) from None
    if done.returncode != 0:
        if "dubious ownership" in done.stderr:
            raise DubiousOwnership(
                N_(
                    "git refuses this repository: it belongs to another user (git's "
                    "safe.directory check). If you trust it: git config --global --add "
                    "safe.directory {folder}"
                ),
                cwd,
                folder=str(cwd),
            )
        if not done.stderr.strip():
            raise InputError(N_("git {command} failed"), cwd, command=args[0])
        raise InputError(f"git {args[0]}: {done.stderr.strip()}", cwd)
    return done.stdout.strip()


class DubiousOwnership(InputError):
    """git's ``safe.directory`` check refused the repository."""


_PREFIX = "policycheck-base-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_stale_worktrees(top: Path) -> None:
    """Remove worktrees that an earlier ``--base`` run left registered (killed with
    SIGKILL, a power cut): those in a folder of ours whose process is gone."""
    listing = _git(top, "worktree", "list", "--porcelain")
    missing = False
    for line in listing.splitlines():
        if not line.startswith("worktree "):
            continue
        path = Path(line[len("worktree ") :])
        match = re.fullmatch(re.escape(_PREFIX) + r"(\d+)-[^/]*", path.parent.name)
        if not match or path.name != "base" or _pid_alive(int(match.group(1))):
            continue
        if path.is_dir():
            _git(top, "worktree", "remove", "--force", str(path))
            shutil.rmtree(path.parent, ignore_errors=True)
        else:
            missing = True
    if missing:
        _git(top, "worktree", "prune")


class _Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwind like Ctrl-C, so the checkout is removed."""


@contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    def stop(signum: int, _frame: object) -> None:
        raise _Terminated(signal.Signals(signum).name)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        with suppress(ValueError):  # not the main thread: nothing to install
            previous[signum] = signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def base_worktree(top: Path, commit: str) -> Iterator[tuple[Path, Path]]:
    """A temporary, registered worktree of ``commit`` and a scratch folder; both
    gone afterwards, also after Ctrl-C, SIGTERM or SIGHUP."""
    prune_stale_worktrees(top)
    with _cleanup_on_signals():
        tmp = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
        worktree = tmp / "base"
        try:
            _git(top, "worktree", "add", "--detach", "--quiet", str(worktree), commit)
            yield worktree, tmp
        finally:
            try:
                if worktree.exists():
                    _git(top, "worktree", "remove", "--force", str(worktree))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
                if worktree.exists() or _registered(top, worktree):
                    _git(top, "worktree", "prune")


def _registered(top: Path, worktree: Path) -> bool:
    try:
        return str(worktree) in _git(top, "worktree", "list", "--porcelain")
    except InputError:
        return False


def base_findings(
    root: Path, ref: str, config: PolicyConfig, today: date, path_prefix: str = ""
) -> list[Finding]:
    """All findings (before baseline and waivers) of the project at ``ref``."""
    return base_state(root, ref, config, today, path_prefix)[0]


def resolve_base(root: Path, ref: str) -> tuple[Path, str]:
    """The repository's top folder and the commit ``ref`` names, or the error that
    ``--base`` cannot be used here (asked before anything is built)."""
    root = root.resolve()
    if not root.is_dir():
        raise InputError(N_("no such folder"), root)
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel")).resolve()
    except DubiousOwnership:
        raise
    except InputError:
        raise InputError(
            N_("--base needs a git repository, and this is not in one"), root
        ) from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except InputError:
        raise InputError(N_("--base: no such commit or ref {ref}"), root, ref=repr(ref)) from None
    return top, commit


def base_state(
    root: Path, ref: str, config: PolicyConfig, today: date, path_prefix: str = ""
) -> tuple[list[Finding], Project]:
    """The findings (before baseline and waivers) and the items of the project at ``ref``."""
    root = root.resolve()
    top, commit = resolve_base(root, ref)
    tree = _git(root, "rev-parse", f"{commit}^{{tree}}")
    relative = root.relative_to(top)
    folder = config.folder(root) / config.cache_dir
    key = basecache.entry_key(tree, relative.as_posix())
    hit = basecache.lookup(folder / basecache.FOLDER, key)
    if hit is not None:
        prune_stale_worktrees(top)  # as a run that checks the base out does
        try:
            return _state(hit.needs_json, config, today, path_prefix)
        except InputError:  # whole but unreadable: rebuilt below, never trusted
            basecache.discard(folder / basecache.FOLDER, key)
    from policycheck.project import build_needs

    with base_worktree(top, commit) as (worktree, tmp):
        base_root = worktree / relative
        needs_json = None
        if (base_root / "conf.py").is_file():
            needs_json = build_needs(base_root, tmp / "cache")
        state = _state(needs_json, config, today, path_prefix)
        basecache.store(folder / basecache.FOLDER, key, needs_json)
        return state


def _state(
    needs_json: Path | None, config: PolicyConfig, today: date, path_prefix: str
) -> tuple[list[Finding], Project]:
    if needs_json is None:  # the project did not exist at the base: everything is new
        return [], Project.from_items(())
    project = read_needs_json(
        needs_json, config.roles, config.max_input_bytes, not_created_required=True
    )
    return check(project, config, today, path_prefix=path_prefix).findings, project


def compare(report: Report, base: list[Finding]) -> Report:
    """Mark findings the base already had as known, and list those the change fixed."""
    base_keys = {f.key for f in base}
    current_keys = {f.key for f in report.findings}
    for i, f in enumerate(report.findings):
        if f.key in base_keys and not f.known and not f.waived:
            report.findings[i] = replace(f, known=True)
    report.fixed = sorted(f for f in base if f.key not in current_keys and not f.waived)
    report.count_findings()
    return report


def register_changes(base: Project, current: Project) -> Changes:
    """What the change does to the register: items added, removed, changed (by field)."""
    return diff(base.items, current.items)
