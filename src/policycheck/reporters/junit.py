"""JUnit XML: one test case per item and rule, so CI test viewers list every check.

Built with junitparser. A finding is a failure (type ``error`` or ``warning``)
whose message names file and line; known (baselined) and waived findings are
skipped with the reason; a check without a finding passes.
"""

from __future__ import annotations

from collections import defaultdict

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from policycheck.findings import Finding, Report
from policycheck.reporters.escape import visible

# An item as its test cases name it: id, file and line made visible once, not once
# per rule (at 100,000 items and a dozen rules, the escaping alone took seconds).
_Shown = tuple[str, str, str]


def _case(rule: str, shown: _Shown) -> TestCase:
    need, file, line = shown
    case = TestCase(f"{rule} {need}", classname=f"policycheck.{rule}")
    if file:
        case._elem.set("file", file)
        case._elem.set("line", line)
    return case


def _shown(need: str, file: str, line: int) -> _Shown:
    return visible(need), visible(file) if file else "", str(line)


def render(report: Report) -> str:
    by_key: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_key[(finding.rule, finding.need)].append(finding)
    suites = JUnitXml("policycheck")
    reported: set[tuple[str, str]] = set()
    items = [(item.id, item.type, _shown(item.id, item.file, item.line)) for item in report.items]
    totals = [0, 0, 0]
    for rule in report.rules:
        suite = TestSuite(f"{rule.code} {rule.name}")
        cases = []
        counts = [0, 0, 0]  # tests, failures, skipped
        for need, kind, shown in items:
            if rule.applies_to is not None and kind not in rule.applies_to:
                continue
            case = _case(rule.name, shown)
            if found := by_key.get((rule.name, need)):
                counts[_result(case, found)] += 1
            reported.add((rule.name, need))
            cases.append(case)
        for case, outcome in _own_cases(
            [f for f in report.findings if f.rule == rule.name], reported
        ):
            cases.append(case)
            counts[outcome] += 1
        counts[0] = len(cases)
        # extend, not add_testcase(s): each of those counts the whole suite again
        # (quadratic for add_testcase: 11 minutes and more for 100,000 items); the
        # counts are kept as the cases are made (update_statistics would walk all
        # the cases once more, a second per 500,000)
        suite.extend(cases)  # type: ignore[no-untyped-call]
        _count(suite, counts)
        suites.add_testsuite(suite)
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
    _count(suites, totals)
    xml: bytes = suites.tostring()  # type: ignore[no-untyped-call]
    return xml.decode("utf-8")


def _count(element: TestSuite | JUnitXml, counts: list[int]) -> None:
    """The counts as junitparser's update_statistics sets them (in its order, so the
    XML is the same byte for byte; no case has a time)."""
    tests, failures, skipped = counts
    if isinstance(element, JUnitXml):
        element.tests, element.failures, element.errors = tests, failures, 0
        element.skipped, element.time = skipped, 0.0
    else:
        element.tests, element.errors, element.failures = tests, 0, failures
        element.skipped, element.time = skipped, 0


def _own_cases(
    findings: list[Finding], reported: set[tuple[str, str]]
) -> list[tuple[TestCase, int]]:
    """A test case of its own for each finding on no checked item (an item that was
    never created), so that none is lost from the report; with its outcome."""
    cases = []
    for finding in findings:
        if (finding.rule, finding.need) in reported:
            continue
        case = _case(finding.rule, _shown(finding.need, finding.file, finding.line))
        cases.append((case, _result(case, [finding])))
    return cases


_FAILED, _SKIPPED = 1, 2


def _result(case: TestCase, findings: list[Finding]) -> int:
    """Set the case's result; which it is (an index into the counts)."""
    failing = [f for f in findings if not (f.known or f.waived)]
    if failing:
        message = "; ".join(f"{visible(f.file)}:{f.line}: {visible(f.message)}" for f in failing)
        case.result = [Failure(message, failing[0].severity)]
        return _FAILED
    reason = "known (baseline)" if any(f.known for f in findings) else "waived"
    case.result = [Skipped(f"{reason}: {visible(findings[0].message)}")]
    return _SKIPPED
