"""Adding a type, a status, a field, a rule and a language is one definition each.

The test makes exactly the change a maintainer makes, in a copy of the installed
package: a few lines in ``domain.py`` (a type with its prefix and statuses, a status
on an existing type, a field), a rule module with one ``rule(...)`` registration,
and a language as one ``.po`` file (compiled as the package build compiles it). Then
everything follows, with no second place touched: the directive and sphinx-needs
type, ``policycheck new`` with the prefix, ``--set`` validation, the status on the
site, the rule in the build and in ``check --needs-json`` with the same verdict, in
the rule reference and ``policycheck rules``, and the site and CLI in the language.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import policycheck

TODAY = "2026-11-22"

# --- what a maintainer writes -----------------------------------------------------------

# domain.py, in ITEM_TYPES: a type with its own prefix and statuses
TYPE = """
    ItemType(
        "risk",
        N_("Risk"),
        "R_",
        "#FFCCCC",
        _statuses(("identified", N_("identified"), OPEN), ("mitigated", N_("mitigated"), DONE)),
    ),
"""
# domain.py, in the action's statuses: one more status
STATUS = """            ("paused", N_("paused"), OPEN),
"""
# domain.py, in FIELDS: a field
FIELD = """
    Field(
        "likelihood",
        N_("Likelihood"),
        N_("How likely: low, medium or high"),
        ("risk",),
        {"type": "string", "enum": ["low", "medium", "high"]},
    ),
"""
# a new module rules/risks.py: a rule with a failing and a passing example
RULE = '''
"""Risks."""

from collections.abc import Iterator

from policycheck.i18n import N_
from policycheck.model import Project
from policycheck.rules import Context, RawFinding, finding, rule


def risk_has_likelihood(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for item in project.of_type("risk"):
        if not item.value("likelihood"):
            yield finding(item.id, N_("risk {item} has no likelihood"), item=item.id)


rule(
    name="risk-has-likelihood",
    code="PC901",
    severity="error",
    title=N_("Every risk states its likelihood"),
    summary=N_("Every risk states how likely it is."),
    rationale=N_("A risk without a likelihood cannot be weighed against the others."),
    bad="""```{risk} Flood
:id: R_FLOOD
```""",
    good="""```{risk} Flood
:id: R_FLOOD
:likelihood: high
```""",
    applies_to=("risk",),
    reads=("likelihood",),
    check=risk_has_likelihood,
)
'''
# locale/de/LC_MESSAGES/policycheck.po: a language (a few of its entries)
LANGUAGE = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"

msgctxt "language code"
msgid "en"
msgstr "de"

msgid "Risk"
msgstr "Risiko"

msgctxt "status of action"
msgid "paused"
msgstr "pausiert"

msgid "risk {item} has no likelihood"
msgstr "Risiko {item} hat keine Wahrscheinlichkeit"

msgid "{complete} of {goals} goals complete; {errors} errors, {warnings} warnings, {known} known, {waived} waived (today {today})"
msgstr "{complete} von {goals} Zielen vollständig; {errors} Fehler, {warnings} Warnungen, {known} bekannt, {waived} ausgenommen (heute {today})"

msgid "Every risk states how likely it is."
msgstr "Jedes Risiko nennt seine Wahrscheinlichkeit."
"""

# --- the change, applied to a copy of the package ----------------------------------------


def _insert(text: str, anchor: str, addition: str, *, before: bool = False) -> str:
    assert text.count(anchor) == 1, f"anchor {anchor!r} not found once in domain.py"
    return text.replace(anchor, addition + anchor if before else anchor + addition)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of policycheck with the five definitions added, and nothing else."""
    root = tmp_path_factory.mktemp("extended")
    copy = root / "policycheck"
    shutil.copytree(
        Path(policycheck.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    domain = copy / "domain.py"
    text = domain.read_text(encoding="utf-8")
    text = _insert(text, ")\n\nLINK_TYPES", TYPE.lstrip("\n"), before=True)
    text = _insert(text, '            ("cancelled", N_("cancelled"), WITHDRAWN),\n', STATUS)
    text = _insert(text, ")\n\nDEFAULT_ID_PATTERN", FIELD.lstrip("\n"), before=True)
    domain.write_text(text, encoding="utf-8")
    (copy / "rules" / "risks.py").write_text(RULE.lstrip(), encoding="utf-8")
    po = copy / "locale" / "de" / "LC_MESSAGES" / "policycheck.po"
    po.parent.mkdir(parents=True)
    po.write_text(LANGUAGE.lstrip(), encoding="utf-8")
    # what the package build does with every .po (hatch_build.py)
    with po.open("rb") as source:
        catalogue = read_po(source, locale="de")
    with po.with_suffix(".mo").open("wb") as target:
        write_mo(target, catalogue, use_fuzzy=False)
    return root


def _run(package: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package), "LANGUAGE": "en"}
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )


def _cli(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(package, "-m", "policycheck.cli", *args)


PAGES = {
    "conf.py": 'extensions = ["myst_parser", "policycheck"]\nproject = "Riskstadt"\n'
    f'language = "de"\npolicycheck_today = "{TODAY}"\n',
    "policycheck.toml": 'items_file = "risks.md"\n',
    "index.md": "# Index\n\n```{toctree}\n:glob:\n\n*\n```\n",
    "risks.md": """
        # Risks

        ```{risk} Flood
        :id: R_FLOOD
        :status: identified
        :likelihood: high
        ```

        ```{risk} Heat
        :id: R_HEAT
        ```

        ```{risk} Storm
        :id: R_STORM
        :likelihood: extreme
        ```

        ```{action} Paused action
        :id: A_PAUSED
        :status: paused
        ```
        """,
    "rules.md": "# Rules\n\n```{policycheck-rules}\n```\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("riskstadt")
    for name, text in PAGES.items():
        (root / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def _build(package: Path, project: Path, builder: str) -> subprocess.CompletedProcess[str]:
    out = project / "_build" / builder
    return _run(package, "-m", "sphinx", "-b", builder, "-q", str(project), str(out))


def _found(warnings: str, rule: str) -> set[str]:
    """Item ids of the build's warnings of ``rule`` (``[policycheck.<rule>]``)."""
    lines = [line for line in warnings.splitlines() if f"[policycheck.{rule}]" in line]
    return {m for line in lines for m in re.findall(r"\bR_[A-Z0-9_]+\b", line)}


def test_the_five_definitions_reach_everything(package: Path, project: Path) -> None:
    # the build: the directive and need type exist, status and field are accepted
    built = _build(package, project, "needs")
    assert built.returncode == 0, built.stderr
    data = json.loads((project / "_build" / "needs" / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    assert needs["R_FLOOD"]["type"] == "risk" and needs["R_FLOOD"]["type_name"] == "Risiko"
    assert needs["R_FLOOD"]["likelihood"] == "high"
    assert needs["A_PAUSED"]["status"] == "paused"
    warnings = built.stderr
    assert "A_PAUSED" not in warnings  # the new status is one of an action's
    # the rule runs in the build and in check --needs-json, with the same verdict
    assert _found(warnings, "risk-has-likelihood") == {"R_HEAT"}
    assert _found(warnings, "needs-schema") == {"R_STORM"}  # the field's schema holds
    needs_json = project / "_build" / "needs" / "needs.json"
    checked = _cli(package, "check", "--needs-json", str(needs_json), "--format", "json",
                   "--today", TODAY)  # fmt: skip
    assert checked.returncode == 1, checked.stderr
    findings = json.loads(checked.stdout)["findings"]
    by_rule = {rule: {f["need"] for f in findings if f["rule"] == rule}
               for rule in ("risk-has-likelihood", "needs-schema")}  # fmt: skip
    assert by_rule == {"risk-has-likelihood": {"R_HEAT"}, "needs-schema": {"R_STORM"}}

    # the CLI speaks the new language
    german = _cli(package, "check", "--needs-json", str(needs_json), "--language", "de",
                  "--today", TODAY)  # fmt: skip
    assert "Risiko R_HEAT hat keine Wahrscheinlichkeit" in german.stdout
    assert "von 0 Zielen vollständig" in german.stdout
    rules = _cli(package, "rules", "--language", "de")
    assert "PC901  risk-has-likelihood" in rules.stdout
    assert "Jedes Risiko nennt seine Wahrscheinlichkeit." in rules.stdout

    # the site: the rule in the reference, the type and status labelled, in German
    site = _build(package, project, "html")
    assert site.returncode == 0, site.stderr
    html = project / "_build" / "html"
    assert "risk-has-likelihood" in (html / "rules.html").read_text(encoding="utf-8")
    page = (html / "risks.html").read_text(encoding="utf-8")
    assert "Risiko" in page and "pausiert" in page
    assert '<html lang="de"' in page


def test_new_uses_the_type_its_prefix_statuses_and_field(package: Path, project: Path) -> None:
    made = _cli(package, "new", "risk", "Drought", "--set", "likelihood=low",
                "--dir", str(project))  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("R_1 ")
    text = (project / "risks.md").read_text(encoding="utf-8")
    assert "```{risk} Drought\n:id: R_1\n:status: identified\n" in text
    assert ":likelihood: low\n" in text
    refused = _cli(package, "new", "risk", "Hail", "--set", "likelihood=extreme",
                   "--dir", str(project))  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "likelihood" in refused.stderr and "'extreme'" in refused.stderr
    paused = _cli(package, "new", "action", "Later", "--set", "status=paused",
                  "--dir", str(project))  # fmt: skip
    assert paused.returncode == 0, paused.stderr
    assert _cli(package, "init", str(project / "neu"), "--language", "de").returncode == 0


def test_the_installed_package_has_none_of_them() -> None:
    """The additions above are the test's own: the package under test is unchanged."""
    from policycheck import i18n
    from policycheck.domain import VOCABULARY
    from policycheck.rules import get_rule

    assert VOCABULARY.type_called("risk") is None
    assert get_rule("risk-has-likelihood") is None
    assert "de" not in i18n.languages()
