"""The policy vocabulary: item types, their statuses, fields and link types.

This is the single table that both the Sphinx configuration (``sphinx/needs_config``)
and the standalone checks (``rules/links``) are made from, so a type or link named
here means the same thing in the build and in ``policycheck check --needs-json``.
The names are the public contract (CONTRACT.md); change them only on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemType:
    directive: str
    title: str
    title_fi: str
    prefix: str
    color: str
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class LinkType:
    name: str
    outgoing: str
    incoming: str
    outgoing_fi: str
    incoming_fi: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    types: tuple[str, ...]
    schema: Mapping[str, object]


ITEM_TYPES: tuple[ItemType, ...] = (
    ItemType(
        "decision",
        "Decision",
        "Päätös",
        "D_",
        "#F2D0A4",
        ("proposed", "decided", "superseded", "revoked"),
    ),
    ItemType(
        "goal",
        "Goal",
        "Tavoite",
        "G_",
        "#B5D99C",
        ("proposed", "active", "achieved", "dropped"),
    ),
    ItemType(
        "action",
        "Action",
        "Toimenpide",
        "A_",
        "#A7C7E7",
        ("planned", "ongoing", "done", "cancelled"),
    ),
    ItemType(
        "followup",
        "Follow-up",
        "Seuranta",
        "F_",
        "#E3B5D6",
        ("scheduled", "done"),
    ),
    ItemType(
        "org",
        "Organisation",
        "Toimija",
        "O_",
        "#D9D9D9",
        ("active", "dissolved"),
    ),
)

TYPES_BY_NAME: dict[str, ItemType] = {t.directive: t for t in ITEM_TYPES}

LINK_TYPES: tuple[LinkType, ...] = (
    LinkType(
        "implements",
        "implements",
        "implemented by",
        "toteuttaa",
        "toimenpiteet",
        ("action",),
        ("goal",),
    ),
    LinkType(
        "tracks", "tracks", "tracked by", "seuraa", "seurannat", ("followup",), ("goal", "action")
    ),
    LinkType(
        "adopts",
        "adopts",
        "adopted by",
        "hyväksyy",
        "hyväksytty päätöksellä",
        ("decision",),
        ("goal",),
    ),
    LinkType(
        "supersedes",
        "supersedes",
        "superseded by",
        "korvaa",
        "korvattu päätöksellä",
        ("decision",),
        ("decision",),
    ),
    LinkType(
        "owner",
        "owner",
        "owns",
        "vastuutaho",
        "vastuulla",
        ("goal", "action", "followup"),
        ("org",),
    ),
    LinkType("body", "decided by", "decided", "päättäjä", "päätökset", ("decision",), ("org",)),
    LinkType(
        "parent",
        "part of",
        "has part",
        "osa kokonaisuutta",
        "osat",
        ("org", "goal"),
        ("org", "goal"),
    ),
)

LINKS_BY_NAME: dict[str, LinkType] = {link.name: link for link in LINK_TYPES}

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
    Field("due", "Due date (ISO 8601)", ("goal", "action", "followup"), _DATE),
    Field(
        "cadence",
        "How often a follow-up recurs",
        ("followup",),
        {"type": "string", "pattern": CADENCE_PATTERN},
    ),
    Field("indicator", "What a follow-up measures", ("followup",), _TEXT),
    Field("date", "Decision date (ISO 8601)", ("decision",), _DATE),
    Field("section", "The § number of the decision", ("decision",), _TEXT),
    Field("diary", "Case or diary number", ("decision",), _TEXT),
    Field("source", "Where the content comes from: a document and a quote, or a URL", (), _TEXT),
    Field(
        "as_of",
        "The date or period the item's source speaks for (ISO 8601: 2017-08-10, 2017, "
        "or an interval such as 2016/2019-05); the status holds for that date",
        (),
        {"type": "string", "pattern": AS_OF_PATTERN},
    ),
    Field("waive", "Justified exceptions: RULE until YYYY-MM-DD because REASON; …", (), _TEXT),
)

DEFAULT_ID_PATTERN = r"^[A-Z][A-Z0-9_]{2,}$"
