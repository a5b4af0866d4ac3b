"""Search results that land on the item: every register item is a search object
(by its title and id), so the site's search lists it first and links to the item
itself, not to the top of its page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment

from policycheck.domain import ITEM_TYPES
from policycheck.i18n import sphinx_translator
from policycheck.sphinx.state import project_of


class ItemsDomain(Domain):
    """Holds no data of its own: its objects are the items the checks read."""

    name = "policycheck"
    label = "policycheck"
    initial_data = {}  # noqa: RUF012 (Sphinx's class attribute)

    object_types: ClassVar[dict[str, ObjType]] = {
        # lazy: translated when the search index is written, in the site's language
        t.name: ObjType(sphinx_translator()(t.label), t.name)
        for t in ITEM_TYPES
    }

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        return str(type.lname)

    def clear_doc(self, docname: str) -> None:
        pass

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        pass

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        project = project_of(self.env.app)
        if project is None:
            return
        for item in project.items.values():
            if item.docname and item.type in self.object_types:
                # the search splits names at dots; the title is shown whole
                shown = f"{item.title} ({item.id})".replace(".", "\u2024")
                # a name that is not the anchor, so that the index keeps the anchor
                yield f"{self.name}.{item.id}", shown, item.type, item.docname, item.id, 1


def setup_search(app: Sphinx) -> None:
    app.add_domain(ItemsDomain)
