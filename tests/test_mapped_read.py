"""A large needs.json is mapped, not copied (issue 17): the same project and the same
one-line errors as a file read into memory, no map left behind, and no writer can
truncate the file under the map (which would end the run with SIGBUS)."""

from __future__ import annotations

import json
import mmap
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policycheck import fileio
from policycheck.cli import main
from policycheck.fileio import MAP_FROM, read_capped, read_mapped
from policycheck.reader import parse_needs_json, read_needs_json


def _need(n: int) -> dict[str, object]:
    return {
        "id": f"G_{n}",
        "type": "goal",
        "title": f"Goal {n}",
        "docname": "plan",
        "doctype": ".md",
        "lineno": n + 1,
        "owner": ["O_NONE"] if n % 7 == 0 else [],
        "content": "Contact: tel. 040 000 0000" if n == 3 else "Text " * 20,
    }


def large_export(path: Path, tail: bytes = b"") -> Path:
    """A needs.json of 200 items, padded with spaces to the size from which files are
    mapped."""
    needs = {f"G_{n}": _need(n) for n in range(ITEMS)}
    data = json.dumps({"current_version": "", "versions": {"": {"needs": needs}}}).encode()
    path.write_bytes(data + b" " * max(0, MAP_FROM - len(data)) + tail)
    assert path.stat().st_size >= MAP_FROM
    return path


ITEMS = 200


def _mapped_paths() -> str:
    return Path("/proc/self/maps").read_text() if sys.platform == "linux" else ""


def test_a_large_export_is_mapped_and_reads_as_the_copy(tmp_path: Path) -> None:
    path = large_export(tmp_path / "needs.json")
    with read_mapped(path, fileio.DEFAULT_MAX_INPUT) as mapped:
        assert isinstance(mapped, mmap.mmap)  # the fast path is really taken
    copied = parse_needs_json(read_capped(path), path)
    project = read_needs_json(path)
    assert project.items == copied.items
    assert len(project.items) == ITEMS
    # nothing of the file stays mapped once the project is read
    assert str(path) not in _mapped_paths()


def test_a_small_file_is_read_not_mapped(tmp_path: Path) -> None:
    path = tmp_path / "needs.json"
    path.write_text('{"versions": {"": {"needs": {}}}}')
    with read_mapped(path) as data:
        assert isinstance(data, bytes)


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (b"}", "not valid JSON"),  # trailing garbage after the export
        (b"\xff", "not valid JSON"),
    ],
)
def test_a_large_broken_export_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tail: bytes, expected: str
) -> None:
    path = large_export(tmp_path / "needs.json", tail)
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert str(path) in err[0] and expected in err[0]
    assert str(path) not in _mapped_paths()


def test_a_large_blank_file_is_named_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "needs.json"
    path.write_bytes(b" \n\t\r\x0b\x0c" * (MAP_FROM // 6 + 1))
    with read_mapped(path) as data:
        assert isinstance(data, mmap.mmap)
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "empty file" in err and str(path) in err


def test_a_large_export_over_the_cap_is_refused_before_it_is_mapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = large_export(tmp_path / "needs.json")
    (tmp_path / "pyproject.toml").write_text("[tool.policycheck]\nmax_input_mib = 1\n")
    code = main(["check", "--needs-json", str(path), "--config", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "input size limit of 1 MiB" in err


def test_a_large_export_gives_the_verdict_of_the_same_export_read_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = large_export(tmp_path / "needs.json")
    args = ["check", "--needs-json", str(path), "--config", str(tmp_path), "--format", "json",
            "--today", "2026-11-30"]  # fmt: skip
    mapped_code = main(args)
    mapped = capsys.readouterr().out
    monkeypatch.setattr(fileio, "MAP_FROM", 1 << 62)  # read into memory instead
    copied_code = main(args)
    copied = capsys.readouterr().out
    assert mapped_code == copied_code == 1
    assert mapped == copied
    report = json.loads(mapped)
    assert {f["rule"] for f in report["findings"]} >= {"personal-data", "link-integrity"}


linux_only = pytest.mark.skipif(sys.platform != "linux", reason="read leases are Linux's")


@linux_only
def test_no_writer_can_truncate_the_file_while_it_is_mapped(tmp_path: Path) -> None:
    path = large_export(tmp_path / "needs.json")
    size = path.stat().st_size
    last = path.read_bytes()[-1:]
    truncate = f"open({str(path)!r}, 'r+b').truncate(0)"
    with read_mapped(path) as data:
        assert isinstance(data, mmap.mmap)
        writer = subprocess.Popen([sys.executable, "-c", truncate])
        time.sleep(1.0)
        assert writer.poll() is None  # waits for the lease
        assert path.stat().st_size == size
        assert data[size - 1 : size] == last  # past where it would be cut: no SIGBUS
        assert signal.getsignal(signal.SIGIO) == signal.SIG_IGN
    assert writer.wait(timeout=60) == 0  # let go at the end of the block
    assert path.stat().st_size == 0
    assert signal.getsignal(signal.SIGIO) == signal.SIG_DFL
    assert str(path) not in _mapped_paths()


@linux_only
def test_a_file_open_for_writing_is_read_not_mapped(tmp_path: Path) -> None:
    path = large_export(tmp_path / "needs.json")
    fd = os.open(path, os.O_RDWR)  # another writer: no lease, so no map
    try:
        with read_mapped(path) as data:
            assert isinstance(data, bytes)
        assert read_needs_json(path).items == parse_needs_json(read_capped(path), path).items
    finally:
        os.close(fd)
