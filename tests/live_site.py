"""A live blog served over real HTTP on 127.0.0.1, for the follow tests and benchmark.

The blog evolves as a test tells it (``publish`` the next post, ``edit`` a
post) and is served in four forms: a page carrying schema.org
LiveBlogPosting JSON-LD (/live.html), a plain page with no structured data
(/plain.html), RSS (/feed.rss) and Atom (/feed.atom). Every answer has an
ETag and Last-Modified; a matching If-None-Match gets a 304. Faults are
queued per path: ``fail(path, 500)`` answers 500 once, ``slow(path, s)``
waits s seconds once before answering.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class SitePost:
    id: str
    headline: str | None
    paragraphs: list[str]
    published: str  # ISO 8601 with offset
    byline: str | None = None


def _stamp_line(iso: str) -> str:
    """'8:36 a.m. ET, February 2, 2023', the form live-blog pages print."""
    d = datetime.fromisoformat(iso)
    hour = d.hour % 12 or 12
    ampm = "a.m." if d.hour < 12 else "p.m."
    return f"{hour}:{d.minute:02d} {ampm} ET, {d.strftime('%B')} {d.day}, {d.year}"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a client hanging up is not news
        pass


class LiveSite:
    def __init__(self, posts: list[SitePost], title: str = "Live updates", shown: int = 1) -> None:
        self.strip_bodies = False  # some outlets leave articleBody out of their JSON-LD
        self.validators = True  # False: no ETag / Last-Modified, every answer a full 200
        self.extra: dict[str, tuple[str, str]] = {}  # path -> (content type, body) served as is
        self.all = list(posts)  # oldest first; the first `shown` are online
        self.shown = shown
        self.page_size: int | None = None  # show only the newest N, as paginated live blogs do
        self.title = title
        self.lock = threading.Lock()
        self.faults: dict[str, list[int]] = {}
        self.delays: dict[str, list[float]] = {}
        self.requests: list[tuple[str, int]] = []
        self.served_at: dict[str, float] = {}  # post id -> when it first went online
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.modified = time.time()
        for p in self.all[:shown]:
            self.served_at[p.id] = time.monotonic()

    # ---- control -------------------------------------------------------
    def __enter__(self) -> "LiveSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def publish(self) -> SitePost:
        with self.lock:
            post = self.all[self.shown]
            self.shown += 1
            self.modified = time.time()
            self.served_at[post.id] = time.monotonic()
            return post

    def edit(self, post_id: str, old: str, new: str) -> None:
        with self.lock:
            post = next(p for p in self.all if p.id == post_id)
            post.paragraphs = [p.replace(old, new) for p in post.paragraphs]
            self.modified = time.time()

    def retitle(self, post_id: str, headline: str, published: str) -> None:
        with self.lock:
            post = next(p for p in self.all if p.id == post_id)
            post.headline, post.published = headline, published
            self.modified = time.time()

    def fail(self, path: str, status: int = 500, times: int = 1) -> None:
        self.faults.setdefault(path, []).extend([status] * times)

    def truncate(self, path: str) -> None:
        """Answer once with half the body and a Content-Length for all of it, then hang up."""
        self.faults.setdefault(path, []).append(-1)

    def slow(self, path: str, seconds: float) -> None:
        self.delays.setdefault(path, []).append(seconds)

    def statuses(self, path: str) -> list[int]:
        return [s for p, s in self.requests if p == path]

    # ---- rendering -----------------------------------------------------
    def visible(self) -> list[SitePost]:
        newest = list(reversed(self.all[: self.shown]))  # newest first, as live blogs show them
        return newest[: self.page_size] if self.page_size else newest

    def render(self, path: str) -> tuple[str, str] | None:
        if path in self.extra:
            return self.extra[path]
        posts = self.visible()
        base = self.url("/live.html")
        if path == "/live.html":
            data = {
                "@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": self.title,
                "url": base, "coverageStartTime": self.all[0].published,
                "liveBlogUpdate": [{
                    "@type": "BlogPosting", "headline": p.headline,
                    **({} if self.strip_bodies else {"articleBody": "\n\n".join(p.paragraphs)}),
                    "datePublished": p.published, "url": f"{base}#post-{p.id}",
                    **({"author": {"@type": "Person", "name": p.byline}} if p.byline else {}),
                } for p in posts],
            }
            ld = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
            return "text/html; charset=utf-8", self._page(posts, f'<script type="application/ld+json">{ld}</script>')
        if path == "/plain.html":
            return "text/html; charset=utf-8", self._page(posts, "")
        if path == "/feed.rss":
            items = "".join(
                f"<item><title>{escape(p.headline or '')}</title><link>{base}#post-{p.id}</link>"
                f"<guid>{base}#post-{p.id}</guid><pubDate>{format_datetime(datetime.fromisoformat(p.published))}</pubDate>"
                f"<description>{escape(''.join(f'<p>{html.escape(x)}</p>' for x in p.paragraphs))}</description></item>"
                for p in posts)
            return "application/rss+xml; charset=utf-8", (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(self.title)}'
                f"</title><link>{base}</link><description>live</description>{items}</channel></rss>")
        if path == "/feed.atom":
            entries = "".join(
                f'<entry><title>{escape(p.headline or "")}</title><link href="{base}#post-{p.id}"/>'
                f"<id>{base}#post-{p.id}</id><updated>{p.published}</updated>"
                + (f"<author><name>{escape(p.byline)}</name></author>" if p.byline else "")
                + f'<content type="html">{escape("".join(f"<p>{html.escape(x)}</p>" for x in p.paragraphs))}'
                "</content></entry>" for p in posts)
            return "application/atom+xml; charset=utf-8", (
                f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f'<title>{escape(self.title)}</title><link href="{base}"/><id>{base}</id>'
                f"<updated>{posts[0].published if posts else self.all[0].published}</updated>{entries}</feed>")
        return None

    def _page(self, posts: list[SitePost], head: str) -> str:
        body = "".join(
            f'<article id="post-{p.id}"><p><time datetime="{p.published}">{_stamp_line(p.published)}</time></p>'
            f"<h2>{html.escape(p.headline or '')}</h2>"
            + (f"<p>From {html.escape(p.byline)}</p>" if p.byline else "")
            + "".join(f"<p>{html.escape(x)}</p>" for x in p.paragraphs) + "</article>"
            for p in posts)
        return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>{head}"
                f"</head><body><main><h1>{html.escape(self.title)}</h1>{body}</main></body></html>")

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                site.requests.append((self.path, status))  # before answering: the client may look at once
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body and status != 304:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                delays = site.delays.get(path)
                if delays:
                    time.sleep(delays.pop(0))
                faults = site.faults.get(path)
                fault = faults.pop(0) if faults else None
                if fault is not None and fault > 0:
                    self._send(fault, b"server error", {"Content-Type": "text/plain"})
                    return
                with site.lock:
                    rendered = site.render(path)
                    modified = site.modified
                if rendered is None:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                ctype, text = rendered
                body = text.encode("utf-8")
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers = {"Content-Type": ctype}
                if site.validators:
                    headers["ETag"] = etag
                    headers["Last-Modified"] = format_datetime(datetime.fromtimestamp(modified, timezone.utc),
                                                               usegmt=True)
                if fault == -1:  # a partial answer: the connection drops mid-body
                    site.requests.append((self.path, -1))
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if site.validators and self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", headers)
                    return
                self._send(200, body, headers)

        return Handler


def sample_site(sample_path, shown: int = 1) -> LiveSite:
    """The sample live blog (real CNN copy), its posts going online one by one, oldest first."""
    from verifier.ingest import read_document

    doc = read_document(str(sample_path))
    timed = sorted((p for p in doc.posts if p.published), key=lambda p: p.published)
    posts = [SitePost(id=str(100 + i), headline=p.headline, paragraphs=list(p.paragraphs), published=p.published,
                      byline=p.byline) for i, p in enumerate(timed)]
    return LiveSite(posts, title=doc.title or "Live updates", shown=shown)
