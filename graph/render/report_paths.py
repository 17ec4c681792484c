"""Text renderings of paths, upstream and downstream trees, and comparisons.

Each function takes the dict that :mod:`graph.queries.paths`, :mod:`graph.queries.trees` or
:mod:`graph.engine.compare` returned (the same dict ``--json`` prints) and returns a string;
nothing here reads files or prints.
Sources are numbered once per answer and listed at the end.
"""

from __future__ import annotations

import textwrap
from itertools import zip_longest
from typing import Any

from .report import PHRASES
from .text import Notes, buyer_text, date_span, fmt_share, node_text

__all__ = ["render_path", "render_tree", "render_compare", "edge_tags"]

WIDTH = 100


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return f"{int(x):,}" if abs(x) >= 1000 else str(int(x))
    if isinstance(x, int) and abs(x) >= 1000:
        return f"{x:,}"
    return str(x)


def edge_tags(e: dict[str, Any]) -> list[str]:
    """Share, quantity, dates and flags of an edge, as short phrases.

    >>> edge_tags({"share": 0.62, "valid_from": "2025-04-01", "valid_to": None, "quantity": 6.0})
    ['x6', '62%', 'from 2025-04-01']
    """
    tags = []
    if e.get("quantity") is not None:
        tags.append(f"x{_num(e['quantity'])}")
    if e.get("share") is not None:
        basis = f" of {e['share_basis']}" if e.get("share_basis") else ""
        tags.append(f"{fmt_share(e['share'])}{basis}")
    span = date_span(e)
    if span:
        tags.append(span)
    if e.get("stock"):
        tags.append("stockpile")
    if e.get("planned"):
        tags.append("planned, not yet supplying")
    return tags


# --------------------------------------------------------------------------- path


def render_path(res: dict[str, Any]) -> str:
    """The text of ``chokemap path``: each path hop by hop, with share, dates and sources."""
    notes = Notes()
    src, dst = res["source_label"], res["target_label"]
    head = (f"How {src} and {dst} are connected" if res["undirected"]
            else f"How {dst} depends on {src}")
    when = f"edges in force on {res['as_of']}" if res["as_of"] else "edges of any date"
    along = ", ".join(res["via"]) if len(res["via"]) <= 4 else f"{len(res['via'])} edge types"
    paths = res["paths"]
    if not paths:
        reasons = (res["note"] or "").split("; ")
        return "\n".join([f"{head}: no path ({along}; {when})", *(f"  {r}" for r in reasons[1:] or reasons)])
    lengths = sorted({p["length"] for p in paths})
    n = len(paths)
    if res["mode"] == "shortest":
        what = f"{n} shortest path{'s' if n != 1 else ''} of {lengths[0]} hop{'s' if lengths[0] != 1 else ''}"
    else:
        span = f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]} to {lengths[-1]}"
        what = f"{n} path{'s' if n != 1 else ''} of {span} hop{'s' if lengths[-1] != 1 else ''}"
        along = f"up to {res['max_len']} hops; {along}"
    lines = [f"{head}: {what} ({along}; {when})"]
    _path_lines(lines, paths, notes, "Path")
    routes = res.get("routes") or []
    if routes:
        lines += ["", f"Other routes out of {src}, the shortest through each first step ({len(routes)}):"]
        _path_lines(lines, routes, notes, "Route")
    if res.get("note"):
        lines += ["", res["note"]]
    lines += notes.block()
    return "\n".join(lines)


def _path_lines(lines: list[str], paths: list[dict[str, Any]], notes: Notes, word: str) -> None:
    """Append each path hop by hop: node, edge phrase with tags and source refs, node."""
    for i, p in enumerate(paths, 1):
        weakest = (f", weakest known share {fmt_share(p['min_share'])}"
                   if p["min_share"] is not None else "")
        lines += ["", f"{word} {i}: {p['length']} hop{'s' if p['length'] != 1 else ''}{weakest}"]
        first = p["hops"][0]
        lines.append(f"  {node_text(first['from_label'], first.get('from_type'))}")
        for h in p["hops"]:
            start, end = PHRASES.get(h["type"], (h["type"], f"{h['type']} (reversed)"))
            phrase = start if h.get("forward", True) else end
            tags = edge_tags(h)
            tail = f"  {'; '.join(tags)}" if tags else ""
            refs = notes.refs(h.get("sources", []))
            lines.append(f"    | {phrase}{tail}{'  ' + refs if refs else ''}")
            if h.get("note"):
                lines += textwrap.wrap(f"note: {h['note']}", WIDTH, initial_indent="    |   ",
                                       subsequent_indent="    |   ")
            lines.append(f"  {node_text(h['to_label'], h.get('to_type'))}")


# --------------------------------------------------------------------------- trees


def render_tree(res: dict[str, Any]) -> str:
    """The text of ``chokemap upstream`` / ``downstream``: a tree, one node per line.

    Each node appears once, under the first parent that reaches it at its shallowest
    depth; with a class filter, the nodes that only connect matches are marked "(via)".
    """
    notes = Notes()
    root = res["root"]
    up = res["direction"] == "upstream"
    nodes, context = res["nodes"], res["context"]
    everything = {n["id"]: n for n in nodes + context}
    head = (f"What {node_text(root['label'], root['type'])} needs" if up
            else f"What needs {node_text(root['label'], root['type'])}")
    scope = f"within {res['depth']} level{'s' if res['depth'] != 1 else ''}" if res["depth"] else "at any depth"
    kinds = f" of class {', '.join(res['types'])}" if res["types"] else ""
    count = f"{len(nodes)} node{'s' if len(nodes) != 1 else ''}{kinds} {scope}"
    if res["as_of"]:
        count += f", edges in force on {res['as_of']}"
    lines = [f"{head}: {count}"]
    if not nodes:
        lines.append(f"  nothing{' upstream' if up else ' downstream'}"
                     + (f" ({res['beyond_depth']} more deeper)" if res["beyond_depth"] else ""))
        return "\n".join(lines)
    levels: dict[int, int] = {}
    for n in nodes:
        levels[n["depth"]] = levels.get(n["depth"], 0) + 1
    lines.append("  by level: " + ", ".join(f"{d}: {c}" for d, c in sorted(levels.items()))
                 + (f"; {res['beyond_depth']} more deeper (ask for more levels)" if res["beyond_depth"] else ""))
    edge_of = {e["from"] if up else e["to"]: e for e in res["edges"]}  # keyed by the child
    children: dict[str, list[str]] = {}
    for n in sorted(everything.values(), key=lambda x: (x["label"].casefold(), x["id"])):
        children.setdefault(n["parent"], []).append(n["id"])
    matched = {n["id"] for n in nodes}
    lines += ["", node_text(root["label"], root["type"])]

    # Depth-first with an explicit stack (pre-order, children by label): a chain thousands
    # of levels deep must not meet Python's recursion limit.
    stack = [(kid, "", i == len(kids) - 1) for kids in [children.get(root["id"], [])]
             for i, kid in reversed(list(enumerate(kids)))]
    while stack:
        kid, prefix, last = stack.pop()
        e = edge_of[kid]
        phrase = PHRASES.get(e["type"], (e["type"], e["type"]))[1 if up else 0]
        if not up and e["type"] == "requires":
            phrase = "needed by"
        n = everything[kid]
        tags = edge_tags(e)
        refs = notes.refs(e.get("sources", []))
        mark = "" if kid in matched else "(via) "
        text = f"{mark}{phrase} {node_text(n['label'], n['type'])}"
        if tags:
            text += f"  {'; '.join(tags)}"
        if refs:
            text += f"  {refs}"
        lines.append(f"{prefix}{'└── ' if last else '├── '}{text}")
        below = children.get(kid, [])
        inner = prefix + ("    " if last else "│   ")
        stack.extend((k, inner, i == len(below) - 1) for i, k in reversed(list(enumerate(below))))
    lines += notes.block()
    return "\n".join(lines)


# --------------------------------------------------------------------------- compare


def _cell(values: list[dict[str, Any]], notes: Notes) -> str:
    parts = []
    for v in values:
        unit = f" {v['unit']}" if v.get("unit") else ""
        text = f"{_num(v['value'])}{unit}"
        if v.get("as_of"):
            text += f" (as of {v['as_of']})"
        refs = notes.refs(v.get("sources", []))
        parts.append(f"{text} {refs}".rstrip())
    return "; ".join(parts) if parts else "-"


def _columns(rows: list[tuple[str, str, str]], head: tuple[str, str, str]) -> list[str]:
    w0 = min(max(len(r[0]) for r in [head, *rows]), 24)
    w1 = min(max(len(r[1]) for r in [head, *rows]), 36)
    w2 = max(WIDTH - w0 - w1 - 6, 20)
    out = []
    for r in [head, *rows]:
        cols = [textwrap.wrap(c, w) or [""] for c, w in zip(r, (w0, w1, w2), strict=True)]
        for a, b, c in zip_longest(*cols, fillvalue=""):
            out.append(f"  {a:<{w0}}  {b:<{w1}}  {c}".rstrip())
    return out


def _edge_cell(e: dict[str, Any] | None, notes: Notes) -> str:
    if e is None:
        return "-"
    phrase = "supplier" if e["type"] == "supplies" else "input" if e["type"] == "requires" else e["type"]
    tags = edge_tags(e)
    text = phrase + (f" {', '.join(tags)}" if tags else "")
    refs = notes.refs(e.get("sources", []))
    return f"{text} {refs}".rstrip()


def _grouped(rows: list[dict[str, Any]]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r["type"] or "other", []).append(r["label"])
    out = []
    for t, labels in groups.items():
        out += textwrap.wrap(f"{t}: {', '.join(labels)}", WIDTH, initial_indent="    ",
                             subsequent_indent="      ")
    return out or ["    none"]


def render_compare(res: dict[str, Any]) -> str:
    """The text of ``chokemap compare``: specs, claims, inputs, dependencies, chokepoints."""
    notes = Notes()
    a, b = res["a"], res["b"]
    la, lb = a["label"], b["label"]
    lines = [f"{node_text(la, a['type'])} vs {node_text(lb, b['type'])}, as of {res['as_of']}, "
             f"{buyer_text(res.get('buyer'))}"]
    lines += _attribute_section(res, la, lb, notes)
    lines += _claim_section(res, la, lb, notes)
    lines += _direct_section(res, la, lb, notes)
    deps = res["dependencies"]
    lines += ["", f"Dependencies (everything upstream, edges in force on {res['as_of']})"]
    for key, title in (("shared", "shared"), ("only_a", f"only {la}"), ("only_b", f"only {lb}")):
        lines.append(f"  {title} ({len(deps[key])})")
        lines += _grouped(deps[key])
    lines += _chokepoint_section(res, la, lb)
    lines += notes.block()
    return "\n".join(lines)


def _side_notes(name: str, notes_by_side: list[tuple[str, str | None]]) -> list[str]:
    """The notes of one row, each as "name, side label: note", wrapped."""
    lines: list[str] = []
    for label, note in notes_by_side:
        if note:
            lines += textwrap.wrap(f"{name}, {label}: {note}", WIDTH,
                                   initial_indent="  note: ", subsequent_indent="        ")
    return lines


def _attribute_section(res: dict[str, Any], la: str, lb: str, notes: Notes) -> list[str]:
    """The specs side by side, property by property, then their notes."""
    lines = ["", "Attributes (sourced facts)"]
    if not res["attributes"]:
        return [*lines, "  no specs recorded for either"]
    rows = [(r["property"], _cell(r["a"], notes), _cell(r["b"], notes)) for r in res["attributes"]]
    lines += _columns(rows, ("", la, lb))
    for r in res["attributes"]:
        lines += _side_notes(r["property"], [(label, v.get("note")) for side, label in (("a", la), ("b", lb))
                                             for v in r[side]])
    return lines


def _claim_section(res: dict[str, Any], la: str, lb: str, notes: Notes) -> list[str]:
    """The claims about either item, with status, statements, who claims it and sources."""
    lines = ["", "Claims (attributed statements with a status; not used as facts)"]
    if not res["claims"]:
        lines.append("  none")
    for c in res["claims"]:
        about = {("a",): la, ("b",): lb}.get(tuple(c["about"]), "both")
        lines.append(f"  [{c['status'] or 'no status'}] {c['label']} (about {about})")
        for s in c["statement"]:
            lines += textwrap.wrap(s, WIDTH, initial_indent="      ", subsequent_indent="      ")
        who = notes.refs(c.get("claimed_by", []))
        src = notes.refs(c.get("sources", []))
        refs = ", ".join(x for x in (f"claimed by {who}" if who else "", f"source {src}" if src else "") if x)
        if refs:
            lines.append(f"      {refs}")
        if c.get("note"):
            lines += textwrap.wrap(f"note: {c['note']}", WIDTH, initial_indent="      ",
                                   subsequent_indent="        ")
    return lines


def _direct_section(res: dict[str, Any], la: str, lb: str, notes: Notes) -> list[str]:
    """The direct inputs and suppliers side by side, then their notes."""
    lines = ["", "Direct inputs and suppliers"]
    if not res["direct"]:
        return [*lines, "  none"]
    rows = [(node_text(r["label"], r["type"]), _edge_cell(r["a"], notes), _edge_cell(r["b"], notes))
            for r in res["direct"]]
    lines += _columns(rows, ("", la, lb))
    for r in res["direct"]:
        lines += _side_notes(r["label"], [(label, r[side] and r[side].get("note"))
                                          for side, label in (("a", la), ("b", lb))])
    return lines


def _chokepoint_section(res: dict[str, Any], la: str, lb: str) -> list[str]:
    """Each item's availability and top chokepoints, those of both marked."""
    buyer = buyer_text(res.get("buyer"))
    lines = ["", f"Availability and chokepoints {buyer}"]
    shared = set(res["shared_chokepoints"])
    for side, label in (("a", la), ("b", lb)):
        c = res["chokepoints"][side]
        state = "available" if c["available"] else "NOT AVAILABLE"
        if c["available"] and c["conditions"]:
            state = "available WITH CONDITIONS"
        lines.append(f"  {label}: {state}")
        for x in c["blocked_by"]:
            lines += textwrap.wrap(f"- {x['text']}", WIDTH, initial_indent="    ", subsequent_indent="      ")
        for x in c["conditions"]:
            lines += textwrap.wrap(f"- {x['text']}", WIDTH, initial_indent="    ", subsequent_indent="      ")
        if c["available"]:
            shown = len(c["chokepoints"])
            lines.append(f"    chokepoints: {c['total']}" + (f", top {shown}:" if shown else ""))
            for i, r in enumerate(c["chokepoints"], 1):
                both = " [both]" if r["id"] in shared else ""
                lines += textwrap.wrap(f"{i}. {r['label']} ({r['type']}){both}: {r['why']}", WIDTH,
                                       initial_indent="    ", subsequent_indent="       ")
    if any(res["chokepoints"][s]["chokepoints"] for s in ("a", "b")):
        lines.append("  (each chain, with its sources, in the chokepoints of each item"
                     + (f" for {res['buyer']['label']}" if res.get("buyer") else "") + f" as of {res['as_of']})")
    if shared:
        names = {r["id"]: r["label"] for s in ("a", "b") for r in res["chokepoints"][s]["chokepoints"]}
        lines += textwrap.wrap(f"Chokepoints of both: {len(shared)}"
                               + (f" ({', '.join(names[i] for i in res['shared_chokepoints'] if i in names)} among those shown)"
                                  if any(i in names for i in shared) else ""),
                               WIDTH, initial_indent="  ", subsequent_indent="    ")
    return lines
