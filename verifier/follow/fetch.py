"""Fetching a followed URL politely: one client, conditional requests, bounded.

- only http and https, redirects included;
- a clear user agent naming the tool;
- timeouts on connect and read, retries with backoff on network errors and
  5xx answers (a 4xx is not retried: it will not get better in a second);
- ``If-None-Match`` / ``If-Modified-Since`` from the previous answer, so an
  unchanged page is a 304 and costs nothing; a 200 whose body hashes as
  before is reported unchanged too;
- a size limit, enforced while reading: a bigger page is refused, not cut;
- the body is read whole or not at all: a short read raises, so a partial
  page never reaches the store.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

import httpx

from verifier import __version__
from verifier.errors import InputError

USER_AGENT = f"verifier/{__version__} (claim-verification workbench; follows live blogs and feeds)"
MAX_BYTES = 20 * 1024 * 1024
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,application/json;q=0.9,text/plain;q=0.8,*/*;q=0.5")


class FetchError(Exception):
    """One failed fetch, said in one line."""


@dataclass
class Fetched:
    url: str  # after redirects
    changed: bool
    status: int
    text: str = ""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None  # sha1 of the body, to tell an unchanged 200
    attempts: int = 1


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError(f"{url}: only http:// and https:// addresses can be followed")
    return url


def _decode(body: bytes, response: httpx.Response) -> str:
    enc = response.charset_encoding
    if enc:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return body.decode(enc)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


class Fetcher:
    def __init__(self, *, timeout: float = 10.0, connect_timeout: float = 5.0, retries: int = 2,
                 backoff: float = 0.5, max_bytes: int = MAX_BYTES,
                 sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._sleep = sleep
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=True, max_redirects=5, transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              digest: str | None = None) -> Fetched:
        """The page, or ``changed=False`` when it is as last time; FetchError after the retries."""
        check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        last: str = ""
        for attempt in range(1, self.retries + 2):
            if attempt > 1:
                self._sleep(self.backoff * 2 ** (attempt - 2))
            try:
                return self._once(url, headers, digest, attempt)
            except _Retry as exc:
                last = str(exc)
        tries = self.retries + 1
        raise FetchError(f"{url}: {last}" + (f" ({tries} attempts)" if tries > 1 else ""))

    def _once(self, url: str, headers: dict[str, str], digest: str | None, attempt: int) -> Fetched:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                final = str(response.url)
                if urlsplit(final).scheme not in ("http", "https"):
                    raise FetchError(f"{url}: redirected to a non-http address")
                if response.status_code == 304:
                    return Fetched(final, False, 304, etag=headers.get("If-None-Match"),
                                   last_modified=headers.get("If-Modified-Since"), digest=digest,
                                   attempts=attempt)
                if response.status_code >= 500 or response.status_code == 429:
                    raise _Retry(f"server answered {response.status_code} {response.reason_phrase}")
                if response.status_code >= 400:
                    raise FetchError(f"{url}: server answered {response.status_code} {response.reason_phrase}")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{url}: page is {int(declared):,} bytes, over the "
                                     f"{self.max_bytes:,}-byte limit")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"{url}: page is over the {self.max_bytes:,}-byte limit")
                    chunks.append(chunk)
                body = b"".join(chunks)
                new_digest = hashlib.sha1(body).hexdigest()
                changed = new_digest != digest
                return Fetched(
                    final, changed, response.status_code,
                    text=_decode(body, response) if changed else "",
                    content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                    etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                    digest=new_digest, attempts=attempt,
                )
        except httpx.TimeoutException:
            raise _Retry("timed out") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: too many redirects") from None
        except httpx.UnsupportedProtocol:
            raise FetchError(f"{url}: redirected to a non-http address") from None
        except httpx.RemoteProtocolError as exc:
            raise _Retry(f"incomplete answer ({exc})") from None
        except httpx.TransportError as exc:
            raise _Retry(f"network error: {exc or type(exc).__name__}") from None


class _Retry(Exception):
    pass
