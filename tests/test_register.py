"""The register views on a project that is not Helsinki's: content, verdicts, labels."""

from __future__ import annotations

from conftest import CONF, build
from test_rules_both_paths import DEFECTS

PAGES = {
    "register.md": "# Register\n\n```{policycheck-decisions}\n```\n",
    "trace.md": "# Trace\n\n```{policycheck-goals}\n```\n",
    "dash.md": "# Dashboard\n\n```{policycheck-dashboard}\n:days: 36500\n```\n",
    "owners.md": "# Owners\n\n```{policycheck-owners}\n```\n",
}


def _page(root, name: str) -> str:  # type: ignore[no-untyped-def]
    return (root / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8")


def test_register_views_in_english(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, **PAGES})
    build(root, "html")
    register = _page(root, "register")
    assert "policycheck-sortable" in register and "policycheck.js" in register
    assert register.index("D_NEW") < register.index("D_OLD")  # by date: 2015, then 2016
    assert "HEL 2016-000002" in register and "Superseded by" in register

    trace = _page(root, "trace")
    assert "goal G_EMPTY" not in trace  # verdicts are words, not messages
    assert "action: missing" in trace
    assert "followup: waived until 2099-01-01" in trace.replace("follow-up", "followup")

    dash = _page(root, "dash")
    assert "F_HALF" in dash  # overdue since 2020
    assert "indicators are being defined" in dash  # a waiver within the horizon
    assert "PC101 goal-has-action" in dash

    owners = _page(root, "owners")
    assert "Economic development (O_ECON)" in owners and "G_CONTACT" in owners


def test_register_views_in_finnish(project) -> None:  # type: ignore[no-untyped-def]
    root = project({**DEFECTS, **PAGES}, conf=CONF + 'language = "fi"\n')
    build(root, "html")
    assert "Diaarinumero" in _page(root, "register")
    trace = _page(root, "trace")
    assert "Tarkistuksen tulos" in trace and "toimenpide: puuttuu" in trace
    assert "Myöhässä olevat seurannat" in _page(root, "dash")
