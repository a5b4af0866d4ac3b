"""Hostile inputs end in one clear line and exit 2; output targets are never
replaced or clobbered; nothing policycheck prints forges a CI command (issue 12)."""

from __future__ import annotations

import json
import os
import re
import stat
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import TODAY, write_project
from hypothesis import given
from hypothesis import strategies as st

from policycheck.cli import main
from policycheck.findings import CheckedItem, Finding, Report, Summary
from policycheck.patterns import user_pattern
from policycheck.reporters import REPORTERS
from policycheck.textsafe import for_log, one_line

COMMAND_LINE = re.compile(r"^\s*::", re.MULTILINE)


def needs_json(path: Path, needs: dict | None = None, current: str = "1.0") -> Path:  # type: ignore[type-arg]
    need = {"id": "G_A", "type": "goal", "title": "A", "docname": "plan", "doctype": ".md",
            "lineno": 1}  # fmt: skip
    data = {"current_version": current, "versions": {"1.0": {"needs": needs or {"G_A": need}}}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def one_error_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("policycheck: error: ")
    assert "Traceback" not in captured.err
    return lines[0]


def test_check_a_file_instead_of_a_folder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    line = one_error_line(capsys, "check", str(path))
    assert str(path) in line and "not a folder" in line


def test_current_version_not_among_versions(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json", current="2.0")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert "current_version '2.0'" in line and str(path) in line


def test_invalid_utf8_in_needs_json(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "needs.json"
    path.write_bytes(needs_json(path).read_bytes().replace(b'"A"', b'"\xff\xfe"'))
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert str(path) in line


def test_fifo_is_refused_without_hanging(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "needs.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    line = one_error_line(capsys, "check", "--needs-json", str(fifo), "--config", str(tmp_path))
    assert time.monotonic() - start < 30
    assert "not a regular file" in line


def test_device_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    line = one_error_line(capsys, "check", "--needs-json", "/dev/zero", "--config", str(tmp_path))
    assert "/dev/zero" in line and "not a regular file" in line


def test_file_over_the_size_cap(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policycheck.toml").write_text("max_input_mib = 1\n")
    path = tmp_path / "needs.json"
    needs_json(path)
    with path.open("ab") as handle:
        handle.write(b" " * (1024 * 1024 + 1))
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert "1 MiB" in line and str(path) in line


def test_deeply_nested_toml(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policycheck.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    path = needs_json(tmp_path / "needs.json")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert "policycheck.toml" in line


def test_huge_repetition_in_a_configured_pattern(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policycheck.toml").write_text('id_pattern = "a{4294967296}"\n')
    path = needs_json(tmp_path / "needs.json")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert "id_pattern" in line and "policycheck.toml" in line


def test_name_too_long(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    line = one_error_line(capsys, "check", "--needs-json", str(tmp_path / ("n" * 300)))
    assert "n" * 300 in line


@pytest.mark.parametrize("error", [MemoryError(), RecursionError("deep"), OverflowError("big")])
def test_last_resort_errors_are_one_line(tmp_path: Path, capsys, monkeypatch, error) -> None:  # type: ignore[no-untyped-def]
    import policycheck.cli as cli

    def explode(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(cli, "check", explode)  # while the rules run on what was read
    path = needs_json(tmp_path / "needs.json")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert str(tmp_path) in line


def test_catastrophic_pattern_finishes_at_once() -> None:
    start = time.monotonic()
    assert user_pattern("^(a+)+$").match("a" * 50 + "!") is None
    assert time.monotonic() - start < 1


def test_catastrophic_diary_pattern_does_not_hang_the_check(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policycheck.toml").write_text('diary_pattern = "^(a+)+$"\n')
    need = {"id": "D_A", "type": "decision", "title": "D", "diary": "a" * 60 + "!",
            "date": "2020-01-01", "section": "1", "body": ["O_A"]}  # fmt: skip
    org = {"id": "O_A", "type": "org", "title": "O"}
    path = needs_json(tmp_path / "needs.json", {"D_A": need, "O_A": org})
    start = time.monotonic()
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--today", TODAY])
    assert time.monotonic() - start < 10
    assert code == 1 and "diary" in capsys.readouterr().out


def test_catastrophic_id_pattern_does_not_hang_the_build(project, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project({"items.md": "# Items\n\n```{org} Unit\n:id: " + "A" * 40 + "!\n```\n"})
    (root / "policycheck.toml").write_text('id_pattern = "^(A+)+$"\n')
    start = time.monotonic()
    code = main(["check", str(root), "--today", TODAY])
    assert time.monotonic() - start < 60
    out = capsys.readouterr().out
    # refused by the id check of the build, or kept and flagged by PC502 item-id
    assert code == 1 and ("item-not-created" in out or "item-id" in out)


# --- output targets ---------------------------------------------------------


def test_output_dash_is_stdout(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--output", "-",
                 "--format", "json", "--today", TODAY])  # fmt: skip
    assert code == 1
    assert json.loads(capsys.readouterr().out)["tool"] == "policycheck"
    assert not (Path.cwd() / "-").exists()


def test_output_keeps_mode_and_new_files_follow_the_umask(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    existing = tmp_path / "existing.json"
    existing.write_text("{}")
    existing.chmod(0o640)
    new = tmp_path / "new.json"
    old_mask = os.umask(0o022)
    try:
        for target in (existing, new):
            main(["check", "--needs-json", str(path), "--config", str(tmp_path),
                  "--output", str(target), "--format", "json"])  # fmt: skip
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    assert json.loads(new.read_text())["tool"] == "policycheck"


def test_output_to_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    import threading

    path = needs_json(tmp_path / "needs.json")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--output", str(fifo),
          "--format", "json"])  # fmt: skip
    reader.join(10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # not replaced by a regular file
    assert json.loads(got[0])["tool"] == "policycheck"


def test_output_to_a_device_is_written_in_place(tmp_path: Path) -> None:
    # a private null device: the test never touches the system's /dev/null
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (not root)")
    path = needs_json(tmp_path / "needs.json")
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path),
                 "--output", str(device)])  # fmt: skip
    assert code == 1
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_report_never_overwrites_the_baseline_or_the_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    assert main(["baseline", "--needs-json", str(path), "--config", str(tmp_path)]) == 0
    baseline = tmp_path / "policycheck-baseline.json"
    before = baseline.read_bytes()
    capsys.readouterr()
    for target in (baseline, path):
        line = one_error_line(capsys, "check", "--needs-json", str(path), "--config",
                              str(tmp_path), "--output", str(target))  # fmt: skip
        assert "overwrite" in line
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path),
                          "--report", f"json={baseline}")  # fmt: skip
    assert baseline.read_bytes() == before


@pytest.mark.parametrize("mapped", [False, True])
def test_a_byte_order_mark_is_ignored(tmp_path: Path, capsys, monkeypatch, mapped: bool) -> None:  # type: ignore[no-untyped-def]
    from policycheck import fileio

    if mapped:  # the mapped read of a large file, at this small size
        monkeypatch.setattr(fileio, "MAP_FROM", 1)
    plain = needs_json(tmp_path / "needs.json")
    marked = tmp_path / "marked.json"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    reports = []
    for path in (plain, marked):
        code = main(["check", "--needs-json", str(path), "--config", str(tmp_path),
                     "--format", "json", "--today", TODAY])  # fmt: skip
        assert code == 1
        reports.append(capsys.readouterr().out)
    assert reports[0] == reports[1]
    line = one_error_line(
        capsys, "check", "--needs-json", str(_write(tmp_path / "bom.json", b"\xef\xbb\xbf"))
    )
    assert "empty file" in line
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):  # with its mark and without
        utf16 = _write(tmp_path / "utf16.json", plain.read_text().encode(encoding))
        line = one_error_line(capsys, "check", "--needs-json", str(utf16))
        assert "UTF-16 text, not UTF-8" in line, encoding


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_the_table_with_a_byte_order_mark_or_in_utf16(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, encoding: str
) -> None:
    """A policycheck.toml saved with a byte-order mark is read (as a needs.json is);
    one saved as UTF-16 is named as such (it was "invalid TOML" at column 1)."""
    path = needs_json(tmp_path / "needs.json")
    (tmp_path / "policycheck.toml").write_text('phone_region = "SE"\n', encoding=encoding)
    args = ["check", "--needs-json", str(path), "--config", str(tmp_path), "--today", TODAY]
    if encoding == "utf-8-sig":
        assert main(args) in (0, 1), capsys.readouterr().err
        return
    line = one_error_line(capsys, *args)
    assert f"{tmp_path / 'policycheck.toml'}: UTF-16 text, not UTF-8" in line


def test_an_exception_in_conf_py_is_one_line_naming_its_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Sphinx's error carries conf.py's whole traceback: one line is left, with the
    line of conf.py and the exception (third trial)."""
    root = write_project(tmp_path / "p", {"plan.md": "# Plan\n"})
    conf = root / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(text + 'import os\nlanguage = os.environ["POLICYCHECK_NO_SUCH_VARIABLE"]\n')
    line = one_error_line(capsys, "check", str(root), "--today", TODAY)
    last = len(conf.read_text(encoding="utf-8").splitlines())
    assert f"{conf}:{last}: " in line
    assert line.endswith("KeyError: 'POLICYCHECK_NO_SUCH_VARIABLE'")


def test_a_value_sphinx_cannot_start_with_names_conf_py(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "p", {"plan.md": "# Plan\n"})
    conf = root / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "language = 42\n")
    line = one_error_line(capsys, "check", str(root), "--today", TODAY)
    assert f"{conf}: Sphinx cannot start with this configuration: TypeError" in line


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_needs_json_piped_in(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = needs_json(tmp_path / "needs.json")
    run = [sys.executable, "-m", "policycheck.cli", "check", "--config", str(tmp_path),
           "--today", TODAY, "--format", "json", "--needs-json"]  # fmt: skip
    piped = subprocess.run([*run, "-"], input=path.read_bytes(), capture_output=True, check=False)
    named = subprocess.run([*run, str(path)], capture_output=True, check=False)
    assert piped.returncode == named.returncode == 1
    assert piped.stdout == named.stdout  # the same report (paths relative to no project)
    # over the input cap, and nothing at all: one line naming standard input, exit 2
    (tmp_path / "pyproject.toml").write_text("[tool.policycheck]\nmax_input_mib = 1\n")
    for data, words in ((b" " * (2 << 20), "larger than"), (b"", "empty file")):
        done = subprocess.run([*run, "-"], input=data, capture_output=True, check=False)
        err = done.stderr.decode()
        assert done.returncode == 2 and err.count("\n") == 1, err
        assert err.startswith("policycheck: error: <stdin>: ") and words in err


def test_a_config_folder_that_is_not_there_is_an_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config",
                          str(tmp_path / "nowhere"))  # fmt: skip
    assert line.endswith(f"{tmp_path / 'nowhere'}: --config: no such folder")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(path))
    assert "--config: not a folder" in line


def test_build_with_a_bad_table_names_it_and_builds_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "p", {"plan.md": "# Plan\n"})
    (root / "policycheck.toml").write_text('colour = "red"\n', encoding="utf-8")
    line = one_error_line(capsys, "build", str(root))
    assert f"{root / 'policycheck.toml'}: unknown key 'colour'" in line
    assert not (root / "_build").exists()


def test_a_wrong_base_is_refused_before_any_build(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "p", {"plan.md": "# Plan\n"})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    line = one_error_line(capsys, "check", str(root), "--base", "HEAD~1")
    assert "--base needs a git repository" in line
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # no build cache


def test_check_a_level_too_high_names_the_project_below(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write_project(tmp_path / "docs", {"plan.md": "# Plan\n"})
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "conf.py").write_text("")  # not searched
    line = one_error_line(capsys, "check", str(tmp_path))
    assert line.endswith(
        f"no conf.py here: not a Sphinx project folder (one is in {tmp_path / 'docs'})"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    line = one_error_line(capsys, "check", str(empty))
    assert line.endswith("no conf.py here: not a Sphinx project folder")


def test_an_earlier_report_is_written_over_as_asked(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    for name, fmt in (("summary.md", "markdown"), ("report.txt", "text")):
        target = tmp_path / name
        for _ in range(2):  # the second run writes over the first run's report
            code = main(["check", "--needs-json", str(path), "--config", str(tmp_path),
                         "--format", fmt, "--output", str(target)])  # fmt: skip
            assert code in (0, 1), capsys.readouterr().err
        assert target.read_text(encoding="utf-8")


def test_a_report_never_overwrites_a_file_git_tracks(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    readme = tmp_path / "README.md"
    readme.write_text("# Our plan\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "add", "README.md"], check=True)
    path = needs_json(tmp_path / "needs.json")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path),
                          "--format", "markdown", "--output", str(readme))  # fmt: skip
    assert "git tracks" in line and str(readme) in line
    assert readme.read_text(encoding="utf-8") == "# Our plan\n"
    # whatever its suffix (third trial: .json, .html, .csv and none were written over)
    for name in ("data.json", "index.html", "budget.csv", "LICENSE"):
        kept = tmp_path / name
        kept.write_text("ours\n", encoding="utf-8")
        subprocess.run(["git", "-C", str(tmp_path), "add", name], check=True)
        line = one_error_line(capsys, "check", "--needs-json", str(path), "--config",
                              str(tmp_path), "--format", "json", "--output", str(kept))  # fmt: skip
        assert "git tracks" in line and str(kept) in line
        assert kept.read_text(encoding="utf-8") == "ours\n"
    # nor git's own files, which git does not track (fourth trial: .git/config and
    # .git/HEAD were written over, and the repository was lost)
    for name in ("config", "HEAD", "index", "hooks/pre-commit"):
        inside = tmp_path / ".git" / name
        before = inside.read_bytes() if inside.exists() else None
        line = one_error_line(capsys, "check", "--needs-json", str(path), "--config",
                              str(tmp_path), "--output", str(inside))  # fmt: skip
        assert "git's own folder" in line
        assert (inside.read_bytes() if inside.exists() else None) == before


def test_a_report_never_overwrites_a_page_of_the_project(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "docs", {"plan.md": "# Plan\n"})
    page = root / "plan.md"
    line = one_error_line(capsys, "check", str(root), "--today", TODAY, "--format", "markdown",
                          "--output", str(page))  # fmt: skip
    assert "page of the Sphinx project" in line
    assert page.read_text(encoding="utf-8") == "# Plan\n"
    # nor a new one, which Sphinx would read as a page; --report is named as such
    line = one_error_line(capsys, "check", str(root), "--today", TODAY,
                          "--report", f"markdown={root / 'report.md'}")  # fmt: skip
    assert "--report would write a page of the Sphinx project" in line
    assert not (root / "report.md").exists()
    # the build folder is no page: a report there is written (again)
    report = root / "_build" / "report.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("old report", encoding="utf-8")
    code = main(["check", str(root), "--today", TODAY, "--format", "markdown",
                 "--output", str(report)])  # fmt: skip
    assert code in (0, 1) and report.read_text(encoding="utf-8") != "old report"


def test_a_page_suffix_from_conf_py_is_a_page(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """conf.py's ``source_suffix`` (third trial: ``.markdown`` was not a page)."""
    root = write_project(tmp_path / "docs", {"plan.md": "# Plan\n"})
    conf = root / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + '\nsource_suffix = {".rst": "restructuredtext", ".md": "markdown", ".markdown": "markdown"}\n',
        encoding="utf-8",
    )
    line = one_error_line(capsys, "check", str(root), "--today", TODAY, "--format", "markdown",
                          "--output", str(root / "report.markdown"))  # fmt: skip
    assert "page of the Sphinx project" in line
    assert not (root / "report.markdown").exists()
    # a suffix that is no page's is written inside the project
    code = main(["check", str(root), "--today", TODAY, "--format", "json",
                 "--output", str(root / "report.json")])  # fmt: skip
    assert code in (0, 1) and (root / "report.json").exists()


# --- forged CI commands -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_reports_escape_every_hidden_character(tmp_path: Path, capsys, fmt: str) -> None:  # type: ignore[no-untyped-def]
    # line and paragraph separators, NEL, an 8-bit CSI, a bidi override, DEL, a
    # private-use and a noncharacter, and one beyond the BMP (a tag character)
    hidden = "\u2028\u2029\u0085\u009b\u202e\u007f\ue000\ufdd0\U000e0001"
    target = f"X{hidden}31m::error::forged"
    goal = {"id": "G_A", "type": "goal", "title": "A", "docname": "plan", "doctype": ".md",
            "lineno": 1, "owner": [target]}  # fmt: skip
    path = needs_json(tmp_path / "needs.json", {"G_A": goal})
    main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--format", fmt])
    out = capsys.readouterr().out
    assert not any(ch in out for ch in hidden), [ch for ch in hidden if ch in out]
    assert not any(COMMAND_LINE.match(line) for line in out.splitlines())  # every line break
    assert target in json.dumps(json.loads(out), ensure_ascii=False)  # the same data
    # a report of ASCII only (the quick path): DEL is its one hidden character
    goal["owner"] = ["X\u007f::error::forged"]
    path = needs_json(tmp_path / "needs.json", {"G_A": goal})
    main(["check", "--needs-json", str(path), "--config", str(tmp_path), "--format", fmt])
    out = capsys.readouterr().out
    assert "\u007f" not in out and "\\u007f" in out


def test_yaml_escaped_newline_in_owner_forges_no_command(project, capsys) -> None:  # type: ignore[no-untyped-def]
    owner = r'"O_X\n::error file=README.md,line=1::forged\n##[error]forged"'
    root = project({"items.md": f"# Items\n\n```{{goal}} Goal\n:id: G_A\n:owner: {owner}\n```\n"})
    for fmt in ("text", "github", "json", "junit", "sarif"):
        main(["check", str(root), "--today", TODAY, "--format", fmt])
        captured = capsys.readouterr()
        for name, stream in (("out", captured.out), ("err", captured.err)):
            forged = [line for line in stream.splitlines() if "forged" in line]
            if fmt == "github" and name == "out":  # our own commands only
                assert all(line.startswith("::error file=items.md,") for line in forged)
            else:
                assert not any(COMMAND_LINE.match(line) for line in forged), stream
            assert "##[" not in stream
            assert "\x1b" not in stream
    code = main(["build", str(root), "--today", TODAY])
    captured = capsys.readouterr()
    assert code == 1
    assert "forged" in captured.err  # forwarded, but inert
    assert not COMMAND_LINE.search(captured.err) and "##[" not in captured.err
    assert not COMMAND_LINE.search(captured.out)


def test_junit_stays_well_formed_with_noncharacters() -> None:
    weird = "bad \uffff \ufffe \ufdd0 \x00 \x1b[2J ::error::x"
    finding = Finding("plan.md", 3, "personal-data", "G_" + weird, weird, "PC401")
    report = Report(
        TODAY,
        [finding],
        Summary(),
        {},
        lambda: [CheckedItem("G_" + weird, "goal", "plan.md", 3)],
    )
    ET.fromstring(REPORTERS["junit"](report))
    for fmt in ("text", "github"):
        out = REPORTERS[fmt](report)
        assert "\uffff" not in out and "\x1b" not in out
        assert not COMMAND_LINE.search(out.split("\n", 1)[1] if fmt == "github" else out)


@given(st.text())
def test_sanitised_text_holds_no_command_and_no_control(text: str) -> None:
    for safe in (one_line(text), for_log(text)):
        assert not COMMAND_LINE.search(safe)
        assert "##[" not in safe.lower() and "##vso[" not in safe.lower()
        assert "\x1b" not in safe and "\r" not in safe and "\uffff" not in safe
    assert "\n" not in one_line(text)


# --- --base: signals, stale worktrees, ownership ------------------------------


def _repo(tmp_path: Path) -> Path:
    from test_pr_workflow import git

    root = write_project(tmp_path / "repo", {"a.md": "# A\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_signals_clean_up_the_base_checkout(tmp_path: Path, signame: str) -> None:
    import signal

    from test_pr_workflow import git

    from policycheck.gitbase import base_worktree

    root = _repo(tmp_path)
    seen: list[Path] = []
    with pytest.raises(KeyboardInterrupt), base_worktree(root, "HEAD") as (worktree, scratch):
        seen += [worktree, scratch]
        assert (worktree / "conf.py").is_file()
        os.kill(os.getpid(), getattr(signal, signame))
        time.sleep(5)  # the handler interrupts this
    assert not seen[0].exists() and not seen[1].exists()
    assert git(root, "worktree", "list").count("\n") == 1
    assert signal.getsignal(getattr(signal, signame)) is not None


def test_stale_worktrees_are_pruned(tmp_path: Path) -> None:
    import tempfile

    from test_pr_workflow import git

    from policycheck.gitbase import prune_stale_worktrees

    root = _repo(tmp_path)
    dead = 2**22 + 12345  # beyond pid_max on usual systems: no such process
    folder = Path(tempfile.mkdtemp(prefix=f"policycheck-base-{dead}-"))
    git(root, "worktree", "add", "--detach", "-q", str(folder / "base"), "HEAD")
    assert git(root, "worktree", "list").count("\n") == 2
    prune_stale_worktrees(root)
    assert git(root, "worktree", "list").count("\n") == 1
    assert not folder.exists()


def test_dubious_ownership_is_named(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("needs root to give the repository to another user")
    root = _repo(tmp_path)
    for path in [root, *root.rglob("*")]:
        os.lchown(path, 65534, 65534)
    env_home = os.environ.get("HOME")
    os.environ["HOME"] = str(tmp_path)  # no safe.directory from the user's config
    try:
        line = one_error_line(capsys, "check", str(root), "--base", "HEAD")
    finally:
        if env_home is not None:
            os.environ["HOME"] = env_home
    assert "safe.directory" in line and "another user" in line


def test_a_region_libphonenumber_does_not_know_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    (tmp_path / "policycheck.toml").write_text('phone_region = "XX"\n', encoding="utf-8")
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path))
    assert "phone_region: 'XX' is not a region libphonenumber knows" in line


def test_one_file_for_two_reports_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = needs_json(tmp_path / "needs.json")
    out = tmp_path / "out.json"
    line = one_error_line(capsys, "check", "--needs-json", str(path), "--config", str(tmp_path),
                          "--format", "json", "--output", str(out),
                          "--report", f"sarif={tmp_path / '.' / 'out.json'}")  # fmt: skip
    assert "--report: this file is written twice" in line
    assert not out.exists()


def test_a_suffix_conf_py_does_not_read_is_no_page(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "docs", {"plan.md": "# Plan\n"})
    conf = root / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nsource_suffix = [".md"]\n')
    code = main(["check", str(root), "--today", TODAY, "--format", "text",
                 "--output", str(root / "report.txt")])  # fmt: skip
    assert code in (0, 1), capsys.readouterr().err
    assert (root / "report.txt").exists()
