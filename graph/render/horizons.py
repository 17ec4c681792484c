"""Text for substitution horizons and for answers that assume plans (``chokepoints``).

The records come from :mod:`graph.engine.horizons` (``horizon``, ``horizon_reason``,
``horizon_plans`` on a chokepoint row; ``plans`` on rows and targets of a
``--horizon`` answer); the sentences are made here, so text and JSON say the same thing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["horizon_text", "horizon_lines", "plans_header", "target_plan_lines"]


def _plan(p: dict[str, Any]) -> str:
    """ "CXMT (HBM3)": a planned supplier and what it is to supply; "launch of X" for a
    planned launch.

    >>> _plan({"launch": True, "supplier_label": "launch", "item_label": "Rubin"})
    'launch of Rubin'
    """
    if p.get("launch"):
        return f"launch of {p['item_label']}"
    return f"{p['supplier_label']} ({p['item_label']})"


def horizon_text(row: dict[str, Any]) -> str | None:
    """How long a chokepoint lasts by the plans in the data, in a few words.

    >>> horizon_text({"horizon": None, "horizon_reason": "no_planned_substitute"})
    'no planned substitute in the data'
    >>> horizon_text({"horizon_reason": "planned_substitute", "horizon": {"date": "2026-07-01",
    ...     "ends": [{"supplier_label": "CXMT", "item_label": "HBM3"}]}})
    'until CXMT (HBM3), expected 2026-07-01, planned, not confirmed'
    """
    reason = row.get("horizon_reason")
    h = row.get("horizon")
    if reason == "planned_substitute" and h:
        return f"until {' and '.join(_plan(p) for p in h['ends'])}, expected {h['date']}, planned, not confirmed"
    plans = "; ".join(_plan(p) + (f", expected {p['expected_from']}" if p.get("expected_from") else
                                  ", no expected date") for p in row.get("horizon_plans", []))
    if reason == "undated_plan":
        return f"no dated planned substitute; planned without an expected date: {plans}"
    if reason == "plans_fall_short":
        return f"no planned substitute in the data ends it (planned, not enough: {plans})"
    if reason == "no_planned_substitute":
        return "no planned substitute in the data"
    return None


def horizon_lines(row: dict[str, Any]) -> list[str]:
    """A chokepoint's horizon line and, in a ``--horizon`` answer, what of it rests on a plan."""
    lines = []
    text = horizon_text(row)
    if text:
        lines.append(f"    horizon: {text}")
    if row.get("plans"):
        lines.append("    rests on a plan: " + "; ".join(
            f"{_plan(p)}, expected {p['expected_from']}, not confirmed" for p in row["plans"]))
    return lines


def plans_header(rep: dict[str, Any]) -> list[str]:
    """The caveat of a ``--horizon`` answer, said once under the title."""
    if not rep.get("plans_by"):
        return []
    lines = [f"ASSUMING PLANS: planned suppliers expected by {rep['plans_by']} count as working "
             "(planned, not confirmed); what rests on one is marked"]
    needs = [t["label"] for t in rep["targets"] if t.get("needs_plans")]
    if rep.get("all_end_products") and needs:
        lines.append("Available only if plans hold: " + ", ".join(needs))
    return [*lines, ""]


def target_plan_lines(target: dict[str, Any]) -> list[str]:
    """A target available only thanks to plans (``--horizon``), and the plans on its route."""
    if not target.get("needs_plans"):
        return []
    return ["  ~ available only if these plans hold: " + "; ".join(
        f"{_plan(p)}, expected {p['expected_from']}" for p in target.get("plans") or [])]
