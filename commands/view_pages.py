"""The question pages of ``chokemap view``: --upstream, --downstream, --whatif, --compare,
--diff and --available.

Each asks the same library function as its command (``upstream``, ``whatif``,
``compare``...), with the same names resolved the same way, so ``view ... --json`` prints
what the page draws and agrees with the command's ``--json``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from chokemap.commands.common import session
from chokemap.graph.core.errors import UsageError

__all__ = ["QUESTIONS", "question_page", "refuse_others"]

#: The view options of a question page, as the user types them.
QUESTIONS = ("--upstream", "--downstream", "--whatif", "--compare", "--diff", "--available")


def refuse_others(asked: list[str], others: list[str]) -> None:
    """One question per page; the options of the other views are refused (exit 2)."""
    if len(asked) > 1:
        msg = f"{' and '.join(asked)} are different pages; give only one of them"
        raise UsageError(msg)
    if others:
        msg = f"{', '.join(others)}: not for {asked[0]}"
        raise UsageError(msg)


def question_page(kind: str, q: dict[str, Any], output: Path | None, open_page: bool, as_json: bool) -> None:
    """Build the page of ``kind`` (one of :data:`QUESTIONS`) from the options ``q``, then
    print its JSON twin or write it."""
    if kind in ("--upstream", "--downstream"):
        page = _tree(kind.lstrip("-"), q)
    elif kind == "--whatif":
        page = _whatif(q)
    elif kind == "--diff":
        page = _diff(q)
    elif kind == "--available":
        page = _available(q)
    else:
        page = _compare(q)
    if as_json:
        from chokemap.graph.render.page import to_json

        click.echo(to_json(page))
        return
    if kind == "--compare":
        from chokemap.graph.render import compare_page as cp

        where = cp.write_html(page, output or Path(cp.default_name(page))).resolve()
        click.echo(f"Wrote {where}: {page['title']}")
        _open(where, open_page)
        return
    from chokemap.commands.data import _write_page

    _write_page(page, output, open_page)


def _open(where: Path, open_page: bool) -> None:
    if open_page:
        import webbrowser

        webbrowser.open(where.as_uri())


def _tree(direction: str, q: dict[str, Any]) -> dict[str, Any]:
    from chokemap.graph.queries import trees
    from chokemap.graph.render import overview
    from chokemap.graph.render.question_views import tree_view

    asked = session().ask(names=[q[direction]], direction=direction)
    walk = trees.upstream if direction == "upstream" else trees.downstream
    types = q["types"].split(",") if q["types"] else None
    tree = walk(asked.kg, asked.names[0], q["depth"], types, as_of=q["as_of"])
    if 1 + len(tree["nodes"]) + len(tree["context"]) > overview.limit():  # too many to draw: clusters
        return overview.tree_overview(asked.kg, session().on(q["as_of"]), tree, q["top"], "class", None)
    return tree_view(asked.kg, asked.names[0], direction, tree, session().on(q["as_of"]), q["top"])


def _whatif(q: dict[str, Any]) -> dict[str, Any]:
    from chokemap.commands.supply import _scenario
    from chokemap.graph.engine.scenario import whatif
    from chokemap.graph.render.question_views import whatif_view

    if not (q["remove"] or q["embargoes"] or q["lift"]):
        msg = "nothing to change: give --remove, --embargo or --lift with --whatif"
        raise UsageError(msg)
    asked = session().ask(q["targets"], q["remove"], q["buyer"], whole=not q["targets"])
    scenario = _scenario(asked.kg, asked.names, q["lift"], q["embargoes"])
    result = whatif(asked.kg, scenario, asked.buyer, session().on(q["as_of"]), asked.items or None)
    page = whatif_view(asked.kg, result, asked.items)
    page["whatif"] = result
    return page


def _compare(q: dict[str, Any]) -> dict[str, Any]:
    from chokemap.graph.engine.compare import compare
    from chokemap.graph.render.compare_page import compare_view

    a, b = q["compare"]
    asked = session().ask((a, b), buyer=q["buyer"])
    res = compare(asked.kg, asked.items[0], asked.items[1], buyer=asked.buyer, as_of=session().on(q["as_of"]))
    return compare_view(res)


def _diff(q: dict[str, Any]) -> dict[str, Any]:
    from chokemap.graph.engine.scenario import diff
    from chokemap.graph.render.question_views import diff_view

    start, end = (as_date(d) for d in q["diff"])
    if start > end:
        msg = f"--diff {start} {end}: the first date is after the second; give the earlier date first"
        raise UsageError(msg)
    asked = session().ask(q["targets"], buyer=q["buyer"], whole=not q["targets"])
    result = diff(asked.kg, start, end, asked.buyer, asked.items or None)
    page = diff_view(asked.kg, result, asked.items)
    page["diff"] = result
    return page


def _available(q: dict[str, Any]) -> dict[str, Any]:
    from chokemap.graph.engine.answers import availability
    from chokemap.graph.render.question_views import available_view

    if not q["items"]:
        msg = "--available needs ITEM...: chokemap view --available H200 H20 --buyer CN"
        raise UsageError(msg)
    asked = session().ask(q["items"], buyer=q["buyer"])
    day = session().on(q["as_of"])
    answers = [availability(asked.kg, i, asked.buyer, day) for i in asked.items]
    page = available_view(asked.kg, answers, day)
    page["available"] = answers
    return page


def as_date(text: str) -> dt.date:
    """A --diff date, YYYY-MM-DD, or a one-line usage error."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"--diff {text!r}: write a date as YYYY-MM-DD"
        raise UsageError(msg) from None
