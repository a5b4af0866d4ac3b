"""Every example of the rule catalogue runs (the rules' first test cases).

All examples are built as one real Sphinx project, one page each. Each failing
example yields findings of its own rule and of no other; each passing example
yields no finding at all; and ``policycheck check --needs-json`` on the same
export gives the same verdict as the build. Examples reuse ids (``G_INVEST``), so
each page's own ids get a page suffix: nothing else of an example is changed.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from conftest import CONF, TODAY, Built, build, write_project

from policycheck.cli import main
from policycheck.rules import Rule, all_rules

RULES = all_rules()


def _page(rule: Rule, kind: str, index: int) -> str:
    example = rule.bad_example if kind == "bad" else rule.good_example
    for ident in re.findall(r"^:id: (\S+)$", example, flags=re.M):
        example = re.sub(rf"\b{re.escape(ident)}\b", f"{ident}_E{index}", example)
    return f"# {rule.name} ({kind})\n\n{example}\n"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    files: dict[str, str] = {}
    for i, rule in enumerate(RULES):
        for j, kind in enumerate(("bad", "good")):
            files[f"{rule.name}-{kind}.md"] = _page(rule, kind, 2 * i + j)
    root = write_project(tmp_path_factory.mktemp("examples") / "proj", files)
    return {"built": build(root)}


def _by_file(pairs: list[tuple[str, str, str]]) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for file, rule, need in pairs:
        out[file].add((rule, need))
    return out


@pytest.fixture(scope="module")
def in_build(examples: dict[str, Built]) -> dict[str, set[tuple[str, str]]]:
    report = examples["built"].report
    assert report is not None
    return _by_file([(f.file, f.rule, f.need) for f in report.active])


@pytest.fixture(scope="module")
def standalone(examples: dict[str, Built]) -> dict[str, set[tuple[str, str]]]:
    """The same export through ``policycheck check --needs-json`` (no Sphinx)."""
    built = examples["built"]
    out = io.StringIO()
    with redirect_stdout(out):
        main(["check", "--needs-json", str(built.outdir / "needs.json"), "--config",
              str(built.root), "--format", "json", "--today", TODAY])  # fmt: skip
    report = json.loads(out.getvalue())
    return _by_file([(f["file"], f["rule"], f["need"]) for f in report["findings"]])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_failing_example_yields_only_its_rule(rule: Rule, in_build, standalone) -> None:  # type: ignore[no-untyped-def]
    page = f"{rule.name}-bad.md"
    found = in_build.get(page, set())
    assert found, f"the failing example of {rule.name} yields no finding"
    assert {r for r, _ in found} == {rule.name}, found
    assert standalone.get(page, set()) == found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_passing_example_yields_nothing(rule: Rule, in_build, standalone) -> None:  # type: ignore[no-untyped-def]
    page = f"{rule.name}-good.md"
    assert in_build.get(page, set()) == set()
    assert standalone.get(page, set()) == set()


def test_rule_reference_and_findings_in_the_sites_language(project) -> None:  # type: ignore[no-untyped-def]
    files = {
        "rules.md": "# Regler\n\n```{policycheck-rules}\n```\n",
        "gaps.md": "# Brister\n\n```{policycheck-findings}\n```\n\n"
        "```{goal} Ensamt mål\n:id: G_ALONE\n```\n",
    }
    root = project(files, conf=CONF + 'language = "sv"\n')
    build(root, "html")
    html = root / "_build" / "html"
    rules = _text(html / "rules.html")
    assert "Varje mål har en åtgärd¶ Namn i rapporter: goal-has-action (PC101)" in rules
    assert "Läser fälten: status, implements" in rules
    gaps = _text(html / "gaps.html")
    assert "Ensamt mål har ingen ansvarig som är en befintlig aktör." in gaps
    assert "has no owner" not in gaps


def _text(page: Path) -> str:
    """A page's text as read: no tags, whitespace runs as one space."""
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", text).replace(" ¶", "¶")
