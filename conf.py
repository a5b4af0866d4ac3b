"""The Helsinki international-activities plan: a policycheck site.

policycheck's own settings are in pyproject.toml, table [tool.policycheck].
"""

project = "Helsingin kansainvälisen toiminnan suunnitelma"
author = "Helsingin kaupunki"
copyright = "Helsingin kaupunki"
language = "fi"

extensions = ["myst_parser", "policycheck"]

# Only the plan and the decision records are part of the site.
root_doc = "docs/index"
include_patterns = ["docs/**", "decisions/**"]
exclude_patterns = ["_build", ".venv"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
# Finnish words for the theme's own interface (locale/fi/LC_MESSAGES/sphinx.po)
locale_dirs = ["locale"]
html_show_sphinx = False
html_title = "Kansainvälisen toiminnan suunnitelma"
html_static_path = ["docs/_static"]
html_favicon = "docs/_static/favicon.svg"
# needs.json next to the pages: open data, and what sphinx-needs' permalink.html reads
needs_build_json = True
# Graphs as SVG images (Graphviz, installed by scripts/dev; no Java, no PlantUML).
needs_flow_engine = "graphviz"
graphviz_output_format = "svg"
# _build/html/index.html forwards to the plan's front page.
html_extra_path = ["docs/_extra"]
