"""Every goal at a glance: one row per goal, each cell a mark and words.

What a cell says comes from the report's findings (whether a rule holds) and from
the rules' own helpers (``actions_of``, ``followups_of``, ``followup_gaps``: what is
missing), so the site never judges a goal differently from ``policycheck check``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from docutils import nodes
from sphinx.application import Sphinx

from policycheck.engine import GOAL_RULES
from policycheck.findings import Finding, Report
from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.rules.plan import DROPPED, actions_of, followup_gaps, followups_of
from policycheck.sphinx.labels import _, format_date, pgettext, status_label
from policycheck.sphinx.tables import Cell, item_ref, table

OK, GAP, PARTIAL, NONE = "ok", "gap", "partial", "none"

# What rules.plan.followup_gaps says a follow-up lacks, as a noun in the reader's
# language (Finnish partitive: "ei aikataulua eikä mittaria").
GAP_NOUNS = {
    "an owner": "owner",
    "a due date or cadence": "schedule",
    "an indicator": "indicator",
}


@dataclass
class Mark:
    """One cell: how it stands (``OK``, ``GAP``, ``PARTIAL`` or ``NONE``) and what it says."""

    state: str
    words: str
    items: list[Item] = field(default_factory=list)


def findings_by_goal(report: Report) -> dict[str, dict[str, Finding]]:
    """Goal id → rule → the goal-rule finding (waived ones included: still a gap)."""
    found: dict[str, dict[str, Finding]] = defaultdict(dict)
    for f in report.findings:
        if f.rule in GOAL_RULES:
            found[f.need][f.rule] = f
    return found


def _waiver(report: Report, goal: Item, finding: Finding) -> str:
    until = next((w.until for w in report.waivers.get(goal.id, []) if w.rule == finding.rule), "")
    return _("exception in force until {date}").format(date=format_date(until))


def missing_list(gaps: Iterable[str]) -> str:
    """What a follow-up lacks, as a phrase: "no schedule or indicator"."""
    nouns = [pgettext("missing", GAP_NOUNS.get(g, g)) for g in gaps]
    if len(nouns) > 1:
        nouns = [*nouns[:-2], _("{first} or {last}").format(first=nouns[-2], last=nouns[-1])]
    return _("no {missing}").format(missing=", ".join(nouns))


def owner_mark(project: Project, goal: Item, finding: Finding | None) -> Mark:
    owners = project.targets(goal, "owner")
    if finding is None:
        return Mark(OK, "", owners)
    ids = goal.links("owner")
    if not ids:
        return Mark(GAP, _("missing"))
    if len(ids) > 1:
        return Mark(GAP, _("several owners, one is needed"), owners)
    if owners and owners[0].type == "org":
        return Mark(GAP, _("dissolved"), owners)
    return Mark(GAP, _("not an organisation"), owners)


def action_mark(project: Project, goal: Item, finding: Finding | None) -> Mark:
    if goal.status in DROPPED:
        return Mark(NONE, _("not asked (goal dropped)"))
    actions = actions_of(project, goal)
    if finding is None and actions:
        return Mark(OK, "", actions)
    cancelled = [a for a in project.linked_from("implements", goal.id) if a.type == "action"]
    if cancelled:
        return Mark(GAP, _("missing (cancelled: {count})").format(count=len(cancelled)))
    return Mark(GAP, _("missing"))


def followup_mark(project: Project, goal: Item, finding: Finding | None) -> Mark:
    if goal.status in DROPPED:
        return Mark(NONE, _("not asked (goal dropped)"))
    followups = followups_of(project, goal)
    if finding is None:
        complete = [f for f in followups if not followup_gaps(project, f)]
        return Mark(OK, "", complete or followups)
    if not followups:
        return Mark(GAP, _("missing"))
    nearest = min(followups, key=lambda f: len(followup_gaps(project, f)))
    words = _("incomplete: {what}").format(
        what=missing_list(g.render() for g in followup_gaps(project, nearest))
    )
    return Mark(PARTIAL, words, [nearest])


def decision_mark(project: Project, goal: Item) -> Mark:
    adopted = [d for d in project.linked_from("adopts", goal.id) if d.type == "decision"]
    if adopted:
        return Mark(OK, "", adopted)
    return Mark(GAP, _("missing"))


def status_words(goal: Item, adopted: bool) -> str:
    words = status_label("goal", goal.status or "active")
    if goal.due:
        words += ", " + _("target date {date}").format(date=format_date(goal.due))
    if not adopted and goal.status not in (DROPPED, "proposed"):
        words += " (" + _("no adopting decision") + ")"
    return words


def goal_marks(project: Project, goal: Item, by_rule: dict[str, Finding]) -> list[Mark]:
    """The goal's adopting decision, owner, actions and follow-up, in this order."""
    return [
        decision_mark(project, goal),
        owner_mark(project, goal, by_rule.get("goal-has-owner")),
        action_mark(project, goal, by_rule.get("goal-has-action")),
        followup_mark(project, goal, by_rule.get("goal-has-followup")),
    ]


def mark_cell(app: Sphinx, doc: str, mark: Mark, describe: bool = False) -> list[nodes.Node]:
    """A cell's content: the mark (by class; the words carry the meaning), then what
    is there, or the words for what is missing, linked to the item that lacks it."""
    out = nodes.inline(classes=["policycheck-mark", f"policycheck-{mark.state}"])
    listed: list[nodes.Node] = []
    for i, item in enumerate(mark.items):
        if i:
            listed.append(nodes.Text("; "))
        listed.append(item_ref(app, doc, item, show_id=False))
        if describe and item.type == "decision" and item.date:
            listed.append(nodes.Text(f" ({format_date(item.date)})"))
        if describe and item.type == "followup" and (item.due or item.cadence):
            when = format_date(item.due) if item.due else pgettext("cadence", item.cadence or "")
            listed.append(nodes.Text(f" ({when})"))
    if mark.state == OK or not mark.words:
        out.extend(listed)
        if mark.words:
            out += nodes.Text(f" ({mark.words})" if listed else mark.words)
    elif mark.items:
        # what is missing, linked to the item that lacks it (short rows)
        ref = item_ref(app, doc, mark.items[0], show_id=False)
        if isinstance(ref, nodes.reference):
            ref.children = []
            ref += nodes.Text(mark.words)
            out += ref
        else:
            out += nodes.Text(mark.words)
    else:
        out += nodes.Text(mark.words)
    return [out]


def glance_rows(
    app: Sphinx, doc: str, project: Project, report: Report, waived_words: bool = True
) -> list[list[Cell]]:
    found = findings_by_goal(report)
    rows: list[list[Cell]] = []
    for goal in project.of_type("goal"):
        by_rule = found.get(goal.id, {})
        marks = goal_marks(project, goal, by_rule)
        for mark, rule in zip(marks[1:], ("goal-has-owner", "goal-has-action",
                                          "goal-has-followup"), strict=True):  # fmt: skip
            finding = by_rule.get(rule)
            if waived_words and finding is not None and finding.waived:
                mark.words += f" ({_waiver(report, goal, finding)})"
        status = status_words(goal, adopted=marks[0].state == OK)
        title = item_ref(app, doc, goal, show_id=False)
        status_line = nodes.inline("", status, classes=["policycheck-status"])
        rows.append(
            [
                [title, nodes.raw("", "<br>", format="html"), nodes.Text(" "), status_line],
                *(mark_cell(app, doc, m, describe=True) for m in marks),
            ]
        )
    return rows


GLANCE_HEADERS = (N_("Goal and its status"), N_("Adopted by"), N_("Owner"), N_("Actions"),
                  N_("Follow-up"))  # fmt: skip


def glance_view(app: Sphinx, doc: str, project: Project, report: Report) -> list[nodes.Node]:
    goals = project.of_type("goal")
    complete = report.summary.goals_complete
    intro = nodes.paragraph(
        "",
        _(
            "Checked on {date}: {complete} of {goals} goals have everything the plan "
            "asks for (an owner, an action and a follow-up)."
        ).format(date=format_date(report.today), complete=complete, goals=len(goals)),
        classes=["policycheck-checked"],
    )
    if not goals:
        return [intro, nodes.paragraph("", _("None."))]
    rows = glance_rows(app, doc, project, report)
    headers = [_(h) for h in GLANCE_HEADERS]
    return [intro, table(headers, rows, ["policycheck-sortable", "policycheck-glance"])]
