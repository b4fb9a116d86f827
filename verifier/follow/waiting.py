"""Waiting between polls: a timer, woken early when a followed local file changes (watchfiles)."""

from __future__ import annotations

import os
import threading
from typing import Iterable


class Waiter:
    """``wait(seconds)`` returns early (True) when one of ``files`` changed on disk.

    The files' folders are watched, not the files: editors save by writing a
    new file and renaming it over the old one, which a watch on the file
    itself would lose.
    """

    def __init__(self, files: Iterable[str], stop: threading.Event | None = None) -> None:
        self.files = {os.path.abspath(f) for f in files}
        self.stop = stop or threading.Event()
        self._changed = threading.Event()
        self._stats = {f: self._stat(f) for f in self.files}
        self._thread: threading.Thread | None = None
        if self.files:
            self._thread = threading.Thread(target=self._watch, name="verifier-follow-watch", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        from watchfiles import watch

        folders = sorted({os.path.dirname(f) for f in self.files})
        try:
            for changes in watch(*folders, stop_event=self.stop, rust_timeout=500, yield_on_timeout=True,
                                 debounce=50, step=20, recursive=False):
                if any(os.path.abspath(path) in self.files for _, path in changes):
                    self._changed.set()
        except Exception:  # a watcher that cannot start: the timer still polls the files
            return

    @staticmethod
    def _stat(path: str) -> tuple[int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _moved(self) -> bool:
        """A change the watcher may have missed (it starts in its own thread): compare stats."""
        now = {f: self._stat(f) for f in self.files}
        moved = now != self._stats
        self._stats = now
        return moved

    def wait(self, seconds: float) -> bool:
        if self._moved():
            self._changed.clear()
            return True
        woke = self._changed.wait(timeout=max(0.0, seconds))
        self._changed.clear()
        if woke:
            self._moved()
        return woke and not self.stop.is_set()

    def close(self) -> None:
        self.stop.set()
        self._changed.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
