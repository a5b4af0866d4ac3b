"""Small fixes so that a policycheck site meets WCAG 2.1 AA with Sphinx 9 and Furo.

Sphinx writes toctree captions as ``<p class="caption" role="heading">`` without the
``aria-level`` that the heading role requires (axe: aria-required-attr); the fix is
applied to the page body and to the navigation the theme has already rendered.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

_CAPTION = 'class="caption" role="heading">'
_FIXED = 'class="caption" role="heading" aria-level="2">'
_KEYS = ("body", "toc", "furo_navigation_tree")


def fix_captions(html: str) -> str:
    return html.replace(_CAPTION, _FIXED)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    for key in _KEYS:
        value = context.get(key)
        if isinstance(value, str):
            context[key] = fix_captions(value)
    toctree = context.get("toctree")
    if callable(toctree):
        context["toctree"] = lambda **kwargs: fix_captions(toctree(**kwargs))


def setup_accessibility(app: Sphinx) -> None:
    # after the theme (Furo renders its navigation in its own handler)
    app.connect("html-page-context", page_context, priority=900)
