"""The site's user-interface words, in Finnish and English (by Sphinx's ``language``)."""

from __future__ import annotations

from typing import Protocol

from sphinx.application import Sphinx
from sphinx.config import Config

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "section": "§",
        "date": "Date",
        "body": "Decided by",
        "diary": "Diary number",
        "decision": "Decision",
        "status": "Status",
        "supersedes": "Supersedes",
        "superseded_by": "Superseded by",
        "goal": "Goal",
        "adopted_by": "Adopted by",
        "owner": "Owner",
        "actions": "Actions",
        "action": "Action",
        "due": "Due",
        "followups": "Follow-ups",
        "followup": "Follow-up",
        "cadence": "Due or cadence",
        "indicator": "Indicator",
        "verdict": "Checker's verdict",
        "complete": "complete",
        "missing": "missing",
        "known": "known gap",
        "waived_until": "waived until {until}",
        "not_asked": "asks for nothing (dropped)",
        "none": "none",
        "goals_complete": "Goals complete",
        "errors": "New errors",
        "warnings": "New warnings",
        "known_gaps": "Known gaps",
        "waived": "Waived",
        "by_rule": "Findings by rule",
        "rule": "Rule",
        "count": "Findings",
        "overdue": "Overdue follow-ups",
        "expiring": "Waivers expiring within {days} days",
        "item": "Item",
        "until": "Until",
        "reason": "Reason",
        "owns": "Owns",
        "follows_up": "Must follow up",
        "org": "Organisation",
        "type": "Type",
        "filter": "Filter the table",
        "no_items": "None.",
        "file": "File",
        "message": "Finding",
        "state": "State",
        "new": "new",
        "no_findings": "No findings.",
        "findings_summary": "{complete} of {goals} goals complete; {errors} errors, "
        "{warnings} warnings, {known} known gaps, {waived} waived.",
        "severity": "Default severity",
        "fails": "Fails",
        "passes": "Passes",
    },
    "fi": {
        "section": "§",
        "date": "Päivämäärä",
        "body": "Päättäjä",
        "diary": "Diaarinumero",
        "decision": "Päätös",
        "status": "Tila",
        "supersedes": "Korvaa",
        "superseded_by": "Korvattu päätöksellä",
        "goal": "Tavoite",
        "adopted_by": "Hyväksytty päätöksellä",
        "owner": "Vastuutaho",
        "actions": "Toimenpiteet",
        "action": "Toimenpide",
        "due": "Määräaika",
        "followups": "Seuranta",
        "followup": "Seuranta",
        "cadence": "Määräaika tai toistuvuus",
        "indicator": "Mittari",
        "verdict": "Tarkistuksen tulos",
        "complete": "täydellinen",
        "missing": "puuttuu",
        "known": "tunnettu puute",
        "waived_until": "poikkeus voimassa {until} asti",
        "not_asked": "ei vaatimuksia (tavoitteesta luovuttu)",
        "none": "ei ole",
        "goals_complete": "Täydelliset tavoitteet",
        "errors": "Uudet virheet",
        "warnings": "Uudet varoitukset",
        "known_gaps": "Tunnetut puutteet",
        "waived": "Poikkeukset",
        "by_rule": "Havainnot säännöittäin",
        "rule": "Sääntö",
        "count": "Havaintoja",
        "overdue": "Myöhässä olevat seurannat",
        "expiring": "Poikkeukset, jotka päättyvät {days} päivän kuluessa",
        "item": "Kohta",
        "until": "Päättyy",
        "reason": "Peruste",
        "owns": "Vastuulla",
        "follows_up": "Seurattavana",
        "org": "Toimija",
        "type": "Tyyppi",
        "filter": "Suodata taulukkoa",
        "no_items": "Ei yhtään.",
        "file": "Tiedosto",
        "message": "Havainto",
        "state": "Tila",
        "new": "uusi",
        "no_findings": "Ei havaintoja.",
        "findings_summary": "{complete}/{goals} tavoitetta täydellisiä; {errors} virhettä, "
        "{warnings} varoitusta, {known} tunnettua puutetta, {waived} poikkeusta.",
        "severity": "Oletusvakavuus",
        "fails": "Ei läpäise",
        "passes": "Läpäisee",
    },
}


class _Configured(Protocol):
    """The Sphinx application or a directive: anything with the project's config."""

    @property
    def config(self) -> Config: ...


def is_finnish(app: _Configured) -> bool:
    return str(app.config.language or "").startswith("fi")


def labels(app: _Configured) -> dict[str, str]:
    return LABELS["fi" if is_finnish(app) else "en"]


def status_label(app: Sphinx, status: str | None, item_type: str = "") -> str:
    """A status in the project's language (the vocabulary's label, translated)."""
    if not status:
        return ""
    from policycheck.i18n import sphinx_translator
    from policycheck.sphinx.state import vocabulary_of

    vocab = vocabulary_of(app)
    return str(sphinx_translator()(vocab.status_label(item_type, status)))


def type_label(app: Sphinx, item_type: str) -> str:
    """An item type's name in the project's language (its own name if not policycheck's)."""
    from policycheck.i18n import sphinx_translator
    from policycheck.sphinx.state import vocabulary_of

    spec = vocabulary_of(app).type_named(item_type)
    return str(sphinx_translator()(spec.label)) if spec else item_type
