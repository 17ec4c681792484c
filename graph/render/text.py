"""Shared pieces of the text renderings: shares, sources and their numbered notes, dates.

Used by :mod:`graph.render.report` and :mod:`graph.render.report_paths`, so that every
command words a share, a source, a date span and a buyer the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Notes", "buyer_text", "date_span", "fmt_share", "fmt_source", "node_text"]


def fmt_share(share: float | None) -> str:
    """Format a 0..1 share as a percentage ("62%", "99.3%"); empty when unknown.

    >>> fmt_share(0.62), fmt_share(0.993), fmt_share(None)
    ('62%', '99.3%', '')
    """
    if share is None:
        return ""
    pct = share * 100
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"


def fmt_source(src: dict[str, Any]) -> str:
    """One line naming a source: title, publisher, date, URL; '[secondary]' when so marked.

    >>> fmt_source({"id": "s", "title": "Annual report", "publisher": "ASML", "date": "2025-02-12"})
    'Annual report (ASML, 2025-02-12)'
    """
    parts = [src.get("title") or src.get("id", "")]
    tail = ", ".join(str(x) for x in (src.get("publisher"), src.get("date")) if x)
    text = f"{parts[0]} ({tail})" if tail else parts[0]
    if src.get("secondary"):
        text += " [secondary]"
    if src.get("url"):
        text += f" {src['url']}"
    return text


def date_span(e: dict[str, Any]) -> str:
    """An edge's validity as a phrase ("2024-01-01 to 2025-06-30", "from ...", "until ..."), or "".

    >>> date_span({"valid_from": "2024-01-01", "valid_to": None}), date_span({})
    ('from 2024-01-01', '')
    """
    a, b = e.get("valid_from"), e.get("valid_to")
    if a and b:
        return f"{a} to {b}"
    if a:
        return f"from {a}"
    if b:
        return f"until {b}"
    return ""


def buyer_text(buyer: dict[str, Any] | None) -> str:
    """Whom an answer is for: "for China", or "for any buyer".

    >>> buyer_text({"id": "cn", "label": "China"}), buyer_text(None)
    ('for China', 'for any buyer')
    """
    return f"for {buyer['label']}" if buyer else "for any buyer"


def node_text(label: str, ntype: str | None) -> str:
    """A node as "label (Class)", or the bare label when its class is unknown.

    >>> node_text("ASML", "Firm"), node_text("x", None)
    ('ASML (Firm)', 'x')
    """
    return f"{label} ({ntype})" if ntype else label


class Notes:
    """Numbered source notes of one answer, each source (by URL, else id) once.

    >>> notes = Notes()
    >>> notes.refs([{"id": "a", "url": "https://e.org/a"}, {"id": "b"}]), notes.ref({"id": "a2", "url": "https://e.org/a"})
    ('[1][2]', 1)
    >>> notes.block()
    ['', 'Sources', '  [1] a https://e.org/a', '  [2] b']
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.lines: list[str] = []

    def ref(self, src: dict[str, Any]) -> int:
        """The number of ``src``, given the next one (and a note line) when new."""
        key = src.get("url") or src.get("id", "")
        if key not in self.index:
            self.index[key] = len(self.index) + 1
            self.lines.append(f"  [{self.index[key]}] {fmt_source(src)}")
        return self.index[key]

    def refs(self, sources: list[dict[str, Any]]) -> str:
        """The numbers of ``sources`` as "[1][3]", each once."""
        return "".join(dict.fromkeys(f"[{self.ref(src)}]" for src in sources))

    def block(self) -> list[str]:
        """The notes as lines to append: a "Sources" heading and one line a source; none when empty."""
        return ["", "Sources", *self.lines] if self.lines else []
