"""Writing items as source text, in MyST Markdown or reStructuredText.

Whatever the user typed (a title, a field value) comes out of the build exactly
as typed and never as markup: a backtick cannot end a fence, HTML in a heading
is text, an option value cannot start another option. The syntax is chosen by
the target file's suffix (``.md`` MyST, ``.rst``/``.txt`` reStructuredText).
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from policycheck.errors import ConfigError
from policycheck.findings import Message
from policycheck.i18n import N_

Syntax = Literal["myst", "rst"]

SUFFIXES: dict[str, Syntax] = {".md": "myst", ".rst": "rst", ".txt": "rst"}

_PUNCTUATION = frozenset(string.punctuation)
# Characters that end or split a line, or act on a terminal: never in one line of source.
_BREAKING = frozenset(("Cc", "Zl", "Zp"))


def syntax_of(path: Path) -> Syntax:
    syntax = SUFFIXES.get(path.suffix.lower())
    if syntax is None:
        raise ConfigError(
            N_(
                "cannot tell the syntax from the suffix "
                "(one of {suffixes}: .md is MyST, .rst reStructuredText)"
            ),
            path,
            suffixes=", ".join(SUFFIXES),
        )
    return syntax


def check_one_line(what: str | Message, text: str) -> str:
    """``text`` stripped, or a clear error if it is empty or not one plain line."""
    text = text.strip()
    if not text or any(unicodedata.category(ch) in _BREAKING for ch in text):
        raise ConfigError(
            N_("{what} must be one non-empty line without control characters"), what=what
        )
    return text


def _escape(text: str) -> str:
    """Backslash before every ASCII punctuation character: literal text in both
    CommonMark/MyST and reStructuredText (HTML, roles, links, emphasis, lists)."""
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)


def _width(text: str) -> int:
    """Columns on screen, as docutils measures a title against its underline."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def heading(title: str, syntax: Syntax) -> list[str]:
    """A page title that renders as exactly ``title``, as text."""
    text = _escape(title)
    if syntax == "myst":
        return [f"# {text}"]
    return [text, "=" * max(_width(text), 3)]


def _myst_value(key: str, value: str) -> str:
    """``value`` as a MyST option value that reads back unchanged: plain where it
    can be, else a YAML double-quoted string (MyST's option parser is a YAML subset)."""
    from myst_parser.parsers.options import TokenizeError, options_to_items

    def reads_back(text: str) -> bool:
        try:
            items, _ = options_to_items(f"{key}: {text}")
        except TokenizeError:
            return False
        return items == [(key, value)]

    if reads_back(value):
        return value
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if reads_back(quoted):
        return quoted
    raise ConfigError(N_("--set {field}: this value cannot be written as a MyST option"), field=key)


def item_block(
    syntax: Syntax, directive: str, title: str, options: Sequence[tuple[str, str]]
) -> list[str]:
    """The directive of one item, with its options in the given order."""
    if syntax == "rst":
        if title.startswith(":"):
            # docutils would read it as the item's first option, not as its title
            raise ConfigError(N_("in reStructuredText a title cannot start with ':'"))
        return [f".. {directive}:: {title}"] + [f"   :{k}: {v}" for k, v in options]
    # A backtick fence cannot carry a backtick in its info string (CommonMark): a
    # title with one gets a tilde fence, which can.
    fence = "~~~" if "`" in title else "```"
    return [
        f"{fence}{{{directive}}} {title}",
        *(f":{k}: {_myst_value(k, v)}" for k, v in options),
        fence,
    ]
