"""Which files a run reads: the ``--data`` arguments expanded, before anything is parsed.

Kept apart from :mod:`graph.io.load` (which needs rdflib and networkx) so that a run whose
answer is already cached (:mod:`graph.io.cache`) can name its inputs without loading them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ..core.errors import DataError
from .notices import notice

__all__ = ["DEFAULT_DATA", "RDF_SUFFIXES", "resolve_paths"]



def _bundled() -> Path:
    # Found through the package, so that a checkout, an editable install and a wheel
    # (which installs ``chokemap/graph`` beside ``chokemap/data``) all work.
    graph_package = (__package__ or "graph").rpartition(".")[0]
    return Path(str(resources.files(graph_package))).parent / "data"


#: The bundled graph: ``data/`` beside the ``graph/`` package.
DEFAULT_DATA = _bundled()

#: File suffixes read as RDF, and the rdflib parser name for each.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


def resolve_paths(paths: Sequence[str | Path] | None) -> list[Path]:
    """Expand ``--data`` arguments (files or folders) into a sorted list of RDF files.

    A file given twice (by the same name, two names, or a folder and a name) is read
    once, with a :func:`~graph.io.notices.notice`.  Complexity: O(entries of the folders given).

    Raises
    ------
    DataError
        A path does not exist or cannot be read, or a folder holds no RDF file.
    """
    if not paths:
        paths = [DEFAULT_DATA]
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            msg = f"{path}: no such file or folder (give a Turtle file or a folder of them)"
            raise DataError(msg)
        if path.is_dir():
            try:
                found = sorted(p for p in path.iterdir() if p.suffix.lower() in RDF_SUFFIXES)
            except OSError as exc:
                msg = f"{path}: cannot read the folder ({exc.strerror}); check its permissions"
                raise DataError(msg) from None
            if not found:
                kinds = ", ".join(f"*{s}" for s in RDF_SUFFIXES)
                msg = f"{path}: folder holds no RDF file ({kinds})"
                raise DataError(msg)
            files.extend(found)
        else:
            files.append(path)
    unique: dict[Path, Path] = {}  # one file given twice (or by two names) is read once
    for path in files:
        first = unique.setdefault(path.resolve(), path)
        if first is not path:
            also = "" if str(first) == str(path) else f" (also as {first})"
            notice(f"{path}: given twice{also}; read once, so its edges are not doubled")
    for path in unique.values():
        _check_readable(path)
    return list(unique.values())


def _check_readable(path: Path) -> None:
    """Raise a one-line :class:`DataError` when ``path`` cannot be opened for reading (no
    permission, a dangling link): before its digest, its parse or its validation."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block here
    except OSError as exc:
        msg = f"{path}: cannot read the file ({exc.strerror}); check its permissions"
        raise DataError(msg) from None
    os.close(fd)
