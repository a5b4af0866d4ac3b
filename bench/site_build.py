"""Benchmark: HTML build of a policycheck site against plain sphinx-needs.

Generates a project of 1,000 goals (4,000 items: a goal, an action, a follow-up and
a decision for each, plus owners) in 50 pages and one needtable of goals, twice:
once with ``extensions = ["myst_parser", "policycheck"]``, once with plain
sphinx-needs configured with the same types, fields and links. Both are built with
``sphinx-build -b html`` as whole processes, interleaved, for a clean build, a
no-change rebuild and one edited item (a goal's new title), and the ratios are
printed with the documents each build read and the pages it wrote. Targets: the
clean build at most 1.05x, the edit at most 1.2x; a no-change rebuild reads and
writes nothing. ``--goals 5000`` is the 20,000-item plan.

    .venv/bin/python bench/site_build.py [--goals 1000] [--repeat 3] [--jobs 1]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from policycheck.config import PolicyConfig
from policycheck.domain import vocabulary
from policycheck.i18n import translator
from policycheck.sphinx.needs_config import policy_fields, policy_links, policy_types

PER_PAGE = 20


def conf(plain: bool) -> str:
    if not plain:
        return 'extensions = ["myst_parser", "policycheck"]\nproject = "bench"\n'
    vocab, en = vocabulary(), translator("en")
    return (
        'extensions = ["myst_parser", "sphinx_needs"]\nproject = "bench"\n'
        f"needs_types = {policy_types(vocab, en)!r}\n"
        f"needs_fields = {policy_fields(vocab, en)!r}\n"
        f"needs_links = {policy_links(vocab, en)!r}\n"
        f"needs_id_regex = {PolicyConfig().id_pattern!r}\n"
        "needs_id_required = True\n"
        'needs_flow_engine = "graphviz"\n'
    )


def page(n: int, goals: range) -> str:
    out = [f"# Part {n}\n"]
    for g in goals:
        org = f"O_{g % 20}"
        out.append(
            f"```{{goal}} Goal {g}\n:id: G_{g}\n:owner: {org}\n:status: active\n"
            f":source: bench\n\nThe city strengthens goal {g}.\n```\n\n"
            f"```{{action}} Action {g}\n:id: A_{g}\n:implements: G_{g}\n:owner: {org}\n"
            f":due: 2030-12-31\n```\n\n"
            f"```{{followup}} Review {g}\n:id: F_{g}\n:tracks: G_{g}\n:owner: {org}\n"
            f":cadence: annual\n:indicator: indicator {g}\n```\n\n"
            f"```{{decision}} Decision {g}\n:id: D_{g}\n:adopts: G_{g}\n:body: O_{g % 20}\n"
            f":date: 2020-01-01\n:section: {g}\n:diary: HEL 2020-{g:06d}\n```\n"
        )
    return "\n".join(out)


def generate(root: Path, goals: int, plain: bool) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "conf.py").write_text(conf(plain))
    pages = (goals + PER_PAGE - 1) // PER_PAGE
    orgs = "\n".join(f"```{{org}} Org {o}\n:id: O_{o}\n```\n" for o in range(20))
    (root / "orgs.md").write_text(f"# Organisations\n\n{orgs}")
    for n in range(pages):
        (root / f"part{n:03d}.md").write_text(
            page(n, range(n * PER_PAGE, min((n + 1) * PER_PAGE, goals)))
        )
    table = "```{needtable}\n:types: goal\n:columns: id, title, owner, status\n```\n"
    toc = "\n".join(["orgs", *(f"part{n:03d}" for n in range(pages))])
    (root / "index.md").write_text(f"# Bench\n\n{table}\n```{{toctree}}\n{toc}\n```\n")


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the build process
    read: int  # documents read (added + changed)
    written: int  # pages written


def sphinx_build(root: Path, jobs: int = 1) -> Run:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-j", str(jobs), str(root),
           str(root / "_build")]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode != 0 or "WARNING" in done.stderr:
        sys.exit(f"build of {root} failed or warned:\n{done.stderr[-2000:]}")
    out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", done.stdout).replace("\r", "\n")
    env = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", out)
    read = int(env.group(1)) + int(env.group(2)) if env else -1
    written = len(re.findall(r"^writing output\.\.\. \[", out, re.MULTILINE))
    return Run(took, cpu, read, written)


def commit_all(root: Path) -> None:
    """The project as a city keeps it: in git (policycheck then reads its history)."""
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    (root / ".gitignore").write_text("_build/\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "plan"], check=True)


def edit_one_item(root: Path) -> None:
    """A new title for one goal: its page shows it, and so does the table of goals."""
    edited = root / "part000.md"
    edited.write_text(edited.read_text().replace("Goal 1\n", "Goal one\n", 1))


PHASES = {
    "clean build": 1.05,
    "no-change rebuild": None,
    "one edited item": 1.2,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goals", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="sphinx-build -j")
    parser.add_argument(
        "--git", action="store_true", help="each project in a git repository (the edit uncommitted)"
    )
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "_work" / "site")
    args = parser.parse_args()
    roots = {"plain": args.work / "plain", "policycheck": args.work / "policycheck"}
    runs: dict[str, dict[str, list[Run]]] = {k: {p: [] for p in PHASES} for k in roots}
    for _ in range(args.repeat):
        for name, root in roots.items():  # interleaved, so drift hits both alike
            generate(root, args.goals, plain=name == "plain")
            if args.git:
                commit_all(root)
            t = runs[name]
            t["clean build"].append(sphinx_build(root, args.jobs))
            t["no-change rebuild"].append(sphinx_build(root, args.jobs))
            edit_one_item(root)
            t["one edited item"].append(sphinx_build(root, args.jobs))
    where = "in git" if args.git else "outside git"
    print(f"{args.goals} goals, {args.goals * 4 + 20} items, -j {args.jobs}, {where}, "
          f"best of {args.repeat}")  # fmt: skip
    print("ratio: of CPU time (user + system), which a busy machine disturbs less than the")
    print("wall time (its ratio in brackets); read: documents read; wrote: pages written")
    if args.jobs > 1:
        print("(with -j, Sphinx reports the pages it writes in chunks: 'wrote' counts chunks)")
    for phase, target in PHASES.items():
        plain = min(runs["plain"][phase], key=lambda r: r.cpu)
        ours = min(runs["policycheck"][phase], key=lambda r: r.cpu)
        ratio, wall = ours.cpu / plain.cpu, ours.seconds / plain.seconds
        verdict = f"  target <= {target}x {'OK' if ratio <= target else 'MISSED'}" if target else ""
        print(f"{phase:<18} plain {plain.cpu:6.2f} s cpu {plain.seconds:6.2f} s wall "
              f"(read {plain.read}, wrote {plain.written})"
              f"  policycheck {ours.cpu:6.2f} s cpu {ours.seconds:6.2f} s wall "
              f"(read {ours.read}, wrote {ours.written})"
              f"  ratio {ratio:.2f}x ({wall:.2f}x){verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
