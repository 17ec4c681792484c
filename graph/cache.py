"""A cache of compiled graphs, keyed by the content of the files they came from.

Parsing and projecting a large graph takes seconds; unpickling the projection takes a
fraction of that.  The cache lives in the user's cache folder (``$XDG_CACHE_HOME/chokemap``,
by default ``~/.cache/chokemap``), one file per set of input files, named by a SHA-256 of
chokemap's version and each file's path and bytes: change a byte and the key changes.

It is never trusted blindly: an entry is written to a temporary file and renamed into
place (so concurrent runs never see half a file), carries its own key and version, and a
corrupt, truncated or foreign entry is deleted and rebuilt, never crashed on.  Set
``CHOKEMAP_NO_CACHE=1`` or pass ``--no-cache`` to bypass it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["cache_dir", "key_for", "get", "put", "enabled"]

_MAGIC = "chokemap-graph-cache"
_FORMAT = 1


def enabled() -> bool:
    """False when ``CHOKEMAP_NO_CACHE`` is set to a non-empty value other than 0."""
    return os.environ.get("CHOKEMAP_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/chokemap/graphs`` (``~/.cache/chokemap/graphs`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chokemap" / "graphs"


def key_for(files: Sequence[Path]) -> str | None:
    """The cache key of a set of files: SHA-256 over version, paths and contents.

    Returns None when caching is off.  Complexity: O(total bytes), about 1 GB/s.
    """
    if not enabled():
        return None
    h = hashlib.sha256(f"{_MAGIC}:{_FORMAT}:{__version__}".encode())
    for path in files:
        h.update(str(path.resolve()).encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"{key}.pickle"


def get(key: str) -> KnowledgeGraph | None:
    """The cached graph for ``key``, or None (missing, unreadable, corrupt, or stale)."""
    from .load import KnowledgeGraph

    path = _path(key)
    try:
        with path.open("rb") as fh:
            entry = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - any damage means: rebuild
        _discard(path)
        return None
    ok = (isinstance(entry, dict) and entry.get("magic") == _MAGIC and entry.get("format") == _FORMAT
          and entry.get("version") == __version__ and entry.get("key") == key
          and isinstance(entry.get("graph"), KnowledgeGraph))
    if not ok:
        _discard(path)
        return None
    return entry["graph"]  # type: ignore[no-any-return]


def put(key: str, kg: KnowledgeGraph) -> None:
    """Store a graph under ``key`` atomically; a cache that cannot be written is skipped."""
    path = _path(key)
    entry = {"magic": _MAGIC, "format": _FORMAT, "version": __version__, "key": key, "graph": kg}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            _discard(Path(tmp))
            raise
    except OSError:
        return  # a read-only or full disk only costs speed


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):  # already gone, or not ours to delete: rebuilding still works
        path.unlink(missing_ok=True)
