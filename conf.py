"""The Helsinki international-activities plan: a policycheck site.

policycheck's own settings are in pyproject.toml, table [tool.policycheck].
"""

project = "Helsingin kansainvälinen toiminta: epävirallinen rekisteri"
# Not the city's publication: the footer names this project, not the city.
author = "policycheck-projektin tekijät"
copyright = "policycheck-projektin tekijät (MIT-lisenssi)"
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
html_title = "Helsingin kansainvälinen toiminta (epävirallinen rekisteri)"
# On every page: who compiled this and from what (furo's announcement bar: light text
# on a near-black background, contrast well above WCAG AA).
html_theme_options = {
    "announcement": (
        "Epävirallinen rekisteri, ei Helsingin kaupungin julkaisu. Koottu kaupungin "
        "julkisista lähteistä: verkkosivu Kansainvälinen toiminta 10.8.2017 ja 20.9.2022, "
        "päiväämätön sivu Kansainvälinen yhteistyö (arviolta 2016–kevät 2019) ja "
        "elinkeinojaoston pöytäkirjaote § 11 (2017). Tilat pätevät lähteen päivämääränä."
    ),
}
html_static_path = ["docs/_static"]
# With its priority written out: Sphinx adds it to the value while building, and would
# otherwise see a changed configuration on every rebuild.
html_css_files = [("ilmoitus.css", {"priority": 800})]
html_favicon = "docs/_static/favicon.svg"
# needs.json next to the pages: open data, and what sphinx-needs' permalink.html reads
needs_build_json = True
# Graphs as SVG images (Graphviz, installed by scripts/dev; no Java, no PlantUML).
needs_flow_engine = "graphviz"
graphviz_output_format = "svg"
# _build/html/index.html forwards to the plan's front page.
html_extra_path = ["docs/_extra"]
# The register's links to public sources (policycheck's views and item cards):
# a decision's diary number to the city's decision register, and each seed document
# to its public address and the date it was captured.
policycheck_diary_url = "https://paatokset.hel.fi/fi/asia/{slug}"
policycheck_sources = {
    "000_8caec8a24c8958af.txt": {
        "url": "https://www.hel.fi/helsinki/fi/kaupunki-ja-hallinto/yritykset/kilpailukyvyn-kehittaminen/kansainvalinen",
        "date": "2017-08-10",
    },
    "001_d051c5ea6a1205d5.txt": {
        "url": "https://hel.fi/helsinki/fi/kaupunki-ja-hallinto/yritykset/kilpailukyvyn-kehittaminen/kansainvalinen/",
        "date": "2022-09-20",
    },
    "003_bcf553f7d6df2eda.txt": {
        "url": "https://toimintaymparisto.hel.fi/kansainvalinen_kansallinen_maakunnallinen_ja_seudullinen_yhteistyo",
    },
    "004_8dc2451eee420648.txt": {"url": "https://paatokset.hel.fi/fi/asia/hel-2017-010458"},
}
