"""Make the README's screenshots of the HTML views from the bundled graph.

One PNG per page kind (the whole graph, the chokepoints, a path, a neighbourhood) in
``docs/``, drawn by Debian's chromium through Playwright, offline (every request that is
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
LIMIT = 300_000


def main() -> int:
    from playwright.sync_api import sync_playwright

    kg = load()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--headless", "--disable-gpu"])
        for kind, (args, selected) in SHOTS.items():
            page_file = write_html(make_view(kg, date=DAY, **args), Path(tmp) / f"{kind}.html")
            context = browser.new_context(viewport=SIZE)
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page = context.new_page()
            page.goto(page_file.as_uri() + (f"#sel={selected}" if selected else ""))
            page.wait_for_function("window.chokemap && window.chokemap.firstDraw !== null")
            page.wait_for_timeout(500)
            out = HERE / f"view-{kind}.png"
            page.screenshot(path=str(out))
            size = out.stat().st_size
            print(f"{out.relative_to(HERE.parent)}: {size / 1000:.0f} KB" + ("  (over 300 KB)" if size > LIMIT else ""))
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
