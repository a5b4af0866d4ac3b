"""policycheck's own configuration: one TOML table, read without running conf.py.

The Sphinx build and the standalone CLI both call :func:`load_config` on the
project folder, so they always agree. The table is looked for, in this order:

- ``policycheck.toml`` (the whole file is the table),
- ``pyproject.toml``, table ``[tool.policycheck]``,
- ``ubproject.toml`` (the file sphinx-needs reads), table ``[policycheck]``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args

from policycheck.domain import DEFAULT_ID_PATTERN, TYPES_BY_NAME
from policycheck.errors import ConfigError

Severity = Literal["error", "warning", "off"]
SEVERITIES: tuple[str, ...] = get_args(Severity)

# Helsinki's diary numbers: ``HEL 2017-010458`` (also written ``HEL-2017-010458``).
DEFAULT_DIARY_PATTERN = r"^HEL[ -]\d{4}-\d{6}$"


@dataclass(frozen=True)
class PolicyConfig:
    """The ``[tool.policycheck]`` table. Every field is optional."""

    severity: dict[str, Severity] = field(default_factory=dict)
    """Severity per rule name, overriding the rule's default: ``error``, ``warning`` or ``off``."""

    diary_pattern: str = DEFAULT_DIARY_PATTERN
    """Regular expression a decision's ``diary`` (case number) must match in full."""

    id_pattern: str = DEFAULT_ID_PATTERN
    """Regular expression every item id must match (passed to sphinx-needs' ``needs_id_regex``)."""

    baseline: str = "policycheck-baseline.json"
    """Baseline file of known findings, relative to the project folder."""

    items_file: str = "docs/plan.md"
    """Where ``policycheck new`` appends items other than decisions."""

    items_files: dict[str, str] = field(default_factory=dict)
    """Per item type, a file overriding ``items_file`` (e.g. ``{ org = "docs/orgs.md" }``)."""

    decisions_dir: str = "decisions"
    """Folder where ``policycheck new decision`` creates one file per decision."""

    cache_dir: str = "_build/policycheck"
    """Where ``policycheck check DIR`` keeps its incremental needs build (git-ignored)."""

    licence: str | None = None
    """The licence of the register's open data (e.g. ``CC BY 4.0``), stated in every file."""

    source: str | None = None
    """The file the table was read from (set by :func:`load_config`, not by users)."""

    def __post_init__(self) -> None:
        where = self.source
        for key in ("diary_pattern", "id_pattern"):
            value = getattr(self, key)
            try:
                re.compile(value)
            except re.error as exc:
                raise ConfigError(f"{key}: not a regular expression ({exc})", where) from None
        for rule, level in self.severity.items():
            if level not in SEVERITIES:
                raise ConfigError(
                    f"severity.{rule}: {level!r} is not one of {', '.join(SEVERITIES)}", where
                )
        for item_type in self.items_files:
            if item_type not in TYPES_BY_NAME:
                raise ConfigError(f"items_files.{item_type}: unknown item type", where)

    def severity_of(self, rule: str, default: str) -> str:
        return self.severity.get(rule, default)


_CANDIDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("policycheck.toml", ()),
    ("pyproject.toml", ("tool", "policycheck")),
    ("ubproject.toml", ("policycheck",)),
)


def find_table(root: Path) -> tuple[Path | None, dict[str, Any]]:
    """The first policycheck table found in ``root``, and the file it is in."""
    for name, keys in _CANDIDATES:
        path = root / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError("not UTF-8 text", path) from None
        except tomllib.TOMLDecodeError as exc:
            line = _toml_error_line(str(exc))
            raise ConfigError(f"invalid TOML: {exc}", path, line) from None
        for key in keys:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            continue
        if not isinstance(data, dict):
            raise ConfigError(f"[{'.'.join(keys)}] must be a table", path)
        return path, data
    return None, {}


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def load_config(root: Path, rule_names: frozenset[str] | None = None) -> PolicyConfig:
    """Read and validate the policycheck table of the project in ``root``.

    ``rule_names``, when given, are the rules whose severity may be set.
    """
    path, table = find_table(root)
    return config_from_table(table, path, rule_names)


def config_from_table(
    table: dict[str, Any], path: Path | None = None, rule_names: frozenset[str] | None = None
) -> PolicyConfig:
    where = str(path) if path else None
    known = {f.name for f in fields(PolicyConfig) if f.name != "source"}
    for key in table:
        if key not in known:
            raise ConfigError(f"unknown key {key!r} (known: {', '.join(sorted(known))})", where)
    for key in (
        "diary_pattern",
        "id_pattern",
        "baseline",
        "items_file",
        "decisions_dir",
        "cache_dir",
        "licence",
    ):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{key}: must be a string", where)
    for key in ("severity", "items_files"):
        value = table.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"{key}: must be a table of strings", where)
    if rule_names is not None:
        for rule in table.get("severity", {}):
            if rule not in rule_names:
                raise ConfigError(f"severity.{rule}: unknown rule", where)
    return PolicyConfig(**table, source=where)
