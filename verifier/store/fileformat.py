"""The ``claims.json`` file: TinyDB's layout (tables of documents keyed by id), read and written typed.

msgspec decodes the file straight into the record dataclasses, checking every
field's type (and a status against the known ones) as it parses, in C: opening
costs what parsing costs. When that check fails, the file is parsed once more
with orjson to name the table, the record and the field in one line.
The file stays a valid TinyDB database (``TinyDB(path)`` opens it).
"""

from __future__ import annotations

from typing import Any

import mmap
import os

import msgspec
import orjson

from verifier.errors import CorruptDatabaseError
from verifier.models import Claim, Cluster, Decision, HistoryEntry, Post, QuoteCheck, Reference, Source, Verdict
from verifier.store.tinystorage import gc_paused

RECORD_TABLES: dict[str, type[Any]] = {
    "sources": Source, "posts": Post, "claims": Claim, "clusters": Cluster, "verdicts": Verdict,
    "references": Reference,
}
# Kept as dicts in memory (their callers read them as such), checked field by field on open.
DICT_TABLES: dict[str, type[Any]] = {"history": HistoryEntry, "decisions": Decision, "quote_checks": QuoteCheck}


class DatabaseFile(msgspec.Struct, forbid_unknown_fields=True):
    """A file with any other top-level key is not ours: refused, never overwritten."""

    meta: dict[str, dict[str, Any]] = {}
    sources: dict[str, Source] = {}
    posts: dict[str, Post] = {}
    claims: dict[str, Claim] = {}
    clusters: dict[str, Cluster] = {}
    verdicts: dict[str, Verdict] = {}
    history: dict[str, dict[str, Any]] = {}
    decisions: dict[str, dict[str, Any]] = {}
    references: dict[str, Reference] = {}
    quote_checks: dict[str, dict[str, Any]] = {}
    # Feature tables kept as plain objects; their owners check them on use (see AUX_TABLES).
    factchecks: dict[str, dict[str, Any]] = {}
    factcheck_matches: dict[str, dict[str, Any]] = {}
    suggestions: dict[str, dict[str, Any]] = {}
    follows: dict[str, dict[str, Any]] = {}


# Tables owned by one feature each, stored as given: the fact-check library and each claim's matches.
AUX_TABLES = ("factchecks", "factcheck_matches", "suggestions", "follows")

_decoder = msgspec.json.Decoder(DatabaseFile)
_encoder = msgspec.json.Encoder()


def read_file(path: str) -> DatabaseFile | None:
    """The database in ``path``, every record checked; None when the file is missing or empty."""
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
            data = _decoder.decode(raw)
    except msgspec.ValidationError as exc:
        raise CorruptDatabaseError(explain(path, raw, str(exc))) from None
    except (msgspec.DecodeError, RecursionError):
        raise CorruptDatabaseError(f"{path}: not a verifier database: not valid JSON") from None
    for name, cls in DICT_TABLES.items():
        check = cls.checker().ok
        for key, d in getattr(data, name).items():
            if not check(d):
                raise CorruptDatabaseError(cls.problems(d, f"{path}: {name}/{key}")[0])
    return data


def explain(path: str, raw: bytes, fallback: str) -> str:
    """One line naming the table, record and field msgspec refused."""
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return f"{path}: not a verifier database: not valid JSON"
    if not isinstance(doc, dict) or not all(isinstance(v, dict) for v in doc.values()):
        return f"{path}: not a verifier database: unexpected JSON layout"
    unknown = sorted(set(doc) - set(DatabaseFile.__struct_fields__))
    if unknown:
        return f"{path}: not a verifier database: unknown table {unknown[0]!r}"
    for name, cls in {**RECORD_TABLES, **DICT_TABLES}.items():
        check = cls.checker()
        for key, d in doc.get(name, {}).items():
            if not check.ok(d):
                return check.problems(d, f"{path}: {name}/{key}")[0]
    return f"{path}: damaged database ({fallback})"


def encode(data: object) -> bytes:
    return _encoder.encode(data)


TABLE_ORDER = tuple(DatabaseFile.__struct_fields__)


class _Layout(msgspec.Struct):
    """Each table's bytes as they are in the file, found without parsing them."""

    meta: msgspec.Raw = msgspec.Raw(b"{}")
    sources: msgspec.Raw = msgspec.Raw(b"{}")
    posts: msgspec.Raw = msgspec.Raw(b"{}")
    claims: msgspec.Raw = msgspec.Raw(b"{}")
    clusters: msgspec.Raw = msgspec.Raw(b"{}")
    verdicts: msgspec.Raw = msgspec.Raw(b"{}")
    history: msgspec.Raw = msgspec.Raw(b"{}")
    decisions: msgspec.Raw = msgspec.Raw(b"{}")
    references: msgspec.Raw = msgspec.Raw(b"{}")
    quote_checks: msgspec.Raw = msgspec.Raw(b"{}")
    factchecks: msgspec.Raw = msgspec.Raw(b"{}")
    factcheck_matches: msgspec.Raw = msgspec.Raw(b"{}")
    suggestions: msgspec.Raw = msgspec.Raw(b"{}")
    follows: msgspec.Raw = msgspec.Raw(b"{}")


def splice_into(path: str, tables: dict[str, bytes], out: int) -> None:
    """Write to ``out`` the file at ``path`` with these tables replaced (already encoded), every
    other table's bytes reused as they are: a fold re-encodes the verdicts, not 100,000 claims.

    The old file is mapped, not read; its tables are found by msgspec without parsing their
    records, and copied by the kernel (``os.copy_file_range``) where it can, else written from
    the mapping: no copy of the claims passes through Python."""
    with open(path, "rb") as src:
        with mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            whole = memoryview(mm)
            try:
                try:
                    layout = msgspec.json.decode(whole, type=_Layout)
                except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
                    raise CorruptDatabaseError(f"{path}: changed on disk and no longer a verifier database; "
                                               "nothing written") from None
                lengths = {}
                for name in TABLE_ORDER:
                    with memoryview(getattr(layout, name)) as raw:
                        lengths[name] = len(raw)
                del layout
                pieces = _pieces(whole, lengths, tables)
                if pieces is None:  # not the compact layout this module writes: from the mapping
                    layout = msgspec.json.decode(whole, type=_Layout)
                    for i, name in enumerate(TABLE_ORDER):
                        _write(out, _prefix(i, name))
                        if name in tables:
                            _write(out, tables[name])
                        else:
                            with memoryview(getattr(layout, name)) as raw:
                                _write(out, raw)
                    del layout
                    _write(out, b"}")
                    return
            finally:
                whole.release()
        for piece in pieces:
            if isinstance(piece, bytes):
                _write(out, piece)
            else:
                _copy(src.fileno(), out, *piece)


def _prefix(i: int, name: str) -> bytes:
    return (b"{" if i == 0 else b",") + b'"' + name.encode() + b'":'


def _pieces(whole: memoryview, lengths: dict[str, int],
            tables: dict[str, bytes]) -> list[bytes | tuple[int, int]] | None:
    """The new file as bytes to write and (offset, length) ranges of the old one to copy, or None
    when the old file is not laid out exactly as ``encode`` writes it."""
    out: list[bytes | tuple[int, int]] = []
    offset = 0
    for i, name in enumerate(TABLE_ORDER):
        pre = _prefix(i, name)
        if whole[offset:offset + len(pre)] != pre:
            return None
        offset += len(pre)
        out.append(pre)
        out.append(tables[name] if name in tables else (offset, lengths[name]))
        offset += lengths[name]
    if offset + 1 != len(whole) or whole[offset:] != b"}":
        return None
    out.append(b"}")
    return out


def _write(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _copy(src: int, out: int, offset: int, length: int) -> None:
    end = offset + length
    while offset < end:
        try:
            n = os.copy_file_range(src, out, end - offset, offset)
        except (AttributeError, OSError):  # not Linux, or a filesystem that cannot: plain reads
            n = 0
        if n <= 0:
            n = os.sendfile(out, src, offset, end - offset) if hasattr(os, "sendfile") else 0
            if n <= 0:
                _write(out, os.pread(src, min(end - offset, 1 << 24), offset))
                n = min(end - offset, 1 << 24)
        offset += n


def splice(path: str, tables: dict[str, bytes]) -> bytes:
    """The spliced file as bytes (tests and small databases)."""
    import tempfile

    with tempfile.TemporaryFile() as fh:
        splice_into(path, tables, fh.fileno())
        fh.seek(0)
        return fh.read()
