"""The register views on a project that is not Helsinki's: content, verdicts, words,
in English, Finnish and Swedish, and a host project's own types left as they were."""

from __future__ import annotations

import json
import re

from conftest import CONF, build
from test_rules_both_paths import DEFECTS

PAGES = {
    "register.md": "# Register\n\n```{policycheck-decisions}\n```\n",
    "trace.md": "# Trace\n\n```{policycheck-goals}\n```\n",
    "dash.md": "# Dashboard\n\n```{policycheck-dashboard}\n:days: 36500\n```\n",
    "owners.md": "# Owners\n\n```{policycheck-owners}\n```\n",
    "glance.md": "# At a glance\n\n```{policycheck-glance}\n```\n",
}


def _page(root, name: str) -> str:  # type: ignore[no-untyped-def]
    return (root / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _row(html: str, title: str) -> str:
    """The text of the glance table's row for the goal titled ``title``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)
    found = [_text(r) for r in rows if f">{title}<" in r]
    assert len(found) == 1, title
    return found[0]


def test_register_views_in_english(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, **PAGES})
    build(root, "html")
    register = _page(root, "register")
    assert "policycheck-sortable" in register and "policycheck.js" in register
    assert register.index("D_NEW") < register.index("D_OLD")  # by date: 2015, then 2016
    assert "HEL 2016-000002" in register and "Superseded by" in register

    trace = _page(root, "trace")
    assert "goal G_EMPTY" not in trace  # verdicts are words, not messages
    assert "Nothing at all" in trace and "missing" in trace

    dash = _page(root, "dash")
    assert "F_HALF" not in _text(dash) and "Incomplete follow-up" in dash  # overdue since 2020
    assert "indicators are being defined" in dash  # a waiver within the horizon
    assert "Every goal has an action" in dash  # rules by their catalogue titles
    assert "policycheck-bar-fill" in dash and "have an owner (" in dash  # the chart, in words

    owners = _page(root, "owners")
    assert "Economic development" in owners and "G_CONTACT" in owners


def test_glance_table_says_what_each_goal_has_and_lacks(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, **PAGES})
    build(root, "html")
    glance = _page(root, "glance")
    assert "Checked on 2026-11-22" in glance  # the date the check speaks for
    assert "policycheck-bar-fill" in glance and "of 3 have an owner" in glance  # the chart
    assert "policycheck-sortable" in glance
    row = _row(glance, "Nothing at all")
    assert row.count("missing") == 4 and "no adopting decision" in row
    row = _row(glance, "Only a cancelled action and a dissolved owner")
    assert "dissolved" in row and "missing (cancelled: 1)" in row
    assert "incomplete: no owner or indicator" in row  # from followup_gaps, not a guess
    # every goal has one row
    assert glance.count('class="policycheck-mark policycheck-') == 4 * glance.count("<tr") - 4


def test_register_views_in_finnish(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, **PAGES}, conf=CONF + 'language = "fi"\n')
    build(root, "html")
    assert "Diaarinumero" in _page(root, "register")
    trace = _page(root, "trace")
    assert "Vastuutaho" in trace and "puuttuu" in trace
    assert "Myöhässä olevat seurannat" in _page(root, "dash")
    glance = _page(root, "glance")
    row = _row(glance, "Only a cancelled action and a dissolved owner")
    assert "puutteellinen: ei vastuutahoa eikä mittaria" in row and "lakkautettu" in row
    assert "Tarkistettu 22.11.2026" in glance
    assert "ei hyväksymispäätöstä" in _row(glance, "Nothing at all")


def test_register_views_in_swedish(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, **PAGES}, conf=CONF + 'language = "sv"\n')
    build(root, "html")
    glance = _page(root, "glance")
    assert "Ansvarig" in glance and "saknas" in glance and "Kontrollerat 22.11.2026" in glance


def test_cards_speak_finnish_for_policycheck_types_only(project) -> None:  # type: ignore[no-untyped-def]
    conf = (
        CONF
        + 'language = "fi"\nneeds_types = [{"directive": "req", "title": "Req", "prefix": "R_"}]\n'
    )
    files = {
        "plan.md": """
            # Plan

            ```{goal} Some goal
            :id: G_ONE
            :status: active
            :due: 2027-12-31
            :source: seed.txt, "a quote"
            ```

            ```{org} Some org
            :id: O_ONE
            :status: active
            ```

            ```{req} Host requirement
            :id: R_HOST
            :status: active
            ```
            """,
    }
    conf += 'policycheck_sources = {"seed.txt": {"url": "https://example.org/seed", "date": "2017-08-10"}}\n'
    conf += 'policycheck_diary_url = "https://register.example.org/case/{slug}"\n'
    files["english.md"] = "---\nlang: en\n---\n\n# Guide\n\nWritten in English.\n"
    files["nested.md"] = """
        # Nested

        ````{goal} Outer goal
        :id: G_OUTER
        :status: active

        ```{req} Inner requirement
        :id: R_INNER
        :status: active
        ```
        ````

        ````{req} Outer requirement
        :id: R_OUTER
        :status: active

        ```{goal} Inner goal
        :id: G_INNER
        :status: active
        ```
        ````
        """
    files["decision.md"] = """
        # D

        ```{decision} A decision
        :id: D_ONE
        :diary: HEL 2017-000001
        ```
        """
    root = project(files, conf=conf)
    build(root, "html")
    page = _page(root, "plan")
    goal = page[page.index('id="G_ONE"') : page.index('id="O_ONE"')]
    assert 'Tila: </span><span class="needs_data">käynnissä' in goal
    assert "31.12.2027" in goal and "status:" not in goal
    assert (
        '<a class="reference external" href="https://example.org/seed">seed.txt</a> (haettu 10.8.2017)'
        in goal
    )
    org = page[page.index('id="O_ONE"') : page.index('id="R_HOST"')]
    assert "toiminnassa" in org
    host = page[page.index('id="R_HOST"') :]
    assert 'status: </span><span class="needs_data">active' in host  # the host's own type
    # a card in another card's content is translated by its own type, not the outer one's
    nested = _page(root, "nested")
    cards = {
        item: nested[nested.index(f'id="{item}"') :][:3000]
        for item in ("G_OUTER", "R_INNER", "R_OUTER", "G_INNER")
    }
    assert 'status: </span><span class="needs_data">active' in cards["R_INNER"]
    assert 'status: </span><span class="needs_data">active' in cards["R_OUTER"]
    for goal_id in ("G_OUTER", "G_INNER"):
        assert 'Tila: </span><span class="needs_data">käynnissä' in cards[goal_id]


def test_search_lands_on_items_and_speaks_finnish(project) -> None:  # type: ignore[no-untyped-def]
    from sphinx import locale

    locale.translators.clear()  # Sphinx's own words: another test may have loaded Swedish
    root = project({**DEFECTS}, conf=CONF + 'language = "fi"\nhtml_theme = "furo"\n')
    build(root, "html")
    out = root / "_build" / "html"
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    assert '"Tavoite"' in index and "G_EMPTY" in index  # items are search objects
    translations = (out / "_static" / "translations.js").read_text(encoding="utf-8")
    catalog = json.loads(translations[translations.index("{") : translations.rindex("}") + 1])
    assert catalog["plural_expr"].startswith("Number(")  # JS can index plural forms
    found = catalog["messages"]["Search finished, found one page matching the search query."]
    assert found == [
        "Haku valmis: yksi sivu vastaa hakua.",
        "Haku valmis: ${resultCount} sivua vastaa hakua.",
    ]
    assert all(v not in ("", ["", ""]) for v in catalog["messages"].values())
    page = _page(root, "plan")
    assert "Siirry sisältöön" in page and "Skip to content" not in page
    assert "Linkki tähän otsikkoon" in page and "Toggle" not in page


def test_graphs_one_per_goal_with_what_is_missing(project) -> None:  # type: ignore[no-untyped-def]
    conf = CONF + 'graphviz_output_format = "svg"\n'
    root = project({**DEFECTS, "graph.md": "# Graph\n\n```{policycheck-graph}\n```\n"}, conf=conf)
    build(root, "html")
    out = root / "_build" / "html"
    page = _page(root, "graph")
    goals = page.count('class="policycheck-graph-goal')
    assert goals == 3  # every goal, also the one with no links at all
    images = re.findall(r'<object data="(_images/graphviz-[0-9a-f]+\.svg)"', page)
    svgs = [(out / i).read_text(encoding="utf-8") for i in images]
    empty = next(s for s in svgs if "Nothing at all" in s and "Contact goal" not in s)
    for missing in ("no adopting decision", "no action", "no follow-up", "no owner"):
        assert missing in empty
    # arrows in the caption's order: the cancelled goal's follow-up hangs below the goal
    assert "How to read the graphs" in page
    assert 'href="policycheck-graph.html"' in page
    assert (out / "_images" / "policycheck-graph.svg").is_file()
    full = (out / "policycheck-graph.html").read_text(encoding="utf-8")
    assert 'role="region"' in full and 'tabindex="0"' in full


def test_graph_labels_break_between_words_only() -> None:
    from policycheck.sphinx.graph import _label

    title = "Kansainvälisten yhteistyöverkostojen ja verkostojäsenyyksien hyödyntäminen"
    lines = _label("goal", title).split("\\n")
    assert " ".join(lines) == title and all(
        line in title.split(" ") or " " in line or line for line in lines
    )
    assert all(
        word in lines or any(word in line.split(" ") for line in lines) for word in title.split()
    )


def test_hostile_titles_are_escaped_in_an_rst_project(project) -> None:  # type: ignore[no-untyped-def]
    files = {
        "plan.rst": """
            Plan
            ====

            .. goal:: <script>alert("x")</script> \\\\ "quoted"
               :id: G_EVIL

            .. policycheck-glance::

            .. policycheck-graph::
            """,
    }
    conf = 'extensions = ["policycheck"]\nproject = "RST city"\nroot_doc = "plan"\n'
    conf += 'graphviz_output_format = "svg"\n'
    root = project(files, conf=conf)
    build(root, "html")
    out = root / "_build" / "html"
    for page in out.rglob("*.html"):
        assert "<script>alert" not in page.read_text(encoding="utf-8"), page
    assert "&lt;script&gt;alert" in (out / "plan.html").read_text(encoding="utf-8")
