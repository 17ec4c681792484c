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
from ..core.vocab import CMI
from .notices import notice
from .triples import read_text

__all__ = ["check_loaded", "locate"]

_PREFIX_RE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def locate(files: Sequence[Path], iri: str) -> str | None:
    """``file:line`` of the first mention of ``iri`` (written ``<iri>`` or ``prefix:local``
    with a prefix the file declares), or None.  Complexity: O(size of the files); it is
    called only for an entity already known to be at fault.
    """
    for path in files:
        try:
            text = read_text(path)
        except (DataError, OSError):
            continue
        names = [re.escape(f"<{iri}>")]
        for prefix, ns in _PREFIX_RE.findall(text):
            if ns and iri.startswith(ns) and len(iri) > len(ns):
                names.append(re.escape(f"{prefix}:{iri[len(ns):]}") + r"(?![\w.:-]*[\w:-])")
        found = re.search("|".join(names), text)
        if found:
            return f"{path}:{text.count(chr(10), 0, found.start()) + 1}"
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
            iri = needed if "://" in needed or needed.startswith("urn:") else str(CMI) + needed
            out.append(f"{_where(files, iri, item)} requires {needed!r}, which the data never "
                       "defines (no rdf:type): counted as unmet, so it is not available")
    for message in dict.fromkeys(out):
        notice(message)
    return list(dict.fromkeys(out))
