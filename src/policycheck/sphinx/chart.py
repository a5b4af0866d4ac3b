"""A small chart of how many goals meet each requirement, readable without it.

Each bar has its numbers in words next to it; the bar itself is decorative
(``aria-hidden``), drawn with CSS, offline. The counts are the glance table's
marks, so the chart and the table never disagree.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from policycheck.findings import Report
from policycheck.i18n import N_
from policycheck.model import Project
from policycheck.rules.plan import DROPPED
from policycheck.sphinx.glance import OK, findings_by_goal, goal_marks
from policycheck.sphinx.labels import _
from policycheck.sphinx.tables import bar

REQUIREMENTS = (
    N_("an adopting decision"),
    N_("an owner"),
    N_("an action"),
    N_("a complete follow-up"),
)


def coverage(project: Project, report: Report) -> tuple[int, list[int]]:
    """Goals that are not dropped, and how many of them meet each requirement."""
    found = findings_by_goal(report)
    goals = [g for g in project.of_type("goal") if g.status not in DROPPED]
    met = [0] * len(REQUIREMENTS)
    for goal in goals:
        marks = goal_marks(project, goal, found.get(goal.id, {}))
        for i, mark in enumerate(marks):
            met[i] += mark.state == OK
    return len(goals), met


def coverage_chart(app: Sphinx, project: Project, report: Report) -> nodes.Element:
    total, met = coverage(project, report)
    chart = nodes.container(classes=["policycheck-chart"])
    title = _("How many of the {total} goals that are not dropped have what the plan asks for:")
    chart += nodes.paragraph("", title.format(total=total), classes=["policycheck-chart-title"])
    items = nodes.bullet_list(classes=["policycheck-bars"])
    for requirement, count in zip(REQUIREMENTS, met, strict=True):
        percent = round(100 * count / total) if total else 0
        entry = nodes.list_item()
        para = nodes.paragraph()
        para += nodes.Text(
            _("{count} of {total} have {what} ({percent} %)").format(
                count=count, total=total, what=_(requirement), percent=percent
            )
        )
        para += bar(percent=percent)
        entry += para
        items += entry
    chart += items
    return chart
