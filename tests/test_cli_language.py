"""The command line speaks the same catalogues as the site: ``--language`` or the locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from policycheck import i18n
from policycheck.cli import main
from tests.conftest import TODAY, write_project

PLAN = {
    "plan.md": """
    # Plan

    ```{org} Environment office
    :id: O_ENV
    ```

    ```{goal} Cleaner air
    :id: G_AIR
    :owner: O_ENV
    ```
    """
}


@pytest.fixture(scope="module")
def needs_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import build

    root = write_project(tmp_path_factory.mktemp("lang") / "p", PLAN)
    return build(root).outdir / "needs.json"


def _check(needs_json: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["check", "--needs-json", str(needs_json), "--today", TODAY, *args])
    assert code == 1
    return capsys.readouterr().out


def test_english_by_default(needs_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _check(needs_json, capsys)
    assert "goal G_AIR has no action" in out
    assert "0 of 1 goals complete; 2 errors" in out


@pytest.mark.parametrize(
    ("language", "message", "summary", "tag"),
    [
        ("sv", "målet G_AIR har ingen åtgärd", "0 av 1 mål fullständiga; 2 fel", "fel"),
        ("fi", "tavoitteella G_AIR ei ole toimenpidettä", "0/1 tavoitetta valmiina", "virhe"),
    ],
)
def test_check_speaks_the_language_asked_for(
    needs_json: Path, capsys: pytest.CaptureFixture[str], language: str, message: str,
    summary: str, tag: str,
) -> None:  # fmt: skip
    out = _check(needs_json, capsys, "--language", language)
    assert message in out and summary in out
    assert f"  {tag} " in out and "  error " not in out
    assert "has no action" not in out and "goals complete" not in out
    # the human-facing formats follow; the machine formats keep English messages
    markdown = _check(needs_json, capsys, "--language", language, "--format", "markdown")
    assert message.replace("_", "\\_") in markdown and "Goals complete" not in markdown
    github = _check(needs_json, capsys, "--language", language, "--format", "github")
    assert message in github and summary in github
    report = json.loads(_check(needs_json, capsys, "--language", language, "--format", "json"))
    assert "goal G_AIR has no action" in {f["message"] for f in report["findings"]}


def test_the_locale_chooses_when_no_language_is_given(
    needs_json: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "sv_FI.UTF-8")
    assert "målet G_AIR har ingen åtgärd" in _check(needs_json, capsys)
    monkeypatch.setenv("LANGUAGE", "xx")  # no catalogue: English
    assert "goal G_AIR has no action" in _check(needs_json, capsys)


@pytest.mark.parametrize(
    ("words", "env", "expected"),
    [
        (["--help"], "C", ["usage: policycheck", "options:", "show this help and exit"]),
        (["--help"], "fi_FI.UTF-8", ["käyttö: policycheck", "valitsimet:", "näytä tämä ohje"]),
        (["check", "--help", "--language", "sv"], "fi_FI.UTF-8",
         ["användning: policycheck check", "flaggor:", "skriv rapporten hit"]),
        (["new", "--help"], "fi_FI.UTF-8", ["käyttö: policycheck new", "uuden kohteen otsikko"]),
    ],
)  # fmt: skip
def test_the_help_speaks_the_language_asked_for(
    words: list[str],
    env: str,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", env)
    with pytest.raises(SystemExit) as ended:
        main(words)
    assert ended.value.code == 0
    out = capsys.readouterr().out
    for text in expected:
        assert text in out
    assert out.count(expected[0].split()[0]) == 1  # (a sub-command's usage: one prefix)


def test_a_language_without_a_catalogue_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--language", "xx"]) == 2
    err = capsys.readouterr().err
    assert "--language" in err and err.count("\n") == 1


def test_check_of_a_project_folder_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path / "p", PLAN)
    assert main(["check", str(root), "--today", TODAY, "--language", "sv"]) == 1
    out = capsys.readouterr().out
    assert "målet G_AIR har ingen åtgärd" in out and "0 av 1 mål fullständiga" in out


def test_rules_in_the_language_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    from policycheck.rules import get_rule

    rule = get_rule("goal-has-action")
    assert rule is not None
    for language in ("fi", "sv"):
        assert main(["rules", "--language", language]) == 0
        out = capsys.readouterr().out
        assert i18n.translator(language)(rule.summary) in out
        assert rule.summary not in out


# --- every message is translated --------------------------------------------------------


def _catalogue(language: str) -> dict[tuple[str, str | None], tuple[str, bool]]:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "policycheck.po"
    with path.open("rb") as handle:
        messages = read_po(handle)
    return {(str(m.id), m.context): (str(m.string), m.fuzzy) for m in messages if m.id}


@pytest.mark.parametrize("language", i18n.translated_languages())
def test_every_msgid_has_a_translation(language: str) -> None:
    catalogue = _catalogue(language)
    ids = set(catalogue)
    for other in i18n.languages():
        ids |= set(_catalogue(other)) if other != language else set()
    missing = sorted(
        f"{ctx or ''}|{msgid}"
        for msgid, ctx in ids
        if not catalogue.get((msgid, ctx), ("", False))[0] or catalogue[(msgid, ctx)][1]
    )
    assert not missing, f"{language}: {len(missing)} untranslated or fuzzy: {missing[:20]}"


def _marked() -> dict[str, str]:
    """Every message the code marks (``N_``, ``_``, ``gettext``, ``pgettext``, …), with
    where it is marked."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    found: dict[str, str] = {}
    for file, line, msgid, _comments, _context in extract_from_dir(
        str(Path(i18n.__file__).parent),
        keywords={**DEFAULT_KEYWORDS, "N_": None},
        method_map=[("**.py", "python")],
    ):
        found.setdefault(msgid[0] if isinstance(msgid, tuple) else msgid, f"{file}:{line}")
    return found


@pytest.mark.parametrize("language", i18n.translated_languages())
def test_every_marked_message_is_translated(language: str) -> None:
    # by msgid in any context: the history modules translate through pgettext with
    # their own context, which extraction of ``_`` cannot see
    translated = {m for (m, c), (s, fuzzy) in _catalogue(language).items() if s and not fuzzy}
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in _marked().items()
                     if msgid not in translated)  # fmt: skip
    assert not missing, f"{language}: {len(missing)} marked but not translated: {missing[:20]}"


# --- errors speak the language too ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "no such file"), ("fi", "tiedostoa ei löydy"), ("sv", "filen finns inte")],
)
def test_an_input_error_is_in_the_language_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, expected: str
) -> None:
    missing = tmp_path / "missing.json"
    assert main(["check", "--needs-json", str(missing), "--language", language]) == 2
    err = capsys.readouterr().err
    # one line, naming the file, the message translated; the prefix stays for scripts
    assert err == f"policycheck: error: {missing}: {expected}\n"


def test_an_error_with_parameters_is_translated_around_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "needs.json").write_text(
        '{"versions": {"a": {"needs": {}}}, "current_version": "b"}'
    )
    code = main(["check", "--needs-json", str(tmp_path / "needs.json"), "--language", "fi"])
    assert code == 2
    err = capsys.readouterr().err
    assert "current_version 'b' ei ole sen versioiden joukossa ('a')" in err


def test_an_error_before_the_options_are_read_follows_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "sv")
    assert main(["check", "--today", "2026-13-01", "--needs-json", "x.json"]) == 2
    assert "--today: '2026-13-01' är inte ett datum (ÅÅÅÅ-MM-DD)" in capsys.readouterr().err


def test_a_new_item_refused_in_finnish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path / "p", PLAN)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    monkeypatch.setenv("LANGUAGE", "fi_FI.UTF-8")
    assert main(["new", "goal", "Puhtaampi vesi", "--dir", str(root), "--set", "due"]) == 2
    err = capsys.readouterr().err
    assert err == "policycheck: error: --set 'due': odotettiin KENTTÄ=ARVO\n"
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_every_error_message_has_its_placeholders_in_each_translation() -> None:
    """A translation that lost a placeholder would show the English text instead
    (Message.render's fallback); this catches it where it is written."""
    import re

    placeholders = re.compile(r"\{[a-z_]+\}")
    for language in i18n.translated_languages():
        for (msgid, _ctx), (text, _fuzzy) in _catalogue(language).items():
            if text:
                assert sorted(placeholders.findall(msgid)) == sorted(placeholders.findall(text)), (
                    f"{language}: {msgid!r} -> {text!r}"
                )


def test_a_table_error_in_the_build_is_in_the_project_language(tmp_path: Path) -> None:
    from sphinx.errors import ConfigError as SphinxConfigError

    from tests.conftest import build

    root = write_project(tmp_path / "p", PLAN)
    (root / "policycheck.toml").write_text('phone_region = "fin"\n', encoding="utf-8")
    with pytest.raises(SphinxConfigError) as raised:
        build(root, overrides={"language": "fi"})
    assert "phone_region: 'fin' ei ole kaksikirjaiminen aluekoodi isoin kirjaimin" in str(
        raised.value
    )
    assert str(root / "policycheck.toml") in str(raised.value)


def test_a_project_folder_is_checked_in_its_own_language_when_the_locale_names_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import CONF

    root = write_project(tmp_path / "p", PLAN, conf=CONF + '\nlanguage = "fi"\n')
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # a CI runner's: no language
    assert main(["check", str(root), "--today", TODAY]) == 1
    assert "tavoitteella G_AIR ei ole toimenpidettä" in capsys.readouterr().out
    # a locale that names a language, and --language, come first
    monkeypatch.setenv("LANG", "sv_FI.UTF-8")
    assert main(["check", str(root), "--today", TODAY]) == 1
    assert "målet G_AIR har ingen åtgärd" in capsys.readouterr().out
    assert main(["check", str(root), "--today", TODAY, "--language", "en"]) == 1
    assert "goal G_AIR has no action" in capsys.readouterr().out


def test_a_usage_error_says_where_to_read_more(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith("(see: policycheck init --help)")
    assert main(["check", "--format", "xx", "--language", "sv"]) == 2
    assert "(se: policycheck check --help)" in capsys.readouterr().err


def test_an_error_in_a_project_is_in_its_language_when_the_locale_names_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from policycheck.discovery import conf_language
    from tests.conftest import CONF

    root = write_project(tmp_path / "p", PLAN, conf=CONF + '\nlanguage = "fi"\n')
    (root / "policycheck.toml").write_text('colour = "red"\n', encoding="utf-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    for command in (
        ["check", str(root)],
        ["build", str(root)],
        ["new", "goal", "X", "--dir", str(root)],
    ):
        assert main(command) == 2
        assert "tuntematon avain 'colour'" in capsys.readouterr().err, command
    # conf.py is read, never run: a language it computes is not guessed
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "conf.py").write_text('import os\nlanguage = os.environ["X"]\n')
    assert conf_language(tmp_path / "q") is None
    assert conf_language(root) == "fi"


def test_language_is_a_list_of_preferences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "de:sv")  # no German catalogue: the next one
    assert main(["check", "--needs-json", str(tmp_path / "x.json")]) == 2
    assert "filen finns inte" in capsys.readouterr().err
    assert main(["new", "gaol", "X", "--language", "fi", "--dir", str(tmp_path)]) == 2
    assert "policycheck: error: " in capsys.readouterr().err


@pytest.mark.parametrize("language", i18n.translated_languages())
def test_every_rule_is_described_in_each_language(language: str) -> None:
    """The rule reference of a Finnish or Swedish site shows every rule's title,
    summary and rationale in that language (personal-data's were English)."""
    from policycheck.rules import all_rules

    translate = i18n.translator(language)
    untranslated = [
        f"{r.name}.{part}"
        for r in all_rules()
        for part in ("title", "summary", "rationale")
        if translate(getattr(r, part)) == getattr(r, part)
    ]
    assert not untranslated, f"{language}: {untranslated}"
