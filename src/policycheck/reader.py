"""Read a sphinx-needs ``needs.json`` export into the model, with no Sphinx import.

Decoding is typed and partial (msgspec skips every field the rules do not read),
which keeps a 100,000-item export fast and small. Anything unreadable becomes an
:class:`~policycheck.errors.InputError` naming the file.
"""

from __future__ import annotations

import gc
import mmap
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from policycheck.errors import InputError
from policycheck.fileio import (
    BOM,
    DEFAULT_MAX_INPUT,
    UTF16,
    is_utf16,
    read_capped,
    read_mapped,
    read_stream_capped,
)
from policycheck.i18n import N_
from policycheck.model import DEFAULT_ROLES, ITEM_FIELDS, Item, NotCreated, Project, text_of

Buffer = bytes | mmap.mmap

NOT_CREATED_FILE = "policycheck-not-created.json"
"""Written next to needs.json by the Sphinx build: the items sphinx-needs dropped."""


class _Version(msgspec.Struct):
    needs: dict[str, Item]
    needs_schema: dict[str, Any] | None = None


class _NeedsFile(msgspec.Struct):
    versions: dict[str, _Version]
    current_version: str = ""


class _NotCreatedFile(msgspec.Struct):
    not_created: list[NotCreated]
    # absent in files an older policycheck wrote: the ids are then told by their form
    generated_ids: list[str] | None = None


_DECODER = msgspec.json.Decoder(_NeedsFile)


def read_needs_json(
    path: Path,
    roles: Mapping[str, str] = DEFAULT_ROLES,
    max_bytes: int = DEFAULT_MAX_INPUT,
    *,
    not_created_required: bool = False,
) -> Project:
    """The policy items of the current version of a needs.json file (``roles``: see
    :meth:`Project.from_items`), with the items the build could not create (from the
    side file next to it; when the build was policycheck's own, a missing side file is
    an error, not "none dropped")."""
    with read_mapped(path, max_bytes) as data:
        project = parse_needs_json(data, path, roles)
    side = path.parent / NOT_CREATED_FILE
    if not_created_required or side.exists():
        record = read_side_file(side, max_bytes)
        project.not_created = record.not_created
        if record.generated_ids is not None:
            project.generated_ids = frozenset(record.generated_ids)
    return project


STDIN = "<stdin>"


def read_needs_stream(
    fd: int, roles: Mapping[str, str] = DEFAULT_ROLES, max_bytes: int = DEFAULT_MAX_INPUT
) -> Project:
    """The policy items of a needs.json piped in on ``fd`` (``--needs-json -``); no
    list of items not created goes with it."""
    if os.isatty(fd):
        raise InputError(N_("standard input is a terminal: pipe a needs.json into it"), STDIN)
    return parse_needs_json(read_stream_capped(fd, STDIN, max_bytes), STDIN, roles)


def read_not_created(path: Path, max_bytes: int = DEFAULT_MAX_INPUT) -> list[NotCreated]:
    return read_side_file(path, max_bytes).not_created


def read_side_file(path: Path, max_bytes: int = DEFAULT_MAX_INPUT) -> _NotCreatedFile:
    try:
        data = read_capped(path, max_bytes)
    except InputError as exc:
        raise InputError(
            N_("{error}: the list of items the build could not create is missing"),
            path,
            error=exc.template,
        ) from None
    try:
        return msgspec.json.decode(data, type=_NotCreatedFile)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeError) as exc:
        raise InputError(
            N_("not a policycheck list of items not created: {error}"), path, error=str(exc)
        ) from None


_NOT_NEEDS_JSON = N_("not a sphinx-needs needs.json layout: {error}")
_BLANK = re.compile(rb"[ \t\n\r\x0b\x0c]*")  # as bytes.strip() strips


def parse_needs_json(
    data: Buffer, path: Path | str = "needs.json", roles: Mapping[str, str] = DEFAULT_ROLES
) -> Project:
    if is_utf16(data):
        raise InputError(UTF16, path)
    if data[:3] == BOM:  # a byte-order mark, as some editors write (RFC 8259: ignored)
        with memoryview(data) as view:
            data = view[3:].tobytes()
    if _BLANK.fullmatch(data):
        raise InputError(N_("empty file, not a sphinx-needs needs.json"), path)
    # Decoding and indexing allocate ~10 containers per need; the cyclic GC would
    # rescan them all many times over (half the run time), and they hold no cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _project(data, path, roles)
    finally:
        if gc_was_enabled:
            gc.enable()


def _project(data: Buffer, path: Path | str, roles: Mapping[str, str]) -> Project:
    try:
        export = _DECODER.decode(data)
    except msgspec.ValidationError as exc:
        raise InputError(_NOT_NEEDS_JSON, path, error=str(exc)) from None
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise InputError(N_("not valid JSON: {error}"), path, error=str(exc)) from None
    if not export.versions:
        raise InputError(N_("no versions in this needs.json"), path)
    version = export.versions.get(export.current_version)
    if version is None:
        raise InputError(
            N_("current_version {version} is not among its versions ({versions})"),
            path,
            version=repr(export.current_version),
            versions=", ".join(repr(v) for v in sorted(export.versions)[:5]),
        )
    fields = _text_fields(version)
    if fields == []:  # no other text fields to read: the needs as decoded
        return Project.from_needs(version.needs, roles)
    return Project.from_items(
        _with_texts(data, path, export.current_version, version, fields), roles
    )


def _is_text(spec: dict[str, Any]) -> bool:
    """A string field, or a list of strings (sphinx-needs' ``array`` of ``string``)."""
    kind = spec.get("type", "string")
    if kind == "array" or (isinstance(kind, list) and "array" in kind):
        items = spec.get("items")
        return isinstance(items, dict) and items.get("type", "string") == "string"
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _text_fields(version: _Version) -> list[str] | None:
    """The project's own text fields (``extra`` fields of strings in sphinx-needs'
    schema) that the model does not hold; None when the export has no schema."""
    if not isinstance(version.needs_schema, dict):
        return None
    properties = version.needs_schema.get("properties")
    if not isinstance(properties, dict):
        return None
    return sorted(
        name
        for name, spec in properties.items()
        if isinstance(spec, dict)
        and spec.get("field_type") == "extra"
        and _is_text(spec)
        and name not in ITEM_FIELDS
    )


# Without a schema, a need is decoded whole only when its raw JSON could hold
# personal data: an "@" (also escaped), an entity, or a run of seven digits.
_RAW_MARKS = re.compile(rb"@|\\u|&|\xef\xbc[\x90-\x99\xa0]|[0-9][0-9 ./()-]{5,}[0-9]")


def _decode_texts(data: Buffer, current: str, fields: list[str] | None) -> dict[str, Any]:
    """Per need id, its other fields: those named (a partial pass), or, without a
    schema, every field of the needs whose raw JSON holds a marker."""
    need_type: Any = (
        msgspec.Raw
        if fields is None
        else msgspec.defstruct("_Texts", [(f, Any, None) for f in fields], kw_only=True)
    )
    version_type: Any = msgspec.defstruct("_TextsVersion", [("needs", dict[str, need_type])])
    file_type: Any = msgspec.defstruct("_TextsFile", [("versions", dict[str, version_type])])
    decoded: Any = msgspec.json.decode(data, type=file_type)
    needs: dict[str, Any] = decoded.versions[current].needs
    if fields is not None:
        return {k: msgspec.structs.asdict(v) for k, v in needs.items()}
    return {
        k: msgspec.json.decode(raw)
        for k, raw in needs.items()
        if _RAW_MARKS.search(memoryview(raw))
    }


# sphinx-needs' own lists of ids or names, in an export without a schema to say so
_NOT_TEXT_LISTS = frozenset({"links", "parent_needs", "sections", "constraints", "parts"})


def _ids(key: str, need: Mapping[str, Any]) -> bool:
    """Whether the list field ``key`` of ``need`` (an export without a schema) holds
    ids: a link (it has a ``_back`` twin, or is one) or sphinx-needs' bookkeeping."""
    return key in _NOT_TEXT_LISTS or key.endswith("_back") or f"{key}_back" in need


def _with_texts(
    data: Buffer, path: Path | str, current: str, version: _Version, fields: list[str] | None
) -> Iterable[Item]:
    """The items, each with its other text fields (custom fields, ``fields``: see
    :func:`_text_fields`) for the personal-data rule, read in a second, partial pass."""
    try:
        texts = _decode_texts(data, current, fields)
    except (msgspec.DecodeError, msgspec.ValidationError, KeyError, UnicodeError) as exc:
        raise InputError(_NOT_NEEDS_JSON, path, error=str(exc)) from None
    items = []
    for need_id, item in version.needs.items():
        extra = texts.get(need_id)
        fields_of = extra if isinstance(extra, dict) else {}
        found = {
            k: text
            for k, v in fields_of.items()
            if k not in ITEM_FIELDS
            and (text := text_of(v, lists=fields is not None or not _ids(k, fields_of)))
        }
        items.append(msgspec.structs.replace(item, texts=found) if found else item)
    return items
