"""``policycheck-findings``: the checker's findings, shown on a page of the site.

The findings are known only after every document is read, so the directive leaves a
placeholder that is filled at ``doctree-resolved`` (as ``sphinx.ext.todo`` does).
Pages holding it are rewritten whenever the findings may have changed
(``freshness``), so they never show the findings of an earlier build.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from policycheck.config import PolicyConfig, load_config
from policycheck.errors import PolicycheckError
from policycheck.findings import Finding
from policycheck.i18n import N_, sphinx_translator
from policycheck.sphinx.labels import labels
from policycheck.sphinx.state import has_views, mark_view, project_of, report_of
from policycheck.sphinx.tables import Cell, item_ref, table
from policycheck.syntax import example_for


class findings_placeholder(nodes.General, nodes.Element):  # type: ignore[misc]
    pass


class FindingsDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        mark_view(self.env, self.env.docname)
        return [findings_placeholder()]


def _table(app: Sphinx, fromdocname: str, findings: list[Finding]) -> nodes.table:
    words = labels(app)
    heads = [words[k] for k in ("file", "item", "rule", "message", "state")]
    project = project_of(app)
    translate = sphinx_translator()
    rows: list[list[Cell]] = []
    for f in findings:
        item = project.items.get(f.need) if project is not None else None
        where: Cell = item_ref(app, fromdocname, item, show_id=False) if item else ""
        state = words["known"] if f.known else words["new"]
        rows.append([f"{f.file}:{f.line}", [nodes.literal("", f.need), nodes.Text(" "), where],
                     f"{f.code} {f.rule}", f.text(translate), state])  # fmt: skip
    return table(heads, rows, ["policycheck-findings", "policycheck-sortable"])


def resolve_findings(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    if not has_views(app.env, fromdocname):
        return  # searching every doctree would cost more than the rest of the checks
    placeholders = list(doctree.findall(findings_placeholder))
    if not placeholders:
        return
    report = report_of(app)
    words = labels(app)
    for node in placeholders:
        if report is None:
            node.replace_self([])
            continue
        s = report.summary
        summary = nodes.paragraph(
            "",
            words["findings_summary"].format(
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
            _table(app, fromdocname, shown) if shown else nodes.paragraph("", words["no_findings"])
        )
        node.replace_self(content)


# words of the rule reference (the rest are the site's labels)
N_("Applies to")
N_("Reads")


class RulesDirective(SphinxDirective):
    """The rule catalogue, generated from the rule definitions in the code and shown
    in the project's language."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from policycheck.rules import all_rules

        words = labels(self)
        _ = sphinx_translator()
        # examples in the syntax of this page, with the project's type names
        config = _policy_config(Path(self.env.srcdir))
        rst = self.env.doc2path(self.env.docname).suffix != ".md"
        out: list[nodes.Node] = []
        for rule in all_rules():
            section = nodes.section(ids=[f"rule-{rule.name}"])
            section += nodes.title("", f"{rule.code} {rule.name}: {_(rule.title)}")
            section += nodes.paragraph("", _(rule.summary))
            section += nodes.paragraph("", _(rule.rationale))
            facts = [
                f"{words['severity']}: {rule.severity}",
                f"{_('Applies to')}: {', '.join(rule.applies_to or ('*',))}",
            ]
            if rule.reads:
                facts.append(f"{_('Reads')}: {', '.join(rule.reads)}")
            section += nodes.paragraph("", "; ".join(facts))
            for label, example in (
                (words["fails"], rule.bad_example),
                (words["passes"], rule.good_example),
            ):
                section += nodes.paragraph("", f"{label}:")
                text = example_for(example, config, rst)
                block = nodes.literal_block(text, text)
                block["language"] = "rst" if rst else "md"
                section += block
            out.append(section)
        return out


def _policy_config(srcdir: Path) -> PolicyConfig:
    """The project's table (checked already when the build started)."""
    try:
        return load_config(srcdir)
    except PolicycheckError:
        return PolicyConfig()


def setup_directives(app: Sphinx) -> None:
    app.add_node(findings_placeholder)
    app.add_directive("policycheck-findings", FindingsDirective)
    app.add_directive("policycheck-rules", RulesDirective)
    app.connect("doctree-resolved", resolve_findings)
