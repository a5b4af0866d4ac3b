"""The register over time, on a real git repository with a known history.

Commits: the plan is created; G_NEW is added; its status changes; its owner changes;
F_OLD is removed; plan.md is renamed. The pull-request report, the "changes" page,
the item's timeline and the open data must each show exactly those changes.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, build, write_project
from test_rules_both_paths import ORGS

from policycheck.cli import main

PLAN = """
# Plan

```{decision} Plan adopted
:id: D_2017
:status: decided
:adopts: G_OK
:body: O_ECON
:date: 2017-11-13
:section: 11
:diary: HEL 2017-010458
```

```{goal} Attract investment
:id: G_OK
:owner: O_ECON
```

```{action} Investor desk
:id: A_OK
:implements: G_OK
:owner: O_ECON
:due: 2027-12-31
:status: done
```

```{followup} Investment report
:id: F_OK
:tracks: G_OK
:owner: O_ECON
:due: 2020-06-30
:indicator: investments per year
```

```{followup} Old report
:id: F_OLD
:tracks: G_OK
:owner: O_ECON
:cadence: annual
:indicator: reports
```
"""

NEW = """
```{goal} Welcome newcomers
:id: G_NEW
:status: proposed
:owner: O_ECON
```
"""

OLD = PLAN[PLAN.index("```{followup} Old report") :]

CHANGES_PAGE = """
# Changes

```{policycheck-history}
```

## Newcomers

```{policycheck-timeline} G_NEW
```

## Progress

```{policycheck-progress}
```

## Open data

```{policycheck-open-data}
```
"""


def git(root: Path, *args: str, date: str = "2026-01-01T12:00:00+02:00") -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(root),
        "PATH": "/usr/bin:/bin",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return done.stdout.decode()


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


def make_repo(root: Path, conf_extra: str = "", folder: str = "") -> Path:
    """The history of the module docstring; returns the Sphinx project folder."""
    proj = root / folder if folder else root
    write_project(
        proj,
        {"orgs.md": ORGS, "plan.md": PLAN, "changes.md": CHANGES_PAGE},
        conf=f'extensions = ["myst_parser", "policycheck"]\nproject = "Test city"\n{conf_extra}',
    )
    (root / ".gitignore").write_text("_build/\n")
    git(root, "init", "-q", "-b", "main")
    steps = [
        ("Plan created", lambda t: t),
        ("Add a goal for newcomers", lambda t: t + NEW),
        ("Newcomers goal is active", lambda t: t.replace(":status: proposed", ":status: active")),
        (
            "The committee takes the newcomers goal",
            lambda t: t.replace(
                ":status: active\n:owner: O_ECON", ":status: active\n:owner: O_COMMITTEE"
            ),
        ),
        ("Old report removed", lambda t: t.replace(OLD, "")),
    ]
    plan = proj / "plan.md"
    for n, (message, change) in enumerate(steps):
        plan.write_text(change(plan.read_text()))
        commit(root, message, f"2026-0{n + 1}-15T12:00:00+02:00")
    git(root, "mv", str(plan.relative_to(root)), str((proj / "goals.md").relative_to(root)))
    text = (proj / "goals.md").read_text().replace("```{goal} Attract", "\n\n```{goal} Attract")
    (proj / "goals.md").write_text(text)  # reformatted too: no change either
    commit(root, "Rename plan.md to goals.md", "2026-07-15T12:00:00+02:00")
    return proj


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("history") / "repo")


def check_base(root: Path, base: str, fmt: str, capsys, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    import os

    old = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = language
    try:
        main(["check", str(root), "--base", base, "--today", TODAY, "--format", fmt])
    finally:
        if old is None:
            del os.environ["LANGUAGE"]
        else:
            os.environ["LANGUAGE"] = old
    out: str = capsys.readouterr().out
    return out


def test_the_json_report_says_what_the_change_does(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # base: G_NEW was just added; since then its status and owner changed, F_OLD
    # was removed and the file renamed and reformatted
    changes = json.loads(check_base(repo, "HEAD~4", "json", capsys))["changes"]
    assert changes == {
        "added": [],
        "removed": [{"id": "F_OLD", "type": "followup", "title": "Old report"}],
        "changed": [
            {
                "id": "G_NEW",
                "type": "goal",
                "title": "Welcome newcomers",
                "fields": {
                    "status": ["proposed", "active"],
                    "owner": [["O_ECON"], ["O_COMMITTEE"]],
                },
            }
        ],
    }
    added = json.loads(check_base(repo, "HEAD~5", "json", capsys))["changes"]
    assert [a["id"] for a in added["added"]] == ["G_NEW"]
    assert not added["changed"]
    moved = json.loads(check_base(repo, "HEAD~1", "json", capsys))["changes"]
    assert moved == {"added": [], "removed": [], "changed": []}


def test_the_markdown_summary_starts_with_the_changes_in_the_readers_language(
    repo: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    md = check_base(repo, "HEAD~4", "markdown", capsys, language="fi")
    head = md.split("\n## ")[0]
    assert head.startswith("## Mitä muutos tekee rekisterille")
    assert head.count("\n- ") == 2
    assert "- F\\_OLD (seuranta) poistettu: Old report" in head
    assert "- G\\_NEW: tila ehdotettu → käynnissä; vastuutaho O\\_ECON → O\\_COMMITTEE" in head
    assert md.index("Mitä muutos") < md.index("policycheck")
    text = check_base(repo, "HEAD~4", "text", capsys, language="sv")
    assert "Vad ändringen gör med registret\n  F_OLD (uppföljning) borttagen: Old report\n" in text
    github = check_base(repo, "HEAD~1", "github", capsys)
    assert "::notice title=What this change does to the register::No item was added" in github


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _sections(page: str) -> dict[str, list[str]]:
    """Commit sections of the changes page: title to its change lines."""
    out = {}
    for match in re.finditer(
        r'<section class="policycheck-commit" id="commit-\w+">(.*?)</section>', page, re.S
    ):
        body = match[1]
        title = _text(re.search(r"<h\d>(.*?)</h\d>", body, re.S)[1]).replace("¶", "").strip()  # type: ignore[index]
        out[title] = [_text(li) for li in re.findall(r"<li>(.*?)</li>", body, re.S)]
    return out


@pytest.fixture(scope="module")
def site(repo: Path):  # type: ignore[no-untyped-def]
    return build(repo, "html", fresh=True)


def test_the_changes_page_shows_each_commit_and_only_its_changes(site) -> None:  # type: ignore[no-untyped-def]
    page = (site.outdir / "changes.html").read_text()
    sections = _sections(page)
    assert list(sections) == [
        "2026-05-15 Old report removed",
        "2026-04-15 The committee takes the newcomers goal",
        "2026-03-15 Newcomers goal is active",
        "2026-02-15 Add a goal for newcomers",
        "2026-01-15 Plan created",
    ]  # the rename (and reformatting) changed nothing: not listed
    assert sections["2026-05-15 Old report removed"] == ["F_OLD (followup) removed: Old report"]
    assert sections["2026-04-15 The committee takes the newcomers goal"] == [
        "G_NEW: owner O_ECON → O_COMMITTEE"
    ]
    assert sections["2026-03-15 Newcomers goal is active"] == ["G_NEW: status proposed → active"]
    assert sections["2026-02-15 Add a goal for newcomers"] == [
        "G_NEW (goal) added: Welcome newcomers"
    ]
    assert len(sections["2026-01-15 Plan created"]) == 8
    # the site builds without any warning but the rules' own findings
    assert [w for w in site.warnings.splitlines() if "[policycheck." not in w] == []


def test_each_item_shows_its_own_history(site) -> None:  # type: ignore[no-untyped-def]
    goals = (site.outdir / "goals.html").read_text()
    box = goals[goals.index("History: G_NEW") :]
    box = box[: box.index("</details>")]
    lines = [
        _text(li)
        for li in re.findall(r"<li>(.*?)</li>", box[box.rindex("policycheck-item-history") :], re.S)
    ]
    assert lines == [
        "2026-02-15: G_NEW (goal) added: Welcome newcomers",
        "2026-03-15: G_NEW: status proposed → active",
        "2026-04-15: G_NEW: owner O_ECON → O_COMMITTEE",
    ]
    ok = goals[goals.index("History: A_OK") :]
    assert "2026-01-15: A_OK (action) added: Investor desk" in _text(ok[: ok.index("</details>")])


def test_a_goal_reads_as_a_timeline_with_progress(site) -> None:  # type: ignore[no-untyped-def]
    goals = (site.outdir / "goals.html").read_text()
    box = goals[goals.index("History: G_OK") :]
    box = _text(box[: box.index("</details>")])
    assert "1 of 1 actions done" in box
    assert "Adopted by Plan adopted (D_2017) 2017-11-13" in box
    assert "Overdue now Investment report (F_OK)" in box  # due 2020-06-30, not done
    page = (site.outdir / "changes.html").read_text()
    assert (
        '<progress class="policycheck-progress" max="1" value="1" aria-label="Progress of Attract investment">100 %</progress>'
        in page
    )
    assert 'rel="alternate" type="application/atom+xml"' in page


def test_open_data_files(site) -> None:  # type: ignore[no-untyped-def]
    import csv
    import xml.etree.ElementTree as ET

    data = site.outdir / "data"
    register = json.loads((data / "register.json").read_text(encoding="utf-8"))
    assert {i["id"] for i in register["items"]} == {
        "D_2017",
        "G_OK",
        "A_OK",
        "F_OK",
        "G_NEW",
        "O_ECON",
        "O_OLD",
        "O_COMMITTEE",
    }
    assert "licence" in register
    raw = (data / "register.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    new = next(r for r in rows if r["id"] == "G_NEW")
    assert new["owner"] == "O_COMMITTEE" and new["file"] == "goals.md" and new["status"] == "active"
    changes = json.loads((data / "changes.json").read_text(encoding="utf-8"))
    assert len(changes["commits"]) == 5
    feed = ET.fromstring((data / "changes.atom").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.tag == f"{atom}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{atom}{tag}") is not None
    entries = feed.findall(f"{atom}entry")
    assert entries[0].findtext(f"{atom}title") == "Old report removed"
    assert all(e.findtext(f"{atom}id", "").startswith("urn:uuid:") for e in entries)
    assert json.loads((data / "findings.json").read_text(encoding="utf-8"))["tool"] == "policycheck"


def test_the_cached_history_after_new_commits_equals_a_fresh_read(tmp_path: Path) -> None:
    from policycheck.history.log import read_history

    proj = make_repo(tmp_path / "repo")
    kinds = ["goal", "action", "followup", "org", "decision"]

    def read(cache: Path | None):  # type: ignore[no-untyped-def]
        return read_history(proj, cache, kinds, lambda p: p.endswith(".md"))

    cache = tmp_path / "cache"
    first = read(cache)
    assert first.new_ids is None and len(first.commits) == 5
    goals = proj / "goals.md"
    goals.write_text(goals.read_text().replace(":status: active", ":status: achieved"))
    commit(proj, "Newcomers goal achieved", "2026-08-15T12:00:00+02:00")
    again = read(cache)
    assert again.new_ids == {"G_NEW"} and again.since == first.head
    fresh = read(None)
    assert [(c.sha, c.changes) for c in again.commits] == [
        (c.sha, c.changes) for c in fresh.commits
    ]
    assert read(cache).new_ids == set()


def test_pages_follow_a_new_commit_without_a_clean_build(tmp_path: Path) -> None:
    proj = make_repo(tmp_path / "repo")
    build(proj, "html")
    goals = proj / "goals.md"
    goals.write_text(goals.read_text().replace(":status: active", ":status: achieved"))
    commit(proj, "Newcomers goal achieved", "2026-08-15T12:00:00+02:00")
    site = build(proj, "html")
    sections = _sections((site.outdir / "changes.html").read_text())
    assert sections["2026-08-15 Newcomers goal achieved"] == ["G_NEW: status active → achieved"]
    page = (site.outdir / "goals.html").read_text()
    assert "2026-08-15: G_NEW: status active → achieved" in _text(page)
    atom = (site.outdir / "data" / "changes.atom").read_text(encoding="utf-8")
    assert "Newcomers goal achieved" in atom


def test_without_git_history_the_page_says_so_in_one_sentence(tmp_path: Path) -> None:
    files = {"orgs.md": ORGS, "plan.md": PLAN, "changes.md": CHANGES_PAGE}
    proj = write_project(tmp_path / "tarball", files)
    site = build(proj, "html")
    page = _text((site.outdir / "changes.html").read_text())
    assert "cannot be shown" in page
    assert [w for w in site.warnings.splitlines() if "[policycheck." not in w] == []
    changes = json.loads((site.outdir / "data" / "changes.json").read_text(encoding="utf-8"))
    assert changes["available"] is False and changes["commits"] == []


def test_a_project_in_a_subfolder_with_rst_and_hostile_text(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = tmp_path / "city"
    docs = root / "docs"
    rst = (
        "Plan\n====\n\n.. goal:: <script>alert(1)</script> & more\n   :id: G_RST\n"
        "   :status: proposed\n"
    )
    write_project(docs, {"plan.rst": rst, "changes.md": CHANGES_PAGE})
    (root / ".gitignore").write_text("_build/\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Add <b>goal</b> \x1b[31m & co", "2026-01-15T12:00:00+02:00")
    index = docs / "plan.rst"
    index.write_text(index.read_text().replace(":status: proposed", ":status: active"))
    commit(root, "Activate", "2026-02-15T12:00:00+02:00")
    site = build(docs, "html")
    page = (site.outdir / "changes.html").read_text()
    assert "<script>alert" not in page and "<b>goal" not in page
    assert _sections(page)["2026-02-15 Activate"] == ["G_RST: status proposed → active"]
    feed = ET.fromstring((site.outdir / "data" / "changes.atom").read_bytes())
    titles = [
        e.findtext("{http://www.w3.org/2005/Atom}title")
        for e in feed.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles[1].startswith("Add <b>goal</b>")  # text, escaped by the XML writer
    rows = (site.outdir / "data" / "register.csv").read_bytes().decode("utf-8-sig")
    assert "docs/plan.rst" in rows


def test_a_shallow_clone_starts_its_history_at_the_oldest_commit_present(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{origin}", str(clone))
    site = build(clone, "html", overrides={"policycheck_item_history": False})
    page = (site.outdir / "changes.html").read_text()
    assert "The history begins on 2026-05-15" in _text(page)
    # the oldest commit present is the starting point, not "everything added"
    assert list(_sections(page)) == []  # the newest commit (the rename) changed nothing
    assert "History: G_NEW" not in (site.outdir / "goals.html").read_text()


def test_base_reports_validate_against_their_schemas(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import jsonschema
    from test_reports import REPORT_SCHEMA, SARIF_SCHEMA

    report = json.loads(check_base(repo, "HEAD~5", "json", capsys))
    jsonschema.validate(report, REPORT_SCHEMA)
    sarif = json.loads(check_base(repo, "HEAD~4", "sarif", capsys))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    changed = sarif["runs"][0]["properties"]["changes"]["changed"]
    assert [c["id"] for c in changed] == ["G_NEW"]


def test_a_base_without_the_project_adds_every_item(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("before the plan\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-01-01T12:00:00+02:00")
    write_project(root / "plan", {"orgs.md": ORGS, "plan.md": PLAN})
    changes = json.loads(check_base(root / "plan", "main", "json", capsys))["changes"]
    assert len(changes["added"]) == 8 and not changes["removed"] and not changes["changed"]


def test_progress_and_what_each_organisation_has_late() -> None:
    from datetime import date

    from policycheck.history.progress import by_organisation, progress
    from policycheck.model import Item, Project

    project = Project.from_items(
        [
            Item(id="G_A", type="goal", title="A"),
            Item(id="A_1", type="action", title="1", implements=["G_A"], status="done"),
            Item(
                id="A_2",
                type="action",
                title="2",
                implements=["G_A"],
                owner=["O_X"],
                due="2026-01-01",
            ),
            Item(
                id="A_3",
                type="action",
                title="3",
                implements=["G_A"],
                status="cancelled",
                owner=["O_X"],
                due="2026-01-01",
            ),
            Item(id="F_1", type="followup", title="f", owner=["O_X"], due="2027-01-01"),
            Item(id="O_X", type="org", title="X"),
        ]
    )
    assert progress(project, project.items["G_A"]) == (1, 2)  # the cancelled one does not count
    (load,) = by_organisation(project, date(2026, 6, 1))
    assert [i.id for i in load.owns] == ["A_2", "A_3", "F_1"]
    assert [i.id for i in load.late] == ["A_2"]


def test_with_checks_off_items_keep_their_histories_and_the_model_is_built_once(
    repo: Path, site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """``policycheck_checks = False`` (the CLI's needs build does this): the site still
    shows every item's history; without the checks' model, the pages and views make
    one from the needs once per build, not once per page, view or goal (16 times on
    this small site before, quadratic on a large plan)."""
    import shutil

    from policycheck.sphinx import checks

    copy = tmp_path / "repo"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns("_build"))
    built_models = []
    original = checks.project_from_needs

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built_models.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(checks, "project_from_needs", counting)
    off = build(copy, "html", {"policycheck_checks": False}, fresh=True)
    boxes = re.compile(
        r"<summary>History: [^<]*</summary>|<ul class=\"policycheck-item-history.*?</ul>", re.S
    )
    pages = sorted(p.relative_to(site.outdir) for p in site.outdir.glob("*.html"))
    shown_on = [boxes.findall((site.outdir / p).read_text()) for p in pages]
    shown_off = [boxes.findall((off.outdir / p).read_text()) for p in pages]
    assert shown_off == shown_on
    histories = sum(part.startswith("<summary>") for page in shown_on for part in page)
    assert histories >= 5
    assert len(built_models) == 1  # not once per page, view or goal
