"""chokemap: where are the chokepoints of the AI-chip supply chain, for whom, since when, why.

The command line: each command parses its arguments, calls one library function in
``graph/`` and formats the result as text or, with ``--json``, as JSON.  This module is
the group with its global options and the entry point; the commands live in ``commands/``
(``chokemap.commands``), by family, and are registered here.
"""

from __future__ import annotations

import sys
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

from chokemap.commands import browse, data, supply  # noqa: E402
from chokemap.commands.common import CONTEXT, Options, data_option, with_option  # noqa: E402
from chokemap.graph import __version__  # noqa: E402


def _no_cache(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Options).cache = False


def _remote(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        setattr(ctx.ensure_object(Options), str(param.name), value)


def _bound(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--endpoint-timeout`` / ``--endpoint-max-mb``: a positive, finite number."""
    if value is None:
        return
    import math

    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not (0 < number < 1e7):  # also refuses nan and inf; 1e7 s is four months, 1e7 MiB 10 TiB
        unit = "seconds" if param.name == "endpoint_timeout" else "MiB"
        msg = f"--{str(param.name).replace('_', '-')} {value}: give a positive number of {unit} (below 10,000,000)"
        raise click.UsageError(msg)
    setattr(ctx.ensure_object(Options), str(param.name), number)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="chokemap")
@data_option
@with_option
@click.option("--no-cache", is_flag=True, expose_value=False, callback=_no_cache, is_eager=True,
              help="Parse the data and answer afresh, using neither the compiled-graph cache nor "
                   "the answer cache (CHOKEMAP_NO_ANSWER_CACHE=1 skips only the answers).")
@click.option("--endpoint", metavar="URL", expose_value=False, callback=_remote, is_eager=True,
              help="Query the graph in place in a SPARQL 1.1 endpoint (e.g. http://localhost:8890/sparql).")
@click.option("--endpoint-timeout", metavar="SECONDS", expose_value=False, callback=_bound, is_eager=True,
              help="Most seconds one request to --endpoint may take, however slowly it answers (default: 300).")
@click.option("--endpoint-max-mb", metavar="MIB", expose_value=False, callback=_bound, is_eager=True,
              help="Largest answer read from --endpoint, in MiB; a bigger one is refused (default: 1024).")
@click.option("--store", metavar="PATH", expose_value=False, callback=_remote, is_eager=True,
              help="Query the graph in an on-disk store made by `chokemap store build`.")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Explore the AI-chip supply chain: dependencies, policies and chokepoints.

    Every edge carries its source and dates; every answer says why.  Entities are named
    by id, name, alias or Chinese name, case-insensitively ("asml", "昇腾910C").

    \b
    Examples:
      chokemap stats
      chokemap search hbm
      chokemap show ASML
      chokemap --data my-graph.ttl validate
      chokemap --with linked-eto.ttl chokepoints --target H200 --buyer ByteDance
      chokemap --endpoint http://localhost:8890/sparql chokepoints --target H200
    """
    from chokemap.graph.io.notices import listening

    ctx.with_resource(listening(_warn_once()))


def _warn_once() -> Any:
    """Write each notice about the data to stderr once per run, as ``Warning: ...``."""
    seen: set[str] = set()

    def warn(message: str) -> None:
        if message not in seen:
            seen.add(message)
            click.echo(f"Warning: {message}", err=True)

    return warn


# In the order they were written; --help lists them alphabetically.
cli.add_command(data.validate)
cli.add_command(browse.stats)
cli.add_command(browse.search)
cli.add_command(browse.show)
cli.add_command(supply.available)
cli.add_command(supply.chokepoints)
cli.add_command(supply.whatif)
cli.add_command(supply.diff)
cli.add_command(supply.timeline)
cli.add_command(browse.path_cmd)
cli.add_command(browse.upstream)
cli.add_command(browse.downstream)
cli.add_command(supply.compare_cmd)
cli.add_command(data.import_group)
cli.add_command(data.export_cmd)
cli.add_command(data.sparql)
cli.add_command(data.view)
cli.add_command(data.store_group)


def main() -> None:
    """Entry point of the ``chokemap`` command."""
    import gc

    # A run builds millions of small tuples and no reference cycles worth collecting;
    # the cyclic collector only costs time here (a third of a large chokepoint query).
    gc.disable()
    # chokemap uses numpy's arrays, never its linear algebra: without this, importing
    # numpy starts a BLAS thread per core that spins while the import runs (on 2 cores,
    # twice the CPU time of the import and up to 0.05 s of a warm answer's wall time).
    # A value the user set is kept.
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from chokemap.graph.core.progress import reporting, terminal_reporter

    code: Any = 0
    try:
        with reporting(terminal_reporter()):
            try:
                cli(prog_name="chokemap")
            except SystemExit as exc:
                code = exc.code
        sys.stdout.flush()  # here, not at exit, where a failure is only a traceback
    except BrokenPipeError:  # e.g. `chokemap show x | head`
        _silence_stdout()
        sys.stderr.close()
        sys.exit(1)
    except OSError as exc:  # e.g. `chokemap stats > /dev/full`
        _silence_stdout()
        sys.stderr.write(f"Error: cannot write the output: {exc.strerror or exc}\n")
        sys.exit(1)
    _leave(code)


def _leave(code: Any) -> None:
    """End the process with ``code`` (as ``sys.exit`` reads it) without freeing the graph
    object by object: the output is written and flushed and the exit handlers have run, so
    nothing is lost, and a 10-million-triple graph no longer takes seconds to tear down.
    Only the threads chokemap starts are daemons, which an exit ends anyway."""
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message goes to stderr, the status is 1
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        _silence_stdout()
        status = status or 1
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler or coverage run writes its report at a normal exit
    atexit._run_exitfuncs()
    os._exit(status & 0xFF if status >= 0 else 1)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush cannot fail again."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):  # nothing left to tell the user either way
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":
    main()
