"""No e-mail addresses or phone numbers in published content (GDPR data minimisation)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from policycheck.model import Item, Project
from policycheck.rules import Context, RawFinding, rule

# E-mail, also the obfuscated forms city pages use: name(at)hel.fi, name(a)hel.fi,
# name[at]hel.fi. "name at hel dot fi" is left alone (too many false positives).
EMAIL = re.compile(
    r"[\w.+-]+\s?(?:@|\((?:at|a|ät)\)|\[(?:at|a)\]|\{at\})\s?[\w-]+"
    r"(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w-]+)+",
    re.IGNORECASE,
)
# Finnish phone numbers. Each form has a telltale start (+358, a 0 area or mobile
# prefix, Helsinki's 310 exchange) so that diary numbers (HEL 2017-010458), dates,
# § numbers and ids do not match; or a label ("puh.", "tel.") before the digits.
_SEP = r"[\s\-]?"
PHONE = re.compile(
    r"(?:\+358" + _SEP + r"\(?0?\)?" + _SEP + r"\d{1,3}(?:" + _SEP + r"\d){4,9}"  # +358 40 123 4567
    r"|\(?0[1-9]\d?\)?" + _SEP + r"\d{2,4}(?:" + _SEP + r"\d){3,6}"  # 040 123 4567, (09) 310 1234
    r"|310" + _SEP + r"\d{4,5}"  # Helsinki: 310 23116
    r")(?!\d)"
)
LABELLED_PHONE = re.compile(
    r"(?:puh(?:elin)?|tel(?:ephone|efon)?|phone|gsm|mob(?:ile)?)\.?\s*:?\s*\+?\d[\d\s\-()]{5,}\d",
    re.IGNORECASE,
)
# Spans that look like phone numbers but are dates or diary numbers.
_NOT_PHONE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|[A-Z]{2,4}[ -]\d{4}-\d{6}")

# The full patterns are slow to try at every character, so each check first finds
# its cheap marker (an "@", or seven digits and separators) and only looks closer
# there: the rule stays fast on 100,000-item exports.
_EMAIL_MARK = re.compile(r"@|[(\[{](?:at|a|ät|AT|A|ÄT)[)\]}]")
_DIGIT_RUN = re.compile(r"[0-9][0-9\s\-()]{5,}[0-9]")
_WINDOW = 80


def _has_email(text: str) -> bool:
    for mark in _EMAIL_MARK.finditer(text):
        window = text[max(0, mark.start() - _WINDOW) : mark.end() + _WINDOW]
        if EMAIL.search(window):
            return True
    return False


def _has_phone(text: str) -> bool:
    if not _DIGIT_RUN.search(text):
        return False
    masked = _NOT_PHONE.sub(lambda m: "#" * len(m.group()), text)
    for run in _DIGIT_RUN.finditer(masked):
        # one character back: a leading "+" or "(" belongs to the number
        for number in PHONE.finditer(masked, max(run.start() - 1, 0), run.end()):
            before = masked[number.start() - 1] if number.start() else " "
            if not (before.isalnum() or before in "_-./"):  # else: inside an id or a number
                return True
    return bool(LABELLED_PHONE.search(masked))


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data found in ``text`` (``e-mail address``, ``phone number``)."""
    kinds = []
    if _has_email(text):
        kinds.append("e-mail address")
    if _has_phone(text):
        kinds.append("phone number")
    return kinds


def _published_texts(item: Item) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name in ("title", "content", "source", "indicator", "waive")
        if (value := getattr(item, name))
    ]


@rule(
    name="personal-data",
    code="PC401",
    severity="error",
    title="No personal data",
    summary="No e-mail address or phone number in published item content.",
    rationale="""
The register is public. Data minimisation (GDPR art. 5) means roles and units,
never officials' e-mail addresses or phone numbers, which city pages often carry
(also obfuscated, with `(at)` or `(a)` in place of the `@`). Diary numbers,
dates and § numbers are not mistaken for phone numbers.
""",
    bad="""```{org} Competitiveness unit
:id: O_UNIT

Contact: firstname.lastname(at)hel.fi, tel. 09 310 12345
```""",
    good="""```{org} Competitiveness unit
:id: O_UNIT

Contact: the city's registry office.
```""",
)
def personal_data(project: Project, ctx: Context) -> Iterator[RawFinding]:
    for item in project.items.values():
        joined = f"{item.title}\n{item.content}\n{item.source}\n{item.indicator}\n{item.waive}"
        email_marks = "@" in joined or "(" in joined or "[" in joined or "{" in joined
        if not (email_marks or _DIGIT_RUN.search(joined)):
            continue  # the common case, decided with the fastest scans there are
        for name, text in _published_texts(item):
            kinds = find_personal_data(text)
            if kinds:
                yield RawFinding(item.id, f"{item.id} has {' and '.join(kinds)} in its {name}")
