"""The engine's sentences: one place where a reason code becomes English.

The engine decides with records and reason codes (``not_launched``, ``policy``,
``no_supplier``, ``missing_input``, ``removed``; a chokepoint's chain of hops); the
sentences that the text, the JSON (``text``, ``why``) and the pages show are made here, from
those records alone, so that every rendering says the same thing.
"""

from __future__ import annotations

from typing import Any

from ..core.model import KnowledgeGraph

__all__ = ["describe_cause", "label_cause", "launch_words", "why"]


def launch_words(rec: dict[str, Any]) -> str:
    """How a ``not_launched`` record reads: "not yet launched (first available 2024-04-01)",
    "(expected from ..., not confirmed)", "not on the market before ...".

    >>> launch_words({"launch": "2024-04-01"})
    'not yet launched (first available 2024-04-01)'
    >>> launch_words({"status": "not_yet_launched", "expected": "2026-07-01"})
    'not yet launched (expected from 2026-07-01, planned, not confirmed)'
    >>> launch_words({"status": "date_unknown", "not_before": "2023-11-09"})
    'not on the market before 2023-11-09 (its exact launch date is not in the data)'
    """
    if rec.get("status") == "not_yet_launched":
        return ("not yet launched (" + (f"expected from {rec['expected']}, planned, not confirmed)"
                                        if rec.get("expected") else "no launch date in the data)"))
    if rec.get("status") == "date_unknown":
        return f"not on the market before {rec['not_before']} (its exact launch date is not in the data)"
    return f"not yet launched (first available {rec['launch']})"


def describe_cause(kg: KnowledgeGraph, cause: dict[str, Any]) -> str:
    """One sentence for one root cause of unavailability."""
    lab = kg.label
    item = lab(cause["item"]) if cause.get("item") else ""
    sup = f" from {lab(cause['supplier'])}" if cause.get("supplier") else ""
    if cause["reason"] == "not_launched":
        return f"{item} {launch_words(cause)}"
    if cause["reason"] == "policy":
        planned = " (planned)" if cause.get("planned") else ""
        via = f", which applies to {lab(cause['via_group'])}" if cause.get("via_group") else ""
        but = (f"; approved buyers exempt: {', '.join(lab(x) for x in cause['except_for'])}"
               if cause.get("except_for") else "")
        return f"{item}{sup}{planned} blocked by {cause['label']} ({cause['kind']}){via}{but}"
    if cause["reason"] == "removed":
        if cause.get("node") == cause.get("item"):
            return f"{item} removed"
        return f"{item}{sup}: {lab(cause['node'])} removed"
    if cause["reason"] == "no_supplier":
        parts = [f"{item} has no supplier on this date"]
        if cause.get("expected"):
            parts.append("planned, not confirmed: " + ", ".join(
                lab(e["supplier"]) + (f" (expected from {e['expected_from']})" if e.get("expected_from") else
                                      " (no expected date)") for e in cause["expected"]))
        elif cause.get("planned"):
            parts.append("planned: " + ", ".join(lab(p) for p in cause["planned"]))
        if cause.get("placeholders"):
            parts.append("unnamed producers (" + ", ".join(lab(p) for p in cause["placeholders"])
                         + ") cannot make one firm's model")
        if cause.get("not_on_date"):
            spans = []
            for r in cause["not_on_date"]:
                span = " to ".join(x for x in (r["valid_from"], r["valid_to"]) if x)
                spans.append(f"{lab(r['supplier'])} ({span})")
            parts.append("suppliers on other dates: " + ", ".join(spans))
        return "; ".join(parts)
    if cause["reason"] == "cycle":
        through = ", ".join(lab(x) for x in cause.get("through", [])[:5])
        return f"{item} needs itself through a requirement cycle" + (f" (via {through})" if through else "")
    if cause["reason"] == "missing_input":
        return f"{item}{sup} lacks {lab(cause['input'])}"
    return str(cause)


def label_cause(kg: KnowledgeGraph, cause: dict[str, Any]) -> dict[str, Any]:
    out = dict(cause)
    out["text"] = describe_cause(kg, cause)
    for key in ("item", "supplier", "node", "input", "via_group"):
        if out.get(key):
            out[f"{key}_label"] = kg.label(out[key])
    if out.get("except_for"):
        out["except_for_labels"] = [kg.label(x) for x in out["except_for"]]
    return out


def why(kg: KnowledgeGraph, node: str, hops: list[dict[str, Any]], working: list[str] | None = None) -> str:
    """A one-line reading of a chokepoint's chain.

    ``working`` lists the distinct suppliers that still make the node, for an item: the
    sentence then names the one left or says the item is lost only with all of them, so
    it never reads as if the item had no supply above a list of working suppliers.
    """
    lab = kg.label
    if not hops:
        return "it is the item itself"
    first = hops[0]
    if first["type"] in ("location_of", "operates", "jurisdiction_over"):
        sup = next((h for h in hops if h["type"] == "supplies"), None)
        what = {"location_of": "home of", "operates": "operator of",
                "jurisdiction_over": "jurisdiction over"}[first["type"]]
        if sup is None:
            return f"{what} {lab(first['to'])}"
        if sup.get("suppliers", 1) == 1:
            return f"{what} {lab(sup['from'])}, the only working supplier of {lab(sup['to'])}"
        return f"{what} {lab(sup['from'])}; every working supplier of {lab(sup['to'])} depends on it"
    if first["type"] == "supplies":
        share = first.get("share")
        pct = f" ({share * 100:.0f}% share)" if share is not None else ""
        if first.get("suppliers", 1) == 1:
            routes = first.get("alternatives", 1)
            more = f", {routes} routes" if routes > 1 else ""
            stock = " (from stock)" if first.get("stock") and routes == 1 else ""
            return f"the only working supplier of {lab(first['to'])}{pct}{stock}{more}"
        return f"every working supplier of {lab(first['to'])} depends on it"
    if first["type"] == "requires":
        alts = first.get("alternatives", 1)
        tail = "" if alts <= 1 else f" ({_all(alts)} routes need it)"
        text = f"needed by {lab(first['to'])}, and no other input can stand in for it{tail}"
        if working and len(working) > 1:
            every = "both" if len(working) == 2 else f"all {len(working)} of"
            text += f"; cut only if {every} its working suppliers fail"
        elif working:
            placeholder = " (a placeholder, never a chokepoint)" if kg.g.nodes[working[0]].get("aggregate") else ""
            text += f"; its only working supplier is {lab(working[0])}{placeholder}"
        return text
    return f"{first['type']} {lab(first['to'])}"


def _all(n: int) -> str:
    return "both" if n == 2 else f"all {n}"
