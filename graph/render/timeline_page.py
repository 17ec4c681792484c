"""The timeline page: one swimlane per item on a date axis, one self-contained HTML file.

:func:`timeline_view` builds the page's data (its JSON twin, printed by ``chokemap view
--timeline ... --json``) from the records of :func:`graph.engine.timeline.timeline`
(:func:`from_records`),
kept as they are, with what the page shows added beside them: each interval's state in
words, each event as a phrase (:func:`graph.render.timeline.event_text`, the text
command's phrases), each source's safe link and host, and the sources of every policy
behind a state.  :func:`to_html` renders it with ``templates/timeline.html.j2`` (Jinja2,
autoescape on); the page script (``timeline.js``) draws the lanes with plain HTML and
CSS from the JSON block and shows every text with ``textContent``.  The page makes no
request: its only script and style are inline, allowed by hash in a
Content-Security-Policy that forbids every host (:func:`graph.render.page.content_security_policy`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import source_refs
from ..io.files import write_atomic
from .page import page_file_name, render_plain_page, to_json
from .text import buyer_text
from .timeline import event_text
from .view_records import safe_url

__all__ = ["STATE_STYLE", "timeline_view", "from_records", "default_name", "to_json", "to_html", "write_html"]

#: Each state: its words on the page and in the legend, its colour and its pattern (a CSS
#: class of ``timeline.css``), so colour is never the only cue.
STATE_STYLE: dict[str, dict[str, str]] = {
    "not_launched": {"label": "not yet launched", "short": "not launched", "colour": "#c8c8c8",
                     "pattern": "dots"},
    "unavailable": {"label": "not available", "short": "not available", "colour": "#c0392b",
                    "pattern": "cross"},
    "conditions": {"label": "available with conditions", "short": "conditions", "colour": "#f0b429",
                   "pattern": "stripes"},
    "available": {"label": "available", "short": "available", "colour": "#2e7d32", "pattern": "solid"},
}



def _source(s: dict[str, Any]) -> dict[str, Any]:
    """A source as the page shows it: ``href`` only for an absolute http(s) URL, its ``host``;
    any other URL (``javascript:``, ``file:``) stays in ``url``, shown as text.

    >>> _source({"id": "s", "url": "javascript:alert(1)"})["href"]
    ''
    >>> _source({"id": "s", "url": "https://www.example.org/a"})["host"]
    'www.example.org'
    """
    href = safe_url(s.get("url"))
    return {**s, "url": str(s.get("url") or ""), "href": href, "host": (urlsplit(href).hostname or "") if href else ""}


def _event(ev: dict[str, Any]) -> dict[str, Any]:
    return {**ev, "text": event_text(ev), "sources": [_source(s) for s in ev.get("sources") or ()]}


def _interval(iv: dict[str, Any]) -> dict[str, Any]:
    return {**iv, "state_label": STATE_STYLE[iv["state"]]["label"], "events": [_event(e) for e in iv["events"]]}


def _lane(rec: dict[str, Any]) -> dict[str, Any]:
    return {**rec, "intervals": [_interval(iv) for iv in rec["intervals"]],
            "events": [_event(e) for e in rec["events"]], "expected": [_event(e) for e in rec["expected"]]}


def _policies(kg: KnowledgeGraph, lanes: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Label, kind and sources of every policy behind some interval's state."""
    out: dict[str, dict[str, Any]] = {}
    for rec in lanes:
        for iv in rec["intervals"]:
            for c in [*iv["conditions"], *iv["blocked_by"]]:
                pid = c.get("policy")
                if pid and pid not in out and pid in kg.g:
                    d = kg.g.nodes[pid]
                    out[pid] = {"id": pid, "label": kg.label(pid), "kind": d.get("kind") or "",
                                "sources": [_source(s) for s in source_refs(d.get("sources") or ())]}
    return out


def timeline_view(kg: KnowledgeGraph, items: Sequence[str], buyer: str | None, start: dt.date,
                  end: dt.date) -> dict[str, Any]:
    """The timeline page's data for ``items`` and ``buyer`` from ``start`` to ``end``: one
    :func:`~graph.engine.timeline.timeline` per item, made a page by :func:`from_records`.

    Complexity: that of the timelines, then O(size of the records).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(); g.add_node("chip", type="Chip", label="Chip")
    >>> v = timeline_view(KnowledgeGraph(g, {}), ["chip"], None, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    >>> [(iv["from"], iv["to"], iv["state_label"]) for iv in v["lanes"][0]["intervals"]]
    [('2025-01-01', '2025-12-31', 'available')]
    """
    from ..engine.timeline import timeline

    return from_records(kg, [timeline(kg, item, buyer, start, end) for item in items])


def from_records(kg: KnowledgeGraph, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The page's data from timeline records (one per item, same buyer and range): one lane
    per record, the states' legend, the policies behind the states with their sources, and
    the data's horizon.  ``kg`` gives the policies' sources only.

    Complexity: O(size of the records).
    """
    lanes = [_lane(rec) for rec in records]
    first = lanes[0]
    buyer = first["buyer"]
    names = ", ".join(rec["label"] for rec in lanes)
    horizon = first["data_as_of"]
    notes = []
    if horizon:
        notes.append(f"The data is current to {horizon}: what the page shows after that day is scheduled "
                     "in the data, not confirmed.")
    return {
        "view": "timeline",
        "title": f"Since when: {names} {buyer_text(buyer)}, {first['from']} to {first['to']}",
        "params": {"items": [rec["id"] for rec in lanes], "buyer": buyer["id"] if buyer else None,
                   "from": first["from"], "to": first["to"]},
        "from": first["from"],
        "to": first["to"],
        "data_as_of": horizon,
        "states": [{"state": s, **style} for s, style in STATE_STYLE.items()],
        "lanes": lanes,
        "policies": _policies(kg, lanes),
        "notes": notes,
    }


def default_name(view: dict[str, Any]) -> str:
    """The page's file name when ``-o`` is not given.

    >>> default_name({"params": {"items": ["h200", "h20"], "buyer": "cn"}})
    'chokemap-timeline-h200-h20-for-cn.html'
    """
    p = view["params"]
    parts = ["chokemap-timeline", *p["items"][:3], *(["for", p["buyer"]] if p["buyer"] else [])]
    return page_file_name(parts)


def to_html(view: dict[str, Any]) -> str:
    """Render the timeline page as one self-contained HTML file (no request to any host).

    Complexity: O(size of the view).
    """
    return render_plain_page("timeline", view, view)


def write_html(view: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_html` of ``view`` to ``path`` atomically (temporary file, then rename)."""
    return write_atomic(path, to_html(view), UsageError, "give -o a writable file path ending in .html")
