"""Checks on a loaded graph that the projection cannot make alone, with the file and line.

Run by :func:`graph.io.load.load` on every fresh load from files (the cached graph keeps
their notices and repeats them):

* an entity typed with two of chokemap's classes (a Chip and a Firm) is refused: every
  query would read it as one of them;
* a requirement on an entity the data never defines (no class) is kept, counted as
  unmet (the engine gives such a node no way to be had), and noticed, so the item
  that needs it is never available by accident.

Both name ``file:line`` where the entity first appears.  ``validate`` (lenient) reports
them as findings instead (``class``, ``reference``), so these checks stay quiet there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import DataError
from ..core.model import KnowledgeGraph
from ..core.terms import INSTANCES
from .notices import notice
from .triples import read_text

__all__ = ["check_loaded", "locate", "located", "repeat_notices"]

_PREFIX_RE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def _mention(text: str, iri: str, start: int = 0) -> re.Match[str] | None:
    """The first mention of ``iri`` in a file's text from ``start``: ``<iri>``, or
    ``prefix:local`` with a prefix the text declares."""
    names = [re.escape(f"<{iri}>")]
    for prefix, ns in _PREFIX_RE.findall(text):
        if ns and iri.startswith(ns) and len(iri) > len(ns):
            names.append(re.escape(f"{prefix}:{iri[len(ns):]}") + r"(?![\w.:-]*[\w:-])")
    return re.compile("|".join(names)).search(text, start)


def locate(files: Sequence[Path], iri: str, then: str | None = None) -> str | None:
    """``file:line`` of the first mention of ``iri``, or with ``then``, of the first mention
    of ``then`` after it (the other end of one of its edges); None when not found.
    Complexity: O(size of the files); called only for an entity known to be at fault.
    """
    for path in files:
        try:
            text = read_text(path)
        except (DataError, OSError):
            continue
        found = _mention(text, iri)
        if found:
            after = _mention(text, then, found.end()) if then else None
            at = (after or found).start()
            return f"{path}:{text.count(chr(10), 0, at) + 1}"
    return None


def _where(files: Sequence[Path], iri: str, node: str) -> str:
    place = locate(files, iri) if files else None
    return f"{place}: {node}" if place else node


def check_loaded(kg: KnowledgeGraph, files: Sequence[Path]) -> list[str]:
    """Refuse an entity with two classes; notice (and return) each requirement on an
    undefined entity.  Complexity: O(V + R) for V nodes and R requirements, plus
    :func:`locate` per entity at fault.

    Raises
    ------
    DataError
        An entity typed with two of chokemap's classes (``file:line: id has two classes``).
    """
    g = kg.g
    for node, data in g.nodes(data=True):
        types = data.get("types")
        if types:
            count = {2: "two", 3: "three"}.get(len(types), str(len(types)))
            msg = (f"{_where(files, str(data.get('iri') or node), node)} has {count} classes "
                   f"({' and '.join(types)}); give it one (chokemap validate lists every such entity)")
            raise DataError(msg)
    out: list[str] = []
    for needed, item, _d in kg.edges_of("requires"):
        if g.nodes[needed].get("missing"):
            iri = needed if "://" in needed or needed.startswith("urn:") else INSTANCES + needed
            out.append(f"{_where(files, iri, item)} requires {needed!r}, which the data never "
                       "defines (no rdf:type): counted as unmet, so it is not available")
    for message in dict.fromkeys(out):
        notice(message)
    return list(dict.fromkeys(out))


def located(exc: DataError, files: Sequence[Path]) -> DataError:
    """``exc`` with ``file:line: `` before its message when it names the entity at fault
    (``exc.entity``, an IRI; ``exc.other``, the other end of its edge) and that entity is
    found in ``files``; else ``exc`` itself."""
    entity = getattr(exc, "entity", None)
    place = locate(files, entity, getattr(exc, "other", None)) if entity and files else None
    return DataError(f"{place}: {exc}") if place else exc


def repeat_notices(kg: KnowledgeGraph) -> None:
    """Notice again what :func:`check_loaded` noticed when ``kg`` was built (a cache hit)."""
    for message in kg.g.graph.get("notices", ()):
        notice(message)
