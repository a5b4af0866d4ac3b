"""Personal data: e-mail addresses and phone numbers as a reader sees them, without
false alarms. Every address and number here is invented."""

from __future__ import annotations

import sys

import pytest

from policycheck.rules import personal_data as pd
from policycheck.rules.personal_data import find_personal_data


@pytest.mark.parametrize(
    "text",
    [
        "firstname.lastname@example.org",
        "some.one-else(at)example.org",
        "someone(a)example.org",
        "etunimi.sukunimi[at]example.org",
        "someone @ example.org",
        # as a reader sees them rendered
        "someone＠example.org",
        "someone&#64;example.org",
        "someone&commat;example.org",
        r"some\_one\@example.org",
        "some*one*@example.org",
        "some\u200bone@example.org",
        # found in the third new-user trial: an autolink, a link's address, spelled out
        "<someone@example.org>",
        '<a href="mailto:someone@example.org">the unit</a>',
        "[the unit](mailto:someone@example.org)",
        "someone at example dot org",
        "etunimi.sukunimi(at)example(piste)fi",
        "someone[at]example[dot]org",
        # fourth trial: hidden by a comment, empty tags, spaces, a link's encoding
        "someone<!-- x -->@example.org",
        "someone<b></b>@<b></b>example.org",
        "someone  @  example.org",
        '<a href="mailto:someone%40example.org">the unit</a>',
        "someone{at}example{dot}org",
        "someone[ät]example.se",
        # invisible ("default ignorable") characters inside: a grapheme joiner, a tag
        # character, variation selectors
        "someone@exam\u034fple.org",
        "someone@exa\U000e0041mple.org",
        "someone@example\ufe0f.org",
        "someone\U000e0100@example.org",
        # an IP literal for the domain, a bare percent-encoded at sign
        "someone@[192.0.2.1]",
        "someone@[IPv6:2001:db8::1]",
        "someone%40example.org",
        "SOME.ONE%40EXAMPLE.ORG",
        # "at" and a dotted domain after a local part no word of prose is
        "firstname.lastname at example.org",
        "firstname.lastname at example(dot)org",
        "some_one at example[piste]fi",
        "etunimi.sukunimi ät example.fi",
        "some_one at example.org",
        "someone2 AT example.com",
        "some.one at mail.example.se",
    ],
)
def test_email_addresses_are_found(text: str) -> None:
    assert "e-mail address" in find_personal_data(f"Contact: {text}.")


@pytest.mark.parametrize(
    "text",
    [
        "040 123 4567",
        "0401234567",
        "050-123 4567",
        "+358 40 123 4567",
        "+358401234567",
        "(09) 310 1234",
        "09 310 00000",
        "puhelin: 310 00000",
        "puh. 310 12345",
        "tel. +358 9 310 1234",
        "soita 040 000 000020.09.2022",  # number glued to a date, as on a city page
        "huone 12 040 123 4567",
        # foreign numbers and the forms a reader sees rendered
        "+46 8 123 456 78",
        "+44 20 7946 0958",
        "**040** 000 0000",
        "040\u200b 000 0000",
        "０４０ ０００ ００００",  # full-width digits
        "040.000.0000",
        "040/000 0000",
        "040\u2013000 0000",
        "puh. 09 000 0000",
        # a number beside a month or a year in brackets is still found
        "09/2023 4567",
        "040 123 4567 (2022)",
        "(2022) 040 123 4567",
        # three-digit groups after a country code are a number to call, not a figure
        "+358 401 234 567",
        "00358 401 234 567",
        "+358 9 310 123",
        "huone 12 040 123 456",
        "040 123 456 789",
        # as written in HTML or typed with a narrow no-break space, in other digits
        "040&#160;123&#160;4567",
        "040&nbsp;123&nbsp;4567",
        "040&#8239;123&#8239;4567",
        "040\u202f123\u202f4567",
        "\u0660\u0664\u0660 \u0661\u0662\u0663 \u0664\u0665\u0666\u0667",
        "040 *123* 4567",
        # fourth trial: wrapped onto the next line, tabs, a comment, a tel: link
        "Call 040\n123 4567 on weekdays",
        "040\t123\t4567",
        "040<!-- -->123<!-- -->4567",
        '<a href="tel:+358401234567">Call us</a>',
        # a list of years does not hide a number that ends in years
        "040 2017 2018",
        "040\u00b7123\u00b74567",
        "040\u2022123\u20224567",
        # invisible ("default ignorable") characters between the digits
        "040\u034f123 4567",
        "04\U000e00300 123 4567",
        "040\ufe00123\ufe0f4567",
        "040\U000e01ef123 4567",
        "040\u115f123\u11604567",
        "040\u3164123\uffa04567",
        "040\u180b123\u180f4567",
        "040 \u2065123 4567",
        "040\U0001bca0123\U0001bca34567",
    ],
)
def test_phone_numbers_are_found(text: str) -> None:
    assert "phone number" in find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "HEL 2017-010458",
        "HEL-2017-010458",
        "HEL 2017-040458",
        "§ 11",
        "T 04 00 00",
        "2017-12-31",
        "31.12.2017",
        "1.10.2005",
        "G_040_123_4567",
        "kaupunkistrategia 2017–2021",
        "ECHA työllistää noin 600 asiantuntijaa",
        "MAL-sopimuksessa vuosille 2016–2019",
        "14 kunnan yhteistyö, 6 ja 10 suurinta kaupunkia",
        "Hallintosäännön 8 luvun 2 §",
        "https://www.example.org/fi/paatoksenteko-ja-hallinto",
        # plan text that only looks like a number to call
        "Y-tunnus 0201256-6",
        "ISSN 1234-5678",
        "ISSN 2242-3850 (verkkojulkaisu)",
        "vuosina 2021-2025",
        "vuosina 2021–2025",
        "HEL 2017-010458",
        "ABC 2020-123456",
        "12 345 678 euroa",
        "1 200 000 €",
        "€ 4 500 000",
        "00100 Helsinki",
        "FI-00100 Helsinki",
        "2017-11-13",
        "13.11.2017",
        # a figure with its year, and a month (found in a new-user trial)
        "väkiluku 658 457 (2022)",
        "population 658 457 (2022)",
        "kartta 09/2023 (2 MB)",
        "päivitetty 9.2023 (3 sivua)",
        "asukkaita 2 500 000 (2022)",
        "matkailijoita 4 200 000 (2019).",
        "budjetti 1 234 567 890",
        "figures in thousands (2 500 000) and postal codes",
        "ISBN 978-952-331-123-4",
        "ISBN-13: 978-952-331-123-4",
        "julkaisu 978-952-331-123-4",
        "We meet at noon; the dot on the map is the venue.",
        # a blank line, or a block element, ends a paragraph: nothing crosses it
        "vuosi 2017\n\n040 kpl",
        "<p>2017</p><p>040</p>",
        # fourth trial: statutes and documents, lists of years, grants, accounts
        "Kuntalaki (410/2015)",
        "päivitetty 20271231",
        "Laki 410/2015",
        "Act 1326/2010",
        "Document 102/2022 of the board",
        "vuosina 2017 2018 2019",
        "Targets 2025 2030 2035",
        "ajalla 2020 2022",
        "Residents 2020 2021 2022: 656 920",
        "Grant agreement 101036519",
        "Project 101000001",
        "Budget EUR 2500000",
        "IBAN FI21 1234 5600 0007 85",
        "RF18 5390 0754 7034",
        "Reference number 1234 5678 9012 3456",
        "978 952 331 123 4",
        # ... and what only looked like an address
        "Paragraphs (a) 2.1 and (b) 2.2",
        "See item (a) 3.4.",
        "[a] 1.2",
        "look at Kalasatama dot by dot",
        "sphinx-needs@9.1.0",
        # "at" in prose: a word of prose before it, a place's name after it
        "published at example.org",
        "meet at Kamppi dot com",
        "Read the follow-up at example.org",
        "Information on Covid-19 at example.org",
        "Details, e.g. at example.org",
        "Version 2.0 at example.org",
        "Find our e-services at www.example.org",
        "The minutes.pdf at www.example.org",
        "report_2023.pdf at example.org/reports",
        "https://example.org/?q=%40example",
    ],
)
def test_ids_dates_and_numbers_are_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Ring 0771-123 456", "SE"),  # a word before it is no case number's prefix
        ("Call 07911 123456", "GB"),
    ],
)
def test_numbers_of_other_regions_are_found(text: str, region: str) -> None:
    assert find_personal_data(text, region) == ["phone number"]


def test_every_decimal_digit_is_a_digit_of_a_run() -> None:
    """``_DIGITS`` lists Unicode's decimal digits (Nd) as ranges from each zero."""
    listed = {chr(zero + n) for zero in pd._ZEROS for n in range(10)}
    decimal = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isdecimal()}
    assert listed == decimal


def test_a_masked_address_spelled_out_keeps_its_words() -> None:
    found = pd.find_in_text("write to someone at example dot org")
    assert [f.masked for f in found] == ["s*** at example dot org"]


def _changed_by_nfkc() -> list[tuple[int, int]]:
    """What ``nfkc.CHANGED_BY_NFKC`` lists, computed from ``unicodedata``: quick check
    "No" (the character alone is changed) or "Maybe" (it may compose with the one
    before: the second of a canonical pair, and Hangul's vowels and finals)."""
    import unicodedata

    changed = {
        c for c in range(sys.maxunicode + 1) if not unicodedata.is_normalized("NFKC", chr(c))
    }
    for c in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(c)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            changed.add(int(parts[1], 16))
    changed |= set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    ranges: list[tuple[int, int]] = []
    for c in sorted(changed):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return ranges


def test_the_characters_nfkc_changes_are_listed() -> None:
    from policycheck.rules import nfkc

    assert list(nfkc.CHANGED_BY_NFKC) == _changed_by_nfkc()


def test_the_default_ignorable_characters_are_listed() -> None:
    """``ignorable.DEFAULT_IGNORABLE`` is Unicode's Default_Ignorable_Code_Point, as
    Perl's Unicode database (of the same Unicode version) lists it."""
    import shutil
    import subprocess
    import unicodedata

    from policycheck.rules import ignorable

    perl = shutil.which("perl")
    if perl is None:
        pytest.skip("no perl")
    script = (
        "use Unicode::UCD qw(prop_invlist); print Unicode::UCD::UnicodeVersion(), qq(\\n);"
        "print join(q( ), prop_invlist(q(Default_Ignorable_Code_Point))), qq(\\n);"
    )
    done = subprocess.run([perl, "-e", script], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip("no Unicode::UCD")
    version, inversion = done.stdout.splitlines()
    if version != unicodedata.unidata_version:
        pytest.skip(f"Perl's Unicode {version}, Python's {unicodedata.unidata_version}")
    bounds = [int(n) for n in inversion.split()]
    assert list(ignorable.DEFAULT_IGNORABLE) == [
        (start, end - 1) for start, end in zip(bounds[::2], bounds[1::2], strict=True)
    ]


def test_the_default_ignorable_list_holds_what_the_property_derives_from() -> None:
    """A check without Perl: the property is every format character (Cf) but the
    prepended concatenation marks, FFF9..FFFB and the Egyptian hieroglyph format
    controls, every variation selector, and a few listed others; a space, a visible
    sign or a letter is not in it."""
    import unicodedata

    from policycheck.rules import ignorable

    listed = {c for start, end in ignorable.DEFAULT_IGNORABLE for c in range(start, end + 1)}
    not_ignorable = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891,
                     0x8E2, 0x110BD, 0x110CD, 0xFFF9, 0xFFFA, 0xFFFB, *range(0x13430, 0x13439)}  # fmt: skip
    formats = {
        c
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" and c not in not_ignorable
    }
    selectors = {*range(0x180B, 0x180E), 0x180F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
    others = {0x34F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x2065, *range(0xFFF0, 0xFFF9)}
    assert formats | selectors | others <= listed
    assert not listed & {0x20, 0xA0, 0x2010, 0x2070, 0x34E, 0x350, 0x41, 0x1161, 0xFFF9}
    assert not listed & not_ignorable


@pytest.mark.parametrize(
    "char", ["\u034f", "\U000e0041", "\ufe0f", "\U000e0100", "\u3164", "\u2065"]
)
def test_an_invisible_character_marks_a_text_and_is_not_read(char: str) -> None:
    assert pd._HIDING.search(f"x{char}y") and pd._MARK.search(f"x{char}y")
    assert pd.normalise(f"some{char}one") == "someone"


@pytest.mark.parametrize("text", ["\u2460\u2463\u2460 123 4567", "040\u2026", "\u212a", "a\u0308"])
def test_a_character_nfkc_changes_marks_a_text(text: str) -> None:
    assert pd._HIDING.search(text) and pd._MARK.search(text)


def test_no_letter_is_marked_by_case_folding() -> None:
    """The Kelvin sign is in the list; "k" and "K" are not (no case folding there)."""
    assert not pd._MARK.search("kK sS")


def test_a_sentence_after_an_address_is_not_in_its_excerpt() -> None:
    found = pd.find_in_text("Write to someone@example.org. Next week we meet.")
    assert [f.masked for f in found] == ["s***@example.org"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("040 123 4567 20.09.2022", ["040 *** **67"]),  # the date is not taken along
        ("2017 040 123 4567", ["040 *** **67"]),  # nor the year before it
        ("soita 040 000 000020.09.2022", ["040 *** **00"]),
        ("0\\40 123 4567", ["040 *** **67"]),  # a backslash before a digit is no digit
        ("040 12\\3 4567", ["040 *** **67"]),
    ],
)
def test_the_masked_number_is_the_number(text: str, masked: list[str]) -> None:
    assert [f.masked for f in pd.find_in_text(text)] == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("someone%40example.org", ["s***%40example.org"]),
        ("firstname.lastname at example.org.", ["f*** at example.org"]),
        ("someone@[192.0.2.123]", ["s***@[192.0.2.123]"]),  # its domain is no number
        ("someone@[IPv6:::ffff:192.0.2.123]", ["s***@[IPv6:::ffff:192.0.2.123]"]),
        # the link's address, read decoded, is the address the text shows
        (
            '<a href="mailto:someone%40example.org">someone%40example.org</a>',
            ["s***%40example.org"],
        ),
        ("someone%40example.org <b>x</b>", ["s***%40example.org"]),
    ],
)
def test_the_masked_address_is_the_address(text: str, masked: list[str]) -> None:
    assert [f.masked for f in pd.find_in_text(text)] == masked


@pytest.mark.parametrize("after", [" @", " at example.org", "(at)x", "%40"])
def test_a_long_word_is_read_once(after: str) -> None:
    """An address is looked for from the start of a word only: from inside a long one,
    each start read to the word's end again (30,000 letters: some 20 seconds)."""
    import time

    text = "a" * 30000 + after
    start = time.perf_counter()
    pd.find_in_text(text)
    assert time.perf_counter() - start < 1.0
