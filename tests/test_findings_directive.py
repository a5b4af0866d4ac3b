"""The policycheck-findings directive shows the build's findings and is never stale."""

from __future__ import annotations

from conftest import CONF, build
from test_rules_both_paths import DEFECTS

PAGE = "# Gaps\n\n```{policycheck-findings}\n```\n"


def test_findings_page_lists_findings_and_follows_edits(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, "gaps.md": PAGE})
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "No action implements Nothing at all." in page and "Every goal has an action" in page
    assert "plan.md" not in page and "known" not in page  # residents see no files, no baseline

    # fix G_EMPTY by dropping it elsewhere: gaps.md itself is unchanged
    plan = root / "plan.md"
    plan.write_text(plan.read_text().replace(":id: G_EMPTY\n", ":id: G_EMPTY\n:status: dropped\n"))
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "No action implements Nothing at all." not in page


def test_finnish_labels_and_escaped_titles(project) -> None:  # type: ignore[no-untyped-def]
    files = {
        "plan.md": "# P\n\n```{goal} <script>alert(1)</script>\n:id: G_X\n```\n",
        "gaps.md": PAGE,
    }
    root = project(files, conf=CONF + 'language = "fi"\n')
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "Mitä puuttuu" in page and "tavoitteella on kaikki" in page
    pages = list((root / "_build" / "html").rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        assert "<script>alert(1)</script>" not in page.read_text(), page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (root / "_build/html/plan.html").read_text()


def test_rule_reference_is_generated_from_the_code(project) -> None:  # type: ignore[no-untyped-def]
    from policycheck.rules import all_rules

    root = project({"rules.md": "# Rules\n\n```{policycheck-rules}\n```\n"})
    build(root, "html")
    page = (root / "_build" / "html" / "rules.html").read_text()
    for rule in all_rules():
        assert f"{rule.name}</span></code></span> ({rule.code})" in page
        assert rule.summary.split()[0] in page
    assert '<div lang="en">' in page  # the rules' English explanations are marked so


def test_editors_view_keeps_files_and_baseline_terms(project) -> None:  # type: ignore[no-untyped-def]
    editors = "# Gaps\n\n```{policycheck-findings}\n:editors:\n```\n"
    root = project(
        {**DEFECTS, "gaps.md": editors, "rules.md": "# R\n\n```{policycheck-rules}\n```\n"}
    )
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "plan.md:" in page and "goal G_EMPTY has no action" in page and "PC101" in page
    # rule titles link to their explanation in the rule reference
    assert 'href="rules.html#rule-goal-has-action"' in page
