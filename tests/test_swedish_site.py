"""The Swedish site of a new project has no Finnish or English word a reader sees.

``policycheck init --language sv`` writes the project; items with Swedish text and
a page with every reader view policycheck offers are added; the site is built with
the theme ``init`` writes and with Furo. On every page, the visible text (outside
``<script>``/``<style>``, code and elements marked ``lang="en"``) and the ``title``,
``aria-label``, ``alt`` and ``placeholder`` attributes hold no English message of
the catalogue that Swedish words differently, no Finnish one, and none of the
theme's or Sphinx's English interface words.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag

from policycheck import i18n
from policycheck.cli import main
from tests.conftest import build

ITEMS = {
    "organisations.md": """
```{org} Miljöförvaltningen
:id: O_MILJO
```

```{org} Gamla nämnden
:id: O_GAMLA
:status: dissolved
```
""",
    "goals.md": """
```{goal} Renare luft i staden
:id: G_LUFT
:status: active
:owner: O_MILJO
:due: 2030-12-31

Luften ska vara renare i alla stadsdelar.
```

```{goal} Fler träd längs gatorna
:id: G_TRAD
:owner: O_GAMLA
```
""",
    "actions.md": """
```{action} Fler cykelbanor
:id: A_CYKEL
:status: ongoing
:implements: G_LUFT
:owner: O_MILJO
:due: 2027-06-30
```

```{action} Elbussar
:id: A_BUSS
:status: planned
:implements: G_LUFT
:owner: O_MILJO
:due: 2026-01-31
```
""",
    "followups.md": """
```{followup} Mätning av luftkvaliteten
:id: F_MATNING
:tracks: G_LUFT
:owner: O_MILJO
:cadence: annual
:indicator: Andel dagar med god luftkvalitet
:due: 2026-03-31
```
""",
    "decisions/d_2025_1.md": """
# Beslut om luftkvalitet

```{decision} Programmet för luftkvalitet antas
:id: D_2025_1
:status: decided
:body: O_MILJO
:date: 2025-03-14
:section: 12
:diary: HEL 2025-000001
:adopts: G_LUFT
```
""",
}

VIEWS = """
# Översikt

```{policycheck-glance}
```

```{policycheck-goals}
```

```{policycheck-decisions}
```

```{policycheck-dashboard}
```

```{policycheck-owners}
```

```{policycheck-graph}
```

```{policycheck-findings}
```

```{policycheck-progress}
```

```{policycheck-history}
```

```{policycheck-timeline} G_LUFT
```

```{policycheck-open-data}
```

# Regler

```{policycheck-rules}
```

# Inställningar

```{policycheck-config}
```
"""

# The theme's and Sphinx's own English interface words (whole words, case-sensitive).
INTERFACE = (
    "Skip to content", "Toggle", "Back to top", "On this page", "Contents", "Next",
    "Previous", "Made with", "Built with", "Search", "Searching", "Search Results",
    "Navigation", "Quick search", "Related Topics", "Documentation overview", "Go",
    "Powered by", "Page source", "Show Source", "This Page", "Table of Contents",
    "Hide navigation sidebar", "Hide table of contents sidebar", "Copyright", "Link to this",
    "Permalink", "Please activate JavaScript", "Light", "Dark", "Auto", "Home",
    "View this page", "Edit this page", "Versions", "Downloads", "Last updated",
)  # fmt: skip
HIDDEN = ("script", "style", "noscript", "pre", "code", "svg")
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


def _catalogue(language: str) -> list[tuple[str, str, str | None]]:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "policycheck.po"
    with path.open("rb") as handle:
        return [(str(m.id), str(m.string), m.context) for m in read_po(handle) if m.id]


def _pattern(text: str) -> re.Pattern[str]:
    """``text`` as a whole-word pattern; ``{placeholders}`` match anything."""
    parts = re.split(r"\{\w*\}", text.strip())
    body = r".+?".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<!\w){body}(?!\w)")


@cache
def forbidden() -> list[tuple[str, re.Pattern[str]]]:
    swedish = {(msgid, ctx): msgstr for msgid, msgstr, ctx in _catalogue("sv")}
    found: dict[str, str] = {}
    for msgid, msgstr, ctx in _catalogue("sv"):
        if ctx != "language code" and msgstr and msgstr != msgid:
            found[msgid] = "English message"
    for msgid, msgstr, ctx in _catalogue("fi"):
        if ctx == "language code" or not msgstr or msgstr == msgid:
            continue
        if msgstr != swedish.get((msgid, ctx)) and msgstr not in swedish.values():
            found[msgstr] = "Finnish message"
    for word in INTERFACE:
        found[word] = "interface word"
    # an English or Finnish word that Swedish writes the same is no leak
    same = {s for s in swedish.values()}
    return [(f"{kind}: {text!r}", _pattern(text)) for text, kind in found.items()
            if text not in same and _has_words(text)]  # fmt: skip


def _has_words(text: str) -> bool:
    """Whether ``text`` says something beyond its placeholders (``{a}/{b}`` does not)."""
    return bool(re.search(r"[^\W\d_]", re.sub(r"\{\w*\}", "", text)))


def _english(tag: Tag) -> bool:
    marked = tag if tag.has_attr("lang") else tag.find_parent(attrs={"lang": True})
    return isinstance(marked, Tag) and str(marked.get("lang", "")).startswith("en")


def visible_texts(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    texts = []
    title = soup.find("title")
    if title is not None:
        texts.append(title.get_text())
    body = soup.find("body") or soup
    for node in body.find_all(string=True):
        parent = node.parent
        if parent is None or parent.find_parent(HIDDEN) or parent.name in HIDDEN:
            continue
        if _english(parent) or not node.strip():
            continue
        texts.append(" ".join(node.split()))
    for tag in soup.find_all(True):
        if _english(tag):
            continue
        for name in ATTRIBUTES:
            value = tag.get(name)
            if value and tag.name not in ("html", "link", "meta", "script", "style"):
                texts.append(" ".join(str(value).split()))
    return texts


def leaks(outdir: Path) -> list[str]:
    found = []
    for path in sorted(outdir.rglob("*.html")):
        texts = visible_texts(path.read_text(encoding="utf-8"))
        for text in texts:
            for what, pattern in forbidden():
                if pattern.search(text):
                    found.append(f"{path.relative_to(outdir)}: {what} in {text[:120]!r}")
    return sorted(set(found))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sv") / "stad"
    assert main(["init", str(root), "--language", "sv"]) == 0
    for name, text in ITEMS.items():
        path = root / name
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(old + text, encoding="utf-8")
    (root / "oversikt.md").write_text(VIEWS, encoding="utf-8")
    index = root / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "decisions/index\n", "decisions/index\noversikt\n"
        ),
        encoding="utf-8",
    )
    return root


@pytest.mark.parametrize("theme", ["init's", "furo"])
def test_the_swedish_site_has_no_english_or_finnish_word(project: Path, theme: str) -> None:
    overrides = {} if theme == "init's" else {"html_theme": "furo"}
    built = build(project, "html", overrides, fresh=True)
    assert built.status is not None
    assert (built.outdir / "oversikt.html").is_file()
    found = leaks(built.outdir)
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found[:60])


def test_the_check_finds_a_leak(tmp_path: Path) -> None:
    """The test can fail: an English message and a Finnish word are found."""
    page = (
        '<html lang="sv"><head><title>Mål</title></head><body>'
        "<p>No action implements Renare luft.</p><p>Tavoite</p>"
        '<p lang="en">No action implements X.</p><code>goal-has-action</code>'
        '<a aria-label="Skip to content" href="#">x</a></body></html>'
    )
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    found = leaks(tmp_path)
    assert any("No action implements" in f for f in found)
    assert any("Tavoite" in f for f in found)
    assert any("Skip to content" in f for f in found)
    # what is marked English and what is code are not the reader's interface
    assert not [f for f in found if "implements X" in f or "goal-has-action" in f]
