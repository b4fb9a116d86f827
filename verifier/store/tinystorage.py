"""TinyDB plumbing: string document ids and a storage that writes atomically.

Stock ``JSONStorage`` rewrites the file in place on every operation: a crash
mid-write truncates the database, and each write costs a full serialisation.
``BufferedAtomicStorage`` keeps TinyDB's data in memory; ``commit()`` writes
it once, atomically, when the store decides a batch is complete.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator

import orjson

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from verifier.errors import CorruptDatabaseError
from verifier.store.atomic import atomic_write


class StrIdTable(Table):
    """Documents keyed by our content ids rather than TinyDB's counters."""

    document_id_class = str  # type: ignore[assignment]


class VerifierTinyDB(TinyDB):
    table_class = StrIdTable


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building 100,000s of small objects triggers the cyclic GC over and over,
    doubling load time. Afterwards they are frozen out of the collector's view:
    the corpus lives as long as the process, and without this the first
    collection after loading walks all of it once more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_json_file(path: str) -> dict[str, Any] | None:
    """The raw TinyDB data in ``path``; None when the file is missing or empty."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise CorruptDatabaseError(f"{path}: is a directory, not a database file") from None
    except OSError as exc:
        raise CorruptDatabaseError(f"{path}: cannot read database: {exc.strerror}") from None
    if not raw.strip():
        return None
    try:
        with gc_paused():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        where = f" (line {exc.lineno} column {exc.colno})" if exc.lineno else ""
        raise CorruptDatabaseError(f"{path}: not a verifier database: not valid JSON{where}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise CorruptDatabaseError(f"{path}: not a verifier database: unexpected JSON layout")
    return data


class BufferedAtomicStorage(Storage):
    def __init__(self, path: str, initial: dict[str, Any] | None = None) -> None:
        self.path = path
        self._data = initial
        self.dirty = False

    def read(self) -> dict[str, Any] | None:
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self.dirty = True

    def commit(self) -> None:
        atomic_write(self.path, orjson.dumps(self._data or {}))
        self.dirty = False


def open_tinydb(path: str) -> VerifierTinyDB:
    data = load_json_file(path)
    return VerifierTinyDB(path, initial=data, storage=BufferedAtomicStorage)

