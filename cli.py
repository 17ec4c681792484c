"""chokemap: where are the chokepoints of the AI-chip supply chain, for whom, since when, why.

The command line: each command parses its arguments, calls one library function in
``graph/`` and formats the result as text or, with ``--json``, as JSON.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

if not __package__:
    # `python cli.py` in a checkout: this folder is the package `chokemap`, as the install
    # maps it (so a checkout runs its own code, whatever else is installed).
    import importlib.machinery
    import importlib.util

    _pkg = importlib.util.module_from_spec(importlib.machinery.ModuleSpec("chokemap", None, is_package=True))
    _pkg.__path__ = [str(Path(__file__).resolve().parent)]
    sys.modules["chokemap"] = _pkg

from chokemap.graph import __version__  # noqa: E402
from chokemap.graph.core.errors import ChokemapError, UsageError  # noqa: E402

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- shared pieces


class Options:
    """Where the graph comes from, as the global options say; the session is made once."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.cache = True
        self.endpoint: str | None = None
        self.store: str | None = None
        self._session: Any = None

    def session(self) -> Any:
        if self._session is None:
            given = [flag for flag, on in (("--data", self.data), ("--endpoint", self.endpoint),
                                           ("--store", self.store)) if on]
            if len(given) > 1:
                msg = f"{' and '.join(given)} name different graphs: give one of them"
                raise UsageError(msg)
            from chokemap.graph.session import Session

            self._session = Session(self.data, endpoint=self.endpoint, store=self.store, cache=self.cache)
        return self._session


def session() -> Any:
    """The session of this invocation (:class:`graph.session.Session`)."""
    return click.get_current_context().ensure_object(Options).session()


def _add_data(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    if value:
        ctx.ensure_object(Options).data.extend(value)


def data_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--data PATH`` (repeatable): files or folders of RDF instead of the bundled graph."""
    return click.option(
        "--data", "-d", multiple=True, metavar="PATH", expose_value=False, callback=_add_data,
        is_eager=True, help="Turtle file or folder to load instead of the bundled graph (repeatable).",
    )(f)


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--json``: print the result as JSON instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


def parse_date(_ctx: Any, param: click.Parameter, value: str | None) -> dt.date | None:
    """Parse a YYYY-MM-DD option; a bad date is a usage error (exit 2)."""
    if value is None:
        return None
    from chokemap.graph.core.dates import parse_date as read

    try:
        return read(value)
    except ValueError:
        msg = f"{value!r} is not a date; write YYYY-MM-DD (e.g. 2026-02-01) or 'today'"
        raise click.BadParameter(msg, param=param) from None


def as_of_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--as-of DATE``: the date the question is asked for (default today)."""
    return click.option(
        "--as-of", "as_of", metavar="DATE", callback=parse_date, default=None,
        help="Date the answer holds for, YYYY-MM-DD (default: today).",
    )(f)


def emit(obj: Any, as_json: bool, render: Callable[[Any], str]) -> None:
    """Print ``obj`` as JSON or through its text renderer."""
    if as_json:
        click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(render(obj))


def handle_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages: usage errors exit 2, the rest exit 1.
    An error about one parameter is prefixed with its option (``--max-len 40: ...``)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(_flagged(exc)) from None
        except ChokemapError as exc:
            raise click.ClickException(_flagged(exc)) from None

    return wrapper


def _flagged(exc: ChokemapError) -> str:
    param = getattr(exc, "param", None)
    if not param:
        return str(exc)
    flag = "--" + param.replace("_", "-")
    return f"{flag} {exc.value}: {exc}" if getattr(exc, "value", None) is not None else f"{flag}: {exc}"


def answer(command: str, params: dict[str, Any], compute: Callable[[], Any]) -> Any:
    """The session's answer to a question (from the answer cache when it has it)."""
    return session().answer(command, params, compute)


# --------------------------------------------------------------------------- commands


def _no_cache(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Options).cache = False


def _remote(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        setattr(ctx.ensure_object(Options), str(param.name), value)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="chokemap")
@data_option
@click.option("--no-cache", is_flag=True, expose_value=False, callback=_no_cache, is_eager=True,
              help="Parse the data and answer afresh, using neither the compiled-graph cache nor "
                   "the answer cache (CHOKEMAP_NO_ANSWER_CACHE=1 skips only the answers).")
@click.option("--endpoint", metavar="URL", expose_value=False, callback=_remote, is_eager=True,
              help="Query the graph in place in a SPARQL 1.1 endpoint (e.g. http://localhost:8890/sparql).")
@click.option("--store", metavar="PATH", expose_value=False, callback=_remote, is_eager=True,
              help="Query the graph in an on-disk store made by `chokemap store build`.")
def cli() -> None:
    """Explore the AI-chip supply chain: dependencies, policies and chokepoints.

    Every edge carries its source and dates; every answer says why.  Entities are named
    by id, name, alias or Chinese name, case-insensitively ("asml", "昇腾910C").

    \b
    Examples:
      chokemap stats
      chokemap search hbm
      chokemap show ASML
      chokemap --data my-graph.ttl validate
      chokemap --endpoint http://localhost:8890/sparql chokepoints --target H200
    """


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_option
@json_option
@handle_errors
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check data against the SHACL shapes and references; exit 1 on findings.

    PATHS are Turtle files or folders (default: --data, else the bundled graph).

    \b
    Examples:
      chokemap validate
      chokemap validate data/ extra.ttl --json
    """
    from chokemap.graph.io.load import load
    from chokemap.graph.queries.validate import validate as run
    from chokemap.graph.render.report import render_findings

    kg = load(list(paths) or session().data or None, lenient=True)
    findings = run(kg)
    if as_json:
        emit({"files": [str(f) for f in kg.files], "triples": len(kg.rdf), "valid": not findings,
              "findings": [{"entity": f.entity, "message": f.message, "check": f.check}
                           for f in findings]}, True, str)
    else:
        click.echo(render_findings(findings, len(kg.files), len(kg.rdf)))
    if findings:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
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


def buyer_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--buyer C``: the country (ISO code, name, alias) or firm that receives."""
    return click.option(
        "--buyer", "-b", metavar="COUNTRY|FIRM",
        help="Buyer: a country (CN, China, 中国) or a firm (default: any buyer, no destination rules).",
    )(f)


def target_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--target T`` (repeatable)."""
    return click.option("--target", "-t", "targets", multiple=True, metavar="ITEM",
                        help="Item to analyse (repeatable).")(f)


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
@target_option
@buyer_option
@as_of_option
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 100000),
              help="Show the N highest-ranked chokepoints.")
@click.option("--pairs", is_flag=True, help="Also list pairs of nodes that cut a target only together (the top N).")
@click.option("--kind", type=click.Choice(["actors", "items", "all"]), default="all", show_default=True,
              help="actors: firms, facilities, countries, governments; items: what they make and need; "
                   "all: both sections, actors first.")
@data_option
@json_option
@handle_errors
def chokepoints(targets: tuple[str, ...], buyer: str | None, as_of: dt.date | None, top: int,
                pairs: bool, kind: str, as_json: bool) -> None:
    """Rank the nodes whose loss makes targets unavailable to a buyer, and say why.

    Without --target, ranks over all end products (systems and chips nothing else needs)
    by blast radius: how many of them a node cuts, and which.  Actors (firms, facilities,
    countries, governments) and items are ranked in two sections, --top N each.  Each
    chokepoint comes with its chain to the target, the sources of each hop, and the
    concentration of its supply.  --json prints the list of chokepoints, each with its
    "section" (with --pairs, pair objects follow, type "pair", with "pairs_total").

    \b
    Examples:
      chokemap chokepoints --target H200 --buyer CN --as-of 2026-02-01
      chokemap chokepoints --target "Ascend 910C" --buyer China --pairs
      chokemap chokepoints --top 10 --kind actors --json
    """
    from chokemap.graph.engine.answers import chokepoints as run
    from chokemap.graph.render.report import render_chokepoints

    def ask() -> Any:
        q = session().ask(targets, buyer=buyer)
        return run(q.kg, q.items or None, q.buyer, session().on(as_of), top=top, pairs=pairs, kind=kind)

    rep = answer("chokepoints", {"targets": targets, "buyer": buyer, "as_of": as_of, "top": top,
                                 "pairs": pairs, "kind": kind}, ask)
    if as_json:
        rows = rep["chokepoints"] + [{"id": "+".join(p["ids"]), "label": " + ".join(p["labels"]),
                                      "type": "pair", **p, "pairs_total": rep["pairs_total"]}
                                     for p in rep.get("pairs", [])]
        emit(rows, True, str)
    else:
        click.echo(render_chokepoints(rep))


def _embargo(kg: Any, text: str) -> tuple[str, str]:
    from chokemap.graph.queries.lookup import resolve_country, resolve_government

    gov, sep, country = text.partition(":")
    if not sep or not gov.strip() or not country.strip():
        msg = f"--embargo {text!r}: write GOVERNMENT:COUNTRY, e.g. NL:CN or 'Dutch government:China'"
        raise UsageError(msg)
    return resolve_government(kg, gov.strip()), resolve_country(kg, country.strip())


@cli.command(context_settings=CONTEXT)
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
    from chokemap.graph.engine.answers import Scenario
    from chokemap.graph.engine.scenario import whatif as run
    from chokemap.graph.queries.lookup import resolve
    from chokemap.graph.render.report import render_whatif

    if not (remove or embargoes or lift):
        msg = "nothing to change: give --remove, --embargo or --lift"
        raise UsageError(msg)

    def ask() -> Any:
        q = session().ask(targets, remove, buyer, whole=not targets)
        scenario = Scenario(
            removed=frozenset(q.names),
            lifted=frozenset(resolve(q.kg, p, {"Policy"}, "policy") for p in lift),
            embargoes=tuple(_embargo(q.kg, e) for e in embargoes),
        )
        return run(q.kg, scenario, q.buyer, session().on(as_of), q.items or None)

    emit(answer("whatif", {"remove": remove, "embargoes": embargoes, "lift": lift, "buyer": buyer,
                           "as_of": as_of, "targets": targets}, ask), as_json, render_whatif)


@cli.command(context_settings=CONTEXT)
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


def _date_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--as-of", "as_of", metavar="DATE", callback=parse_date, default=None, help=help_text)


@cli.command("path", context_settings=CONTEXT)
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--all", "all_paths", is_flag=True, help="List every simple path up to --max-len, shortest first.")
@click.option("--max-len", default=6, show_default=True, type=int, metavar="N", help="Longest path, in hops (1 to 12).")
@click.option("--via", metavar="TYPE,...", help="Follow only these edge types (default: requires,supplies).")
@click.option("--undirected", is_flag=True, help="Any connection, either direction (ownership, location, policy...).")
@click.option("--cap", default=200, show_default=True, type=click.IntRange(1, 10000), help="Most paths listed.")
@_date_option("Keep only edges in force on this date, YYYY-MM-DD (default: edges of any date).")
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
    return _date_option("Only edges in force on this date, YYYY-MM-DD (default: edges of any date).")(f)


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
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


@cli.command("compare", context_settings=CONTEXT)
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


# --------------------------------------------------------------------------- import, export, sparql


@cli.group("import", context_settings=CONTEXT)
def import_group() -> None:
    """Import an outside dataset as a chokemap Turtle file (then load it with --data).

    \b
    Examples:
      chokemap import eto ../shared/eto -o eto.ttl
      chokemap --data eto.ttl chokepoints --target "Finished logic chip"
    """


@import_group.command("eto", context_settings=CONTEXT)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), metavar="FILE.ttl",
              help="Turtle file to write (written whole or not at all).")
@click.option("--year", default="latest", show_default=True, metavar="latest|YYYY",
              help="Use the data up to this year; per input the latest such year is current, "
                   "older years are dated history.")
@click.option("--types", type=click.Choice(["all", "any"]), default="all", show_default=True,
              help="How 'A is_type_of B' reads: 'all' = B needs every type (a fab needs EUV and DUV "
                   "and i-line tools); 'any' = any type will do (hides chokepoints below the category).")
@json_option
@handle_errors
def import_eto_cmd(folder: Path, output: Path, year: str, types: str, as_json: bool) -> None:
    """Import ETO's Advanced Semiconductor Supply Chain Dataset (CSET) from its CSV folder.

    FOLDER holds inputs.csv, providers.csv, provision.csv, sequence.csv and stages.csv.
    Inputs become items (tools, materials, processes, design software, the finished chip),
    providers firms and countries, provision rows dated supply edges with their shares;
    "Various companies" and other placeholders are never chokepoints.  The default
    --types all is the faithful reading for a leading-edge fab, which needs every kind
    of lithography, deposition and inspection tool at once.

    \b
    Examples:
      chokemap import eto ../shared/eto -o eto.ttl
      chokemap import eto ../shared/eto -o eto-2019.ttl --year 2019
      chokemap import eto ../shared/eto -o eto-any.ttl --types any --json
    """
    from chokemap.graph.interchange.eto import import_eto as run
    from chokemap.graph.interchange.eto import render_summary

    emit(run(folder, output, year, types), as_json, render_summary)


@cli.command("export", context_settings=CONTEXT)
@click.option("--format", "-f", "fmt", required=True,
              type=click.Choice(["ttl", "jsonld", "graphml", "gexf", "csv"]),
              help="ttl and jsonld: the RDF, lossless; graphml and gexf: the graph for Gephi; "
                   "csv: nodes.csv and edges.csv in the folder PATH.")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), metavar="PATH",
              help="File to write; for csv, a folder (created if missing).")
@_date_option("Keep only the dependency edges in force on this date, YYYY-MM-DD (default: all edges, history included).")
@data_option
@json_option
@handle_errors
def export_cmd(fmt: str, output: Path, as_of: dt.date | None, as_json: bool) -> None:
    """Write the graph as Turtle, JSON-LD, GraphML, GEXF or CSV.

    --as-of keeps only the dependency edges valid on that date (default: all edges,
    history included).

    \b
    Examples:
      chokemap export --format ttl -o chokemap.ttl
      chokemap export --format gexf -o chokemap.gexf --as-of 2026-02-01
      chokemap --data eto.ttl export --format csv -o eto-csv/
    """
    from chokemap.graph.interchange.export import export as run
    from chokemap.graph.interchange.export import render_summary

    emit(run(session().graph(), fmt, output, as_of), as_json, render_summary)


@cli.command(context_settings=CONTEXT)
@click.argument("query", metavar="QUERY|@FILE")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table: text; json: SPARQL JSON results (JSON-LD for graphs); "
                                      "csv: SPARQL CSV results.")
@data_option
@handle_errors
def sparql(query: str, fmt: str) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the graph.

    The prefixes cm:, cmi:, rdf:, rdfs:, xsd:, owl: and sh: are predefined.  Updates
    (INSERT, DELETE, LOAD, ...) are refused; a syntax error says where (exit 1).

    \b
    Examples:
      chokemap sparql "SELECT ?firm ?label WHERE { ?firm a cm:Firm ; rdfs:label ?label } LIMIT 5"
      chokemap sparql "ASK { cmi:asml a cm:Firm }"
      chokemap --data eto.ttl sparql @top-shares.rq --format csv
    """
    from chokemap.graph.interchange.sparql import render_csv, render_json, render_table

    text = query
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            msg = f"{path}: cannot read the query file ({exc.strerror})"
            raise UsageError(msg) from None
        except UnicodeDecodeError:
            msg = f"{path}: not UTF-8; save the query file as UTF-8"
            raise UsageError(msg) from None
    result = session().sparql(text)
    click.echo({"table": render_table, "json": render_json, "csv": render_csv}[fmt](result))


@cli.command(context_settings=CONTEXT)
@click.option("--focus", "-f", metavar="ENTITY", help="The neighbourhood of one entity.")
@click.option("--depth", type=click.IntRange(1, 6), metavar="N", help="With --focus: how many links deep (default 1).")
@click.option("--path", nargs=2, metavar="FROM TO", help="How TO depends on FROM: the paths of `chokemap path`.")
@click.option("--chokepoints", "choke", is_flag=True, help="The chokepoints, sized and coloured by criticality.")
@target_option
@buyer_option
@as_of_option
@click.option("--type", "types", metavar="CLASS,...", help="Only entities of these classes (e.g. Chip,Firm,Tool).")
@click.option("--output", "-o", metavar="FILE.html", type=click.Path(path_type=Path),
              help="Where to write the page (default: chokemap-<view>.html in the current folder).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print the view's data as JSON instead of writing a page.")
@handle_errors
def view(focus: str | None, depth: int | None, path: tuple[str, str] | None, choke: bool,
         targets: tuple[str, ...], buyer: str | None, as_of: dt.date | None, types: str | None,
         output: Path | None, open_page: bool, as_json: bool) -> None:
    """Write one HTML page to explore: the graph, a neighbourhood, a path or the chokepoints.

    The page is one self-contained file: open it with a double click, mail it, put it on
    an intranet; it works offline.  Colours and shapes show classes (legend below the
    graph, with filters); hover a link for its type and share; click a node for its facts
    and sources; find a node with the search box.  Without --focus, --path or
    --chokepoints, it shows the whole graph.

    \b
    Examples:
      chokemap view --chokepoints -o chokepoints.html
      chokemap view --chokepoints --target H200 --buyer CN --as-of 2026-02-01
      chokemap view --focus ASML --depth 2 --open
      chokemap view --path ASML H200
      chokemap view --type Chip,Process,Tool,Firm -o supply.html
    """
    from chokemap.graph.render.views import default_name, make_view, to_json, write_html

    asked = [flag for flag, on in (("--focus", focus is not None), ("--path", bool(path)),
                                   ("--chokepoints", choke)) if on]
    if len(asked) > 1:
        msg = f"{' and '.join(asked)} are different views; give only one of them"
        raise UsageError(msg)
    if depth is not None and focus is None:
        msg = "--depth goes with --focus ENTITY"
        raise UsageError(msg)
    if (targets or buyer) and not choke:
        msg = "--target and --buyer go with --chokepoints"
        raise UsageError(msg)
    page = make_view(session().graph(), focus=focus, depth=depth, path=path, chokepoints=choke, targets=targets,
                     buyer=buyer, date=session().on(as_of), types=types)
    if page["view"] == "path" and not page["paths"]:
        msg = f"{page['notes'][0]} (no page written)"
        raise click.ClickException(msg)
    if as_json:
        click.echo(to_json(page))
        return
    where = write_html(page, output or Path(default_name(page))).resolve()
    click.echo(f"Wrote {where} ({page['counts']['nodes']} nodes, {page['counts']['edges']} edges): {page['title']}")
    if open_page:
        import webbrowser

        webbrowser.open(where.as_uri())


# --------------------------------------------------------------------------- on-disk store


@cli.group("store", context_settings=CONTEXT)
def store_group() -> None:
    """An on-disk triple store (Oxigraph) for graphs too big to parse at every start.

    \b
    Examples:
      chokemap --data M.ttl store build M.store
      chokemap --store M.store chokepoints --target "Finished logic chip"
    """


@store_group.command("build", context_settings=CONTEXT)
@click.argument("path", type=click.Path(path_type=Path))
@data_option
@json_option
@handle_errors
def store_build(path: Path, as_json: bool) -> None:
    """Bulk-load the --data files (default: the bundled graph) into a new store at PATH.

    PATH must not exist yet; it is written whole or not at all.  Then query it with
    `chokemap --store PATH ...`: it is read in place, never re-parsed, and each command
    pulls only the subgraph it needs.

    \b
    Examples:
      chokemap store build chokemap.store
      chokemap --data M.ttl store build M.store --json
    """
    from chokemap.graph.io.endpoint import build_store

    res = build_store(session().data or None, path)
    emit(res, as_json, lambda r: f"Built store {r['store']}: {r['triples']:,} triples from "
                                 f"{len(r['files'])} files in {r['seconds']} s")


def main() -> None:
    """Entry point of the ``chokemap`` command."""
    import gc

    # A run builds millions of small tuples and no reference cycles worth collecting;
    # the cyclic collector only costs time here (a third of a large chokepoint query).
    gc.disable()
    from chokemap.graph.core.progress import reporting, terminal_reporter

    try:
        with reporting(terminal_reporter()):
            cli(prog_name="chokemap")
    except BrokenPipeError:  # e.g. `chokemap show x | head`
        sys.stderr.close()
        sys.exit(1)


if __name__ == "__main__":
    main()
