"""Personal data found the way a reader sees it, masked in the finding (issue 12),
and more personal data on an item is new for --base and the baseline.
Every address and number here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TODAY, write_project
from hypothesis import given
from hypothesis import strategies as st
from test_pr_workflow import git

from policycheck.cli import main
from policycheck.rules.personal_data import find_in_text


def test_finding_masks_the_value() -> None:
    found = find_in_text("Soita 040 123 4567 tai kirjoita someone@example.org")
    assert [f.masked for f in found] == ["s***@example.org", "040 *** **67"]


@given(st.text(alphabet="0123456789 -./()+€%HELISSN:abc\n", max_size=60))
def test_never_crashes_on_digit_soup(text: str) -> None:
    for found in find_in_text(text):
        assert found.kind in ("e-mail address", "phone number")
        assert sum(c.isdigit() for c in found.masked) <= 5 or "*" in found.masked


def _needs_json(path: Path, **fields: str) -> Path:
    need = {"id": "O_A", "type": "org", "title": "Unit", "docname": "orgs", "doctype": ".md",
            "lineno": 3, **fields}  # fmt: skip
    schema = {"properties": {name: {"field_type": "extra", "type": ["string", "null"]}
                             for name in ("section", "diary", "room")}}  # fmt: skip
    version = {"needs": {"O_A": need}, "needs_schema": schema}
    path.write_text(json.dumps({"current_version": "", "versions": {"": version}}))
    return path


@pytest.mark.parametrize("field", ["title", "section", "diary", "source", "indicator", "room"])
def test_every_published_field_is_checked(tmp_path: Path, capsys, field: str) -> None:  # type: ignore[no-untyped-def]
    path = _needs_json(tmp_path / "needs.json", **{field: "Contact: 040 123 4567"})
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--today", TODAY,
                 "--format", "json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    messages = [f["message"] for f in report["findings"] if f["rule"] == "personal-data"]
    assert messages == [f"O_A has phone number in its {field}: 040 *** **67"]


def test_custom_field_without_a_schema_is_checked(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An export without sphinx-needs' field schema: every string field is read."""
    path = _needs_json(tmp_path / "needs.json", room="Soita 040 123 4567")
    data = json.loads(path.read_text())
    del data["versions"][""]["needs_schema"]
    path.write_text(json.dumps(data))  # ASCII-escaped, as json.dumps writes it
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--today", TODAY])
    assert code == 1
    assert "in its room: 040 *** **67" in capsys.readouterr().out


def test_custom_field_is_checked_in_the_build(project, capsys) -> None:  # type: ignore[no-untyped-def]
    conf = (
        'extensions = ["myst_parser", "policycheck"]\nproject = "T"\n'
        'needs_fields = {"room": {"description": "room", "nullable": True}}\n'
    )
    root = project(
        {"orgs.md": "# Orgs\n\n```{org} Unit\n:id: O_A\n:room: tel. 040 123 4567\n```\n"}, conf
    )
    code = main(["check", str(root), "--today", TODAY, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["message"] for f in report["findings"]] == [
        "O_A has phone number in its room: 040 *** **67"
    ]


def test_region_comes_from_the_table(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policycheck.toml").write_text('phone_region = "SE"\n')
    path = _needs_json(tmp_path / "needs.json", source="Ring 08 123 456 78")
    assert main(["check", "--needs-json", str(path), "--config", str(tmp_path)]) == 1
    assert "08 1** *** 78" in capsys.readouterr().out


# --- --base and the baseline: more personal data is new --------------------

ORG_WITH = "# Orgs\n\n```{{org}} Unit\n:id: O_A\n\n{body}\n```\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "repo", {"orgs.md": ORG_WITH.format(body="Tel. 040 123 4567")})
    (root / ".gitignore").write_text("_build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def test_base_sees_added_personal_data_as_new(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["check", str(repo), "--base", "main", "--today", TODAY, "--format", "json"]
    assert main(args) == 0  # the known number, unchanged
    capsys.readouterr()
    body = "Tel. 040 123 4567, also 050 765 4321 or +44 20 7946 0958, someone@example.org"
    (repo / "orgs.md").write_text(ORG_WITH.format(body=body))
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    new = [f for f in report["findings"] if not f["known"]]
    assert len(new) == 1 and "s***@example.org" in new[0]["message"]
    assert "050 *** **21" in new[0]["message"]


def test_baseline_sees_added_personal_data_as_new(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["baseline", str(repo), "--today", TODAY]) == 0
    entries = json.loads((repo / "policycheck-baseline.json").read_text())["findings"]
    assert [bool(e.get("fingerprint")) for e in entries] == [True]
    assert main(["check", str(repo), "--today", TODAY]) == 0
    (repo / "orgs.md").write_text(ORG_WITH.format(body="Tel. 040 123 4567 or 050 765 4321"))
    capsys.readouterr()
    assert main(["check", str(repo), "--today", TODAY]) == 1


def test_old_baseline_files_are_still_read(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    old = {"tool": "policycheck", "findings": [{"rule": "goal-has-action", "need": "G_X"}]}
    (repo / "policycheck-baseline.json").write_text(json.dumps(old))
    # an entry without a fingerprint does not cover a content-sensitive finding
    assert main(["check", str(repo), "--today", TODAY]) == 1
    assert "personal-data" in capsys.readouterr().out


def test_tags_and_list_fields_are_checked_in_the_build(project, capsys) -> None:  # type: ignore[no-untyped-def]
    """Tags and a field holding a list of strings are published on the item's page:
    checked on both paths, the build's and the needs.json's (third trial: tags
    were not read at all)."""
    conf = (
        'extensions = ["myst_parser", "policycheck"]\nproject = "T"\n'
        'needs_fields = {"contacts": {"description": "contacts", "nullable": True,\n'
        '    "schema": {"type": "array", "items": {"type": "string"}}}}\n'
        "needs_build_json = True\n"
    )
    root = project(
        {
            "orgs.md": "# Orgs\n\n```{org} Unit\n:id: O_A\n:tags: international, someone@example.org\n"
            ":contacts: registry, 040 123 4567\n```\n"
        },
        conf,
    )
    code = main(["check", str(root), "--today", TODAY, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    expected = [
        "O_A has e-mail address in its tags: s***@example.org",
        "O_A has phone number in its contacts: 040 *** **67",
    ]
    assert sorted(f["message"] for f in report["findings"]) == expected
    exported = next(root.rglob("_build/**/needs.json"))
    code = main(["check", "--needs-json", str(exported), "--config", str(root), "--today", TODAY,
                 "--format", "json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert sorted(f["message"] for f in report["findings"]) == expected


def test_no_other_rule_prints_personal_data_unmasked(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A number in a validated field (status, as_of, a decision's date or diary
    number) is refused by the schema and decision rules, which quote the value:
    masked, as personal-data shows it (fourth trial: printed whole, in CI logs)."""
    path = tmp_path / "needs.json"
    goal = {"id": "G_A", "type": "goal", "title": "Goal", "docname": "plan", "doctype": ".md",
            "lineno": 3, "status": "0401234567", "as_of": "040 123 4567"}  # fmt: skip
    decision = {"id": "D_A", "type": "decision", "title": "Decision", "docname": "plan",
                "doctype": ".md", "lineno": 9, "date": "040 123 4567",
                "diary": "HEL 040 123 4567"}  # fmt: skip
    version = {"needs": {"G_A": goal, "D_A": decision}}
    path.write_text(json.dumps({"current_version": "", "versions": {"": version}}))
    for fmt in ("text", "json", "markdown", "sarif", "github", "junit"):
        code = main(["check", "--needs-json", str(path), "--config", str(tmp_path),
                     "--today", TODAY, "--format", fmt])  # fmt: skip
        out = capsys.readouterr().out
        assert code == 1
        assert "123 4567" not in out and "0401234567" not in out, fmt
        if fmt in ("text", "json"):  # (the others escape the asterisks for their medium)
            assert "040 *** **67" in out and "040*****67" in out, fmt


def test_a_list_field_without_a_schema_is_checked(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An export without sphinx-needs' schema (fourth trial): a list of strings is
    read as text, a link's list of ids (it has a ``_back`` twin) is not."""
    path = _needs_json(tmp_path / "needs.json")
    data = json.loads(path.read_text())
    del data["versions"][""]["needs_schema"]
    need = data["versions"][""]["needs"]["O_A"]
    need["contacts"] = ["registry", "someone@example.org"]
    need["depends"], need["depends_back"] = ["O_040_123_4567"], []
    path.write_text(json.dumps(data))
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--today", TODAY,
                 "--format", "json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["message"] for f in report["findings"] if f["rule"] == "personal-data"] == [
        "O_A has e-mail address in its contacts: s***@example.org"
    ]
