"""TinyDB plumbing: string document ids, and the GC pause used while a large file is decoded.

The store reads and writes TinyDB's file layout itself (fileformat.py: typed,
checked, atomic); ``VerifierTinyDB`` opens the same file with TinyDB's own API
(the benchmark compares against it, a test checks the file stays readable).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

from tinydb import TinyDB
from tinydb.table import Table


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
