"""The Helsinki site in a real headless Chromium, on every page, at a laptop (1366 px)
and a phone (390 px) width, in the light and the dark colour scheme:

- 0 axe-core violations of WCAG 2.1 A and AA;
- no table cut off by the window or covered by the "On this page" sidebar (a wide
  table scrolls inside its own box), and the page itself never scrolls sideways;
- no English interface words outside an element marked ``lang="en"``;
- no request beyond localhost and no console error;
- the search answers in Finnish, with and without results, without errors.

Screenshots of the front page at both widths are written to ``tests/_artifacts/``
(git-ignored). Chromium comes from Debian (installed by scripts/dev), axe-core with the
axe-playwright-python package.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import build

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# forwarding pages: query to open them with, and where they must lead
REDIRECTS = {
    "index.html": ("", "**/docs/index.html"),
    "permalink.html": ("?id=G_VERKOSTOT", "**/docs/tavoitteet.html#G_VERKOSTOT"),
}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
WIDTHS = (1366, 390)
SCHEMES = ("light", "dark")
# Interface words that betray English on a Finnish page (whole words, case-sensitive).
ENGLISH = re.compile(
    r"\b(Skip to content|Toggle|Link to this|On this page|Search Results|Searching|"
    r"Filter the table|rows shown|Sort by|status|source|tags|due|proposed|active|"
    r"scheduled|missing|complete|known gap|Owner|Goal|Follow-up|Decision|Action|"
    r"Organisation|has no|implements|tracked by|adopted by|Next|Previous|Contents|"
    r"Back to top|Made with|Table, scrolls)\b"
)

# Text and labels a reader meets, outside elements marked as English.
TEXTS_JS = """() => {
  const out = [];
  const english = (el) => { const l = el.closest('[lang]'); return l && l.lang.startsWith('en'); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('script,style,noscript,svg,pre,code') || english(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    if (english(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(a);
      if (v) out.push(a + '=' + v);
    }
  }
  return out;
}"""

# Tables that the window cuts off or the "On this page" sidebar covers.
TABLES_JS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1)
    problems.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' px)');
  const toc = document.querySelector('.toc-drawer');
  let tocLeft = Infinity;
  if (toc) {
    const r = toc.getBoundingClientRect();
    if (getComputedStyle(toc).display !== 'none' && r.width > 0 && r.left < width) tocLeft = r.left;
  }
  document.querySelectorAll('table').forEach((table, i) => {
    if (!table.offsetParent) return;
    let box = table;
    for (let el = table.parentElement; el; el = el.parentElement) {
      const o = getComputedStyle(el).overflowX;
      if (o === 'auto' || o === 'scroll') { box = el; break; }
    }
    const r = box.getBoundingClientRect();
    const name = (table.className || 'table') + ' #' + i;
    if (r.left < -1 || r.right > width + 1) problems.push(name + ' is cut off by the window');
    else if (r.right > tocLeft + 1) problems.push(name + ' runs under the page sidebar');
    if (box !== table && box.scrollWidth > box.clientWidth + 1 &&
        (box.tabIndex < 0 || !box.getAttribute('aria-label')))
      problems.push(name + ' scrolls in a box without keyboard access or a name');
  });
  return problems;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = tmp_path_factory.mktemp("a11y")
    for name in ("conf.py", "pyproject.toml", "policycheck-baseline.json"):
        shutil.copy(REPO / name, root / name)
    for folder in ("docs", "decisions", "locale"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("*.mo"))
    outdir = build(root, "html").outdir
    with serve(outdir) as base:
        yield base, pages_of(outdir)


def pages_of(outdir: Path) -> list[str]:
    return sorted(str(p.relative_to(outdir)) for p in outdir.rglob("*.html"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a page closed while it loaded: no problem of the site


class serve:
    """Serve ``outdir`` on localhost for the length of a ``with`` block."""

    def __init__(self, outdir: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(outdir))
        self.server = _Server(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def check_site(base: str, pages: list[str], shots: Path | None = None) -> list[str]:
    """Every check above, on every page, width and scheme: the problems found. The four
    width and scheme combinations run side by side, one browser each."""
    from concurrent.futures import ThreadPoolExecutor

    combos = [(w, s) for w in WIDTHS for s in SCHEMES]
    with ThreadPoolExecutor(len(combos)) as pool:
        results = pool.map(lambda c: _check_combo(base, pages, c[0], c[1], shots), combos)
    return [problem for found in results for problem in found]


def _check_combo(
    base: str, pages: list[str], width: int, scheme: str, shots: Path | None
) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    problems: list[str] = []
    outside: list[str] = []

    def route(route: Any, request: Any) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    where = f"{width}px {scheme}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        context.route("**/*", route)
        for page_path in pages:
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)  # fmt: skip
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            if page_path in REDIRECTS:
                page.goto(base + page_path + REDIRECTS[page_path][0])
                page.wait_for_url(REDIRECTS[page_path][1])
            else:
                page.goto(base + page_path)
            page.wait_for_load_state("load")
            label = f"{page_path} ({where})"
            for v in axe.run(page, options=WCAG).response["violations"]:
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append(f"{label}: {v['id']}: {v['help']} {targets}")
            problems += [f"{label}: {t}" for t in page.evaluate(TABLES_JS)]
            english = sorted({m for t in page.evaluate(TEXTS_JS) for m in ENGLISH.findall(t)})
            if english:
                problems.append(f"{label}: English outside lang=en: {english}")
            if shots is not None and page_path == "docs/index.html" and scheme == "light":
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"front-{width}.png"), full_page=True)
            problems += [f"{label}: console error: {e}" for e in errors]
            page.close()
        problems += search_problems(context, base, where)
        context.close()
        browser.close()
    return problems + [f"request left localhost: {url}" for url in sorted(set(outside))]


def search_problems(context: Any, base: str, where: str) -> list[str]:
    """The search page answers in Finnish with and without results, and links to items."""
    problems: list[str] = []
    for query, expect in (("tavoite", r"Haku valmis: \d+ sivua"), ("zzxqv", "Haulla ei löytynyt")):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}search.html?q={query}")
        status = page.locator("p.search-summary, #search-results p").first
        try:
            status.wait_for(state="attached", timeout=15000)
            page.wait_for_function(
                "() => { const s = document.querySelector('#search-results p');"
                " return s && s.textContent.trim().length > 0; }",
                timeout=15000,
            )
        except Exception:
            problems.append(f"search {query!r} ({where}): no answer shown")
            page.close()
            continue
        text = page.locator("#search-results p").first.inner_text()
        if not re.search(expect, text):
            problems.append(f"search {query!r} ({where}): {text!r}")
        problems += [f"search {query!r} ({where}): error: {e}" for e in errors]
        page.close()
    return problems


def test_every_page_is_accessible_readable_and_finnish(site: tuple[str, list[str]]) -> None:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: run `bash scripts/dev test`"
    base, pages = site
    assert len(pages) > 15
    problems = check_site(base, pages, ARTIFACTS)
    print(f"screenshots: {ARTIFACTS}")
    assert (ARTIFACTS / "front-1366.png").is_file() and (ARTIFACTS / "front-390.png").is_file()
    assert problems == [], "\n".join(problems)
