"""Links to where things come from and to what they mean: a decision's diary number
to the public decision register, a rule's name to its explanation."""

from __future__ import annotations

from urllib.parse import quote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri

from policycheck.sphinx.labels import rule_title
from policycheck.sphinx.tables import Cell, foreign_inline

RULE_LABEL = "policycheck-rule-{name}"


def diary_url(app: Sphinx, diary: str) -> str:
    """The public register's page for a diary number, from ``policycheck_diary_url``
    (``{diary}``: the number as written; ``{slug}``: lower case, spaces as ``-``)."""
    template = str(app.config.policycheck_diary_url or "")
    if not template or not diary.strip():
        return ""
    slug = "-".join(diary.strip().lower().split())
    return template.format(diary=quote(diary.strip()), slug=quote(slug))


def diary_cell(app: Sphinx, diary: str | None) -> Cell:
    if not diary:
        return ""
    url = diary_url(app, diary)
    if not url.startswith(("https://", "http://")):
        return diary
    return nodes.reference("", diary, refuri=url)


def note_rule_target(app: Sphinx, docname: str, rule: str, node_id: str, title: str) -> None:
    """Record where a rule is explained, for :func:`rule_link` on any page."""
    std = app.env.domains.standard_domain
    std.note_hyperlink_target(RULE_LABEL.format(name=rule), docname, node_id, title)


def rule_link(app: Sphinx, doc: str, rule: str) -> nodes.Node:
    """The rule's title for readers, linked to its explanation where the site has one."""
    title, lang = rule_title(rule)
    target = app.env.domains.standard_domain.labels.get(RULE_LABEL.format(name=rule))
    node: nodes.Element
    if target is None:
        node = nodes.inline("", title)
    else:
        try:
            uri = app.builder.get_relative_uri(doc, target[0])
        except NoUri:
            uri = None
        node = (
            nodes.reference("", title, internal=True, refuri=f"{uri}#{target[1]}")
            if uri is not None
            else nodes.inline("", title)
        )
    if lang == "en" and title == rule:
        wrapper = foreign_inline(lang="en")
        wrapper += node
        return wrapper
    return node
