"""The register views: decisions, goal traceability, follow-up dashboard, owners.

Each directive leaves a placeholder; at ``doctree-resolved`` it is filled from the
model and the report computed once in the build (``checks.run_checks``), so the
site shows the same findings as the CLI. Pages holding a view are rewritten
whenever what they show may have changed (``freshness``), so they are never stale.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from policycheck import i18n
from policycheck.findings import Report
from policycheck.i18n import DOMAIN, N_
from policycheck.model import Item, Project
from policycheck.rules import all_rules
from policycheck.rules.plan import actions_of, followups_of, parse_date
from policycheck.sphinx.cards import setup_cards
from policycheck.sphinx.chart import coverage_chart
from policycheck.sphinx.glance import (
    OK,
    findings_by_goal,
    glance_view,
    goal_marks,
    mark_cell,
    status_words,
)
from policycheck.sphinx.graph import graph_pages, graph_view, setup_graph
from policycheck.sphinx.labels import _, format_date, pgettext, status_label, type_label
from policycheck.sphinx.sources import diary_cell, rule_link
from policycheck.sphinx.state import has_views, mark_view, project_of, report_of
from policycheck.sphinx.tables import Cell, item_ref, refs, section, setup_nodes, table
from policycheck.sphinx.walk import find


class register_view(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for a view, filled at doctree-resolved."""


VIEWS = ("glance", "decisions", "goals", "dashboard", "owners", "graph")


def make_directive(view: str) -> type[SphinxDirective]:
    class ViewDirective(SphinxDirective):
        has_content = False
        option_spec: ClassVar[dict[str, Any]] = {"days": directives.nonnegative_int}

        def run(self) -> list[nodes.Node]:

            mark_view(self.env, self.env.docname)
            if view == "graph":
                graph_pages(self.env)[self.env.docname] = True
            node = register_view(view=view, days=self.options.get("days", 90))
            return [node]

    ViewDirective.__name__ = f"{view.title()}Directive"
    return ViewDirective


def _linked(project: Project, item: Item, link: str, kind: str) -> list[Item]:
    return [t for t in project.targets(item, link) if t.type == kind]


def decisions_view(
    app: Sphinx, doc: str, project: Project, report: Report, _days: int
) -> list[nodes.Node]:
    rows: list[list[Cell]] = []
    decisions = sorted(project.of_type("decision"), key=lambda d: (d.date or "", d.section or ""))
    for d in decisions:
        rows.append(
            [
                d.section or "",
                format_date(d.date),
                refs(app, doc, _linked(project, d, "body", "org")),
                diary_cell(app, d.diary),
                [item_ref(app, doc, d)],
                status_label("decision", d.status),
                refs(app, doc, _linked(project, d, "supersedes", "decision")),
                refs(
                    app,
                    doc,
                    [x for x in project.linked_from("supersedes", d.id) if x.type == "decision"],
                ),
            ]
        )
    headers = [N_("§"), N_("Date"), N_("Decided by"), N_("Diary number"), N_("Decision"),
               N_("Status"), N_("Supersedes"), N_("Superseded by")]  # fmt: skip
    return [table([_(h) for h in headers], rows, ["policycheck-sortable"])]


def goals_view(
    app: Sphinx, doc: str, project: Project, report: Report, _days: int
) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    found = findings_by_goal(report)
    for goal in project.of_type("goal"):
        by_rule = found.get(goal.id, {})
        decision, owner, action, followup = goal_marks(project, goal, by_rule)
        facts = nodes.field_list()
        for name, value in (
            (_("Status"), [nodes.Text(status_words(goal, decision.state == OK))]),
            (_("Adopted by"), mark_cell(app, doc, decision, describe=True)),
            (_("Owner"), mark_cell(app, doc, owner)),
            (_("Actions"), mark_cell(app, doc, action)),
            (_("Follow-up"), mark_cell(app, doc, followup, describe=True)),
        ):
            field = nodes.field()
            field += nodes.field_name("", name)
            body = nodes.field_body()
            para = nodes.paragraph()
            para.extend(value)
            body += para
            field += body
            facts += field
        action_rows: list[list[Cell]] = [
            [
                [item_ref(app, doc, a, show_id=False)],
                refs(app, doc, _linked(project, a, "owner", "org")),
                format_date(a.due),
                status_label("action", a.status),
            ]
            for a in actions_of(project, goal)
        ]
        followup_rows: list[list[Cell]] = [
            [
                [item_ref(app, doc, f, show_id=False)],
                refs(app, doc, _linked(project, f, "owner", "org")),
                format_date(f.due) or pgettext("cadence", f.cadence or ""),
                f.indicator or "",
            ]
            for f in followups_of(project, goal)
        ]
        children: list[nodes.Node] = [facts]
        children.append(nodes.paragraph("", "", nodes.strong("", _("Actions"))))
        children.append(
            table([_("Action"), _("Owner"), _("Due"), _("Status")], action_rows)
            if action_rows
            else nodes.paragraph("", _("None."))
        )
        children.append(nodes.paragraph("", "", nodes.strong("", _("Follow-ups"))))
        children.append(
            table([_("Follow-up"), _("Owner"), _("Due or cadence"), _("Indicator")], followup_rows)
            if followup_rows
            else nodes.paragraph("", _("None."))
        )
        out.append(section(f"trace-{goal.id}", goal.title or goal.id, *children))
    return out


def dashboard_view(
    app: Sphinx, doc: str, project: Project, report: Report, days: int
) -> list[nodes.Node]:
    s = report.summary
    meaning = nodes.paragraph(
        "",
        _(
            "Checked on {date}. {complete} of {goals} goals have everything the plan asks "
            "for. {errors} new gaps and {warnings} new warnings were found in this version; "
            "{known} gaps were already known, and {waived} are exceptions granted until a date."
        ).format(date=format_date(report.today), complete=s.goals_complete, goals=s.goals,
                 errors=s.errors, warnings=s.warnings, known=s.known, waived=s.waived),
    )  # fmt: skip
    counts = table(
        [_("Goals complete"), _("New gaps"), _("New warnings"), _("Known gaps"), _("Exceptions")],
        [[f"{s.goals_complete} / {s.goals}", str(s.errors), str(s.warnings), str(s.known),
          str(s.waived)]],
    )  # fmt: skip
    by_rule: list[list[Cell]] = []
    shown = report.active
    for rule in all_rules():
        count = sum(1 for f in shown if f.rule == rule.name)
        if count:
            known = sum(1 for f in shown if f.rule == rule.name and f.known)
            by_rule.append([[rule_link(app, doc, rule.name)], str(count), str(known)])
    today = date.fromisoformat(report.today)
    overdue: list[list[Cell]] = []
    for f in project.of_type("followup"):
        due = parse_date(f.due)
        if due and due < today and f.status != "done":
            overdue.append(
                [
                    [item_ref(app, doc, f, show_id=False)],
                    format_date(f.due),
                    refs(app, doc, _linked(project, f, "owner", "org")),
                ]
            )
    expiring: list[list[Cell]] = []
    horizon = today + timedelta(days=days)
    for need_id, waivers in sorted(report.waivers.items()):
        item = project.items.get(need_id)
        for w in waivers:
            if date.fromisoformat(w.until) <= horizon and item is not None:
                expiring.append(
                    [[item_ref(app, doc, item, show_id=False)], [rule_link(app, doc, w.rule)],
                     format_date(w.until), w.reason]
                )  # fmt: skip

    def block(title: str, rows: list[list[Cell]], headers: list[str]) -> list[nodes.Node]:
        heading = nodes.paragraph("", "", nodes.strong("", title))
        return [heading, table(headers, rows) if rows else nodes.paragraph("", _("None."))]

    return [
        meaning,
        coverage_chart(app, project, report),
        counts,
        *block(_("Gaps by rule"), by_rule, [_("Rule"), _("Gaps"), _("Known gaps")]),
        *block(_("Overdue follow-ups"), overdue, [_("Follow-up"), _("Due"), _("Owner")]),
        *block(
            _("Exceptions ending within {days} days").format(days=days),
            expiring,
            [_("Item"), _("Rule"), _("Until"), _("Reason")],
        ),
    ]


def owners_view(
    app: Sphinx, doc: str, project: Project, report: Report, _days: int
) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for org in project.of_type("org"):
        owned = project.linked_from("owner", org.id)
        if not owned:
            continue
        rows: list[list[Cell]] = [
            [
                [item_ref(app, doc, i, show_id=False)],
                type_label(i.type),
                status_label(i.type, i.status),
                format_date(i.due) or pgettext("cadence", i.cadence or ""),
            ]
            for i in owned
        ]
        follow = [i for i in owned if i.type == "followup"]
        children: list[nodes.Node] = [
            nodes.paragraph("", "", nodes.strong("", _("Responsible for"))),
            table([_("Item"), _("Type"), _("Status"), _("Due or cadence")], rows),
        ]
        if follow:
            children.append(nodes.paragraph("", "", nodes.strong("", _("Must follow up"))))
            children.append(nodes.paragraph("", "", *refs(app, doc, follow)))
        out.append(section(f"owner-{org.id}", org.title or org.id, *children))
    return out or [nodes.paragraph("", _("None."))]


def glance(app: Sphinx, doc: str, project: Project, report: Report, _days: int) -> list[nodes.Node]:
    intro, *rest = glance_view(app, doc, project, report)
    return [intro, coverage_chart(app, project, report), *rest]


def graphs(app: Sphinx, doc: str, project: Project, report: Report, _days: int) -> list[nodes.Node]:
    return graph_view(app, doc, project, project.of_type("goal"))


RENDER = {
    "glance": glance,
    "graph": graphs,
    "decisions": decisions_view,
    "goals": goals_view,
    "dashboard": dashboard_view,
    "owners": owners_view,
}


def resolve_views(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    if not has_views(app.env, fromdocname):
        return  # searching every doctree would cost more than the rest of the checks
    project = project_of(app)
    report = report_of(app)
    for node in find(doctree, register_view):
        if project is None or report is None:
            node.replace_self([])
            continue
        render = RENDER[node["view"]]
        node.replace_self(render(app, fromdocname, project, report, node["days"]))


def _script_words(app: Sphinx) -> None:
    """The words policycheck.js shows, from the catalogue, in the site's language."""
    if app.builder.format != "html":
        return
    words = {"filter": _("Filter the table"), "sort": _("Sort by this column"),
             "shown": _("rows shown"), "table": _("Table, scrolls sideways")}  # fmt: skip
    data = json.dumps(words).replace("<", "\\u003c")
    app.add_js_file(None, body=f"window.POLICYCHECK_WORDS = {data};")


def _fresh_catalogue(app: Sphinx) -> None:
    """Load policycheck's catalogue for this project's language only: Sphinx keeps
    translators per process and would add this language behind one loaded earlier
    (by another project built in the same process)."""
    from sphinx import locale

    locale.translators.pop(("general", DOMAIN), None)
    app.add_message_catalog(DOMAIN, str(i18n.LOCALE_DIR))


def setup_register(app: Sphinx) -> None:
    _fresh_catalogue(app)
    setup_nodes(app)
    setup_cards(app)
    setup_graph(app)
    # where a diary number is looked up, e.g. "https://paatokset.hel.fi/fi/asia/{slug}"
    app.add_config_value("policycheck_diary_url", "", "html", types=(str,))
    app.add_node(register_view)
    for view in VIEWS:
        app.add_directive(f"policycheck-{view}", make_directive(view))
    app.connect("doctree-resolved", resolve_views)
    app.connect("builder-inited", _script_words)
