"""Loading: RDF files -> triples -> networkx projection, cached.

This is the only module that reads ``data/``.  :func:`load` gives the graph of the files
from the cache (:mod:`graph.io.cache`) when their contents are unchanged; otherwise it
parses them into a plain triple index and projects it onto a networkx graph
(:mod:`graph.io.project`, which needs rdflib: a graph from the cache never loads it), and
caches the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import DataError
from ..core.model import KnowledgeGraph
from ..core.progress import report
from .checks import check_loaded, located, repeat_notices
from .inputs import DEFAULT_DATA, RDF_SUFFIXES, resolve_paths
from .values import LENIENT

if TYPE_CHECKING:
    from rdflib import Graph

    from .triples import TripleIndex

__all__ = [
    "DEFAULT_DATA",
    "RDF_SUFFIXES",
    "load",
    "parse_files",
    "project",
    "read_index",
    "resolve_paths",
]


def parse_files(files: Sequence[Path]) -> Graph:
    """Parse RDF files into one rdflib graph (:func:`graph.io.project.parse_files`)."""
    from .project import parse_files as parse

    return parse(files)


def read_index(files: Sequence[Path]) -> TripleIndex:
    """Parse files into a triple index (:func:`graph.io.project.read_index`)."""
    from .project import read_index as read

    return read(files)


def project(source: Any, consume: bool = False) -> KnowledgeGraph:
    """Project triples onto a networkx graph (:func:`graph.io.project.project`)."""
    from .project import project as proj

    return proj(source, consume)


def load(
    paths: Sequence[str | Path] | None = None, lenient: bool = False, cache: bool = False
) -> KnowledgeGraph:
    """Load the bundled graph, or the files and folders given, into a KnowledgeGraph.

    Parameters
    ----------
    paths : sequence of str or Path, optional
        Files or folders (``--data``); the bundled ``data/`` when empty.
    lenient : bool
        Turn ill-typed values (a date like 2025-02-30) into None instead of raising,
        so that ``validate`` can report every problem at once.  Never cached.
    cache : bool
        Reuse the compiled graph from the user's cache folder when the files' contents
        are unchanged (see :mod:`graph.io.cache`), and store it after a fresh load.  Off by
        default: a library call writes nothing to disk unless asked; the command line
        (:class:`graph.session.Session`) turns it on.

    Raises
    ------
    DataError
        Missing paths, empty folders, bad encoding, bad syntax, ill-typed values, an
        entity with two classes (:func:`graph.io.checks.check_loaded`, which also notices
        requirements on undefined entities, again on every cache hit).
    """
    from . import cache as cache_mod

    files = resolve_paths(paths)
    key = cache_mod.key_for(files) if cache and not lenient else None
    if key is not None:
        hit = cache_mod.get(key)
        if hit is not None:
            repeat_notices(hit)
            hit.files = files
            hit.read_rdf_with(lambda: parse_files(files))
            hit.cache_key = key
            return hit
    index = read_index(files)
    report(f"building the graph from {index.count:,} triples", 0)
    token = LENIENT.set(lenient)
    try:
        kg = project(index, consume=True)
    except DataError as exc:
        raise located(exc, files) from None
    finally:
        LENIENT.reset(token)
    del index
    if not lenient:  # validate reports these as findings
        kg.g.graph["notices"] = check_loaded(kg, files)
    kg.files = files
    kg.read_rdf_with(lambda: parse_files(files))
    if key is not None:
        cache_mod.put(key, kg)
        kg.cache_key = key
    return kg
