"""The ``policycheck`` command line (CONTRACT.md): check, build, baseline, rules.

Exit status: 0 no error-level finding, 1 an error-level finding (or a failed build),
2 a usage, configuration or input error, reported as one located line on stderr.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from policycheck import __version__
from policycheck.baseline import read_baseline, write_baseline
from policycheck.config import PolicyConfig, load_config
from policycheck.domain import LINK_TYPES, TYPES_BY_NAME
from policycheck.engine import check
from policycheck.errors import ConfigError, InputError, PolicycheckError, one_line
from policycheck.fileio import write_atomic
from policycheck.findings import Report
from policycheck.i18n import LANGUAGES, language_from_environment, translator
from policycheck.reader import read_needs_json, read_schema_violations
from policycheck.reporters import REPORTERS
from policycheck.reporters.text import render as render_text
from policycheck.rules import all_rules, rule_names

# Set by the console script, which ends with os._exit: the model is then never torn
# down object by object (a fifth of a 100,000-item run).
_FAST_EXIT = False
_KEEP_UNTIL_EXIT: list[object] = []


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(message)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--today: {value!r} is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policycheck", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"policycheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def checks(p: argparse.ArgumentParser) -> None:
        p.add_argument("dir", nargs="?", default=".", help="the Sphinx project (default .)")
        p.add_argument("--needs-json", type=Path, help="check this needs.json, no Sphinx needed")
        p.add_argument("--today", help="the date overdue and expiry rules use (YYYY-MM-DD)")
        p.add_argument("--config", type=Path, help="folder holding the policycheck TOML table")

    p = sub.add_parser("check", help="check the needs of a project or a needs.json")
    checks(p)
    p.add_argument("--base", help="report and fail only on findings new since this git ref")
    p.add_argument("--format", default="text", choices=sorted(REPORTERS))
    p.add_argument("--output", type=Path, help="write the report here (default: stdout)")
    p.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write the same findings in another format (repeatable)",
    )

    p = sub.add_parser("baseline", help="record today's findings as known")
    checks(p)

    p = sub.add_parser("build", help="build the HTML site into DIR/_build/html, checks included")
    p.add_argument("dir", nargs="?", default=".")
    p.add_argument("--today", help="the date overdue and expiry rules use (YYYY-MM-DD)")
    p.add_argument("--strict", action="store_true", help="treat every Sphinx warning as an error")

    p = sub.add_parser("new", help="add an item with the next free id; never overwrites")
    p.add_argument("type", help="one of: " + ", ".join(TYPES_BY_NAME))
    p.add_argument("title")
    p.add_argument("--dir", default=".", help="the Sphinx project (default .)")
    for link in LINK_TYPES:
        p.add_argument(f"--{link.name}", action="append", default=[], metavar="ID")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        dest="fields",
        metavar="FIELD=VALUE",
        help="a field of the new item, e.g. --set due=2030-12-31 (repeatable)",
    )

    p = sub.add_parser("init", help="write a new, working policycheck project into DIR")
    p.add_argument("dir", help="the new project's folder (created; nothing is overwritten)")
    p.add_argument("--language", choices=LANGUAGES, help="of the pages (default: the locale's)")

    sub.add_parser("rules", help="print the rule catalogue")
    return parser


def _collect(args: argparse.Namespace) -> tuple[Report, PolicyConfig, Path]:
    today = _today(args.today)
    root = Path(args.dir)
    config_root = args.config or (root if args.needs_json is None else Path("."))
    config = load_config(config_root, rule_names())
    if args.needs_json is not None:
        needs_json = args.needs_json
    else:
        from policycheck.project import build_needs

        needs_json = build_needs(root, root / config.cache_dir)
    project = read_needs_json(needs_json)
    if _FAST_EXIT:
        _KEEP_UNTIL_EXIT.append(project)  # freed by the OS at exit, not object by object
    # The model lives until exit and holds no garbage: keep the cyclic GC from
    # rescanning its ~1M containers on every later collection.
    gc.freeze()
    violations = read_schema_violations(needs_json.parent / "schema_violations.json")
    baseline = read_baseline(config_root / config.baseline)
    report = check(project, config, today, baseline=baseline, schema_violations=violations)
    if getattr(args, "base", None):
        if args.needs_json is not None:
            raise ConfigError("--base works on a project folder, not with --needs-json")
        from policycheck.gitbase import base_findings, compare

        report = compare(report, base_findings(root, args.base, config, today))
    return report, config, config_root


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _guard_output(output: Path, args: argparse.Namespace) -> None:
    """Refuse to write the report over an input: nothing of the user's is lost."""
    if output.is_dir():
        raise ConfigError("--output: is a folder", output)
    target = output.resolve()
    if args.needs_json and args.needs_json.resolve() == target:
        raise ConfigError("--output would overwrite the input", output)
    if target.suffix in (".md", ".rst", ".py", ".toml") and target.exists():
        raise ConfigError("--output would overwrite an existing source file", output)


def _extra_reports(values: list[str]) -> list[tuple[str, Path]]:
    extra = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or not file or fmt not in REPORTERS:
            raise ConfigError(
                f"--report {value!r}: expected FORMAT=FILE with FORMAT one of "
                + ", ".join(sorted(REPORTERS))
            )
        extra.append((fmt, Path(file)))
    return extra


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror}", path) from None


def cmd_check(args: argparse.Namespace) -> int:
    extra = _extra_reports(args.report)
    for path in [args.output, *(file for _, file in extra)]:
        if path:
            _guard_output(path, args)
    report, _, _ = _collect(args)
    if args.format == "text":
        text = render_text(report, color=not args.output and _use_colour())
    else:
        text = REPORTERS[args.format](report)
    for fmt, path in extra:
        _write(path, REPORTERS[fmt](report))
    if args.output:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return 1 if report.failed else 0


def cmd_baseline(args: argparse.Namespace) -> int:
    report, config, config_root = _collect(args)
    path = config_root / config.baseline
    count = write_baseline(path, report.findings)
    print(f"policycheck: recorded {count} known findings in {path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from policycheck.project import build_html

    _today(args.today)
    result = build_html(Path(args.dir), args.today, args.strict)
    if result.report is not None:
        sys.stdout.write(render_text(result.report, color=_use_colour()))
    print(f"policycheck: site in {result.outdir}")
    failed = result.status != 0 or (result.report is not None and result.report.failed)
    return 1 if failed else 0


def cmd_new(args: argparse.Namespace) -> int:
    from policycheck.newitem import add_item, find_target, make_request, new_item_lock
    from policycheck.project import build_needs, require_project

    root = Path(args.dir)
    require_project(root)
    config = load_config(root, rule_names())
    links = {
        link.name: [t.strip() for v in getattr(args, link.name) for t in v.split(",") if t.strip()]
        for link in LINK_TYPES
    }
    request = make_request(args.type, args.title, links, args.fields)
    target = find_target(root, config, request)  # refused before anything is built
    # one run at a time per project: the build sees every item written before it
    with new_item_lock(root / config.cache_dir):
        project = read_needs_json(build_needs(root, root / config.cache_dir))
        new = add_item(root, project, config, request, target)
    print(f"{new.id} {one_line(str(new.file))}:{new.line}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from policycheck.init import init_project

    language = args.language or language_from_environment()
    root = Path(args.dir)
    written = init_project(root, language)
    t = translator(language)
    folder = one_line(str(root))
    wrote = t("policycheck: wrote {count} files into {folder}")
    print(wrote.format(count=len(written), folder=folder))
    print(t('Next: policycheck new org "Name", then goals, actions and follow-ups.'))
    return 0


def cmd_rules(_args: argparse.Namespace) -> int:
    for r in all_rules():
        print(f"{r.code}  {r.name:<20} {r.severity:<8} {r.summary}")
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
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except PolicycheckError as exc:
        print(f"policycheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("policycheck: interrupted", file=sys.stderr)
        return 2


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
