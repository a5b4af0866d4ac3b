"""The rule catalogue: each rule is one definition, and its examples run.

A rule is a small pure function from the model to raw findings, registered with
:func:`rule` together with everything said about it: its stable name and code,
default severity, title, summary and rationale (English msgids, translated where
they are shown), a failing and a passing example (complete MyST snippets that the
test suite builds, ``tests/test_rule_examples.py``), the item types it applies to
and the fields and links it reads. The engine locates, grades, waives and
baselines what the functions return; the docs' rule reference, ``policycheck
rules``, SARIF's rule list and JUnit's test cases are generated from this
catalogue.

A check function yields :class:`RawFinding` with a :class:`~policycheck.findings.Message`:
an English template marked with ``N_()`` and its parameters, so the finding can
be shown in the reader's language (``Finding.text``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from policycheck import domain
from policycheck.config import PolicyConfig
from policycheck.findings import Message, Param
from policycheck.model import ITEM_FIELDS, Project


@dataclass(frozen=True)
class RawFinding:
    """What a check function yields: the item and a message (a plain string is taken
    as an English message without parameters)."""

    need: str
    message: Message
    # where, when the finding is not about an existing item (else the item's place)
    file: str = ""
    line: int = 0
    # what a content-sensitive finding found (masked), so that --base and the
    # baseline tell more of it from the same (see Finding.fingerprint)
    evidence: str = ""

    def __init__(
        self,
        need: str,
        message: Message | str,
        file: str = "",
        line: int = 0,
        evidence: str = "",
    ) -> None:
        # (frozen: the fields are written into the instance's dict, as one would
        # with object.__setattr__ field by field, at half the cost per finding)
        fields = self.__dict__
        fields["need"] = need
        fields["message"] = Message(message) if isinstance(message, str) else message
        fields["file"] = file
        fields["line"] = line
        fields["evidence"] = evidence


def finding(need: str, template: str, evidence: str = "", **params: Param) -> RawFinding:
    """A raw finding on ``need``: ``template`` (an English msgid marked ``N_()``) and
    its parameters; ``evidence`` is what a content-sensitive rule found (masked)."""
    return RawFinding(need, Message(template, tuple(params.items())), evidence=evidence)


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
    title: str
    summary: str
    rationale: str
    bad_example: str
    good_example: str
    check: CheckFn
    # item types the rule looks at (None: every item); a JUnit report has one test
    # case per rule and item it applies to
    applies_to: tuple[str, ...] | None = None
    # the item fields and links the rule reads (documented in the rule reference)
    reads: tuple[str, ...] = ()
    # whether a finding of this rule on a goal makes the goal incomplete
    # (``summary.goals_complete`` and the goal's verdict on the site)
    goal_completeness: bool = False


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
    reads: tuple[str, ...] = (),
    goal_completeness: bool = False,
    title: str = "",
    check: CheckFn | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register ``check`` as a rule of the catalogue (or, without ``check``, return a
    decorator that registers the function it decorates).

    Rules are written as a plain function followed by ``rule(..., check=function)``:
    mutmut mutates only undecorated functions (``bash scripts/mutate``).
    """
    table = domain.VOCABULARY  # read now: a rule may use a type or field added to it
    fields = {*ITEM_FIELDS, *(f.name for f in table.fields)}
    unknown = [f for f in reads if f not in fields]
    unknown += [t for t in applies_to or () if t not in table.roles]
    if unknown or severity not in ("error", "warning"):
        raise ValueError(f"rule {name}: unknown {', '.join(unknown) or severity}")

    def register(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = Rule(
            name=name,
            code=code,
            severity=severity,
            title=title or summary,
            summary=summary,
            rationale=" ".join(rationale.split()),
            bad_example=bad.strip(),
            good_example=good.strip(),
            check=fn,
            applies_to=applies_to,
            reads=reads,
            goal_completeness=goal_completeness,
        )
        return fn

    if check is not None:
        register(check)
    return register


def all_rules() -> list[Rule]:
    """The catalogue, by code. Every module of this package is imported for its
    registrations, so a rule in a new module is one definition, listed nowhere else."""
    if not _LOADED:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _LOADED.append(True)
    return sorted(_REGISTRY.values(), key=lambda r: r.code)


_LOADED: list[bool] = []


def rule_names() -> frozenset[str]:
    return frozenset(r.name for r in all_rules())


def get_rule(name: str) -> Rule | None:
    return {r.name: r for r in all_rules()}.get(name)


def goal_rules() -> tuple[str, ...]:
    """The rules whose findings make a goal incomplete."""
    return tuple(r.name for r in all_rules() if r.goal_completeness)
