"""Benchmark: HTML build of a policycheck site against plain sphinx-needs.

Generates a project of 1,000 goals (4,000 items: a goal, an action, a follow-up and
a decision for each, plus owners) in 50 pages, a needtable of goals and one page
with a needtable of each other type (actions, follow-ups, decisions), twice:
once with ``extensions = ["myst_parser", "policycheck"]``, once with plain
sphinx-needs configured with the same types, fields and links. Both are built with
``sphinx-build -b html`` as whole processes, interleaved, for a clean build, a
no-change rebuild and one edited item (a goal's new title), and the ratios are
printed with the documents each build read, the pages it wrote and its peak memory.
Targets: the clean build at most 1.05x, the edit at most 1.2x; a no-change rebuild
reads and writes nothing. ``--goals 5000`` is the 20,000-item plan; ``--goals
1000,5000`` measures both in one run and compares their ratios (a larger plan's
no worse).

    .venv/bin/python bench/site_build.py [--goals 1000[,5000]] [--repeat 3] [--jobs 1]
        [--git] [--phases "clean build,no-change rebuild,one edited item"] [--collector off]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from check_needs_json import child_env

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


TABLED = ("action", "followup", "decision")


# With --collector off: Python's cyclic garbage collector off in both builds, so that
# the ratio is of the work the two do. Its time grows faster than the plan (the trees
# of written pages are cyclic garbage, scanned with the whole environment), differs
# between the two (policycheck pauses it while Sphinx loads the environment and
# collects the youngest generation less often) and moves from run to run.
COLLECTOR_OFF = "import gc\ngc.disable()  # bench: --collector off\n"


def generate(root: Path, goals: int, plain: bool, collector: bool = True) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "conf.py").write_text(conf(plain) + ("" if collector else COLLECTOR_OFF))
    pages = (goals + PER_PAGE - 1) // PER_PAGE
    orgs = "\n".join(f"```{{org}} Org {o}\n:id: O_{o}\n```\n" for o in range(20))
    (root / "orgs.md").write_text(f"# Organisations\n\n{orgs}")
    for n in range(pages):
        (root / f"part{n:03d}.md").write_text(
            page(n, range(n * PER_PAGE, min((n + 1) * PER_PAGE, goals)))
        )
    table = "```{needtable}\n:types: goal\n:columns: id, title, owner, status\n```\n"
    # a page with a table of each other type: an edited goal is in none of them
    for kind in TABLED:
        (root / f"table_{kind}.md").write_text(
            f"# Every {kind}\n\n```{{needtable}}\n:types: {kind}\n:columns: id, title\n```\n"
        )
    tables = [f"table_{kind}" for kind in TABLED]
    toc = "\n".join(["orgs", *tables, *(f"part{n:03d}" for n in range(pages))])
    (root / "index.md").write_text(f"# Bench\n\n{table}\n```{{toctree}}\n{toc}\n```\n")


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the build process and the processes it waited for
    rss: int  # peak resident memory of the build process (or of its largest child), MB
    read: int  # documents read (added + changed)
    written: int  # pages written


def sphinx_build(root: Path, jobs: int = 1) -> Run:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-j", str(jobs), str(root),
           str(root / "_build")]  # fmt: skip
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen(cmd, stdout=out_file, stderr=err_file, text=True, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)  # this build's own resource usage
        proc.returncode = os.waitstatus_to_exitcode(status)
        took = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        stdout, stderr = out_file.read(), err_file.read()
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode != 0 or "WARNING" in stderr:
        sys.exit(f"build of {root} failed or warned:\n{stderr[-2000:]}")
    out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", stdout).replace("\r", "\n")
    env = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", out)
    read = int(env.group(1)) + int(env.group(2)) if env else -1
    written = len(re.findall(r"^writing output\.\.\. \[", out, re.MULTILINE))
    return Run(took, cpu, usage.ru_maxrss // 1024, read, written)


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
    parser.add_argument("--goals", default="1000",
                        help="goals (4 items each); several, comma-separated, are measured "
                             "interleaved in one run and their ratios compared")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="sphinx-build -j")
    parser.add_argument(
        "--git", action="store_true", help="each project in a git repository (the edit uncommitted)"
    )
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated, of: {', '.join(PHASES)}")  # fmt: skip
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "_work" / "site")
    parser.add_argument("--collector", choices=("on", "off"), default="on",
                        help="off: the cyclic garbage collector off in both builds (a "
                             "5,000-goal build then needs about 4 GB)")  # fmt: skip
    args = parser.parse_args()
    sizes = [int(n) for n in args.goals.split(",")]
    phases = [p.strip() for p in args.phases.split(",")]
    if unknown := [p for p in phases if p not in PHASES]:
        parser.error(f"unknown phase {unknown[0]!r}")
    names = ("plain", "policycheck")
    runs: dict[tuple[int, str, str], list[Run]] = {
        (n, k, p): [] for n in sizes for k in names for p in phases
    }
    for _ in range(args.repeat):
        for goals in sizes:
            for name in names:  # interleaved, so drift hits both alike
                root = args.work / name
                generate(root, goals, plain=name == "plain", collector=args.collector == "on")
                if args.git:
                    commit_all(root)
                clean = sphinx_build(root, args.jobs)  # the other phases start from it
                if "clean build" in phases:
                    runs[goals, name, "clean build"].append(clean)
                if "no-change rebuild" in phases:
                    runs[goals, name, "no-change rebuild"].append(sphinx_build(root, args.jobs))
                if "one edited item" in phases:
                    edit_one_item(root)
                    runs[goals, name, "one edited item"].append(sphinx_build(root, args.jobs))
    where = "in git" if args.git else "outside git"
    print(f"-j {args.jobs}, {where}, best of {args.repeat} (by CPU time), "
          f"cyclic garbage collector {args.collector}")  # fmt: skip
    print("ratio: of CPU time (user + system), which a busy machine disturbs less than the")
    print("wall time (its ratio in brackets); rss: peak memory; read: documents read; wrote:")
    print("pages written")
    if args.jobs > 1:
        print("(with -j, Sphinx reports the pages it writes in chunks: 'wrote' counts chunks)")
    ratios: dict[tuple[int, str], float] = {}
    for goals in sizes:
        print(f"\n{goals} goals, {goals * 4 + 20} items")
        for phase in phases:
            plain = min(runs[goals, "plain", phase], key=lambda r: r.cpu)
            ours = min(runs[goals, "policycheck", phase], key=lambda r: r.cpu)
            ratio, wall = ours.cpu / plain.cpu, ours.seconds / plain.seconds
            ratios[goals, phase] = ratio
            # (the targets are of the builds as a city runs them: with the collector)
            target = PHASES[phase] if args.collector == "on" else None
            verdict = (
                f"  target <= {target}x {'OK' if ratio <= target else 'MISSED'}" if target else ""
            )
            print(f"  {phase:<18} plain {plain.cpu:7.2f} s cpu {plain.seconds:7.2f} s wall "
                  f"{plain.rss:5d} MB rss (read {plain.read}, wrote {plain.written})"
                  f"  policycheck {ours.cpu:7.2f} s cpu {ours.seconds:7.2f} s wall "
                  f"{ours.rss:5d} MB rss (read {ours.read}, wrote {ours.written})"
                  f"  ratio {ratio:.2f}x ({wall:.2f}x){verdict}")  # fmt: skip
    if len(sizes) > 1:
        small, *larger = sizes
        print(f"\nagainst {small} goals (target: a larger plan's ratio no worse):")
        for goals in larger:
            for phase in phases:
                diff = ratios[goals, phase] - ratios[small, phase]
                verdict = "OK" if diff <= 0.005 else "WORSE"
                print(f"  {goals} goals, {phase:<18} {ratios[goals, phase]:.2f}x against "
                      f"{ratios[small, phase]:.2f}x  {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
