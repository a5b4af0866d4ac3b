"""The baseline: known findings, recorded by rule and item id (never by line).

A city adopting policycheck on an existing plan records today's findings once;
later runs still list them, as known, but fail only on new ones.
"""

from __future__ import annotations

import json
from pathlib import Path

from policycheck import __version__
from policycheck.errors import InputError
from policycheck.fileio import write_atomic
from policycheck.findings import Finding

Key = tuple[str, str]


def read_baseline(path: Path) -> frozenset[Key]:
    """The (rule, item) keys in a baseline file; none when there is no file."""
    if not path.exists():
        return frozenset()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["findings"]
        return frozenset((str(e["rule"]), str(e["need"])) for e in entries)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a policycheck baseline: {exc}", path) from None


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Record the findings that are shown (not waived); return how many keys were written."""
    keys: dict[Key, str] = {}
    for f in findings:
        if not f.waived:
            keys.setdefault(f.key, f.message)
    data = {
        "tool": "policycheck",
        "version": __version__,
        "comment": "Known findings (rule, item). They are reported but do not fail a run. "
        "Regenerate with `policycheck baseline`.",
        "findings": [
            {"rule": rule, "need": need, "message": message}
            for (rule, need), message in sorted(keys.items())
        ],
    }
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return len(keys)
