"""Writing output files whole or not at all.

Every file chokemap writes for a user (an imported graph, an export, an HTML page) goes
through :func:`write_atomic`: the text goes to a temporary file in the target's folder,
which is then renamed over the target, so a crash, a full disk or a concurrent reader
never sees half a file, and nothing is left behind on failure.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..core.errors import ChokemapError, DataError

__all__ = ["open_atomic", "write_atomic"]


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


@contextlib.contextmanager
def open_atomic(
    path: str | os.PathLike[str],
    error: type[ChokemapError] = DataError,
    hint: str = "give another path",
) -> Iterator[TextIO]:
    """A UTF-8 text file to write in pieces, which appears at ``path`` whole when the block
    ends, or not at all when it raises (as :func:`write_atomic`, for output too big to
    build in memory first)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        msg = f"cannot write {target}: folder {folder} does not exist; create it first or {hint}"
        raise error(msg)
    if target.is_dir():
        msg = f"cannot write {target}: it is a folder; {hint}"
        raise error(msg)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        msg = f"cannot write {target}: {exc.strerror}; {hint}"
        raise error(msg) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        msg = f"cannot write {target}: {exc.strerror}; {hint}"
        raise error(msg) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
