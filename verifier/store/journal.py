"""An append-only, fsync'd log of small changes (verdicts, notes, cluster edits).

A verdict must be on disk before the screen says so, and rewriting a 40 MB
database per keystroke takes most of a second. So each change is one JSON
line appended and fsync'd (a few ms); the store folds the journal into the
TinyDB file in batches. Entries carry a sequence number and the database
records the last one folded, so replaying after a crash between the fold and
the truncation applies nothing twice.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterator

from verifier.errors import CorruptDatabaseError, StoreError


class Journal:
    def __init__(self, db_path: str) -> None:
        self.path = db_path + ".journal"
        self._fh = None

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every complete entry; a torn last line (a write cut short) is ignored."""
        try:
            with open(self.path, "rb") as fh:
                lines = fh.read().split(b"\n")
        except FileNotFoundError:
            return
        for n, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                if n == len(lines) - 1:  # no newline after it: the append never finished
                    return
                raise CorruptDatabaseError(f"{self.path}: damaged journal entry at line {n + 1}") from None
            yield entry

    def _repair_tail(self) -> None:
        """Cut a torn last line so the next append starts on a line of its own."""
        try:
            with open(self.path, "rb+") as fh:
                data = fh.read()
                if data and not data.endswith(b"\n"):
                    fh.truncate(data.rfind(b"\n") + 1)
        except FileNotFoundError:
            pass

    def append(self, entry: dict[str, Any]) -> None:
        if self._fh is None:
            self._repair_tail()
            self._fh = open(self.path, "ab")
        line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        start = self._fh.tell()
        try:
            self._fh.write(line)
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:
            # Leave no half line behind (a full disk): the entry did not happen.
            try:
                self._fh.truncate(start)
            except OSError:
                pass
            raise StoreError(f"cannot save change to {self.path}: {exc.strerror or exc}") from None

    def clear(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        try:
            with open(self.path, "wb") as fh:
                os.fsync(fh.fileno())
        except OSError:
            pass  # entries already folded are skipped by sequence number on the next load

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
