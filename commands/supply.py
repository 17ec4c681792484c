"""Supply questions for a buyer on a date: availability, chokepoints, what-ifs, diffs, comparisons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from chokemap.commands.common import (
    CONTEXT,
    answer,
    as_of_option,
    buyer_option,
    data_option,
    emit,
    handle_errors,
    json_option,
    parse_date,
    session,
    target_option,
)
from chokemap.graph.core.errors import UsageError

__all__ = ["available", "chokepoints", "compare_cmd", "diff", "timeline", "whatif"]


@click.command(context_settings=CONTEXT)
@click.argument("items", nargs=-1, required=True)
@buyer_option
@as_of_option
@data_option
@json_option
@handle_errors
def available(items: tuple[str, ...], buyer: str | None, as_of: dt.date | None, as_json: bool) -> None:
    """Can the buyer get these items on the date: freely, with conditions, or not, and why.

    \b
    Examples:
      chokemap available H200 --buyer CN --as-of 2025-12-01
      chokemap available H200 B200 --buyer China --as-of 2026-02-01 --json
    """
    from chokemap.graph.engine.answers import availability
    from chokemap.graph.render.report import render_availability

    def ask() -> Any:
        q = session().ask(items, buyer=buyer)
        return [availability(q.kg, i, q.buyer, session().on(as_of)) for i in q.items]

    answers = answer("available", {"items": items, "buyer": buyer, "as_of": as_of}, ask)
    emit(answers, as_json, lambda a: "\n\n".join(render_availability(x) for x in a))


@click.command(context_settings=CONTEXT)
@target_option
@buyer_option
@as_of_option
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 100000),
              help="Show the N highest-ranked chokepoints.")
@click.option("--pairs", is_flag=True, help="Also list pairs of nodes that cut a target only together (the top N).")
@click.option("--soft", type=click.FloatRange(0.5, 1.0), metavar="SHARE",
              help="Also rank soft chokepoints: nodes whose loss removes at least SHARE (e.g. 0.9) of the known "
                   "working supply of an input the targets need.")
@click.option("--explain", default="20", show_default=True, metavar="N|all",
              help="With --json, the chains of the first N chokepoints; the rest keep their why, targets "
                   "and supply but say \"explanation_omitted\": true, and their chains are not worked out, "
                   "so a huge ranking stays small and fast; 'all' gives every chain.")
@click.option("--kind", type=click.Choice(["actors", "items", "all"]), default="all", show_default=True,
              help="actors: firms, facilities, countries, governments; items: what they make and need; "
                   "all: both sections, actors first.")
@click.option("--horizon", "plans", metavar="DATE", callback=parse_date, default=None,
              help="Answer as if the planned suppliers expected by DATE were working (the question's date "
                   "stays --as-of); every row and availability resting on a plan is marked.")
@data_option
@json_option
@handle_errors
def chokepoints(targets: tuple[str, ...], buyer: str | None, as_of: dt.date | None, top: int,
                pairs: bool, soft: float | None, explain: str, kind: str, plans: dt.date | None,
                as_json: bool) -> None:
    """Rank the nodes whose loss makes targets unavailable to a buyer, and say why.

    Without --target, ranks over all end products (systems and chips nothing else needs)
    by blast radius: how many of them a node cuts, and which.  Actors (firms, facilities,
    countries, governments) and items are ranked in two sections, --top N each.  Each
    chokepoint comes with its chain to the target, the sources of each hop, and the
    concentration of its supply, and its horizon: until which planned supplier, expected
    when, it stays one by the plans in the data, or that no plan ends it.  --json prints the list of chokepoints, each with its
    "section" (with --pairs, pair objects follow, type "pair", with "pairs_total").

    \b
    Examples:
      chokemap chokepoints --target H200 --buyer CN --as-of 2026-02-01
      chokemap chokepoints --target "Ascend 910C" --buyer China --pairs
      chokemap chokepoints --top 10 --kind actors --json
      chokemap chokepoints --target H200 --buyer US --soft 0.9
      chokemap chokepoints --target "Ascend 950PR" --buyer China --horizon 2026-12-31
    """
    from chokemap.graph.engine.horizons import chokepoints_with_horizons as run
    from chokemap.graph.render.report import render_chokepoints

    # with --json, only the first N rows' chains are walked; the text shows every row's
    keep = _explained(explain) if as_json else None

    def ask() -> Any:
        q = session().ask(targets, buyer=buyer)
        return run(q.kg, q.items or None, q.buyer, session().on(as_of), plans=plans, top=top, pairs=pairs,
                   kind=kind, soft=soft, explain=keep)

    rep = answer("chokepoints", {"targets": targets, "buyer": buyer, "as_of": as_of, "top": top,
                                 "pairs": pairs, "kind": kind, "soft": soft, "horizon": plans,
                                 "explain": keep}, ask)
    if as_json:
        rows = rep["chokepoints"] + [{"id": "+".join(p["ids"]), "label": " + ".join(p["labels"]),
                                      "type": "pair", **p, "pairs_total": rep["pairs_total"]}
                                     for p in rep.get("pairs", [])]
        rows += [{**s, "soft_total": rep["soft_total"]} for s in rep.get("soft", [])]
        # the JSON is a list of rows: each carries the question's horizon and its caveat
        first = rep["targets"][0] if rep["targets"] else {}
        late = [w for w in first.get("warnings", []) if w["kind"] == "past_horizon"]
        emit([{**r, "data_as_of": first.get("data_as_of"), "warnings": late, **_assumed(rep)} for r in rows],
             True, str)
    else:
        click.echo(render_chokepoints(rep))


def _scenario(kg: Any, removed: Any, lift: tuple[str, ...], embargoes: tuple[str, ...]) -> Any:
    """The :class:`Scenario` of the resolved --remove names, --lift policies and --embargo pairs."""
    from chokemap.graph.engine.answers import Scenario
    from chokemap.graph.queries.lookup import resolve

    return Scenario(
        removed=frozenset(removed),
        lifted=frozenset(resolve(kg, p, {"Policy"}, "policy") for p in lift),
        embargoes=tuple(_embargo(kg, e) for e in embargoes),
    )


def _embargo(kg: Any, text: str) -> tuple[str, str]:
    from chokemap.graph.queries.lookup import resolve_country, resolve_government

    gov, sep, country = text.partition(":")
    if not sep or not gov.strip() or not country.strip():
        msg = f"--embargo {text!r}: write GOVERNMENT:COUNTRY, e.g. NL:CN or 'Dutch government:China'"
        raise UsageError(msg)
    return resolve_government(kg, gov.strip()), resolve_country(kg, country.strip())


@click.command(context_settings=CONTEXT)
@click.option("--remove", "-r", multiple=True, metavar="NODE",
              help="Knock out a firm, facility, country or item (repeatable).")
@click.option("--embargo", "-e", "embargoes", multiple=True, metavar="GOV:COUNTRY",
              help="A government bans everything in its jurisdiction to a country (repeatable).")
@click.option("--lift", "-l", multiple=True, metavar="POLICY", help="Treat a policy as never issued (repeatable).")
@buyer_option
@as_of_option
@target_option
@data_option
@json_option
@handle_errors
def whatif(remove: tuple[str, ...], embargoes: tuple[str, ...], lift: tuple[str, ...], buyer: str | None,
           as_of: dt.date | None, targets: tuple[str, ...], as_json: bool) -> None:
    """What the buyer loses (and gains) if suppliers go, embargoes come or policies are lifted.

    Compares every item (or the --target items) against the baseline on the same date;
    each loss comes with the policy or missing input that now blocks it.

    \b
    Examples:
      chokemap whatif --embargo NL:CN --buyer CN
      chokemap whatif --remove "SK hynix" --remove Micron --target H200 --buyer US
      chokemap whatif --lift "BIS rule 2026-00789" --buyer CN --as-of 2026-02-01
    """
    from chokemap.graph.engine.scenario import whatif as run
    from chokemap.graph.render.report import render_whatif

    if not (remove or embargoes or lift):
        msg = "nothing to change: give --remove, --embargo or --lift"
        raise UsageError(msg)

    def ask() -> Any:
        q = session().ask(targets, remove, buyer, whole=not targets)
        return run(q.kg, _scenario(q.kg, q.names, lift, embargoes), q.buyer, session().on(as_of), q.items or None)

    emit(answer("whatif", {"remove": remove, "embargoes": embargoes, "lift": lift, "buyer": buyer,
                           "as_of": as_of, "targets": targets}, ask), as_json, render_whatif)


@click.command(context_settings=CONTEXT)
@click.option("--from", "start", required=True, metavar="DATE", callback=parse_date, help="Earlier date, YYYY-MM-DD.")
@click.option("--to", "end", required=True, metavar="DATE", callback=parse_date, help="Later date, YYYY-MM-DD.")
@buyer_option
@target_option
@data_option
@json_option
@handle_errors
def diff(start: dt.date, end: dt.date, buyer: str | None, targets: tuple[str, ...], as_json: bool) -> None:
    """What changed for a buyer between two dates: policies in and out of force, items gained and lost.

    \b
    Examples:
      chokemap diff --from 2025-12-01 --to 2026-02-01 --buyer CN
      chokemap diff --from 2024-01-01 --to 2025-06-01 --buyer China --target H20 --json
    """
    from chokemap.graph.engine.scenario import diff as run
    from chokemap.graph.render.report import render_diff

    if start > end:
        msg = f"--from {start} is after --to {end}; give the earlier date first"
        raise UsageError(msg)

    def ask() -> Any:
        q = session().ask(targets, buyer=buyer)
        return run(q.kg, start, end, q.buyer, q.items or None)

    emit(answer("diff", {"start": start, "end": end, "buyer": buyer, "targets": targets}, ask),
         as_json, render_diff)


@click.command(context_settings=CONTEXT)
@click.argument("items", nargs=-1, required=True)
@buyer_option
@click.option("--from", "start", metavar="DATE", callback=parse_date, default="2018-01-01", show_default=True,
              help="First day of the range, YYYY-MM-DD.")
@click.option("--to", "end", metavar="DATE", callback=parse_date, default=None,
              help="Last day of the range, YYYY-MM-DD (default: the date the data is current to).")
@click.option("--chokepoints", "choke", is_flag=True,
              help="When each single-node chokepoint (actors first) appears and disappears, and which are "
                   "chokepoints throughout.")
@data_option
@json_option
@handle_errors
def timeline(items: tuple[str, ...], buyer: str | None, start: dt.date, end: dt.date | None, choke: bool,
             as_json: bool) -> None:
    """Since when, and until when: the exact intervals of an item's availability to a buyer.

    Availability changes only on the dates some policy, edge, launch or group membership
    upstream of the item starts or ends, so each interval is exact, not sampled.  One
    line per interval, with the events that opened it (dated, sourced) and the policies
    or causes behind its state; intervals after the data's horizon are scheduled, not
    confirmed.  With --chokepoints, when each chokepoint of the items appears and
    disappears over the range.

    \b
    Examples:
      chokemap timeline H200 --buyer ByteDance
      chokemap timeline H200 H20 --buyer CN --from 2022-01-01 --json
      chokemap timeline H200 --buyer ByteDance --from 2025-01-01 --chokepoints
    """
    from chokemap.graph.engine.timeline import chokepoint_timeline
    from chokemap.graph.engine.timeline import timeline as run
    from chokemap.graph.render.timeline import render_chokepoint_timeline, render_timeline

    if end is not None and start > end:
        msg = f"--from {start} is after --to {end}; give the earlier date first"
        raise UsageError(msg)

    def ask() -> Any:
        q = session().ask(items, buyer=buyer)
        last = end or q.kg.data_as_of or session().on(None)
        if start > last:
            msg = f"--from {start} is after {last}, the date the data is current to (the default --to); give --to"
            raise UsageError(msg)
        if choke:
            return chokepoint_timeline(q.kg, q.items, q.buyer, start, last)
        return [run(q.kg, i, q.buyer, start, last) for i in q.items]

    rec = answer("timeline", {"items": items, "buyer": buyer, "start": start, "end": end, "chokepoints": choke}, ask)
    emit(rec, as_json, render_chokepoint_timeline if choke else render_timeline)


@click.command("compare", context_settings=CONTEXT)
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@buyer_option
@as_of_option
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 1000),
              help="Chokepoints listed for each item.")
@data_option
@json_option
@handle_errors
def compare_cmd(a: str, b: str, buyer: str | None, as_of: dt.date | None, top: int, as_json: bool) -> None:
    """Two items side by side: specs, claims, inputs, shared and unique dependencies, chokepoints.

    Specs are sourced facts; claims are shown apart, with their status.  Dependencies are
    everything upstream of each on the date; chokepoints are for the buyer on that date.

    \b
    Examples:
      chokemap compare "GB200 NVL72" "CloudMatrix 384"
      chokemap compare H200 "Ascend 910C" --buyer CN --as-of 2026-02-01
      chokemap compare H20 H200 --json
    """
    from chokemap.graph.engine.compare import compare as run
    from chokemap.graph.render.report_paths import render_compare

    def ask() -> Any:
        q = session().ask((a, b), buyer=buyer)
        return run(q.kg, q.items[0], q.items[1], buyer=q.buyer, as_of=session().on(as_of), top=top)

    emit(answer("compare", {"a": a, "b": b, "buyer": buyer, "as_of": as_of, "top": top}, ask),
         as_json, render_compare)


def _assumed(rep: dict[str, Any]) -> dict[str, Any]:
    """With --horizon, what every JSON row carries: the plans' date and the targets whose
    availability rests on a plan (``needs_plans``: available only if they hold)."""
    if not rep.get("plans_by"):
        return {}
    return {"plans_by": rep["plans_by"], "targets_on_plans": [
        {"id": t["id"], "label": t["label"], "needs_plans": t.get("needs_plans", False), "plans": t["plans"]}
        for t in rep["targets"] if t.get("plans") or t.get("needs_plans")]}


def _explained(text: str) -> int | None:
    """How many rows keep their chains: ``--explain N``, or ``all`` (None)."""
    if text == "all":
        return None
    if not text.isdigit():
        msg = f"--explain {text!r}: give a number of chains or 'all'"
        raise UsageError(msg)
    return int(text)
