"""The Helsinki plan in this repo: sourced, complete against seed 004, no personal data."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import build

from policycheck.rules.personal_data import find_personal_data

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SEED_FILES = (
    "000_8caec8a24c8958af.txt",
    "001_d051c5ea6a1205d5.txt",
    "003_bcf553f7d6df2eda.txt",
    "004_8dc2451eee420648.txt",
)

# Seed 004: "Alustavina tavoitteina on tunnistettu ainakin seuraavat" / "Alustavina
# työkaluina on tunnistettu ainakin" (hyphenation of the PDF removed).
GOALS_004 = [
    "Investointien ja osaajien houkuttelu",
    "Yritysten kansainvälistyminen ja pääsy uusille markkinoille",
    "Helsingin kansainvälisen saavutettavuuden vahvistaminen",
    "EU-edunvalvonnan kärkien selkeyttäminen ja priorisointi",
    "Hyvien kaupunkisuhteiden säilyttäminen ja vahvistaminen keskeisten kaupunkikumppanien kanssa",
    "Kansainvälisten yhteistyöverkostojen ja mahdollisten uusien "
    "verkostojäsenyyksien hyödyntäminen",
    "Markkinointiin ja Helsingin kärkiin pohjautuva toimintamalli Helsinkiin suuntautuville "
    "kansainvälisille vierailuille",
]
TOOLS_004 = [
    "Kaupungin kansainvälisen toiminnan koordinointi kaupungin sisällä",
    "Metropolialueen ja kansallisten toimijoiden kanssa tehtävän yhteistyön tiivistäminen",
    "Kansainvälisten Helsinki-tapahtumien järjestäminen",
    "Pietarin ja Brysselin toimistojen käyttäminen edunvalvontaan",
    "Helsingille relevanttien vertailukaupunkien valinta ja benchmarking-toimenpiteet",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The repo's site, copied to a tmp folder and built there (needs and html)."""
    root = tmp_path_factory.mktemp("helsinki")
    for name in ("conf.py", "pyproject.toml", "policycheck-baseline.json"):
        shutil.copy(REPO / name, root / name)
    for folder in ("docs", "decisions"):
        shutil.copytree(REPO / folder, root / folder)
    return build(root, "needs"), build(root, "html")


def test_every_item_cites_a_seed_or_url(site) -> None:  # type: ignore[no-untyped-def]
    needs = site[0].needs()
    assert len(needs) > 50
    for need in needs.values():
        source = need.get("source") or ""
        assert any(s in source for s in SEED_FILES) or "https://" in source, need["id"]


def test_seed_004_goals_and_tools_are_present(site) -> None:  # type: ignore[no-untyped-def]
    needs = site[0].needs()
    goals = [n["title"] for n in needs.values() if n["type"] == "goal"]
    actions = [n["title"] for n in needs.values() if n["type"] == "action"]
    for title in GOALS_004:
        assert any(g.startswith(title) for g in goals), title
    for title in TOOLS_004:
        assert any(a.startswith(title) for a in actions), title


def test_decision_11_has_its_diary_number_section_and_body(site) -> None:  # type: ignore[no-untyped-def]
    decision = site[0].needs()["D_EJ_2017_11"]
    assert decision["section"] == "11"
    assert decision["diary"] == "HEL 2017-010458"
    assert decision["body"] == ["O_ELINKEINOJAOSTO"]
    assert not decision.get("date"), "the seed states no meeting date: none may be invented"


def test_build_passes_with_the_known_gaps_listed(site) -> None:  # type: ignore[no-untyped-def]
    report = site[1].report
    assert report is not None
    assert not report.failed
    assert report.summary.known > 0
    assert "WARNING" not in site[1].warnings


def _html_texts(outdir: Path, keep_code: bool = True) -> dict[Path, str]:
    texts = {}
    for page in outdir.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        if not keep_code:  # the rule reference's examples show what the rule rejects
            raw = re.sub(r"<pre>.*?</pre>", " ", raw, flags=re.S)
        texts[page] = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return texts


def _seed_personal_data() -> list[str]:
    """Names, phone numbers and e-mail addresses as the seeds give them, read at test
    time (they are never copied into the project)."""
    found: list[str] = []
    for seed in SEED_FILES:
        text = (SEEDS / seed).read_text(encoding="utf-8")
        found += re.findall(r"[\w.-]+\((?:at|a)\)hel\.fi", text)
        found += re.findall(r"puhelin: ([\d ]+\d)", text)
        found += re.findall(r"(\d{3} ?\d{7})\d{2}\.\d{2}\.\d{4}", text)
        found += re.findall(r"kuultavana oli (\w+ [\w-]+)\.", text)
        found += re.findall(r"Esittelijä\s*\n\s*\w+\s*\n\s*(\w+ [\w-]+)", text)
        found += re.findall(r"Lisätiedot\s*\n\s*(\w+ [\w-]+),", text)
        found += re.findall(r"päällikkö (\w+ [\w-]+),", text)
    return sorted(set(found))


def test_no_personal_data_in_the_built_html(site) -> None:  # type: ignore[no-untyped-def]
    texts = _html_texts(site[1].outdir)
    assert texts
    for page, text in _html_texts(site[1].outdir, keep_code=False).items():
        assert find_personal_data(text) == [], page
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo: seed names not checked")
    personal = _seed_personal_data()
    assert len(personal) >= 6  # the extraction itself works: names, phones, e-mails
    for page, text in texts.items():
        for value in personal:
            assert value not in text, page


def test_graph_renders_with_graphviz_and_search_is_finnish(site) -> None:  # type: ignore[no-untyped-def]
    outdir = site[1].outdir
    page = (outdir / "docs" / "jaljitettavyys.html").read_text(encoding="utf-8")
    assert "PlantUML is not available" not in page
    # one readable graph per goal (every goal, linked or not), each with a text equivalent
    images = re.findall(r'<object data="\.\./(_images/graphviz-[0-9a-f]+\.svg)"', page)
    assert len(images) == 1 + page.count('class="policycheck-graph-goal')  # and a legend
    assert page.count('class="policycheck-graph-goal') == 25
    svg = "".join((outdir / i).read_text(encoding="utf-8") for i in images)
    assert re.search(r"<(\w+:)?svg ", svg) and "G_VERKOSTOT" in svg and "O_STRATEGIAOSASTO" in svg
    assert (outdir / "_images" / "policycheck-graph.svg").is_file()  # the whole graph
    index = (outdir / "searchindex.js").read_text(encoding="utf-8")
    assert '"investoint' in index  # Finnish stemming: "investointien" -> "investoint..."
    assert re.search(r'<html[^>]* lang="fi"', page)
