"""``policycheck-config``: the configuration reference, generated from the dataclass.

One row per key of :class:`~policycheck.config.PolicyConfig`: the key, the kind of
TOML value, the default as it would be written in TOML, and the key's help text in
the project's language. Nothing is written here by hand, so the page cannot drift
from what the build and the CLI accept.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from policycheck.config import PolicyConfig, documented_fields
from policycheck.i18n import N_, sphinx_translator
from policycheck.sphinx.tables import Cell, table

HEADERS = (N_("Key"), N_("Value"), N_("Default"), N_("Meaning"))


def toml_value(value: Any) -> str:
    """``value`` as it is written in a TOML table."""
    if isinstance(value, str):
        # a literal string keeps a regular expression's backslashes as they are
        return f"'{value}'" if "'" not in value and "\n" not in value else json.dumps(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return json.dumps(value)


def with_literals(text: str) -> list[nodes.Node]:
    """Help text with its `backticked` parts as code: keys, commands and TOML values
    are shown as written (no typographic quotes), in any language."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: all text
        return [nodes.Text(text)]
    return [nodes.literal("", p) if i % 2 else nodes.Text(p) for i, p in enumerate(parts) if p]


class ConfigReferenceDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        translate = sphinx_translator()
        defaults = PolicyConfig()
        rows: list[list[Cell]] = []
        for spec in documented_fields():
            default = getattr(defaults, spec.name)
            rows.append(
                [
                    nodes.literal("", spec.name),
                    str(translate(spec.metadata["kind"])),
                    # TOML has no null: a key unset by default has no default to write
                    nodes.literal("", toml_value(default)) if default is not None else "—",
                    with_literals(str(translate(spec.metadata["help"]))),
                ]
            )
        headers = [str(translate(h)) for h in HEADERS]
        return [table(headers, rows, ["policycheck-config"])]


def setup_config_reference(app: Sphinx) -> None:
    app.add_directive("policycheck-config", ConfigReferenceDirective)
