"""``policycheck-findings``: the checker's findings, shown on a page of the site.

The findings are known only after every document is read, so the directive leaves a
placeholder that is filled at ``doctree-resolved`` (as ``sphinx.ext.todo`` does).
Pages holding it are rewritten on every build (``freshness``), so they never show
the findings of an earlier build.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from policycheck.findings import Finding, Report
from policycheck.sphinx.freshness import has_views, mark_dynamic
from policycheck.sphinx.tables import Cell, item_ref, table

LABELS = {
    "en": {
        "file": "File",
        "item": "Item",
        "rule": "Rule",
        "message": "Finding",
        "state": "State",
        "known": "known gap",
        "new": "new",
        "none": "No findings.",
        "summary": "{complete} of {goals} goals complete; {errors} errors, {warnings} warnings, "
        "{known} known gaps, {waived} waived.",
    },
    "fi": {
        "file": "Tiedosto",
        "item": "Kohta",
        "rule": "Sääntö",
        "message": "Havainto",
        "state": "Tila",
        "known": "tunnettu puute",
        "new": "uusi",
        "none": "Ei havaintoja.",
        "summary": "{complete}/{goals} tavoitetta täydellisiä; {errors} virhettä, "
        "{warnings} varoitusta, {known} tunnettua puutetta, {waived} poikkeusta.",
    },
}


class findings_placeholder(nodes.General, nodes.Element):  # type: ignore[misc]
    pass


class FindingsDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        mark_dynamic(self.env, self.env.docname)
        return [findings_placeholder()]


def _labels(app: Sphinx) -> dict[str, str]:
    return LABELS["fi"] if str(app.config.language or "").startswith("fi") else LABELS["en"]


def _table(app: Sphinx, fromdocname: str, findings: list[Finding]) -> nodes.table:
    labels = _labels(app)
    heads = [labels[k] for k in ("file", "item", "rule", "message", "state")]
    project = getattr(app, "policycheck_project", None)
    rows: list[list[Cell]] = []
    for f in findings:
        item = project.items.get(f.need) if project is not None else None
        where: Cell = item_ref(app, fromdocname, item, show_id=False) if item else ""
        state = labels["known"] if f.known else labels["new"]
        rows.append([f"{f.file}:{f.line}", [nodes.literal("", f.need), nodes.Text(" "), where],
                     f"{f.code} {f.rule}", f.message, state])  # fmt: skip
    return table(heads, rows, ["policycheck-findings", "policycheck-sortable"])


def resolve_findings(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    if not has_views(app.env, fromdocname):
        return  # searching every doctree would cost more than the rest of the checks
    placeholders = list(doctree.findall(findings_placeholder))
    if not placeholders:
        return
    report: Report | None = getattr(app, "policycheck_report", None)
    labels = _labels(app)
    for node in placeholders:
        if report is None:
            node.replace_self([])
            continue
        s = report.summary
        summary = nodes.paragraph(
            "",
            labels["summary"].format(
                complete=s.goals_complete,
                goals=s.goals,
                errors=s.errors,
                warnings=s.warnings,
                known=s.known,
                waived=s.waived,
            ),
        )
        shown = report.active
        content: list[nodes.Node] = [summary]
        content.append(
            _table(app, fromdocname, shown) if shown else nodes.paragraph("", labels["none"])
        )
        node.replace_self(content)


RULE_LABELS = {
    "en": {"severity": "Default severity", "fails": "Fails", "passes": "Passes"},
    "fi": {"severity": "Oletusvakavuus", "fails": "Ei läpäise", "passes": "Läpäisee"},
}


class RulesDirective(SphinxDirective):
    """The rule catalogue, generated from the rule definitions in the code."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from policycheck.rules import all_rules

        lang = "fi" if str(self.config.language or "").startswith("fi") else "en"
        labels = RULE_LABELS[lang]
        out: list[nodes.Node] = []
        for rule in all_rules():
            section = nodes.section(ids=[f"rule-{rule.name}"])
            section += nodes.title("", f"{rule.code} {rule.name}")
            section += nodes.paragraph("", rule.summary)
            section += nodes.paragraph("", rule.rationale)
            section += nodes.paragraph("", f"{labels['severity']}: {rule.severity}")
            for label, example in (
                (labels["fails"], rule.bad_example),
                (labels["passes"], rule.good_example),
            ):
                section += nodes.paragraph("", f"{label}:")
                block = nodes.literal_block(example, example)
                block["language"] = "md"
                section += block
            out.append(section)
        return out


def setup_directives(app: Sphinx) -> None:
    app.add_node(findings_placeholder)
    app.add_directive("policycheck-findings", FindingsDirective)
    app.add_directive("policycheck-rules", RulesDirective)
    app.connect("doctree-resolved", resolve_findings)
