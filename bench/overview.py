"""Big graphs (issue 16): how the largest page allowed draws and searches, and what `view` costs at M.

    python bench/overview.py pages 2000 5000          # generated graphs of that many nodes
    python bench/overview.py m /tmp/chokemap-bench/M/M.ttl

``pages N...``: a layered graph of N nodes and 4.5 N links (M's density) drawn whole
(``max_nodes`` raised), opened 3 times in Debian's chromium, offline: the first drawing
(ms after navigation) and a search (ms from submitting a name to the next frame, the node
selected and its panel filled); medians of 3.
``m FILE``: ``view --chokepoints`` and ``view`` (the whole graph, an overview at M) as whole
processes under GNU time (wall seconds, peak resident MB), medians of 3, then the first
drawing of the overview page.  Set ``XDG_CACHE_HOME`` to a warm cache first.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import ARGS, CHROMIUM, _offline  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SEARCH = """name => new Promise(done => {
    const t0 = performance.now();
    document.getElementById('search-box').value = name;
    document.getElementById('search').requestSubmit();
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
})"""


def generated(n_nodes: int, seed: int = 7) -> Any:
    """A layered supply graph: a fifth firms, the rest items in five tiers; 4.5 links a node."""
    import networkx as nx
    from rdflib import Graph

    from chokemap.graph.core.model import KnowledgeGraph

    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    firms = [f"firm{i}" for i in range(n_nodes // 5)]
    for f in firms:
        g.add_node(f, type="Firm", label=f"Firm {f[4:]}", aliases=[], aggregate=False)
    classes = ["Material", "Tool", "Process", "Chip", "System"]
    per = (n_nodes - len(firms)) // len(classes)
    layers = [[f"{c.lower()}{i}" for i in range(per)] for c in classes]
    for c, layer in zip(classes, layers, strict=True):
        for n in layer:
            g.add_node(n, type=c, label=f"{c} {n}", aliases=[], aggregate=False)
    src = [{"id": "src", "url": "https://example.org/", "title": "Generated", "publisher": "bench", "date": None}]
    tier = {n: t for t, layer in enumerate(layers) for n in layer}
    items = list(tier)
    for _ in range(int(4.5 * n_nodes)):
        v = rng.choice(items)
        supply = tier[v] == 0 or rng.random() < 0.5
        u = rng.choice(firms) if supply else rng.choice(layers[rng.randrange(tier[v])])
        g.add_edge(u, v, type="supplies" if supply else "requires", share=None, sources=src)
    return KnowledgeGraph(rdf=Graph(), g=g, sources={})


def browse(paths: list[Path], search: str | None, runs: int = 3) -> list[dict[str, float]]:
    """Medians over ``runs`` fresh page loads: first draw (ms) and, if ``search``, a search (ms)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        for path in paths:
            draws, finds = [], []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900}, reduced_motion="reduce")
                context.route("**/*", _offline)
                page = context.new_page()
                page.goto(path.resolve().as_uri())
                page.wait_for_function("window.chokemap && window.chokemap.firstDraw !== null", timeout=300_000)
                draws.append(float(page.evaluate("chokemap.firstDraw")))
                if search:
                    finds.append(float(page.evaluate(SEARCH, search)))
                    assert page.evaluate("document.querySelector('#panel h2') !== null")
                context.close()
            out.append({"first_draw_ms": statistics.median(draws),
                        "search_ms": statistics.median(finds) if finds else float("nan")})
        browser.close()
    return out


def pages(sizes: list[int]) -> None:
    sys.path.insert(0, str(ROOT))
    import cli  # noqa: F401  (maps this checkout to `chokemap`)
    from chokemap.graph.render.views import graph_view, with_ranking, write_html

    folder = Path(tempfile.mkdtemp(prefix="chokemap-overview-"))
    written = []
    for n in sizes:
        kg = generated(n)
        view = with_ranking(kg, graph_view(kg), None, 20)
        written.append((n, view["counts"], write_html(view, folder / f"whole-{n}.html")))
    for (n, counts, path), r in zip(written, browse([p for _n, _c, p in written], "system7"), strict=True):
        print(f"{n} nodes ({counts['edges']} edges, {path.stat().st_size / 1e6:.1f} MB): "
              f"first draw {r['first_draw_ms']:.0f} ms, search {r['search_ms']:.0f} ms")


def timed(cmd: list[str], runs: int = 3) -> tuple[float, float, str]:
    """Median wall seconds and peak resident MB of ``cmd`` under GNU time, and its last output line."""
    walls, peaks, said = [], [], ""
    for _ in range(runs):
        res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, cwd=ROOT, check=False)
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
        k = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
        assert m and k, res.stderr[-500:]
        walls.append(int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
        peaks.append(int(k.group(1)) / 1024)
        said = (res.stdout.strip().splitlines() or [res.stderr.strip()])[-1]
    return statistics.median(walls), statistics.median(peaks), said


def at_m(data: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="chokemap-overview-m-"))
    base = [sys.executable, "cli.py", "--data", str(data), "view"]
    for name, extra in (("view --chokepoints", ["--chokepoints"]), ("view (whole graph)", [])):
        out = folder / (name.split()[-1].strip("-()") + ".html")
        wall, peak, said = timed([*base, *extra, "-o", str(out)])
        (r,) = browse([out], None)
        print(f"{name}: {wall:.1f} s, {peak:.0f} MB; first draw {r['first_draw_ms']:.0f} ms; {said[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["pages", "m"])
    parser.add_argument("args", nargs="+")
    a = parser.parse_args()
    if a.what == "pages":
        pages([int(x) for x in a.args])
    else:
        at_m(Path(a.args[0]))


if __name__ == "__main__":
    main()
