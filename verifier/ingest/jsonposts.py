"""JSON and JSON Lines of posts, as a scraper or a feed produces them.

Accepted: a list of posts, an object with a "posts" list (and optional
"title"/"url"), or one post object per line. A post has "body" (a string or a
list of paragraphs) and optionally "headline", "published", "url", "byline".
"""

from __future__ import annotations

import json
import re
from typing import Any

from verifier.errors import InputError
from verifier.ingest.document import RawDocument, RawPost


def _load(text: str, path: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as first:
        lines = [ln for ln in text.split("\n") if ln.strip()]
        if len(lines) > 1 and lines[0].lstrip().startswith("{"):
            out = []
            for n, ln in enumerate(text.split("\n"), 1):
                if not ln.strip():
                    continue
                try:
                    out.append(json.loads(ln))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: malformed JSON Lines at line {n}: {exc.msg}") from None
            return out
        raise InputError(
            f"{path}: malformed JSON at line {first.lineno} column {first.colno}: {first.msg}"
        ) from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "\n\n".join(str(v) for v in value)
    return str(value)


def parse(text: str, path: str) -> RawDocument:
    data = _load(text, path)
    title = url = None
    if isinstance(data, dict) and isinstance(data.get("posts"), list):
        title, url = data.get("title"), data.get("url")
        items = data["posts"]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise InputError(f"{path}: expected a JSON list of posts or an object with 'posts'")
    posts = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: post {n} is not a JSON object")
        body = _text(item.get("body") or item.get("text") or item.get("content"))
        if not body or not body.strip():
            raise InputError(f"{path}: post {n} has no 'body'")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip()]
        published = item.get("published") or item.get("date")
        posts.append(RawPost(
            headline=_text(item.get("headline") or item.get("title")),
            paragraphs=paragraphs,
            byline=_text(item.get("byline") or item.get("author")),
            published=str(published) if published else None,
            timestamp_raw=str(published) if published else None,
            url=_text(item.get("url")),
        ))
    if not posts:
        raise InputError(f"{path}: no posts in file")
    return RawDocument(kind="json", path=path, posts=posts, title=title, url=url)
