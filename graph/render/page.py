"""One self-contained, offline, script-safe HTML page per view.

:func:`to_html` renders a view (a dict from :mod:`graph.render.views`) with
``templates/view.html.j2`` (Jinja2, autoescape on) and :func:`write_html` writes it
atomically.  The page inlines the vis-network bundle that pyvis ships
(``pyvis/lib/vis-9.1.2``) and never calls pyvis's writers, which link CDNs, write a
``lib/`` folder into the working directory and insert titles as HTML (see PITFALLS.md).
The data travels as JSON in a ``<script type="application/json">`` block with ``<``, ``>``
and ``&`` escaped; the page script shows every text with ``textContent``; a
Content-Security-Policy allows only the page's own scripts and styles (by hash) and no
request to any host.  Every page kind inlines ``templates/common.js`` (one ``el`` and one
link rule: http(s) with a host only, the host always in the link text) before its own
script; graph pages also inline ``labels.js`` (the label collision pass) and ``svg.js``
(Save SVG), each allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..io.files import write_atomic

__all__ = ["EDGE_COLOURS", "LINK_GREY", "content_security_policy", "script_json", "to_json", "to_html", "write_html"]

#: Colour of each edge type; types not listed are drawn grey.
EDGE_COLOURS: dict[str, str] = {
    "requires": "#6b6b6b",
    "supplies": "#4e79a7",
    "owns": "#59a14f",
    "covers": "#b07aa1",
    "covers_supplier": "#b07aa1",
    "destination": "#c9a3c0",
    "listed_party": "#b07aa1",
    "location_of": "#59a14f",
    "operates": "#4e79a7",
    "jurisdiction_over": "#8cd17d",
}

#: Colour of links of other types.
LINK_GREY = "#b8b8b8"
_HIGHLIGHT = "#d62728"
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def script_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` as ``\\uXXXX``.

    >>> script_json({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, default=str)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def to_json(view: dict[str, Any]) -> str:
    """The JSON twin of a view (what ``chokemap view --json`` prints)."""
    return json.dumps(view, ensure_ascii=False, indent=2, default=str)


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The vis-network bundle (from the pyvis package, not imported) and the page's own JS/CSS."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        msg = "pyvis is not installed; install it (pip install pyvis) to write HTML views"
        raise UsageError(msg)
    vis = Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"
    out = {
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "common_js": (_TEMPLATES / "common.js").read_text(encoding="utf-8"),
        "labels_js": (_TEMPLATES / "labels.js").read_text(encoding="utf-8"),
        "svg_js": (_TEMPLATES / "svg.js").read_text(encoding="utf-8"),
        "app_js": (_TEMPLATES / "view.js").read_text(encoding="utf-8"),
        "app_css": (_TEMPLATES / "view.css").read_text(encoding="utf-8"),
    }
    return inlinable(out)


def inlinable(assets: dict[str, str]) -> dict[str, str]:
    """``assets`` (name -> text; names ending in js are scripts, others styles), refused if
    one would close its own inline element early.  O(total size)."""
    for name, text in assets.items():
        end = "</script" if name.endswith("js") else "</style"
        if end in text.lower():
            msg = f"{name} contains {end!r} and cannot be inlined"
            raise UsageError(msg)
    return assets


@lru_cache(maxsize=8)
def app_assets(stem: str) -> dict[str, str]:
    """The page script and style of a plain page kind (``templates/STEM.js``, ``STEM.css``),
    with the helpers every page shares (``templates/common.js``)."""
    out = {name: (_TEMPLATES / f"{stem}.{name.split('_')[1]}").read_text(encoding="utf-8")
           for name in ("app_js", "app_css")}
    out["common_js"] = (_TEMPLATES / "common.js").read_text(encoding="utf-8")
    return inlinable(out)


def render_plain_page(stem: str, view: dict[str, Any], data: Any) -> str:
    """A page drawn without a graph library (``templates/STEM.html.j2``): its own inline script
    and style under a hash-locked CSP, ``data`` as an escaped JSON block.  O(size of the view)."""
    import jinja2
    from markupsafe import Markup

    from .. import __version__

    assets = app_assets(stem)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    csp = content_security_policy([assets["common_js"], assets["app_js"]], [assets["app_css"]])
    return env.get_template(f"{stem}.html.j2").render(
        view=view, csp=csp, version=__version__, data=Markup(script_json(data)),
        **{k: Markup(v) for k, v in assets.items()})


def page_file_name(parts: list[str]) -> str:
    """A page's default file name from its parts, each cut to letters, digits, - and _.

    >>> page_file_name(["chokemap-compare", "h20", "h200/x"])
    'chokemap-compare-h20-h200_x.html'
    """
    return "-".join("".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in part) for part in parts) + ".html"


def _phrases() -> dict[str, tuple[str, str]]:
    from .report import PHRASES

    return {**PHRASES, "location_of": ("home of", "located in"), "operates": ("operates", "operated by"),
            "jurisdiction_over": ("has jurisdiction over", "under the jurisdiction of")}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _options(view: dict[str, Any]) -> dict[str, Any]:
    """vis-network options: physics off (coordinates are given), lighter drawing when big."""
    big = len(view["edges"]) > 600 or len(view["nodes"]) > 400
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False,
                        "multiselect": False},
        # labels other than the kept ones (top-ranked, ends) are drawn from 9 px on screen
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}, "borderWidth": 1,
                  "scaling": {"label": {"enabled": False, "drawThreshold": 9, "maxVisible": 30}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"type": "cubicBezier", "forceDirection": "horizontal",
                                               "roundness": 0.45},
                  "font": {"size": 11, "align": "middle", "strokeWidth": 3}, "width": 1,
                  "selectionWidth": 2},
    }


def to_html(view: dict[str, Any]) -> str:
    """Render a view as one self-contained HTML page (no request to any host when opened).

    Complexity: O(size of the view) to serialise, plus the ~700 kB vis-network bundle.
    """
    import jinja2
    from markupsafe import Markup

    from .. import __version__

    assets = _assets()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    page = {"view": view, "options": _options(view), "highlight": _HIGHLIGHT,
            "edge_grey": LINK_GREY, "edge_colours": EDGE_COLOURS, "phrases": _phrases()}
    scripts = {k: v for k, v in assets.items() if k.endswith("js")}
    if view.get("clusters") is not None:  # an overview page: clusters expand on click
        scripts["overview_js"] = inlinable({"overview_js": (_TEMPLATES / "overview.js").read_text(encoding="utf-8")})["overview_js"]
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_hash(s) for s in scripts.values()),
        f"style-src {_hash(assets['vis_css'])} {_hash(assets['app_css'])}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    return env.get_template("view.html.j2").render(
        view=view, csp=csp, version=__version__,
        data=Markup(script_json(page)), overview_js=Markup(scripts.get("overview_js", "")),
        **{k: Markup(v) for k, v in assets.items()},
    )


def write_html(view: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_html` of ``view`` to ``path`` atomically (temporary file, then rename).

    Nothing else is written: no ``lib/`` folder, no copy of the bundle.

    Raises
    ------
    UsageError
        The folder does not exist or cannot be written.
    """
    return write_atomic(path, to_html(view), UsageError, "give -o a writable file path ending in .html")


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """A CSP that allows only these inline scripts and styles (by hash) and no request to any host.

    >>> content_security_policy([], []).split("; ")[0]
    "default-src 'none'"
    """
    return "; ".join([
        "default-src 'none'",
        "script-src " + (" ".join(_hash(s) for s in scripts) or "'none'"),
        "style-src " + (" ".join(_hash(s) for s in styles) or "'none'"),
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
