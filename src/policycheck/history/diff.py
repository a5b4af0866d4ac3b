"""What a change does to the register: items added, removed, and changed field by field.

Only what an item *says* is compared: its type, title, status, fields, links (as
sets of ids) and content (with whitespace normalised). Where it is written (file,
line) is not, so moving an item to another file or reformatting it is no change.
Pure and linear in the number of items.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policycheck.domain import FIELDS
from policycheck.model import ITEM_FIELDS, LINK_NAMES, Item

# The compared fields, in the order changes are told (and the open data's columns):
# the vocabulary's, not the model's (whose order is needs.json's, for decoding). A
# field a project's table adds is in ``texts``. Location fields are left out.
LOCATION_FIELDS = frozenset({"id", "docname", "doctype", "lineno"})
TEXT_FIELDS: tuple[str, ...] = (
    "type",
    "title",
    "status",
    *(f.name for f in FIELDS if f.name in ITEM_FIELDS),
    "texts",
)
COMPARED: tuple[str, ...] = (*TEXT_FIELDS, *LINK_NAMES, "content")

Value = str | list[str] | None


@dataclass(frozen=True)
class ItemRef:
    """An item added or removed."""

    id: str
    type: str
    title: str


@dataclass(frozen=True)
class ItemChange:
    """An item whose content changed: field name to (old, new)."""

    id: str
    type: str
    title: str
    fields: dict[str, tuple[Value, Value]]


@dataclass
class Changes:
    """The changes between two registers, each list sorted by id."""

    added: list[ItemRef] = field(default_factory=list)
    removed: list[ItemRef] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def ids(self) -> set[str]:
        """The ids of every item added, removed or changed."""
        ids = {r.id for r in self.added} | {r.id for r in self.removed}
        return ids | {c.id for c in self.changed}

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of CONTRACT.md."""
        return {
            "added": [_ref(r) for r in self.added],
            "removed": [_ref(r) for r in self.removed],
            "changed": [
                {
                    "id": c.id,
                    "type": c.type,
                    "title": c.title,
                    "fields": {name: [old, new] for name, (old, new) in c.fields.items()},
                }
                for c in self.changed
            ],
        }


def _ref(ref: ItemRef) -> dict[str, str]:
    return {"id": ref.id, "type": ref.type, "title": ref.title}


def normalise_text(value: str | None) -> str | None:
    """Whitespace-only differences are not changes; empty text is no text."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def value_of(item: Item, name: str) -> Value:
    """The compared value of one field: links as sorted ids, text normalised."""
    value = getattr(item, name)
    if name in LINK_NAMES:
        return sorted(set(value))
    if name == "content":
        return normalise_text(value)
    if isinstance(value, str):
        return value.strip() or None
    return None if value is None else str(value)


# All compared fields of an item in one call: equal raw values need no normalising.
_raw: Callable[[Item], tuple[Any, ...]] = operator.attrgetter(*COMPARED)


def item_changes(old: Item, new: Item) -> dict[str, tuple[Value, Value]]:
    """Field name to (old, new) for every compared field that differs."""
    out: dict[str, tuple[Value, Value]] = {}
    if _raw(old) == _raw(new):
        return out
    for name in COMPARED:
        before, after = value_of(old, name), value_of(new, name)
        if before != after and (before or after):
            out[name] = (before, after)
    return out


def diff(
    old: Mapping[str, Item], new: Mapping[str, Item], ids: Iterable[str] | None = None
) -> Changes:
    """The changes from ``old`` to ``new`` (items by id); only ``ids`` when given."""
    changes = Changes()
    candidates = sorted(set(old) | set(new) if ids is None else set(ids))
    for item_id in candidates:
        before, after = old.get(item_id), new.get(item_id)
        if before is None and after is not None:
            changes.added.append(ItemRef(after.id, after.type, after.title))
        elif after is None and before is not None:
            changes.removed.append(ItemRef(before.id, before.type, before.title))
        elif before is not None and after is not None:
            fields = item_changes(before, after)
            if fields:
                changes.changed.append(ItemChange(after.id, after.type, after.title, fields))
    return changes


def changes_from_dict(data: Mapping[str, Any]) -> Changes:
    """The inverse of :meth:`Changes.as_dict` (for the history cache)."""

    def value(v: Any) -> Value:
        return list(v) if isinstance(v, list) else v

    return Changes(
        [ItemRef(**r) for r in data.get("added", [])],
        [ItemRef(**r) for r in data.get("removed", [])],
        [
            ItemChange(
                c["id"],
                c["type"],
                c["title"],
                {k: (value(o), value(n)) for k, (o, n) in c["fields"].items()},
            )
            for c in data.get("changed", [])
        ],
    )
