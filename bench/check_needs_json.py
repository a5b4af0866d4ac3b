"""Benchmark: `policycheck check --needs-json` against a bare json.load of the same file.

Generates a sphinx-needs needs.json of about 100,000 items (goals with actions,
follow-ups, owners and decisions, every need carrying the ~40 core fields a real
export has), then runs both as whole processes in the same run and prints the
ratios of wall time and peak memory. Target: at most 0.40x the time and 0.50x the
memory of the bare json.load.

With ``--curve``, the same at several sizes (1,000 to 1,000,000 items by default),
one size at a time, and a line per size: items, file size, wall time, peak RSS,
microseconds per item and both ratios to json.load at that size.

    .venv/bin/python bench/check_needs_json.py [--goals 24700] [--repeat 3]
    .venv/bin/python bench/check_needs_json.py --curve [--sizes 1000,10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

CORE = {
    "arch": {},
    "completion": None,
    "constraints": [],
    "constraints_error": None,
    "constraints_passed": True,
    "constraints_results": {},
    "duration": None,
    "external_css": "external_link",
    "external_url": None,
    "has_dead_links": False,
    "has_forbidden_dead_links": False,
    "is_external": False,
    "is_import": False,
    "is_modified": False,
    "jinja_content": False,
    "layout": None,
    "links": [],
    "links_back": [],
    "modifications": 0,
    "parent_need": None,
    "parent_needs": [],
    "parent_needs_back": [],
    "parts": {},
    "post_content": None,
    "post_template": None,
    "pre_content": None,
    "pre_template": None,
    "section_name": "Tavoitteet",
    "sections": ["Tavoitteet", "Suunnitelma"],
    "signature": None,
    "style": None,
    "tags": ["kansainvälinen", "elinkeino"],
    "template": None,
}
LINKS = ("implements", "tracks", "adopts", "supersedes", "owner", "body", "parent")
FIELDS = ("due", "cadence", "indicator", "date", "section", "diary", "source", "waive")


def need(id_: str, type_: str, doc: int, line: int, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        **CORE,
        "id": id_,
        "type": type_,
        "type_name": type_.title(),
        "title": f"{type_} {id_}: kansainvälisen toiminnan kehittäminen",
        "status": None,
        "docname": f"docs/part{doc:04d}",
        "doctype": ".md",
        "lineno": line,
        "content": "Helsinki vahvistaa kansainvälistä toimintaansa kärkinään digitalisaatio "
        "ja ilmastonmuutoksen torjunta. Lähde: päätös § 11.",
    }
    for name in FIELDS:
        data[name] = None
    for name in LINKS:
        data[name] = []
        data[name + "_back"] = []
    data["source"] = "004_8dc2451eee420648.txt: 'Investointien ja osaajien houkuttelu'"
    data.update(extra)
    return data


def schema() -> dict[str, object]:
    """The field schema sphinx-needs (>= 4) writes into every export."""
    properties: dict[str, object] = {
        name: {"field_type": "core", "type": ["string", "null"]} for name in CORE
    }
    properties.update(
        {name: {"field_type": "extra", "type": ["string", "null"]} for name in FIELDS}
    )
    for name in LINKS:
        properties[name] = {"field_type": "links", "type": "array"}
        properties[name + "_back"] = {"field_type": "backlinks", "type": "array"}
    return {"$schema": "http://json-schema.org/draft-07/schema#", "properties": properties}


def generate(goals: int) -> dict[str, object]:
    needs: dict[str, dict[str, object]] = {}
    orgs = max(goals // 50, 1)
    for o in range(orgs):
        needs[f"O_{o}"] = need(f"O_{o}", "org", 0, o * 4 + 1)
    for g in range(goals):
        doc, line = g // 100, (g % 100) * 20 + 1
        owner = [f"O_{g % orgs}"]
        gid, aid, bid, fid = f"G_{g}", f"A_{g}", f"A_{g}_B", f"F_{g}"
        needs[gid] = need(gid, "goal", doc, line, owner=owner, status="active")
        needs[aid] = need(aid, "action", doc, line + 5, implements=[gid], owner=owner,
                          due="2027-12-31")  # fmt: skip
        needs[bid] = need(bid, "action", doc, line + 9, implements=[gid], status="cancelled")
        complete = g % 3 != 0  # a third of the goals lack a complete follow-up
        needs[fid] = need(fid, "followup", doc, line + 13, tracks=[gid], owner=owner,
                          cadence="annual", indicator="x" if complete else None,
                          due="2025-01-01" if g % 7 == 0 else None)  # fmt: skip
        if g % 20 == 0:
            did = f"D_{g}"
            needs[did] = need(did, "decision", doc, line + 17, adopts=[gid], body=owner,
                              date="2017-11-13", section="11", diary="HEL 2017-010458")  # fmt: skip
    return {
        "created": "2026-11-22T00:00:00",
        "current_version": "",
        "project": "bench",
        "versions": {
            "": {
                "created": "2026-11-22T00:00:00",
                "needs": needs,
                "needs_amount": len(needs),
                "needs_schema": schema(),
            }
        },
    }


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (bytes) and CPU seconds (user + system) of one child
    process (on a shared machine, the CPU time varies less than the wall time)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=child_env(env))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{argv[:3]} exited {code}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured run: bytecode may be written and is read, as in an
    installed package (a shell with PYTHONDONTWRITEBYTECODE set would otherwise make
    every run compile policycheck's sources again, about 0.05 s that no user pays)."""
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


ITEMS_PER_GOAL = 4.05  # a goal, two actions, a follow-up; a decision per 20, an owner per 50
TIME_TARGET, MEMORY_TARGET = 0.40, 0.50


def measure(
    work: Path, goals: int, repeat: int, before: Path | None = None
) -> tuple[int, int, dict[str, tuple[float, int, float]]]:
    """Items, file bytes, and the best wall time, peak RSS and CPU time of each run
    (with ``before``: also of the policycheck whose sources are in that folder)."""
    if not stat.S_ISCHR(os.stat(os.devnull).st_mode):
        # (a regular file there, as one machine had: each check would then also run
        # `git ls-files` on it and write it atomically, which a report to a device
        # never does)
        sys.exit(f"{os.devnull} is no device here: the measured check writes its report there")
    work.mkdir(parents=True, exist_ok=True)
    path = work / "needs.json"
    # the largest sizes are over the default input cap of 256 MiB
    (work / "pyproject.toml").write_text("[tool.policycheck]\nmax_input_mib = 16384\n")
    # Generated in a child: Linux carries a process's peak RSS across fork and exec,
    # so a big parent would inflate both measured children alike.
    subprocess.run([sys.executable, __file__, "--generate-only", "--goals", str(goals),
                    "--work", str(work)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    items = goals * 4 + (goals + 19) // 20 + max(goals // 50, 1)  # as generate() makes them
    bare = [sys.executable, "-c", f"import json; json.load(open({str(path)!r}, 'rb'))"]
    check = [sys.executable, "-m", "policycheck.cli", "check", "--needs-json", str(path),
             "--format", "json", "--output", os.devnull, "--today", "2026-11-22",
             "--config", str(work)]  # fmt: skip
    results: dict[str, list[tuple[float, int, float]]] = {"json.load": [], "policycheck": []}
    if before:
        results["before"] = []
    # one run each first, unmeasured: bytecode written, the file in the page cache
    run(bare)
    run(check)
    if before:
        run(check, {"PYTHONPATH": str(before)})
    for _ in range(repeat):  # interleaved, so drift hits all alike
        results["json.load"].append(run(bare))
        results["policycheck"].append(run(check))
        if before:
            results["before"].append(run(check, {"PYTHONPATH": str(before)}))
    best = {
        k: (min(r[0] for r in v), min(r[1] for r in v), min(r[2] for r in v))
        for k, v in results.items()
    }
    return items, path.stat().st_size, best


def curve(args: argparse.Namespace) -> None:
    print(f"{'items':>9} {'MB':>6} {'run':<12} {'wall s':>7} {'peak MB':>8} {'us/item':>8}"
          f" {'cpu s':>6} {'time x':>7} {'mem x':>6} {'cpu x':>6}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        goals = max(round(size / ITEMS_PER_GOAL), 1)
        items, size_bytes, best = measure(
            args.work / f"curve-{size}", goals, args.repeat, args.before
        )
        bare_wall, bare_mem, bare_cpu = best["json.load"]
        for name, (wall, mem, cpu) in best.items():
            ratios = (
                f"{wall / bare_wall:6.2f}x {mem / bare_mem:5.2f}x {cpu / bare_cpu:5.2f}x"
                if name != "json.load"
                else ""
            )
            print(f"{items:>9} {size_bytes / 1e6:>6.0f} {name:<12} {wall:>7.2f} {mem / 1e6:>8.0f}"
                  f" {wall / items * 1e6:>8.1f} {cpu:>6.2f} {ratios}", flush=True)  # fmt: skip
        if not args.keep:  # a 1,000,000-item export is 1.6 GB
            (args.work / f"curve-{size}" / "needs.json").unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goals", type=int, default=24700, help="4 items each, a decision per 20")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "_work")
    parser.add_argument("--curve", action="store_true", help="measure at each of --sizes")
    parser.add_argument(
        "--sizes", default="1000,10000,100000,1000000", help="items, comma-separated"
    )
    parser.add_argument("--keep", action="store_true", help="keep the curve's generated files")
    parser.add_argument(
        "--before",
        type=Path,
        help="also run the policycheck whose sources are in this folder (a `src` of an "
        "earlier commit, e.g. from `git archive`), interleaved with the others",
    )
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        args.work.mkdir(parents=True, exist_ok=True)
        path = args.work / "needs.json"
        data = generate(args.goals)
        path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")  # as sphinx-needs
        print(f"needs.json: {len(data['versions']['']['needs'])} items, "  # type: ignore[index]
              f"{path.stat().st_size / 1e6:.0f} MB")  # fmt: skip
        return
    if args.curve:
        curve(args)
        return
    items, size_bytes, best = measure(args.work, args.goals, args.repeat, args.before)
    print(f"needs.json: {items} items, {size_bytes / 1e6:.0f} MB, best of {args.repeat}")
    bare_wall, bare_mem, _ = best["json.load"]
    for name, (wall, mem, cpu) in best.items():
        ratios = f"  {wall / bare_wall:.2f}x time, {mem / bare_mem:.2f}x memory"
        print(f"{name:<12} {wall:6.2f} s  {mem / 1e6:7.0f} MB peak  {cpu:6.2f} s CPU"
              f"{ratios if name != 'json.load' else ''}")  # fmt: skip
    t = best["policycheck"][0] / best["json.load"][0]
    m = best["policycheck"][1] / best["json.load"][1]
    print(f"ratio time   {t:.2f}x  (target <= {TIME_TARGET:.2f}x)  "
          f"{'OK' if t <= TIME_TARGET else 'MISSED'}")  # fmt: skip
    print(f"ratio memory {m:.2f}x  (target <= {MEMORY_TARGET:.2f}x)  "
          f"{'OK' if m <= MEMORY_TARGET else 'MISSED'}")  # fmt: skip
    print(f"ratio CPU    {best['policycheck'][2] / best['json.load'][2]:.2f}x")


if __name__ == "__main__":
    main()
