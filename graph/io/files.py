"""Writing output files whole or not at all.

Every file chokemap writes for a user (an imported graph, an export, an HTML page) goes
through :func:`write_atomic`: the text goes to a temporary file in the target's folder,
which is then renamed over the target, so a crash, a full disk or a concurrent reader
never sees half a file, and nothing is left behind on failure.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..core.errors import ChokemapError, DataError

__all__ = ["TMP_PREFIX", "open_atomic", "sweep", "write_atomic"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(
    path: str | os.PathLike[str],
    text: str,
    error: type[ChokemapError] = DataError,
    hint: str = "give another path",
) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically; return the path.

    The file gets the usual permissions (0666 less the umask), not the private ones of a
    temporary file.  Complexity: O(len(text)).

    Raises
    ------
    ChokemapError (the class given as ``error``)
        The folder is missing, the target is a folder, or the disk refuses the write;
        the message ends with ``hint``.
    """
    with open_atomic(path, error, hint) as fh:
        fh.write(text)
    return Path(path)


#: Temporary files are named so: a run killed mid-write leaves one, and the next write to
#: the same folder removes it (:func:`sweep`).
TMP_PREFIX = ".chokemap-tmp-"
#: A temporary file untouched this long, whose run is gone, is left over (seconds).
STALE_AFTER = 60.0
#: One untouched this long is left over whatever its process id says (another host's run).
ABANDONED_AFTER = 24 * 3600.0


@contextlib.contextmanager
def open_atomic(
    path: str | os.PathLike[str],
    error: type[ChokemapError] = DataError,
    hint: str = "give another path",
) -> Iterator[TextIO]:
    """A UTF-8 text file to write in pieces, which appears at ``path`` whole when the block
    ends, or not at all when it raises (as :func:`write_atomic`, for output too big to
    build in memory first).

    A symbolic link is followed: its target is replaced, the link kept.  An existing
    target that is not a regular file (a device such as ``/dev/null`` or ``/dev/stdout``,
    a FIFO) is written to directly, never replaced.  Temporary files are named
    :data:`TMP_PREFIX`, and those a killed run left in the folder are removed first.
    """
    target = Path(path)
    if _system_path(target):
        # /dev/stdout, /dev/fd/N, /proc/self/fd/N: links to whatever the descriptor holds (a
        # pipe, a terminal, the file a shell redirected to); open them, never rename over them
        with _direct(target, path, error, hint) as fh:
            yield fh
        return
    with contextlib.suppress(OSError, RuntimeError):
        if target.is_symlink():
            target = target.resolve(strict=False)  # write the link's target; keep the link
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        msg = f"cannot write {path}: {exc.strerror}; {hint}"
        raise error(msg) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        msg = f"cannot write {path}: it is a folder; {hint}"
        raise error(msg)
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _direct(target, path, error, hint) as fh:
            yield fh
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        msg = f"cannot write {path}: folder {folder} does not exist; create it first or {hint}"
        raise error(msg)
    sweep(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=f"-{target.name}", dir=folder)
    except OSError as exc:
        msg = f"cannot write {path}: {exc.strerror}; {hint}"
        raise error(msg) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        msg = f"cannot write {path}: {exc.strerror}; {hint}"
        raise error(msg) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _direct(target: Path, shown: str | os.PathLike[str], error: type[ChokemapError],
            hint: str) -> Iterator[TextIO]:
    """Write straight into a device or FIFO (there is nothing to replace atomically)."""
    try:
        fh = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        msg = f"cannot write {shown}: {exc.strerror}; {hint}"
        raise error(msg) from None
    try:
        yield fh
        fh.close()
    except OSError as exc:
        with contextlib.suppress(OSError):
            fh.close()
        msg = f"cannot write {shown}: {exc.strerror}; {hint}"
        raise error(msg) from None
    finally:
        if not fh.closed:
            with contextlib.suppress(OSError):
                fh.close()


def _system_path(target: Path) -> bool:
    """Whether ``target`` (or where its links lead) is a descriptor link (``/dev/stdout``,
    ``/dev/fd/N``, ``/proc/...``), never to be replaced.  Devices are found by their mode."""
    if os.name != "posix":
        return False
    try:
        real = os.path.realpath(target)
    except (OSError, RuntimeError, ValueError):
        real = str(target)
    magic = ("/proc/", "/dev/fd/", "/dev/stdin", "/dev/stdout", "/dev/stderr")
    return any(str(p).startswith(magic) for p in (os.path.abspath(target), real))


def sweep(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files a killed run left in ``folder``; return them.

    A file named :data:`TMP_PREFIX` ``<pid>-...`` is left over when it has not been
    written for :data:`STALE_AFTER` seconds and no process ``<pid>`` runs here, or when it
    has not been written for :data:`ABANDONED_AFTER` seconds.  A live run's file (its
    process running, or written to within the minute) is kept.  Complexity: O(entries of
    the folder).
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(folder.glob(f"{TMP_PREFIX}*"))
    except OSError:
        return []
    for entry in entries:
        try:
            age = now - entry.lstat().st_mtime
        except OSError:
            continue
        pid = entry.name[len(TMP_PREFIX):].split("-", 1)[0]
        if age > ABANDONED_AFTER or (age > STALE_AFTER and not _running(pid)):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def _running(pid: str) -> bool:
    """Whether a process with this id runs on this machine (unknown counts as running)."""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # exists but is not ours, or cannot tell
    return True
