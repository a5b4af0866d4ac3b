"""The one translation mechanism: gettext message catalogues (fi, sv, en).

Every string a user reads is written in English in the code, marked for
extraction, and translated through the catalogues in ``policycheck/locale``
(``policycheck.pot`` extracted with babel, one ``.po`` per language, ``.mo``
compiled when the package is built; see ``hatch_build.py``).

- In code that runs at import time (rule titles, type labels), mark with
  :func:`N_` and translate where the text is shown.
- In the Sphinx build, :func:`sphinx_translator` gives Sphinx's own lazy
  translation for the project's ``language`` (``sphinx.locale.get_translation``).
- On the command line, :func:`translator` gives the same catalogue for
  ``--language`` or the locale.
"""

from __future__ import annotations

import functools
import gettext
import locale
import os
from collections.abc import Callable
from pathlib import Path

DOMAIN = "policycheck"
LOCALE_DIR = Path(__file__).parent / "locale"
"""The catalogues, ``<LOCALE_DIR>/<language>/LC_MESSAGES/policycheck.po`` (and ``.mo``).
Read at call time: a test (or a packager) may point it elsewhere."""
DEFAULT_LANGUAGE = "en"

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def languages() -> tuple[str, ...]:
    """The shipped languages: one per catalogue in :data:`LOCALE_DIR`, so adding a
    language is adding its ``.po`` file (English, the msgids' language, is always one)."""
    return _languages_in(LOCALE_DIR)


def translated_languages() -> tuple[str, ...]:
    """The shipped languages other than English, the msgids' own: each must translate
    every message (tests/test_cli_language.py)."""
    return tuple(lang for lang in languages() if lang != DEFAULT_LANGUAGE)


@functools.cache
def _languages_in(root: Path) -> tuple[str, ...]:
    found = {DEFAULT_LANGUAGE}
    try:
        for folder in root.iterdir():
            messages = folder / "LC_MESSAGES"
            if any((messages / f"{DOMAIN}{ext}").is_file() for ext in (".po", ".mo")):
                found.add(folder.name)
    except OSError:
        pass
    return tuple(sorted(found))


def normalise(language: str | None) -> str:
    """``fi_FI.UTF-8`` → ``fi``; an unknown or empty language → English."""
    return _shipped(language) or DEFAULT_LANGUAGE


def language_from_environment() -> str:
    """The language of the CLI when ``--language`` is not given (LANGUAGE, LC_ALL, …)."""
    return locale_language() or DEFAULT_LANGUAGE


def locale_language() -> str | None:
    """The language the locale names (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), when it
    has a catalogue; None for none, ``C``/``POSIX`` or a language without one."""
    # LANGUAGE is a list in order of preference (de:sv); the others name one locale
    for name in os.environ.get("LANGUAGE", "").split(":"):
        if shipped := _shipped(name):
            return shipped
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return _shipped(value)
    try:
        return _shipped(locale.getlocale(locale.LC_MESSAGES)[0])
    except (AttributeError, ValueError):
        return None


def _shipped(language: str | None) -> str | None:
    code = (language or "").replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in languages() else None


def translations(language: str | None) -> gettext.NullTranslations:
    return _translations(LOCALE_DIR, normalise(language))


@functools.cache
def _translations(root: Path, language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, root, languages=[language], fallback=True)


def translator(language: str | None) -> Translate:
    """``gettext`` of the catalogue for ``language`` (English where none is found)."""
    return translations(language).gettext


def sphinx_translator() -> Translate:
    """Sphinx's own translation of the ``policycheck`` catalogue, in the project's
    ``language`` (the catalogue is registered with ``app.add_message_catalog``)."""
    from sphinx.locale import get_translation

    translate: Translate = get_translation(DOMAIN)
    return translate
