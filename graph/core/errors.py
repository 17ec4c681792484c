"""The one family of exceptions the library raises.

The command line turns each into a one-line message and a non-zero exit; nothing in
``graph/`` prints.  Messages say what is wrong and, where possible, what to do next.
"""

from __future__ import annotations

__all__ = [
    "ChokemapError",
    "DataError",
    "UnknownEntity",
    "UsageError",
    "AmbiguousEntity",
]


class ChokemapError(Exception):
    """Base class of every error chokemap raises on purpose."""


class DataError(ChokemapError):
    """The data cannot be read: a missing path, bad syntax, bad encoding, a bad value."""


class UsageError(ChokemapError):
    """An argument is impossible (a date in the wrong order, a bad number).

    ``param`` names the parameter at fault and ``value`` what was given, so that a
    front end can name its own option ("--max-len 40: ..."); the message never does.
    """

    def __init__(self, msg: str, param: str | None = None, value: object = None) -> None:
        super().__init__(msg)
        self.param = param
        self.value = value


class UnknownEntity(ChokemapError):
    """No entity matches a name; carries the closest names as suggestions."""

    def __init__(self, text: str, suggestions: list[str], what: str = "entity") -> None:
        self.text = text
        self.suggestions = suggestions
        self.what = what
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        msg = f"no {what} {text!r}{hint} (try: chokemap search {text!r})"
        super().__init__(msg)


class AmbiguousEntity(ChokemapError):
    """Several entities match a name equally well."""

    def __init__(self, text: str, candidates: list[str]) -> None:
        self.text = text
        self.candidates = candidates
        msg = f"{text!r} matches several entities: {', '.join(candidates)}; use one of these ids"
        super().__init__(msg)
