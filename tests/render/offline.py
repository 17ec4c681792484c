"""One offline browser for the page tests: Debian's chromium driven by Playwright, every request
but file: refused and recorded, console errors and dialogs collected (see PITFALLS.md)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

#: Skip a browser test where playwright or chromium is missing, saying how to install them.
NEEDS_BROWSER = pytest.mark.skipif(
    sync_playwright is None or not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None,
    reason="needs playwright (pip install playwright) and /usr/bin/chromium (apt-get install chromium)")


def launched() -> Iterator[Browser]:
    """A headless chromium for a module-scoped fixture (``yield from launched()``)."""
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page opened offline at a size, once ``ready`` (a JS expression) is true, with what it
    logged, tried to fetch and the dialogs it opened."""

    def __init__(self, browser: Browser, path: Path, size: tuple[int, int], ready: str,
                 timeout_ms: int = 60_000, **context: Any) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **context)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(ready, timeout=timeout_ms)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expr: str, arg: Any = None) -> Any:
        return self.page.evaluate(expr, arg)

    def clean(self) -> None:
        assert self.requests == [], self.requests
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs

    def close(self) -> None:
        self.context.close()
