"""Every item written in the sources became an item: none was dropped."""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.model import Project
from policycheck.rules import Context, RawFinding, rule


@rule(
    name="item-not-created",
    code="PC002",
    severity="error",
    summary="Every item written in the sources is created: none is dropped for a duplicate, "
    "missing or malformed id or an option block that does not parse.",
    rationale="""
sphinx-needs leaves out an item whose id is a duplicate, is missing or does not
match the id pattern, and docutils leaves out a directive whose options do not
parse. Each only logs a warning, which a cached rebuild does not repeat; the item
is then simply absent, and every check on it would pass. policycheck records each
such item during the build and reports it at its file and line on every run.
""",
    bad="""```{goal} Attract investment
:id: G_INVEST
```

```{goal} Grow the start-up scene
:id: G_INVEST
```""",
    good="""```{goal} Attract investment
:id: G_INVEST
```

```{goal} Grow the start-up scene
:id: G_STARTUP
```""",
    applies_to=(),  # about items that do not exist: reported on their own, not per item
)
def item_not_created(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for dropped in project.not_created:
        what = f"{dropped.type} {dropped.id}" if dropped.id else f"{dropped.type} without an id"
        yield RawFinding(
            dropped.id,
            f"{what} was not created: {dropped.reason}",
            file=dropped.file,
            line=dropped.line,
            evidence=f"{dropped.type}\0{dropped.id}",
        )
