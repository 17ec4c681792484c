"""Text renderings of results, for people at a terminal.

Each function takes the plain dict a query returned (the same dict ``--json`` prints)
and returns a string; nothing here reads files or prints.
"""

from __future__ import annotations

from typing import Any

from .horizons import horizon_lines, plans_header, target_plan_lines
from .text import Notes, buyer_text, date_span, fmt_share, fmt_source

__all__ = [
    "fmt_share",
    "fmt_source",
    "render_stats",
    "render_search",
    "render_entity",
    "render_findings",
    "PHRASES",
    "render_availability",
    "render_chokepoints",
    "cuts_text",
    "render_whatif",
    "render_diff",
]

#: How an edge reads from each end: (seen from its start, seen from its end).
PHRASES: dict[str, tuple[str, str]] = {
    "supplies": ("supplies", "supplied by"),
    "requires": ("needed by", "needs"),
    "owns": ("owns", "owned by"),
    "designed_by": ("designed by", "designs"),
    "kind_of": ("a kind of", "includes"),
    "located_in": ("located in", "location of"),
    "operated_by": ("operated by", "operates"),
    "governs": ("governs", "governed by"),
    "part_of": ("part of", "includes agency"),
    "export_authority": ("export controls issued by", "issues the export controls of"),
    "subject_to": ("under the jurisdiction of", "has jurisdiction over"),
    "issued_by": ("issued by", "issued"),
    "covers": ("covers", "covered by"),
    "covers_supplier": ("covers supplies of", "supplies covered by"),
    "destination": ("applies to", "destination of"),
    "listed_party": ("lists", "listed by"),
    "relaxes": ("relaxes", "relaxed by"),
    "suspends": ("suspends", "suspended by"),
    "about": ("is about", "claims about it"),
}


def render_stats(st: dict[str, Any]) -> str:
    """The text of ``chokemap stats``."""
    lines = [
        f"{st['entities']} entities, {st['edges']} dependency edges, {st['links']} other links, "
        f"{st['policies']} policies, {st['claims']} claims, {st['sources']} sources "
        f"({st['triples']} triples in {st['files']} files)",
        "",
        "Entities by class",
    ]
    lines += [f"  {k:<12} {v:>5}" for k, v in st["entities_by_class"].items()]
    lines += ["", "Dependency edges by type"]
    lines += [f"  {k:<12} {v:>5}" for k, v in st["edges_by_type"].items()]
    lines.append(
        f"  with a source: {st['edges_with_source']} of {st['edges']} ({st['sourced_share'] * 100:.1f}%)"
        if st["edges"] else "  none: the data holds no dependency edge"
    )
    if st["links_by_type"]:
        lines += ["", "Other links by type"]
        lines += [f"  {k:<16} {v:>5}" for k, v in st["links_by_type"].items()]
    if st["claims_by_status"]:
        lines += ["", "Claims by status"]
        lines += [f"  {k:<12} {v:>5}" for k, v in st["claims_by_status"].items()]
    return "\n".join(lines)


def render_search(hits: list[dict[str, Any]], text: str) -> str:
    """The text of ``chokemap search``."""
    if not hits:
        return f"nothing matches {text!r}"
    width = max(len(h["label"]) for h in hits)
    lines = []
    for h in hits:
        via = "" if h["field"] in ("label", "id") else f"  ({h['field']}: {h['matched']})"
        lines.append(f"{h['label']:<{width}}  {h['type']:<10} {h['id']}{via}")
    return "\n".join(lines)


def render_entity(info: dict[str, Any]) -> str:
    """The text of ``chokemap show``: header, attributes, specs, edges grouped by phrase."""
    lines = [f"{info['label']}  ({info['type']}, id: {info['id']})"]
    lines += _attribute_lines(info)
    lines += _statement_lines(info)
    if info.get("specs"):
        lines += ["", "Specs"]
        for s in info["specs"]:
            unit = f" {s['unit']}" if s.get("unit") else ""
            lines.append(f"  {s['property']}: {s['value']}{unit}")
            lines += [f"      source: {fmt_source(src)}" for src in s["sources"]]
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in info["edges"]:
        start, end = PHRASES.get(e["type"], (e["type"], f"{e['type']} (in)"))
        groups.setdefault(start if e["direction"] == "out" else end, []).append(e)
    for phrase, edges in groups.items():
        lines += ["", f"{phrase[0].upper()}{phrase[1:]} ({len(edges)})"]
        for e in edges:
            lines += _entity_edge_lines(e)
    lines += _conflict_lines(info.get("conflicts") or [])
    return "\n".join(lines)


def _conflict_lines(conflicts: list[dict[str, Any]]) -> list[str]:
    """``show``'s short section on shares two datasets give differently, and which answers use."""
    if not conflicts:
        return []

    def fig(r: dict[str, Any], name: str) -> str:
        return f"{name} {fmt_share(r['share']) or 'no share'} ({r['year'] or 'year unknown'})"

    lines = ["", f"Conflicting figures ({len(conflicts)})"]
    for c in conflicts:
        lines.append(f"  {c['supplier_label']} supplies {c['item_label']}: {fig(c['bundled'], 'bundled')}, "
                     f"{fig(c['eto'], 'ETO')}; answers use {c['newer']}'s (the more recent)")
    return lines


def _attribute_lines(info: dict[str, Any]) -> list[str]:
    """An entity's aliases and attributes (with labels where known), one a line."""
    lines = []
    if info.get("aliases"):
        lines.append(f"Also known as: {', '.join(info['aliases'])}")
    for key, name in (("description", "About"), ("country", "Country"), ("operator", "Operator"),
                      ("issuer", "Issuer"), ("kind", "Kind"), ("scope", "Scope"),
                      ("status", "Status"), ("iso", "ISO code"), ("wikidata", "Wikidata")):
        if info.get(key):
            shown = info[key]
            if info.get(f"{key}_label"):
                shown = f"{info[key + '_label']} ({shown})"
            lines.append(f"{name}: {shown}")
    if info.get("aggregate"):
        lines.append("Placeholder (aggregate): never reported as a chokepoint")
    if info.get("launch"):
        lines += _launch_lines(info["launch"])
    return lines


def _launch_lines(launch: dict[str, Any]) -> list[str]:
    """When an item was first available, or why the data gives no date, with its sources."""
    status = launch.get("status")
    if status == "not_a_product":
        head = "Launch: none (a category or a part, not a product)"
    elif status == "not_yet_launched":
        head = "Launch: not yet launched" + (f", expected from {launch['expected']} (not confirmed)"
                                             if launch.get("expected") else "")
    elif status == "date_unknown":
        bounds = [f"not before {launch['not_before']}" if launch.get("not_before") else "",
                  f"on the market by {launch['on_market_by']}" if launch.get("on_market_by") else ""]
        head = "Launch: date not known" + "".join(f"; {b}" for b in bounds if b)
    else:
        head = f"Launch: {launch['date']}"
    lines = [head + (f" ({launch['note']})" if launch.get("note") else "")]
    lines += [f"  source: {fmt_source(s)}" for s in launch.get("sources", [])]
    return lines


def _statement_lines(info: dict[str, Any]) -> list[str]:
    """A policy's or claim's dates, statements, note, conditions and sources."""
    lines = []
    if info.get("effective_from"):
        span = f"In force: from {info['effective_from']}"
        if info.get("effective_to"):
            span += f" to {info['effective_to']}"
        if info.get("announced"):
            span += f" (announced {info['announced']})"
        lines.append(span)
    for stmt in info.get("statement", []):
        lines.append(f"Statement: {stmt}")
    if info.get("note"):
        lines.append(f"Note: {info['note']}")
    if info.get("conditions"):
        lines.append("Conditions:")
        lines += [f"  - {c}" for c in info["conditions"]]
    for key, name in (("claimed_by", "Claimed by"), ("sources", "Sources")):
        if info.get(key):
            lines.append(f"{name}:")
            lines += [f"  {fmt_source(s)}" for s in info[key]]
    return lines


def _entity_edge_lines(e: dict[str, Any]) -> list[str]:
    """One edge of ``show``: the other end with its tags, then its note and sources."""
    other = e["other"]
    extras = [x for x in (fmt_share(e.get("share")), e.get("share_basis") and
                          f"of {e['share_basis']}", date_span(e)) if x]
    if e.get("quantity") is not None:
        q = e["quantity"]
        extras.insert(0, f"x{int(q) if float(q).is_integer() else q}")
    if e.get("stock"):
        extras.append("stockpile")
    if e.get("planned"):
        extras.append("planned, not counted")
    tail = f"  [{'; '.join(extras)}]" if extras else ""
    kind = other["type"] if not other.get("status") else f"{other['type']}, {other['status']}"
    lines = [f"  {other['label']} ({kind}, {other['id']}){tail}"]
    if e.get("note"):
        lines.append(f"      note: {e['note']}")
    lines += [f"      source: {fmt_source(src)}" for src in e.get("sources", [])]
    return lines


def render_findings(findings: list[Any], files: int, triples: int) -> str:
    """The text of ``chokemap validate``."""
    if not findings:
        return f"valid: {files} files, {triples} triples, no findings"
    lines = [f"  {f}" for f in findings]
    n, warned = len(findings), sum(f.severity == "warning" for f in findings)
    tail = "" if not warned else (" (all warnings: valid)" if warned == n else f" ({warned} of them warnings)")
    lines.append(f"{n} finding{'s' if n != 1 else ''} in {files} files ({triples} triples){tail}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- engine answers

_HOP_WORDS = {
    "supplies": "supplies",
    "requires": "needed by",
    "location_of": "home of",
    "operates": "operates",
    "jurisdiction_over": "jurisdiction over",
}


def render_availability(ans: dict[str, Any]) -> str:
    """One target's availability: available, with which conditions, or blocked by what."""
    head = f"{ans['label']} {buyer_text(ans.get('buyer'))}"
    if ans.get("as_of"):
        head += f", as of {ans['as_of']}"
    if ans["available"] and not ans["conditions"]:
        return "\n".join([f"{head}: available", *warning_lines(ans)])
    lines = []
    if ans["available"]:
        lines.append(f"{head}: available WITH CONDITIONS")
        for c in ans["conditions"]:
            lines.append(f"  - {c['label']} ({c['kind']})")
            lines += [f"      {t}" for t in c["conditions"]]
    else:
        lines.append(f"{head}: NOT AVAILABLE")
        for c in ans["blocked_by"]:
            lines.append(f"  - {c['text']}")
    return "\n".join(lines + warning_lines(ans))


def warning_lines(ans: dict[str, Any]) -> list[str]:
    """The caveats of an answer (past the data's horizon, thin supply), one line each."""
    return [f"  ! {w['text']}" for w in ans.get("warnings") or []]


_LONG_CHAIN, _CHAIN_HEAD, _CHAIN_TAIL = 12, 5, 4


def render_chokepoints(rep: dict[str, Any]) -> str:
    """The text of ``chokemap chokepoints``: targets, ranked chokepoints, chains, sources."""
    notes = Notes()
    targets = rep["targets"]
    what = "all end products" if rep["all_end_products"] else ", ".join(t["label"] for t in targets)
    lines = [f"Chokepoints of {what} {buyer_text(rep.get('buyer'))}, as of {rep['as_of']}", ""]
    lines += plans_header(rep)
    lines += _targets_lines(rep)
    rows = rep["chokepoints"]
    n_targets = sum(1 for t in targets if t["available"])
    if not rows:
        lines += ["", "No single-node chokepoint" + (" (no target is available)" if not n_targets else "")]
    totals = rep.get("totals") or {}
    for sec in ("actors", "items"):
        if sec not in totals:
            continue
        got = [r for r in rows if r.get("section", sec) == sec]
        total = totals[sec]
        if not rows:
            continue
        shown = f"the top {len(got)}" if total > len(got) else ("all of them" if total > 1 else "")
        head = f"{_SECTION_TITLES[sec]}: {total} single-node chokepoint{'s' if total != 1 else ''}"
        lines += ["", f"{head}{'; ' + shown if shown else ''}" + (
            ", by blast radius, binding constraints first:" if got else "")]
        for i, r in enumerate(got, 1):
            lines.append(f"{i:>2}. {r['label']} ({r['type']}) {cuts_text(r, n_targets)}: {r['why']}")
            lines += _chain_lines(r["explanation"], notes)
            lines += _supply_lines(r)
            lines += horizon_lines(r)
    if rep.get("pairs") is not None:
        total = rep.get("pairs_total", len(rep["pairs"]))
        lines += ["", f"Pairs (cut a target only together): {len(rep['pairs'])} of {total} "
                      f"pair{'s' if total != 1 else ''} shown"]
        if not rep["pairs"]:
            lines.append("  none")
        for p in rep["pairs"]:
            lines.append(f"  {p['labels'][0]} + {p['labels'][1]}  cuts {p['score']}: "
                         + ", ".join(p.get("target_labels", p["targets"])))
    if rep.get("soft") is not None:
        lines += _soft_lines(rep)
    lines += notes.block()
    return "\n".join(lines)


_SECTION_TITLES = {"actors": "Actors (firms, facilities, countries, governments)",
                   "items": "Items (products, tools, materials, software, processes)"}
_NAMED = 5  # targets named in a row before "and N more"


def cuts_text(row: dict[str, Any], n_targets: int) -> str:
    """What a chokepoint cuts, by name: "cuts NVIDIA H200, NVIDIA B200" when it cuts every
    available target, "cuts 3 of 5 (A, B, C)" when some, the first few and a count when many.

    >>> cuts_text({"score": 1, "target_labels": ["NVIDIA H200"]}, 1)
    'cuts NVIDIA H200'
    >>> cuts_text({"score": 2, "target_labels": ["A", "B"]}, 5)
    'cuts 2 of 5 (A, B)'
    >>> cuts_text({"score": 7, "target_labels": list("ABCDEFG")}, 7)
    'cuts all 7 (A, B, C, D, E and 2 more)'
    """
    labels = row.get("target_labels") or row.get("targets") or []
    named = ", ".join(labels[:_NAMED]) + (f" and {len(labels) - _NAMED} more" if len(labels) > _NAMED else "")
    if row["score"] == n_targets and len(labels) <= _NAMED:
        return f"cuts {named}"
    count = f"all {n_targets}" if row["score"] == n_targets else f"{row['score']} of {n_targets}"
    return f"cuts {count} ({named})" if labels else f"cuts {count}"


def _targets_lines(rep: dict[str, Any]) -> list[str]:
    """The targets' availability: a count for all end products, else one block a target."""
    targets = rep["targets"]
    if not rep["all_end_products"]:
        return ["\n".join([render_availability(t), *target_plan_lines(t)]) for t in targets]
    ok = [t for t in targets if t["available"]]
    lines = [f"{len(targets)} end products; {len(ok)} available"
             + (f", {sum(1 for t in ok if t['conditions'])} of them with conditions" if ok else "")]
    blocked = [t for t in targets if not t["available"]]
    if blocked:
        lines.append("Not available: " + ", ".join(t["label"] for t in blocked))
    late = next((w for t in targets for w in t.get("warnings") or [] if w["kind"] == "past_horizon"), None)
    if late:  # the question's caveat, said once for all end products
        lines.append(f"  ! {late['text']}")
    return lines


def _chain_lines(hops: list[dict[str, Any]], notes: Notes) -> list[str]:
    """A chokepoint's chain on one line (a long one cut in the middle) and its source numbers."""
    if not hops:
        return []
    chain = hops[0]["from_label"] if "from_label" in hops[0] else hops[0]["from"]
    parts = [chain]
    refs: list[int] = []
    mixed = len({h.get("dataset") for h in hops if h.get("sources")}) > 1  # mark ETO's hops among ours
    long = len(hops) > _LONG_CHAIN  # a chain of a hundred hops is read at its ends
    hidden = len(hops) - _CHAIN_HEAD - _CHAIN_TAIL
    for i, h in enumerate(hops):
        refs += [notes.ref(s) for s in h.get("sources", [])]  # every hop's sources, shown or not
        if long and _CHAIN_HEAD <= i < _CHAIN_HEAD + hidden:
            continue
        word = _HOP_WORDS.get(h["type"], h["type"])
        tag = " [ETO]" if mixed and h.get("dataset") == "ETO" else ""
        if h.get("share") is not None:
            tag += f" {fmt_share(h['share'])}"
        if h.get("stock"):
            tag += " stockpile"
        parts.append(f"-{word}{tag}-> {h.get('to_label', h['to'])}")
    if long:
        parts.insert(_CHAIN_HEAD + 1, f"... {hidden} more hops (the JSON lists them) ...")
    lines = ["    " + " ".join(parts)]
    if refs:
        lines.append("    sources: " + " ".join(f"[{n}]" for n in dict.fromkeys(refs)))
    return lines


def _supply_lines(r: dict[str, Any]) -> list[str]:
    """A chokepoint's supply concentration and, when some fail, its suppliers' states."""
    lines = []
    conc = r.get("concentration")
    if conc and conc.get("by_firm", {}).get("suppliers"):
        bf, bc = conc["by_firm"], conc["by_country"]
        firms = bf.get("firms", bf["suppliers"])
        routes = f" ({bf['suppliers']} routes)" if bf["suppliers"] > firms else ""
        text = f"    supply of {conc.get('item_label', conc['item'])}: {firms} supplier{'s' if firms != 1 else ''}{routes}"
        if bf.get("top_share") is not None:
            text += f", top {bf.get('top_label', bf['top'])} {fmt_share(bf['top_share'])}, HHI {bf['hhi']:.2f}"
        if bc.get("top_share") is not None:
            text += f"; by country {bc['suppliers']}, top {bc.get('top_label', bc['top'])} {fmt_share(bc['top_share'])}"
        lines.append(text)
    if any(x["status"] not in ("working",) for x in r.get("supply", [])):
        item = (conc or {}).get("item_label") or ""
        lines.append(f"    suppliers of {item}:")
        for x in r["supply"]:
            lines.append(f"      {x['label']}{_figure_text(x)}: {x['text']}")
    elif any(x.get("replaced") for x in r.get("supply", [])):
        lines.append("    figures used: " + "; ".join(f"{x['label']}{_figure_text(x)}"
                                                     for x in r["supply"] if x.get("replaced")))
    return lines


def _figure_text(x: dict[str, Any]) -> str:
    """Which dataset's figure a supplier's share is, when two datasets disagreed; else "".

    >>> _figure_text({"share": 0.626, "dataset": "ETO", "year": 2025,
    ...              "replaced": [{"dataset": "bundled", "share": 0.682, "year": 2023}]})
    ' 62.6% (ETO 2025; bundled said 68.2% for 2023)'
    """
    if not x.get("replaced"):
        return ""
    said = "; ".join(f"{o['dataset']} said {fmt_share(o['share']) or 'no share'}"
                     + (f" for {o['year']}" if o.get("year") else "") for o in x["replaced"])
    share = fmt_share(x.get("share"))
    return f"{' ' + share if share else ''} ({x['dataset']} {x.get('year') or 'year unknown'}; {said})"


def _items_block(title: str, rows: list[dict[str, Any]]) -> list[str]:
    lines = ["", f"{title} ({len(rows)})"]
    if not rows:
        lines.append("  none")
    for r in rows:
        lines.append(f"  {r['label']} ({r['type']}): {r['reason']}")
    return lines


def render_whatif(rep: dict[str, Any]) -> str:
    """The text of ``chokemap whatif``."""
    sc = rep["scenario"]
    parts = [f"remove {', '.join(n['label'] for n in sc['removed'])}"] if sc["removed"] else []
    if sc["lifted"]:
        parts.append(f"lift {', '.join(n['label'] for n in sc['lifted'])}")
    parts += [f"embargo by {e['government']['label']} on {e['country']['label']}" for e in sc["embargoes"]]
    who = buyer_text(rep.get("buyer"))
    lines = [f"What if: {'; '.join(parts)}. {who[0].upper()}{who[1:]}, "
             f"as of {rep['as_of']}, over {rep['items']} items"]
    lines += _items_block("Lost", rep["lost"])
    lines += _items_block("Gained", rep["gained"])
    lines += _items_block("Conditions changed", rep["conditions_changed"])
    return "\n".join(lines)


def render_diff(rep: dict[str, Any]) -> str:
    """The text of ``chokemap diff``."""
    lines = [f"From {rep['from']} to {rep['to']}, {buyer_text(rep.get('buyer'))}, over {rep['items']} items"]
    for key, title in (("policies_started", "Policies that came into force"),
                       ("policies_ended", "Policies that went out of force")):
        rows = rep[key]
        lines += ["", f"{title} ({len(rows)})"]
        if not rows:
            lines.append("  none")
        for p in rows:
            lines.append(f"  {p['label']} ({p['kind']}): {p['reason']}")
    lines += _items_block("Lost", rep["lost"])
    lines += _items_block("Gained", rep["gained"])
    lines += _items_block("Conditions changed", rep["conditions_changed"])
    return "\n".join(lines)


def _soft_lines(rep: dict[str, Any]) -> list[str]:
    """The soft chokepoints: whose loss removes most of an input's known supply."""
    total, rows = rep.get("soft_total", len(rep["soft"])), rep["soft"]
    lines = ["", f"Soft chokepoints (loss removes at least {rep['soft_threshold']:.0%} of an input's known "
                 f"working supply, not all of it): {len(rows)} of {total} shown"]
    if not rows:
        lines.append("  none")
    for i, r in enumerate(rows, 1):
        lines.append(f"{i:>2}. {r['label']} ({r['type']}) soft, for {', '.join(r['target_labels'])}: {r['why']}")
    return lines
