"""The rule catalogue.

Each rule is a small pure function from the model to raw findings
(``RawFinding``: item id and message), registered with its stable name, code,
default severity, rationale and a failing and a passing example. The engine
locates, grades, waives and baselines what the functions return; the docs'
rule reference and ``policycheck rules`` are generated from this catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from policycheck.config import PolicyConfig
from policycheck.model import Project


@dataclass(frozen=True)
class RawFinding:
    need: str
    message: str
    # where, when the finding is not about an existing item (else the item's place)
    file: str = ""
    line: int = 0
    # what a content-sensitive finding found (masked), so that --base and the
    # baseline tell more of it from the same (see Finding.fingerprint)
    evidence: str = ""


@dataclass(frozen=True)
class Context:
    today: date
    config: PolicyConfig


CheckFn = Callable[[Project, Context], Iterable[RawFinding]]


@dataclass(frozen=True)
class Rule:
    name: str
    code: str
    severity: str
    summary: str
    rationale: str
    bad_example: str
    good_example: str
    check: CheckFn
    # item types the rule looks at (None: every item); a JUnit report has one test
    # case per rule and item it applies to
    applies_to: tuple[str, ...] | None = None


_REGISTRY: dict[str, Rule] = {}


def rule(
    *,
    name: str,
    code: str,
    severity: str,
    summary: str,
    rationale: str,
    bad: str,
    good: str,
    applies_to: tuple[str, ...] | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function as a rule of the catalogue."""

    def register(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = Rule(
            name, code, severity, summary, rationale.strip(), bad, good, fn, applies_to
        )
        return fn

    return register


def all_rules() -> list[Rule]:
    # Imported for their registrations; the order here is the catalogue's order.
    from policycheck.rules import (  # noqa: F401
        created,
        decisions,
        links,
        personal_data,
        plan,
        waivers,
    )

    return sorted(_REGISTRY.values(), key=lambda r: r.code)


def rule_names() -> frozenset[str]:
    return frozenset(r.name for r in all_rules())


def get_rule(name: str) -> Rule | None:
    return {r.name: r for r in all_rules()}.get(name)
