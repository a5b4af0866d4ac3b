"""``policycheck init DIR``: a new, working policycheck project.

Writes a MyST Sphinx project whose pages for goals, actions, follow-ups and
organisations and whose decisions folder are already in the toctree, the
settings as ``policycheck.toml`` (a plan repository is not a Python package, so
no ``pyproject.toml``), a ``.gitignore``, a GitHub workflow using policycheck's
reusable action, and a pre-commit configuration. Headings are in the chosen
language, through the message catalogues.

Nothing is ever overwritten: if any of these files exists, nothing is written.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from policycheck import __version__
from policycheck.errors import InputError
from policycheck.i18n import N_, translations

# Where policycheck lives: the pre-commit hook and the reusable action.
REPOSITORY = "https://github.com/policycheck/policycheck"
ACTION = f"policycheck/policycheck@v{__version__}"
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1"


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    heading: str
    text: str


def _texts(language: str) -> tuple[dict[str, str], list[Page]]:
    # One call per literal, with the context "init" literal, as babel extracts them.
    pgettext = translations(language).pgettext
    title = pgettext("init", "Our plan")
    common = {
        "title": title,
        "intro": pgettext(
            "init",
            "This site is the plan: its goals, the actions that implement them, who owns"
            " them, how they are followed up, and the decisions behind them. policycheck"
            " checks every change.",
        ),
    }
    hint = pgettext("init", "Add items with: policycheck new TYPE TITLE")
    pages = [
        Page("goals.md", "items.md.tmpl", pgettext("init", "Goals"), hint),
        Page("actions.md", "items.md.tmpl", pgettext("init", "Actions"), hint),
        Page("followups.md", "items.md.tmpl", pgettext("init", "Follow-ups"), hint),
        Page("organisations.md", "items.md.tmpl", pgettext("init", "Organisations"), hint),
        Page("decisions/index.md", "decisions.md.tmpl", pgettext("init", "Decisions"), hint),
        # Also keeps the glob toctree of the decisions from being empty (a warning).
        Page(
            "decisions/about.md",
            "about.md.tmpl",
            pgettext("init", "How decisions are recorded"),
            pgettext(
                "init",
                "Each decision has a page of its own in this folder: the body that made it,"
                " its date, section (§) and case number, and the goals it adopts. Add one"
                " with: `policycheck new decision TITLE --body ORG --adopts GOAL`",
            ),
        ),
    ]
    return common, pages


def _template(name: str) -> string.Template:
    text = files("policycheck").joinpath("init_templates", name).read_text(encoding="utf-8")
    return string.Template(text)


def project_files(language: str) -> dict[str, str]:
    """Every file ``init`` writes, by path relative to the project folder."""
    common, pages = _texts(language)
    values = {
        **common,
        "language": language,
        "project": repr(common["title"]),
        "checkout": CHECKOUT,
        "action": ACTION,
        "repo": REPOSITORY,
        "rev": f"v{__version__}",
    }
    result = {
        "conf.py": _template("conf.py.tmpl").substitute(values),
        "policycheck.toml": _template("policycheck.toml.tmpl").substitute(values),
        "index.md": _template("index.md.tmpl").substitute(values),
        ".gitignore": _template("gitignore.tmpl").substitute(values),
        ".github/workflows/policycheck.yml": _template("workflow.yml.tmpl").substitute(values),
        ".pre-commit-config.yaml": _template("pre-commit-config.yaml.tmpl").substitute(values),
    }
    for page in pages:
        result[page.path] = _template(page.template).substitute(
            values, heading=page.heading, text=page.text
        )
    return result


def init_project(root: Path, language: str) -> list[Path]:
    """Write a new project into ``root``; the files written, in order."""
    wanted = project_files(language)
    if root.exists() and not root.is_dir():
        raise InputError(N_("exists and is not a folder; nothing was written"), root)
    for rel in wanted:
        path = root / rel
        if os.path.lexists(path):
            raise InputError(
                N_(
                    "exists already; policycheck init writes a new project and overwrites "
                    "nothing (nothing was written)"
                ),
                path,
            )
    written: list[Path] = []
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for rel, text in wanted.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o666)
        except FileExistsError:
            raise InputError(
                N_("was created meanwhile; stopped, nothing overwritten"), path
            ) from None
        except OSError as exc:
            raise InputError(N_("cannot write: {reason}"), path, reason=str(exc.strerror)) from None
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return written
