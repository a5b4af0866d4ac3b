"""The register's changes in words a reviewer or a resident reads, in their language.

"G_OK: tila active → achieved; otsikko A → B". One wording for every medium
(Markdown summary, text report, the site's "changes" page, the Atom feed): each
caller escapes the returned plain text for its own medium. Field and type names are
translated with the message context ``history`` (every string of the history
modules is) so they never clash with other catalogue entries; the values themselves
are the authors' words, shown as written.
"""

from __future__ import annotations

from policycheck.history.diff import Changes, ItemChange, ItemRef, Value
from policycheck.i18n import N_, translations

CONTEXT = "history"
_MAX = 80  # characters of a value shown in words (JSON keeps the whole value)

# Marked for extraction: the compared fields and item types, in English.
FIELD_NAMES = (
    N_("type"),
    N_("title"),
    N_("status"),
    N_("due"),
    N_("cadence"),
    N_("indicator"),
    N_("date"),
    N_("section"),
    N_("diary"),
    N_("source"),
    N_("waive"),
    N_("implements"),
    N_("tracks"),
    N_("adopts"),
    N_("supersedes"),
    N_("owner"),
    N_("body"),
    N_("parent"),
    N_("content"),
    N_("decision"),
    N_("goal"),
    N_("action"),
    N_("followup"),
    N_("org"),
)


class Words:
    """The wording of changes in one language."""

    def __init__(self, language: str | None) -> None:
        self._t = translations(language)

    def _(self, message: str) -> str:
        """A message of the history modules (field and type names too; a project's own
        type names, not in the catalogue, stay as they are)."""
        return self._t.pgettext(CONTEXT, message)

    def heading(self) -> str:
        return self._("What this change does to the register")

    def nothing(self) -> str:
        return self._("No item was added, removed or changed.")

    def lines(self, changes: Changes) -> list[str]:
        """One line per item: added, removed, then changed, each by id."""
        out = [self.added(r) for r in changes.added]
        out += [self.removed(r) for r in changes.removed]
        out += [self.changed(c) for c in changes.changed]
        return out

    def added(self, ref: ItemRef) -> str:
        return self._("{id} ({type}) added: {title}").format(
            id=ref.id, type=self._(ref.type), title=_short(ref.title)
        )

    def removed(self, ref: ItemRef) -> str:
        return self._("{id} ({type}) removed: {title}").format(
            id=ref.id, type=self._(ref.type), title=_short(ref.title)
        )

    def status(self, item_type: str, value: Value) -> str:
        """A status as readers of this type say it (the catalogues' per-type context)."""
        if not isinstance(value, str) or not value:
            return _value(value)
        return str(self._t.pgettext(f"status of {item_type}", value))

    def changed(self, change: ItemChange) -> str:
        parts = []
        for field, (old, new) in change.fields.items():
            if field == "content":
                parts.append(self._("{field} changed").format(field=self._(field)))
            elif field == "status":
                old_s, new_s = self.status(change.type, old), self.status(change.type, new)
                parts.append(f"{self._(field)} {old_s} → {new_s}")
            else:
                parts.append(f"{self._(field)} {_value(old)} → {_value(new)}")
        return f"{change.id}: {'; '.join(parts)}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX else text[: _MAX - 1] + "…"


def _value(value: Value) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, list):
        return _short(", ".join(value))
    return _short(value)
