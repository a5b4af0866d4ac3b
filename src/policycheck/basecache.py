"""A cache of the base's needs for ``check --base``: built once per base, not per run.

An entry holds what the Sphinx build of the project at the base produced: its
needs.json and the list of items it could not create. Findings are computed from it
on every run with that run's date and configuration, exactly as from a fresh build.

The key is everything that determines those files: the tree id of the base commit
(its sources, conf.py and TOML table), the project folder's path in the repository,
Python's version, every installed distribution's version (Sphinx, sphinx-needs,
myst-parser, other extensions) and policycheck's own files. (A conf.py that reads
something outside the repository and the environment, such as an environment
variable, is not in the key: delete the cache folder after changing it.)

Entries live in the project's ``cache_dir`` (git-ignored). Each is written in a
scratch folder and renamed into place, so a reader sees a whole entry or none; its
manifest holds the SHA-256 of each file, and an entry that does not match (truncated,
edited, unreadable) is removed and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

import msgspec

from policycheck import __version__
from policycheck.reader import NOT_CREATED_FILE

FOLDER = "base-needs"
"""The entries' folder inside the project's ``cache_dir``."""

NEEDS_FILE = "needs.json"
_MANIFEST = "manifest.json"
_KEEP = 8  # entries kept, the most recently used


class _Manifest(msgspec.Struct):
    key: str
    absent: bool  # the project did not exist at the base
    sha256: dict[str, str]


def _environment() -> list[str]:
    """What else determines a build's needs: Python, every installed distribution
    with its version (the names of their metadata folders on ``sys.path``: Sphinx,
    sphinx-needs, myst-parser and any other extension), and policycheck's own files
    by size and modification time (an editable install's edits change no version)."""
    parts = [sys.version, __version__]
    for entry in sys.path:
        with suppress(OSError):
            parts += sorted(
                name
                for name in os.listdir(entry or ".")
                if name.endswith((".dist-info", ".egg-info", ".egg-link"))
            )
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            info = path.stat()
            parts.append(f"{path.relative_to(package)} {info.st_size} {info.st_mtime_ns}")
    return parts


def entry_key(tree: str, relative: str) -> str:
    """The key of the base whose tree id is ``tree``, for the project at ``relative``."""
    parts = ["policycheck-base-needs 2", tree, relative, *_environment()]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


class Hit(msgspec.Struct):
    """A valid entry: ``needs_json`` is None when the project did not exist at the base."""

    needs_json: Path | None


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def lookup(folder: Path, key: str) -> Hit | None:
    """The entry for ``key`` if it is whole and unchanged; a damaged one is removed."""
    entry = folder / key
    if not entry.is_dir():
        return None
    try:
        manifest = msgspec.json.decode((entry / _MANIFEST).read_bytes(), type=_Manifest)
        valid = manifest.key == key and all(
            _digest(entry / name) == digest for name, digest in manifest.sha256.items()
        )
        if valid and not manifest.absent:
            valid = set(manifest.sha256) == {NEEDS_FILE, NOT_CREATED_FILE}
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, UnicodeError):
        valid = False
    if not valid:
        discard(folder, key)
        return None
    with suppress(OSError):
        os.utime(entry)  # recently used: kept by the pruning
    return Hit(None if manifest.absent else entry / NEEDS_FILE)


def discard(folder: Path, key: str) -> None:
    shutil.rmtree(folder / key, ignore_errors=True)


def store(folder: Path, key: str, needs_json: Path | None) -> None:
    """Add the entry for ``key``: the build's needs.json and its list of items not
    created (``needs_json`` None: the project did not exist at the base). Best
    effort: a cache that cannot be written only makes the next run slower."""
    from policycheck.project import ignore_folder

    try:
        ignore_folder(folder)
        scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=folder))
    except OSError:
        return
    try:
        sha: dict[str, str] = {}
        if needs_json is not None:
            for name, source in (
                (NEEDS_FILE, needs_json),
                (NOT_CREATED_FILE, needs_json.parent / NOT_CREATED_FILE),
            ):
                shutil.copyfile(source, scratch / name)
                sha[name] = _digest(scratch / name)
        manifest = _Manifest(key=key, absent=needs_json is None, sha256=sha)
        (scratch / _MANIFEST).write_bytes(msgspec.json.encode(manifest))
        os.rename(scratch, folder / key)  # atomic; fails if another run stored it first
    except OSError:
        pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the most recently used entries; drop scratch folders of killed runs."""
    try:
        entries = [p for p in folder.iterdir() if p.is_dir()]
        scratch = [p for p in entries if p.name.startswith(".new-")]
        old = sorted((p for p in entries if p not in scratch), key=lambda p: p.stat().st_mtime)
    except OSError:
        return
    for path in old[:-_KEEP]:
        shutil.rmtree(path, ignore_errors=True)
    for path in scratch:
        with suppress(OSError):
            # another run may be writing it right now: only an hour-old one is abandoned
            if path.stat().st_mtime < time.time() - 3600:
                shutil.rmtree(path, ignore_errors=True)
