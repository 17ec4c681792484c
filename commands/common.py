"""What every command shares: the session, the shared options, output and errors.

The command modules (:mod:`.browse`, :mod:`.supply`, :mod:`.data`) build their commands
from these pieces; ``cli.py`` registers them on the group.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

import click

from chokemap.graph.core.errors import ChokemapError, UsageError

__all__ = [
    "CONTEXT",
    "Options",
    "answer",
    "as_of_option",
    "buyer_option",
    "data_option",
    "date_option",
    "emit",
    "handle_errors",
    "json_option",
    "parse_date",
    "session",
    "target_option",
    "with_option",
]

#: Help on -h as on --help, and lines up to 100 characters wide.
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Options:
    """Where the graph comes from, as the global options say; the session is made once."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.cache = True
        self.endpoint: str | None = None
        self.store: str | None = None
        self.endpoint_timeout: float | None = None
        self.endpoint_max_mb: float | None = None
        self.with_: list[str] = []  # --with: files loaded beside the bundled graph (or --data)
        self._session: Any = None

    def session(self) -> Any:
        if self._session is None:
            given = [flag for flag, on in (("--data", self.data), ("--endpoint", self.endpoint),
                                           ("--store", self.store)) if on]
            if len(given) > 1:
                msg = f"{' and '.join(given)} name different graphs: give one of them"
                raise UsageError(msg)
            from chokemap.graph.session import Session

            self._session = Session(self._files(), endpoint=self.endpoint, store=self.store, cache=self.cache,
                                    endpoint_timeout=self.endpoint_timeout, endpoint_max_mb=self.endpoint_max_mb)
        return self._session


    def _files(self) -> list[str]:
        """--data (or the bundled graph) plus the --with files, when there are any."""
        if not self.with_:
            return self.data
        if self.endpoint or self.store:
            msg = "--with adds files to the bundled graph or --data, not to a store or an endpoint"
            raise UsageError(msg)
        from chokemap.graph.io.inputs import DEFAULT_DATA

        return [*(self.data or [str(DEFAULT_DATA)]), *self.with_]


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


def _add_with(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    if value:
        ctx.ensure_object(Options).with_.extend(value)


def with_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--with FILE`` (repeatable): RDF loaded beside the bundled graph (or ``--data``)."""
    return click.option(
        "--with", "-w", "with_", multiple=True, metavar="FILE", expose_value=False, callback=_add_with,
        is_eager=True, help="Turtle file or folder to load as well as the bundled graph or --data "
                            "(repeatable), e.g. an `import eto --link` file.",
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
    """Print ``obj`` as JSON (:func:`to_json`) or through its text renderer."""
    click.echo(to_json(obj) if as_json else render(obj))


def to_json(obj: Any) -> str:
    """``obj`` as JSON indented by two spaces, non-ASCII text as it is.

    Plain JSON data (text, numbers, booleans, None, lists, tuples, dicts with text keys:
    what answers are) is written by orjson, which takes a tenth of the time: Python's own
    encoder writes indented JSON in pure Python, 2 s of a 46 MB full ranking at M.  Anything
    else (dates, other keys or classes, integers past 64 bits, text that is not UTF-8) is
    written by :func:`json.dumps`, other values as their ``str``.  The two write the same
    text but for a float with an exponent in Python's notation (``1e-05`` comes out as
    ``0.00001``: the same number).  O(size).
    """
    import orjson

    # indented as json.dumps(indent=2); dates, dataclasses and subclasses of the plain
    # types refused, so that json.dumps writes them as it always has
    option = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
              | orjson.OPT_PASSTHROUGH_SUBCLASS)
    try:
        return orjson.dumps(obj, option=option).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError: not plain JSON data
        return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


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


def date_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--as-of DATE`` with its own help: a filter on edges rather than the date asked for."""
    return click.option("--as-of", "as_of", metavar="DATE", callback=parse_date, default=None, help=help_text)
