"""A saved HTML page.

In order: a live blog's posts from its schema.org LiveBlogPosting (jsonld.py); else,
when the page's visible text has a live blog's structure (stamps, headlines), that
text read by the live-blog reader; else the article's readable text through
trafilatura's extractor, as one post."""

from __future__ import annotations

import json
import re

from verifier.errors import InputError
from verifier.ingest import jsonld, liveblog
from verifier.ingest.document import RawDocument, RawPost

_DROP = "//head|//script|//style|//noscript|//nav|//footer|//aside|//form|//iframe|//svg|//header[.//nav]"


def visible_text(text: str) -> str:
    """The page's visible text, one block element a paragraph (navigation, footers and scripts left out)."""
    import html_text  # comes with extruct

    tree = html_text.parse_html(text)
    for node in tree.xpath(_DROP):
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)
    return html_text.extract_text(tree, guess_layout=True)


def _as_liveblog(text: str, path: str) -> RawDocument | None:
    try:
        page = visible_text(text)
    except Exception:  # noqa: BLE001 - a page lxml cannot parse: the readable-text path decides
        return None
    if not liveblog.looks_like_liveblog(page):
        return None
    doc = liveblog.parse(page, path)
    if sum(1 for p in doc.posts if not p.is_summary) < 2:
        return None
    doc.kind = "html"
    doc.url = jsonld.page_base_url(text)
    return doc


def _key(s: str | None) -> str:
    return " ".join(re.findall(r"\w+", (s or "").lower()))[:80]


def _add_missing(doc: RawDocument, page: RawDocument | None) -> RawDocument:
    """Structured data often lists only the newest updates: posts the page shows beyond
    them (matched by headline or opening words) are added after them."""
    if page is None:
        return doc
    seen = {_key(p.headline) for p in doc.posts if p.headline} | {_key(p.body) for p in doc.posts}
    extra = [p for p in page.posts if not p.is_summary and (p.headline or p.published)
             and _key(p.headline) not in seen and _key(p.body) not in seen
             and not any(_key(p.body)[:40] and _key(p.body)[:40] in _key(q.body) for q in doc.posts)]
    doc.posts.extend(extra)
    return doc


def parse(text: str, path: str) -> RawDocument:
    doc = jsonld.read_liveblog(text, None, path)
    if doc is not None:
        return _add_missing(doc, _as_liveblog(text, path))
    doc = _as_liveblog(text, path)
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
