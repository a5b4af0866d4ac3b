"""The supported range, tested at both ends: ``nox -s oldest newest`` (``pip install nox``).

- ``oldest``: the lower bounds of pyproject.toml (Python 3.11, Sphinx 9.0.0,
  sphinx-needs 9.1.0, myst-parser 5.0.0), the tests that build real projects.
  (Sphinx 8.1/8.2 with myst-parser 4.0 pass them too, except one: a source file
  that is not UTF-8 is only a warning there, so `check` exits 1, not 2.)
- ``newest``: the newest releases of everything, the whole suite, on the newest
  Python declared here (skipped by nox where that interpreter is missing; CI runs
  nox with ``--error-on-missing-interpreters``).
- ``wheel``: the built wheel installs and runs.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["oldest", "newest"]

OLDEST_PYTHON = "3.11"
NEWEST_PYTHON = "3.13"
# Keep these equal to the lower bounds in pyproject.toml's dependencies.
OLDEST = ["sphinx==9.0.0", "sphinx-needs==9.1.0", "myst-parser==5.0.0"]
# The tests that build real Sphinx projects and run the command line.
BUILD_TESTS = [
    "tests/test_extension.py",
    "tests/test_rules_both_paths.py",
    "tests/test_cli.py",
    "tests/test_new.py",
    "tests/test_init.py",
]


@nox.session(python=OLDEST_PYTHON)
def oldest(session: nox.Session) -> None:
    constraints = session.create_tmp() + "/oldest.txt"
    with open(constraints, "w", encoding="utf-8") as handle:
        handle.write("\n".join(OLDEST) + "\n")
    session.install("-c", constraints, ".[test]")
    session.run("python", "-c", "import sphinx, sphinx_needs; print(sphinx.__version__)")
    session.run("pytest", "-q", *BUILD_TESTS, *session.posargs)


@nox.session(python=NEWEST_PYTHON)
def newest(session: nox.Session) -> None:
    session.install("--upgrade", ".[test]")
    session.run("pytest", "-q", *session.posargs)


@nox.session(python=OLDEST_PYTHON)
def wheel(session: nox.Session) -> None:
    out = session.create_tmp()
    session.run("python", "-m", "pip", "wheel", "--no-deps", "-w", out, ".")
    session.install("--find-links", out, "policycheck")
    session.run("policycheck", "rules")
