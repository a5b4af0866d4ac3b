"""Regular expressions from the user's configuration, matched in linear time.

A configured pattern (``id_pattern``, ``diary_pattern``) is compiled with RE2
(google-re2), whose matching time is linear in the text: ``^(a+)+$`` against
``"a" * 50 + "!"`` returns at once instead of backtracking for minutes. RE2 has
no backreferences or look-around; a pattern that needs them is a configuration
error, reported as one line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Protocol

import re2  # type: ignore[import-untyped]

from policycheck.errors import ConfigError
from policycheck.i18n import N_


class Pattern(Protocol):
    def match(self, text: str) -> object | None: ...

    def fullmatch(self, text: str | bytes) -> object | None: ...

    def search(self, text: str) -> object | None: ...

    def finditer(self, text: bytes) -> Iterator[Match]: ...


class Match(Protocol):
    def group(self, name: str) -> bytes | None: ...


def _options() -> object:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own error lines on stderr
    return options


_UNUSABLE = N_("{key}: not a usable regular expression ({error})")


@functools.lru_cache(maxsize=32)
def _compile(pattern: str) -> Pattern:
    compiled: Pattern = re2.compile(pattern, _options())
    return compiled


def user_pattern(pattern: str, key: str = "pattern", where: str | None = None) -> Pattern:
    """``pattern`` compiled for linear-time matching, or a :class:`ConfigError`."""
    try:
        return _compile(pattern)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args else "invalid"
        if isinstance(reason, bytes):  # pragma: no cover - depends on the binding
            reason = reason.decode("utf-8", "replace")
        raise ConfigError(
            N_(
                "{key}: not a regular expression RE2 accepts ({reason}); RE2 has no "
                "backreferences or look-around"
            ),
            where,
            key=key,
            reason=reason,
        ) from None
    except (OverflowError, MemoryError, RecursionError, ValueError, TypeError) as exc:
        raise ConfigError(_UNUSABLE, where, key=key, error=str(exc)) from None


def user_matcher(pattern: str, key: str = "pattern") -> Callable[[str], bool]:
    """Whether ``pattern`` matches at the start of a text (``match``), as a predicate
    for a loop over every item. The same RE2 pattern, held in an RE2 set of one
    (matched as UTF-8 bytes with one call, without the binding's per-call offset
    conversions and match objects); a set whose automaton runs out of memory on a
    huge pattern answers "no", so a "no" is confirmed by the pattern itself."""
    confirm = user_pattern(pattern, key).match  # an unusable pattern: reported as any other
    one = re2.Set.MatchSet(_options())
    try:
        one.Add(pattern.encode("utf-8"))
        one.Compile()
    except re2.error:  # pragma: no cover - a pattern RE2 compiles but a set refuses
        return lambda text: confirm(text) is not None
    quick = one.Match
    return lambda text: bool(quick(text.encode("utf-8"))) or confirm(text) is not None


def check_python_pattern(pattern: str, key: str, where: str | None) -> None:
    """A pattern that is also handed to Python's ``re`` (sphinx-needs' id check)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            N_("{key}: not a regular expression ({error})"), where, key=key, error=str(exc)
        ) from None
    except (OverflowError, MemoryError, RecursionError) as exc:
        raise ConfigError(_UNUSABLE, where, key=key, error=str(exc)) from None
