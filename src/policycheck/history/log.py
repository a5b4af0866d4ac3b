"""The register's history along the git log: for each commit, what it did to the items.

One ``git log --raw`` gives, for every commit on the first-parent line that touched
the project's sources, the blob ids of the files it changed; each blob is read once
(one ``git cat-file --batch`` for all of them) and scanned for items
(:mod:`~policycheck.history.scan`). The history and the items of each file at HEAD
are cached in the project's cache folder: a build with the same HEAD reads one
file; a build after new commits walks only those (``OLD..HEAD``), from the cached
items. Commits are diffed only on the items of the files they touched, and items
whose fields are all equal are skipped at once, so a long history costs time in
proportion to its changes, not to commits × items.

Without history (no git, a tarball, a repository with no commit) the history is
empty with a reason; in a shallow clone it begins at the oldest commit present
(whose items are the starting point, not "added").
"""

from __future__ import annotations

import hashlib
import subprocess
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from policycheck import __version__
from policycheck.history.diff import Changes, changes_from_dict, diff
from policycheck.history.scan import Memo, scan
from policycheck.model import Item

_NULL = "0" * 40
_CACHE_VERSION = "1"


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO 8601 with offset (committer date: when it landed on the branch)
    subject: str
    changes: Changes


@dataclass
class History:
    """Commits that changed the register, newest first; ``reason`` when there is none.

    ``new_ids`` are the items changed since the commit ``since`` that the cache held
    (None: all may be new).
    """

    commits: list[Commit] = field(default_factory=list)
    head: str = ""
    shallow: bool = False
    reason: str = ""
    new_ids: set[str] | None = None
    since: str | None = None
    start: str = ""  # the date of the oldest commit read (where a shallow clone begins)

    @property
    def available(self) -> bool:
        return not self.reason


class _CachedCommit(msgspec.Struct):
    sha: str
    date: str
    subject: str
    changes: dict[str, Any]


class _Cache(msgspec.Struct):
    key: str
    head: str
    commits: list[_CachedCommit]  # newest first
    state: dict[str, list[Item]]  # the items of each source file at ``head``
    start: str = ""


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=600
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def head_of(srcdir: Path) -> str | None:
    """The commit checked out in the repository holding ``srcdir`` (None without one)."""
    out = _git(srcdir, "rev-parse", "--verify", "--quiet", "HEAD")
    return out.strip() if out else None


def read_history(
    srcdir: Path,
    cache_dir: Path | None,
    directives: Collection[str],
    wanted: Callable[[str], bool],
    settings: str = "",
) -> History:
    """The history of the items under ``srcdir``.

    ``directives`` are the need directives to read; ``wanted`` says whether a path
    (relative to ``srcdir``) is one of the project's sources; ``settings`` is
    anything else that changes the result (part of the cache key).
    """
    top = _git(srcdir, "rev-parse", "--show-toplevel")
    if top is None:
        return History(reason="no-git")
    head = head_of(srcdir)
    if head is None:
        return History(reason="no-commits")
    root = Path(top.strip())
    prefix = srcdir.resolve().relative_to(root.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    shallow = (_git(srcdir, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    parts = [_CACHE_VERSION, __version__, prefix, str(shallow), *sorted(directives), settings]
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    cache = _load(cache_dir)
    if cache is not None and cache.key == key:
        old = [
            Commit(c.sha, c.date, c.subject, changes_from_dict(c.changes)) for c in cache.commits
        ]
        if cache.head == head:
            return History(old, head, shallow, new_ids=set(), since=head, start=cache.start)
        if _git(root, "merge-base", "--is-ancestor", cache.head, head) is not None:
            walk = _Walk(root, prefix, directives, wanted, cache.state)
            new = walk.run(f"{cache.head}..{head}", first_is_start=False)
            cached = _cached(new) + cache.commits
            _save(cache_dir, _Cache(key, head, cached, walk.by_path, cache.start))
            ids = {i for c in new for i in c.changes.ids()}
            return History(
                new + old, head, shallow, new_ids=ids, since=cache.head, start=cache.start
            )
    walk = _Walk(root, prefix, directives, wanted, {})
    commits = walk.run(head, first_is_start=shallow)
    _save(cache_dir, _Cache(key, head, _cached(commits), walk.by_path, walk.start))
    return History(commits, head, shallow, start=walk.start)


def _log(
    top: Path, prefix: str, revisions: str
) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """Oldest first: (sha, date, subject, [(path, new blob or NULL)]) for each commit."""
    try:
        out = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--first-parent",
                "--reverse",
                "--diff-merges=first-parent",
                "--raw",
                "--no-renames",
                "--no-abbrev",
                "-z",
                "--format=%x01%H%x00%cI%x00%s%x00",
                revisions,
                "--",
                prefix or ".",
            ],
            cwd=top,
            capture_output=True,
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if out.returncode != 0:
        return []
    commits = []
    for record in out.stdout.split(b"\x01")[1:]:
        fields = record.split(b"\x00")
        sha, date, subject = (f.decode("utf-8", "replace") for f in fields[:3])
        files: list[tuple[str, str]] = []
        rest = [f for f in fields[3:] if f.strip(b"\n")]
        for meta, path in zip(rest[::2], rest[1::2], strict=False):
            parts = meta.strip(b"\n").split()
            if len(parts) >= 4:
                files.append((path.decode("utf-8", "replace"), parts[3].decode()))
        commits.append((sha, date, subject, files))
    return commits


class _Walk:
    """The items of every source file, carried along the commits."""

    def __init__(
        self,
        top: Path,
        prefix: str,
        directives: Collection[str],
        wanted: Callable[[str], bool],
        state: dict[str, list[Item]],
    ) -> None:
        self.top, self.prefix, self.directives, self.wanted = top, prefix, directives, wanted
        self.by_path = dict(state)
        self.start = ""
        self.by_id: dict[str, Item] = {}
        for path in sorted(self.by_path):
            for item in self.by_path[path]:
                self.by_id.setdefault(item.id, item)

    def run(self, revisions: str, first_is_start: bool) -> list[Commit]:
        """The commits in ``revisions`` that changed items, newest first; the first
        commit's items are the starting point when ``first_is_start`` (a shallow clone)."""
        n = len(self.prefix)
        relevant = [
            (
                sha,
                date,
                subject,
                [(p[n:], b) for p, b in files if p.startswith(self.prefix) and self.wanted(p[n:])],
            )
            for sha, date, subject, files in _log(self.top, self.prefix, revisions)
        ]
        paths = {b: path for *_, files in relevant for path, b in files if b != _NULL}
        if relevant:
            self.start = relevant[0][1]
        memo: Memo = {}
        blobs = {
            b: scan(text, paths[b], self.directives, memo) for b, text in _cat(self.top, paths)
        }
        commits: list[Commit] = []
        for i, (sha, date, subject, files) in enumerate(relevant):
            changes = self._apply(files, blobs) if files else None
            if changes and not (first_is_start and i == 0):
                commits.append(Commit(sha, date, subject, changes))
        commits.reverse()
        return commits

    def _apply(self, files: list[tuple[str, str]], blobs: dict[str, list[Item]]) -> Changes:
        by_path, by_id = self.by_path, self.by_id
        touched = {i.id for path, _ in files for i in by_path.get(path, ())}
        touched |= {i.id for _, b in files for i in blobs.get(b, ())}
        before = {i: by_id[i] for i in touched if i in by_id}
        for path, _ in files:  # all old versions out first: a move is not a removal
            for item in by_path.pop(path, ()):
                if by_id.get(item.id) is item:
                    del by_id[item.id]
        for path, blob in files:
            if blob != _NULL:
                items = blobs.get(blob, [])
                by_path[path] = items
                for item in items:
                    by_id.setdefault(item.id, item)
        after = {i: by_id[i] for i in touched if i in by_id}
        return diff(before, after, touched)


def _cat(top: Path, blobs: Iterable[str]) -> Iterable[tuple[str, str]]:
    """Each blob's text, read through one ``git cat-file --batch``."""
    wanted = sorted(blobs)
    if not wanted:
        return
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin = proc.stdin

    def feed() -> None:
        try:
            stdin.write("".join(f"{b}\n" for b in wanted).encode())
        finally:
            stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _ in wanted:
            header = proc.stdout.readline().split()
            if len(header) < 3:  # "<sha> missing"
                continue
            size = int(header[2])
            data = proc.stdout.read(size + 1)[:size]
            yield header[0].decode(), data.decode("utf-8", "replace")
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()


def _cached(commits: list[Commit]) -> list[_CachedCommit]:
    return [_CachedCommit(c.sha, c.date, c.subject, c.changes.as_dict()) for c in commits]


_FILE = "history.msgpack"


def _load(cache_dir: Path | None) -> _Cache | None:
    if cache_dir is None:
        return None
    try:
        return msgspec.msgpack.decode((cache_dir / _FILE).read_bytes(), type=_Cache)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


def _save(cache_dir: Path | None, cache: _Cache) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / f"{_FILE}.tmp"
        tmp.write_bytes(msgspec.msgpack.encode(cache))
        tmp.replace(cache_dir / _FILE)
    except OSError:
        pass  # a cache that cannot be written costs time, not correctness
