"""Small fixes so that a policycheck site meets WCAG 2.1 AA and speaks the reader's
language with Sphinx 9 and Furo.

- Sphinx writes toctree captions as ``<p class="caption" role="heading">`` without
  the ``aria-level`` that the heading role requires (axe: aria-required-attr), and
  Graphviz SVG ``<object>``s without a name; the fixes are applied to the page body
  and to the navigation the theme has rendered.
- Furo writes some interface words in English whatever the language (its
  ``aria-label``s), and Sphinx's own Finnish catalogue lacks some (permalinks, the
  search page's results): policycheck's catalogue gives them, through a template
  that extends the theme's ``page.html`` (a project's own ``page.html`` wins) and
  the search's ``translations.js``, completed after the build.
"""

from __future__ import annotations

import gettext
import html
import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from policycheck import i18n
from policycheck.i18n import N_
from policycheck.sphinx.labels import _

_CAPTION = 'class="caption" role="heading">'
_FIXED = 'class="caption" role="heading" aria-level="2">'
_KEYS = ("body", "toc", "furo_navigation_tree")
TEMPLATES = Path(__file__).parent / "templates"

# The theme's words, as they appear in its HTML (attribute values, link texts).
THEME_WORDS = (
    N_("Skip to content"),
    N_("Toggle site navigation sidebar"),
    N_("Toggle table of contents sidebar"),
    N_("Toggle Light / Dark / Auto color theme"),
    N_("Link to this heading"),
    N_("Link to this table"),
    N_("Link to this code"),
    N_("Link to this image"),
    N_("Link to this definition"),
    # written in English by the templates of Sphinx's basic theme and Alabaster (the
    # default theme), outside any catalogue
    N_("Powered by"),
    N_("Search"),
)
# The themes' words that Sphinx's own catalogues lack, looked up in policycheck's
# catalogue when Sphinx's has none (see theme_catalogue): marked for extraction.
THEME_CATALOGUE_WORDS = (
    N_("Related Topics"),
    N_("Documentation overview"),
    N_("Previous"),
    N_("Next"),
    N_("Page source"),
    N_("Back to top"),
    N_("Made with "),
    N_("Copyright"),
    N_("Copyright &#169; %(copyright)s"),
    N_('<a href="https://www.sphinx-doc.org/">Sphinx</a> and '),
    N_("Home"),
    N_("View this page"),
    N_("Edit this page"),
    N_("Versions"),
    N_("On this page"),
    N_("Downloads"),
    N_("Please activate JavaScript to enable the search functionality."),
)
# The search page's words (Sphinx's searchtools.js), singular and plural.
SEARCH_WORDS = (
    N_("Search Results"),
    N_("Searching"),
    N_("Preparing search..."),
    N_(
        "Your search did not match any documents. Please make sure that all words are "
        "spelled correctly and that you've selected enough categories."
    ),
    N_("Search finished, found one page matching the search query."),
    N_("Search finished, found ${resultCount} pages matching the search query."),
    N_("Searching for multiple words only shows matches that contain\n    all words."),
    N_(", in "),
)


# sphinx.ext.graphviz embeds SVG as <object> with its text only as fallback content,
# which is no accessible name (axe: object-alt)
_OBJECT = re.compile(
    r'<object (data="[^"]*" type="image/svg\+xml" class="[^"]*graphviz[^"]*")>\s*'
    r'<p class="warning">([^<]*)</p>'
)


def fix_captions(text: str) -> str:
    text = text.replace(_CAPTION, _FIXED)
    return _OBJECT.sub(
        lambda m: (
            f'<object {m.group(1)} role="img" aria-label="{m.group(2).strip()}">'
            f'\n<p class="warning">{m.group(2)}</p>'
        ),
        text,
    )


def theme_words(text: str) -> str:
    """``text`` (rendered HTML) with the theme's English interface words translated."""
    for english in THEME_WORDS:
        translated = _(english)
        if translated == english:
            continue
        safe = html.escape(translated, quote=True)
        text = text.replace(f'"{english}"', f'"{safe}"')
        # a whole text run (after a tag or a "|" separator; "Next: <a ...>" too)
        replacement = safe.replace("\\", "\\\\")  # literal in re.sub's template
        text = re.sub(
            rf"(>|\|)(\s*){re.escape(english)}(\s*:?\s*<)", rf"\g<1>\g<2>{replacement}\g<3>", text
        )
    return text


_NAV_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*")


def nav_words(text: str) -> str:
    """Furo's navigation toggles ("Toggle navigation of X") in the reader's language."""
    template = _("Toggle navigation of {title}")
    if template == "Toggle navigation of {title}":
        return text

    def label(match: re.Match[str]) -> str:
        title = template.format(title=html.unescape(match.group(1)))
        return f'aria-label="{html.escape(title, quote=True)}"'

    return _NAV_TOGGLE.sub(label, text)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    for key in _KEYS:
        value = context.get(key)
        if isinstance(value, str):
            context[key] = nav_words(fix_captions(value))
    meta = context.get("meta")
    lang = str(meta.get("lang", "")) if isinstance(meta, dict) else ""
    body = context.get("body")
    if _LANG.fullmatch(lang) and isinstance(body, str):
        # a page whose metadata says ``lang: en`` is marked as written in that language
        context["body"] = f'<div lang="{lang}">{body}</div>'
    toctree = context.get("toctree")
    if callable(toctree):
        context["toctree"] = lambda **kwargs: nav_words(fix_captions(toctree(**kwargs)))


def _add_templates(app: Sphinx, config: Config) -> None:
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def theme_catalogue(app: Sphinx) -> None:
    """Let Sphinx's own catalogue, which the themes' templates translate with, fall
    back to policycheck's for the words it lacks (a project's own ``locale_dirs``
    still come first): one catalogue for every word a reader sees."""
    translator = getattr(app, "translator", None)  # Sphinx's, for the templates
    if translator is None:
        return
    node: Any = translator
    while node is not None:  # once per translator (a rebuild in the same process)
        if getattr(node, "policycheck", False):
            return
        node = getattr(node, "_fallback", None)
    language = i18n.normalise(app.config.language)
    ours = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, [language], fallback=True)
    ours.policycheck = True  # type: ignore[attr-defined]
    translator.add_fallback(ours)


def _add_filter(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["policycheck_theme_words"] = theme_words


def complete_search_words(app: Sphinx, exception: Exception | None) -> None:
    """Give Sphinx's ``translations.js`` the search words it lacks or has empty, and
    a plural expression that JavaScript can index the plural forms with."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.builder.outdir, "_static", "translations.js")
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    start, end = text.find("{"), text.rfind("}")
    try:
        catalog = json.loads(text[start : end + 1])
    except ValueError:
        return
    messages: dict[str, Any] = catalog.setdefault("messages", {})
    for key, value in list(messages.items()):
        if value == "" or (isinstance(value, list) and not all(value)):
            del messages[key]  # untranslated: the English text is better than nothing
    singular, plural = SEARCH_WORDS[4], SEARCH_WORDS[5]
    for english in SEARCH_WORDS:
        translated = _(english)
        if translated != english and english not in (singular, plural):
            messages[english] = translated
    one, many = _(singular), _(plural)
    if (one, many) != (singular, plural):
        messages[singular] = [one, many]
    # Sphinx's expressions such as "(n != 1)" give a boolean, which indexes no plural
    # form in JavaScript: every search with results then fails with a TypeError
    expr = str(catalog.get("plural_expr") or "(n != 1)")
    if not expr.startswith("Number("):
        catalog["plural_expr"] = f"Number({expr})"
    body = json.dumps(catalog, ensure_ascii=True, indent=1).replace("<", "\\u003c")
    path.write_text(f"Documentation.addTranslations({body});\n", encoding="utf-8")


def setup_accessibility(app: Sphinx) -> None:
    # after the theme (Furo renders its navigation in its own handler)
    app.connect("html-page-context", page_context, priority=900)
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _add_filter)
    app.connect("builder-inited", theme_catalogue)
    app.connect("build-finished", complete_search_words)
