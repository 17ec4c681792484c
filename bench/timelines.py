"""Issue 15's speed goals: a timeline against one single-date question, whole processes.

Run by ``python bench/run.py --timelines`` (after ``--sizes M`` or on its own: it generates
and imports M when its Turtle file is missing).  Measures, with the graph cached and the
answer worked out afresh (``CHOKEMAP_NO_ANSWER_CACHE=1``), medians of ``--runs``:

* at M: ``available T`` on one date against ``timeline T`` over five years, and
  ``chokepoints --target T`` on one date against ``timeline T --chokepoints`` over the
  same five years (goal: a timeline costs at most 20 single-date questions);
* on the bundled graph: the ten-year timeline of the H200 for China (goal: under 2 s),
  also cold (``--no-cache``).

The figures go into their own section of RESULTS.md, which the other sections keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

__all__ = ["SECTION", "timeline_bench", "write_section"]

SECTION = "## Timelines and substitution horizons (issue 15)"
FIVE_YEARS = ("2021-01-01", "2025-12-31")
TEN_YEARS = ("2016-04-01", "2026-03-31")


def timeline_bench(cli: list[str], work: Path, runs: int, env: dict[str, str],
                   measure: Callable[..., dict[str, float]], prepare: Callable[[Path], Path]) -> list[str]:
    """The rows of the section: (what, runs, wall s, peak MiB) and the two ratios."""
    fresh = dict(env, CHOKEMAP_NO_ANSWER_CACHE="1")
    ttl = prepare(work / "M")
    data = ["--data", str(ttl)]
    target = "Finished logic chip"
    measure([*cli, *data, "stats"], 1, env, 3600.0)  # the graph into the cache
    a, b = FIVE_YEARS
    pairs = [
        ("available (one date)", ["available", target, "--as-of", b],
         "timeline (five years)", ["timeline", target, "--from", a, "--to", b]),
        ("chokepoints --target (one date)", ["chokepoints", "--target", target, "--as-of", b],
         "timeline --chokepoints (five years)", ["timeline", target, "--from", a, "--to", b, "--chokepoints"]),
    ]
    rows: list[tuple[str, str, dict[str, float]]] = []
    ratios: list[tuple[str, float]] = []
    for one_label, one, many_label, many in pairs:
        r1 = measure([*cli, *data, *one], runs, fresh, 3600.0)
        r2 = measure([*cli, *data, *many], runs, fresh, 3600.0)
        rows += [("M", one_label, r1), ("M", many_label, r2)]
        ratios.append((f"M: {many_label} / {one_label} (goal <= 20)", r2["wall"] / r1["wall"]))
        print(f"[M] {one_label}: {r1}; {many_label}: {r2}", flush=True)
    h200 = ["timeline", "H200", "--buyer", "CN", "--from", TEN_YEARS[0], "--to", TEN_YEARS[1]]
    warm = measure([*cli, *h200], runs, fresh, 600.0)
    cold = measure([*cli, "--no-cache", *h200], runs, env, 600.0)
    rows += [("bundled", "timeline H200 --buyer CN, ten years (graph cached, answered afresh)", warm),
             ("bundled", "timeline H200 --buyer CN, ten years (cold, --no-cache)", cold)]
    ratios.append(("bundled: ten-year H200 timeline, graph cached, seconds (goal < 2)", warm["wall"]))
    return _lines(rows, ratios, runs)


def _lines(rows: list[tuple[str, str, dict[str, float]]], ratios: list[tuple[str, float]], runs: int) -> list[str]:
    lines = [SECTION, "",
             f"Measured {dt.date.today().isoformat()} by `python bench/run.py --timelines --runs {runs}`: whole "
             "processes, median of the runs after one warm-up, the graph cached and each answer worked out "
             f"afresh (`CHOKEMAP_NO_ANSWER_CACHE=1`) unless marked cold. At M the target is "
             f"'Finished logic chip', no buyer, the five years {FIVE_YEARS[0]} to {FIVE_YEARS[1]} "
             "(the synthetic data has 2021 and 2025 edges); on the bundled graph the H200 for China from "
             f"{TEN_YEARS[0]} to {TEN_YEARS[1]}.", "",
             "| figure | value |", "|---|---|"]
    lines += [f"| {name} | {value:.2f} |" for name, value in ratios]
    lines += ["", "| graph | command | runs | wall s | peak MiB |", "|---|---|---|---|---|"]
    lines += [f"| {s} | {name} | {r['runs']} | {r['wall']:.2f} | {r['peak']:.0f} |" for s, name, r in rows]
    return lines


def write_section(out: Path, lines: list[str]) -> None:
    """Put the section (its first line is its heading) into RESULTS.md in place of its
    older self (at the end when new)."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    heading = lines[0]
    start = old.find(heading)
    if start >= 0:
        nxt = old.find("\n## ", start + len(heading))
        old = old[:start].rstrip("\n") + ("\n\n" + old[nxt + 1:] if nxt >= 0 else "")
    out.write_text(old.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
