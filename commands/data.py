"""The data in and out: validate, import, export, SPARQL, the on-disk store, and the HTML view."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from chokemap.commands.common import (
    CONTEXT,
    as_of_option,
    buyer_option,
    data_option,
    date_option,
    emit,
    handle_errors,
    json_option,
    parse_date,
    session,
    target_option,
)
from chokemap.graph.core.errors import UsageError

__all__ = ["export_cmd", "import_group", "sparql", "store_group", "validate", "view"]


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_option
@json_option
@handle_errors
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check data against the SHACL shapes and references; exit 1 on findings.

    PATHS are Turtle files or folders (default: --data, else the bundled graph).
    Conflicts between ETO's figures and ours (check "conflict") are listed, not errors.

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
    violations = [f for f in findings if f.severity == "violation"]
    if as_json:
        emit({"files": [str(f) for f in kg.files], "triples": len(kg.rdf), "valid": not violations,
              "findings": [{"entity": f.entity, "message": f.message, "check": f.check, "severity": f.severity}
                           for f in findings]}, True, str)
    else:
        click.echo(render_findings(findings, len(kg.files), len(kg.rdf)))
    if violations:
        sys.exit(1)


# --------------------------------------------------------------------------- import, export, sparql


@click.group("import", context_settings=CONTEXT)
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
@click.option("--link", is_flag=True,
              help="Write ETO's data on the bundled graph's IRIs where data/links-eto.ttl links them "
                   "(then load it with --with).")
@json_option
@handle_errors
def import_eto_cmd(folder: Path, output: Path, year: str, types: str, link: bool, as_json: bool) -> None:
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
      chokemap import eto ../shared/eto -o linked-eto.ttl --link
    """
    from chokemap.graph.interchange.eto import import_eto as run
    from chokemap.graph.interchange.eto import render_summary

    emit(run(folder, output, year, types, "" if link else None), as_json,
         lambda s: f"{render_summary(s)}\nnext: chokemap {'--with' if link else '--data'} {s['output']} validate")


@click.command("export", context_settings=CONTEXT)
@click.option("--format", "-f", "fmt", required=True,
              type=click.Choice(["ttl", "jsonld", "graphml", "gexf", "csv"]),
              help="ttl and jsonld: the RDF, lossless; graphml and gexf: the graph for Gephi; "
                   "csv: nodes.csv and edges.csv in the folder PATH.")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), metavar="PATH",
              help="File to write; for csv, a folder (created if missing).")
@date_option("Keep only the dependency edges in force on this date, YYYY-MM-DD (default: all edges, history included).")
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


@click.command(context_settings=CONTEXT)
@click.argument("query", metavar="QUERY|@FILE")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table: text; json: SPARQL JSON results (JSON-LD for graphs); "
                                      "csv: SPARQL CSV results.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Stop a query that runs longer (exit 1).")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True, metavar="ROWS",
              help="Print at most this many rows (or triples); a note on stderr says when more were left.")
@data_option
@handle_errors
def sparql(query: str, fmt: str, timeout: float, limit: int) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the graph.

    The prefixes cm:, cmi:, rdf:, rdfs:, xsd:, owl: and sh: are predefined.  Updates
    (INSERT, DELETE, LOAD, ...) and federated queries (SERVICE) are refused; a syntax error
    says where (exit 1).  A query runs at most --timeout seconds and prints at most --limit rows.

    \b
    Examples:
      chokemap sparql "SELECT ?firm ?label WHERE { ?firm a cm:Firm ; rdfs:label ?label } LIMIT 5"
      chokemap sparql "ASK { cmi:asml a cm:Firm }"
      chokemap --data eto.ttl sparql @top-shares.rq --format csv
    """
    from chokemap.graph.interchange.sparql import render_csv, render_json, render_table

    result = session().sparql(_query_text(query), limit=limit, timeout=timeout)
    click.echo({"table": render_table, "json": render_json, "csv": render_csv}[fmt](result))
    if result.truncated:
        click.echo(f"chokemap: stopped after {limit:,} rows (--limit); add a LIMIT to the query "
                   "or raise --limit to see more", err=True)


def _query_text(query: str) -> str:
    """The query itself, or with ``@FILE`` the text of that file (UTF-8)."""
    if not query.startswith("@"):
        return query
    path = Path(query[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"{path}: cannot read the query file ({exc.strerror})"
        raise UsageError(msg) from None
    except UnicodeDecodeError:
        msg = f"{path}: not UTF-8; save the query file as UTF-8"
        raise UsageError(msg) from None


@click.command(context_settings=CONTEXT)
@click.argument("items", nargs=-1, metavar="[ITEM]...")
@click.option("--timeline", "timeline", is_flag=True,
              help="Since when: one lane per ITEM on a date axis, coloured by its state for --buyer.")
@click.option("--from", "start", metavar="DATE", callback=parse_date, default=None,
              help="With --timeline: first day, YYYY-MM-DD (default 2018-01-01).")
@click.option("--to", "end", metavar="DATE", callback=parse_date, default=None,
              help="With --timeline: last day, YYYY-MM-DD (default: the date the data is current to).")
@click.option("--focus", "-f", metavar="ENTITY", help="The neighbourhood of one entity.")
@click.option("--depth", type=click.IntRange(1, 6), metavar="N", help="With --focus (default 1), --upstream or --downstream (default all): how many links deep.")
@click.option("--path", nargs=2, metavar="FROM TO", help="How TO depends on FROM: the paths of `chokemap path`.")
@click.option("--chokepoints", "choke", is_flag=True, help="The chokepoints, ranked beside the graph, sized and filled by rank.")
@click.option("--upstream", metavar="ENTITY", help="What ENTITY needs: the tree of `chokemap upstream`, drawn.")
@click.option("--downstream", metavar="ENTITY", help="What needs ENTITY: the tree of `chokemap downstream`, drawn.")
@click.option("--whatif", is_flag=True, help="What a scenario (--remove, --embargo, --lift) loses and gains, drawn.")
@click.option("--remove", "-r", multiple=True, metavar="NODE", help="With --whatif: knock out a node (repeatable).")
@click.option("--embargo", "-e", "embargoes", multiple=True, metavar="GOV:COUNTRY",
              help="With --whatif: a government bans everything in its jurisdiction to a country (repeatable).")
@click.option("--lift", "-l", multiple=True, metavar="POLICY", help="With --whatif: treat a policy as never issued.")
@click.option("--compare", nargs=2, metavar="A B", help="Two items side by side: the page of `chokemap compare`.")
@click.option("--diff", "diff_dates", nargs=2, metavar="DATE1 DATE2",
              help="What changed for --buyer between two dates: the page of `chokemap diff`.")
@click.option("--available", "avail", is_flag=True, help="Each ITEM's state for --buyer: the page of `chokemap available`.")
@target_option
@buyer_option
@as_of_option
@click.option("--type", "types", metavar="CLASS,...", help="Only entities of these classes (e.g. Chip,Firm,Tool).")
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 1000), metavar="N",
              help="Rank this many chokepoints of each section (actors, items) beside the graph.")
@click.option("--group-by", type=click.Choice(["class", "country"]), default="class", show_default=True,
              help="On an overview page (a view too big to draw): group the nodes by class or by country.")
@click.option("--output", "-o", metavar="FILE.html", type=click.Path(path_type=Path),
              help="Where to write the page (default: chokemap-<view>.html in the current folder).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print the view's data as JSON instead of writing a page.")
@handle_errors
def view(items: tuple[str, ...], timeline: bool, start: dt.date | None, end: dt.date | None,
         focus: str | None, depth: int | None, path: tuple[str, str] | None, choke: bool,
         upstream: str | None, downstream: str | None, whatif: bool, remove: tuple[str, ...],
         embargoes: tuple[str, ...], lift: tuple[str, ...], compare: tuple[str, str] | None,
         diff_dates: tuple[str, str] | None, avail: bool,
         targets: tuple[str, ...], buyer: str | None, as_of: dt.date | None, types: str | None,
         top: int, group_by: str, output: Path | None, open_page: bool, as_json: bool) -> None:
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
      chokemap view --chokepoints --top 10
      chokemap view --focus ASML --depth 2 --open
      chokemap view --path ASML H200
      chokemap view --type Chip,Process,Tool,Firm -o supply.html
      chokemap view --timeline H200 H20 --buyer CN --from 2025-01-01 --to 2026-12-31
      chokemap view --upstream H200 --depth 2
      chokemap view --whatif --embargo NL:CN --buyer CN
      chokemap view --compare H20 H200 --buyer CN
      chokemap view --diff 2025-01-01 2026-02-01 --buyer CN
      chokemap view --available H200 H20 --buyer CN --as-of 2026-02-01
    """
    from chokemap.graph.render.views import make_view, to_json

    if upstream or downstream or whatif or compare or diff_dates or avail or remove or embargoes or lift:
        _question(locals())
        return

    if timeline or items or start or end:
        others = [f for f, on in (("--focus", focus), ("--depth", depth), ("--path", path), ("--chokepoints", choke),
                                  ("--target", targets), ("--as-of", as_of), ("--type", types)) if on]
        _timeline_page(items, timeline, others, buyer, start, end, output, open_page, as_json)
        return

    _one_view(focus, depth, path, choke, bool(targets or buyer))
    page = make_view(session().graph(), focus=focus, depth=depth, path=path, chokepoints=choke, targets=targets,
                     buyer=buyer, date=session().on(as_of), types=types, top=top, group_by=group_by)
    if page["view"] == "path" and not page["paths"]:
        msg = f"{page['notes'][0]} (no page written)"
        raise click.ClickException(msg)
    if as_json:
        click.echo(to_json(page))
    else:
        _write_page(page, output, open_page)


def _timeline_page(items: tuple[str, ...], timeline: bool, others: list[str], buyer: str | None,
                   start: dt.date | None, end: dt.date | None, output: Path | None, open_page: bool,
                   as_json: bool) -> None:
    """``view --timeline ITEM...``: the swimlane page of ``chokemap timeline``; ``others`` are the
    options of the other views that were given (refused)."""
    from chokemap.graph.render import timeline_page as tp

    if not (timeline and items):
        msg = "ITEM..., --from and --to go with --timeline: chokemap view --timeline ITEM... --buyer B"
        raise UsageError(msg)
    if others:
        msg = f"{', '.join(others)}: not for --timeline, which takes ITEM..., --buyer, --from and --to"
        raise UsageError(msg)
    first = start or dt.date(2018, 1, 1)
    if end is not None and first > end:
        msg = f"--from {first} is after --to {end}; give the earlier date first"
        raise UsageError(msg)
    q = session().ask(items, buyer=buyer)
    last = end or q.kg.data_as_of or session().on(None)
    page = tp.timeline_view(q.kg, q.items, q.buyer, first, last)
    if as_json:
        click.echo(tp.to_json(page))
        return
    where = tp.write_html(page, output or Path(tp.default_name(page))).resolve()
    lanes, bars = len(page["lanes"]), sum(len(r["intervals"]) for r in page["lanes"])
    click.echo(f"Wrote {where} ({lanes} lane{'s' * (lanes != 1)}, {bars} interval{'s' * (bars != 1)}): "
               f"{page['title']}")
    if open_page:
        import webbrowser

        webbrowser.open(where.as_uri())


def _question(o: dict[str, Any]) -> None:
    """``view --upstream/--downstream/--whatif/--compare``: one question's page (:mod:`.view_pages`)."""
    from chokemap.commands.view_pages import question_page, refuse_others

    flags = {"--upstream": o["upstream"], "--downstream": o["downstream"], "--whatif": o["whatif"],
             "--compare": o["compare"], "--diff": o["diff_dates"], "--available": o["avail"]}
    asked = [f for f, on in flags.items() if on]
    if not asked:
        msg = "--remove, --embargo and --lift go with --whatif"
        raise UsageError(msg)
    kind = asked[0]
    allowed = {"--upstream": {"--depth", "--type", "--as-of", "--top"}, "--whatif": {"--remove", "--embargo",
               "--lift", "--buyer", "--target", "--as-of"}, "--compare": {"--buyer", "--as-of"},
               "--diff": {"--buyer", "--target"}, "--available": {"ITEM", "--buyer", "--as-of"}}
    allowed["--downstream"] = allowed["--upstream"]
    given = {"--focus": o["focus"], "--path": o["path"], "--chokepoints": o["choke"], "--timeline": o["timeline"],
             "ITEM": o["items"], "--from": o["start"], "--to": o["end"], "--depth": o["depth"], "--type": o["types"],
             "--as-of": o["as_of"], "--buyer": o["buyer"], "--target": o["targets"], "--remove": o["remove"],
             "--embargo": o["embargoes"], "--lift": o["lift"]}
    refuse_others(asked, [f for f, on in given.items() if on and f not in allowed[kind]])
    q = {"upstream": o["upstream"], "downstream": o["downstream"], "depth": o["depth"], "types": o["types"],
         "as_of": o["as_of"], "top": o["top"], "remove": o["remove"], "embargoes": o["embargoes"],
         "lift": o["lift"], "buyer": o["buyer"], "targets": o["targets"], "compare": o["compare"],
         "diff": o["diff_dates"], "items": o["items"]}
    question_page(kind, q, o["output"], o["open_page"], o["as_json"])


def _one_view(focus: str | None, depth: int | None, path: tuple[str, str] | None, choke: bool,
              for_buyer: bool) -> None:
    """Refuse options that ask for two views, or go with a view not asked for (exit 2)."""
    asked = [flag for flag, on in (("--focus", focus is not None), ("--path", bool(path)),
                                   ("--chokepoints", choke)) if on]
    if len(asked) > 1:
        msg = f"{' and '.join(asked)} are different views; give only one of them"
        raise UsageError(msg)
    if depth is not None and focus is None:
        msg = "--depth goes with --focus ENTITY"
        raise UsageError(msg)
    if for_buyer and not choke:
        msg = "--target and --buyer go with --chokepoints"
        raise UsageError(msg)


def _write_page(page: dict[str, Any], output: Path | None, open_page: bool) -> None:
    """Write the page (default name from the view), say where, and open it if asked."""
    from chokemap.graph.render.views import default_name, write_html

    where = write_html(page, output or Path(default_name(page))).resolve()
    counts = f"{page['counts']['nodes']} nodes, {page['counts']['edges']} edges"
    if page.get("overview"):  # too big to draw: clusters that open on click
        o = page["overview"]
        counts = f"an overview of {o['nodes']:,} nodes: {o['kept']} drawn, {o['clusters']} clusters by {o['group_by']}"
    click.echo(f"Wrote {where} ({counts}): {page['title']}")
    if open_page:
        import webbrowser

        webbrowser.open(where.as_uri())


# --------------------------------------------------------------------------- on-disk store


@click.group("store", context_settings=CONTEXT)
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
