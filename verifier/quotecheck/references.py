"""Reference texts: transcripts, press releases, statements a desk checks quotes against."""

from __future__ import annotations

import os

from verifier.ids import content_id
from verifier.ingest import read_document
from verifier.models import Reference
from verifier.store.database import Store, now_iso


def read_reference(path: str, speaker: str | None = None) -> Reference:
    """Any file the readers take (text, Markdown, HTML, JSON), as one text."""
    doc = read_document(path)
    parts = []
    for p in doc.posts:
        if p.headline:
            parts.append(p.headline)
        parts.extend(p.paragraphs)
    text = "\n\n".join(parts)
    title = doc.title or os.path.basename(path)
    return Reference(id=content_id("reference", text), path=os.path.abspath(path), kind=doc.kind,
                     title=title, text=text, speaker=speaker, url=doc.url, added_at=now_iso())


def add_references(store: Store, paths: list[str], speaker: str | None = None) -> list[tuple[Reference, bool]]:
    """Store each file; (reference, True) when new, False when the same text was already there."""
    refs = [read_reference(p, speaker) for p in paths]  # every file read before anything is stored
    out = []
    for ref in refs:
        known = ref.id in store.references
        if known and speaker is None:
            ref.speaker = store.references[ref.id].speaker
        store.put_reference(ref)
        out.append((ref, not known))
    return out
