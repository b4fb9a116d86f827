"""Reference texts: transcripts, captions, press releases, statements a desk checks quotes against."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `verify-quote --source FILE` reads a cached index and needs neither
    from verifier.models import Reference
    from verifier.store.interface import ClaimStore


def read_reference(path: str, speaker: str | None = None) -> Reference:
    """A transcript (``NAME: text``, CLEF TSV, SRT, WebVTT) or any file the readers
    take (text, Markdown, HTML, JSON), as one text."""
    from datetime import datetime, timezone

    from verifier.ids import content_id
    from verifier.ingest.files import read_text
    from verifier.ingest.transcripts import read_transcript
    from verifier.models import Reference

    raw = read_text(path)
    tr = read_transcript(raw, path)
    if tr is not None:
        text, kind, title, url = tr.text, tr.kind, os.path.basename(path), None
    else:
        from verifier.ingest import read_document

        doc = read_document(path)
        parts = []
        for p in doc.posts:
            if p.headline:
                parts.append(p.headline)
            parts.extend(p.paragraphs)
        text, kind, title, url = "\n\n".join(parts), doc.kind, doc.title or os.path.basename(path), doc.url
    return Reference(id=content_id("reference", text), path=os.path.abspath(path), kind=kind,
                     title=title, text=text, speaker=speaker, url=url, added_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def add_references(store: ClaimStore, paths: list[str], speaker: str | None = None) -> list[tuple[Reference, bool]]:
    """Store each file; (reference, True) when new, False when the same text was already there."""
    refs = [read_reference(p, speaker) for p in paths]  # every file read before anything is stored
    out = []
    for ref in refs:
        old = store.reference(ref.id)
        if old is not None and speaker is None:
            ref.speaker = old.speaker
        store.put_reference(ref)
        out.append((ref, old is None))
    return out


def file_index(path: str):
    """The quote index of one file, from the cache when this very file (its path, size and
    modification time) was read before: then neither the readers nor the word index run."""
    from verifier.quotecheck import index as qindex

    try:
        st = os.stat(path)
        stamp = f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}"
    except OSError:
        stamp = None  # read_reference below says what is wrong, in one line

    def build() -> qindex.TextIndex:
        index = qindex.TextIndex()
        index.add(f"file:{path}", path, read_reference(path).text)
        return index
    if stamp is None or not os.path.isfile(path):
        return build()
    index = qindex.cached("file-" + qindex.digest(stamp), build, check=stamp)
    index.docs[0].key, index.docs[0].label = f"file:{path}", path
    return index
