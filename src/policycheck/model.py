"""One model of the needs data, whichever way it was read.

:class:`Item` holds only what the rules read. It is decoded straight from a
needs.json (``reader``) or converted from sphinx-needs' in-memory needs
(``sphinx/checks``) with the same msgspec type, so both paths see identical items.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, NoReturn

import msgspec

from policycheck.domain import VOCABULARY


class _NoTexts(dict[str, str]):
    """The empty ``texts`` of every item without other text fields (most items),
    one for all: no empty dict per item (100,000 of them on a large export). It
    cannot be changed."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("an item's texts are read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse


NO_TEXTS: dict[str, str] = _NoTexts()


class Item(msgspec.Struct, kw_only=True, frozen=True):
    """One sphinx-needs item (a need), reduced to what policycheck reads."""

    # In the order of their names: sphinx-needs writes needs.json with sorted keys,
    # and msgspec looks for a key's field from the field after the last one found, so
    # each field is found at its first comparison (20 ms of 0.35 s on 100,000 items).
    # Fields (domain.FIELDS; tests/test_core checks that they agree) are text; links
    # (domain.LINK_TYPES) are tuples, so that the many empty ones are all the one
    # empty tuple (no object per link list; 40 MB less on 100,000 items).
    # every other text field of the need (custom fields of the project), by name;
    # filled by the readers, never from a need's own keys
    texts: dict[str, str] = msgspec.field(default=NO_TEXTS, name="__policycheck_texts__")
    adopts: tuple[str, ...] = ()
    as_of: str | None = None
    body: tuple[str, ...] = ()
    cadence: str | None = None
    content: str | None = None
    date: str | None = None
    diary: str | None = None
    docname: str | None = None
    doctype: str | None = None
    due: str | None = None
    id: str
    implements: tuple[str, ...] = ()
    indicator: str | None = None
    lineno: int | None = None
    owner: tuple[str, ...] = ()
    parent: tuple[str, ...] = ()
    section: str | None = None
    source: str | None = None
    status: str | None = None
    supersedes: tuple[str, ...] = ()
    # sphinx-needs' tags: published on the item's page, read by the personal-data rule
    # (not a text field of policycheck's; the register's history leaves them out)
    tags: tuple[str, ...] = ()
    title: str = ""
    tracks: tuple[str, ...] = ()
    type: str
    waive: str | None = None

    @property
    def file(self) -> str:
        """The source file, relative to the Sphinx source folder ('' when unknown)."""
        if not self.docname:
            return ""
        # sphinx-needs leaves the doctype out of needs.json when it is the default
        # (``needs_json_remove_defaults``): ".rst"
        return self.docname + (self.doctype or ".rst")

    def links(self, name: str) -> tuple[str, ...]:
        value: tuple[str, ...] = getattr(self, name)
        return value

    def value(self, field: str) -> str | None:
        """The text of field ``field``: one of the attributes above, or a field the
        vocabulary has and this struct does not (kept in ``texts``), so a field added
        to ``domain.FIELDS`` is read by the rules without a change here."""
        if field in _TEXT_ATTRIBUTES:
            found: str | None = getattr(self, field)
            return found
        return self.texts.get(field)


class NotCreated(msgspec.Struct, kw_only=True, frozen=True):
    """An item written in a source file that sphinx-needs could not create."""

    file: str
    line: int
    type: str
    id: str = ""
    reason: str = ""


ITEM_FIELDS: tuple[str, ...] = Item.__struct_fields__
_TEXT_ATTRIBUTES = frozenset(ITEM_FIELDS) - {"texts", "lineno", "tags"}
# Need-type name to policycheck item type, without configured names (``types``).
DEFAULT_ROLES: Mapping[str, str] = {name: name for name in VOCABULARY.roles}
LINK_NAMES: tuple[str, ...] = tuple(link.name for link in VOCABULARY.links)
# All link lists of an item in one call, in the order of LINK_NAMES (a hot path on
# 100,000-item exports).
link_lists: Callable[[Item], tuple[tuple[str, ...], ...]] = operator.attrgetter(*LINK_NAMES)
_ID = operator.attrgetter("id")


def text_of(value: object, *, lists: bool = True) -> str | None:
    """A field's value as published text: a string, or a list of strings joined
    (``lists``) as sphinx-needs shows them; None for anything else or nothing."""
    if isinstance(value, str):
        return value or None
    if lists and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return None


def item_from_mapping(need: Mapping[str, Any], extras: Mapping[str, Any] | None = None) -> Item:
    """Convert one in-memory need (a mapping) with the same rules as the JSON reader:
    the other text fields (``texts``) are the project's own fields (``extras``), as
    the reader takes them from needs.json's schema (strings and lists of strings);
    all other strings without it."""
    data = {key: need[key] for key in ITEM_FIELDS if key in need and key != "texts"}
    item = msgspec.convert(data, Item)
    texts = {
        key: text
        for key, value in (need if extras is None else extras).items()
        if key not in ITEM_FIELDS and (text := text_of(value, lists=extras is not None))
    }
    return msgspec.structs.replace(item, texts=texts) if texts else item


@dataclass
class Project:
    """All items, indexed so that every rule is a linear pass."""

    items: dict[str, Item]
    by_type: dict[str, list[Item]] = field(default_factory=dict)
    # items in the sources that never became needs (dropped by sphinx-needs)
    not_created: list[NotCreated] = field(default_factory=list)
    # the ids sphinx-needs made up for items written without ``:id:``, as the build
    # recorded them; None for a needs.json without policycheck's side file
    generated_ids: frozenset[str] | None = None
    _derived: dict[object, Any] = field(default_factory=dict)

    @classmethod
    def from_items(cls, items: Iterable[Item], roles: Mapping[str, str] = DEFAULT_ROLES) -> Project:
        """The policy items among ``items``: those whose need type is one of
        policycheck's, by its configured name (``roles``: ``PolicyConfig.roles``); they
        are read as that item type. The project's own needs are not policycheck's to
        check and are left out."""
        by_id: dict[str, Item] = {}
        by_type: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            role = roles.get(item.type)
            if role is None:
                continue
            if role != item.type:
                item = msgspec.structs.replace(item, type=role)
            by_id[item.id] = item
            by_type[item.type].append(item)
        return cls(by_id, dict(by_type))

    @classmethod
    def from_needs(
        cls, needs: dict[str, Item], roles: Mapping[str, str] = DEFAULT_ROLES
    ) -> Project:
        """As :meth:`from_items` of ``needs.values()`` (an export's map of need id to
        item): when every need is filed under its own id and is a policy item under
        its own type name, as in an export of policycheck's types, the map itself is
        the items by id (no second dict of 100,000 ids to build)."""
        by_type: dict[str, list[Item]] = defaultdict(list)
        for item in needs.values():
            by_type[item.type].append(item)
        if any(roles.get(t) != t for t in by_type) or not all(
            map(operator.eq, needs, map(_ID, needs.values()))
        ):
            return cls.from_items(needs.values(), roles)
        return cls(needs, dict(by_type))

    def of_type(self, item_type: str) -> list[Item]:
        return self.by_type.get(item_type, [])

    def having(self, field: str) -> Iterator[Item]:
        """The items, in order, whose ``field`` is set (not empty or None), picked out
        in C: most items of a large export have no waiver, say, and a loop in Python
        over all of them costs more than the work on the few."""
        items = self.items.values()
        return compress(items, map(operator.attrgetter(field), items))

    def incoming(self, link: str) -> dict[str, list[Item]]:
        """Target id to the items linking to it through ``link``, built on first use
        (the rules need only a few link types backwards)."""
        index: dict[str, list[Item]] | None = self._derived.get(("incoming", link))
        if index is None:
            index = self._derived["incoming", link] = defaultdict(list)
            read = operator.attrgetter(link)
            for item in self.having(link):  # (most items have no such link)
                for target in read(item):
                    index[target].append(item)
        return index

    def derived(self, name: str, build: Callable[[Project], Any]) -> Any:
        """An index the rules derive from the items, built once per project."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def linked_from(self, link: str, target: str) -> list[Item]:
        """The items whose ``link`` points at ``target``."""
        return self.incoming(link).get(target, [])

    def edges(self) -> Iterator[tuple[Item, str, str]]:
        """Every link once: (source item, link type, target id)."""
        for item in self.items.values():
            for name, targets in zip(LINK_NAMES, link_lists(item), strict=True):
                for target in targets:
                    yield item, name, target

    def targets(self, item: Item, link: str) -> list[Item]:
        """The existing items ``item`` links to through ``link`` (unknown ids skipped)."""
        return [self.items[i] for i in item.links(link) if i in self.items]
