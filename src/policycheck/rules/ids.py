"""Ids written by the author, of the configured form, on policycheck's items only.

policycheck does not set sphinx-needs' ``needs_id_required`` or replace a project's
``needs_id_regex``: those apply to every need of the project, and a project may keep
its own needs without ids. This rule asks the same of policycheck's own items,
identically in the build and on a needs.json.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from policycheck.domain import vocabulary
from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.patterns import user_matcher
from policycheck.rules import Context, RawFinding, finding, rule
from policycheck.rules.prefilter import may_not_match


@lru_cache(maxsize=8)
def _matches(pattern: str) -> Callable[[str], bool]:
    return user_matcher(pattern, "id_pattern")  # RE2: a configured pattern never hangs


# the shortest hash sphinx-needs makes up by default (``needs_id_length``)
_SHORTEST_HASH = 5
_HEX = frozenset("0123456789ABCDEF")


def generated_id(item: Item, project: Project | None = None, prefix: str | None = None) -> bool:
    """Whether sphinx-needs made the id up (no ``:id:`` was written).

    The build records which ids it made up (``Project.generated_ids``). A needs.json
    without that record is read by the id's form: its type's prefix (``prefix``, or
    the vocabulary's) and at least the first five characters of a SHA-1 of the
    title, optionally after the title itself (``needs_id_from_title``); a short id
    such as ``G_81`` is the author's own.
    """
    if project is not None and project.generated_ids is not None:
        return item.id in project.generated_ids
    if prefix is None:
        prefix = vocabulary().type_of_role(item.type).prefix
    if not item.id.startswith(prefix):
        return False
    rest = item.id[len(prefix) :]
    if "_" in rest:  # the title may come first (it then ends with "_")
        from_title = (item.title or "").upper().replace(" ", "_") + "_"
        if rest.startswith(from_title):
            rest = rest[len(from_title) :]
    # the start of an upper-case hex digest has no other characters: most ids are
    # decided here, without hashing
    if len(rest) < _SHORTEST_HASH or not _HEX.issuperset(rest):
        return False
    digest = hashlib.sha1((item.title or item.content or "").encode("utf-8")).hexdigest().upper()
    return digest.startswith(rest)


# An organisation: no other rule asks anything of one, so the failing example
# yields this rule's finding only.
_BAD = """```{org} Economic development
```"""
_GOOD = """```{org} Economic development
:id: O_ECON
```"""


def _may_be_generated(project: Project) -> Collection[str]:
    """The ids that :func:`generated_id` may call made up (a superset): those the
    build recorded, or else those whose last five characters are upper-case hex
    digits (a made-up id ends in at least five characters of its hash)."""
    if project.generated_ids is not None:
        return project.generated_ids
    ids = list(project.items)
    tails = map(itemgetter(slice(-_SHORTEST_HASH, None)), ids)
    return set(compress(ids, map(_HEX.issuperset, tails)))


def item_id(project: Project, ctx: Context) -> Iterator[RawFinding]:
    matches = _matches(ctx.config.id_pattern)
    prefixes = {t.role: t.prefix for t in vocabulary().types}
    items = project.items
    # the ids each check may refuse: every other id passes it
    unmatched = set(may_not_match(ctx.config.id_pattern, list(items)))
    made_up = _may_be_generated(project)
    suspects = unmatched.union(made_up)
    for item in compress(items.values(), map(suspects.__contains__, items)):
        if item.id in made_up and generated_id(item, project, prefixes[item.type]):
            yield finding(
                item.id,
                N_("{type} {item} has no :id: of its own"),
                type=item.type,
                item=item.id,
            )
        elif item.id in unmatched and not matches(item.id):
            yield finding(
                item.id,
                N_("id {item} is not of the form {pattern}"),
                item=item.id,
                pattern=ctx.config.id_pattern,
            )


rule(
    name="item-id",
    code="PC502",
    severity="error",
    title=N_("Every item has an id of its own"),
    summary=N_(
        "Every item has an id written by its author (`:id:`) of the configured form (`id_pattern`)."
    ),
    rationale=N_(
        "Links, waivers, the baseline and readers' bookmarks all name items by id. An id "
        "that sphinx-needs makes up from the title changes whenever the title is edited, "
        "and everything that named it breaks. The project's own needs may go without ids "
        "(`needs_id_required` is the project's setting); policycheck's items may not."
    ),
    bad=_BAD,
    good=_GOOD,
    reads=("id", "title", "type"),
    check=item_id,
)
