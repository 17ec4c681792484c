"""Time chokemap as whole processes on synthetic graphs; write bench/RESULTS.md.

    python bench/run.py                      # sizes S and M, 3 runs each
    python bench/run.py --sizes S,M,L --runs 5
    python bench/run.py --timelines          # issue 15: timelines at M and on the bundled graph
    python bench/run.py --speed              # issue 17: new questions, full ranking and pairs at M
    python bench/run.py --speed --speed-sizes M,L   # and new questions, cold and memory at L

For each size the script generates the ETO-format CSVs (``bench/generate.py``, seed 1),
imports them to Turtle with ``chokemap import eto``, and then times, as fresh processes:

* the baselines on the same Turtle file: importing the libraries a query command loads
  (rdflib, networkx, click, pyoxigraph) alone, pyoxigraph's bare
  ``Store.bulk_load`` of the file, and plain rdflib's ``Graph().parse``;
* chokemap's commands on that file: cold (``--no-cache``: parse and project the file),
  warm with the compiled graph from the cache but the answer worked out afresh
  (``CHOKEMAP_NO_ANSWER_CACHE=1``: a new question), and warm with the answer cached (the
  same question again): ``chokepoints`` over all end products and for one target,
  ``whatif``, ``path``, ``upstream``, ``view --focus``, and ``validate`` (at L only
  ``import``, ``chokepoints`` and ``path``, the commands the goals name);
* in Debian's chromium, when it and Playwright are installed (``bench/browser.py``): how soon
  the ``view --focus`` page (and at S the whole graph's page) first draws, and the frames
  per second while panning it.

Each figure is the median of the runs (wall-clock seconds and peak resident memory, from
GNU time's ``-v`` report, Debian package ``time``), and the ratios the performance goals
are stated in are printed side by side, measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser import CHROMIUM, measure_pages  # noqa: E402
from generate import generate  # noqa: E402
from speed import speed_bench  # noqa: E402
from timelines import timeline_bench, write_section  # noqa: E402

TIME = "/usr/bin/time"
READING = "## Reading the results"


def measure(cmd: list[str], runs: int, env: dict[str, str], timeout: float) -> dict[str, float]:
    """Median wall seconds and peak MiB of ``runs`` fresh processes (one warm-up first)."""
    walls, peaks = [], []
    warmup = 1 if runs > 1 else 0
    for i in range(runs + warmup):
        proc = subprocess.run([TIME, "-v", *cmd], capture_output=True, text=True, env=env, timeout=timeout,
                              cwd=ROOT)
        if proc.returncode not in (0, 1):
            msg = f"{shlex.join(cmd)} failed ({proc.returncode}): {proc.stderr[-500:]}"
            raise SystemExit(msg)
        if i < warmup:
            continue  # warm-up: file cache, compiled bytecode
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        assert wall and rss, proc.stderr[-500:]
        h, m, s = wall.groups()
        walls.append(int(h or 0) * 3600 + int(m) * 60 + float(s))
        peaks.append(int(rss.group(1)) / 1024)
    return {"wall": statistics.median(walls), "peak": statistics.median(peaks), "runs": len(walls)}


def pick(ttl: Path) -> tuple[str, str, str]:
    """A target, a supplier and a path source in the imported graph (first by id order)."""
    text = ttl.read_text(encoding="utf-8")
    target = "Finished logic chip"
    firms = re.findall(r"cmi:(eto-P\d+) a cm:Firm", text)
    firm = sorted(firms, key=lambda f: int(f.split("P")[1]))[len(firms) // 2] if firms else "eto-P30"
    return target, firm, firm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "chokemap-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--timelines", action="store_true",
                        help="Only issue 15's timeline figures (bench/timelines.py), into their own section.")
    parser.add_argument("--speed", action="store_true",
                        help="Only issue 17's figures (bench/speed.py), into their own section.")
    parser.add_argument("--speed-sizes", default="M", help="The sizes --speed measures (M, L or M,L).")
    args = parser.parse_args()
    if not Path(TIME).exists():
        msg = "GNU time is missing: apt-get install time"
        raise SystemExit(msg)
    py = sys.executable
    cli = [py, str(ROOT / "cli.py")]
    # chokemap's modules byte-compiled once, as installing its wheel does: where
    # PYTHONDONTWRITEBYTECODE is set (this machine sets it), every timed process would
    # otherwise compile them again, about 0.06 s a run that no installed copy pays.
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "graph"), str(ROOT / "commands"), str(ROOT / "cli.py")],
                   check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, XDG_CACHE_HOME=str(args.work / "cache"))
    if args.timelines or args.speed:
        def prepare(folder: Path, size: str = "M") -> Path:
            ttl = folder / f"{size}.ttl"
            if not ttl.exists():
                generate(size, folder / "csv", seed=1)
                measure([*cli, "import", "eto", str(folder / "csv"), "-o", str(ttl)], 1, env, 3600.0)
            return ttl

        if args.speed:
            sizes = tuple(s.strip() for s in args.speed_sizes.split(",") if s.strip())
            write_section(args.out, speed_bench(cli, args.work, args.runs, env, measure, prepare, sizes))
        else:
            write_section(args.out, timeline_bench(cli, args.work, args.runs, env, measure, prepare))
        return
    rows: list[tuple[str, str, dict[str, float]]] = []
    ratios: list[tuple[str, str, float]] = []
    for size in args.sizes.split(","):
        folder = args.work / size
        counts = generate(size, folder / "csv", seed=1)
        ttl = folder / f"{size}.ttl"
        runs = args.runs if size != "L" else 1
        timeout = 3600.0
        print(f"[{size}] {counts}", flush=True)
        r = measure([*cli, "import", "eto", str(folder / "csv"), "-o", str(ttl)], 1 if size != "S" else runs,
                    env, timeout)
        rows.append((size, "chokemap import eto (CSV -> Turtle)", r))
        triples = sum(1 for _ in ttl.open(encoding="utf-8"))  # lines, a rough size
        target, firm, source = pick(ttl)
        base = {
            # the libraries a query command loads (pyvis only for views: left out)
            "imports": [py, "-c", "import rdflib, networkx, click, pyoxigraph"],
            "pyoxigraph": [py, "-c", f"import pyoxigraph as ox; s = ox.Store(); s.bulk_load(path={str(ttl)!r}, "
                                     "format=ox.RdfFormat.TURTLE)"],
            "rdflib": [py, "-c", f"import rdflib; rdflib.Graph().parse({str(ttl)!r}, format='turtle')"],
        }
        got: dict[str, dict[str, float]] = {}
        for name, cmd in base.items():
            if name == "rdflib" and size == "L":
                continue  # minutes and gigabytes: measured at M, where the goal is stated
            got[name] = measure(cmd, runs if name != "rdflib" or size == "S" else 1, env, timeout)
            rows.append((size, f"baseline: {name}", got[name]))
            print(f"[{size}] {name}: {got[name]}", flush=True)
        data = ["--data", str(ttl)]
        commands = {
            "chokepoints --top 20": ["chokepoints", "--top", "20"],
            f"chokepoints --target '{target}'": ["chokepoints", "--target", target, "--top", "20"],
            f"path {source} '{target}'": ["path", source, target],
        }
        if size != "L":  # L: the issue asks for import, chokepoints and path
            commands[f"whatif --remove {firm}"] = ["whatif", "--remove", firm, "--target", target]
            commands[f"upstream '{target}' --depth 2"] = ["upstream", target, "--depth", "2"]
            commands[f"view --focus {firm}"] = ["view", "--focus", firm, "-o", str(folder / "view.html")]
        if size == "S":  # SHACL runs on rdflib: minutes at M (the rdflib parse alone is measured above)
            commands["validate"] = ["validate"]
        fill = measure([*cli, *data, "stats"], 1, env, timeout)  # compile the graph into the cache
        rows.append((size, "stats, filling the graph cache", fill))
        fresh = dict(env, CHOKEMAP_NO_ANSWER_CACHE="1")
        for label, cmd in commands.items():
            many = runs if size == "S" or label.startswith("chokepoints") else 1
            cold = measure([*cli, "--no-cache", *data, *cmd], many, env, timeout)
            rows.append((size, f"{label} (cold)", cold))
            print(f"[{size}] {label}: cold {cold}", flush=True)
            if label == "validate":
                continue
            graph_warm = measure([*cli, *data, *cmd], runs, fresh, timeout)
            rows.append((size, f"{label} (warm: graph cached, answered afresh)", graph_warm))
            if label != "view --focus " + firm:
                warm = measure([*cli, *data, *cmd], max(runs, 2), env, timeout)
                rows.append((size, f"{label} (warm: answer cached)", warm))
            if label == "chokepoints --top 20":
                ratios.append((size, "chokepoints cold / pyoxigraph bare parse (goal <= 3)",
                               cold["wall"] / got["pyoxigraph"]["wall"]))
                ratios.append((size, "chokepoints warm, same question, seconds (goal < 1 at M)", warm["wall"]))
                ratios.append((size, "chokepoints warm, new question (graph cached), seconds", graph_warm["wall"]))
                if "rdflib" in got:
                    ratios.append((size, "rdflib bare parse / chokepoints cold (goal >= 8 at M)",
                                   got["rdflib"]["wall"] / cold["wall"]))
                ratios.append((size, "chokepoints warm, answered afresh / bare library imports (goal <= 2 at S)",
                               graph_warm["wall"] / got["imports"]["wall"]))
                ratios.append((size, "peak MiB, chokepoints cold (goal < 1536 at M, < 4096 at L)", cold["peak"]))
            if size == "L" and label.startswith("path"):
                ratios.append((size, "peak MiB, path cold (goal < 4096 at L)", cold["peak"]))
        if size == "L":
            ratios.append((size, "peak MiB, import eto (goal < 4096 at L)", r["peak"]))
        pages = [folder / "view.html"] if size != "L" else []
        if size == "S":  # the whole graph too; at M it is 30,000 nodes, more than a page is for
            measure([*cli, *data, "view", "-o", str(folder / "whole.html")], 1, env, timeout)
            pages.append(folder / "whole.html")
        if pages and CHROMIUM.exists() and importlib.util.find_spec("playwright"):
            for page, b in zip(pages, measure_pages(pages), strict=True):
                what = f"{page.stem} page ({b['nodes']:.0f} nodes, {b['edges']:.0f} edges)"
                ratios.append((size, f"{what}: first draw in chromium, ms", b["first_draw_ms"]))
                ratios.append((size, f"{what}: frames per second while panning", b["pan_fps"]))
        rows.append((size, f"file: {ttl.stat().st_size / 1e6:.1f} MB, {triples:,} lines", {}))
    write(args.out, rows, ratios, args)


def write(out: Path, rows: list[tuple[str, str, dict[str, float]]], ratios: list[tuple[str, str, float]],
          args: argparse.Namespace) -> None:
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python bench/run.py --sizes {args.sizes} --runs {args.runs}` "
        f"on {platform.system()} {platform.release()} ({cpu}, {os.cpu_count()} cores), Python "
        f"{platform.python_version()}. Whole processes, median of the runs after one warm-up; wall-clock "
        "seconds and peak resident memory from GNU time. The machine is shared: read ratios, not absolutes.",
        "",
        "## Ratios (the goals of the performance issue)",
        "",
        "| size | figure | value |",
        "|---|---|---|",
    ]
    lines += [f"| {s} | {name} | {value:.2f} |" for s, name, value in ratios]
    lines += ["", "## Timings", "", "| size | command | runs | wall s | peak MiB |", "|---|---|---|---|---|"]
    for s, name, r in rows:
        if r:
            lines.append(f"| {s} | {name} | {r['runs']} | {r['wall']:.2f} | {r['peak']:.0f} |")
        else:
            lines.append(f"| {s} | {name} | | | |")
    # The reading of the figures is written by hand: keep it (check it against the new run).
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    reading = old[old.find(READING):] if READING in old else ""
    out.write_text("\n".join(lines) + "\n" + ("\n" + reading if reading else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
