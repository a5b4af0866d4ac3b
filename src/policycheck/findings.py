"""What the rules report, and the report that reporters turn into text, JSON, …

A finding's message is a :class:`Message`: an English template (a msgid marked
with ``N_()`` in the rule) and its parameters. ``Finding.message`` is that text
in English, for the JSON, SARIF, JUnit and GitHub reports (CONTRACT.md:
``message``). To show a finding in the reader's language, call
:meth:`Finding.text` with a translate function from :mod:`policycheck.i18n`::

    finding.text(sphinx_translator())   # on the site, in the project's language
    finding.text(translator("sv"))      # on the command line
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from policycheck.i18n import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from policycheck.history.diff import Changes


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Listing:
    """Several parameters shown as one, joined by ``sep`` (each translated)."""

    items: tuple[Param, ...]
    sep: str = ", "


@dataclass(frozen=True)
class Message:
    """A translatable message: an English template (msgid) and its parameters.

    Parameters are ids, dates and other user text (never translated), nested
    messages or listings of them (translated with the message).
    """

    template: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, template: str, **params: Param) -> Message:
        return cls(template, tuple(params.items()))

    def render(self, translate: Callable[[str], str] = _same) -> str:
        """The message in the language of ``translate`` (English by default)."""
        template = self.template
        if translate is _same and type(template) is str:  # English: the template itself
            text = template
        else:
            text = str(translate(template)) if template else ""
        if not self.params:
            return text
        # (most parameters are ids and other user text: taken as they are, no call)
        values = {
            name: value if type(value) is str else _render(value, translate)
            for name, value in self.params
        }
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError):
            # a translation with broken placeholders: the English text, never a crash
            return self.template.format_map(values)


Param: TypeAlias = str | int | Message | Listing


def _render(value: Param, translate: Callable[[str], str]) -> str:
    if type(value) is str:  # most parameters: ids and other user text
        return value
    if isinstance(value, Message):
        return value.render(translate)
    if isinstance(value, Listing):
        return value.sep.join([v if type(v) is str else _render(v, translate) for v in value.items])
    return str(value)


Key = tuple[str, str, str]
"""How a finding is recognised across runs: rule, item and fingerprint (never line)."""


def fingerprint_of(evidence: str) -> str:
    """A short, stable digest of what a content-sensitive finding found (its masked
    matches, a link's target): the same finding only if it found the same."""
    if not evidence:
        return ""
    return hashlib.sha256(evidence.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, order=True)
class Finding:
    """One broken rule on one item, located at the item's file and line.

    Ordered by file, line, rule, item and message, which is the report's order.
    """

    file: str
    line: int
    rule: str
    need: str
    message: str
    code: str = ""
    severity: str = "error"
    # "waived" findings are silenced by a waiver and not shown as failures;
    # "known" ones are in the baseline: shown, but they do not fail the run.
    known: bool = False
    waived: bool = False
    # the message as a template with parameters, for translation (see Finding.text)
    template: Message | None = field(default=None, compare=False)
    # for content-sensitive rules (personal data, links): a digest of what was found,
    # so that more of it on the same item is a new finding ("" for the other rules)
    fingerprint: str = ""

    def __init__(
        self,
        file: str,
        line: int,
        rule: str,
        need: str,
        message: str,
        code: str = "",
        severity: str = "error",
        known: bool = False,
        waived: bool = False,
        template: Message | None = None,
        fingerprint: str = "",
    ) -> None:
        # (frozen: the fields are written into the instance's dict, as the generated
        # __init__ does field by field with object.__setattr__, at a third of the
        # cost: a report may hold tens of thousands of findings; tests/test_core
        # checks that this signature is the fields')
        self.__dict__.update(
            file=file,
            line=line,
            rule=rule,
            need=need,
            message=message,
            code=code,
            severity=severity,
            known=known,
            waived=waived,
            template=template,
            fingerprint=fingerprint,
        )

    @property
    def key(self) -> Key:
        """How a finding is recognised across runs: rule, item and what it found."""
        return (self.rule, self.need, self.fingerprint)

    @property
    def fails(self) -> bool:
        return self.severity == "error" and not self.known and not self.waived

    def text(self, translate: Callable[[str], str]) -> str:
        """The message in the reader's language (``translate`` from ``policycheck.i18n``)."""
        return self.template.render(translate) if self.template else self.message


@dataclass
class Summary:
    items: int = 0
    goals: int = 0
    goals_complete: int = 0
    errors: int = 0
    warnings: int = 0
    known: int = 0
    waived: int = 0


@dataclass(frozen=True)
class Waived:
    rule: str
    until: str
    reason: str


@dataclass(frozen=True)
class CheckedItem:
    id: str
    type: str
    file: str
    line: int


@dataclass(frozen=True)
class RuleInfo:
    """What a report says about a rule that was run (a snapshot of the catalogue), so
    reporters read the report alone, never the rules."""

    name: str
    code: str
    severity: str
    """The rule's default severity."""
    summary: str
    rationale: str = ""
    bad_example: str = ""
    good_example: str = ""
    applies_to: tuple[str, ...] | None = None
    """Item types it checks (None: every item)."""
    per_item: bool = True
    """False: a check without items of its own (one JUnit case per finding)."""


@dataclass
class Report:
    today: str
    findings: list[Finding] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    # the waivers in force, by item id
    waivers: dict[str, list[Waived]] = field(default_factory=dict)
    # every item checked, for reports with one entry per item and rule (JUnit); made
    # on demand, as most reports never need 100,000 of them
    list_items: Callable[[], list[CheckedItem]] = field(default=list, repr=False)
    # with --base: findings the base had that the change removed
    fixed: list[Finding] = field(default_factory=list)
    # the rules that were run, in catalogue order
    rules: list[RuleInfo] = field(default_factory=list)
    # with --base: what the change does to the register (history.diff)
    changes: Changes | None = None
    language: str = DEFAULT_LANGUAGE
    """The language of the report's human-facing text (text, Markdown, GitHub
    annotations): one of ``i18n.languages()``. Machine fields stay English."""

    def translator(self) -> Callable[[str], str]:
        """``gettext`` of the report's language, for reporters."""
        from policycheck.i18n import translator

        return translator(self.language)

    def say(self, template: str, **params: Param) -> str:
        """``template`` (an English msgid) in the report's language with ``params``
        (the English text where a translation's placeholders are broken)."""
        return Message.of(template, **params).render(self.translator())

    @property
    def items(self) -> list[CheckedItem]:
        return self.list_items()

    @property
    def active(self) -> list[Finding]:
        """Findings that are shown: not silenced by a waiver."""
        return [f for f in self.findings if not f.waived]

    @property
    def failed(self) -> bool:
        return any(f.fails for f in self.findings)

    def count_findings(self) -> None:
        """Set the summary's finding counts from the findings (after any re-grading)."""
        shown = self.active
        self.summary.errors = sum(1 for f in shown if f.severity == "error" and not f.known)
        self.summary.warnings = sum(1 for f in shown if f.severity == "warning" and not f.known)
        self.summary.known = sum(1 for f in shown if f.known)
        self.summary.waived = len(self.findings) - len(shown)
