"""Compile the gettext catalogues (``.po`` → ``.mo``) when the package is built.

The ``.mo`` files are build products (git-ignored) and shipped in the wheel; an
editable install compiles them into the source tree the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "src" / "policycheck" / "locale"
        for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalogue, use_fuzzy=False)
            build_data.setdefault("artifacts", []).append(str(mo.relative_to(self.root)))
