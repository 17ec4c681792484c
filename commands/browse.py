"""Browse the graph: counts, search, one entity, paths, and the trees up and down."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import click

from chokemap.commands.common import (
    CONTEXT,
    answer,
    data_option,
    date_option,
    emit,
    handle_errors,
    json_option,
    session,
)

__all__ = ["downstream", "path_cmd", "search", "show", "stats", "upstream"]


@click.command(context_settings=CONTEXT)
@data_option
@json_option
@handle_errors
def stats(as_json: bool) -> None:
    """Count entities by class, edges by type, sources, policies and claims.

    \b
    Examples:
      chokemap stats
      chokemap stats --json
    """
    from chokemap.graph.queries.describe import stats as run
    from chokemap.graph.render.report import render_stats

    emit(answer("stats", {}, lambda: run(session().graph())), as_json, render_stats)


@click.command(context_settings=CONTEXT)
@click.argument("text")
@click.option("--type", "types", metavar="CLASS,...", help="Only these classes (e.g. Chip,Firm).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@data_option
@json_option
@handle_errors
def search(text: str, types: str | None, limit: int, as_json: bool) -> None:
    """Find entities by id, name, alias or Chinese name (ranked, case-insensitive).

    \b
    Examples:
      chokemap search hbm
      chokemap search 华为
      chokemap search nvidia --type Chip
    """
    from dataclasses import asdict

    from chokemap.graph.queries.lookup import search as run
    from chokemap.graph.render.report import render_search

    wanted = {t.strip() for t in types.split(",")} if types else None
    hits = answer("search", {"text": text, "types": types, "limit": limit},
                  lambda: [asdict(m) for m in run(session().graph(), text, wanted, limit)])
    emit(hits, as_json, lambda h: render_search(h, text))
    if not hits:
        sys.exit(1)


@click.command(context_settings=CONTEXT)
@click.argument("name")
@data_option
@json_option
@handle_errors
def show(name: str, as_json: bool) -> None:
    """Everything about one entity: attributes, specs, and every edge with its sources.

    \b
    Examples:
      chokemap show ASML
      chokemap show "昇腾910C"
      chokemap show h200 --json
    """
    from chokemap.graph.queries.describe import entity
    from chokemap.graph.render.report import render_entity

    def ask() -> Any:
        q = session().ask(names=[name], direction="both", depth=1)
        return entity(q.kg, q.names[0])

    emit(answer("show", {"name": name}, ask), as_json, render_entity)


@click.command("path", context_settings=CONTEXT)
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--all", "all_paths", is_flag=True, help="List every simple path up to --max-len, shortest first.")
@click.option("--max-len", default=6, show_default=True, type=int, metavar="N", help="Longest path, in hops (1 to 12).")
@click.option("--via", metavar="TYPE,...", help="Follow only these edge types (default: requires,supplies).")
@click.option("--undirected", is_flag=True, help="Any connection, either direction (ownership, location, policy...).")
@click.option("--cap", default=200, show_default=True, type=click.IntRange(1, 10000), help="Most paths listed.")
@date_option("Keep only edges in force on this date, YYYY-MM-DD (default: edges of any date).")
@data_option
@json_option
@handle_errors
def path_cmd(source: str, target: str, all_paths: bool, max_len: int, via: str | None, undirected: bool,
             cap: int, as_of: dt.date | None, as_json: bool) -> None:
    """How TO depends on FROM: each hop with its type, share, dates and sources.

    Follows requires and supplies edges from FROM down to TO.  By default lists the
    shortest paths; --all lists every simple path up to --max-len, shortest first, then by
    weakest share.  Exit 1 when there is no path (the message says whether one exists the
    other way round, ignoring dates or ignoring direction).

    \b
    Examples:
      chokemap path TSMC "Ascend 910B" --all
      chokemap path ASML "Ascend 910C" --all --as-of 2026-01-01
      chokemap path "SK hynix" H200 --json
      chokemap path Huawei SMIC --undirected
    """
    from chokemap.graph.queries.paths import find_paths
    from chokemap.graph.render.report_paths import render_path

    def ask() -> Any:
        q = session().ask(names=(source, target), whole=bool(undirected or via))
        return find_paths(q.kg, q.names[0], q.names[1], all_paths=all_paths, max_len=max_len,
                          via=via.split(",") if via else None, undirected=undirected, as_of=as_of, cap=cap)

    res = answer("path", {"source": source, "target": target, "all": all_paths, "max_len": max_len, "via": via,
                          "undirected": undirected, "cap": cap, "as_of": as_of}, ask)
    emit(res, as_json, render_path)
    if not res["paths"]:
        sys.exit(1)


def _navigate(direction: str, name: str, depth: int | None, types: str | None, as_of: dt.date | None,
              as_json: bool) -> None:
    from chokemap.graph.queries import paths
    from chokemap.graph.render.report_paths import render_tree

    def ask() -> Any:
        q = session().ask(names=[name], direction=direction)
        walk = paths.upstream if direction == "upstream" else paths.downstream
        return walk(q.kg, q.names[0], depth, types.split(",") if types else None, as_of=as_of)

    res = answer(direction, {"name": name, "depth": depth, "types": types, "as_of": as_of}, ask)
    emit(res, as_json, render_tree)


def _tree_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--depth", type=int, metavar="N", help="Deepest level shown (default: all).")(f)
    f = click.option("--type", "types", metavar="CLASS,...", help="Only list these classes (e.g. Firm,Tool).")(f)
    return date_option("Only edges in force on this date, YYYY-MM-DD (default: edges of any date).")(f)


@click.command(context_settings=CONTEXT)
@click.argument("name")
@_tree_options
@data_option
@json_option
@handle_errors
def upstream(name: str, depth: int | None, types: str | None, as_of: dt.date | None, as_json: bool) -> None:
    """What NAME needs: its suppliers and inputs, theirs, and so on, as a tree by level.

    Each node is shown once, at its shallowest level; --json lists the nodes (with depth)
    and the tree edges with their sources.

    \b
    Examples:
      chokemap upstream "GB200 NVL72" --depth 3
      chokemap upstream "Ascend 910C" --type Firm,Country
      chokemap upstream H200 --as-of 2026-02-01 --json
    """
    _navigate("upstream", name, depth, types, as_of, as_json)


@click.command(context_settings=CONTEXT)
@click.argument("name")
@_tree_options
@data_option
@json_option
@handle_errors
def downstream(name: str, depth: int | None, types: str | None, as_of: dt.date | None, as_json: bool) -> None:
    """What needs NAME: what it supplies or goes into, and so on, as a tree by level.

    \b
    Examples:
      chokemap downstream "SK hynix"
      chokemap downstream ASML --depth 2
      chokemap downstream HBM3E --type System --json
    """
    _navigate("downstream", name, depth, types, as_of, as_json)
