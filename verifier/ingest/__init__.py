"""Readers: one module per input kind, all giving a RawDocument of RawPosts."""

from __future__ import annotations

import os

from verifier.errors import InputError
from verifier.ingest import html, jsonposts, liveblog, plaintext
from verifier.ingest.document import RawDocument, RawPost
from verifier.ingest.files import read_text

__all__ = ["RawDocument", "RawPost", "read_document"]


def read_document(path: str) -> RawDocument:
    """Read any supported file; the kind comes from the extension, then the content."""
    text = read_text(path)
    ext = os.path.splitext(path)[1].lower()
    head = text.lstrip()[:200].lower()
    if ext in (".json", ".jsonl", ".ndjson") or head.startswith(("{", "[")):
        doc = jsonposts.parse(text, path)
    elif ext in (".html", ".htm") or head.startswith(("<!doctype html", "<html")):
        doc = html.parse(text, path)
    elif ext in (".md", ".markdown"):
        doc = plaintext.parse_markdown(text, path)
    elif liveblog.looks_like_liveblog(text):
        doc = liveblog.parse(text, path)
    else:
        doc = plaintext.parse_text(text, path)
    if not any(p.paragraphs for p in doc.posts):
        raise InputError(f"{path}: no post text found")
    return doc
