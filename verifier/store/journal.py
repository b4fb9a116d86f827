"""An append-only, fsync'd log of small changes (verdicts, notes, cluster edits).

A verdict must be on disk before the screen says so, and rewriting a 40 MB
database per keystroke takes most of a second. So each change is one JSON
line appended and fsync'd (a few ms); the store folds the journal into the
TinyDB file in batches and whenever a writer closes. Entries carry a sequence
number and the database records the last one folded, so replaying after a
crash between the fold and the truncation applies nothing twice.

Writes go straight to the descriptor (``os.write``, no Python buffer): a write
that fails (a full disk) is cut back with ``os.ftruncate`` to the last good
length, and the next append checks that length again first, so no stale bytes
of a failed entry can ever be flushed later behind a good one.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterator

import orjson

from verifier.errors import CorruptDatabaseError, StoreError
from verifier.models import Decision, Verdict

# The system calls, as attributes so a test can make the disk "fill up" (ENOSPC).
write: Callable[[int, "bytes | memoryview"], int] = os.write
fsync: Callable[[int], None] = os.fsync

_VERDICT_ITEM_KEYS = ("claim_id", "old", "new")


def check_entry(entry: object, where: str) -> dict[str, Any]:
    """A journal entry with every field of the right type; CorruptDatabaseError naming the field otherwise."""
    def bad(msg: str) -> CorruptDatabaseError:
        return CorruptDatabaseError(f"{where}: {msg}")

    if not isinstance(entry, dict):
        raise bad("expected an object")
    if type(entry.get("seq")) is not int:
        raise bad("seq: expected a whole number")
    for k in ("at", "by"):
        if entry.get(k) is not None and not isinstance(entry[k], str):
            raise bad(f"{k}: expected text")
    op = entry.get("op")
    if op == "verdict":
        items = [entry]
    elif op == "verdicts":
        if not isinstance(entry.get("changes"), list):
            raise bad("changes: expected a list")
        items = entry["changes"]
    elif op == "decision":
        problems = Decision.problems(entry.get("decision"), f"{where}: decision")
        if problems:
            raise CorruptDatabaseError(problems[0])
        return entry
    else:
        raise bad(f"op: unknown operation {op!r}")
    for i, item in enumerate(items):
        at = where if op == "verdict" else f"{where}: changes[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("claim_id"), str):
            raise CorruptDatabaseError(f"{at}: claim_id: expected text")
        if item.get("by") is not None and not isinstance(item["by"], str):
            raise CorruptDatabaseError(f"{at}: by: expected text")
        problems = Verdict.problems(item.get("new"), f"{at}: new")
        if item.get("old") is not None:
            problems += Verdict.problems(item["old"], f"{at}: old")
        if problems:
            raise CorruptDatabaseError(problems[0])
    return entry


class Journal:
    def __init__(self, db_path: str) -> None:
        self.path = db_path + ".journal"
        self._fd: int | None = None
        self._size = 0  # the length of the journal's good entries

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every complete entry, checked; a torn last line (a write cut short) is ignored."""
        try:
            with open(self.path, "rb") as fh:
                lines = fh.read().split(b"\n")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror}") from None
        for n, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                if n == len(lines) - 1:  # no newline after it: the append never finished
                    return
                raise CorruptDatabaseError(f"{self.path}: damaged journal entry at line {n + 1}") from None
            yield check_entry(entry, f"{self.path}: line {n + 1}")

    def _open(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            # Cut a torn last line so the next append starts on a line of its own.
            size = os.fstat(fd).st_size
            data = os.pread(fd, size, 0) if size else b""
            if data and not data.endswith(b"\n"):
                size = data.rfind(b"\n") + 1
                os.ftruncate(fd, size)
        except OSError:
            os.close(fd)
            raise
        self._size = size
        return fd

    def append(self, entry: dict[str, Any]) -> None:
        line = orjson.dumps(entry) + b"\n"
        try:
            if self._fd is None:
                self._fd = self._open()
            fd = self._fd
            if os.fstat(fd).st_size != self._size:  # bytes of an earlier failed write survived
                os.ftruncate(fd, self._size)
            view = memoryview(line)
            while view:
                view = view[write(fd, view):]
            fsync(fd)
        except OSError as exc:
            # Leave no half line behind (a full disk): the entry did not happen.
            if self._fd is not None:
                try:
                    os.ftruncate(self._fd, self._size)
                except OSError:
                    pass  # checked again before the next append
            raise StoreError(f"cannot save change to {self.path}: {exc.strerror or exc}") from None
        self._size += len(line)

    def clear(self) -> None:
        self.close()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_TRUNC)
        except FileNotFoundError:
            return
        except OSError:
            return  # entries already folded are skipped by sequence number on the next load
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
