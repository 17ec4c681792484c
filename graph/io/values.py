"""Typed values of RDF terms: literals by their XSD datatype, IRIs as short ids.

The loader (:mod:`graph.io.load`) reads every attribute through these functions.  An
ill-typed value (a date like 2025-02-30, a share "high") raises :class:`DataError` naming
the entity and the predicate, unless :data:`LENIENT` is set, when it becomes None so that
``validate`` can report every problem at once.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

from ..core.errors import DataError
from ..core.model import short_id
from .triples import Lit, Term

__all__ = ["LENIENT", "date_value", "flag_value", "number_value", "share_value", "term_value", "text_value"]

_XSD = "http://www.w3.org/2001/XMLSchema#"

#: When set, ill-typed values become None instead of raising (validate reports them).
LENIENT: ContextVar[bool] = ContextVar("lenient", default=False)


def _fail(where: str, what: str, value: str, kind: str) -> None:
    """Raise a DataError naming ``where`` and ``what``, unless lenient."""
    if not LENIENT.get():
        msg = f"{where}: {what} {value!r} is not a valid {kind}"
        raise DataError(msg)


def term_value(value: Term | None, what: str, where: str) -> Any:
    """Convert a term to Python: IRIs to short ids, literals by their datatype.

    ``what`` (the predicate) and ``where`` (the entity) name the value in an error.

    >>> term_value(Lit("0.62", _XSD + "decimal"), "cm:share", "x"), term_value(Lit("ASML"), "rdfs:label", "x")
    (0.62, 'ASML')
    >>> try:
    ...     term_value(Lit("2025-02-30", _XSD + "date"), "cm:validFrom", "supplies edge a -> b")
    ... except DataError as exc:
    ...     print(exc)
    supplies edge a -> b: cm:validFrom '2025-02-30' is not a valid date
    """
    if value is None:
        return None
    if not isinstance(value, Lit):
        return short_id(value)
    dtype = value.datatype
    if dtype is None or not dtype.startswith(_XSD):
        return value.value
    kind = dtype[len(_XSD):]
    text = value.value.strip()
    try:
        if kind in ("decimal", "double", "float"):
            return float(text)
        if kind in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(text)
        if kind == "boolean":
            if text in ("true", "1"):
                return True
            if text in ("false", "0"):
                return False
            raise ValueError(text)
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "dateTime":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        _fail(where, what, value.value, kind)
        return None
    return value.value


def date_value(value: Term | None, what: str, where: str) -> dt.date | None:
    """A date from a term: an xsd:date, or a plain literal in YYYY-MM-DD.

    >>> date_value(Lit("2025-04-01"), "cm:asOf", "x")
    datetime.date(2025, 4, 1)
    """
    py = term_value(value, what, where)
    if py is None or isinstance(py, dt.date):
        return py
    try:
        return dt.date.fromisoformat(str(py))
    except ValueError:
        if LENIENT.get():
            return None
        msg = f"{where}: {what} {str(py)!r} is not a date (write YYYY-MM-DD as xsd:date)"
        raise DataError(msg) from None


def number_value(value: Term | None, what: str, where: str) -> float | None:
    """A number (float) from a term, typed or plain.

    >>> number_value(Lit("1"), "cm:share", "x"), number_value(None, "cm:share", "x")
    (1.0, None)
    """
    py = term_value(value, what, where)
    if py is None:
        return None
    try:
        return float(py)
    except (TypeError, ValueError):
        if LENIENT.get():
            return None
        msg = f"{where}: {what} {str(py)!r} is not a number"
        raise DataError(msg) from None


def share_value(value: Term | None, where: str) -> float | None:
    """A share (a fraction 0..1) from a term; outside 0..1, or not a number, it is refused
    (unless :data:`LENIENT`, when ``validate`` reports it instead).

    >>> share_value(Lit("0.6"), "x")
    0.6
    >>> share_value(Lit("1.5"), "memory suppliedBy mema")
    Traceback (most recent call last):
    graph.core.errors.DataError: memory suppliedBy mema: cm:share 1.5 is outside 0..1 (a share is a fraction: 0.6 for 60%)
    """
    share = number_value(value, "cm:share", where)
    if share is None or 0.0 <= share <= 1.0 or LENIENT.get():
        return share
    msg = f"{where}: cm:share {share:g} is outside 0..1 (a share is a fraction: 0.6 for 60%)"
    raise DataError(msg)


def flag_value(value: Term | None) -> bool:
    """True for a literal "true" or "1"; False for anything else, or nothing.

    >>> flag_value(Lit("true", _XSD + "boolean")), flag_value(None)
    (True, False)
    """
    return isinstance(value, Lit) and value.value.strip() in ("true", "1")


def text_value(value: Term | None) -> str | None:
    """A term as text (its lexical value, or the IRI), or None.

    >>> text_value(Lit("EUV scanner", lang="en")), text_value(None)
    ('EUV scanner', None)
    """
    return None if value is None else str(value)
