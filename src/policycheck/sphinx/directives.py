"""``policycheck-findings``: the checker's findings, shown on a page of the site;
``policycheck-rules``: the rule reference, generated from the rule definitions.

The findings are known only after every document is read, so the directive leaves a
placeholder that is filled at ``doctree-resolved`` (as ``sphinx.ext.todo`` does).
Pages holding it are rewritten whenever the findings may have changed
(``freshness``), so they never show the findings of an earlier build.

Residents read the findings in their language: the item by name, the rule by its
title (linked to its explanation), what is missing. Editors add ``:editors:`` to
see files, lines, rule codes and whether a gap was already known.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from policycheck.config import PolicyConfig, load_config
from policycheck.errors import PolicycheckError
from policycheck.findings import Finding
from policycheck.i18n import N_, sphinx_translator
from policycheck.sphinx.config_reference import with_literals
from policycheck.sphinx.labels import _, finding_text, format_date, rule_title
from policycheck.sphinx.sources import note_rule_target, rule_link
from policycheck.sphinx.state import has_views, mark_view, project_of, report_of
from policycheck.sphinx.tables import Cell, foreign_inline, in_english, item_ref, table
from policycheck.sphinx.walk import find
from policycheck.syntax import example_for


class findings_placeholder(nodes.General, nodes.Element):  # type: ignore[misc]
    pass


class FindingsDirective(SphinxDirective):
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"editors": directives.flag}

    def run(self) -> list[nodes.Node]:
        mark_view(self.env, self.env.docname)
        return [findings_placeholder(editors="editors" in self.options)]


def _said(text: str, lang: str) -> Cell:
    if lang == "en":
        return [in_english(nodes.Text(text))]
    return text


def _table(app: Sphinx, fromdocname: str, findings: list[Finding], editors: bool) -> nodes.Node:
    project = project_of(app)
    rows: list[list[Cell]] = []
    for f in findings:
        item = project.items.get(f.need) if project is not None else None
        where: Cell = item_ref(app, fromdocname, item, show_id=False) if item else f.need
        said = _said(*finding_text(item.title if item else f.need, f, sphinx_translator()))
        row: list[Cell] = [[where] if not isinstance(where, str) else where,
                           [rule_link(app, fromdocname, f.rule)], said]  # fmt: skip
        if editors:
            code = nodes.literal("", f"{f.file}:{f.line} {f.code} {f.rule}")
            state = _("known gap") if f.known else _("new")
            row += [[in_english(code)], [in_english(nodes.Text(f.message))], state]
        rows.append(row)
    heads = [_("Item"), _("Rule"), _("What is missing")]
    if editors:
        heads += [_("File and rule"), _("Checker's message"), _("State")]
    return table(heads, rows, ["policycheck-findings", "policycheck-sortable"])


def resolve_findings(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    if not has_views(app.env, fromdocname):
        return  # searching every doctree would cost more than the rest of the checks
    placeholders = find(doctree, findings_placeholder)
    if not placeholders:
        return
    report = report_of(app)
    for node in placeholders:
        if report is None:
            node.replace_self([])
            continue
        s = report.summary
        summary = nodes.paragraph(
            "",
            _(
                "Checked on {date}: {complete} of {goals} goals have everything the plan "
                "asks for; {count} gaps are listed below."
            ).format(date=format_date(report.today), complete=s.goals_complete,
                     goals=s.goals, count=len(report.active)),
        )  # fmt: skip
        shown = report.active
        content: list[nodes.Node] = [summary]
        content.append(
            _table(app, fromdocname, shown, node["editors"])
            if shown
            else nodes.paragraph("", _("No gaps."))
        )
        node.replace_self(content)


# words of the rule reference (the rest are the site's labels)
N_("Applies to")
N_("Reads")


class RulesDirective(SphinxDirective):
    """The rule catalogue, generated from the rule definitions in the code, in the
    project's language where the catalogue has it (English parts are marked so), with
    the examples in the page's syntax and the project's type names."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from policycheck.rules import all_rules

        # examples in the syntax of this page, with the project's type names
        config = _policy_config(Path(self.env.srcdir))
        rst = self.env.doc2path(self.env.docname).suffix != ".md"
        out: list[nodes.Node] = []
        for rule in all_rules():
            node_id = f"rule-{rule.name}"
            section = nodes.section(ids=[node_id])
            title, _lang = rule_title(rule.name)
            section += nodes.title("", title)
            note_rule_target(self.env.app, self.env.docname, rule.name, node_id, title)
            name = foreign_inline(lang="en")
            name += nodes.literal("", rule.name)
            section += nodes.paragraph(
                "", "", nodes.Text(_("Name in reports:") + " "), name, nodes.Text(f" ({rule.code})")
            )
            for text in (rule.summary, rule.rationale):
                said = _(text)
                # values an author writes (`annual`) are code, as in the configuration
                para = nodes.paragraph("", "", *with_literals(said))
                section += in_english(para, block=True) if said == text else para
            severity = _("error") if rule.severity == "error" else _("warning")
            # field and type names are the project's code words: shown as code
            facts = nodes.paragraph("", f"{_('Default severity')}: {severity}; {_('Applies to')}: ")
            facts += nodes.literal("", ", ".join(rule.applies_to or ("*",)))
            if rule.reads:
                facts += nodes.Text(f"; {_('Reads')}: ")
                facts += nodes.literal("", ", ".join(rule.reads))
            section += facts
            for label, example in (
                (_("Fails"), rule.bad_example),
                (_("Passes"), rule.good_example),
            ):
                section += nodes.paragraph("", f"{label}:")
                text = example_for(example, config, rst)
                block = nodes.literal_block(text, text)
                block["language"] = "rst" if rst else "md"
                section += in_english(block, block=True)
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
