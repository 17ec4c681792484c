"""Two caches, keyed by the content of the files a run reads: compiled graphs and answers.

Parsing and projecting a large graph takes seconds; unpickling the projection takes a
fraction of that.  Answering a question on a large graph takes seconds more; printing a
stored answer takes none.  Both caches live in the user's cache folder
(``$XDG_CACHE_HOME/chokemap``, by default ``~/.cache/chokemap``):

* ``graphs/``: one compiled graph per set of input files, named by a SHA-256 of
  chokemap's code (its version and the bytes of its modules) and each file's path and
  bytes: change a byte of the data or of the code and the key changes; its edges in a
  ``.edges`` file beside it, read (and checked) only when a question uses them.  Only
  the newest :data:`MAX_GRAPHS` are kept;
* ``models/``: the engine's compiled supply model of one date class of a cached graph
  (:mod:`graph.engine.compiled`), named by the graph's key and the class, and what is
  worked out from it or from the graph alone (item graph, end products, policies, the
  name index).  Only the newest :data:`MAX_MODELS` are kept;
* ``answers/``: the printed answer (and exit status) of a query command, named by the
  graph's key, the command, every option (the date resolved) and today's date.  Only the
  newest :data:`MAX_ANSWERS` are kept;
* ``digests/``: the SHA-256 of each data file's bytes, remembered under the file's
  identity (path, device, inode, size, modification and change times in nanoseconds), so
  that a run need not read a large file through to name its cache entries.  Any write to
  a file moves its change time, which no program can set back; a file changed in the last
  :data:`SETTLED_NS` nanoseconds is hashed every time and not remembered (a coarse clock
  could hide a second write within one tick).

Entries are mapped, not read: a question touches the pages it unpickles straight from
the system's file cache, and the flat arrays in an entry (the engine's integer columns,
numpy arrays) lie out of band after its pickle, each at an 8-byte boundary, and are read
in place as views (:func:`_dumps`, :func:`_loads`); copying them into fresh memory cost a
page fault per 4 KiB, a tenth of a warm question at M.

Neither is trusted blindly.  Every entry carries an HMAC-SHA256 of its bytes (and its
key), made with a per-user secret kept in ``key`` (mode 0600) in the cache folder, and
checked before anything is unpickled or replayed: whoever can write the folder but not
read the secret cannot plant an entry.  A cache folder owned by another user, or
writable by others, is refused (:class:`CacheError`: run with ``--no-cache``).  An entry is written to a temporary file and renamed into
place (so concurrent runs never see half a file), carries its own key and version, and a
corrupt, truncated or foreign entry is deleted and rebuilt, never crashed on.  Set
``CHOKEMAP_NO_CACHE=1`` or pass ``--no-cache`` to bypass both, ``CHOKEMAP_NO_ANSWER_CACHE=1``
to bypass the answers only.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import hmac
import json
import mmap
import os
import pickle
import stat
import struct
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..core.errors import ChokemapError

if TYPE_CHECKING:
    from ..core.model import KnowledgeGraph

__all__ = [
    "CacheError",
    "MAX_ANSWERS",
    "MAX_DIGESTS",
    "MAX_GRAPHS",
    "MAX_MODELS",
    "answer_key",
    "answers_enabled",
    "cache_dir",
    "code_fingerprint",
    "enabled",
    "get",
    "get_answer",
    "get_model",
    "graph_model_key",
    "kept",
    "model_key",
    "paused_gc",
    "key_for",
    "put",
    "put_answer",
    "put_model",
]

_MAGIC = "chokemap-graph-cache"
_ANSWER_MAGIC = "chokemap-answer"
_MODEL_MAGIC = "chokemap-supply-model"
_FORMAT = 7
#: What every entry file starts with, before its 32-byte HMAC.
_SEAL = b"chokemap-sealed-1\n"
_BODY_AT = len(_SEAL) + 32  # where a sealed file's payload starts: after its mark and HMAC
_SECRET = "key"

#: How many answers the answer cache keeps (the oldest are deleted first).
MAX_ANSWERS = 500
#: How many compiled graphs the graph cache keeps (each edit of the data or the code makes one).
MAX_GRAPHS = 16

#: How many entries the model cache keeps: per graph, its static fields, policies and name
#: index; per date class, its supply model, item graph, end products and ranking keys.
MAX_MODELS = 64

#: How many data files' digests are remembered (the most recently hashed).
MAX_DIGESTS = 256
#: A file whose last change is more recent than this (nanoseconds) is not remembered.
SETTLED_NS = 5_000_000_000

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

    Returns None when caching is off.  A file's digest is remembered across runs under
    its identity (see the module docstring: ``digests/``) and for the rest of the process
    (keyed by its size and modification time), so a settled file is hashed once.
    Complexity: O(files) for remembered files; O(total bytes), about 1 GB/s, otherwise.

    Raises
    ------
    CacheError
        The cache folder is another user's or writable by others.
    """
    if not enabled():
        return None
    h = hashlib.sha256(f"{_MAGIC}:{_FORMAT}:{code_fingerprint()}".encode())
    known = _digests()
    learnt = False
    for path in files:
        st = path.stat()
        resolved = str(path.resolve())
        ident = f"{resolved}\0{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
        digest = known.get(ident)
        if digest is None:
            digest = _file_digest(path, st.st_size, st.st_mtime_ns, st.st_ino).hex()
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
                known[ident] = digest
                learnt = True
        h.update(resolved.encode("utf-8", "surrogateescape") + b"\0")
        h.update(bytes.fromhex(digest) + b"\0")
    if learnt:
        while len(known) > MAX_DIGESTS:  # the oldest learnt first
            del known[next(iter(known))]
        _store(_digests_path(), _DIGESTS, json.dumps(known).encode("utf-8"), 1)
    return h.hexdigest()


_DIGESTS = "digests"

#: The digests read in this process, by the path of their entry (the cache folder may
#: change between calls: tests point ``XDG_CACHE_HOME`` elsewhere).
_REMEMBERED: dict[Path, dict[str, str]] = {}


def _digests_path() -> Path:
    return cache_dir(_DIGESTS) / f"{_DIGESTS}.json"


def _digests() -> dict[str, str]:
    """The remembered file digests (identity -> SHA-256 in hex), read once per process
    from the sealed ``digests`` entry; empty when there is none or it does not check.
    O(entries)."""
    path = _digests_path()
    known = _REMEMBERED.get(path)
    if known is None:
        known = {}
        payload = _read_sealed(path, _DIGESTS)
        try:
            data = json.loads(str(payload, "utf-8")) if payload is not None else {}
        except ValueError:  # not UTF-8, not JSON: forget it
            data = {}
        if isinstance(data, dict):
            known = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)
                     and len(v) == 64 and all(c in "0123456789abcdef" for c in v)}
        _REMEMBERED[path] = known
    return known


@functools.lru_cache(maxsize=256)
def _file_digest(path: Path, _size: int, _mtime_ns: int, _inode: int) -> bytes:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.digest()


class CacheError(ChokemapError):
    """The cache folder is not safe to read (another user's, or writable by others)."""


def _path(key: str) -> Path:
    return cache_dir() / f"{key}.pickle"


def _check_folder(folder: Path) -> None:
    """Refuse a cache folder that another user owns or others may write to.

    Raises
    ------
    CacheError
        With what is wrong and the way out (``--no-cache``).
    """
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return
    except OSError:
        return  # unreadable: reads fail too, and only cost speed
    problem = ""
    if not stat.S_ISDIR(st.st_mode):
        problem = "not a folder"
    elif hasattr(os, "getuid") and st.st_uid != os.getuid():
        problem = f"owned by another user (uid {st.st_uid})"
    elif st.st_mode & 0o022:
        problem = f"writable by others (mode {stat.S_IMODE(st.st_mode):o})"
    if problem:
        msg = (f"the cache folder {folder} is {problem}, so its entries cannot be trusted; "
               "fix it (chmod go-w, or remove it) or run with --no-cache")
        raise CacheError(msg)


def _secret(create: bool) -> bytes | None:
    """The per-user HMAC key (32 random bytes in ``key``, mode 0600), made on first use.

    Returns None when there is none and it cannot (or need not) be made: caching is then
    skipped.  Raises :class:`CacheError` when the key file is another user's or readable by
    others (anyone who can read it can forge entries).
    """
    root = cache_dir("")
    _check_folder(root)
    path = root / _SECRET
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return _new_secret(path) if create else None
    except OSError as exc:
        msg = (f"the cache key {path} cannot be read ({exc.strerror}); remove it, "
               "or run with --no-cache")
        raise CacheError(msg) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & 0o077:
            msg = (f"the cache key {path} is another user's or readable by others; remove it "
                   "(a new one is made), or run with --no-cache")
            raise CacheError(msg)
        secret = fh.read(64)
    return secret if len(secret) == 32 else None


def _new_secret(path: Path) -> bytes | None:
    """Make the key file atomically (written whole under a temporary name, then linked)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _check_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-key-", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # a concurrent run made it first: use theirs
        finally:
            _discard(Path(tmp))
    except OSError:
        return None  # a read-only or full disk only costs speed
    return _secret(create=False)


def _mac(secret: bytes, key: str, payload: bytes | memoryview) -> bytes:
    """The HMAC-SHA256 of the key and the payload, fed in turn (no copy of the payload:
    entries of a large graph are hundreds of megabytes).  O(size)."""
    mac = hmac.new(secret, key.encode("ascii") + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.digest()


def _header(secret: bytes, key: str, payload: bytes) -> bytes:
    """The header of a sealed entry: its mark and its HMAC (the payload follows it)."""
    return _SEAL + _mac(secret, key, payload)


def _unseal(secret: bytes, key: str, data: bytes | mmap.mmap) -> memoryview | None:
    """The payload (a view into ``data``, not a copy) when the entry's HMAC is right (made
    with this user's key for this key), else None; nothing of it is interpreted before."""
    view = memoryview(data)
    if len(view) < _BODY_AT or view[:len(_SEAL)] != _SEAL:
        return None
    mac, payload = bytes(view[len(_SEAL):_BODY_AT]), view[_BODY_AT:]
    return payload if hmac.compare_digest(mac, _mac(secret, key, payload)) else None


def _read_sealed(path: Path, key: str) -> memoryview | None:
    """The checked payload of an entry, or None (missing, damaged, forged, or a file that
    is not this user's alone: then deleted).

    The file is mapped, not read: its pages come from the system's file cache as they are
    checked and unpickled, where reading it first copied it into fresh memory (a page
    fault per 4 KiB: at M a tenth of a warm question).  Entries are only ever replaced
    whole (written beside and renamed), never changed in place, so the mapping keeps the
    bytes its HMAC was checked on; a file another user owns, or others may write, is
    refused before it is mapped, as its folder is (:func:`_check_folder`).
    """
    _check_folder(path.parent)
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & 0o022:
                data: bytes | mmap.mmap = b""  # not ours alone: as damaged
            else:
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if st.st_size else b""
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        _discard(path)
        return None
    secret = _secret(create=False)
    payload = _unseal(secret, key, data) if secret else None
    if payload is None:
        _discard(path)
    return payload


def get(key: str) -> KnowledgeGraph | None:
    """The cached graph for ``key``, or None (missing, unreadable, corrupt, forged or stale).

    Nothing is unpickled before the entry's HMAC is checked against this user's key.

    Raises
    ------
    CacheError
        The cache folder is another user's or writable by others.
    """
    from ..core.lazy import LazyGraph, blob_kept_apart, read_blob_with
    from ..core.model import KnowledgeGraph

    kg = _entry(_path(key), key, _MAGIC, "graph", KnowledgeGraph)
    if kg is not None and isinstance(kg.g, LazyGraph) and blob_kept_apart(kg.g):
        edges = _edges_path(key)
        if not edges.is_file():  # pruned or deleted: the entry is no use without it
            _discard(_path(key))
            return None
        read_blob_with(kg.g, lambda: _read_edges(edges, key))
    return kg  # type: ignore[no-any-return]


def _edges_path(key: str) -> Path:
    return cache_dir() / f"{key}.edges"


def _read_edges(path: Path, key: str) -> memoryview:
    """The checked adjacency blob of a cached graph, read when the graph's edges are first
    used (:mod:`graph.core.lazy`).

    Raises
    ------
    CacheError
        The file went missing or was damaged since the graph was read (then the graph's
        entry is removed too, and the next run rebuilds it).
    """
    payload = _read_sealed(path, f"{key}.edges")
    if payload is None:
        _discard(_path(key))
        msg = "the graph cache lost this graph's edges while it was in use; run the command again"
        raise CacheError(msg)
    return payload


def _dumps(entry: dict[str, Any]) -> bytes:
    """An entry's payload: its pickle, then the large flat buffers in it (numpy arrays,
    and the arrays and blobs the engine wraps in :class:`pickle.PickleBuffer`) out of band,
    each at an 8-byte boundary of the file, so that reading maps them where they lie
    instead of copying them (:func:`_loads`).  Laid out as: the number of buffers, the
    pickle's length and each buffer's (8-byte little-endian counts), the pickle, the
    buffers.  O(size)."""
    bufs: list[pickle.PickleBuffer] = []
    body = pickle.dumps(entry, protocol=5, buffer_callback=bufs.append)
    raws = [b.raw() for b in bufs]
    parts: list[bytes | memoryview] = [struct.pack(f"<{len(raws) + 2}Q", len(raws), len(body),
                                                   *(r.nbytes for r in raws)), body]
    at = _BODY_AT + 8 * (len(raws) + 2) + len(body)
    for r in raws:
        pad = -at % 8
        parts += [bytes(pad), r]
        at += pad + r.nbytes
    return b"".join(parts)


def _loads(payload: memoryview) -> Any:
    """The entry :func:`_dumps` made, its out-of-band buffers read in place (views of
    ``payload``: a numpy array comes back read-only, a wrapped buffer as a memoryview).
    Raises ValueError when the layout does not add up.  O(size of the pickle)."""
    (count,) = struct.unpack_from("<Q", payload, 0)
    if count > len(payload) // 8:
        msg = "damaged entry"
        raise ValueError(msg)
    sizes = struct.unpack_from(f"<{count + 1}Q", payload, 8)
    at = 8 * (count + 2)
    body, at = payload[at:at + sizes[0]], at + sizes[0]
    bufs = []
    for n in sizes[1:]:
        at += -(_BODY_AT + at) % 8
        bufs.append(payload[at:at + n])
        at += n
    if at != len(payload):
        msg = "damaged entry"
        raise ValueError(msg)
    return pickle.loads(body, buffers=bufs)  # noqa: S301 - sealed with this user's key, checked by the caller


def _entry(path: Path, key: str, magic: str, field: str, kind: type) -> Any:
    """The ``field`` of the sealed entry at ``path`` if it is a ``kind``, or None (missing, damaged, forged,
    stale or foreign; the file is then removed).  Nothing is unpickled before the HMAC is
    checked against this user's key; the collector is paused while it is read (millions of
    small objects, no cycles).  O(size of the entry)."""
    payload = _read_sealed(path, key)
    if payload is None:
        return None
    try:
        with paused_gc():
            entry = _loads(payload)
    except Exception:  # noqa: BLE001 - any damage means: rebuild
        entry = None
    ok = (isinstance(entry, dict) and entry.get("magic") == magic and entry.get("format") == _FORMAT
          and entry.get("version") == __version__ and entry.get("key") == key and isinstance(entry.get(field), kind))
    if not ok:
        _discard(path)
        return None
    return entry[field]


def put(key: str, kg: KnowledgeGraph) -> None:
    """Store a graph under ``key`` atomically, sealed; a cache that cannot be written is skipped."""
    from ..core.lazy import LazyGraph, take_blob

    stored = kg.for_cache()
    if isinstance(stored.g, LazyGraph):  # the edges in a file of their own, written first
        _store(_edges_path(key), f"{key}.edges", take_blob(stored.g), MAX_GRAPHS)
    entry = {"magic": _MAGIC, "format": _FORMAT, "version": __version__, "key": key, "graph": stored}
    _store(_path(key), key, _dumps(entry), MAX_GRAPHS)


def _store(path: Path, key: str, payload: bytes, keep: int) -> None:
    """Write a sealed entry to a temporary file, rename it into place, then keep the
    ``keep`` newest entries of its kind; a disk that refuses is skipped."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _check_folder(path.parent)
        secret = _secret(create=True)
        if secret is None:
            return
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_header(secret, key, payload))
                fh.write(payload)
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


# --------------------------------------------------------------------------- compiled models


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while millions of small acyclic objects are made (a
    compiled model: with a large graph in memory, each collection walks all of it, and
    they come every few hundred allocations).  Resumed after, if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def model_key(graph_key: str, date_class: str) -> str:
    """The key of the compiled supply model of one date class (a plain text naming it)
    of the graph whose key is ``graph_key``.  O(1)."""
    return hashlib.sha256(f"{_MODEL_MAGIC}:{_FORMAT}:{graph_key}:{date_class}".encode()).hexdigest()


def _model_path(key: str) -> Path:
    return cache_dir("models") / f"{key}.pickle"


def graph_model_key(graph_key: str | None, name: str) -> str | None:
    """The model cache key of ``name`` for the cached graph ``graph_key`` (:func:`model_key`),
    or None when there is nothing to key it by (no graph key) or caching is off.  O(1)."""
    return model_key(graph_key, name) if graph_key is not None and enabled() else None


def kept(key: str | None, make: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """A value worked out from a cached graph, kept in the model cache under ``key``: the
    stored value when it is ``valid``, else ``make()``, then stored.  With no key (nothing
    cached), ``make()``.  O(size) to read or write, plus ``make`` when not stored."""
    if key is not None:
        got = get_model(key)
        if got is not None and set(got) == {"value"} and valid(got["value"]):
            return got["value"]
    value = make()
    if key is not None:
        put_model(key, {"value": value})
    return value


def get_model(key: str) -> dict[str, Any] | None:
    """The stored fields of something compiled from a cached graph: a supply model of a
    date class (dicts and lists of the engine's ``Link`` tuples, dates, strings, numbers),
    its item graph (lists of strings, numpy arrays), the exact-name index of
    :mod:`graph.queries.lookup`; or None (missing,
    damaged, forged, foreign).  Nothing is unpickled before the entry's HMAC is checked
    against this user's key, as for graphs.  Complexity: O(size of the entry); the
    collector is paused while it is read (millions of small objects, no cycles).

    Raises
    ------
    CacheError
        The cache folder is another user's or writable by others.
    """
    return _entry(_model_path(key), key, _MODEL_MAGIC, "fields", dict)  # type: ignore[no-any-return]


def put_model(key: str, fields: dict[str, Any]) -> None:
    """Store a compiled model's fields under ``key`` atomically, sealed, then keep only the
    newest :data:`MAX_MODELS`; a cache that cannot be written is skipped.  O(size)."""
    entry = {"magic": _MODEL_MAGIC, "format": _FORMAT, "version": __version__, "key": key, "fields": fields}
    with paused_gc():
        payload = _dumps(entry)
    _store(_model_path(key), key, payload, MAX_MODELS)


# --------------------------------------------------------------------------- answers


def answer_key(graph_key: str, question: dict[str, Any]) -> str:
    """The key of one question (command, options, today's date: plain JSON values) asked
    of the graph whose key is ``graph_key``.  Complexity: O(size of the question)."""
    text = json.dumps(question, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{_ANSWER_MAGIC}:{graph_key}:{text}".encode()).hexdigest()


def _answer_path(key: str) -> Path:
    return cache_dir("answers") / f"{key}.json"


def get_answer(key: str) -> Any:
    """The stored answer (plain JSON data) for ``key``, or None (missing, damaged, forged,
    foreign); its HMAC is checked before the JSON is read.

    Raises
    ------
    CacheError
        The cache folder is another user's or writable by others.
    """
    path = _answer_path(key)
    payload = _read_sealed(path, key)
    if payload is None:
        return None
    try:
        entry = json.loads(str(payload, "utf-8"))
    except ValueError:  # truncated, not UTF-8, not JSON: ask again
        _discard(path)
        return None
    ok = (isinstance(entry, dict) and entry.get("magic") == _ANSWER_MAGIC and entry.get("format") == _FORMAT
          and entry.get("key") == key and "answer" in entry)
    if not ok:
        _discard(path)
        return None
    return entry["answer"]


def put_answer(key: str, answer: Any) -> None:
    """Store an answer (plain JSON data) atomically and sealed, then keep only the newest
    :data:`MAX_ANSWERS`.

    Complexity: O(size of the answer + entries) (the folder is listed to prune it).
    """
    entry = {"magic": _ANSWER_MAGIC, "format": _FORMAT, "key": key, "answer": answer}
    data = json.dumps(entry).encode("ascii")  # escapes keep any text, even a lone surrogate
    _store(_answer_path(key), key, data, MAX_ANSWERS)


def _prune(folder: Path, keep: int, pattern: str) -> None:
    """Delete all but the ``keep`` newest entries.  O(entries)."""
    entries = []
    for p in folder.glob(pattern):
        with contextlib.suppress(OSError):  # deleted by a concurrent run meanwhile
            entries.append((p.stat().st_mtime_ns, p))
    entries.sort(reverse=True)
    for _mtime, p in entries[keep:]:
        _discard(p)
