"""The baseline: known findings, recorded by rule, item id and fingerprint (never by line).

A city adopting policycheck on an existing plan records today's findings once;
later runs still list them, as known, but fail only on new ones. Content-sensitive
findings (personal data, links) carry a fingerprint of what they found, so more
personal data on a baselined item is new. Files written before fingerprints are
still read: their entries cover only findings without one (fail closed).
"""

from __future__ import annotations

from pathlib import Path

from policycheck import __version__
from policycheck.errors import InputError
from policycheck.fileio import DEFAULT_MAX_INPUT, read_text_capped, write_atomic
from policycheck.findings import Finding, Key
from policycheck.i18n import N_


def read_baseline(path: Path, max_bytes: int = DEFAULT_MAX_INPUT) -> frozenset[Key]:
    """The (rule, item, fingerprint) keys in a baseline file; none when there is no file."""
    if not path.exists() and not path.is_symlink():
        return frozenset()
    text = read_text_capped(path, max_bytes)
    import json  # (only here and below: a check without a baseline never loads it)

    try:
        entries = json.loads(text)["findings"]
        return frozenset(
            (str(e["rule"]), str(e["need"]), str(e.get("fingerprint", ""))) for e in entries
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise InputError(N_("not a policycheck baseline: {error}"), path, error=repr(exc)) from None


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Record the findings that are shown (not waived); return how many keys were written."""
    keys: dict[Key, str] = {}
    for f in findings:
        if not f.waived:
            keys.setdefault(f.key, f.message)
    entries = []
    for (rule, need, fingerprint), message in sorted(keys.items()):
        entry = {"rule": rule, "need": need, "message": message}
        if fingerprint:
            entry["fingerprint"] = fingerprint
        entries.append(entry)
    data = {
        "tool": "policycheck",
        "version": __version__,
        "comment": "Known findings (rule, item, fingerprint of what was found). They are "
        "reported but do not fail a run. Regenerate with `policycheck baseline`.",
        "findings": entries,
    }
    import json

    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return len(keys)
