"""Reading files a repository (or a cache folder) holds without trusting them: a FIFO, a device
or a link to /dev/zero is never waited on or read without end, and a loop of symbolic links is
an OSError like any other file that cannot be reached."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def resolved(path: Path) -> Path:
    """`path.resolve()`, with a loop of symbolic links an OSError (Python 3.11 raises
    RuntimeError) and a NUL character a ValueError, as for every other path that cannot be."""
    try:
        return path.resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None


def open_regular(path: Path) -> int:
    """A descriptor of the regular file at `path`, opened without waiting (a FIFO never blocks
    the open); OSError when it cannot be opened or is not a regular file."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return handle


def read_regular(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of the regular file at `path`; None when it cannot be read, is
    not a regular file (a FIFO, a device, a folder), or is longer than `limit`."""
    try:
        with os.fdopen(open_regular(path), "rb") as stream:
            data = stream.read(limit + 1)
    except (OSError, ValueError):
        return None
    return data if len(data) <= limit else None


def read_head(path: Path, size: int) -> bytes | None:
    """The first `size` bytes of the regular file at `path`; None as for read_regular."""
    try:
        with os.fdopen(open_regular(path), "rb") as stream:
            return stream.read(size)
    except (OSError, ValueError):
        return None
