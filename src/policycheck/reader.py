"""Read a sphinx-needs ``needs.json`` export into the model, with no Sphinx import.

Decoding is typed and partial (msgspec skips every field the rules do not read),
which keeps a 100,000-item export fast and small. Anything unreadable becomes an
:class:`~policycheck.errors.InputError` naming the file.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path

import msgspec

from policycheck.errors import InputError
from policycheck.model import DEFAULT_ROLES, Item, Project


class _Version(msgspec.Struct):
    needs: dict[str, Item]


class _NeedsFile(msgspec.Struct):
    versions: dict[str, _Version]
    current_version: str = ""


_DECODER = msgspec.json.Decoder(_NeedsFile)


def read_needs_json(path: Path, roles: Mapping[str, str] = DEFAULT_ROLES) -> Project:
    """The policy items of the current version of a needs.json file (``roles``: see
    :meth:`Project.from_items`)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a needs.json file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    return parse_needs_json(data, path, roles)


def parse_needs_json(
    data: bytes, path: Path | str = "needs.json", roles: Mapping[str, str] = DEFAULT_ROLES
) -> Project:
    if not data.strip():
        raise InputError("empty file, not a sphinx-needs needs.json", path)
    # Decoding and indexing allocate ~10 containers per need; the cyclic GC would
    # rescan them all many times over (half the run time), and they hold no cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _project(data, path, roles)
    finally:
        if gc_was_enabled:
            gc.enable()


def _project(data: bytes, path: Path | str, roles: Mapping[str, str]) -> Project:
    try:
        export = _DECODER.decode(data)
    except msgspec.ValidationError as exc:
        raise InputError(f"not a sphinx-needs needs.json layout: {exc}", path) from None
    except (msgspec.DecodeError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {exc}", path) from None
    if not export.versions:
        raise InputError("no versions in this needs.json", path)
    version = export.versions.get(export.current_version)
    if version is None:
        if len(export.versions) != 1:
            raise InputError(
                f"current_version {export.current_version!r} is not among its versions", path
            )
        version = next(iter(export.versions.values()))
    return Project.from_items(version.needs.values(), roles)
