"""``check --base GITREF``: the findings the project had at another commit.

The base is checked out in a temporary ``git worktree`` (removed afterwards) and its
needs are built in a temporary cache, so the user's working tree, index and stash
are never touched. Findings are compared by rule and item, never by line, so moving
text is not a new finding.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from policycheck.config import PolicyConfig
from policycheck.engine import check
from policycheck.errors import InputError
from policycheck.findings import Finding, Report
from policycheck.history.diff import Changes, diff
from policycheck.model import Project
from policycheck.reader import read_needs_json, read_schema_violations


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
        )
    except FileNotFoundError:
        raise InputError("git is not installed", cwd) from None
    if done.returncode != 0:
        raise InputError(f"git {args[0]}: {done.stderr.strip() or 'failed'}", cwd)
    return done.stdout.strip()


def base_findings(root: Path, ref: str, config: PolicyConfig, today: date) -> list[Finding]:
    """All findings (before baseline and waivers) of the project at ``ref``."""
    return base_state(root, ref, config, today)[0]


def base_state(
    root: Path, ref: str, config: PolicyConfig, today: date
) -> tuple[list[Finding], Project]:
    """The findings (before baseline and waivers) and the items of the project at ``ref``."""
    from policycheck.project import build_needs

    root = root.resolve()
    if not root.is_dir():
        raise InputError("no such folder", root)
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel")).resolve()
    except InputError:
        raise InputError("--base needs a git repository, and this is not in one", root) from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except InputError:
        raise InputError(f"--base: no such commit or ref {ref!r}", root) from None
    relative = root.relative_to(top)
    with tempfile.TemporaryDirectory(prefix="policycheck-base-") as tmp:
        worktree = Path(tmp) / "base"
        _git(top, "worktree", "add", "--detach", "--quiet", str(worktree), commit)
        try:
            base_root = worktree / relative
            if not (base_root / "conf.py").is_file():
                # the project did not exist at the base: everything is new
                return [], Project.from_items(())
            needs_json = build_needs(base_root, Path(tmp) / "cache")
            project = read_needs_json(needs_json)
            violations = read_schema_violations(needs_json.parent / "schema_violations.json")
            found = check(project, config, today, schema_violations=violations).findings
            return found, project
        finally:
            _git(top, "worktree", "remove", "--force", str(worktree))


def compare(report: Report, base: list[Finding]) -> Report:
    """Mark findings the base already had as known, and list those the change fixed."""
    base_keys = {f.key for f in base}
    current_keys = {f.key for f in report.findings}
    for i, f in enumerate(report.findings):
        if f.key in base_keys and not f.known and not f.waived:
            report.findings[i] = replace(f, known=True)
    report.fixed = sorted(f for f in base if f.key not in current_keys and not f.waived)
    report.count_findings()
    return report


def register_changes(base: Project, current: Project) -> Changes:
    """What the change does to the register: items added, removed, changed (by field)."""
    return diff(base.items, current.items)
