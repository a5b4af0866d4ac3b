"""The ``policycheck`` command line (CONTRACT.md): check, build, baseline, rules.

Exit status: 0 no error-level finding, 1 an error-level finding (or a failed build),
2 a usage, configuration or input error, reported as one located line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from policycheck import __version__
from policycheck.baseline import read_baseline, write_baseline
from policycheck.config import PolicyConfig, load_config, suppressed_rules
from policycheck.discovery import conf_language, page_suffixes, path_prefix, sphinx_project_of
from policycheck.domain import vocabulary
from policycheck.engine import check
from policycheck.errors import ConfigError, InputError, PolicycheckError, one_line
from policycheck.fileio import write_atomic
from policycheck.findings import Message, Report
from policycheck.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    Translate,
    language_from_environment,
    languages,
    locale_language,
    normalise,
    translator,
)
from policycheck.reader import read_needs_json, read_needs_stream
from policycheck.reporters import REPORTERS
from policycheck.reporters.text import render as render_text
from policycheck.rules import all_rules, rule_names
from policycheck.textsafe import for_log

# Set by the console script, which ends with os._exit: the model is then never torn
# down object by object (a fifth of a 100,000-item run).
_FAST_EXIT = False
_KEEP_UNTIL_EXIT: list[object] = []


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own words (English), and where to read more
        raise ConfigError(N_("{error} (see: {command} --help)"), error=message, command=self.prog)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            N_("--today: {value} is not a date (YYYY-MM-DD)"), value=repr(value)
        ) from None


class _Formatter(argparse.HelpFormatter):
    """argparse's own words (``usage:``, its section headings) in the help's
    language: argparse has no catalogue of its own."""

    def __init__(self, prog: str, translate: Translate = str, **options: Any) -> None:
        super().__init__(prog, **options)
        self.translate = translate

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:  # ("": the program's name, which a sub-command's usage shows)
            prefix = self.translate(N_("usage: "))
        super().add_usage(usage, actions, groups, prefix)

    def start_section(self, heading: str | None) -> None:
        known = {"positional arguments": N_("positional arguments"), "options": N_("options")}
        super().start_section(self.translate(known[heading]) if heading in known else heading)


def build_parser(_: Translate | None = None) -> argparse.ArgumentParser:
    """The command line, its help in the language of ``_`` (English by default)."""
    _ = _ or str
    formatter = functools.partial(_Formatter, translate=_)
    options: dict[str, Any] = {"formatter_class": formatter, "add_help": False}
    parser = _Parser(
        prog="policycheck",
        description=_(
            "Check a city's decisions, goals, actions, owners and follow-ups "
            "(sphinx-needs items) and build its public register."
        ),
        epilog=_(
            "Exit status: 0 no error, 1 an error-level finding, 2 a usage, "
            "configuration or input error (one line on stderr)."
        ),
        **options,
    )

    def helped(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("-h", "--help", action="help", help=_("show this help and exit"))
        return p

    helped(parser)
    parser.add_argument(
        "--version",
        action="version",
        version=f"policycheck {__version__}",
        help=_("show the version and exit"),
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return helped(sub.add_parser(name, help=summary, description=summary, **options))

    def language(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument("--language", choices=languages(), help=what)

    project = _("the Sphinx project (default .)")
    today = _("the date overdue and expiry rules use (YYYY-MM-DD)")

    def checks(p: argparse.ArgumentParser) -> None:
        p.add_argument("dir", nargs="?", default=".", help=project)
        language(
            p,
            _(
                "the language of the report and messages "
                "(default: the locale's, else the project's)"
            ),
        )
        p.add_argument("--needs-json", type=Path, help=_("check this needs.json, no Sphinx needed"))
        p.add_argument("--today", help=today)
        p.add_argument("--config", type=Path, help=_("folder holding the policycheck TOML table"))

    p = command("check", _("check the needs of a project or a needs.json"))
    checks(p)
    p.add_argument("--base", help=_("report and fail only on findings new since this git ref"))
    p.add_argument(
        "--format", default="text", choices=sorted(REPORTERS), help=_("the report's format (text)")
    )
    p.add_argument("--output", type=Path, help=_("write the report here (default: stdout)"))
    p.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help=_("also write the same findings in another format (repeatable)"),
    )

    p = command("baseline", _("record today's findings as known"))
    checks(p)

    p = command("build", _("build the HTML site into DIR/_build/html, checks included"))
    p.add_argument("dir", nargs="?", default=".", help=project)
    p.add_argument("--today", help=today)
    p.add_argument(
        "--strict", action="store_true", help=_("treat every Sphinx warning as an error")
    )
    language(
        p,
        _(
            "the language of the report (default: the locale's, else the project's; the site is in "
            "the project's language)"
        ),
    )

    p = command("new", _("add an item with the next free id; never overwrites"))
    p.add_argument("type", help=_("one of: {types}").format(types=", ".join(vocabulary().names)))
    p.add_argument("title", help=_("the new item's title"))
    p.add_argument("--dir", default=".", help=project)
    language(p, _("the language of the messages (default: the locale's, else the project's)"))
    for link in vocabulary().links:
        p.add_argument(
            f"--{link.name}",
            action="append",
            default=[],
            metavar="ID",
            help=_("link the new item to ID ({link}; repeatable)").format(link=link.name),
        )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        dest="fields",
        metavar="FIELD=VALUE",
        help=_("a field of the new item, e.g. --set due=2030-12-31 (repeatable)"),
    )

    p = command("init", _("write a new, working policycheck project into DIR"))
    p.add_argument("dir", help=_("the new project's folder (created; nothing is overwritten)"))
    language(p, _("the language of the pages (default: the locale's)"))

    p = command("rules", _("print the rule catalogue"))
    language(p, _("the language of the rule titles (default: the locale's)"))
    return parser


def _collect(args: argparse.Namespace) -> tuple[Report, PolicyConfig, Path]:
    today = _today(args.today)
    root = Path(args.dir)
    if args.needs_json is None:
        from policycheck.project import require_project

        require_project(root)
    if getattr(args, "base", None):
        if args.needs_json is not None:
            raise ConfigError(N_("--base works on a project folder, not with --needs-json"))
        from policycheck.gitbase import resolve_base

        resolve_base(root, args.base)  # a wrong --base is refused before any build
    # The table is looked for upwards from the project folder, or from the needs.json's
    # folder; paths in it are relative to the file holding it.
    start = root if args.needs_json is None else args.needs_json.parent
    if args.config is not None and not args.config.is_dir():  # never silently the defaults
        raise ConfigError(
            N_("--config: no such folder") if not args.config.exists() else _NOT_A_FOLDER,
            args.config,
        )
    config = load_config(args.config or start, rule_names())
    limit = config.max_input_bytes
    project_language = None
    if args.needs_json is not None:
        needs_json = args.needs_json
        # (a needs.json piped in belongs to no project folder here)
        project_dir = None if _is_stdin(needs_json) else sphinx_project_of(needs_json)
    else:
        from policycheck.project import build_needs_of

        needs_json, built = build_needs_of(root, config.folder(root) / config.cache_dir)
        # conf.py's suppress_warnings silences rules here as it does in the build
        config = config.with_rules_off(suppressed_rules(built.suppress_warnings))
        project_dir = root
        project_language = built.language
    config_root = config.folder(args.config or project_dir or root)
    # Reading and checking make ~1M containers (a 100,000-item export) and no cycles:
    # no collection while they run (the first one after the read would walk them all),
    # and the model and report, which live until exit, are kept out of later ones.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # after a build of ours, the list of items it could not create must be there
        if _is_stdin(needs_json):
            project = read_needs_stream(sys.stdin.fileno(), config.roles, limit)
        else:
            project = read_needs_json(
                needs_json, config.roles, limit, not_created_required=args.needs_json is None
            )
        if _FAST_EXIT:
            _KEEP_UNTIL_EXIT.append(project)  # freed by the OS at exit, not object by object
        baseline = read_baseline(config_root / config.baseline, limit)
        prefix = path_prefix(project_dir) if project_dir else ""
        report = check(project, config, today, baseline=baseline, path_prefix=prefix)
        if _FAST_EXIT:
            _KEEP_UNTIL_EXIT.append(report)  # (its findings too)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    if getattr(args, "base", None):  # (checked before the build: a project folder, a commit)
        from policycheck.gitbase import base_state, compare, register_changes

        found, base_project = base_state(root, args.base, config, today, prefix)
        report = compare(report, found)
        report.changes = register_changes(base_project, project)
    report.language = _language(args, project_language)
    return report, config, config_root


_NOT_A_FOLDER = N_("--config: not a folder (the folder holding the policycheck table)")


def _project_language(args: argparse.Namespace) -> str | None:
    """The language of the project a command works on (conf.py's, as written), for
    what is said before or without its build."""
    if getattr(args, "needs_json", None) is not None or args.command == "init":
        return None
    folder = getattr(args, "dir", None)
    return conf_language(Path(folder)) if folder else None


def _is_stdin(path: Path) -> bool:
    return str(path) == "-"


def _language(args: argparse.Namespace, project: str | None = None) -> str:
    """``--language``, else the locale's where it names a language with a catalogue,
    else the project's (conf.py's ``language``, when checking or building a project
    folder), else English."""
    given = getattr(args, "language", None)
    if given:
        return str(given)
    return locale_language() or (normalise(project) if project else DEFAULT_LANGUAGE)


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except (OSError, RuntimeError):
        return False


def _guard_output(output: Path, args: argparse.Namespace, option: str = "--output") -> None:
    """Refuse to write a report over an input, the baseline or a file of the project,
    or as a new page of the Sphinx project: nothing of the user's is lost or changed.
    A device or FIFO is fine (written in place); so is ``-`` (stdout)."""
    if str(output) == "-":
        return
    if output.is_dir():
        raise ConfigError(N_("{option}: is a folder"), output, option=option)
    if _in_git_folder(output):  # git's own files: the repository itself
        raise ConfigError(N_("{option} would write into git's own folder"), output, option=option)
    project = _sphinx_project(args) if output.suffix else None
    if project is not None and _is_page_of(output, project):
        raise ConfigError(
            N_("{option} would write a page of the Sphinx project in {folder} (write it "
               "outside the project, or in its _build folder)"),
            output,
            option=option,
            folder=str(project),
        )  # fmt: skip
    if not output.exists() or not output.is_file():
        if output.is_symlink():  # dangling: would create a file wherever it points
            raise ConfigError(N_("{option} is a dangling symbolic link"), output, option=option)
        return
    if args.needs_json and _same_file(args.needs_json, output):
        raise ConfigError(N_("{option} would overwrite the input"), output, option=option)
    config_root = args.config or (Path(args.dir) if args.needs_json is None else Path("."))
    if output.name.endswith(".json") and _is_baseline(output, config_root):
        raise ConfigError(N_("{option} would overwrite the baseline file"), output, option=option)
    if _tracked_by_git(output):
        raise ConfigError(
            N_("{option} would overwrite a file that git tracks"), output, option=option
        )


# A report over an existing file that git tracks is refused, whatever its suffix: it
# is somebody's file. Inside the Sphinx project (not its build folder) a report with
# a page's suffix (``discovery.page_suffixes``: conf.py's ``source_suffix`` too) is
# refused, new or not: it would become a page. An earlier report elsewhere,
# untracked, is written over.


def _in_git_folder(path: Path) -> bool:
    """Whether ``path`` is inside a ``.git`` folder (or a bare repository's) or is a
    worktree's ``.git`` file: git's own files, which no listing of git's shows."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    if ".git" in resolved.parts:
        return True
    for folder in resolved.parents:
        if (folder / "HEAD").is_file() and (folder / "objects").is_dir():
            return True  # a bare repository, or a git folder by another name
    return False


def _tracked_by_git(path: Path) -> bool:
    import subprocess

    try:
        done = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", path.resolve().name],
            cwd=path.resolve().parent,
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no git: nothing it tracks
    return done.returncode == 0


def _sphinx_project(args: argparse.Namespace) -> Path | None:
    """The Sphinx project folder checked: DIR, or the one the needs.json was built in."""
    if args.needs_json is None:
        return Path(args.dir)
    return sphinx_project_of(Path(args.needs_json))


def _is_page_of(output: Path, project: Path) -> bool:
    """Whether Sphinx would read ``output`` as a page of ``project`` (inside the
    project folder, not in its build folder, with a page's suffix)."""
    try:
        relative = output.resolve().relative_to(project.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    if relative.parts and relative.parts[0] == "_build":
        return False
    return any(output.name.endswith(s) for s in page_suffixes(project))


def _is_baseline(output: Path, config_root: Path) -> bool:
    try:
        baseline = config_root / load_config(config_root, rule_names()).baseline
    except PolicycheckError:
        baseline = config_root / PolicyConfig().baseline
    if _same_file(output, baseline):
        return True
    try:  # any policycheck baseline, wherever it is
        with output.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b'"tool": "policycheck"' in head and b'"comment": "Known findings' in head


def _extra_reports(values: list[str]) -> list[tuple[str, Path]]:
    extra = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or not file or fmt not in REPORTERS:
            raise ConfigError(
                N_("--report {value}: expected FORMAT=FILE with FORMAT one of {formats}"),
                value=repr(value),
                formats=", ".join(sorted(REPORTERS)),
            )
        extra.append((fmt, Path(file)))
    return extra


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(
            N_("cannot write the report: {reason}"), path, reason=str(exc.strerror)
        ) from None


def cmd_check(args: argparse.Namespace) -> int:
    extra = _extra_reports(args.report)
    written: list[Path] = []
    for option, path in [("--output", args.output), *(("--report", f) for _, f in extra)]:
        if path:
            _guard_output(path, args, option)
            if str(path) != "-" and any(_same_file(path, w) for w in written):
                # (one report would be lost under the other)
                raise ConfigError(N_("{option}: this file is written twice"), path, option=option)
            written.append(path)
    report, _, _ = _collect(args)
    if args.format == "text":
        text = render_text(report, color=not args.output and _use_colour())
    else:
        text = REPORTERS[args.format](report)
    for fmt, path in extra:
        _write(path, REPORTERS[fmt](report))
    if args.output and str(args.output) != "-":
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return 1 if report.failed else 0


def cmd_baseline(args: argparse.Namespace) -> int:
    report, config, config_root = _collect(args)
    path = config_root / config.baseline
    count = write_baseline(path, report.findings)
    print(
        for_log(
            report.say(
                N_("policycheck: recorded {count} known findings in {path}"),
                count=count,
                path=str(path),
            )
        )
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from policycheck.project import build_html, require_project

    _today(args.today)
    require_project(Path(args.dir))
    # the table is read as the build reads it, before the build makes anything: its
    # error then names the table, not conf.py
    load_config(Path(args.dir), rule_names())
    result = build_html(Path(args.dir), args.today, args.strict)
    language = _language(args, result.language)
    if result.report is not None:
        result.report.language = language
        sys.stdout.write(render_text(result.report, color=_use_colour()))
    print(
        for_log(
            Message.of(N_("policycheck: site in {folder}"), folder=str(result.outdir)).render(
                translator(language)
            )
        )
    )
    failed = result.status != 0 or (result.report is not None and result.report.failed)
    return 1 if failed else 0


def cmd_new(args: argparse.Namespace) -> int:
    from policycheck.newitem import add_item, find_target, make_request, new_item_lock
    from policycheck.project import build_needs, require_project

    root = Path(args.dir)
    require_project(root)
    config = load_config(root, rule_names())
    vocab = config.vocabulary()
    links = {
        link.name: [t.strip() for v in getattr(args, link.name) for t in v.split(",") if t.strip()]
        for link in vocab.links
    }
    request = make_request(args.type, args.title, links, args.fields, vocab)
    base = config.folder(root)  # the table's folder: its paths are relative to it
    target = find_target(base, config, request)  # refused before anything is built
    # one run at a time per project: the build sees every item written before it
    with new_item_lock(base / config.cache_dir):
        project = read_needs_json(build_needs(root, base / config.cache_dir), config.roles)
        new = add_item(base, project, config, request, target)
    print(f"{new.id} {one_line(str(new.file))}:{new.line}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from policycheck.init import init_project

    language = _language(args)
    root = Path(args.dir)
    written = init_project(root, language)
    t = translator(language)
    folder = one_line(str(root))
    wrote = t("policycheck: wrote {count} files into {folder}")
    print(wrote.format(count=len(written), folder=folder))
    print(t('Next: policycheck new org "Name", then goals, actions and follow-ups.'))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    _ = translator(_language(args))
    for r in all_rules():
        print(f"{r.code}  {r.name:<20} {r.severity:<8} {_(r.summary)}")
    return 0


COMMANDS = {
    "check": cmd_check,
    "baseline": cmd_baseline,
    "build": cmd_build,
    "new": cmd_new,
    "init": cmd_init,
    "rules": cmd_rules,
}


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace | None = None
    try:
        args = build_parser(_error_language(None, words)).parse_args(words)
        return COMMANDS[args.command](args)
    except PolicycheckError as exc:
        _fail(exc.text(_error_language(args, words)))
    except KeyboardInterrupt:
        _fail(_error_language(args, words)(N_("interrupted")))
    except Exception as exc:  # the last resort: one line, never a traceback
        if os.environ.get("POLICYCHECK_DEBUG"):
            raise
        _fail(_last_resort(exc).text(_error_language(args, words)))
    return 2


def _error_language(args: argparse.Namespace | None, words: list[str]) -> Callable[[str], str]:
    """The translation of an error: ``--language`` (also when the options could not
    all be read), else the locale's."""
    try:
        if args is not None:
            return translator(_language(args, _project_language(args)))
        given = [w.partition("=")[2] for w in words if w.startswith("--language=")]
        given += [b for a, b in pairwise(words) if a == "--language"]
        shipped = [g for g in given if g in languages()]
        return translator(shipped[-1] if shipped else language_from_environment())
    except Exception:  # an error message is shown whatever its catalogue does
        return translator("en")


def _fail(message: str) -> None:
    with contextlib.suppress(OSError):
        print(f"policycheck: error: {one_line(message)}", file=sys.stderr)


def _last_resort(exc: BaseException) -> PolicycheckError:
    """One line for an error no check above caught, naming the file where known."""
    if isinstance(exc, OSError) and exc.filename:
        return PolicycheckError(str(exc.strerror or exc), exc.filename)
    from policycheck.fileio import last_input

    return PolicycheckError(_kind_of(exc), last_input[0] if last_input else None)


def _kind_of(exc: BaseException) -> Message:
    if isinstance(exc, MemoryError):
        return Message(
            N_("out of memory reading the input (a file too large or too deeply nested)")
        )
    if isinstance(exc, RecursionError):
        return Message(N_("the input is nested too deeply to read"))
    if isinstance(exc, OverflowError):
        return Message.of(
            N_("a number in the input or configuration is too large ({error})"), error=str(exc)
        )
    if isinstance(exc, UnicodeError):
        return Message.of(N_("text that is not valid UTF-8 ({error})"), error=str(exc))
    return Message.of(
        N_("unexpected {kind}: {error} (set POLICYCHECK_DEBUG=1 for details)"),
        kind=type(exc).__name__,
        error=str(exc),
    )


def run() -> None:
    """Console-script entry: exit without tearing down the model object by object,
    as mypy does; output is flushed first."""
    global _FAST_EXIT
    _FAST_EXIT = True
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
