"""RSS and Atom feeds (feedparser) as posts: one post per entry.

An entry's link (or id) is its identity across fetches; its content (else
its summary) is HTML, read into paragraphs; its date keeps its own zone.
Feeds usually keep only the newest N entries: an entry that drops out of the
feed is not a deleted post, so nothing is retired for it.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from verifier.errors import InputError
from verifier.ingest.document import RawDocument, RawPost

_BLOCK = re.compile(r"(?is)<\s*(?:br\s*/?|/?p|/?div|/?li|/?h[1-6]|/?blockquote|/?tr)\b[^>]*>")
_TAG = re.compile(r"(?s)<[^>]+>")
_DROP = re.compile(r"(?is)<\s*(script|style)\b.*?<\s*/\s*\1\s*>")


def looks_like_feed(text: str, content_type: str = "") -> bool:
    if any(k in content_type for k in ("rss", "atom")):
        return True
    head = text.lstrip()[:1000].lower()
    if "<html" in head or "<!doctype html" in head:
        return False
    return "<rss" in head or "<rdf:rdf" in head or ("<feed" in head and "xmlns" in head)


def html_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML fragment (feed content is HTML, escaped or not)."""
    from html import unescape

    text = _DROP.sub(" ", fragment or "")
    text = _BLOCK.sub("\n", text)
    text = unescape(_TAG.sub("", text))
    return [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.split("\n") if ln.strip()]


def _when(entry: Any, *keys: str) -> str | None:
    for key in keys:
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
        try:
            return parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        parsed = entry.get(key + "_parsed")
        if parsed:
            return datetime(*tuple(parsed)[:6]).replace(tzinfo=timezone.utc).isoformat()
    return None


def parse_feed(text: str, path: str) -> RawDocument:
    import feedparser  # imported here: only feeds need it

    data = feedparser.parse(text)
    if not data.entries:
        if data.bozo and not data.feed:
            raise InputError(f"{path}: not a readable RSS/Atom feed ({data.bozo_exception})")
        raise InputError(f"{path}: the feed has no entries")
    posts: list[RawPost] = []
    for entry in data.entries:
        content = entry.get("content") or []
        html = content[0].get("value") if content else entry.get("summary", "")
        paragraphs = html_paragraphs(html or "")
        headline = " ".join(html_paragraphs(entry.get("title", ""))) or None
        if not paragraphs:
            if not headline:
                continue
            paragraphs = [headline]
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        published = _when(entry, "published", "updated", "created")
        posts.append(RawPost(
            headline=headline, paragraphs=paragraphs,
            byline=", ".join(authors) or entry.get("author") or None,
            published=published, timestamp_raw=entry.get("published") or entry.get("updated"),
            url=entry.get("link") or entry.get("id") or None,
        ))
    if not posts:
        raise InputError(f"{path}: the feed's entries carry no text")
    feed = data.feed
    updated = _when(feed, "updated", "published")
    return RawDocument(kind="feed", path=path, posts=posts, title=feed.get("title") or None,
                       url=feed.get("link") or None, updated=updated)
