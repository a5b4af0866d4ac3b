"""Escaping user text for each output, in one place.

Titles and messages come from the plan's authors and may hold anything: newlines,
control characters, bidirectional overrides, `<script>`, `::`. Each function makes
text safe for one kind of output.
"""

from __future__ import annotations

import html
import re

from policycheck.errors import one_line

visible = one_line


def github_data(text: str) -> str:
    """A workflow-command message (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow-command property value (``file=``, ``title=``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")


def markdown(text: str) -> str:
    """Inline Markdown (a table cell) that renders as the literal text: no HTML, no
    emphasis, links or images, no table breaks, and no @mentions that would notify
    people from a pull-request comment."""
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(visible(text), quote=False))
    return escaped.replace("@", "&#64;")
