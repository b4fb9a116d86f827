"""A fetched page or a followed file into posts, trying the richest form first.

Order for a page: an RSS/Atom feed (feedparser); schema.org LiveBlogPosting
JSON-LD ``liveBlogUpdate`` (the ingest package's reader, extruct); JSON posts;
the page's readable text (trafilatura) cut into posts by the live-blog reader
when it carries post stamps, else one post; plain text through the text
readers. A local file goes through the ordinary readers (``read_document``).
Every reader raises InputError on text it cannot read: the caller logs it and
stores nothing.
"""

from __future__ import annotations

from verifier.errors import InputError
from verifier.follow.feeds import looks_like_feed, parse_feed
from verifier.ingest import RawDocument, jsonposts, liveblog, plaintext, read_document


def _liveblog_jsonld(text: str, url: str) -> RawDocument | None:
    """schema.org LiveBlogPosting updates (the ingest package's reader, extruct); None without bodies."""
    from verifier.ingest import jsonld

    try:
        doc = jsonld.read_liveblog(text, url, url)
    except InputError:
        return None
    if doc is None or not any(p.paragraphs for p in doc.posts):
        return None  # some outlets strip the bodies from their JSON-LD: read the page instead
    return doc


_SKIP = {"script", "style", "noscript", "nav", "footer", "aside", "form", "svg", "template", "iframe",
         "button", "select"}
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article", "section", "main",
           "header", "tr", "dt", "dd", "figcaption", "br", "time", "ul", "ol", "table"}


def block_lines(page: str) -> list[str]:
    """The page's text, a line per block (p, h2, li, time, ...), furniture elements dropped.

    trafilatura's readable text drops short lines such as a post's time stamp
    or headline on many live-blog layouts; this keeps them for the live-blog reader.
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except Exception:  # lxml raises several types on hostile markup
        return []
    body = root.find("body")
    body = body if body is not None else root
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buf).split())
        if line:
            lines.append(line)
        buf.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            if el.tail:
                buf.append(el.tail)
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(body)
    flush()
    return lines


def _readable_text(text: str, url: str) -> RawDocument:
    import trafilatura  # slow to import; only pages need it

    extracted = trafilatura.extract(text, output_format="txt", include_comments=False,
                                    include_tables=False, favor_recall=True)
    if extracted and liveblog.looks_like_liveblog(extracted):
        return liveblog.parse(extracted, url)
    blocks = "\n".join(block_lines(text))
    if liveblog.looks_like_liveblog(blocks):
        return liveblog.parse(blocks, url)
    from verifier.ingest import html

    return html.parse(text, url)


def read_text(text: str, url: str, content_type: str = "") -> RawDocument:
    """Posts from a fetched body. The document's url is the followed URL."""
    head = text.lstrip()[:300].lower()
    if looks_like_feed(text, content_type):
        doc = parse_feed(text, url)
    elif "json" in content_type or head.startswith(("{", "[")):
        doc = jsonposts.parse(text, url)
    elif "html" in content_type or "<html" in head or head.startswith("<!doctype"):
        doc = _liveblog_jsonld(text, url) or _readable_text(text, url)
    elif liveblog.looks_like_liveblog(text):
        doc = liveblog.parse(text, url)
    else:
        doc = plaintext.parse_text(text, url)
    if not any(p.paragraphs for p in doc.posts):
        raise InputError(f"{url}: no post text found")
    doc.url = url  # one source per followed address, whatever the page calls itself
    doc.path = url
    return doc


def read_file(path: str) -> RawDocument:
    """A followed local file: the ordinary readers, plus feeds saved to disk."""
    if path.lower().endswith((".rss", ".atom", ".xml")):
        from verifier.ingest.files import read_text as read_file_text

        text = read_file_text(path)
        if looks_like_feed(text):
            return parse_feed(text, path)
    return read_document(path)
