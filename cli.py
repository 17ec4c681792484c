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

from graph import __version__
from graph.errors import ChokemapError, UsageError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- shared pieces


class State:
    """Per-invocation state: the --data paths and the graph, loaded once."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self._kg: Any = None

    def kg(self) -> Any:
        if self._kg is None:
            from graph.load import load

            self._kg = load(self.data or None)
        return self._kg


def _state() -> State:
    ctx = click.get_current_context()
    return ctx.ensure_object(State)  # type: ignore[no-any-return]


def _add_data(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    if value:
        ctx.ensure_object(State).data.extend(value)


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
    if value == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
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
    """Turn library errors into one-line messages: usage errors exit 2, the rest exit 1."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except ChokemapError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


# --------------------------------------------------------------------------- commands


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="chokemap")
@data_option
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
    from graph.load import load
    from graph.report import render_findings
    from graph.validate import validate as run

    state = _state()
    kg = load(list(paths) or state.data or None)
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
    from graph.describe import stats as run
    from graph.report import render_stats

    emit(run(_state().kg()), as_json, render_stats)


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

    from graph.lookup import search as run
    from graph.report import render_search

    wanted = {t.strip() for t in types.split(",")} if types else None
    hits = [asdict(m) for m in run(_state().kg(), text, wanted, limit)]
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
    from graph.describe import entity
    from graph.lookup import resolve
    from graph.report import render_entity

    kg = _state().kg()
    emit(entity(kg, resolve(kg, name)), as_json, render_entity)


def main() -> None:
    """Entry point of the ``chokemap`` command."""
    try:
        cli(prog_name="chokemap")
    except BrokenPipeError:  # e.g. `chokemap show x | head`
        sys.stderr.close()
        sys.exit(1)


if __name__ == "__main__":
    main()
