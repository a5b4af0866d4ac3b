"""Unicode's "default ignorable" code points (the property Default_Ignorable_Code_Point
of DerivedCoreProperties.txt, Unicode 14.0.0, the version of Python 3.11's
``unicodedata``), as ranges: characters a browser draws as nothing when it has no
glyph for them (the soft hyphen, zero-width spaces and joiners, direction marks,
the combining grapheme joiner, variation selectors, Hangul fillers, tag
characters...), so they can hide inside an address or a number. ``unicodedata``
has no such property: the list is copied here, and tests/test_personal_data.py
checks it against Perl's Unicode database where one is installed, and a sample of
it always."""

from __future__ import annotations

DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors, vowel separator
    (0x200B, 0x200F),  # zero-width space, joiners, direction marks
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, isolates, deprecated formats
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte-order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFF8),  # unassigned, reserved as ignorable
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol formatting
    (0xE0000, 0xE0FFF),  # tag characters, variation selectors supplement, reserved
)


def character_class() -> str:
    """The ranges as the body of a character class (for ``re`` and, through
    ``prefilter.re2_syntax``, RE2 alike)."""
    return "".join(
        f"\\U{start:08x}" if start == end else f"\\U{start:08x}-\\U{end:08x}"
        for start, end in DEFAULT_IGNORABLE
    )
