"""policycheck's own configuration: one TOML table, read without running conf.py.

:class:`PolicyConfig` is the one definition of the configuration: each field has its
default, its help text and its validator in the field's metadata (as myst-parser's
``MdParserConfig``). The table is validated once, by :func:`config_from_table`; the
Sphinx build and the standalone CLI both call :func:`load_config`, so they always
agree, and the guide's configuration reference (``policycheck-config``) is
generated from the same fields.

In each folder from the project folder up to the repository root
(``discovery.search_folders``), the table is looked for in this order, and the
first one found is used:

- ``policycheck.toml`` (the whole file is the table),
- ``pyproject.toml``, table ``[tool.policycheck]``,
- ``ubproject.toml`` (the file sphinx-needs reads), table ``[policycheck]``.

Paths in the table (``baseline``, ``items_file``, ...) are relative to the folder
of the file that holds it; without a table, to the project folder.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from policycheck.discovery import search_folders
from policycheck.domain import DEFAULT_ID_PATTERN, Vocabulary, vocabulary
from policycheck.errors import ConfigError
from policycheck.fileio import BOM, UTF16, is_utf16
from policycheck.i18n import N_

Severity = Literal["error", "warning", "off"]
SEVERITIES: tuple[str, ...] = get_args(Severity)

# Any non-empty case number: each city sets its own form in its table (Helsinki's,
# ``HEL 2017-010458``, is set in this repository's pyproject.toml).
DEFAULT_DIARY_PATTERN = r".+"
# What a configured type name may be: a sphinx-needs directive name.
TYPE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")

Validator = Callable[[str, Any], None]
"""Checks the value of ``key``; raises :class:`ConfigError` with a message naming the key."""


def _string(key: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ConfigError(N_("{key}: must be a string"), key=key)


def _regex(key: str, value: Any) -> None:
    """A pattern matched in linear time (RE2); the id pattern is also handed to
    sphinx-needs, which uses Python's ``re``."""
    from policycheck.patterns import check_python_pattern, user_pattern

    _string(key, value)
    try:
        user_pattern(value, key)
        if key == "id_pattern":
            check_python_pattern(value, key, None)
    except ConfigError as exc:
        raise ConfigError(exc.template) from None  # (the file is the table's)


def _optional_string(key: str, value: Any) -> None:
    if value is not None:
        _string(key, value)


def _region(key: str, value: Any) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        raise ConfigError(
            N_("{key}: {value} is not a two-letter region code in capitals (FI, SE, GB...)"),
            key=key,
            value=repr(value),
        )
    if value != "FI":  # (the default needs no look: libphonenumber's import costs 15 ms)
        import phonenumbers

        if value not in phonenumbers.SUPPORTED_REGIONS:
            raise ConfigError(
                N_("{key}: {value} is not a region libphonenumber knows (FI, SE, GB...)"),
                key=key,
                value=repr(value),
            )


def _mebibytes(key: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 1 << 20:
        raise ConfigError(N_("{key}: must be a whole number of MiB, 1 or more"), key=key)


def _table_of_strings(key: str, value: Any) -> None:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(N_("{key}: must be a table of strings"), key=key)


def _severities(key: str, value: Any) -> None:
    _table_of_strings(key, value)
    for rule, level in value.items():
        if level not in SEVERITIES:
            raise ConfigError(
                N_("{key}: {value} is not one of {allowed}"),
                key=f"{key}.{rule}",
                value=repr(level),
                allowed=", ".join(SEVERITIES),
            )


def _per_type(key: str, value: Any) -> None:
    _table_of_strings(key, value)
    roles = vocabulary().roles
    for role in value:
        if role not in roles:
            raise ConfigError(
                N_("{key}: unknown item type (one of: {types})"),
                key=f"{key}.{role}",
                types=", ".join(roles),
            )


def _per_type_pages(key: str, value: Any) -> None:
    _per_type(key, value)
    for role, file in value.items():
        _page_file(f"{key}.{role}", file)


def _page_file(key: str, value: Any) -> None:
    """A file ``policycheck new`` writes items into: a page, by its suffix."""
    from policycheck.itemsyntax import SUFFIXES

    _string(key, value)
    if Path(value).suffix.lower() not in SUFFIXES:
        raise ConfigError(
            N_("{key}: {value} is not a page (its suffix is not one of {suffixes})"),
            key=key,
            value=repr(value),
            suffixes=", ".join(SUFFIXES),
        )


def _type_names(key: str, value: Any) -> None:
    _per_type(key, value)
    for role, name in value.items():
        if not TYPE_NAME.fullmatch(name):
            raise ConfigError(
                N_(
                    "{key}: {name} is not a directive name (lower-case letters, "
                    "digits, '_' and '-', starting with a letter)"
                ),
                key=f"{key}.{role}",
                name=repr(name),
            )
    names = [value.get(role, role) for role in vocabulary().roles]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(N_("{key}: {name} names two item types"), key=key, name=repr(name))


def option(default: Any, help: str, validator: Validator, kind: str, **kw: Any) -> Any:
    """A documented configuration key: its ``help`` (marked for translation), how it is
    validated and the kind of TOML value it takes, as shown in the reference."""
    meta = {"help": help, "validator": validator, "kind": kind}
    if callable(default):
        return field(default_factory=default, metadata=meta, **kw)
    return field(default=default, metadata=meta, **kw)


@dataclass(frozen=True)
class PolicyConfig:
    """The policycheck TOML table. Every key is optional."""

    severity: dict[str, Severity] = option(
        dict,
        N_("Severity per rule name, overriding the rule's default: `error`, `warning` or `off`."),
        _severities,
        N_("table of strings"),
    )
    diary_pattern: str = option(
        DEFAULT_DIARY_PATTERN,
        N_("Regular expression a decision's diary (case) number must match in full."),
        _regex,
        N_("string"),
    )
    id_pattern: str = option(
        DEFAULT_ID_PATTERN,
        N_("Regular expression every item id must match (sphinx-needs' `needs_id_regex`)."),
        _regex,
        N_("string"),
    )
    baseline: str = option(
        "policycheck-baseline.json",
        N_("Baseline file of known findings, relative to the project folder."),
        _string,
        N_("string"),
    )
    items_file: str = option(
        "docs/plan.md",
        N_("Where `policycheck new` appends items other than decisions."),
        _page_file,
        N_("string"),
    )
    items_files: dict[str, str] = option(
        dict,
        N_('Per item type, a file overriding `items_file`, e.g. `{ org = "docs/orgs.md" }`.'),
        _per_type_pages,
        N_("table of strings"),
    )
    decisions_dir: str = option(
        "decisions",
        N_("Folder where `policycheck new decision` creates one file per decision."),
        _string,
        N_("string"),
    )
    cache_dir: str = option(
        "_build/policycheck",
        N_("Where `policycheck check DIR` keeps its incremental needs build (git-ignored)."),
        _string,
        N_("string"),
    )

    types: dict[str, str] = option(
        dict,
        N_(
            "Directive and need-type names per item type, for projects that already use one "
            'of policycheck\'s names, e.g. `{ action = "plan_action" }`.'
        ),
        _type_names,
        N_("table of strings"),
    )

    phone_region: str = option(
        "FI",
        N_(
            "Region (ISO 3166 code) that phone numbers without a country code are read in, "
            "for the personal-data rule, e.g. `FI`, `SE`."
        ),
        _region,
        N_("string"),
    )
    max_input_mib: int = option(
        256,
        N_("The largest input file (needs.json, reports next to it, baseline) read, in MiB."),
        _mebibytes,
        N_("integer"),
    )

    licence: str | None = option(
        None,
        N_("The licence of the register's open data (e.g. `CC BY 4.0`), stated in every file."),
        _optional_string,
        N_("string"),
    )

    source: str | None = field(default=None, metadata={"internal": True})
    """The file the table was read from (set by :func:`load_config`, not by users)."""

    def __post_init__(self) -> None:
        for spec in documented_fields():
            try:
                spec.metadata["validator"](spec.name, getattr(self, spec.name))
            except ConfigError as exc:
                raise ConfigError(exc.template, self.source) from None

    @property
    def max_input_bytes(self) -> int:
        return self.max_input_mib * 1024 * 1024

    def severity_of(self, rule: str, default: str) -> str:
        return self.severity.get(rule, default)

    def vocabulary(self) -> Vocabulary:
        """The item types, fields and links of this project, with their configured names.

        The one place the TOML table reaches the vocabulary: the ``types`` key
        (``{role: name}``) is passed to :func:`~policycheck.domain.vocabulary` here.
        """
        return vocabulary(self.types)

    def type_name(self, role: str) -> str:
        """The directive and need-type name of one of policycheck's item types."""
        return self.types.get(role, role)

    @property
    def roles(self) -> dict[str, str]:
        """Configured need-type name to policycheck item type, for reading needs."""
        return {self.type_name(role): role for role in vocabulary().roles}

    def folder(self, project: Path) -> Path:
        """The folder the table's paths are relative to: the table's own, or the project's."""
        return Path(self.source).parent if self.source else project

    def with_rules_off(self, rules: frozenset[str]) -> PolicyConfig:
        """This configuration with ``rules`` silenced (severity ``off``)."""
        if not rules:
            return self
        severity: dict[str, Severity] = {**self.severity, **dict.fromkeys(rules, "off")}
        return replace(self, severity=severity)


def documented_fields() -> Iterator[Field[Any]]:
    """The keys a user may set, in the order of the reference."""
    return (f for f in fields(PolicyConfig) if not f.metadata.get("internal"))


_CANDIDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("policycheck.toml", ()),
    ("pyproject.toml", ("tool", "policycheck")),
    ("ubproject.toml", ("policycheck",)),
)


def find_table(start: Path) -> tuple[Path | None, dict[str, Any]]:
    """The first policycheck table found from ``start`` upwards, and the file it is in."""
    for folder in search_folders(start):
        path, table = _table_in(folder)
        if path is not None:
            return path, table
    return None, {}


def _table_in(root: Path) -> tuple[Path | None, dict[str, Any]]:
    for name, keys in _CANDIDATES:
        path = root / name
        if not path.is_file():
            continue
        try:
            raw = path.read_bytes()
            if is_utf16(raw):
                raise ConfigError(UTF16, path)
            # (a byte-order mark, as some editors write: ignored, as in a needs.json)
            data: Any = tomllib.loads(raw.removeprefix(BOM).decode("utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(N_("not UTF-8 text"), path) from None
        except tomllib.TOMLDecodeError as exc:
            line = _toml_error_line(str(exc))
            raise ConfigError(N_("invalid TOML: {error}"), path, line, error=str(exc)) from None
        except RecursionError:
            raise ConfigError(N_("invalid TOML: nested too deeply"), path) from None
        for key in keys:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            continue
        if not isinstance(data, dict):
            raise ConfigError(N_("[{table}] must be a table"), path, table=".".join(keys))
        return path, data
    return None, {}


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def load_config(root: Path, rule_names: frozenset[str] | None = None) -> PolicyConfig:
    """Read and validate the policycheck table of the project in ``root`` (found from
    ``root`` upwards to the repository root).

    ``rule_names``, when given, are the rules whose severity may be set.
    """
    path, table = find_table(root)
    return config_from_table(table, path, rule_names)


def config_from_table(
    table: dict[str, Any], path: Path | None = None, rule_names: frozenset[str] | None = None
) -> PolicyConfig:
    """Validate ``table`` by the fields' metadata and make the configuration."""
    where = str(path) if path else None
    known = [f.name for f in documented_fields()]
    for key in table:
        if key not in known:
            raise ConfigError(
                N_("unknown key {key} (known: {keys})"),
                where,
                key=repr(key),
                keys=", ".join(sorted(known)),
            )
    if rule_names is not None:
        severity = table.get("severity", {})
        for rule in severity if isinstance(severity, dict) else ():
            if rule not in rule_names:
                raise ConfigError(N_("severity.{rule}: unknown rule"), where, rule=rule)
    return PolicyConfig(**table, source=where)


def suppressed_rules(suppress_warnings: Any) -> frozenset[str]:
    """The rules a Sphinx ``suppress_warnings`` list silences: ``policycheck`` and
    ``policycheck.*`` all of them, ``policycheck.RULE`` one."""
    from policycheck.rules import rule_names

    names = rule_names()
    off: set[str] = set()
    for entry in suppress_warnings or ():
        kind, _, sub = str(entry).partition(".")
        if kind != "policycheck":
            continue
        off |= names if sub in ("", "*") else names & {sub}
    return frozenset(off)
