"""What the rules report, and the report that reporters turn into text, JSON, …"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policycheck.history.diff import Changes


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

    @property
    def key(self) -> tuple[str, str]:
        """How a finding is recognised across runs: rule and item, not line."""
        return (self.rule, self.need)

    @property
    def fails(self) -> bool:
        return self.severity == "error" and not self.known and not self.waived


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
    # with --base: what the change does to the register (history.diff)
    changes: Changes | None = None

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
