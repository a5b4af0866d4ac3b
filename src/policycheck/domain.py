"""The policy vocabulary: item types, their statuses, fields and link types, in one table.

Everything else is made from this table: the sphinx-needs types, fields and links
(``sphinx/needs_config``), the statuses each type accepts and what they mean to the
rules, ``policycheck new`` (id prefixes, first status, link options), the site's
labels and the link checks of the standalone CLI. Adding a type, a status, a field
or a link is one entry here, plus its translations in the ``.po`` catalogues.

Labels are English message ids marked with :func:`~policycheck.i18n.N_`; they are
translated where they are shown (``translator(lang)`` on the command line,
``sphinx_translator()`` in the build).

Code refers to a type by its stable *role* (``decision``, ``goal``, ``action``,
``followup``, ``org``), never by the name an author writes: a project may rename a
type (``types = { action = "plan_action" }`` in its TOML table) and the role stays.
:class:`Vocabulary` maps role → configured name (:meth:`Vocabulary.name_of`) and
back (:meth:`Vocabulary.role_of`); :func:`vocabulary` gives the vocabulary with the
configured names, :data:`VOCABULARY` the library's defaults.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from policycheck.i18n import N_


class Phase(enum.Enum):
    """What a status means to the rules. An item without a status is ``OPEN``."""

    OPEN = "open"
    """Still asks for what its type asks for (proposed, active, planned, …)."""
    DONE = "done"
    """Finished as intended (achieved, done)."""
    WITHDRAWN = "withdrawn"
    """No longer in force and asks for nothing: dropped, cancelled, dissolved, revoked,
    superseded."""


@dataclass(frozen=True)
class Status:
    name: str
    label: str
    """The English wording. Readers see it translated per type of item, by
    ``policycheck.sphinx.labels.status_label`` (``msgctxt "status of <type>"``)."""
    phase: Phase = Phase.OPEN


@dataclass(frozen=True)
class ItemType:
    role: str
    """Stable name the code uses; also the default directive and need type."""
    label: str
    prefix: str
    """Id prefix ``policycheck new`` gives new items (``G_`` → ``G_1``, ``G_2``)."""
    color: str
    statuses: tuple[Status, ...]
    """The statuses the type accepts; the first is the status of a new item."""
    name: str = ""
    """The directive and need type in this project (the role unless renamed)."""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.role)

    @property
    def status_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.statuses)

    @property
    def initial_status(self) -> str:
        return self.statuses[0].name


@dataclass(frozen=True)
class LinkType:
    name: str
    outgoing: str
    """Label of the link on the item that has it (``implements``)."""
    incoming: str
    """Label of the link on the item it points to (``implemented by``)."""
    sources: tuple[str, ...]
    """Roles of the items that may have the link."""
    targets: tuple[str, ...]
    """Roles of the items it may point to."""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    description: str
    types: tuple[str, ...]
    """Roles of the items the field belongs to; ``()``: every type. ``policycheck new``
    offers the field only on these types; the site shows it there."""
    schema: Mapping[str, object]
    """JSON schema of the value, given to sphinx-needs' schema validation."""

    def applies_to(self, role: str) -> bool:
        return not self.types or role in self.types


def _statuses(*entries: tuple[str, str, Phase]) -> tuple[Status, ...]:
    return tuple(Status(name, label, phase) for name, label, phase in entries)


OPEN, DONE, WITHDRAWN = Phase.OPEN, Phase.DONE, Phase.WITHDRAWN

ITEM_TYPES: tuple[ItemType, ...] = (
    ItemType(
        "decision",
        N_("Decision"),
        "D_",
        "#F2D0A4",
        _statuses(
            ("proposed", N_("proposed"), OPEN),
            ("decided", N_("decided"), OPEN),
            ("superseded", N_("superseded"), WITHDRAWN),
            ("revoked", N_("revoked"), WITHDRAWN),
        ),
    ),
    ItemType(
        "goal",
        N_("Goal"),
        "G_",
        "#B5D99C",
        _statuses(
            ("proposed", N_("proposed"), OPEN),
            ("active", N_("active"), OPEN),
            ("achieved", N_("achieved"), DONE),
            ("dropped", N_("dropped"), WITHDRAWN),
        ),
    ),
    ItemType(
        "action",
        N_("Action"),
        "A_",
        "#A7C7E7",
        _statuses(
            ("planned", N_("planned"), OPEN),
            ("ongoing", N_("ongoing"), OPEN),
            ("done", N_("done"), DONE),
            ("cancelled", N_("cancelled"), WITHDRAWN),
        ),
    ),
    ItemType(
        "followup",
        N_("Follow-up"),
        "F_",
        "#E3B5D6",
        _statuses(("scheduled", N_("scheduled"), OPEN), ("done", N_("done"), DONE)),
    ),
    ItemType(
        "org",
        N_("Organisation"),
        "O_",
        "#D9D9D9",
        _statuses(("active", N_("active"), OPEN), ("dissolved", N_("dissolved"), WITHDRAWN)),
    ),
)

LINK_TYPES: tuple[LinkType, ...] = (
    LinkType("implements", N_("implements"), N_("implemented by"), ("action",), ("goal",)),
    LinkType("tracks", N_("tracks"), N_("tracked by"), ("followup",), ("goal", "action")),
    LinkType("adopts", N_("adopts"), N_("adopted by"), ("decision",), ("goal",)),
    LinkType("supersedes", N_("supersedes"), N_("superseded by"), ("decision",), ("decision",)),
    LinkType("owner", N_("owner"), N_("owns"), ("goal", "action", "followup"), ("org",)),
    LinkType("body", N_("decided by"), N_("decisions"), ("decision",), ("org",)),
    LinkType("parent", N_("part of"), N_("has part"), ("org", "goal"), ("org", "goal")),
)

_DATE: dict[str, object] = {"type": "string", "format": "date"}
_TEXT: dict[str, object] = {"type": "string"}
# annual | quarterly | monthly, or an ISO 8601 duration such as P2Y or P6M.
CADENCE_PATTERN = (
    r"^(annual|quarterly|monthly"
    r"|P(\d+Y(\d+M)?(\d+W)?(\d+D)?|\d+M(\d+W)?(\d+D)?|\d+W(\d+D)?|\d+D))$"
)

# A date, a month or a year, or an ISO 8601 interval of two of them (2016/2019-05).
_ISO_DAY = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
AS_OF_PATTERN = rf"^{_ISO_DAY}(/{_ISO_DAY})?$"

FIELDS: tuple[Field, ...] = (
    Field("due", N_("Due"), N_("Due date (ISO 8601)"), ("goal", "action", "followup"), _DATE),
    Field(
        "cadence",
        N_("Cadence"),
        N_(
            "How often a follow-up recurs: annual, quarterly, monthly or an ISO 8601 "
            "duration such as P6M"
        ),
        ("followup",),
        {"type": "string", "pattern": CADENCE_PATTERN},
    ),
    Field("indicator", N_("Indicator"), N_("What a follow-up measures"), ("followup",), _TEXT),
    Field("date", N_("Date"), N_("Decision date (ISO 8601)"), ("decision",), _DATE),
    Field("section", N_("Section"), N_("The § number of the decision"), ("decision",), _TEXT),
    Field("diary", N_("Diary number"), N_("Case or diary number"), ("decision",), _TEXT),
    Field(
        "source",
        N_("Source"),
        N_("Where the content comes from: a document and a quote, or a URL"),
        (),
        _TEXT,
    ),
    Field(
        "as_of",
        N_("As of"),
        N_(
            "The date or period the item's source speaks for (ISO 8601: 2017-08-10, 2017, "
            "or an interval such as 2016/2019-05); the status holds for that date"
        ),
        (),
        {"type": "string", "pattern": AS_OF_PATTERN},
    ),
    Field(
        "waive",
        N_("Waivers"),
        N_("Justified exceptions: RULE until YYYY-MM-DD because REASON; …"),
        (),
        _TEXT,
    ),
)

DEFAULT_ID_PATTERN = r"^[A-Z][A-Z0-9_]{2,}$"


@dataclass(frozen=True)
class Vocabulary:
    """The table with the names a project gives its types (see the module docstring)."""

    types: tuple[ItemType, ...] = ITEM_TYPES
    fields: tuple[Field, ...] = FIELDS
    links: tuple[LinkType, ...] = LINK_TYPES
    _by_role: dict[str, ItemType] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, ItemType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_role", {t.role: t for t in self.types})
        object.__setattr__(self, "_by_name", {t.name: t for t in self.types})

    def with_names(self, names: Mapping[str, str]) -> Vocabulary:
        """The same vocabulary with some types renamed, ``{role: name}`` (the TOML
        table's ``types`` key). Unknown roles or clashing names are a ``ValueError``."""
        unknown = sorted(set(names) - set(self._by_role))
        if unknown:
            raise ValueError(f"unknown item type {unknown[0]!r} (one of: {', '.join(self.roles)})")
        types = tuple(replace(t, name=names.get(t.role, t.name)) for t in self.types)
        taken = [t.name for t in types]
        clash = next((n for n in taken if taken.count(n) > 1), None)
        if clash is not None:
            raise ValueError(f"two item types are named {clash!r}")
        return replace(self, types=types)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(t.role for t in self.types)

    @property
    def names(self) -> tuple[str, ...]:
        """The directive / need type names, in table order."""
        return tuple(t.name for t in self.types)

    def name_of(self, role: str) -> str:
        """The directive and need type of ``role`` in this project."""
        return self._by_role[role].name

    def names_of(self, roles: Iterable[str]) -> tuple[str, ...]:
        return tuple(self._by_role[r].name for r in roles if r in self._by_role)

    def role_of(self, name: str) -> str | None:
        """The role of a need type written in this project (None: not policycheck's)."""
        spec = self._by_name.get(name)
        return spec.role if spec else None

    def type_named(self, name: str) -> ItemType | None:
        """The type whose directive / need type is ``name``."""
        return self._by_name.get(name)

    def type_of_role(self, role: str) -> ItemType:
        return self._by_role[role]

    def type_called(self, word: str) -> ItemType | None:
        """The type a user means by ``word`` on the command line: its name in this
        project, or its role (``action`` where the project calls it ``plan_action``)."""
        return self._by_name.get(word) or self._by_role.get(word)

    def link(self, name: str) -> LinkType | None:
        return next((link for link in self.links if link.name == name), None)

    def fields_of(self, role: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.applies_to(role))

    def statuses_in(self, role: str, *phases: Phase) -> frozenset[str]:
        """The statuses of ``role`` that have one of ``phases``."""
        spec = self._by_role.get(role)
        return (
            frozenset(s.name for s in spec.statuses if s.phase in phases) if spec else frozenset()
        )

    def phase(self, item_type: str, status: str | None) -> Phase:
        """What ``status`` means on a need of type ``item_type`` (a configured name).
        No status, or one the type does not know (the schema reports it), is open."""
        spec = self._by_name.get(item_type)
        if spec is None or not status:
            return Phase.OPEN
        return next((s.phase for s in spec.statuses if s.name == status), Phase.OPEN)


VOCABULARY = Vocabulary()
"""The library's vocabulary, with the default names (each type named as its role)."""


def vocabulary(names: Mapping[str, str] | None = None) -> Vocabulary:
    """The vocabulary with the configured type names: ``{role: name}``.

    Read at call time, so a test (or a plug-in) that extends :data:`VOCABULARY`
    reaches every consumer.
    """
    return VOCABULARY.with_names(names) if names else VOCABULARY


# The default table's links by name (read by rules/links; prefer ``vocabulary().link``).
LINKS_BY_NAME: dict[str, LinkType] = {link.name: link for link in LINK_TYPES}


# The library's types by role (the default names), for views that look up colours
# and labels; configured names are mapped to roles when the needs are read.
TYPES_BY_NAME: dict[str, ItemType] = {t.role: t for t in ITEM_TYPES}
