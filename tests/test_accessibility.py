"""The Helsinki site in a real headless Chromium: every page passes axe-core (WCAG 2.1
A and AA) with 0 violations, makes no request beyond localhost and logs no console
error. Chromium comes from Debian (installed by scripts/dev), axe-core with the
axe-playwright-python package."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import build

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# forwarding pages: query to open them with, and where they must lead
REDIRECTS = {
    "index.html": ("", "**/docs/index.html"),
    "permalink.html": ("?id=G_VERKOSTOT", "**/docs/tavoitteet.html#G_VERKOSTOT"),
}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = tmp_path_factory.mktemp("a11y")
    for name in ("conf.py", "pyproject.toml", "policycheck-baseline.json"):
        shutil.copy(REPO / name, root / name)
    for folder in ("docs", "decisions", "locale"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("*.mo"))
    outdir = build(root, "html").outdir
    pages = sorted(str(p.relative_to(outdir)) for p in outdir.rglob("*.html"))
    handler = functools.partial(_QuietHandler, directory=str(outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", pages
    server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_every_page_is_accessible_offline_and_error_free(site: tuple[str, list[str]]) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: run `bash scripts/dev test`"
    base, pages = site
    assert len(pages) > 15
    axe = Axe()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context()
        outside: list[str] = []

        def route(route, request) -> None:  # type: ignore[no-untyped-def]
            host = urlparse(request.url).hostname
            if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                route.continue_()
            else:
                outside.append(request.url)
                route.abort()

        context.route("**/*", route)
        for page_path in pages:
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            if page_path in REDIRECTS:
                # pages that forward: axe checks where they lead
                page.goto(base + page_path + REDIRECTS[page_path][0])
                page.wait_for_url(REDIRECTS[page_path][1])
            else:
                page.goto(base + page_path)
            page.wait_for_load_state("load")
            result = axe.run(page, options=WCAG)
            for v in result.response["violations"]:
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append(f"{page_path}: {v['id']} ({v['impact']}): {v['help']} {targets}")
            problems += [f"{page_path}: console error: {e}" for e in errors]
            page.close()
        browser.close()
    problems += [f"request left localhost: {url}" for url in outside]
    assert problems == [], "\n".join(problems)
