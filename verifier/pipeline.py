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
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from verifier.errors import InputError
from verifier.extract import extract, full_names
from verifier.follow.changes import edit_record
from verifier.ids import content_id, normalise
from verifier.ingest import RawDocument, read_document
from verifier.models import Claim, ClaimKind, Post, Source
from verifier.progress import track
from verifier.store.database import now_iso
from verifier.store.interface import ClaimStore

# Inputs past these are not news prose (a log, a dump, an attack): refused before any work.
MAX_LINE_BYTES = 1 << 20  # a line of a text file (HTML and JSON may be one long line)
MAX_FILE_BYTES = 64 << 20
MAX_PARAGRAPH_CHARS = 50_000  # a paragraph after reading: extraction time grows with it
_STRUCTURED = (".html", ".htm", ".json", ".jsonl", ".ndjson", ".xml")


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


def check_input_shape(path: str) -> None:
    """Refuse quickly, in bounded memory, a file no reader should parse: too large, or a text
    file with a megabyte-long line. Missing files and the like are left to the reader's errors."""
    try:
        size = os.path.getsize(path)
        if not os.path.isfile(path):
            return
    except OSError:
        return
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size / 1e6:.0f} MB is larger than the {MAX_FILE_BYTES >> 20} MB this reader takes")
    if os.path.splitext(path)[1].lower() in _STRUCTURED:
        return
    run = 0  # bytes since the last newline
    try:
        with open(path, "rb") as fh:
            while run <= MAX_LINE_BYTES and (chunk := fh.read(1 << 20)):
                parts = chunk.split(b"\n")
                run += len(parts[0])
                if len(parts) > 1 and run <= MAX_LINE_BYTES:
                    run = max(map(len, parts[1:-1]), default=0)
                    run = run if run > MAX_LINE_BYTES else len(parts[-1])
    except OSError:
        return
    if run > MAX_LINE_BYTES:
        raise InputError(f"{path}: a line longer than {MAX_LINE_BYTES >> 20} MB: not a text this reader takes")


def read_input(path: str) -> RawDocument:
    """A user's file as a document, or one InputError line naming the file."""
    check_input_shape(path)
    try:
        doc = read_document(path)
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None
    except MemoryError:
        raise InputError(f"{path}: too large to read") from None
    _check_types(doc)
    for post in doc.posts:
        for para in post.paragraphs:
            if len(para) > MAX_PARAGRAPH_CHARS:
                raise InputError(f"{path}: a paragraph of {len(para):,} characters (at most "
                                 f"{MAX_PARAGRAPH_CHARS:,}): not news prose")
    return doc


def _post_key(raw: Any) -> str:
    return normalise(raw.headline or "") or normalise(raw.body)[:200]


def _same_source(store: ClaimStore, doc: RawDocument, key: str) -> str:
    """A later capture of a page already stored keeps its source even when its key moved
    (an "Updated" line that crossed midnight): same kind and title, and a post in common."""
    if doc.url or not doc.title or any(s.key == key for s in store.iter_sources()):
        return key
    title = normalise(doc.title)
    mine = {_post_key(p) for p in doc.posts if not p.is_summary}
    for src in store.iter_sources():
        if src.kind != doc.kind or normalise(src.title or "") != title:
            continue
        theirs = {normalise(p.headline or "") or normalise(p.body)[:200]
                  for p in store.iter_posts() if p.source_id == src.id and not p.is_summary}
        if mine & theirs:
            return src.key
    return key


def _check_types(doc: RawDocument) -> None:
    """A reader hands on what the file said: a title that is a number is refused here, naming it."""
    def text(value: object, where: str) -> None:
        if value is not None and not isinstance(value, str):
            raise InputError(f"{doc.path}: {where}: expected text")

    text(doc.title, "title")
    text(doc.url, "url")
    for b in doc.bylines:
        text(b, "bylines")
    for n, post in enumerate(doc.posts, 1):
        for name in ("headline", "byline", "published", "timestamp_raw", "url"):
            text(getattr(post, name), f"post {n}: {name}")
        for para in post.paragraphs:
            text(para, f"post {n}: body")


def ingest_file(store: ClaimStore, path: str) -> IngestReport:
    doc = read_input(path)
    return ingest_document(store, doc)


def ingest_files(store: ClaimStore, paths: list[str]) -> list[IngestReport]:
    """The ingest policy shared by the CLI, the workbench and the benchmarks.

    Every file is read before anything is stored (one bad file stores nothing);
    new claims are linked (the whole database when they are most of it, else
    only the new ones against the rest), the quotes of the blogs just read are
    checked, and the batch is saved in one atomic write.
    """
    from verifier.ingest.parallel import bulk_work

    with bulk_work():
        return _ingest_files(store, paths)


def _ingest_files(store: ClaimStore, paths: list[str]) -> list[IngestReport]:
    from verifier.ingest.parallel import settle
    from verifier.link import link_new
    from verifier.quotecheck.check import check_claims

    docs = [read_input(p) for p in paths]
    reports = ingest_documents(store, docs)
    settle()
    # Only the new claims are linked, against the saved link index (<db>.link).
    linked = link_new(store, [cid for r in reports for cid in r.new_claim_ids],
                      retired_ids=[cid for r in reports for cid in r.retired_claim_ids])
    settle()
    # Quotes of the blogs just read: new posts may repeat (or reword) earlier quotes.
    touched = {r.source_id for r in reports}
    quotes = []
    for c in store.live_claims():
        if c.kind == "quote":
            post = store.post(c.post_id)
            if post is not None and post.source_id in touched:
                quotes.append(c.id)
    check_claims(store, quotes)
    store.save()
    linked.save_index()  # after the save: the index names the database state it matches
    return reports


EXTRACT_PARALLEL_FROM = 400  # posts of first captures worth extracting in a second process


def ingest_documents(store: ClaimStore, docs: list[RawDocument]) -> list[IngestReport]:
    """ingest_document for each, in order; the claims of sources seen for the first time are
    extracted first, half in a second process on a machine with two cores (the same drafts:
    extraction reads only a post's body and its page's names)."""
    extracted = extract_first_captures(store, docs)
    return [ingest_document(store, d, extracted.get(i)) for i, d in enumerate(docs)]


def extract_first_captures(store: ClaimStore, docs: list[RawDocument]) -> dict[int, list[list[Any]]]:
    """doc number -> each post's drafts, for the documents whose source holds no posts yet (every
    post of those is new, so nothing is extracted in vain)."""
    from verifier.ingest.parallel import halves

    stored = {p.source_id for p in store.iter_posts()}
    todo = [i for i, d in enumerate(docs)
            if content_id("source", _same_source(store, d, source_key(d))) not in stored]
    if not todo:
        return {}
    names = {i: _page_names(docs[i]) for i in todo}
    items = [(i, j) for i in todo for j in range(len(docs[i].posts))]
    sizes = [len(docs[i].posts[j].body) for i, j in items]
    half, run, split = sum(sizes) / 2, 0, len(items)
    for k, size in enumerate(sizes):  # the child's part starts where half the text is done
        run += size
        if run >= half:
            split = k + 1
            break

    def work(part: Any) -> list[list[Any]]:
        return [extract(docs[i].posts[j].body, names[i]) for i, j in track(part, "extracting claims")]

    drafts = halves(work, items, at_least=EXTRACT_PARALLEL_FROM, split=split)
    out: dict[int, list[list[Any]]] = {i: [] for i in todo}
    for (i, _), d in zip(items, drafts):
        out[i].append(d)
    return out


def _page_names(doc: RawDocument) -> dict[str, str]:
    """Names used anywhere on the page resolve surnames in every post (a surname two people share resolves to neither)."""
    return full_names("\n\n".join((raw.headline or "") + "\n\n" + raw.body for raw in doc.posts))


def ingest_document(store: ClaimStore, doc: RawDocument, extracted: list[list[Any]] | None = None) -> IngestReport:
    """``extracted``: each post's drafts when they were extracted already (extract_first_captures)."""
    report = IngestReport(doc.path)
    key = _same_source(store, doc, source_key(doc))
    sid = report.source_id = content_id("source", key)
    store.put_source(Source(
        id=sid, key=key, kind=doc.kind, path=os.path.abspath(doc.path), title=doc.title,  # stored relative
        url=doc.url, bylines=doc.bylines, updated=doc.updated, ingested_at=now_iso(),
    ))
    existing = [p for p in store.iter_posts() if p.source_id == sid]
    by_id = {p.id: p for p in existing}
    # A post's own URL (a "#post-123" anchor, a feed item's link) names it across edits,
    # when no two posts of the page share it.
    urls = Counter(raw.url for raw in doc.posts if raw.url)
    by_url = {p.url: p for p in existing if p.url and urls[p.url] == 1}
    claimed: set[str] = set()

    surnames = _page_names(doc) if extracted is None else {}

    new_posts: list[Post] = []
    new_claims: list[Claim] = []
    claims_by_post: dict[str, list[Claim]] = {}
    if by_id:  # a new capture of a stored page (a first one has no claims to retire: no pass over the database)
        for c in store.iter_claims():
            if c.post_id in by_id:
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
                new_posts.append(replace(old, seq=seq))
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
        for d in (extract(body, surnames) if extracted is None else extracted[seq]):
            norm = normalise(d.text)
            n = seen.get(norm, 0)
            seen[norm] = n + 1
            cid = content_id("claim", pid, norm, str(n) if n else "")
            fresh[cid] = Claim(
                id=cid, post_id=pid, kind=cast(ClaimKind, d.kind), text=d.text, span=list(d.span), quote=d.quote,
                speaker=d.speaker, role=d.role, channel=d.channel,
                numbers=[{k: v for k, v in num.items() if k != "span"} for num in d.numbers],
                checkworthiness=d.checkworthiness,
            )
        for cid, claim in fresh.items():
            prev = store.claim(cid)
            if prev is not None:
                claim.cluster_id = prev.cluster_id
                report.claims["unchanged"] += 1
            else:
                report.claims["added"] += 1
                report.new_claim_ids.append(cid)
            new_claims.append(claim)
        for prev in claims_by_post.get(pid, []):
            if prev.id not in fresh and not prev.retired:
                new_claims.append(replace(prev, retired=True))
                report.retired_claim_ids.append(prev.id)
                report.claims["retired"] += 1

    if new_posts:
        store.put_posts(new_posts)
    if new_claims:
        store.put_claims(new_claims)
    from verifier.factchecks.library import match_new_claims

    match_new_claims(store, report.new_claim_ids)  # checked before? the new claims against the library
    return report
