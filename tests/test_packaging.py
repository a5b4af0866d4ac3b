"""The wheel users install: what it ships, and the metadata matching the repository."""

from __future__ import annotations

import gettext
import io
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (path,) = out.glob("policycheck-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_catalogues_types_license_schemas_static_files_and_templates(
    wheel: zipfile.ZipFile,
) -> None:
    names = set(wheel.namelist())
    # every catalogue in the source is compiled and shipped (a language is one .po file)
    sources = sorted((REPO / "src/policycheck/locale").glob("*/LC_MESSAGES/policycheck.po"))
    assert {po.parent.parent.name for po in sources} >= {"fi", "sv", "en"}
    for po in sources:
        assert f"policycheck/locale/{po.parent.parent.name}/LC_MESSAGES/policycheck.mo" in names
    assert "policycheck/py.typed" in names
    assert "policycheck/schemas/report.schema.json" in names
    for static in (REPO / "src/policycheck/sphinx/static").iterdir():
        assert f"policycheck/sphinx/static/{static.name}" in names
    for template in (REPO / "src/policycheck/init_templates").iterdir():
        assert f"policycheck/init_templates/{template.name}" in names
    (license_file,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert wheel.read(license_file).decode() == (REPO / "LICENSE").read_text()
    # the compiled Finnish catalogue translates (msgctxt entries included)
    mo = wheel.read("policycheck/locale/fi/LC_MESSAGES/policycheck.mo")
    assert gettext.GNUTranslations(io.BytesIO(mo)).pgettext("init", "Goals") == "Tavoitteet"


def test_metadata_license_urls_and_supported_versions(wheel: zipfile.ZipFile) -> None:
    (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    meta = Parser().parsestr(wheel.read(meta_name).decode())
    assert meta["License-Expression"] == "MIT"
    assert "MIT License" in (REPO / "LICENSE").read_text()
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls)
    assert meta["Requires-Python"] == ">=3.11"
    requires = meta.get_all("Requires-Dist")
    # the lower bounds are the versions the nox session "oldest" tests
    noxfile = (REPO / "noxfile.py").read_text()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for pin in ("sphinx==9.0.0", "sphinx-needs==9.1.0", "myst-parser==5.0.0"):
        name, version = pin.split("==")
        assert f"{name}>={version}" in project["dependencies"]
        assert any(r.startswith(f"{name}>={version}") for r in requires)
        assert f'"{pin}"' in noxfile
