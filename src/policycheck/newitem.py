"""``policycheck new TYPE "Title"``: add an item with the next free id of its prefix.

Never overwrites or rewrites a line: a decision gets a new file of its own (created
exclusively), any other item is appended to the file the TOML table names, in that
file's syntax (MyST for ``.md``, reStructuredText for ``.rst``). Links must name
existing items of the right type; fields (``--set due=2030-12-31``) must be fields
of the type with a valid value. Nothing is written that the user did not give:
fields left out are reported by the next check, not filled with placeholders.

Concurrent runs are serialised by a lock in the cache folder, and a decision file
is created exclusively, so two runs never get the same id. Targets are resolved
and must stay inside the project: a symbolic link out of it is refused.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policycheck.config import PolicyConfig
from policycheck.domain import Field, ItemType, Vocabulary, vocabulary
from policycheck.errors import ConfigError, InputError
from policycheck.findings import Message
from policycheck.i18n import N_
from policycheck.itemsyntax import (
    SUFFIXES,
    Syntax,
    check_one_line,
    heading,
    item_block,
    syntax_of,
)
from policycheck.model import Project

MAX_SOURCE_BYTES = 64 * 1024 * 1024
_ID_OPTION = re.compile(r"^\s*:id:\s*(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class NewItem:
    id: str
    file: Path
    line: int


_FOLDER_NOT_FILE = N_("is a folder, not a file; nothing was written")
_NOT_REGULAR = N_("not a regular file; nothing was written")
_NO_FOLDER = N_("cannot create the folder: {reason}")


@contextmanager
def new_item_lock(cache: Path) -> Iterator[None]:
    """Hold an exclusive lock for the whole run (build, pick an id, write)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd = os.open(cache / "new.lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise InputError(
            N_("cannot create the lock file: {reason}"), cache, reason=str(exc.strerror)
        ) from None
    try:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # also releases the lock


def _type(item_type: str, vocab: Vocabulary | None = None) -> ItemType:
    """The type meant by ``item_type``: its name in this project, or its role."""
    vocab = vocab or vocabulary()
    spec = vocab.type_called(item_type)
    if spec is None:
        raise ConfigError(
            N_("unknown type {type} (one of: {types})"),
            type=repr(item_type),
            types=", ".join(vocab.names),
        )
    return spec


def _check_links(
    project: Project, item_type: str, links: Mapping[str, Sequence[str]], vocab: Vocabulary
) -> None:
    for name, targets in links.items():
        link = vocab.link(name)
        if link is None:
            raise ConfigError(N_("--{link}: not a link"), link=name)
        if item_type not in link.sources:
            raise ConfigError(
                N_("--{link}: an item of type {type} cannot use this link"),
                link=name,
                type=item_type,
            )
        for target in targets:
            found = project.items.get(target)
            if found is None:
                raise ConfigError(N_("--{link}: no item with id {id}"), link=name, id=repr(target))
            if found.type not in link.targets:
                raise ConfigError(
                    N_("--{link}: {id} is of type {type}, not {types}"),
                    link=name,
                    id=target,
                    type=found.type,
                    types=" or ".join(link.targets),
                )


def _fields_of(spec: ItemType, vocab: Vocabulary) -> list[str]:
    names = [f.name for f in vocab.fields_of(spec.role)]
    links = [link.name for link in vocab.links if spec.role in link.sources]
    return ["status", "tags", *names, *links]


def _check_value(field: Field, value: str) -> None:
    schema = field.schema
    if schema.get("format") == "date":
        try:
            ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(date.fromisoformat(value))
        except ValueError:
            ok = False
        if not ok:
            raise ConfigError(
                N_("--set {field}: {value} is not a date (YYYY-MM-DD)"),
                field=field.name,
                value=repr(value),
            )
    from policycheck.rules.schema import allowed

    if not allowed(value, schema):  # the rest of the field's schema, as the check reads it
        raise ConfigError(
            N_("--set {field}: {value} is not valid ({description})"),
            field=field.name,
            value=repr(value),
            description=Message(field.description),
        )


def parse_sets(
    spec: ItemType,
    values: Sequence[str],
    links: dict[str, list[str]],
    vocab: Vocabulary | None = None,
) -> list[tuple[str, str]]:
    """``FIELD=VALUE`` pairs checked against the vocabulary; link names go to ``links``."""
    vocab = vocab or vocabulary()
    allowed = _fields_of(spec, vocab)
    by_name: dict[str, Field] = {f.name: f for f in vocab.fields}
    fields: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ConfigError(N_("--set {value}: expected FIELD=VALUE"), value=repr(raw))
        if name not in allowed:
            raise ConfigError(
                N_("--set {field}: not a field of type {type} (one of: {fields})"),
                field=name,
                type=spec.name,
                fields=", ".join(allowed),
            )
        value = check_one_line(f"--set {name}", value)
        if vocab.link(name) is not None:
            links.setdefault(name, []).extend(t.strip() for t in value.split(",") if t.strip())
            continue
        if name in fields:
            raise ConfigError(N_("--set {field}: given twice"), field=name)
        if name == "status" and value not in spec.status_names:
            raise ConfigError(
                N_("--set status: {value} is not a status of type {type} (one of: {statuses})"),
                value=repr(value),
                type=spec.name,
                statuses=", ".join(spec.status_names),
            )
        if name in by_name:
            _check_value(by_name[name], value)
        fields[name] = value
    return list(fields.items())


def _inside(boundary: Path, path: Path) -> Path:
    """``path`` with every symbolic link resolved; refused if that leaves the project."""
    resolved = path.resolve()
    if not resolved.is_relative_to(boundary):
        raise ConfigError(
            N_("leads outside the project (to {target}); nothing was written"),
            path,
            target=str(resolved),
        )
    return resolved


def _ids_in(paths: Sequence[Path]) -> set[str]:
    """Ids written in these files, also of items the build could not create."""
    found: set[str] = set()
    for path in paths:
        try:
            if path.is_file() and path.stat().st_size <= MAX_SOURCE_BYTES:
                found.update(_ID_OPTION.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return found


def _numbered_ids(spec: ItemType, config: PolicyConfig, start_after: set[str]) -> Iterator[str]:
    """Ids ``PREFIX<n>`` from one past the highest taken number, skipping taken ones."""
    numbers = [
        int(m.group(1))
        for item_id in start_after
        if (m := re.fullmatch(re.escape(spec.prefix) + r"(\d+)", item_id))
    ]
    number = max(numbers, default=0) + 1
    first = f"{spec.prefix}{number}"
    if not re.match(config.id_pattern, first):
        raise ConfigError(
            N_(
                "the id pattern {pattern} does not accept ids of the form "
                "{prefix}<number> (such as {example}) that `new` gives items of type {type}"
            ),
            config.source,
            pattern=repr(config.id_pattern),
            prefix=spec.prefix,
            example=first,
            type=spec.name,
        )
    while True:
        candidate = f"{spec.prefix}{number}"
        if candidate not in start_after:
            yield candidate
        number += 1


def _open_for_append(path: Path) -> tuple[int, bytes]:
    """An open regular file (created when missing) and its bytes; never follows a
    link, never blocks on a FIFO or a device."""
    flags = os.O_RDWR | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | os.O_CREAT, 0o666)
    except IsADirectoryError:
        raise InputError(_FOLDER_NOT_FILE, path) from None
    except OSError as exc:
        raise InputError(
            N_("cannot write: {reason}; nothing was written"), path, reason=str(exc.strerror)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_NOT_REGULAR, path)
        if info.st_size > MAX_SOURCE_BYTES:
            raise InputError(N_("larger than 64 MiB; nothing was written"), path)
        with os.fdopen(os.dup(fd), "rb", closefd=True) as reader:
            reader.seek(0)
            existing = reader.read()
        existing.decode("utf-8")
    except UnicodeDecodeError:
        os.close(fd)
        raise InputError(N_("not UTF-8 text; nothing was written"), path) from None
    except OSError as exc:
        os.close(fd)
        raise InputError(
            N_("cannot read: {reason}; nothing was written"), path, reason=str(exc.strerror)
        ) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, existing


def _write_fd(fd: int, text: str, path: Path) -> None:
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(N_("cannot write: {reason}"), path, reason=str(exc.strerror)) from None


def _append(path: Path, block: list[str]) -> int:
    fd, existing = _open_for_append(path)
    if not existing or existing.endswith(b"\n\n"):
        lead = ""
    else:
        lead = "\n" if existing.endswith(b"\n") else "\n\n"
    _write_fd(fd, lead + "\n".join(block) + "\n", path)
    return existing.count(b"\n") + lead.count("\n") + 1


def _decision_syntax(folder: Path, config: PolicyConfig) -> Syntax:
    """The syntax most decision files already use; else that of the items file."""
    counts = {"myst": 0, "rst": 0}
    if folder.is_dir():
        for path in folder.iterdir():
            syntax = SUFFIXES.get(path.suffix.lower())
            if syntax:
                counts[syntax] += 1
    if counts["myst"] != counts["rst"]:
        return "myst" if counts["myst"] > counts["rst"] else "rst"
    return syntax_of(Path(config.items_file))


def _create_decision(
    folder: Path,
    ids: Iterator[str],
    spec: ItemType,
    title: str,
    options: list[tuple[str, str]],
    syntax: Syntax,
) -> NewItem:
    suffix = ".md" if syntax == "myst" else ".rst"
    taken = {p.stem.upper() for p in folder.iterdir()} if folder.is_dir() else set()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for item_id in ids:
        if item_id.upper() in taken:
            continue  # a file of that id exists (perhaps not a built item): the next one
        path = folder / f"{item_id}{suffix}"
        head = heading(title, syntax)
        block = item_block(syntax, spec.name, title, [("id", item_id), *options])
        try:
            fd = os.open(path, flags, 0o666)
        except FileExistsError:
            continue  # created meanwhile: never over an existing file
        except OSError as exc:
            raise InputError(
                N_("cannot create: {reason}"), path, reason=str(exc.strerror)
            ) from None
        try:
            _write_fd(fd, "\n".join([*head, "", *block]) + "\n", path)
        except InputError:
            path.unlink(missing_ok=True)  # no half-written decision left behind
            raise
        return NewItem(item_id, path, len(head) + 2)
    raise AssertionError("unreachable: ids never run out")


def _boundary(root: Path, config: PolicyConfig) -> Path:
    """The folder nothing may be written outside of: the one holding the TOML table
    when the project is inside it (a project in ``docs/``), else the project's."""
    project = root.resolve()
    if config.source:
        table_folder = Path(config.source).parent.resolve()
        if project.is_relative_to(table_folder):
            return table_folder
    return project


@dataclass(frozen=True)
class Request:
    """What ``new`` was asked for, checked against the vocabulary (not yet the project)."""

    spec: ItemType
    title: str
    links: dict[str, list[str]]
    fields: list[tuple[str, str]]


def make_request(
    item_type: str,
    title: str,
    links: Mapping[str, Sequence[str]],
    sets: Sequence[str] = (),
    vocab: Vocabulary | None = None,
) -> Request:
    spec = _type(item_type, vocab)
    title = check_one_line(Message(N_("the title")), title)
    all_links = {name: list(targets) for name, targets in links.items() if targets}
    fields = parse_sets(spec, sets, all_links, vocab)
    all_links = {name: targets for name, targets in all_links.items() if targets}
    return Request(spec, title, all_links, fields)


@dataclass(frozen=True)
class Target:
    """Where the item goes: a folder for decisions, a file otherwise (resolved)."""

    path: Path
    syntax: Syntax
    folder: bool


def find_target(root: Path, config: PolicyConfig, request: Request) -> Target:
    """The checked target, before anything is built or written: inside the project,
    a regular file (or a folder for decisions), with a syntax the title fits."""
    boundary = _boundary(root, config)
    if request.spec.role == "decision":
        path = _inside(boundary, root / config.decisions_dir)
        if path.exists() and not path.is_dir():
            raise InputError(N_("is not a folder; nothing was written"), path)
        target = Target(path, _decision_syntax(path, config), True)
    else:
        given = root / config.items_files.get(request.spec.role, config.items_file)
        syntax = syntax_of(given)
        path = _inside(boundary, given)
        if path.is_dir():
            raise InputError(_FOLDER_NOT_FILE, path)
        if path.exists() and not path.is_file():
            raise InputError(_NOT_REGULAR, path)
        target = Target(path, syntax, False)
    item_block(target.syntax, request.spec.name, request.title, [])  # the title fits
    return target


def add_item(
    root: Path,
    project: Project,
    config: PolicyConfig,
    request: Request,
    target: Target | None = None,
) -> NewItem:
    spec, title, fields = request.spec, request.title, request.fields
    target = target or find_target(root, config, request)
    _check_links(project, spec.role, request.links, config.vocabulary())
    status = dict(fields).get("status", spec.status_names[0])  # a new item starts at the first
    options = [
        ("status", status),
        *((name, ", ".join(targets)) for name, targets in request.links.items()),
        *((name, value) for name, value in fields if name != "status"),
    ]
    path = target.path
    if target.folder:
        taken = set(project.items) | _ids_in(sorted(path.glob("*")) if path.is_dir() else [])
        ids = _numbered_ids(spec, config, taken)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(_NO_FOLDER, path, reason=str(exc.strerror)) from None
        return _create_decision(path, ids, spec, title, options, target.syntax)
    item_id = next(_numbered_ids(spec, config, set(project.items) | _ids_in([path])))
    block = item_block(target.syntax, spec.name, title, [("id", item_id), *options])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_NO_FOLDER, path.parent, reason=str(exc.strerror)) from None
    return NewItem(item_id, path, _append(path, block))
