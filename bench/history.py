"""Benchmark: an HTML build that reads 2,000 commits of history, against one that reads none.

Generates (with ``git fast-import``, in seconds) a repository whose project has 200
goals and actions in 10 pages, a "changes" page (``policycheck-history``) and
2,000 commits, each changing one item (a status, an owner, a title, a new item)
or only prose. The same files are copied to a folder without git, where the
history is empty (the page says so). Both are built with ``sphinx-build -b html``
as whole processes, interleaved: a clean build (no cache) and, after one more
commit, an incremental build (the history cache is warm). Prints the ratios
with-history / without-history of wall time and of CPU time (user + system of the
build and its git processes; steadier than wall time on a busy machine).

    .venv/bin/python bench/history.py [--commits 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

PAGES = 10
PER_PAGE = 20
CONF = 'extensions = ["myst_parser", "policycheck"]\nproject = "bench"\n'
INDEX = "# Bench\n\n```{toctree}\n:glob:\n\n*\n```\n"
CHANGES = "# Changes\n\n```{policycheck-history}\n```\n"
ENV = {
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@example.org",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@example.org",
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
}


def page(n: int, state: dict[int, tuple[str, str, str]], prose: int) -> str:
    out = [f"# Part {n}\n\nRevision {prose} of this page's introduction.\n"]
    for g in range(n * PER_PAGE, (n + 1) * PER_PAGE):
        status, owner, title = state.get(g, ("active", "O_A", f"Goal {g}"))
        out.append(
            f"```{{goal}} {title}\n:id: G_{g}\n:owner: {owner}\n:status: {status}\n```\n\n"
            f"```{{action}} Action {g}\n:id: A_{g}\n:implements: G_{g}\n:owner: {owner}\n"
            f":due: 2030-01-01\n```\n"
        )
    return "\n".join(out)


def _blob(text: str) -> bytes:
    data = text.encode()
    return b"data %d\n" % len(data) + data + b"\n"


def make_repo(root: Path, commits: int) -> None:
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=ENV)
    state: dict[int, tuple[str, str, str]] = {}
    prose = [0] * PAGES
    stream = bytearray()
    files = {
        "conf.py": CONF,
        "index.md": INDEX,
        "changes.md": CHANGES,
        "orgs.md": "# Orgs\n\n```{org} A\n:id: O_A\n```\n\n```{org} B\n:id: O_B\n```\n",
    }
    files.update({f"part{n}.md": page(n, state, 0) for n in range(PAGES)})
    for i in range(commits):
        n = i % PAGES
        g = n * PER_PAGE + (i // PAGES) % PER_PAGE
        status, owner, title = state.get(g, ("active", "O_A", f"Goal {g}"))
        kind = i % 4
        if kind == 0:
            state[g] = ("achieved" if status == "active" else "active", owner, title)
        elif kind == 1:
            state[g] = (status, "O_B" if owner == "O_A" else "O_A", title)
        elif kind == 2:
            state[g] = (status, owner, f"Goal {g} revised {i}")
        else:
            prose[n] += 1
        if i:
            files = {f"part{n}.md": page(n, state, prose[n])}
        stream += b"commit refs/heads/main\n"
        stream += b"committer b <b@example.org> %d +0000\n" % (1_700_000_000 + i * 3600)
        stream += _blob(f"Change {i}")
        for path, text in files.items():
            stream += f"M 100644 inline {path}\n".encode() + _blob(text)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True, env=ENV
    )
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True, env=ENV)


def build(root: Path, clean: bool) -> tuple[float, float]:
    """Wall time and CPU time (user + system, git's included) of one build."""
    if clean:
        shutil.rmtree(root / "_build", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            str(root),
            str(root / "_build/html"),
            "-d",
            str(root / "_build/doctrees"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def one_more_commit(git_root: Path, plain: Path, i: int) -> None:
    """The same edit in both folders (a title), committed where there is git."""
    for root in (git_root, plain):
        part = root / "part0.md"
        text = part.read_text()
        part.write_text(text.replace("Revision", f"Edit {i}. Revision", 1))
        part.write_text(
            re.sub(
                r"```\{goal\} [^\n]*\n:id: G_0\n",
                f"```{{goal}} Goal 0, take {i}\n:id: G_0\n",
                part.read_text(),
            )
        )
    subprocess.run(
        ["git", "commit", "-q", "-am", f"one more {i}"], cwd=git_root, env=ENV, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(__file__).parent / "_work" / "history"
    shutil.rmtree(work, ignore_errors=True)
    start = time.perf_counter()
    with_git, plain = work / "git", work / "plain"
    make_repo(with_git, args.commits)
    shutil.copytree(with_git, plain, ignore=shutil.ignore_patterns(".git", "_build"))
    print(f"{args.commits} commits generated in {time.perf_counter() - start:.1f} s")
    results: dict[str, list[tuple[float, float]]] = {
        "clean": [],
        "clean-plain": [],
        "incr": [],
        "incr-plain": [],
    }
    for r in range(args.repeat):
        results["clean"].append(build(with_git, clean=True))
        results["clean-plain"].append(build(plain, clean=True))
        one_more_commit(with_git, plain, r)
        results["incr"].append(build(with_git, clean=False))
        results["incr-plain"].append(build(plain, clean=False))
    page_ = (with_git / "_build/html/changes.html").read_text()
    print(f"commits on the changes page: {page_.count('policycheck-commit')}")
    for kind in ("clean", "incr"):
        label = "clean build (cold cache)" if kind == "clean" else "after one commit (warm cache)"
        for n, what in ((0, "wall"), (1, "CPU")):
            best = min(r[n] for r in results[kind])
            base = min(r[n] for r in results[f"{kind}-plain"])
            print(
                f"{label:32} {what:4} with history {best:6.2f} s, without {base:6.2f} s, "
                f"ratio {best / base:.2f}x"
            )


if __name__ == "__main__":
    main()
