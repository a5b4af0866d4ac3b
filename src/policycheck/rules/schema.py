"""Field values that the vocabulary does not allow: one rule for the build and the CLI.

sphinx-needs validates the same schemas during a Sphinx build (``needs_types``
status enums, ``needs_fields`` schemas, both made from :mod:`policycheck.domain`),
but reports them without a location and only inside the build. This rule reads
the same definitions and checks the items of the model, so a build, ``check DIR``
and ``check --needs-json`` give the same, located verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from itertools import compress
from operator import attrgetter, methodcaller

from policycheck.domain import FIELDS, Field, Vocabulary, vocabulary
from policycheck.findings import Message
from policycheck.i18n import N_
from policycheck.model import ITEM_FIELDS, Item, Project
from policycheck.rules import Context, RawFinding, rule
from policycheck.rules.personal_data import shown
from policycheck.rules.prefilter import Suspects

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=32)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def is_iso_date(value: str) -> bool:
    """Whether ``value`` is a calendar date written ``YYYY-MM-DD`` (JSON schema ``date``)."""
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def allowed(value: str, schema: Mapping[str, object]) -> bool:
    """Whether a string ``value`` satisfies the ``enum``, ``format`` and ``pattern`` of
    ``schema`` (the keywords the vocabulary uses)."""
    enum = schema.get("enum")
    if isinstance(enum, list | tuple) and value not in enum:
        return False
    if schema.get("format") == "date" and not is_iso_date(value):
        return False
    pattern = schema.get("pattern")
    return not (isinstance(pattern, str) and not _pattern(pattern).search(value))


def _constrains(schema: Mapping[str, object]) -> bool:
    """Whether ``schema`` can refuse a string (see :func:`allowed`)."""
    return any(key in schema for key in ("enum", "format", "pattern"))


def _violations(
    item: Item,
    voc: Vocabulary,
    fields: list[Field],
    checked: dict[tuple[str, str], bool],
    region: str = "FI",
) -> Iterator[Message]:
    item_type = voc.type_named(item.type)
    if item_type is not None and item.status and item.status not in item_type.status_names:
        yield Message.of(
            N_("{item} has status {value}, which a {type} cannot have (one of: {allowed})"),
            item=item.id,
            value=shown(item.status, region),
            type=item.type,
            allowed=", ".join(item_type.status_names),
        )
    for field in fields:
        value = item.value(field.name)
        if not value:
            continue
        ok = checked.get((field.name, value))
        if ok is None:  # dates and cadences repeat: each value is checked once per run
            ok = checked[field.name, value] = allowed(value, field.schema)
        if not ok:
            yield Message.of(
                N_("{field} of {item} is not valid ({description}): {value}"),
                field=field.name,
                item=item.id,
                description=Message(field.description),
                value=shown(value, region),
            )


def _suspects(project: Project, voc: Vocabulary, fields: list[Field]) -> Iterator[Item]:
    """The items that may hold a value their schema refuses, in item order: decided
    from each column's distinct values (most items are valid); every other item
    is valid, since :func:`_violations` would find nothing in it."""
    items = list(project.items.values())
    suspects = Suspects(len(items))
    # per need type, the statuses it may have (a need of another type: any)
    statuses = {t.name: frozenset(t.status_names) for t in voc.types}
    # a status some type refuses: only the items that have it are looked at by type
    refused = {
        s
        for s in set(map(attrgetter("status"), items))
        if s and any(s not in a for a in statuses.values())
    }
    if refused:
        read_status = attrgetter("status")
        for position in compress(
            range(len(items)), map(refused.__contains__, map(read_status, items))
        ):
            item = items[position]
            may = statuses.get(item.type)
            if may is not None and item.status not in may:
                suspects.mark(position)
    texts = attrgetter("texts")
    for f in fields:
        # a field the model holds as an attribute, or one the table added (kept in
        # an item's ``texts``)
        read = attrgetter(f.name) if f.name in ITEM_FIELDS else _text_reader(f.name, texts)
        bad = {v for v in set(map(read, items)) if v and not allowed(v, f.schema)}
        suspects.mark_where(map(read, items), bad)
    return suspects.of(items)


def _text_reader(name: str, texts: attrgetter[dict[str, str]]) -> Callable[[Item], object]:
    get = methodcaller("get", name)
    return lambda item: get(texts(item))


def needs_schema(project: Project, ctx: Context) -> Iterator[RawFinding]:
    voc = vocabulary()  # read at call time: the table may be extended
    # the fields whose schema can refuse a value
    fields = [f for f in voc.fields if _constrains(f.schema)]
    checked: dict[tuple[str, str], bool] = {}
    for item in _suspects(project, voc, fields):
        for message in _violations(item, voc, fields, checked, ctx.config.phone_region):
            yield RawFinding(item.id, message, evidence=message.render())


rule(
    name="needs-schema",
    reads=("status", *(f.name for f in FIELDS)),
    code="PC001",
    severity="error",
    title=N_("Field values are valid"),
    summary=N_(
        "Every status is one of its type's statuses, and every field value has its "
        "field's form (dates are YYYY-MM-DD, a cadence is annual, quarterly, monthly or "
        "an ISO 8601 duration)."
    ),
    rationale=N_(
        "A value outside the vocabulary is read by nobody: a due date that is not a date "
        "is never overdue, a status that is not one of the type's statuses counts as open. "
        "sphinx-needs checks the same schemas during the build but does not say where; "
        "this rule names the item's file and line, on every path."
    ),
    bad="""```{followup} Interim report
:id: F_INTERIM
:due: end of 2027
```""",
    good="""```{followup} Interim report
:id: F_INTERIM
:due: 2027-12-31
```""",
    check=needs_schema,
)
