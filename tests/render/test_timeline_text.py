"""The text of a timeline (graph/render/timeline.py): long event lists are cut, the
horizon is named, sources are numbered once."""

from __future__ import annotations

from chokemap.graph.render.timeline import render_timeline


def _interval(**kw: object) -> dict[str, object]:
    base = {"from": "2025-01-01", "to": "2025-12-31", "state": "available", "events": [], "conditions": [],
            "blocked_by": [], "policies": [], "confirmed": True, "warnings": []}
    return {**base, **kw}


def test_many_events_on_one_day_are_cut_with_a_count() -> None:
    src = {"id": "s", "title": "T", "url": "https://e.org"}
    events = [{"kind": "supplier_added", "id": f"f{k}", "label": f"F{k}", "item_label": "X", "sources": [src]}
              for k in range(11)]
    rec = {"label": "X", "buyer": None, "from": "2025-01-01", "to": "2025-12-31", "data_as_of": None,
           "intervals": [_interval(events=events)], "expected": []}
    first = render_timeline([rec]).splitlines()[1]
    assert first.count("supplies X [1]") == 8
    assert first.endswith("(and 3 more events that day; --json lists them)")


def test_the_first_interval_past_the_horizon_says_so() -> None:
    rec = {"label": "X", "buyer": {"id": "us", "label": "Usland"}, "from": "2025-06-01", "to": "2026-06-30",
           "data_as_of": "2025-12-31", "expected": [],
           "intervals": [_interval(**{"from": "2025-06-01"}), _interval(**{"from": "2026-01-01", "to": "2026-06-30",
                                                                          "confirmed": False})]}
    assert render_timeline([rec]).splitlines() == [
        "X for Usland, 2025-06-01 to 2026-06-30 (data current to 2025-12-31)",
        "  2025-06-01 to 2025-12-31  available",
        "  2026-01-01 to 2026-06-30  available (scheduled, not confirmed); after the data's horizon (2025-12-31)",
    ]
