"""A saved HTML page: a live blog's posts from its schema.org LiveBlogPosting
(see jsonld.py), else its readable text through trafilatura's extractor."""

from __future__ import annotations

import json

from verifier.errors import InputError
from verifier.ingest import jsonld
from verifier.ingest.document import RawDocument, RawPost


def parse(text: str, path: str) -> RawDocument:
    doc = jsonld.read_liveblog(text, None, path)
    if doc is not None:
        return doc

    import trafilatura  # imported here: it is slow to import and only HTML needs it

    result = trafilatura.extract(
        text, output_format="json", with_metadata=True, include_comments=False,
        include_tables=False, favor_recall=True,
    )
    if not result:
        raise InputError(f"{path}: no readable article text in this HTML page")
    data = json.loads(result)
    body = data.get("text") or data.get("raw_text") or ""
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    if not paragraphs:
        raise InputError(f"{path}: no readable article text in this HTML page")
    title = data.get("title")
    if title and paragraphs[0] == title.strip():  # the h1 repeats the title
        paragraphs = paragraphs[1:] or paragraphs
    post = RawPost(
        headline=title,
        paragraphs=paragraphs,
        byline=data.get("author"),
        published=data.get("date"),
        timestamp_raw=data.get("date"),
        url=data.get("url") or data.get("source"),
    )
    return RawDocument(kind="html", path=path, posts=[post], title=title, url=post.url)
