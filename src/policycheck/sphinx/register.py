"""The register views: decisions, goal traceability, follow-up dashboard, owners.

Each directive leaves a placeholder; at ``doctree-resolved`` it is filled from the
model and the report computed once in the build (``checks.run_checks``), so the
site shows the same findings as the CLI. Pages holding a view are rewritten
whenever what they show may have changed (``freshness``), so they are never stale.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from policycheck.engine import GOAL_RULES
from policycheck.findings import Finding, Report
from policycheck.model import Item, Project
from policycheck.rules import all_rules
from policycheck.rules.plan import DROPPED, FOLLOWUP_DONE, actions_of, followups_of, parse_date
from policycheck.sphinx.labels import labels, status_label, type_label
from policycheck.sphinx.state import has_views, mark_view, project_of, report_of
from policycheck.sphinx.tables import Cell, item_ref, refs, section, table


class register_view(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for a view, filled at doctree-resolved."""


VIEWS = ("decisions", "goals", "dashboard", "owners")


def make_directive(view: str) -> type[SphinxDirective]:
    class ViewDirective(SphinxDirective):
        has_content = False
        option_spec: ClassVar[dict[str, Any]] = {"days": directives.nonnegative_int}

        def run(self) -> list[nodes.Node]:

            mark_view(self.env, self.env.docname)
            node = register_view(view=view, days=self.options.get("days", 90))
            return [node]

    ViewDirective.__name__ = f"{view.title()}Directive"
    return ViewDirective


def _linked(project: Project, item: Item, link: str, kind: str) -> list[Item]:
    return [t for t in project.targets(item, link) if t.type == kind]


def decisions_view(
    app: Sphinx, doc: str, project: Project, report: Report, _: int
) -> list[nodes.Node]:
    t = labels(app)
    rows: list[list[Cell]] = []
    decisions = sorted(project.of_type("decision"), key=lambda d: (d.date or "", d.section or ""))
    for d in decisions:
        rows.append(
            [
                d.section or "",
                d.date or "",
                refs(app, doc, _linked(project, d, "body", "org")),
                d.diary or "",
                [item_ref(app, doc, d)],
                status_label(app, d.status, d.type),
                refs(app, doc, _linked(project, d, "supersedes", "decision")),
                refs(
                    app,
                    doc,
                    [x for x in project.linked_from("supersedes", d.id) if x.type == "decision"],
                ),
            ]
        )
    headers = [
        "section",
        "date",
        "body",
        "diary",
        "decision",
        "status",
        "supersedes",
        "superseded_by",
    ]
    return [table([t[h] for h in headers], rows, ["policycheck-sortable"])]


def goal_verdict(app: Sphinx, goal: Item, report: Report, found: list[Finding]) -> str:
    """The checker's verdict on ``goal``, from ``found``: its goal-rule findings."""
    t = labels(app)
    if goal.status in DROPPED:
        return t["not_asked"]
    if not found:
        return t["complete"]
    parts = []
    for f in found:
        what = t[f.rule.removeprefix("goal-has-")].lower()
        if f.waived:
            until = next((w.until for w in report.waivers.get(goal.id, []) if w.rule == f.rule), "")
            parts.append(f"{what}: {t['waived_until'].format(until=until)}")
        elif f.known:
            parts.append(f"{what}: {t['missing']} ({t['known']})")
        else:
            parts.append(f"{what}: {t['missing']}")
    return "; ".join(parts)


def goals_view(app: Sphinx, doc: str, project: Project, report: Report, _: int) -> list[nodes.Node]:
    t = labels(app)
    out: list[nodes.Node] = []
    by_goal: dict[str, list[Finding]] = defaultdict(list)  # one pass, not one per goal
    for finding in report.findings:
        if finding.rule in GOAL_RULES:
            by_goal[finding.need].append(finding)
    for goal in project.of_type("goal"):
        facts = nodes.field_list()
        owners = _linked(project, goal, "owner", "org")
        adopted = [d for d in project.linked_from("adopts", goal.id) if d.type == "decision"]
        for name, value in (
            (t["status"], [nodes.Text(status_label(app, goal.status, goal.type))]),
            (t["adopted_by"], refs(app, doc, adopted, t["none"])),
            (t["owner"], refs(app, doc, owners, t["none"])),
            (t["verdict"], [nodes.strong("", goal_verdict(app, goal, report, by_goal[goal.id]))]),
        ):
            field = nodes.field()
            field += nodes.field_name("", name)
            body = nodes.field_body()
            para = nodes.paragraph()
            para.extend(value)
            body += para
            field += body
            facts += field
        actions = actions_of(project, goal)
        action_rows: list[list[Cell]] = [
            [
                [item_ref(app, doc, a)],
                refs(app, doc, _linked(project, a, "owner", "org")),
                a.due or "",
                status_label(app, a.status, a.type),
            ]
            for a in actions
        ]
        followup_rows: list[list[Cell]] = [
            [
                [item_ref(app, doc, f)],
                refs(app, doc, _linked(project, f, "owner", "org")),
                f.due or f.cadence or "",
                f.indicator or "",
            ]
            for f in followups_of(project, goal)
        ]
        children: list[nodes.Node] = [facts]
        children.append(nodes.paragraph("", "", nodes.strong("", t["actions"])))
        children.append(
            table([t["action"], t["owner"], t["due"], t["status"]], action_rows)
            if action_rows
            else nodes.paragraph("", t["no_items"])
        )
        children.append(nodes.paragraph("", "", nodes.strong("", t["followups"])))
        children.append(
            table([t["followup"], t["owner"], t["cadence"], t["indicator"]], followup_rows)
            if followup_rows
            else nodes.paragraph("", t["no_items"])
        )
        out.append(section(f"trace-{goal.id}", f"{goal.title} ({goal.id})", *children))
    return out


def dashboard_view(
    app: Sphinx, doc: str, project: Project, report: Report, days: int
) -> list[nodes.Node]:
    t = labels(app)
    s = report.summary
    counts = table(
        [t["goals_complete"], t["errors"], t["warnings"], t["known_gaps"], t["waived"]],
        [
            [
                f"{s.goals_complete} / {s.goals}",
                str(s.errors),
                str(s.warnings),
                str(s.known),
                str(s.waived),
            ]
        ],
    )
    by_rule: list[list[Cell]] = []
    shown = report.active
    for rule in all_rules():
        count = sum(1 for f in shown if f.rule == rule.name)
        if count:
            known = sum(1 for f in shown if f.rule == rule.name and f.known)
            by_rule.append([f"{rule.code} {rule.name}", str(count), str(known)])
    today = date.fromisoformat(report.today)
    overdue: list[list[Cell]] = []
    for f in project.of_type("followup"):
        due = parse_date(f.due)
        if due and due < today and f.status not in FOLLOWUP_DONE:
            overdue.append(
                [
                    [item_ref(app, doc, f)],
                    f.due or "",
                    refs(app, doc, _linked(project, f, "owner", "org")),
                ]
            )
    expiring: list[list[Cell]] = []
    horizon = today + timedelta(days=days)
    for need_id, waivers in sorted(report.waivers.items()):
        item = project.items.get(need_id)
        for w in waivers:
            if date.fromisoformat(w.until) <= horizon and item is not None:
                expiring.append([[item_ref(app, doc, item)], w.rule, w.until, w.reason])

    def block(title: str, rows: list[list[Cell]], headers: list[str]) -> list[nodes.Node]:
        heading = nodes.paragraph("", "", nodes.strong("", title))
        return [heading, table(headers, rows) if rows else nodes.paragraph("", t["no_items"])]

    return [
        counts,
        *block(t["by_rule"], by_rule, [t["rule"], t["count"], t["known_gaps"]]),
        *block(t["overdue"], overdue, [t["followup"], t["due"], t["owner"]]),
        *block(
            t["expiring"].format(days=days),
            expiring,
            [t["item"], t["rule"], t["until"], t["reason"]],
        ),
    ]


def owners_view(
    app: Sphinx, doc: str, project: Project, report: Report, _: int
) -> list[nodes.Node]:
    t = labels(app)
    out: list[nodes.Node] = []
    for org in project.of_type("org"):
        owned = project.linked_from("owner", org.id)
        if not owned:
            continue
        rows: list[list[Cell]] = [
            [
                [item_ref(app, doc, i)],
                type_label(app, i.type),
                status_label(app, i.status, i.type),
                i.due or i.cadence or "",
            ]
            for i in owned
        ]
        follow = [i for i in owned if i.type == "followup"]
        children: list[nodes.Node] = [
            nodes.paragraph("", "", nodes.strong("", t["owns"])),
            table([t["item"], t["type"], t["status"], t["cadence"]], rows),
        ]
        if follow:
            children.append(nodes.paragraph("", "", nodes.strong("", t["follows_up"])))
            children.append(nodes.paragraph("", "", *refs(app, doc, follow)))
        out.append(section(f"owner-{org.id}", f"{org.title} ({org.id})", *children))
    return out or [nodes.paragraph("", t["no_items"])]


RENDER = {
    "decisions": decisions_view,
    "goals": goals_view,
    "dashboard": dashboard_view,
    "owners": owners_view,
}


def resolve_views(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    if not has_views(app.env, fromdocname):
        return  # searching every doctree would cost more than the rest of the checks
    project, report = project_of(app), report_of(app)
    for node in list(doctree.findall(register_view)):
        if project is None or report is None:
            node.replace_self([])
            continue
        render = RENDER[node["view"]]
        node.replace_self(render(app, fromdocname, project, report, node["days"]))


def setup_register(app: Sphinx) -> None:
    app.add_node(register_view)
    for view in VIEWS:
        app.add_directive(f"policycheck-{view}", make_directive(view))
    app.connect("doctree-resolved", resolve_views)
