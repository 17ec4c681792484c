"""What loading the bundled graph plus ETO costs, against loading the two apart; write
bench/RESULTS-merged.md.

    python bench/merged.py ../shared/eto            # 5 runs each
    python bench/merged.py ../shared/eto --runs 9

Imports ETO with ``--link`` once, then times, in this process after one warm-up, the
median of ``--runs`` loads (parse and projection, no cache) of the bundled graph, of the
linked ETO file alone, and of both (``--with``), and the same merged load from the graph
cache.  The goal: merged at most 1.5 times the two apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "chokemap" not in sys.modules:
    sys.path.insert(0, str(ROOT))
    import cli  # noqa: F401  (maps this checkout to the package `chokemap`)

from chokemap.graph.interchange.eto import import_eto  # noqa: E402
from chokemap.graph.io.inputs import DEFAULT_DATA  # noqa: E402
from chokemap.graph.io.load import load  # noqa: E402


def median_seconds(paths: list[Path], runs: int, cache: bool = False) -> float:
    """Median wall seconds of ``runs`` loads of ``paths`` (after one warm-up)."""
    load(paths, cache=cache)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load(paths, cache=cache)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eto", type=Path, help="the folder of ETO CSV files")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        linked = Path(tmp) / "eto-linked.ttl"
        summary = import_eto(args.eto, linked, link="")
        bundled = median_seconds([DEFAULT_DATA], args.runs)
        eto = median_seconds([linked], args.runs)
        merged = median_seconds([DEFAULT_DATA, linked], args.runs)
        cached = median_seconds([DEFAULT_DATA, linked], args.runs, cache=True)
    ratio = merged / (bundled + eto)
    lines = [
        "# Loading the bundled graph plus ETO (bench/merged.py)",
        "",
        f"ETO imported with --link: {summary['triples']} triples, {summary['linked']} ETO ids on our IRIs.",
        f"Median of {args.runs} loads in one process (parse and projection, no cache), seconds:",
        "",
        "| load | seconds |",
        "|---|---|",
        f"| bundled graph alone | {bundled:.3f} |",
        f"| ETO linked file alone | {eto:.3f} |",
        f"| both, `--with` | {merged:.3f} |",
        f"| both, from the graph cache | {cached:.3f} |",
        "",
        f"Merged / (bundled + ETO) = {ratio:.2f} (goal: at most 1.5).",
    ]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS-merged.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
