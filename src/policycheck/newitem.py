"""``policycheck new TYPE "Title"``: add an item with the next free id of its prefix.

Never overwrites or rewrites a line: a decision gets a new file of its own (created
exclusively), any other item is appended to the file the TOML table names. Links
must name existing items of the right type; the new item's fields that the checker
asks for and that were not given are left for the editor, and the next check
reports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policycheck.config import PolicyConfig
from policycheck.domain import ItemType, Vocabulary
from policycheck.errors import ConfigError, InputError
from policycheck.model import Project


@dataclass(frozen=True)
class NewItem:
    id: str
    file: Path
    line: int


def next_id(project: Project, prefix: str) -> str:
    numbers = [
        int(m.group(1))
        for item_id in project.items
        if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", item_id))
    ]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in project.items:
        number += 1
    return f"{prefix}{number}"


def _check_links(
    project: Project, vocab: Vocabulary, spec: ItemType, links: dict[str, list[str]]
) -> None:
    for name, targets in links.items():
        link = vocab.link(name)
        if link is None:
            raise ConfigError(f"--{name}: unknown link type")
        if spec.role not in link.sources:
            raise ConfigError(f"--{name}: a {spec.name} cannot use this link")
        allowed = vocab.names_of(link.targets)
        for target in targets:
            found = project.items.get(target)
            if found is None:
                raise ConfigError(f"--{name}: no item with id {target!r}")
            if found.type not in allowed:
                raise ConfigError(
                    f"--{name}: {target} is a {found.type}, not a {' or '.join(allowed)}"
                )


def _block(spec: ItemType, title: str, item_id: str, links: dict[str, list[str]]) -> str:
    # a fence longer than any run of backticks in the title
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", title)), default=0) + 1)
    lines = [f"{fence}{{{spec.name}}} {title}", f":id: {item_id}"]
    lines.append(f":status: {spec.initial_status}")
    lines += [f":{name}: {', '.join(targets)}" for name, targets in links.items() if targets]
    lines += [":source: TODO: the document and a quote this item comes from", fence]
    return "\n".join(lines) + "\n"


def add_item(
    root: Path,
    project: Project,
    config: PolicyConfig,
    item_type: str,
    title: str,
    links: dict[str, list[str]],
) -> NewItem:
    vocab = config.vocabulary()
    spec = vocab.type_called(item_type)
    if spec is None:
        raise ConfigError(f"unknown type {item_type!r} (one of: {', '.join(vocab.names)})")
    title = title.strip()
    if not title or "\n" in title or "\r" in title:
        raise ConfigError("the title must be one non-empty line")
    links = {name: targets for name, targets in links.items() if targets}
    _check_links(project, vocab, spec, links)
    item_id = next_id(project, spec.prefix)
    block = _block(spec, title, item_id, links)
    if spec.role == "decision":
        path = root / config.decisions_dir / f"{item_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:  # never over an existing file
                handle.write(f"# {title}\n\n{block}")
        except FileExistsError:
            raise InputError("exists already; nothing was written", path) from None
        return NewItem(item_id, path, 3)
    path = root / config.items_files.get(spec.role, config.items_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_bytes() if path.exists() else b""
    try:
        existing.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; nothing was written", path) from None
    lead = (
        ""
        if not existing or existing.endswith(b"\n\n")
        else ("\n" if existing.endswith(b"\n") else "\n\n")
    )
    line = existing.count(b"\n") + lead.count("\n") + 1
    with path.open("a", encoding="utf-8") as handle:  # appends; never rewrites a line
        handle.write(lead + block)
    return NewItem(item_id, path, line)
