"""A live-blog page's posts from its schema.org structured data.

Many live-blog pages carry a ``LiveBlogPosting`` (JSON-LD, sometimes microdata)
whose ``liveBlogUpdate`` list holds each post: ``headline``, ``articleBody``,
``datePublished``, ``url`` (usually the page address with a ``#post`` anchor)
and ``author``. extruct pulls the structured data out of the page; this module
turns it into a RawDocument, one RawPost per update, in page order.

``read_liveblog(html_text, base_url)`` returns None when the page has no
LiveBlogPosting with at least one update that has body text (some outlets strip
``articleBody``): the caller then falls back to the page's readable text.
The page is untrusted: malformed JSON-LD blocks are skipped, not fatal.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any, Iterator
from urllib.parse import urljoin

from verifier.ingest.document import RawDocument, RawPost

__all__ = ["read_liveblog", "structured_items", "page_base_url"]

_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)
_CANONICAL = re.compile(
    r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.IGNORECASE)
_OG_URL = re.compile(
    r"<meta\b[^>]*\bproperty\s*=\s*[\"']og:url[\"'][^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\b(?:href|content)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote)\s*>|<br\s*/?>", re.IGNORECASE)


def page_base_url(html_text: str, fallback: str | None = None) -> str | None:
    """The page's own address: its canonical link, else og:url, else the fallback."""
    for pat in (_CANONICAL, _OG_URL):
        m = pat.search(html_text)
        if m:
            href = _HREF.search(m.group(0))
            if href and href.group(1).startswith(("http://", "https://")):
                return htmllib.unescape(href.group(1).strip())
    return fallback


def _lenient_jsonld(html_text: str) -> list[Any]:
    """JSON-LD blocks parsed one by one, skipping any that are not valid JSON."""
    out = []
    for m in _SCRIPT.finditer(html_text):
        raw = m.group(1).strip()
        if raw.startswith("<!--"):
            raw = raw[4:].rsplit("-->", 1)[0]
        try:
            out.append(json.loads(raw, strict=False))
        except (ValueError, RecursionError):
            continue
    return out


def structured_items(html_text: str, base_url: str | None = None) -> list[Any]:
    """Every JSON-LD and microdata item of the page (extruct, uniform shape)."""
    items: list[Any] = []
    try:
        import extruct  # imported here: only HTML pages need it

        data = extruct.extract(html_text, base_url=base_url, syntaxes=["json-ld", "microdata"],
                               uniform=True, errors="strict")
        items.extend(data.get("json-ld") or [])
        items.extend(data.get("microdata") or [])
    except Exception:  # noqa: BLE001 - one broken block must not lose the page
        items = _lenient_jsonld(html_text)
    return items


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD tree (lists, @graph, nested values), without recursion
    (a hostile page may nest thousands deep)."""
    stack = [node]
    seen = 0
    while stack and seen < 100_000:
        cur = stack.pop()
        seen += 1
        if isinstance(cur, list):
            stack.extend(reversed(cur))
        elif isinstance(cur, dict):
            yield cur
            stack.extend(reversed([v for k, v in cur.items()
                                   if k != "liveBlogUpdate" and isinstance(v, (dict, list))]))


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type") or node.get("type") or []
    if isinstance(t, str):
        t = [t]
    return {str(x).rsplit("/", 1)[-1].lower() for x in t}


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value (string, list, {"@value": …}, {"name": …})."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [p for p in (_text(v) for v in value) if p]
        return ", ".join(parts) if parts else None
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name") or value.get("text"))
    s = str(value).strip()
    return s or None


def _names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [n for n in (_text(v) for v in values) if n]


def _paragraphs(body: str) -> list[str]:
    """articleBody as paragraphs; bodies that carry HTML keep their block breaks."""
    if "<" in body and ">" in body:
        body = _BLOCK_END.sub("\n", body)
        body = _TAG.sub("", body)
    body = htmllib.unescape(body).replace("\r\n", "\n").replace("\xa0", " ")
    parts = re.split(r"\n\s*\n", body) if "\n\n" in body else body.split("\n")
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def _first_str(node: dict[str, Any], *keys: str) -> str | None:
    for k in keys:
        v = _text(node.get(k))
        if v:
            return v
    return None


def _url(value: Any, base: str | None) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    return urljoin(base, value) if base else value


def _updates(blog: dict[str, Any]) -> list[dict[str, Any]]:
    ups = blog.get("liveBlogUpdate")
    if isinstance(ups, dict):
        ups = [ups]
    return [u for u in ups or [] if isinstance(u, dict)]


def read_liveblog(html_text: str, base_url: str | None = None, path: str = "") -> RawDocument | None:
    """The LiveBlogPosting's updates as posts, or None when the page has none with text."""
    base = page_base_url(html_text, base_url)
    blogs = [n for n in _walk(structured_items(html_text, base)) if "liveblogposting" in _types(n)]
    # pages with several LiveBlogPosting objects (a stub and the full one): the one with most updates
    blogs.sort(key=lambda b: len(_updates(b)), reverse=True)
    if not blogs or not _updates(blogs[0]):
        return None
    blog = blogs[0]
    page_url = _url(blog.get("url") or blog.get("mainEntityOfPage"), base) or base
    posts: list[RawPost] = []
    seen: set[tuple[str | None, str]] = set()
    for up in _updates(blog):
        body = _first_str(up, "articleBody", "text", "description")
        paragraphs = _paragraphs(body) if body else []
        headline = _first_str(up, "headline", "name")
        if headline and paragraphs and paragraphs[0] == headline:
            paragraphs = paragraphs[1:]
        if not paragraphs:
            continue
        key = (headline, "\n".join(paragraphs))
        if key in seen:  # an update listed twice
            continue
        seen.add(key)
        published = _first_str(up, "datePublished", "dateCreated", "dateModified")
        posts.append(RawPost(
            headline=headline,
            paragraphs=paragraphs,
            byline=_text(up.get("author")),
            published=published,
            timestamp_raw=published,
            url=_url(up.get("url") or up.get("@id"), page_url),
        ))
    if not posts:
        return None
    return RawDocument(
        kind="html",
        path=path,
        posts=posts,
        title=_first_str(blog, "headline", "name"),
        url=page_url,
        bylines=_names(blog.get("author")),
        updated=_first_str(blog, "dateModified"),
    )
