"""ingest → extract → store: turning a file into posts and claims with stable ids.

Ids come from content, so ingesting the same file twice changes nothing. A
later capture of the same live blog matches its posts by headline, else by
time stamp, so an edited post keeps its id; its claims keep their ids (and so
their verdicts) when their text is unchanged, and claims that vanished from
an edited post are retired, never deleted, with their verdicts.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from verifier.extract import extract, full_names
from verifier.follow.changes import edit_record
from verifier.ids import content_id, normalise
from verifier.ingest import RawDocument, read_document
from verifier.models import Claim, Post, Source
from verifier.progress import track
from verifier.store.database import Store, now_iso


@dataclass
class IngestReport:
    path: str
    posts: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0})
    claims: dict[str, int] = field(default_factory=lambda: {"added": 0, "unchanged": 0, "retired": 0})
    new_claim_ids: list[str] = field(default_factory=list)
    source_id: str = ""
    edited_post_ids: list[str] = field(default_factory=list)
    retired_claim_ids: list[str] = field(default_factory=list)


def source_key(doc: RawDocument) -> str:
    """What makes two captures the same source: its URL, else its title and date, else the file name."""
    if doc.url:
        return "url:" + doc.url
    if doc.title:
        day = (doc.updated or "")[:10]
        return f"{doc.kind}:{normalise(doc.title)}:{day}"
    return f"{doc.kind}:file:{os.path.basename(doc.path)}"


def _minutes_apart(a: str | None, b: str | None) -> float:
    if not a or not b:
        return float("inf")
    try:
        x, y = datetime.fromisoformat(a), datetime.fromisoformat(b)
        if (x.tzinfo is None) != (y.tzinfo is None):  # a stamp printed without its zone: wall times
            x, y = x.replace(tzinfo=None), y.replace(tzinfo=None)
        return abs((x - y).total_seconds()) / 60
    except (ValueError, TypeError):
        return float("inf")


def _post_key(raw) -> str:
    return normalise(raw.headline or "") or normalise(raw.body)[:200]


def _same_source(store: Store, doc: RawDocument, key: str) -> str:
    """A later capture of a page already stored keeps its source even when its key moved
    (an "Updated" line that crossed midnight): same kind and title, and a post in common."""
    if doc.url or not doc.title or any(s.key == key for s in store.sources.values()):
        return key
    title = normalise(doc.title)
    mine = {_post_key(p) for p in doc.posts if not p.is_summary}
    for src in store.sources.values():
        if src.kind != doc.kind or normalise(src.title or "") != title:
            continue
        theirs = {normalise(p.headline or "") or normalise(p.body)[:200]
                  for p in store.posts.values() if p.source_id == src.id and not p.is_summary}
        if mine & theirs:
            return src.key
    return key


def ingest_file(store: Store, path: str) -> IngestReport:
    doc = read_document(path)
    return ingest_document(store, doc)


def ingest_document(store: Store, doc: RawDocument) -> IngestReport:
    report = IngestReport(doc.path)
    key = _same_source(store, doc, source_key(doc))
    sid = report.source_id = content_id("source", key)
    store.put_source(Source(
        id=sid, key=key, kind=doc.kind, path=os.path.abspath(doc.path), title=doc.title,
        url=doc.url, bylines=doc.bylines, updated=doc.updated, ingested_at=now_iso(),
    ))
    existing = [p for p in store.posts.values() if p.source_id == sid]
    by_id = {p.id: p for p in existing}
    # A post's own URL (a "#post-123" anchor, a feed item's link) names it across edits,
    # when no two posts of the page share it.
    urls = Counter(raw.url for raw in doc.posts if raw.url)
    by_url = {p.url: p for p in existing if p.url and urls[p.url] == 1}
    claimed: set[str] = set()

    # Names used anywhere on the page resolve surnames in every post.
    surnames: dict[str, str] = {}
    for raw in doc.posts:
        for k, v in full_names((raw.headline or "") + "\n\n" + raw.body).items():
            surnames.setdefault(k, v)

    new_posts: list[Post] = []
    new_claims: list[Claim] = []
    claims_by_post: dict[str, list[Claim]] = {}
    for c in store.claims.values():
        claims_by_post.setdefault(c.post_id, []).append(c)

    summaries = 0
    for seq, raw in enumerate(track(doc.posts, "reading posts")):
        body = raw.body
        chash = content_id(normalise(raw.headline or ""), normalise(body), length=16)
        if raw.is_summary:
            # the page's summary block is one slot, whatever its text says today
            pid = content_id("post", sid, "summary", str(summaries))
            summaries += 1
            legacy = content_id("post", sid, _post_key(raw))
            if legacy in by_id and pid not in by_id:  # stored before summary slots existed
                pid = legacy
        else:
            pid = content_id("post", sid, _post_key(raw))
        if raw.url in by_url and by_url[raw.url].id not in claimed:
            pid = by_url[raw.url].id
        elif pid not in by_id or pid in claimed:
            # An edited headline: the same slot on the page, by time stamp.
            # (a date without a time of day is no slot: several posts share it)
            match = next((p for p in existing if p.id not in claimed and raw.published and "T" in raw.published
                          and _minutes_apart(p.published, raw.published) <= 2), None)
            if match is not None:
                pid = match.id
        if pid in claimed:  # two posts with one headline and no time: keep both
            pid = content_id("post", sid, str(seq), chash)
        claimed.add(pid)
        old = by_id.get(pid)
        if old is not None and old.content_hash == chash:
            report.posts["unchanged"] += 1
            if old.seq != seq:  # a new post above it moved it down the page
                old.seq = seq
                new_posts.append(old)
            continue
        post = Post(
            id=pid, source_id=sid, seq=seq, headline=raw.headline, body=body, byline=raw.byline,
            published=raw.published, timestamp_raw=raw.timestamp_raw, url=raw.url,
            content_hash=chash, is_summary=raw.is_summary,
        )
        if old is not None:  # every earlier version is kept, with what changed
            post.edits = list(old.edits) + [edit_record(old.headline, old.body, raw.headline, body, now_iso())]
            report.edited_post_ids.append(pid)
        new_posts.append(post)
        report.posts["updated" if old is not None else "added"] += 1

        seen: dict[str, int] = {}
        fresh: dict[str, Claim] = {}
        for d in extract(body, surnames):
            norm = normalise(d.text)
            n = seen.get(norm, 0)
            seen[norm] = n + 1
            cid = content_id("claim", pid, norm, str(n) if n else "")
            fresh[cid] = Claim(
                id=cid, post_id=pid, kind=d.kind, text=d.text, span=list(d.span), quote=d.quote,
                speaker=d.speaker, role=d.role, channel=d.channel,
                numbers=[{k: v for k, v in num.items() if k != "span"} for num in d.numbers],
                checkworthiness=d.checkworthiness,
            )
        for cid, claim in fresh.items():
            prev = store.claims.get(cid)
            if prev is not None:
                claim.cluster_id = prev.cluster_id
                report.claims["unchanged"] += 1
            else:
                report.claims["added"] += 1
                report.new_claim_ids.append(cid)
            new_claims.append(claim)
        for prev in claims_by_post.get(pid, []):
            if prev.id not in fresh and not prev.retired:
                prev.retired = True
                new_claims.append(prev)
                report.retired_claim_ids.append(prev.id)
                report.claims["retired"] += 1

    if new_posts:
        store.put_posts(new_posts)
    if new_claims:
        store.put_claims(new_claims)
    return report
