"""Field values that the vocabulary does not allow: one rule for the build and the CLI.

sphinx-needs validates the same schemas during a Sphinx build (``needs_types``
status enums, ``needs_fields`` schemas, both made from :mod:`policycheck.domain`),
but reports them without a location and only inside the build. This rule reads
the same definitions and checks the items of the model, so a build, ``check DIR``
and ``check --needs-json`` give the same, located verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from operator import attrgetter

from policycheck.domain import FIELDS, Field, Vocabulary, vocabulary
from policycheck.findings import Message
from policycheck.i18n import N_
from policycheck.model import ITEM_FIELDS, Item, Project
from policycheck.rules import Context, RawFinding, rule

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
    item: Item, voc: Vocabulary, fields: list[Field], checked: dict[tuple[str, str], bool]
) -> Iterator[Message]:
    item_type = voc.type_named(item.type)
    if item_type is not None and item.status and item.status not in item_type.status_names:
        yield Message.of(
            N_("{item} has status {value}, which a {type} cannot have (one of: {allowed})"),
            item=item.id,
            value=repr(item.status),
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
                value=repr(value),
            )


def needs_schema(project: Project, ctx: Context) -> Iterator[RawFinding]:
    voc = vocabulary()  # read at call time: the table may be extended
    # the fields whose schema can refuse a value: those the model holds as attributes,
    # read together, and those the table added (kept in an item's ``texts``)
    fields = [f for f in voc.fields if _constrains(f.schema)]
    held = [f for f in fields if f.name in ITEM_FIELDS]
    added = [f for f in fields if f.name not in ITEM_FIELDS]
    # per need type, the statuses it may have (a need of another type: any)
    statuses = {t.name: frozenset(t.status_names) for t in voc.types}
    read = attrgetter(*(f.name for f in held)) if held else (lambda _item: ())
    checked: dict[tuple[str, str], bool] = {}
    for item in project.items.values():
        # most items are valid: decided by set and dict look-ups alone
        may = statuses.get(item.type)
        values = read(item) if len(held) != 1 else (read(item),)
        if (
            (may is None or not item.status or item.status in may)
            and all(
                not value or checked.get((f.name, value))
                for f, value in zip(held, values, strict=True)
            )
            and all(
                not (value := item.texts.get(f.name)) or checked.get((f.name, value)) for f in added
            )
        ):
            continue
        for message in _violations(item, voc, fields, checked):
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
