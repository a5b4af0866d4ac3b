"""One definition per concept: the vocabulary table, the configuration dataclass, the
extension's state in a Sphinx domain, and static files that leave the user's settings
alone. Every test builds a real Sphinx project."""

from __future__ import annotations

import ast
import dataclasses
import html
import inspect
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import CONF, build, write_project

import policycheck.domain as domain
from policycheck import i18n
from policycheck.cli import main
from policycheck.config import PolicyConfig, config_from_table, documented_fields
from policycheck.domain import (
    VOCABULARY,
    Field,
    ItemType,
    Phase,
    Status,
    Vocabulary,
    vocabulary,
)
from policycheck.errors import ConfigError
from policycheck.findings import Finding, Message
from policycheck.model import Item
from policycheck.rules import RawFinding

PLAN = {
    "plan.md": """
    # Plan

    ```{org} Economy
    :id: O_ECON
    ```

    ```{goal} Attract investment
    :id: G_INVEST
    :owner: O_ECON
    ```

    ```{policycheck-dashboard}
    ```
    """
}


# --- static files and the environment -------------------------------------------------


def test_unchanged_rebuild_reads_nothing_and_says_nothing_about_configuration(
    tmp_path: Path,
) -> None:
    conf = CONF + 'html_static_path = ["_static"]\n'
    root = write_project(tmp_path / "p", {**PLAN, "_static/own.css": "p {}\n"}, conf)
    first = build(root, "html")
    assert "2 added" in first.status  # the first build reads every page
    again = build(root, "html")
    assert "0 added, 0 changed, 0 removed" in again.status
    assert "config changed" not in again.status and "configuration" not in again.status
    # the user's setting is as they wrote it; our assets are there all the same
    user_paths = again.app.config.html_static_path
    assert user_paths[0] == "_static" and not [p for p in user_paths if "policycheck" in p]
    static = again.outdir / "_static"
    assert (static / "policycheck.css").is_file() and (static / "policycheck.js").is_file()
    assert (static / "own.css").is_file()
    page = (again.outdir / "plan.html").read_text(encoding="utf-8")
    assert "_static/policycheck.css" in page and "_static/policycheck.js" in page


def test_an_environment_of_another_state_version_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policycheck.sphinx as extension

    root = write_project(tmp_path / "p", PLAN)
    first = build(root)
    assert first.app.extensions["policycheck"].metadata["env_version"] == extension.ENV_VERSION
    monkeypatch.setattr(extension, "ENV_VERSION", extension.ENV_VERSION + 1)
    again = build(root)
    assert "2 added" in again.status  # every page read again


def test_state_lives_in_the_domain_not_on_sphinx_objects(tmp_path: Path) -> None:
    from policycheck.sphinx.state import domain_of, project_of, report_of

    root = write_project(tmp_path / "p", PLAN)
    built = build(root, "html")
    app = built.app
    assert not [name for name in vars(app) if name.startswith("policycheck")]
    assert not [name for name in vars(app.env) if name.startswith("policycheck")]
    data = domain_of(app.env).data
    assert data["views"] == {"plan"}
    assert report_of(app) is built.report and built.report is not None
    project = project_of(app)
    assert project is not None and set(project.items) == {"O_ECON", "G_INVEST"}
    # a page that no longer holds a view is forgotten when it is read again
    (root / "plan.md").write_text("# Plan\n\nNo views.\n", encoding="utf-8")
    again = build(root, "html")
    assert domain_of(again.app.env).data["views"] == set()


def test_parallel_reading_merges_the_state(tmp_path: Path) -> None:
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from policycheck.sphinx.state import domain_of

    pages = {f"p{i}.md": f"# P{i}\n\n```{{policycheck-dashboard}}\n```\n" for i in range(6)}
    root = write_project(tmp_path / "p", pages)
    with patch_docutils(root), docutils_namespace():
        app = Sphinx(root, root, root / "_build/html", root / "_build/d", "html",
                     status=io.StringIO(), warning=io.StringIO(), parallel=2)  # fmt: skip
        app.build()
    assert domain_of(app.env).data["views"] == {f"p{i}" for i in range(6)}
    html = (root / "_build/html/p5.html").read_text(encoding="utf-8")
    assert "0 / 0" in html  # the view was filled


def test_reporters_read_only_the_report() -> None:
    folder = Path(domain.__file__).parent / "reporters"
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m and re.match(r"policycheck\.(rules|engine)", m)}, path


# --- the vocabulary ---------------------------------------------------------------------


def test_every_field_and_link_of_the_table_is_in_the_model() -> None:
    names = set(Item.__struct_fields__)
    assert {f.name for f in VOCABULARY.fields} <= names
    assert {link.name for link in VOCABULARY.links} <= names


def test_the_model_fields_are_in_the_order_sphinx_needs_writes_keys() -> None:
    # needs.json is written with sorted keys; msgspec finds a key's field fastest when
    # the fields come in the same order
    names = list(Item.__struct_encode_fields__)
    assert names == sorted(names)


@pytest.mark.parametrize("cls", [Finding, RawFinding])
def test_hand_written_initialisers_take_the_fields_in_order(cls: type) -> None:
    """Finding and RawFinding write their fields without the generated __init__ (a
    hot path): the signature must stay the fields', with the same defaults."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    declared = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in declared]
    for param, declared_field in zip(params, declared, strict=True):
        default = declared_field.default
        assert param.default == (
            inspect.Parameter.empty if default is dataclasses.MISSING else default
        )
    values = [f"v{n}" for n in range(len(params))]
    made = cls(*values)
    if cls is RawFinding:  # (its message may be given as a plain string)
        values[1] = Message(values[1])
    assert [getattr(made, f.name) for f in declared] == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.need = "other"


def test_status_semantics_come_from_the_table() -> None:
    from policycheck.rules import plan

    assert {"dropped"} == plan.DROPPED
    assert {"cancelled"} == plan.CANCELLED
    assert {"dissolved"} == plan.DISSOLVED
    assert {"dropped", "achieved"} == plan.CLOSED_GOAL
    assert VOCABULARY.phase("goal", None) is Phase.OPEN
    assert VOCABULARY.phase("goal", "no-such-status") is Phase.OPEN
    assert VOCABULARY.phase("org", "dissolved") is Phase.WITHDRAWN
    assert VOCABULARY.type_of_role("action").initial_status == "planned"


def test_renamed_types_keep_their_roles() -> None:
    vocab = vocabulary({"action": "plan_action"})
    assert vocab.name_of("action") == "plan_action"
    assert vocab.role_of("plan_action") == "action"
    assert vocab.role_of("action") is None
    assert vocab.names_of(vocab.link("implements").sources) == ("plan_action",)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown item type 'risk'"):
        vocabulary({"risk": "x"})
    with pytest.raises(ValueError, match="two item types are named 'goal'"):
        vocabulary({"action": "goal"})


def _catalogue(language: str, context: str | None = None) -> dict[str, str]:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "policycheck.po"
    with path.open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id): str(m.string) for m in messages if m.id and m.context == context}


def _vocabulary_labels() -> set[str]:
    labels = set()
    for t in VOCABULARY.types:
        labels.add(t.label)
    for link in VOCABULARY.links:
        labels |= {link.outgoing, link.incoming}
    for f in VOCABULARY.fields:
        labels |= {f.label, f.description}
    for spec in documented_fields():
        labels |= {spec.metadata["help"], spec.metadata["kind"]}
    from policycheck.sphinx.config_reference import HEADERS

    return labels | set(HEADERS)


@pytest.mark.parametrize("language", i18n.translated_languages())
def test_every_vocabulary_and_configuration_label_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    missing = sorted(label for label in _vocabulary_labels() if not catalogue.get(label))
    assert not missing
    # statuses are worded per type (an organisation is "toiminnassa", a goal "käynnissä"):
    # their one translation is the catalogue's "status of <type>" context (labels.status_label)
    for t in VOCABULARY.types:
        per_type = _catalogue(language, f"status of {t.name}")
        assert not [s.name for s in t.statuses if not per_type.get(s.name)], t.name


@pytest.mark.parametrize(
    ("language", "title", "status"),
    # a status is worded per type (msgctxt "status of goal"): a goal is "käynnissä"
    [("fi", "Tavoite", "käynnissä"), ("sv", "Mål", "pågående"), ("en", "Goal", "active")],
)
def test_labels_follow_the_project_language(
    tmp_path: Path, language: str, title: str, status: str
) -> None:
    files = {
        **PLAN,
        "goals.md": "# Goals\n\n```{goal} G\n:id: G_X\n:status: active\n:owner: O_ECON\n```"
        "\n\n```{policycheck-owners}\n```\n",
    }
    root = write_project(tmp_path / "p", files, CONF + f'language = "{language}"\n')
    assert build(root).needs()["G_X"]["type_name"] == title
    owners = (build(root, "html").outdir / "goals.html").read_text(encoding="utf-8")
    assert f"<p>{title}</p>" in owners and f"<p>{status}</p>" in owners


# --- adding to the table is one change --------------------------------------------------

RISK = ItemType(
    "risk",
    "Risk",
    "R_",
    "#FFCCCC",
    (Status("identified", "identified"), Status("mitigated", "mitigated", Phase.DONE)),
)
LIKELIHOOD = Field("likelihood", "Likelihood", "How likely", ("risk",), {"type": "string"})


@pytest.fixture
def extended(monkeypatch: pytest.MonkeyPatch) -> Vocabulary:
    """The library's table with one more type, status and field: nothing else changed."""
    action = VOCABULARY.type_of_role("action")
    paused = dataclasses.replace(action, statuses=(*action.statuses, Status("paused", "paused")))
    types = tuple(paused if t.role == "action" else t for t in VOCABULARY.types)
    table = dataclasses.replace(
        VOCABULARY, types=(*types, RISK), fields=(*VOCABULARY.fields, LIKELIHOOD)
    )
    monkeypatch.setattr(domain, "VOCABULARY", table)
    return table


RISKS = {
    "risks.md": """
    # Risks

    ```{risk} Flood
    :id: R_FLOOD
    :status: identified
    :likelihood: high
    ```

    ```{action} Paused action
    :id: A_PAUSED
    :status: paused
    ```
    """
}


def test_a_type_status_and_field_added_to_the_table_reach_the_build_and_new(
    extended: Vocabulary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path / "p", RISKS)
    (root / "pyproject.toml").write_text(
        '[tool.policycheck]\nitems_files = { risk = "risks.md" }\n', encoding="utf-8"
    )
    built = build(root)
    needs = built.needs()
    assert needs["R_FLOOD"]["type"] == "risk" and needs["R_FLOOD"]["type_name"] == "Risk"
    assert needs["R_FLOOD"]["likelihood"] == "high"
    assert needs["A_PAUSED"]["status"] == "paused"
    assert "schema" not in built.warnings and "not declared" not in built.warnings

    assert main(["new", "risk", "Heat wave", "--dir", str(root)]) == 0
    assert capsys.readouterr().out.startswith("R_1 ")
    text = (root / "risks.md").read_text(encoding="utf-8")
    assert "```{risk} Heat wave\n:id: R_1\n:status: identified\n" in text
    assert "R_1" in build(root).needs()


def test_without_the_additions_they_are_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "p", RISKS)
    built = build(root)
    assert "R_FLOOD" not in built.needs()  # no such directive
    assert "paused" in built.warnings  # not a status of an action
    assert main(["new", "risk", "Heat wave", "--dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert "unknown type 'risk'" in err and err.count("\n") == 1


def test_a_field_on_a_type_it_does_not_belong_to_is_reported(tmp_path: Path) -> None:
    files = {"g.md": "# G\n\n```{goal} G\n:id: G_X\n:cadence: annual\n```\n"}
    built = build(write_project(tmp_path / "p", files))
    assert "cadence" in built.warnings and "goal" in built.warnings
    assert built.needs()["G_X"].get("cadence") in (None, "")


# --- configuration ----------------------------------------------------------------------


def test_every_key_is_documented_and_validated() -> None:
    for spec in documented_fields():
        assert spec.metadata["help"] and spec.metadata["kind"], spec.name
        assert callable(spec.metadata["validator"]), spec.name
    assert "source" not in {f.name for f in documented_fields()}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"baseline": 3}, "baseline: must be a string"),
        ({"id_pattern": "("}, "id_pattern: not a regular expression"),
        ({"severity": {"goal-has-action": "loud"}}, "severity.goal-has-action: 'loud'"),
        ({"severity": ["x"]}, "severity: must be a table of strings"),
        ({"items_files": {"risk": "r.md"}}, "items_files.risk: unknown item type"),
        ({"items_file": ["a"]}, "items_file: must be a string"),
        ({"items_file": "conf.py"}, "items_file: 'conf.py' is not a page"),
        ({"items_files": {"org": "orgs.json"}}, "items_files.org: 'orgs.json' is not a page"),
        ({"phone_region": "se"}, "phone_region: 'se' is not a two-letter region code in capitals"),
        ({"colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_the_table_is_validated_by_the_field_metadata(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        config_from_table(table, Path("pyproject.toml"))


def test_current_keys_keep_working() -> None:
    config = config_from_table(
        {
            "baseline": "b.json",
            "decisions_dir": "d",
            "items_file": "i.md",
            "items_files": {"org": "o.md"},
            "severity": {"goal-has-action": "off"},
            "diary_pattern": "^X$",
            "id_pattern": "^[A-Z]+$",
            "cache_dir": "c",
        }
    )
    assert (
        config.items_files == {"org": "o.md"}
        and config.severity_of("goal-has-action", "error") == "off"
    )
    assert PolicyConfig().baseline == "policycheck-baseline.json"


@pytest.mark.parametrize(
    ("language", "word"), [("en", "Meaning"), ("fi", "Merkitys"), ("sv", "Betydelse")]
)
def test_configuration_reference_is_generated_from_the_dataclass(
    tmp_path: Path, language: str, word: str
) -> None:
    files = {"config.md": "# Configuration\n\n```{policycheck-config}\n```\n"}
    root = write_project(tmp_path / "p", files, CONF + f'language = "{language}"\n')
    page = (build(root, "html").outdir / "config.html").read_text(encoding="utf-8")
    for spec in documented_fields():
        assert f'<span class="pre">{spec.name}</span>' in page
    assert word in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "'^[A-Z][A-Z0-9_]{2,}$'" in text  # a default, as written in TOML (literal)
    assert '{ org = "docs/orgs.md" }' in text  # a TOML example is code, not typography
    assert '<span class="pre">null</span>' not in page  # TOML has no null (licence)


def test_sphinx_needs_is_used_through_one_module_and_no_private_one() -> None:
    source = Path(domain.__file__).parent
    users = {}
    for path in source.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        needs = {m for m in modules if m.startswith("sphinx_needs")}
        if needs:
            users[path.name] = needs
        assert not [m for m in needs if "._" in m], path
    # everything, classes to subclass included (needs_config.py no longer reads
    # sphinx-needs' defaults since adoption: policycheck adds, never takes away)
    assert set(users) == {"needs_access.py"}
