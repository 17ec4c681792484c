"""Two caches, keyed by the content of the files a run reads: compiled graphs and answers.

Parsing and projecting a large graph takes seconds; unpickling the projection takes a
fraction of that.  Answering a question on a large graph takes seconds more; printing a
stored answer takes none.  Both caches live in the user's cache folder
(``$XDG_CACHE_HOME/chokemap``, by default ``~/.cache/chokemap``):

* ``graphs/``: one compiled graph per set of input files, named by a SHA-256 of
  chokemap's code (its version and the bytes of its modules) and each file's path and
  bytes: change a byte of the data or of the code and the key changes.  Only the newest
  :data:`MAX_GRAPHS` are kept;
* ``answers/``: the printed answer (and exit status) of a query command, named by the
  graph's key, the command, every option (the date resolved) and today's date.  Only the
  newest :data:`MAX_ANSWERS` are kept.

Neither is trusted blindly: an entry is written to a temporary file and renamed into
place (so concurrent runs never see half a file), carries its own key and version, and a
corrupt, truncated or foreign entry is deleted and rebuilt, never crashed on.  Set
``CHOKEMAP_NO_CACHE=1`` or pass ``--no-cache`` to bypass both, ``CHOKEMAP_NO_ANSWER_CACHE=1``
to bypass the answers only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .. import __version__

if TYPE_CHECKING:
    from ..core.model import KnowledgeGraph

__all__ = [
    "MAX_ANSWERS",
    "MAX_GRAPHS",
    "answer_key",
    "answers_enabled",
    "cache_dir",
    "code_fingerprint",
    "enabled",
    "get",
    "get_answer",
    "key_for",
    "put",
    "put_answer",
]

_MAGIC = "chokemap-graph-cache"
_ANSWER_MAGIC = "chokemap-answer"
_FORMAT = 3

#: How many answers the answer cache keeps (the oldest are deleted first).
MAX_ANSWERS = 500
#: How many compiled graphs the graph cache keeps (each edit of the data or the code makes one).
MAX_GRAPHS = 16

#: The ``graph`` package (this module is in ``graph/io``).
_PACKAGE = Path(__file__).resolve().parent.parent


def enabled() -> bool:
    """False when ``CHOKEMAP_NO_CACHE`` is set to a non-empty value other than 0."""
    return os.environ.get("CHOKEMAP_NO_CACHE", "") in ("", "0")


def answers_enabled() -> bool:
    """False when either cache is off, or ``CHOKEMAP_NO_ANSWER_CACHE`` is set (answers
    asked afresh from the cached graph: what a benchmark of the engine wants)."""
    return enabled() and os.environ.get("CHOKEMAP_NO_ANSWER_CACHE", "") in ("", "0")


def cache_dir(kind: str = "graphs") -> Path:
    """``$XDG_CACHE_HOME/chokemap/<kind>`` (``~/.cache/chokemap/graphs`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chokemap" / kind


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A SHA-256 of chokemap's version and the bytes of its code (the ``graph`` package,
    its templates and shapes, ``cli.py`` and the ``commands`` package): an edit to the
    code invalidates both caches.

    Complexity: O(size of the code), about 2 ms; computed once per process.
    """
    h = hashlib.sha256(f"{__version__}".encode())
    parts = sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".ttl", ".html", ".js",
                                                                                    ".css", ".j2"))
    cli = _PACKAGE.parent / "cli.py"
    commands = sorted((_PACKAGE.parent / "commands").glob("*.py"))
    for path in [*parts, *([cli] if cli.is_file() else []), *commands]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def key_for(files: Sequence[Path]) -> str | None:
    """The cache key of a set of files: SHA-256 over the code, the paths and contents.

    Returns None when caching is off.  A file's digest is remembered for the rest of the
    process (keyed by its size and modification time), so a run hashes each file once.
    Complexity: O(total bytes), about 1 GB/s.
    """
    if not enabled():
        return None
    h = hashlib.sha256(f"{_MAGIC}:{_FORMAT}:{code_fingerprint()}".encode())
    for path in files:
        st = path.stat()
        h.update(str(path.resolve()).encode("utf-8", "surrogateescape") + b"\0")
        h.update(_file_digest(path, st.st_size, st.st_mtime_ns, st.st_ino) + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=256)
def _file_digest(path: Path, _size: int, _mtime_ns: int, _inode: int) -> bytes:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.digest()


def _path(key: str) -> Path:
    return cache_dir() / f"{key}.pickle"


def get(key: str) -> KnowledgeGraph | None:
    """The cached graph for ``key``, or None (missing, unreadable, corrupt, or stale)."""
    from ..core.model import KnowledgeGraph

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
    entry = {"magic": _MAGIC, "format": _FORMAT, "version": __version__, "key": key, "graph": kg}
    _store(_path(key), lambda fh: pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL), MAX_GRAPHS)


def _store(path: Path, write: Callable[[BinaryIO], object], keep: int) -> None:
    """Write an entry through ``write`` to a temporary file, rename it into place, then
    keep the ``keep`` newest entries of its kind; a disk that refuses is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
            os.replace(tmp, path)
        except BaseException:
            _discard(Path(tmp))
            raise
        _prune(path.parent, keep, f"*{path.suffix}")
    except OSError:
        return  # a read-only or full disk only costs speed


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):  # already gone, or not ours to delete: rebuilding still works
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- answers


def answer_key(graph_key: str, question: dict[str, Any]) -> str:
    """The key of one question (command, options, today's date: plain JSON values) asked
    of the graph whose key is ``graph_key``.  Complexity: O(size of the question)."""
    text = json.dumps(question, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{_ANSWER_MAGIC}:{graph_key}:{text}".encode()).hexdigest()


def _answer_path(key: str) -> Path:
    return cache_dir("answers") / f"{key}.json"


def get_answer(key: str) -> Any:
    """The stored answer (plain JSON data) for ``key``, or None (missing, damaged, foreign)."""
    path = _answer_path(key)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # unreadable, truncated, not UTF-8, not JSON: ask again
        _discard(path)
        return None
    ok = (isinstance(entry, dict) and entry.get("magic") == _ANSWER_MAGIC and entry.get("format") == _FORMAT
          and entry.get("key") == key and "answer" in entry)
    if not ok:
        _discard(path)
        return None
    return entry["answer"]


def put_answer(key: str, answer: Any) -> None:
    """Store an answer (plain JSON data) atomically, then keep only the newest
    :data:`MAX_ANSWERS`.

    Complexity: O(size of the answer + entries) (the folder is listed to prune it).
    """
    entry = {"magic": _ANSWER_MAGIC, "format": _FORMAT, "key": key, "answer": answer}
    data = json.dumps(entry).encode("ascii")  # escapes keep any text, even a lone surrogate
    _store(_answer_path(key), lambda fh: fh.write(data), MAX_ANSWERS)


def _prune(folder: Path, keep: int, pattern: str) -> None:
    """Delete all but the ``keep`` newest entries.  O(entries)."""
    entries = []
    for p in folder.glob(pattern):
        with contextlib.suppress(OSError):  # deleted by a concurrent run meanwhile
            entries.append((p.stat().st_mtime_ns, p))
    entries.sort(reverse=True)
    for _mtime, p in entries[keep:]:
        _discard(p)
