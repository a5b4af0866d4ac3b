"""Pre-filters: one scan of many items' ids or texts, in C, that proves most of them
pass a rule, which then runs its own definition on the others only.

The id rule matches every id against the configured pattern: a simple pattern is
matched against all ids at once, one per line (:func:`may_not_match`).

The schema rule decides from each field's distinct values which items may hold an
invalid one (:class:`Suspects`).

The personal-data rule looks closely only at a text holding a marker (an ``@`` in
any form, or a run of digits that could be a phone number). On a 100,000-item
export, testing every text in Python costs more than the rest of the rule: here
all the texts are joined and scanned once by RE2 (linear, on UTF-8, no Python per
text), with the *same* marker patterns translated to RE2's syntax. A scan that
finds no marker proves that none of the texts holds one; any other answer sends
the texts to the rule's own definition.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import compress
from typing import TypeVar

from policycheck.errors import ConfigError
from policycheck.patterns import Pattern, user_pattern

# Python's ``\s`` on text (str.isspace) is RE2's ``\s``, ``\p{Z}`` and these
# (tests/test_fast_paths_scan.py checks every code point).
SPACE = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]"
_UNICODE_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


@functools.lru_cache(maxsize=16)  # (called once per block of texts)
def re2_syntax(pattern: re.Pattern[str]) -> str:
    """``pattern`` (Python ``re``, on text) in RE2's syntax, as a group: ``\\uXXXX``
    and ``\\UXXXXXXXX`` as ``\\x{XXXX}``, ``\\s`` as Python means it,
    ``re.IGNORECASE`` as ``(?i:…)``."""
    if pattern.flags & ~(re.IGNORECASE | re.UNICODE):
        raise ValueError(f"flags RE2 cannot take over: {pattern.pattern!r}")
    if re.search(r"\[[^\]]*\\s", pattern.pattern):
        raise ValueError(f"\\s inside a class: {pattern.pattern!r}")
    text = _UNICODE_ESCAPE.sub(
        lambda m: "\\x{%s}" % (m.group(1) or m.group(2)), pattern.pattern
    ).replace(r"\s", SPACE)
    return ("(?i:" if pattern.flags & re.IGNORECASE else "(?:") + text + ")"


def any_marked(
    texts: Iterable[str],
    marker: re.Pattern[str],
    run: re.Pattern[str],
    candidate: Callable[[str], bool],
) -> bool | None:
    """Whether some text holds a match of ``marker``, or a match of ``run`` that is a
    ``candidate``; None when the texts cannot be scanned (not valid UTF-8: lone
    surrogates). The texts are joined by NUL, which neither pattern may match (so
    every match lies within one text, and the runs are the texts' own runs)."""
    try:
        data = "\0".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        return None
    scan = user_pattern(f"{re2_syntax(marker)}|(?P<run>{re2_syntax(run)})")
    for match in scan.finditer(data):
        found = match.group("run")
        if found is None or candidate(found.decode("utf-8")):
            return True
    return False


# A pattern of this form (literals, ``\d``, ``\w``, simple classes, at most one
# quantifier of variable length; optionally anchored) never matches a line break,
# so a match of it at a line's start stays within that line: a pre-filter may run
# it over many lines at once.
_ATOM = r"(?:[A-Za-z0-9_\-]|\\[dw.\-_]|\[-?(?:[A-Za-z0-9_](?:-[A-Za-z0-9_])?|\\[dw])+-?\])"
_QUANTIFIER = r"(?:[?*+]|\{(\d+)(?:(,)(\d*))?\})"
_SIMPLE = re.compile(rf"\^?(?:{_ATOM}{_QUANTIFIER}?)*\$?")
_PART = re.compile(rf"{_ATOM}({_QUANTIFIER})?")
_CHUNK = 1024  # lines proven together again when a larger group is not


@functools.lru_cache(maxsize=8)
def _line_scanner(pattern: str) -> Pattern | None:
    """Whether every line (each ending in a line break) of a text starts with a
    match of ``pattern`` (RE2, one scan in linear time: ``fullmatch``); None when
    ``pattern`` is not of the simple form above."""
    if not _SIMPLE.fullmatch(pattern):
        return None
    variable = 0
    for part in _PART.finditer(pattern.lstrip("^")):
        quantifier, low, comma, high = part.group(1, 2, 3, 4)
        if quantifier and (len(quantifier) == 1 or (comma and high != low)):
            variable += 1
    if variable > 1:
        return None
    try:
        return user_pattern(f"(?m)(?:(?:{pattern})[^\n]*\n)*")
    except ConfigError:
        return None


def may_not_match(pattern: str, texts: list[str]) -> list[str]:
    """The texts, in order, that ``pattern`` may not match at their start: a
    pre-filter for a loop over many texts (ids) whose verdict stays the pattern's.

    For a simple pattern, the texts are joined one per line and matched in one
    scan: if every line starts with a match (and there are as many lines as texts:
    none holds a line break of its own), every text matches. A group where that
    fails is split into smaller ones; a small one that fails is returned whole."""
    scanner = _line_scanner(pattern)
    if scanner is None:
        return texts

    def all_match(group: Sequence[str]) -> bool:
        joined = "\n".join(group) + "\n"
        if joined.count("\n") != len(group):
            return False
        try:
            return scanner.fullmatch(joined.encode("utf-8")) is not None
        except UnicodeEncodeError:  # a lone surrogate: each text is matched by itself
            return False

    return list(uncleared(texts, all_match, (max(len(texts), 1), _CHUNK)))


T = TypeVar("T")


def uncleared(
    items: Sequence[T], cleared: Callable[[Sequence[T]], bool], sizes: Sequence[int]
) -> Iterator[T]:
    """The items, in order, that ``cleared`` could not clear: tried in groups of
    ``sizes[0]``; a group it does not clear is tried again in groups of the next size
    (when smaller than the group), and one of the last size is given whole."""
    size, *smaller = sizes
    for start in range(0, len(items), size):
        group = items[start : start + size]
        if cleared(group):
            continue
        if smaller and len(group) > smaller[0]:
            yield from uncleared(group, cleared, smaller)
        else:
            yield from group


class Suspects:
    """The positions (in a sequence of ``size`` items) that a pre-filter could not clear."""

    def __init__(self, size: int) -> None:
        self.flags = bytearray(size)
        self.any = False

    def mark_where(self, values: Iterable[object], bad: Collection[object]) -> None:
        """Mark every position whose value (``values``, in item order) is in ``bad``."""
        if not bad:
            return
        flags = self.flags
        for position in compress(range(len(flags)), map(bad.__contains__, values)):
            flags[position] = 1
            self.any = True

    def mark(self, position: int) -> None:
        self.flags[position] = 1
        self.any = True

    def of(self, items: Sequence[T]) -> Iterator[T]:
        """The marked items, in their order."""
        return compress(items, self.flags) if self.any else iter(())
