"""The one sanitiser for text policycheck prints or writes into a CI log.

User text (titles, ids, option values, file names) and what Sphinx and sphinx-needs
say about it reach terminals and CI logs. There it must not act:

- no raw control characters, ANSI escape sequences, bidi overrides or zero-width
  marks (shown as ``\\uXXXX``), no noncharacters such as U+FFFF (XML forbids some);
- no line a CI runner reads as a command: ``::`` at the start of a line (after any
  whitespace; GitHub Actions' workflow commands) and ``##[`` or ``##vso[``
  anywhere in a line (the legacy and Azure Pipelines forms).

:func:`one_line` folds a value onto one line; :func:`for_log` makes a multi-line
text (a report, Sphinx's warning stream) safe line by line.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TextIO

_HIDDEN = frozenset(("Cc", "Cf", "Co", "Cs", "Zl", "Zp"))
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_COMMAND_START = re.compile(r"^(\s*):(?=:)", re.MULTILINE)
_LEGACY_COMMAND = re.compile(r"##(?=\[|vso\[)", re.IGNORECASE)
# characters that need no look-up: printable ASCII and common Latin-1 letters
_PLAIN_CHARS = r" -~\u00a0-\u00ac\u00ae-\u024f"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]*")


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _hidden(ch: str) -> bool:
    """A control or format character, separator, surrogate, private-use character or
    noncharacter: one that acts, or shows as nothing, where it is printed."""
    return unicodedata.category(ch) in _HIDDEN or _noncharacter(ord(ch))


def _show(ch: str, keep: str) -> str:
    if ch in keep or not _hidden(ch):
        return ch
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _visible(text: str, keep: str = "") -> str:
    if _PLAIN.fullmatch(text):
        return text
    return "".join(_show(ch, keep) for ch in text)


def neutralise(text: str) -> str:
    """Break what a CI runner would read as a command, leaving the text readable."""
    text = _COMMAND_START.sub(r"\1: ", text)
    return _LEGACY_COMMAND.sub("# #", text)


def one_line(text: str) -> str:
    """Fold text onto one line, with control and format characters (bidi overrides,
    zero-width marks, noncharacters) shown as ``\\uXXXX`` instead of acting on a
    terminal, page or CI log, and nothing a CI runner reads as a command."""
    return neutralise(_visible(" ".join(_ANSI.sub("", text).split())))


def for_log(text: str) -> str:
    """A multi-line text made safe for a terminal or CI log, line by line."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    return neutralise(_visible(text, keep="\n\t"))


def json_for_log(text: str) -> str:
    """JSON text with the legacy command markers inside its strings written as
    ``\\u0023`` escapes, and every control or format character, line or paragraph
    separator, surrogate, private-use character or noncharacter as a ``\\uXXXX``
    escape: the same data, inert in a CI log or terminal (no line break but JSON's
    own, so no line that starts with ``::``; no bidi override, no 8-bit escape)."""
    if text.isascii():  # (the common case, decided in C: only DEL can act)
        if "\x7f" in text:
            text = text.replace("\x7f", "\\u007f")
    elif not _PLAIN_JSON.fullmatch(text):  # (a scan in C, twice as fast as the sub)
        text = _NOT_PLAIN.sub(_json_escape, text)
    return _LEGACY_COMMAND.sub("#\\\\u0023", text)


# in JSON as the encoders write it, the characters looked up one by one (the rest
# are plain, or newlines between its lines)
_PLAIN_JSON = re.compile(f"[{_PLAIN_CHARS}\n]*")
_NOT_PLAIN = re.compile(f"[^{_PLAIN_CHARS}\n]")


def _json_escape(match: re.Match[str]) -> str:
    ch = match.group()
    if not _hidden(ch):
        return ch
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON escapes it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


class SafeStream(io.TextIOBase):
    """A text stream that sanitises everything written to it (``for_log``), for
    forwarding Sphinx's status and warning output."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        # whole lines only, so an escape sequence or "::" split across writes is seen
        self._pending += text
        head, sep, self._pending = self._pending.rpartition("\n")
        if sep:
            self._target.write(for_log(head + sep))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(for_log(self._pending))
            self._pending = ""
        self._target.flush()

    def isatty(self) -> bool:
        return False
