"""Every item written in the sources became an item: none was dropped."""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.findings import Message
from policycheck.i18n import N_
from policycheck.model import Project
from policycheck.rules import Context, RawFinding, rule

# Two organisations: no other rule asks anything of an organisation, so the
# failing example yields this rule's finding only.
_BAD = """```{org} Economic development
:id: O_ECON
```

```{org} Tourism
:id: O_ECON
```"""
_GOOD = """```{org} Economic development
:id: O_ECON
```

```{org} Tourism
:id: O_TOURISM
```"""


def item_not_created(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for dropped in project.not_created:
        if dropped.id:
            message = Message.of(
                N_("{type} {item} was not created: {reason}"),
                type=dropped.type,
                item=dropped.id,
                reason=dropped.reason,
            )
        else:
            message = Message.of(
                N_("{type} without an id was not created: {reason}"),
                type=dropped.type,
                reason=dropped.reason,
            )
        yield RawFinding(
            dropped.id,
            message,
            file=dropped.file,
            line=dropped.line,
            evidence=f"{dropped.type}\0{dropped.id}",
        )


rule(
    name="item-not-created",
    code="PC002",
    severity="error",
    title=N_("Every item is created"),
    summary=N_(
        "Every item written in the sources is created: none is dropped for a duplicate, "
        "missing or malformed id or an option block that does not parse."
    ),
    rationale=N_(
        "sphinx-needs leaves out an item whose id is a duplicate, is missing or does not "
        "match the id pattern, and docutils leaves out a directive whose options do not "
        "parse. Each only logs a warning, which a cached rebuild does not repeat; the item "
        "is then simply absent, and every check on it would pass. policycheck records each "
        "such item during the build and reports it at its file and line on every run."
    ),
    bad=_BAD,
    good=_GOOD,
    applies_to=(),  # about items that do not exist: reported on their own, not per item
    reads=("id", "type"),
    check=item_not_created,
)
