"""The site's interface words: English in the code, translated by the one catalogue.

Every word a reader sees goes through :func:`_` (the ``policycheck`` gettext
catalogue, in the project's ``language``; see ``policycheck.i18n``). Words whose
translation depends on what they describe (an organisation is "toiminnassa", a
goal "käynnissä") carry a gettext context (``msgctxt`` in the ``.po`` files).
"""

from __future__ import annotations

from datetime import date

from policycheck.findings import Finding
from policycheck.i18n import N_, Translate, sphinx_translator

_CONTEXT = "\x04"  # how gettext stores "msgctxt" in front of a msgid in a .mo file


def _(message: str) -> str:
    """``message`` in the project's language (English where no translation is found)."""
    return str(sphinx_translator()(message))


def pgettext(context: str, message: str) -> str:
    """``message`` as translated in ``context`` (the catalogues' ``msgctxt``)."""
    key = f"{context}{_CONTEXT}{message}"
    found = str(sphinx_translator()(key))
    return message if found == key else found


def status_label(item_type: str, status: str | None) -> str:
    """A status as its readers say it, for this type of item ('' for none)."""
    if not status:
        return ""
    from policycheck import domain

    spec = domain.VOCABULARY.type_called(item_type)
    role = spec.role if spec is not None else item_type
    found = next((s for s in spec.statuses if s.name == status), None) if spec else None
    # the table's English label is the msgid (the status's name where it has none)
    return pgettext(f"status of {role}", found.label if found is not None else status)


def type_label(item_type: str) -> str:
    """The name of an item type, in the reader's language (its plain name if unknown)."""
    from policycheck.domain import TYPES_BY_NAME

    spec = TYPES_BY_NAME.get(item_type)
    return _(spec.label) if spec is not None else item_type


def language() -> str:
    """The language of the translations in use (one of ``i18n.languages()``, English
    where the project's has no catalogue): each catalogue names its own language."""
    from policycheck.i18n import DEFAULT_LANGUAGE, languages

    code = pgettext("language code", DEFAULT_LANGUAGE)
    return code if code in languages() else DEFAULT_LANGUAGE


def format_date(value: str | None) -> str:
    """An ISO date as its readers write it (``13.11.2017`` in Finnish and Swedish, ISO
    in English); other text as is."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return value
    return day.isoformat() if language() == "en" else f"{day.day}.{day.month}.{day.year}"


# What a finding of each rule says, with the item's name as {item}.
FINDING_TEXTS = {
    "goal-has-action": N_("No action implements {item}."),
    "goal-has-owner": N_("{item} has no owner that is an existing organisation."),
    "goal-has-followup": N_("{item} has no follow-up with an owner, a schedule and an indicator."),
    "followup-overdue": N_("{item} was due and is not reported as done."),
    "decision-metadata": N_("{item} lacks a decision-maker, a date, a section or a diary number."),
    "supersession": N_("{item} replaces a later decision or one not marked as replaced."),
    "waiver-expired": N_("An exception for {item} has expired."),
    "personal-data": N_("{item} contains an e-mail address or a phone number."),
    "link-integrity": N_("{item} refers to an item that does not exist or is of the wrong type."),
    "needs-schema": N_("A field of {item} is not in the expected form."),
}


def rule_title(rule: str) -> tuple[str, str]:
    """A rule's title for readers, and its language (``en`` where only English exists):
    the catalogue's title (``Rule.title``) where it is translated."""
    from policycheck.rules import get_rule

    found = get_rule(rule)
    if found is not None and found.title:
        title = _(found.title)
        if title != found.title or language() == "en":
            return title, language()
    return (found.title if found is not None and found.title else rule), "en"


def finding_text(item_title: str, finding: Finding, translate: Translate) -> tuple[str, str]:
    """What a finding says, for readers, and its language.

    The one place that words a finding on the site: a plain sentence by the rule's
    name and the item's title, or else the rule's own message in the reader's
    language (``Finding.text``); the checker's English message is shown, marked as
    English, only when neither exists.
    """
    if finding.rule in FINDING_TEXTS:
        return _(FINDING_TEXTS[finding.rule]).format(item=item_title), language()
    text = finding.text(translate)
    if language() == "en" or text != finding.message:
        return text, language()
    return finding.message, "en"
