"""No e-mail addresses or phone numbers in published content (GDPR data minimisation).

Text is checked the way a reader sees it: every published field of an item (title,
content and every text field, custom ones included), normalised first (Unicode
NFKC, invisible "default ignorable" characters removed, HTML entities decoded,
Markdown escapes and emphasis removed). Phone numbers are found with ``phonenumbers`` (the port of
Google's libphonenumber) in the city's region (``phone_region``), so foreign
numbers in international form are found too, and dates, months, year ranges,
business ids, ISSNs, diary numbers, amounts, figures in thousands and postal codes
are not. A finding names the kind, the field and the value masked, never the value
itself.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

from policycheck.i18n import N_
from policycheck.model import Item, Project
from policycheck.rules import Context, RawFinding, finding, ignorable, nfkc, rule
from policycheck.rules.prefilter import any_marked, uncleared

EMAIL_KIND = "e-mail address"
PHONE_KIND = "phone number"

# The finding's message by the kinds found (English: "O_A has e-mail address and
# phone number in its content: ...").
_MESSAGES = {
    frozenset({EMAIL_KIND}): N_("{item} has e-mail address in its {field}: {shown}"),
    frozenset({PHONE_KIND}): N_("{item} has phone number in its {field}: {shown}"),
    frozenset({EMAIL_KIND, PHONE_KIND}): N_(
        "{item} has e-mail address and phone number in its {field}: {shown}"
    ),
}

# E-mail, also the obfuscated forms city pages use: name(at)example.org,
# name(a)example.org, name[at]example.org, name(at)example(piste)fi, a bare
# percent-encoded at sign (name%40example.org), an IP literal for the domain
# (name@[192.0.2.1]), spelled out with both words: "name at example dot org" (an
# "at" alone is prose), and "firstname.lastname at example.org" (see ``_NAME``).
# (a dot before a space and a capital ends the sentence, not the address)
_DOT = (
    r"(?:\.(?!\s(?-i:[A-ZÅÄÖ]))|\((?:dot|piste|punkt)\)|\[(?:dot|piste|punkt)\]"
    r"|\{(?:dot|piste|punkt)\})"
)
# The domain starts with a letter ("(a) 2.1", "tool@9.1.0" are no addresses); spelled
# out, it ends in a common top-level domain ("look at it dot by dot" is prose).
_TLDS = ("fi", "se", "ax", "no", "dk", "ee", "eu", "de", "uk", "com", "org", "net", "info",
         "gov", "edu", "int", "io")  # fmt: skip
_TLD = f"(?:{'|'.join(_TLDS)})"
_IP_LITERAL = r"\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9a-f:.]*[0-9a-f])\]"
# A local part that is no word of prose: it starts with a letter and holds a dot
# between two parts, an underscore, or a digit after a letter ("firstname.lastname",
# "some_one", "someone2"; not "published", "e.g.", "2.0", "follow-up", "Covid-19").
_NAME = r"(?<![\w.+-])(?=[\w+-]*(?:\.[\w+-]|_|[^\W\d_]\d))[^\W\d_][\w+-]*(?:\.[\w+-]+)*"
# A domain after a spelled "at" that a place's name is not: it starts with a small
# letter ("meet at Kamppi dot com"), unless the local part is a ``_NAME``.
_SMALL = r"(?!(?-i:[A-ZÅÄÖ]))"
# (an address starts where a word starts: tried from inside a long word too, each
# try would read to the word's end, and a word of 10,000 letters took seconds)
EMAIL = re.compile(
    r"(?<![\w.+-])(?:"
    r"[\w.+-]+\s?(?:@|%40|\((?:at|a|ät)\)|\[(?:at|a|ät)\]|\{at\})\s?[^\W\d_][\w-]*"
    rf"(?:\s?{_DOT}\s?[\w-]+)+"
    rf"|[\w.+-]+\s?@\s?{_IP_LITERAL}"
    rf"|(?:{_NAME}\s(?:at|ät)\s|[\w.+-]+\s(?:at|ät)\s{_SMALL})[^\W\d_][\w-]*"
    rf"(?:\s(?:dot|piste|punkt)\s[\w-]+)*\s(?:dot|piste|punkt)\s{_TLD}\b"
    # "at" and a domain written with dots (or "(dot)"): only after a name, never a
    # website's "www."
    rf"|{_NAME}\s(?:at|ät)\s(?!www\.)[^\W\d_][\w-]*(?:{_DOT}[\w-]+)*{_DOT}{_TLD}\b(?![/@-]|\.\w)"
    r")",
    re.IGNORECASE,
)
# A number after a label ("puh.", "tel.") is a phone number even in a form the
# library does not know (an exchange without its area code).
LABELLED_PHONE = re.compile(
    r"\b(?:puh(?:elin)?|tel(?:ephone|efon)?|phone|gsm|mob(?:ile)?)\.?\s*:?\s*"
    r"(\+?\d[\d\s\-()]{5,}\d)",
    re.IGNORECASE,
)
# Numbers that are not phone numbers, masked before the library looks.
_NOT_PHONE = re.compile(
    r"\d{4}-\d{2}-\d{2}"  # ISO date
    r"|\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b"  # 20271231
    r"|\b\d{1,2}\.\d{1,2}\.\d{4}"  # 31.12.2017
    r"|@\s?\[(?:IPv6:[0-9a-f:.]*|\d{1,3}(?:\.\d{1,3}){3})\]"  # an address's IP literal
    r"|(?-i:\b[A-ZÅÄÖ]{2,6})[ -]?\d{4}-\d{3,8}\b"  # diary numbers: HEL 2017-010458
    r"|\bISBN(?:-1[03])?:?\s*(?:97[89][ -]?)?\d{1,5}[ -]?\d{1,7}[ -]?\d{1,7}[ -]?[\dX]\b"
    r"|\b97[89]([ -])\d{1,5}\1\d{1,7}\1\d{1,7}\1\d\b"  # ISBN without its label
    r"|\b\d{1,5}/(?:19|20)\d{2}\b(?!\s?\d)"  # a statute or document: Laki 410/2015
    # a list of years: 2017 2018 2019 (not after a number's first group)
    r"|(?<!\d[ \u00a0-])\b(?:19|20)\d{2}(?:,?[ \u00a0](?:19|20)\d{2}\b)+(?![ \u00a0-]?\d)"
    r"|\b(?:grant(?:\s+agreement)?|GA|project|projekti|hanke)\s*(?:no\.?|nro|number|n:o)?"
    r"\s*:?\s*\d{6,9}\b"  # a grant's or project's number: Grant agreement 101036519
    r"|(?-i:\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,3})?\b)"  # IBAN, RF reference
    r"|\b\d{4}(?: \d{4}){3,}\b"  # a reference in groups of four: 1234 5678 9012 3456
    r"|\b(?:19|20)\d{2}\s?[/:-]\s?\d{2,8}\b"  # diary numbers: 2017/10458, 2017-010458
    r"|\b\d{7}-\d\b"  # Finnish business id (y-tunnus)
    r"|\bISSN:?\s*\d{4}-?\d{3}[\dX]\b"  # ISSN
    r"|\b\d{4}-\d{3}[\dX]\b"  # ISSN without its label
    r"|\b(?:1[89]|2\d)\d{2}\s?[-\u2010-\u2015]\s?(?:(?:1[89]|2\d)\d{2}|\d{2})\b"  # 2021-2025
    r"|\b(?:0?[1-9]|1[0-2])[/.](?:19|20)\d{2}\b(?!\s?\d)"  # a month: 09/2023, 9.2023
    r"|\((?:19|20)\d{2}\)"  # a year in brackets: 658 457 (2022)
    r"|\b(?:19|20)\d{2}(?=[ \u00a0]0\d)"  # a year before a number: 2017 040 123 4567
    r"|\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?\s?(?:€|e\b|eur|euro|milj|mrd|kr|sek|\$|£|%)"
    r"|(?:[€$£]|\b(?:EUR|SEK|NOK|DKK|USD|GBP)\b)\s?\d[\d \u00a0.,]*",  # amounts
    re.IGNORECASE,
)
# A figure in thousands (2 500 000, 1 234 567 890): groups of three digits after a
# first group that is not a trunk prefix's 0. A national phone number starts with 0
# (or a country code), so a match of this form is a figure, unless a country code
# stands before it (+358 401 234 567).
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3}){2,}")
_COUNTRY_CODE_BEFORE = re.compile(r"(?:\+|\b00)\s?\d{1,3}[ \u00a0\u202f-]?$")


def _is_figure(value: str, text: str, start: int) -> bool:
    """Whether ``value``, found at ``start`` of ``text``, is a figure in thousands
    (also in brackets: "(2 500 000)")."""
    if value.startswith("("):
        value, start = value[1:], start + 1
    return bool(_THOUSANDS.fullmatch(value.rstrip(")"))) and not _COUNTRY_CODE_BEFORE.search(
        text[max(0, start - 8) : start]
    )


# A date written straight after a number ("040 1234567 20.09.2022" without the
# space, as copied from a city page): split them.
# (a day of two digits after three: "20.09.2022" itself is not split)
_GLUED_DATE = re.compile(r"(?<=\d{3})(?=\d{2}\.\d{1,2}\.\d{4}\b)")
# What a browser draws as nothing: Unicode's default ignorable code points (zero-width
# spaces and joiners, the soft hyphen, the combining grapheme joiner, variation
# selectors, Hangul fillers, tag characters...), written as escapes (for RE2 too)
_ZERO_WIDTH_CHARS = ignorable.character_class()
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!@<>~|])")
# a backslash between digits: reStructuredText's escape of the digit (rendered as the
# digit alone: 0\40 123 4567 is 040 123 4567), a stray one in Markdown
_DIGIT_ESCAPE = re.compile(r"(?<=\d)\\(?=\d)")
_MD_EMPHASIS = re.compile(r"[*`~]+|(?<!\w)_+|_+(?!\w)")
# a tag's name ends at a space, "/" or ">": "<someone@example.org>" (an autolink) and
# "<https://example.org>" are text, not tags
_HTML_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])[^>]{0,200}>")
_INLINE = frozenset(
    (
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
        "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    )
)  # fmt: skip
_WHITE_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_DOTS = "\u00b7\u2022\u2027\u2219\u22c5"  # middle dot, bullet, hyphenation point...
_DOT_BETWEEN_DIGITS = re.compile(f"(?<=\\d)[{_DOTS}](?=\\d)")

# Cheap markers: only texts holding one are looked at closely. They are looked for
# in the text as written, so each must also match where what ``normalise`` removes
# (Markdown's escapes and emphasis: ``_MD``) stands between its parts; what it
# decodes (entities, tags, invisible and compatibility characters) marks a text by
# itself (``_HIDING``).
_MD = r"*_~`\\"
_GAP = rf"(?:\s|[{_MD}])*"


def _word(word: str) -> str:
    """``word`` also with emphasis inside it ("a*t" is rendered "at")."""
    return "[*~`]*".join(word)


_AT = "|".join(map(_word, ("at", "a", "ät")))
_EMAIL_MARK = re.compile(
    r"[@＠]|&#0*64;|&#x0*40;|&commat;"
    rf"|[(\[{{]{_GAP}(?:{_AT}){_GAP}[)\]}}]"
    # a bare percent-encoded at sign
    rf"|%[{_MD}]*4[{_MD}]*0"
    # spelled out: "at", a word, "dot" ("piste", "punkt"); or "at" and a domain with
    # dots that ends in a common top-level domain
    rf"|(?:{_word('at')}|{_word('ät')})(?:\s|[{_MD}])+(?:\S{{1,64}}?(?:\s|[{_MD}])+"
    rf"(?:{'|'.join(map(_word, ('dot', 'piste', 'punkt')))})"
    rf"|\S*?\.[{_MD}]*(?:{'|'.join(map(_word, _TLDS))})"
    # or "at" and a domain with a bracketed dot ("at example(dot)org")
    rf"|\S*?[(\[{{]{_GAP}(?:{'|'.join(map(_word, ('dot', 'piste', 'punkt')))}){_GAP}[)\]}}])",
    re.I,
)
_HIDING = re.compile(rf"&[#A-Za-z]|</?[A-Za-z!]|[{_ZERO_WIDTH_CHARS}{nfkc.character_class()}]")
# (for the pre-filter; the characters NFKC changes without case folding: with it, the
# Kelvin sign would take every "k" along)
_MARK = re.compile(f"{_EMAIL_MARK.pattern}|(?-i:{_HIDING.pattern})", re.I)
_RUN = re.compile(r"(?<![\w#])\d[\d \-./()]{5,}\d(?![\w#])")
_GROUP = re.compile(r"\d+")
# Every decimal digit (Unicode's Nd: ``str.isdecimal``), as ranges of ten from each
# script's zero, listed rather than ``\d`` (which tests every character's category,
# three times slower on plain text; tests/test_personal_data.py checks the list).
_ZEROS = (
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6,
    0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
    0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136,
    0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
    0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
)  # fmt: skip
_DIGITS = "".join(f"{chr(zero)}-{chr(zero + 9)}" for zero in _ZEROS)
# what may stand between the digits of a number: spaces (also the no-break ones),
# dashes, dots, slashes, brackets, and what ``normalise`` removes
_SEPARATORS = (
    _DOTS
    + r" \t\n\r\x0b\x0c\u00a0\u1680\u2000-\u200f\u202f\u205f\u3000\-./()\u2010-\u2015\u2212"
    + _MD
    + _ZERO_WIDTH_CHARS
)
_DIGIT_RUN = re.compile(f"[{_DIGITS}][{_DIGITS}{_SEPARATORS}]{{5,}}[{_DIGITS}]")
_SEVEN_DIGITS = _DIGIT_RUN  # a character class scan: the fastest test there is
# runs of digits that are plainly not phone numbers: dates, year ranges, case numbers
_BENIGN_RUN = re.compile(
    r"(?:19|20)\d{2}\s?[-\u2010-\u2015/:.]\s?\d{2,8}"  # 2017-2021, 2017-010458, 2017/10458
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"  # 2027-12-31
    r"|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}"  # 31.12.2017
    r"|\d{7}-\d"  # business id
)

# Fields of a need that are sphinx-needs' bookkeeping, not text a reader sees.
_NOT_PUBLISHED = frozenset(
    (
        "id", "type", "type_name", "docname", "doctype", "lineno", "lineno_content",
        "external_css", "external_url", "layout", "style", "template", "pre_template",
        "post_template", "signature", "parent_need", "sections", "section_name",
        "constraints_error", "is_external", "is_import", "is_modified", "jinja_content",
        "pre_content", "post_content",
        "status", "due", "date", "cadence",
    )
)  # fmt: skip


@dataclass(frozen=True)
class Found:
    kind: str
    masked: str


def normalise(text: str, *, keep_tags: bool = False) -> str:
    """The text as a reader sees it rendered (``keep_tags``: with its HTML tags, whose
    links are published too: ``href="mailto:…"``)."""
    import html  # (only for a text worth a look: most checks never load it)

    text = html.unescape(html.unescape(text))
    text = unicodedata.normalize("NFKC", text)
    visible = _ZERO_WIDTH.sub("", text)
    if len(visible) != len(text):  # (a mark after a removed joiner composes now)
        text = unicodedata.normalize("NFKC", visible)
    if "<!--" in text:
        text = _without_comments(text)
    if keep_tags:
        from urllib.parse import unquote  # (an address in a link: mailto:a%40b.org)

        text = unquote(text)
    else:
        # an inline element adds nothing to the text around it; any other is a block
        text = _HTML_TAG.sub(lambda m: "" if m.group(1).lower() in _INLINE else "\n\n", text)
    if "\\" in text:
        text = _DIGIT_ESCAPE.sub("", text)
        text = _MD_ESCAPE.sub(r"\1", text)
    text = _MD_EMPHASIS.sub("", text)
    text = _DOT_BETWEEN_DIGITS.sub(" ", text)  # 040·123·4567
    # A browser shows a run of white space, a line break in it too, as one space; a
    # blank line ends a paragraph: " | " there, which no number or address crosses.
    return _WHITE_SPACE.sub(_space, text.replace("\u2212", "-"))


def _space(match: re.Match[str]) -> str:
    return " | " if match.group().count("\n") > 1 else " "


def _without_comments(text: str) -> str:
    """``text`` without its HTML comments (an unclosed one runs to the end), in one
    pass (a regular expression would look for the end again from each start)."""
    parts, at = [], 0
    while (start := text.find("<!--", at)) != -1:
        parts.append(text[at:start])
        end = text.find("-->", start + 4)
        at = len(text) if end == -1 else end + 3
    parts.append(text[at:])
    return "".join(parts)


def mask_phone(value: str) -> str:
    """``040 123 4567`` → ``040 *** **67``: the first three and last two digits."""
    digits = sum(c.isdigit() for c in value)
    seen, out = 0, []
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= 3 or seen > digits - 2 else "*")
        else:
            out.append(ch)
    return "".join(out).strip()


def mask_email(value: str) -> str:
    """``someone@example.org`` → ``s***@example.org``: the domain names the unit,
    the local part the person."""
    match = re.match(
        r"([\w.+-]+)(\s?(?:@|%40|\(\w+\)|\[\w+\]|\{\w+\})\s?|\s(?:at|ät)\s)(.*)",
        value,
        re.S | re.I,
    )
    if not match:
        return "***"
    local, at, domain = match.groups()
    at = at.strip()
    return f"{local[:1]}***{f' {at} ' if at.isalpha() else at}{domain}"


def _emails(text: str) -> Iterator[Found]:
    for match in EMAIL.finditer(text):
        yield Found(EMAIL_KIND, mask_email(match.group()))


def _phones(text: str, region: str) -> Iterator[Found]:
    # imported when a text first holds a phone-like run (most checks never need it,
    # and its metadata is a fifth of the command line's start-up)
    import phonenumbers

    text = _GLUED_DATE.sub(" ", text)
    masked = _NOT_PHONE.sub(lambda m: "#" * len(m.group()), text)
    spans: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(masked, region, phonenumbers.Leniency.VALID):
        before = masked[match.start - 1] if match.start else " "
        if before.isalnum() or before in "_#":  # inside an id or a masked number
            continue
        if _is_figure(match.raw_string, masked, match.start):
            continue
        spans.append((match.start, match.end))
        yield Found(PHONE_KIND, mask_phone(match.raw_string))
    for start, end, value in _numbers_inside_runs(masked, region, spans):
        spans.append((start, end))
        yield Found(PHONE_KIND, mask_phone(value))
    for label in LABELLED_PHONE.finditer(masked):
        start, end = label.span(1)
        if not any(s < end and start < e for s, e in spans):
            yield Found(PHONE_KIND, mask_phone(label.group(1)))


def _numbers_inside_runs(
    text: str, region: str, taken: list[tuple[int, int]]
) -> Iterator[tuple[int, int, str]]:
    """Valid numbers inside a longer run of digit groups that the matcher read as
    one invalid number ("room 12 040 123 4567"): the longest valid stretch of
    whole groups, from each group on."""
    import phonenumbers

    for run in _RUN.finditer(text):
        if any(s < run.end() and run.start() < e for s, e in taken):
            continue
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):
                start, end = groups[i].start(), groups[j - 1].end()
                if start and text[start - 1] in "+(":
                    start -= 1
                candidate = text[start:end]
                # (as many digits as a run needs to be looked at: ``_candidate_run``)
                if sum(c.isdigit() for c in candidate) < 7:
                    break
                if _is_figure(candidate, text, start):
                    continue
                try:
                    number = phonenumbers.parse(candidate, region)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number):
                    yield start, end, candidate
                    i = j - 1
                    break
            i += 1


def _phone_candidate(text: str) -> bool:
    """Whether ``text`` holds a run of seven or more digits that is not plainly a
    date, a year range or a case number: the cheap test before the library."""
    return any(_candidate_run(run.group()) for run in _DIGIT_RUN.finditer(text))


def _candidate_run(value: str) -> bool:
    """Whether a run of ``_DIGIT_RUN`` could be a phone number."""
    return sum(c.isdigit() for c in value) >= 7 and not _BENIGN_RUN.fullmatch(value)


def worth_a_look(text: str) -> bool:
    """The cheap markers, looked for in ``text`` as written: an e-mail marker (an ``@``
    in any form, ``%40``, ``(at)``, "at … dot", "at … .org"), a phone-like run of
    digits, or anything ``normalise`` decodes (entities, tags, invisible or
    compatibility characters), which could hide either. Whatever ``find_in_text``
    finds in a text, this finds a marker in it (tests/test_fast_paths_scan.py)."""
    if _EMAIL_MARK.search(text) or _HIDING.search(text):
        return True
    return _SEVEN_DIGITS.search(text) is not None and _phone_candidate(text)


def find_in_text(text: str, region: str = "FI") -> list[Found]:
    """Personal data in ``text`` as a reader sees it (``normalise``), masked, in
    order: e-mail addresses, then phone numbers."""
    clean = normalise(text)
    found = _found_in(clean, region, emails=_EMAIL_MARK.search(clean) is not None)
    if "<" in text:  # a link's address (mailto:, tel:), which the rendered text hides
        from urllib.parse import unquote  # (read decoded there: a%40b.org is a@b.org)

        tagged = _found_in(normalise(text, keep_tags=True), region, emails=True)
        seen = [Found(f.kind, unquote(f.masked)) for f in found]
        found += [f for f in tagged if f not in seen]
    return found


def _found_in(text: str, region: str, *, emails: bool) -> list[Found]:
    """In a normalised ``text``: its e-mail addresses (when ``emails``), then its phone
    numbers (when it holds a candidate run of digits)."""
    found = [*_emails(text)] if emails else []
    if _SEVEN_DIGITS.search(text) is not None and _phone_candidate(text):
        found += _phones(text, region)
    return found


def shown(value: str, region: str = "FI") -> str:
    """``value`` as another rule's message quotes it (``repr``), or, when it holds
    personal data, only its masked parts: no finding prints what this rule hides
    (a phone number in ``status`` or ``as_of`` is invalid there, and was shown)."""
    found = find_in_text(value, region) if worth_a_look(value) else []
    return repr(", ".join(f.masked for f in found) if found else value)


def find_personal_data(text: str, region: str = "FI") -> list[str]:
    """Kinds of personal data found in ``text`` (``e-mail address``, ``phone number``)."""
    kinds = {f.kind for f in find_in_text(text, region)}
    return [k for k in (EMAIL_KIND, PHONE_KIND) if k in kinds]


_FIELDS = ("title", "content", "section", "diary", "source", "indicator", "waive")
_fixed_fields = operator.attrgetter(*_FIELDS)


def published_texts(item: Item) -> list[tuple[str, str]]:
    """Every text field of an item a reader sees, by name: title, content, the
    item's text fields, its tags and any custom field of the project."""
    pairs = zip(_FIELDS, _fixed_fields(item), strict=True)
    found = [(name, value) for name, value in pairs if value]
    if item.tags:
        found.append(("tags", ", ".join(item.tags)))
    for name, value in sorted(item.texts.items()):
        if value and name not in _NOT_PUBLISHED:
            found.append((name, value))
    return found


@rule(
    name="personal-data",
    code="PC401",
    severity="error",
    title=N_("No personal data"),
    summary=N_("No e-mail address or phone number in any published field of an item."),
    rationale=N_(
        "The register is public. Data minimisation (GDPR art. 5) means roles and units, "
        "never officials' e-mail addresses or phone numbers, which city pages often carry, "
        "also obfuscated (`(at)`, HTML entities, full-width characters, Markdown emphasis). "
        "Every published field is checked as a reader sees it; phone numbers are found "
        "with libphonenumber in the city's region (`phone_region`), foreign ones included, "
        "while dates, months, year ranges, business ids, ISSNs, diary numbers, amounts, "
        "figures in thousands (2 500 000) and postal codes are not taken for phone numbers. "
        "The finding shows the value masked."
    ),
    bad="""```{org} Competitiveness unit
:id: O_UNIT

Contact: someone(at)example.org, tel. 040 000 0000
```""",
    good="""```{org} Competitiveness unit
:id: O_UNIT

Contact: the city's registry office.
```""",
)
def personal_data(project: Project, ctx: Context) -> Iterator[RawFinding]:
    region = ctx.config.phone_region
    for item in items_worth_a_look(list(project.items.values())):
        yield from _item_findings(item, region)


def _item_findings(item: Item, region: str) -> Iterator[RawFinding]:
    """The definition, on one item."""
    joined = "\n".join(filter(None, _fixed_fields(item)))
    if item.tags:
        joined += "\n" + ", ".join(item.tags)
    if item.texts:
        joined += "\n" + "\n".join(item.texts.values())
    if not worth_a_look(joined):
        return  # the common case, decided with two scans of the item's text
    for name, text in published_texts(item):
        found = find_in_text(text, region)
        if not found:
            continue
        kinds = frozenset(f.kind for f in found)
        yield finding(
            item.id,
            _MESSAGES[kinds],
            evidence=f"{name}\0" + "\0".join(sorted(f.masked for f in found)),
            item=item.id,
            field=name,
            shown=", ".join(f.masked for f in found),
        )


# Items whose texts are scanned at once. A block's joined text and its UTF-8 copy
# are made and freed once per block: at 16,384 items (about 4 MB each) the C
# allocator handed them back to the system after every block and the next block
# took a page fault per 4 kB again (8,000 on 100,000 items); a quarter of a MB is
# reused, and the scan is as fast.
_BLOCK = 1024
_CHUNK = 256  # items scanned together again when their block has a marker
_texts = operator.attrgetter("texts")
_tags = operator.attrgetter("tags")


def _marked(items: Sequence[Item]) -> bool | None:
    """Whether some text of ``items`` holds a marker ``find_in_text`` looks for first
    (None: cannot tell). No marker in any text: it finds nothing in any of them."""
    texts = chain(
        filter(None, chain.from_iterable(map(_fixed_fields, items))),
        # (few items have other text fields, or tags)
        chain.from_iterable(map(dict.values, filter(None, map(_texts, items)))),
        # (each distinct list of tags once: they come from a small vocabulary)
        map(", ".join, set(filter(None, map(_tags, items)))),
    )
    return any_marked(texts, _MARK, _DIGIT_RUN, _candidate_run)


def items_worth_a_look(items: list[Item]) -> Iterator[Item]:
    """The items, in order, whose texts may hold personal data: all but those in
    groups of items whose texts hold no marker at all (scanned in blocks, so the
    joined text stays small)."""
    return uncleared(items, lambda group: _marked(group) is False, (_BLOCK, _CHUNK))
