"""The compare page: two items in two columns, one self-contained HTML file, no graph library.

:func:`compare_view` keeps the records of :func:`graph.engine.compare.compare` as they are
(under ``compare``, the JSON twin printed by ``chokemap view --compare A B --json``) and adds
what the page shows: each side's availability in words, its specs, the claims about it,
the dependencies only it has and its chokepoints, the shared dependencies, every source as
a safe link with its host.  :func:`to_html` renders it with ``templates/compare.html.j2``
(Jinja2, autoescape on); ``compare.js`` builds the columns from the JSON block with
``textContent`` only, under a Content-Security-Policy that forbids every host.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..io.files import write_atomic
from .page import page_file_name, render_plain_page, to_json
from .view_records import source_links, visible

__all__ = ["compare_view", "default_name", "to_json", "to_html", "write_html"]



def _availability(c: dict[str, Any]) -> dict[str, Any]:
    """A side's availability: its state in words and the reasons (blocks, then conditions)."""
    state = ("not available" if not c["available"] else
             "available with conditions" if c["conditions"] else "available")
    lines = [visible(x.get("text", "")) for x in c["blocked_by"]]
    lines += [visible(x.get("text", "")) for x in c["conditions"]]
    return {"state": state, "lines": lines}


def _value(v: dict[str, Any]) -> dict[str, Any]:
    text = " ".join(str(x) for x in (v.get("value"), v.get("unit")) if x is not None)
    if v.get("note"):
        text += f" ({v['note']})"
    return {"text": visible(text), "sources": source_links(v.get("sources") or [])}


def _side(res: dict[str, Any], side: str) -> dict[str, Any]:
    """One column: the item, its availability, claims, dependencies only it has, chokepoints."""
    c = res["chokepoints"][side]
    only = res["dependencies"]["only_" + side]
    return {
        "side": side, "id": res[side]["id"], "label": visible(res[side]["label"]), "type": res[side]["type"],
        "availability": _availability(c),
        "claims": [{"label": visible(k["label"]), "status": visible(k.get("status") or ""),
                    "note": visible(k.get("note") or ""),
                    "sources": source_links([*(k.get("claimed_by") or []), *(k.get("sources") or [])])}
                   for k in res["claims"] if side in k["about"]],
        "only": [{"label": visible(d["label"]), "type": d["type"], "depth": d["depth_" + side]} for d in only],
        "chokepoints": [{"label": visible(r["label"]), "type": r["type"], "why": visible(r.get("why", ""))}
                        for r in c["chokepoints"]],
        "chokepoints_total": c["total"],
    }


def compare_view(res: dict[str, Any]) -> dict[str, Any]:
    """The page's data from a :func:`~graph.engine.compare.compare` result ``res``.

    Complexity: O(size of ``res``).

    >>> res = {"a": {"id": "a", "label": "A", "type": "Chip"}, "b": {"id": "b", "label": "B", "type": "Chip"},
    ...        "as_of": "2025-01-01", "buyer": None, "attributes": [], "claims": [], "direct": [],
    ...        "dependencies": {"shared": [], "only_a": [], "only_b": []}, "shared_chokepoints": [],
    ...        "chokepoints": {s: {"available": True, "conditions": [], "blocked_by": [], "chokepoints": [],
    ...                            "total": 0} for s in "ab"}}
    >>> v = compare_view(res); v["title"], v["columns"][0]["availability"]["state"]
    ('A and B compared, for any buyer, as of 2025-01-01', 'available')
    """
    who = visible(res["buyer"]["label"]) if res.get("buyer") else "any buyer"
    a, b = visible(res["a"]["label"]), visible(res["b"]["label"])
    specs = [{"property": visible(r["property"]).replace("_", " "), "a": [_value(v) for v in r["a"]],
              "b": [_value(v) for v in r["b"]]} for r in res["attributes"]]
    shared = [{"label": visible(d["label"]), "type": d["type"], "depth_a": d["depth_a"], "depth_b": d["depth_b"]}
              for d in res["dependencies"]["shared"]]
    return {
        "view": "compare",
        "title": f"{a} and {b} compared, for {who}, as of {res['as_of']}",
        "params": {"a": res["a"]["id"], "b": res["b"]["id"],
                   "buyer": res["buyer"]["id"] if res.get("buyer") else None, "as_of": res["as_of"]},
        "columns": [_side(res, "a"), _side(res, "b")],
        "specs": specs,
        "shared": shared,
        "notes": [],
        "compare": res,
    }


def default_name(view: dict[str, Any]) -> str:
    """The page's file name when ``-o`` is not given.

    >>> default_name({"params": {"a": "h20", "b": "h200", "buyer": "cn"}})
    'chokemap-compare-h20-h200-for-cn.html'
    """
    p = view["params"]
    parts = ["chokemap-compare", p["a"], p["b"], *(["for", p["buyer"]] if p["buyer"] else [])]
    return page_file_name(parts)


def to_html(view: dict[str, Any]) -> str:
    """Render the compare page as one self-contained HTML file (no request to any host).

    Complexity: O(size of the view).
    """
    page = {k: v for k, v in view.items() if k != "compare"}
    return render_plain_page("compare", view, page)


def write_html(view: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_html` of ``view`` to ``path`` atomically (temporary file, then rename)."""
    return write_atomic(path, to_html(view), UsageError, "give -o a writable file path ending in .html")
