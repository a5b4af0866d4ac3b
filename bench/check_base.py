"""Benchmark: `policycheck check --base HEAD~1` against a plain `policycheck check`.

Generates a git repository holding a project of 1,000 goals (4,020 items, the
project of ``site_build.py``) in two commits: the second edits one goal and adds
another. Then runs, as whole processes, interleaved, after one warm-up of each
(which fills the plain check's build cache and the base's needs cache):

- ``policycheck check REPO`` (its incremental needs build is warm),
- ``policycheck check REPO --base HEAD~1`` with the base's needs cached (warm),
- the same with the base's cache entry removed first (cold: the base is checked
  out and built with Sphinx),

and prints the best of each and the ratios to the plain check. Target: the warm
``--base`` at most 1.2x the plain check.

    .venv/bin/python bench/check_base.py [--goals 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from check_needs_json import child_env
from site_build import generate

from policycheck.basecache import FOLDER

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def make_repo(root: Path, goals: int) -> None:
    generate(root, goals, plain=False)
    (root / ".gitignore").write_text("_build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    part = root / "part000.md"
    part.write_text(
        part.read_text().replace("Goal 0\n", "Goal zero\n", 1)
        + "\n```{goal} One more goal\n:id: G_NEW\n:owner: O_1\n```\n"
    )
    git(root, "commit", "-q", "-am", "edit one goal, add another")


def run(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=child_env())
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv[3:])} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goals", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "_work" / "base")
    args = parser.parse_args()
    root = args.work / "repo"
    make_repo(root, args.goals)
    check = [sys.executable, "-m", "policycheck.cli", "check", str(root), "--format", "json",
             "--output", os.devnull, "--today", "2026-11-22"]  # fmt: skip
    base = [*check, "--base", "HEAD~1"]
    entries = root / "_build" / "policycheck" / FOLDER

    def cold() -> float:
        shutil.rmtree(entries, ignore_errors=True)
        return run(base)

    runs = {"check": lambda: run(check), "check --base (warm)": lambda: run(base),
            "check --base (cold)": cold}  # fmt: skip
    for measure in runs.values():  # warm-up: the build cache, the base's cache
        measure()
    run(base)  # the cold run above removed the base's entry: fill it again
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):  # interleaved, so drift hits all alike
        for name, measure in runs.items():
            times[name].append(measure())
            if name.endswith("(cold)"):
                run(base)  # warm the entry again for the next round
    print(f"{args.goals} goals, {args.goals * 4 + 21} items, best of {args.repeat}")
    plain = min(times["check"])
    for name, values in times.items():
        ratio = min(values) / plain
        target = "  (target <= 1.20x) " + ("OK" if ratio <= 1.2 else "MISSED")
        print(f"{name:<20} {min(values):6.2f} s  ratio {ratio:.2f}x"
              f"{target if name.endswith('(warm)') else ''}")  # fmt: skip


if __name__ == "__main__":
    main()
