"""How fast a chokemap page draws and pans in a real browser (Debian's chromium, offline).

    python bench/browser.py page.html [more.html ...]

For each page: milliseconds from navigation to the first drawing of the graph
(``chokemap.firstDraw``, set by the page's template), and the frames drawn during a
one-second animated pan (frames per second).  ``bench/run.py`` calls :func:`measure_pages`
on the pages it writes; the tests only check that pages draw, never how fast.

Needs ``apt-get install chromium`` and ``pip install playwright`` (never ``playwright
install``: it downloads browsers).  Every request that is not a local file is blocked.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "measure_pages"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

PAN = """() => new Promise(done => {
    const net = chokemap.network; let n = 0; const count = () => { n += 1; };
    net.on('afterDrawing', count);
    const p = net.getViewPosition();
    net.moveTo({position: {x: p.x + 800, y: p.y + 400}, animation: {duration: 1000, easingFunction: 'linear'}});
    setTimeout(() => { net.off('afterDrawing', count); done(n); }, 1000);
})"""


def _offline(route: Any) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def measure_pages(paths: list[Path], timeout_ms: int = 300_000) -> list[dict[str, float]]:
    """First draw (ms after navigation), pan frames per second, node and edge counts, per page."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            for path in paths:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.route("**/*", _offline)
                page = context.new_page()
                page.goto(path.resolve().as_uri())
                page.wait_for_function("window.chokemap && window.chokemap.firstDraw !== null",
                                       timeout=timeout_ms)
                out.append({
                    "first_draw_ms": float(page.evaluate("chokemap.firstDraw")),
                    "pan_fps": float(page.evaluate(PAN)),
                    "nodes": float(page.evaluate("chokemap.network.body.nodeIndices.length")),
                    "edges": float(page.evaluate("chokemap.network.body.edgeIndices.length")),
                })
                context.close()
        finally:
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    args = parser.parse_args()
    for path, r in zip(args.pages, measure_pages(args.pages), strict=True):
        print(f"{path}: {r['nodes']:.0f} nodes, {r['edges']:.0f} edges; first draw {r['first_draw_ms']:.0f} ms, "
              f"panning {r['pan_fps']:.0f} frames/s")


if __name__ == "__main__":
    main()
