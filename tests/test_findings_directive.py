"""The policycheck-findings directive shows the build's findings and is never stale."""

from __future__ import annotations

from conftest import CONF, build
from test_rules_both_paths import DEFECTS

PAGE = "# Gaps\n\n```{policycheck-findings}\n```\n"


def test_findings_page_lists_findings_and_follows_edits(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, "gaps.md": PAGE})
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "G_EMPTY" in page and "goal-has-action" in page

    # fix G_EMPTY by dropping it elsewhere: gaps.md itself is unchanged
    plan = root / "plan.md"
    plan.write_text(plan.read_text().replace(":id: G_EMPTY\n", ":id: G_EMPTY\n:status: dropped\n"))
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "goal G_EMPTY has no action" not in page


def test_finnish_labels_and_escaped_titles(project) -> None:  # type: ignore[no-untyped-def]
    files = {
        "plan.md": "# P\n\n```{goal} <script>alert(1)</script>\n:id: G_X\n```\n",
        "gaps.md": PAGE,
    }
    root = project(files, conf=CONF + 'language = "fi"\n')
    build(root, "html")
    page = (root / "_build" / "html" / "gaps.html").read_text()
    assert "Havainto" in page and "tavoitetta täydellisiä" in page
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
        assert f"{rule.code} {rule.name}" in page
        assert rule.summary.split()[0] in page
