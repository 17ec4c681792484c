"""Make the README's screenshots of the HTML views from the bundled graph.

One PNG per page kind in ``docs/``: the whole graph, the chokepoints, a path and a
neighbourhood (:data:`SHOTS`, made with ``make_view``), and the question pages (:data:`QUESTIONS`:
timeline, compare, whatif, diff, upstream, downstream, available, written by ``chokemap view``
in-process), drawn by Debian's chromium through Playwright, offline (every request that is
not the page's own file is refused).  Run from a checkout::

    python docs/screenshots.py            # writes docs/view-*.png

Needs ``apt-get install chromium`` and ``pip install playwright`` (never ``playwright
install``).  Each picture is kept under 300 KB (the script says so if one is not).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import cli  # noqa: E402,F401  (maps this checkout to the `chokemap` package)
from chokemap.graph.io.load import load  # noqa: E402
from chokemap.graph.render.views import make_view, write_html  # noqa: E402

DAY = dt.date(2026, 2, 1)
SIZE = {"width": 1200, "height": 720}
#: kind -> (the view's arguments, the node selected before the picture, or None)
SHOTS: dict[str, tuple[dict[str, Any], str | None]] = {
    "graph": ({"types": "System,Chip,Tool,Firm"}, None),
    "chokepoints": ({"chokepoints": True, "targets": ["H200"]}, "asml"),
    "path": ({"path": ("ASML", "H200")}, None),
    "focus": ({"focus": "TSMC", "depth": 1}, "tsmc"),
}
#: kind -> (the arguments of ``chokemap view``, the node selected before the picture, or None)
QUESTIONS: dict[str, tuple[list[str], str | None]] = {
    "timeline": (["--timeline", "H200", "H20", "--buyer", "CN", "--from", "2022-01-01", "--to", "2026-12-31"], None),
    "compare": (["--compare", "H200", "Ascend 910C", "--buyer", "CN"], None),
    "whatif": (["--whatif", "--remove", "asml", "--buyer", "CN"], None),
    "diff": (["--diff", "2025-01-01", "2026-02-01", "--buyer", "CN"], None),
    "upstream": (["--upstream", "H200", "--depth", "2"], "h200"),
    "downstream": (["--downstream", "ASML", "--depth", "2"], None),
    "available": (["--available", "H200", "H20", "Ascend 910C", "MI308", "--buyer", "CN"], None),
}
#: What says a page is drawn: the graph pages set firstDraw, the plain pages their own flag.
READY = {"timeline": "window.chokemap && window.chokemap.drawn", "compare": "document.body.dataset.drawn === '1'"}
GRAPH_READY = "window.chokemap && window.chokemap.firstDraw !== null"
LIMIT = 300_000


def question_page(kind: str, args: list[str], folder: Path) -> Path:
    """Write the page of ``chokemap view ARGS`` for ``kind`` into ``folder`` (in-process)."""
    from click.testing import CliRunner

    out = folder / f"{kind}.html"
    day = [] if kind in ("timeline", "diff") else ["--as-of", DAY.isoformat()]  # these carry their own dates
    res = CliRunner().invoke(cli.cli, ["view", *args, *day, "-o", str(out)], catch_exceptions=False)
    if res.exit_code != 0:
        msg = f"chokemap view {' '.join(args)}: {res.output.strip()}"
        raise SystemExit(msg)
    return out


def shoot(browser: Any, page_file: Path, kind: str, selected: str | None) -> None:
    """Open ``page_file`` offline at :data:`SIZE` and save ``docs/view-KIND.png``."""
    context = browser.new_context(viewport=SIZE, reduced_motion="reduce")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    page.goto(page_file.as_uri() + (f"#sel={selected}" if selected else ""))
    page.wait_for_function(READY.get(kind, GRAPH_READY))
    page.wait_for_timeout(500)
    out = HERE / f"view-{kind}.png"
    page.screenshot(path=str(out))
    size = out.stat().st_size
    print(f"{out.relative_to(HERE.parent)}: {size / 1000:.0f} KB" + ("  (over 300 KB)" if size > LIMIT else ""))
    context.close()


def main() -> int:
    from playwright.sync_api import sync_playwright

    kg = load()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--headless", "--disable-gpu"])
        for kind, (args, selected) in SHOTS.items():
            shoot(browser, write_html(make_view(kg, date=DAY, **args), Path(tmp) / f"{kind}.html"), kind, selected)
        for kind, (cli_args, selected) in QUESTIONS.items():
            shoot(browser, question_page(kind, cli_args, Path(tmp)), kind, selected)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
