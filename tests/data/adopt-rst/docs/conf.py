"""An existing reStructuredText sphinx-needs project (no MyST) of an invented city."""

project = "Example city requirements"
extensions = ["sphinx_needs"]
exclude_patterns = ["_build"]

# Its own types, one of them called "action" like policycheck's.
needs_types = [
    {
        "directive": "req",
        "title": "Requirement",
        "prefix": "R_",
        "color": "#BFD8D2",
        "style": "node",
    },
    {
        "directive": "action",
        "title": "Work package",
        "prefix": "WP_",
        "color": "#FEDCD2",
        "style": "node",
    },
]
# Ids are optional here; the flow engine is its own choice.
needs_id_required = False
needs_flow_engine = "plantuml"
# sphinx-needs' deprecated list options, still in use.
needs_extra_options = ["priority"]
needs_extra_links = [{"option": "blocks", "incoming": "is blocked by", "outgoing": "blocks"}]
needs_build_json = True
# a smaller needs.json: values at their defaults (such as doctype .rst) are left out
needs_json_remove_defaults = True
