"""No e-mail addresses or phone numbers in published content (GDPR data minimisation)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from policycheck.model import Item, Project
from policycheck.rules import Context, RawFinding, rule

# E-mail, also the obfuscated forms city pages use: name(at)hel.fi, name(a)hel.fi,
# name[at]hel.fi, "name at hel dot fi" is left alone (too many false positives).
EMAIL = re.compile(
    r"[\w.+-]+\s?(?:@|\((?:at|a|ät)\)|\[(?:at|a)\]|\{at\})\s?[\w-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w-]+)+",
    re.IGNORECASE,
)
# Finnish phone numbers. Each alternative needs a telltale start (+358, a 0 area or
# mobile prefix, Helsinki's 310 exchange, or a "puh"/"tel" label) so that diary
# numbers (HEL 2017-010458), dates, § numbers and ids do not match.
_SEP = r"[\s\-]?"
PHONE = re.compile(
    r"(?<![\w\-./])(?:"
    r"\+358" + _SEP + r"\(?0?\)?" + _SEP + r"\d{1,3}(?:" + _SEP + r"\d){4,9}"  # +358 40 123 4567
    r"|\(?0[1-9]\d?\)?" + _SEP + r"\d{2,4}(?:" + _SEP + r"\d){3,6}"  # 040 123 4567, (09) 310 1234
    r"|310" + _SEP + r"\d{4,5}"  # Helsinki: 310 23116
    r")(?![\d])"
    r"|(?:puh(?:elin)?|tel(?:ephone|efon)?|phone|gsm|mob(?:ile)?)\.?\s*:?\s*\+?\d[\d\s\-()]{5,}\d",
    re.IGNORECASE,
)
# Spans that look like phone numbers but are dates or diary numbers.
_NOT_PHONE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|[A-Z]{2,4}[ -]\d{4}-\d{6}")


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data found in ``text`` (``e-mail address``, ``phone number``)."""
    kinds = []
    if EMAIL.search(text):
        kinds.append("e-mail address")
    masked = _NOT_PHONE.sub(lambda m: "#" * len(m.group()), text)
    if PHONE.search(masked):
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
    summary="No e-mail address or phone number in published item content.",
    rationale="""
The register is public. Data minimisation (GDPR art. 5) means roles and units,
never officials' e-mail addresses or phone numbers, which city pages often carry
(also obfuscated as `name(at)city.fi`). Diary numbers, dates and § numbers are not
mistaken for phone numbers.
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
        for name, text in _published_texts(item):
            kinds = find_personal_data(text)
            if kinds:
                yield RawFinding(item.id, f"{item.id} has {' and '.join(kinds)} in its {name}")
