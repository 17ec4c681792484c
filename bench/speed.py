"""Issue 17's speed goals at M, whole processes, side by side in one run.

Run by ``python bench/run.py --speed [--speed-sizes M,L]`` (it generates and imports each
size, seed 1, when its Turtle file is missing).  Medians of ``--runs`` after one warm-up:

* the baselines: importing the libraries a warm query command loads (networkx, click,
  pyoxigraph, numpy), pyoxigraph's bare parse
  of the file, and plain rdflib's parse (one run: a minute and more);
* ``chokepoints --top 20`` cold (``--no-cache``);
* a new question with the graph cached (``CHOKEMAP_NO_ANSWER_CACHE=1``): a new date (one
  on which the generated end product is not yet available, one on which it is), a new
  buyer and a new target, each measured;
* the full ranking, ``--top 100000 --json``, and ``--pairs`` for one target, warm.

At L (10M triples) the same but rdflib (ten minutes and more), the full ranking and the
pairs, with peak memory: the goals there are a new question, the cold run and memory.

The figures go into their own section of RESULTS.md, which the other sections keep.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["SECTION", "speed_bench"]

SECTION = "## Speed, round two (issue 17)"
TARGET = "Finished logic chip"


def speed_bench(cli: list[str], work: Path, runs: int, env: dict[str, str],
                measure: Callable[..., dict[str, float]], prepare: Callable[[Path, str], Path],
                sizes: tuple[str, ...] = ("M",)) -> list[str]:
    """The section's lines: the goals' ratios, then every timing, for each size asked
    (M: every figure; L: the baselines but rdflib, cold, the new questions)."""
    lines = [SECTION, "",
             f"Measured {dt.date.today().isoformat()} by `python bench/run.py --speed --speed-sizes {','.join(sizes)} "
             f"--runs {runs}` (seed 1): whole processes, median of the runs after one warm-up (rdflib: one run), "
             "wall seconds and peak resident memory from GNU time. \"New\" questions have the graph cached and "
             "the answer worked out afresh (`CHOKEMAP_NO_ANSWER_CACHE=1`)."]
    for size in sizes:
        ratios, got = _size(size, cli, work, runs, env, measure, prepare)
        lines += ["", f"### {size}", "", "| figure | value |", "|---|---|"]
        lines += [f"| {name} | {value:.2f} |" for name, value in ratios]
        lines += ["", "| command | runs | wall s | peak MiB |", "|---|---|---|---|"]
        lines += [f"| {name} | {r['runs']} | {r['wall']:.2f} | {r['peak']:.0f} |" for name, r in got.items()]
    return lines


def _size(size: str, cli: list[str], work: Path, runs: int, env: dict[str, str],
          measure: Callable[..., dict[str, float]], prepare: Callable[[Path, str], Path],
          ) -> tuple[list[tuple[str, float]], dict[str, dict[str, float]]]:
    """The goals' figures and the timings of one size."""
    full = size == "M"
    fresh = dict(env, CHOKEMAP_NO_ANSWER_CACHE="1")
    ttl = prepare(work / size, size)
    py, data = sys.executable, ["--data", str(ttl)]
    firm = _a_firm(ttl)
    measure([*cli, *data, "stats"], 1, env, 3600.0)  # the graph into the cache
    base = {
        # the libraries a warm query command loads: click and numpy (the item graph); a
        # graph from the cache needs neither rdflib nor pyoxigraph, nor networkx until its
        # edges are read (tests/io/test_cache.py checks that a warm question loads none)
        "imports": ([py, "-c", "import click, numpy"], runs),
        "pyoxigraph parse": ([py, "-c", f"import pyoxigraph as ox; ox.Store().bulk_load(path={str(ttl)!r}, "
                                        "format=ox.RdfFormat.TURTLE)"], runs),
    }
    if full:
        base["rdflib parse"] = ([py, "-c", f"import rdflib; rdflib.Graph().parse({str(ttl)!r}, format='turtle')"], 1)
    got = {name: measure(cmd, n, env, 3600.0) for name, (cmd, n) in base.items()}
    # the first question of a date class compiles its model: asked once before the timed runs
    for day in ("2024-06-01", "2025-06-01"):
        measure([*cli, *data, "chokepoints", "--top", "20", "--as-of", day], 1, fresh, 3600.0)
    measure([*cli, *data, "chokepoints", "--top", "20"], 1, fresh, 3600.0)
    asks = {
        "cold: chokepoints --top 20 (--no-cache)": (["--no-cache", *data, "chokepoints", "--top", "20"], env),
        "new date: chokepoints --top 20 --as-of 2024-06-01": (
            [*data, "chokepoints", "--top", "20", "--as-of", "2024-06-01"], fresh),
        # on 2024-06-01 the generated end product is not available (a short answer); on
        # 2025-06-01 it is, and the whole ranking is worked out (the date falls in the
        # date class of today, whose model the warm-up cached, as any date asked before)
        "new date, end product available: chokepoints --top 20 --as-of 2025-06-01": (
            [*data, "chokepoints", "--top", "20", "--as-of", "2025-06-01"], fresh),
        f"new buyer: chokepoints --top 20 --buyer {firm}": ([*data, "chokepoints", "--top", "20", "--buyer", firm],
                                                            fresh),
        "new target: chokepoints --target eto-N1 --top 20": ([*data, "chokepoints", "--target", "eto-N1", "--top",
                                                              "20"], fresh),
    }
    if full:
        asks["full ranking: chokepoints --top 100000 --json"] = (
            [*data, "chokepoints", "--top", "100000", "--json"], fresh)
        asks[f"pairs: chokepoints --target '{TARGET}' --pairs"] = (
            [*data, "chokepoints", "--target", TARGET, "--pairs"], fresh)
    for name, (args, e) in asks.items():
        got[name] = measure([*cli, *args], runs, e, 3600.0)
        print(f"[{size}] {name}: {got[name]}", flush=True)
    cold = got["cold: chokepoints --top 20 (--no-cache)"]
    if full:
        floor = max(0.5, 2 * got["imports"]["wall"])
        ratios = [(f"{name.split(':')[0]} (seconds; goal <= {floor:.2f}, the larger of 0.5 and 2x the imports)",
                   got[name]["wall"]) for name in asks if name.startswith("new ")]
        ratios += [
            ("cold / pyoxigraph parse (goal <= 2)", cold["wall"] / got["pyoxigraph parse"]["wall"]),
            ("rdflib parse / cold (goal >= 8)", got["rdflib parse"]["wall"] / cold["wall"]),
            ("full ranking, seconds (goal < 10)", got["full ranking: chokepoints --top 100000 --json"]["wall"]),
            ("pairs for one target, seconds (goal < 60)",
             got[f"pairs: chokepoints --target '{TARGET}' --pairs"]["wall"]),
        ]
    else:
        ratios = [(f"{name.split(':')[0]} (seconds; goal < 5)", got[name]["wall"])
                  for name in asks if name.startswith("new ")]
        ratios += [
            ("cold / pyoxigraph parse (goal <= 3)", cold["wall"] / got["pyoxigraph parse"]["wall"]),
            ("peak MiB, cold (goal < 4096)", cold["peak"]),
            ("peak MiB, the largest new question (goal < 4096)",
             max(got[name]["peak"] for name in asks if name.startswith("new "))),
        ]
    return ratios, got


def _a_firm(ttl: Path) -> str:
    """A firm of the graph to ask as a buyer (the middle one by number)."""
    with ttl.open(encoding="utf-8") as f:
        firms = sorted({m for line in f for m in re.findall(r"cmi:(eto-P\d+) a cm:Firm", line)},
                       key=lambda x: int(x.split("P")[1]))
    return firms[len(firms) // 2] if firms else "eto-P30"
