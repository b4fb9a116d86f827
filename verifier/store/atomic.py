"""Whole-file writes that land completely or not at all (temp file, fsync, rename)."""

from __future__ import annotations

import os
import tempfile
from typing import Callable

from verifier.errors import StoreError


def atomic_write(path: str, data: bytes) -> None:
    atomic_write_with(path, lambda fd: _write_all(fd, data))


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def atomic_write_with(path: str, fill: Callable[[int], None]) -> None:
    """``fill(fd)`` writes the new contents to a temporary file beside ``path``; it is then made
    durable and renamed over ``path``: readers see the old file or the new one, never a mix."""
    path = os.path.realpath(path)  # through a symlink: its target is replaced, the link kept
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.fchmod(fd, mode)
            fill(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:  # nothing half-written is left behind, whatever went wrong
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    _fsync_dir(directory)


def _fsync_dir(directory: str) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
