"""The text of ``chokemap timeline``: one line per interval, the events that opened it,
the policies or causes behind its state, and the sources, numbered.

Made from the records of :mod:`graph.engine.timeline`, so text and JSON say the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..engine.wording import launch_words
from .text import Notes, buyer_text

__all__ = ["event_text", "render_timeline", "render_chokepoint_timeline"]

#: Events shown on an interval's line (a graph imported by year changes thousands at once).
_EVENTS = 8

_STATE = {
    "not_launched": "not yet launched",
    "unavailable": "NOT AVAILABLE",
    "conditions": "available WITH CONDITIONS",
    "available": "available",
}


def event_text(ev: dict[str, Any]) -> str:
    """One event as a phrase.

    >>> event_text({"kind": "policy_in", "label": "BIS rule", "id": "p"})
    'BIS rule in force'
    >>> event_text({"kind": "supplier_lost", "label": "TSMC", "item_label": "Ascend die", "id": "tsmc"})
    'TSMC stops supplying Ascend die'
    """
    lab, item, grp = ev["label"], ev.get("item_label", ""), ev.get("group_label", "")
    return {
        "policy_in": f"{lab} in force",
        "policy_out": f"{lab} out of force",
        "supplier_added": f"{lab} supplies {item}",
        "supplier_lost": f"{lab} stops supplying {item}",
        "input_added": f"{item} needs {lab}",
        "input_lost": f"{item} no longer needs {lab}",
        "launch": (f"{lab} may be on the market from here (its exact launch date is not in the data)"
                   if ev.get("date_unknown") else f"{lab} launched"),
        "on_market": f"{lab} on the market by this date (its first sources)",
        "member_in": f"{lab} joins {grp}",
        "member_out": f"{lab} leaves {grp}",
        "supplier_expected": f"{lab} expected to supply {item} (planned, not confirmed)",
        "input_expected": f"{item} expected to need {lab} (planned, not confirmed)",
    }.get(ev["kind"], f"{ev['kind']} {lab}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _after(day: str) -> str:
    """The ISO day after ``day``.

    >>> _after("2026-03-31")
    '2026-04-01'
    """
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def _span(iv: dict[str, Any]) -> str:
    return f"{iv['from']} to {iv['to']}"


def _head(rec: dict[str, Any], label: str) -> str:
    head = f"{label} {buyer_text(rec.get('buyer'))}, {rec['from']} to {rec['to']}"
    if rec.get("data_as_of"):
        head += f" (data current to {rec['data_as_of']})"
    return head


def _interval_lines(iv: dict[str, Any], notes: Notes, horizon: str | None = None) -> list[str]:
    state = _STATE[iv["state"]]
    if iv["state"] == "not_launched":
        rec = {k.removeprefix("launch_"): v for k, v in iv.items() if k.startswith("launch_")}
        if iv.get("launch") or rec:
            state = launch_words({**rec, "launch": iv.get("launch")})
    line = f"  {_span(iv)}  {state}"
    if not iv["confirmed"]:
        line += " (scheduled, not confirmed)"
        if horizon and not iv["events"] and _after(horizon) == iv["from"]:
            line += f"; after the data's horizon ({horizon})"
    if iv["events"]:
        shown = iv["events"][:_EVENTS]
        line += "; since " + "; ".join(event_text(e) + " " + notes.refs(e["sources"]) for e in shown)
        if len(iv["events"]) > len(shown):
            line += f" (and {len(iv['events']) - len(shown)} more events that day; --json lists them)"
    lines = [line.rstrip()]
    if iv["state"] == "conditions":
        lines += [f"      - {c['label']} ({c['kind']})" for c in iv["conditions"]]
    elif iv["state"] == "unavailable":
        lines += [f"      - {c['text']}" for c in iv["blocked_by"]]
    lines += [f"      ! {w['text']}" for w in iv.get("warnings", [])]
    return lines


def render_timeline(recs: list[dict[str, Any]]) -> str:
    """Each item's timeline: a heading, one line per interval (with the events that opened
    it) and the policies or causes behind its state, then planned suppliers and sources."""
    notes = Notes()
    blocks = []
    for rec in recs:
        lines = [_head(rec, rec["label"])]
        for iv in rec["intervals"]:
            lines += _interval_lines(iv, notes, rec.get("data_as_of"))
        for ev in rec["expected"]:
            lines.append(f"  planned: {event_text(ev)}, expected from {ev['date']} {notes.refs(ev['sources'])}".rstrip())
        blocks.append("\n".join(lines))
    return "\n".join(["\n\n".join(blocks), *notes.block()])


def render_chokepoint_timeline(rec: dict[str, Any]) -> str:
    """When each chokepoint appears and disappears: actors, then items; those that are
    chokepoints throughout the range first in each section."""
    label = ", ".join(t["label"] for t in rec["targets"])
    lines = ["Chokepoints of " + _head(rec, label)]
    for iv in rec["intervals"]:
        n = len(iv["actors"]) + len(iv["items"])
        if not iv["available"]:
            what = "not available: no chokepoints"
        else:
            what = (f"{_count(n, 'single-node chokepoint')} ({_count(len(iv['actors']), 'actor')}, "
                    f"{_count(len(iv['items']), 'item')})")
        if not iv.get("confirmed", True):
            what += " (scheduled, not confirmed)"
        lines.append(f"  {_span(iv)}  {what}")
    for sec, title in (("actors", "Actors (firms, facilities, countries, governments)"),
                       ("items", "Items (products, tools, materials, software, processes)")):
        rows = [r for r in rec["chokepoints"] if r["section"] == sec]
        lines += ["", f"{title}: {len(rows)}"]
        for r in rows:
            when = "throughout" if r["throughout"] else ", ".join(_span(s) for s in r["spans"])
            lines.append(f"  {r['label']} ({r['type']}): {when}")
    return "\n".join(lines)
