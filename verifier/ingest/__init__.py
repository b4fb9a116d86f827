"""Readers: one module per input kind, all giving a RawDocument of RawPosts."""

from __future__ import annotations

import os
import sys

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
        if sum(1 for p in doc.posts if not p.is_summary) <= 1 and doc.posts:
            doc = plaintext.parse_text(text, path) if not any(p.published for p in doc.posts) else doc
    else:
        doc = plaintext.parse_text(text, path)
    if not any(p.paragraphs for p in doc.posts):
        raise InputError(f"{path}: no post text found")
    if doc.kind in ("text", "liveblog") and len(doc.posts) <= 1 and liveblog.time_like_lines(text) >= 2:
        # it looks like a live blog, but no post boundary was recognised: say so, do not merge silently
        print(f"{path}: read as one post: no post stamps recognised", file=sys.stderr)
    return doc
