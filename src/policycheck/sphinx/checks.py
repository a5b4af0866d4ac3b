"""Run the rules inside the Sphinx build.

After sphinx-needs has resolved links and back-links (``needs-before-sealing``,
which fires on every build, a no-change rebuild included), the needs become the
model, the engine runs, and each new finding is a Sphinx warning at the item's
file and line, of type ``policycheck`` and subtype the rule name: ``-W`` fails
the build and ``suppress_warnings = ["policycheck.RULE"]`` works. Known
(baselined) and waived findings are counted, not warned about.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.util import logging

from policycheck.baseline import read_baseline
from policycheck.config import PolicyConfig
from policycheck.discovery import path_prefix
from policycheck.engine import check
from policycheck.errors import PolicycheckError, one_line
from policycheck.findings import Report
from policycheck.i18n import N_, sphinx_translator
from policycheck.model import Project, item_from_mapping
from policycheck.sphinx.created import docname_of, generated_ids, not_created
from policycheck.sphinx.state import keep_results, policy_config

logger = logging.getLogger(__name__)


def today_of(app: Sphinx) -> date:
    value = app.config.policycheck_today
    if not value:
        return date.today()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        message = N_("policycheck_today: {value} is not a date (YYYY-MM-DD)")
        shown = str(sphinx_translator()(message)).format(value=repr(value))
        raise SphinxConfigError(shown) from None


def project_from_needs(needs: Mapping[str, Any], policy: PolicyConfig) -> Project:
    from policycheck.sphinx.needs_access import need_parts

    items = (item_from_mapping(*need_parts(need)) for need in needs.values())
    return Project.from_items(items, policy.roles)


def run_checks(app: Sphinx, needs: Mapping[str, Any]) -> None:
    if not app.config.policycheck_checks:
        return
    policy = policy_config(app)
    try:
        baseline = read_baseline(policy.folder(Path(app.confdir)) / policy.baseline)
    except PolicycheckError as exc:
        raise SphinxConfigError(f"policycheck: {exc.text(sphinx_translator())}") from None
    project = project_from_needs(needs, policy)
    project.not_created = not_created(app.env)
    project.generated_ids = generated_ids(app.env)
    prefix = path_prefix(Path(app.srcdir))
    report = check(project, policy, today_of(app), baseline=baseline, path_prefix=prefix)
    keep_results(app, project, report)  # for the site's views, filled when pages are written
    places = {
        (prefix + r.file, r.line): (docname_of(app.env, r), r.line) for r in project.not_created
    }
    emit_warnings(app, report, needs, places)


def _location(need: Any) -> tuple[str, int] | None:
    """Where Sphinx should place a warning about ``need`` (a sphinx-needs need, or None)."""
    return (need["docname"], need["lineno"]) if need and need.get("docname") else None


def emit_warnings(
    app: Sphinx,
    report: Report,
    needs: Mapping[str, Any],
    places: Mapping[tuple[str, int], tuple[str | None, int]] | None = None,
) -> None:
    """Each shown finding as a Sphinx warning at its item's place, or at its own
    (``places``: for findings about items that were never created)."""
    for finding in report.findings:
        if finding.waived or finding.known:
            continue
        own = (places or {}).get((finding.file, finding.line))
        location = own if own and own[0] else _location(needs.get(finding.need))
        logger.warning(
            "[%s %s] %s",
            finding.code,
            finding.rule,
            one_line(finding.message),
            type="policycheck",
            subtype=finding.rule,
            location=location,
        )
    s = report.summary
    logger.info(
        "policycheck: %d of %d goals complete, %d errors, %d warnings, %d known, %d waived",
        s.goals_complete,
        s.goals,
        s.errors,
        s.warnings,
        s.known,
        s.waived,
    )
