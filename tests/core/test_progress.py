"""Progress is drawn on a terminal only, and never by the library itself."""

from __future__ import annotations

import io

from chokemap.graph.core.progress import report, reporting, terminal_reporter


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal() -> None:
    assert terminal_reporter(io.StringIO()) is None


def test_draws_on_a_terminal_after_the_delay_and_clears_at_the_end() -> None:
    out = Tty()
    with reporting(terminal_reporter(out, delay=0.0)):
        report("reading big.ttl", 50, 100)
        report("reading big.ttl", 100, 100)
    text = out.getvalue()
    assert "reading big.ttl: 50/100  50.0%" in text
    assert text.endswith("\r\033[K")


def test_nothing_happens_without_a_reporter() -> None:
    report("anything", 1, 2)  # no reporter installed: a no-op, no output anywhere
