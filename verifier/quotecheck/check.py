"""Check every quote claim against the reference texts and other posts; store the results.

"Other posts" are the posts of the claim's own live blog (summary posts repeat
earlier ones) and the posts of claims linked to it: where the same words are
likely to come back, without indexing every post of a 100,000-claim database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any, Iterable, Sequence

from verifier.models import Claim, Post, QuoteCheck
from verifier.quotecheck.align import QuoteMatch, align, same_person  # noqa: F401 (same_person: for the TUI)
from verifier.quotecheck.index import TextIndex, cached, one_text
from verifier.quotecheck.words import Words
from verifier.quotecheck.words import normalise as normalise_words
from verifier.store.database import now_iso
from verifier.store.interface import ClaimStore
from verifier.progress import report as report_progress


def reference_index(store: ClaimStore) -> TextIndex:
    refs = list(store.iter_references())
    if len(refs) == 1:  # the usual desk: one transcript, its index cached on disk
        return one_text(f"reference:{refs[0].id}", refs[0].title, refs[0].text, refs[0].speaker)

    def build() -> TextIndex:
        index = TextIndex()
        for ref in refs:
            index.add(f"reference:{ref.id}", ref.title, ref.text, ref.speaker)
        return index
    if not refs:
        return TextIndex()
    h = hashlib.sha1()
    for ref in refs:  # the ids are content ids: the texts themselves need no hashing
        h.update(f"{ref.id}\0{ref.title}\0{ref.speaker}\0".encode("utf-8", "surrogatepass"))
    return cached("refs-" + h.hexdigest(), build)


def all_posts_index(store: ClaimStore) -> TextIndex:
    """Every post of the database, for `verify-quote`: cached on disk under a digest of the
    posts and their speakers, so a large database is read into words once per change."""
    by_post: dict[str, list[Claim]] = defaultdict(list)
    for c in store.live_claims():
        by_post[c.post_id].append(c)
    posts = list(store.iter_posts())
    h = hashlib.sha1()
    for post in posts:
        h.update(f"{post.id}\0{_label(post)}\0{post.body}\0{post_turns(by_post.get(post.id, []))}\0"
                 .encode("utf-8", "surrogatepass"))

    def build() -> TextIndex:
        index = TextIndex()
        for post in posts:
            _add(index, post, by_post.get(post.id, []))
        return index
    return cached("posts-" + h.hexdigest(), build) if posts else TextIndex()


def _label(p: Post) -> str:
    return " ".join(x for x in ((p.published or "")[:16].replace("T", " "), p.headline or "") if x)


def post_turns(claims: list[Claim]) -> list[tuple[int, str | None]]:
    """Who speaks where in a post, from its attributed claims."""
    turns: list[tuple[int, str | None]] = []
    for c in sorted(claims, key=lambda c: c.span[0]):
        if c.speaker:
            turns += [(c.span[0], c.speaker), (c.span[1], None)]
    return turns


def add_post(index: TextIndex, store: ClaimStore, post_id: str, claims: list[Claim]) -> None:
    post = store.post(post_id)
    if post is None:
        raise KeyError(post_id)
    _add(index, post, claims)


def _add(index: TextIndex, post: Post, claims: list[Claim]) -> None:
    index.add(f"post:{post.id}", _label(post), post.body, turns=post_turns(claims))


def quote_text(claim: Claim) -> str:
    return claim.quote or claim.text


def check_claim(claim: Claim, refs: TextIndex, posts: TextIndex) -> dict[str, Any]:
    """One claim's record: the best reference match, the best other-post match, and
    the overall class (the reference decides when it has the quote)."""
    q = quote_text(claim)
    ref = align(q, refs, speaker=claim.speaker)
    other = align(q, posts, exclude={f"post:{claim.post_id}"}, speaker=claim.speaker)
    best = ref if ref.found else other
    return {"claim_id": claim.id, "status": best.status, "reference": ref.to_dict(), "post": other.to_dict(),
            "references_searched": len(refs), "posts_searched": max(0, len(posts) - 1), "checked_at": now_iso()}


LINKED_POSTS = 50  # posts of other blogs a quote's cluster adds to the search, the earliest first: a wire
# quote repeated 1,000 times is found in 50 of its copies (the follower uses the same bound)
PARALLEL_FROM = 4000  # quotes worth a second process for (forked, where the platform forks)


def check_claims(store: ClaimStore, claim_ids: Iterable[str] | None = None,
                 workers: int | None = None) -> dict[str, int]:
    """(Re)check quote claims: all of them, or those given. Returns counts per class.

    Each quote is looked for in the posts of the blogs the checked quotes come from, and in
    the posts of its cluster (the earliest LINKED_POSTS, other blogs). Those posts make one
    index, each post read into words once for the run (a post per blog and per cluster it
    belongs to cost a 25,000-post ingest ~10x the words). ``workers``: processes to align in
    (None: up to two when there are many quotes and nothing else runs in this process)."""
    wanted = set(claim_ids) if claim_ids is not None else None
    quotes = [c for c in store.live_claims() if c.kind == "quote" and (wanted is None or c.id in wanted)]
    if not quotes:
        store.put_quote_checks(())
        return {}
    refs = reference_index(store)
    sources: set[str] = set()
    for c in quotes:
        post = store.post(c.post_id)
        if post is not None:
            sources.add(post.source_id)
    post_ids = [p.id for p in store.iter_posts() if p.source_id in sources]
    seen = set(post_ids)
    done_clusters: set[str] = set()
    for c in quotes:  # posts of linked claims, from other blogs
        if not c.cluster_id or c.cluster_id in done_clusters:
            continue
        done_clusters.add(c.cluster_id)
        cl = store.cluster(c.cluster_id)
        n = 0
        for other in (cl.claim_ids if cl else ()):
            oc = store.claim(other)
            pid = oc.post_id if oc is not None else None
            if pid and pid not in seen and store.post(pid) is not None:
                seen.add(pid)
                post_ids.append(pid)
                n += 1
                if n >= LINKED_POSTS:
                    break
    by_post: dict[str, list[Claim]] = defaultdict(list)
    for c in store.live_claims():
        if c.post_id in seen:
            by_post[c.post_id].append(c)
    report_progress("checking quotes", 0, len(quotes))
    import numpy  # noqa: F401  a batch tallies the votes of common words in C (see TextIndex._votes)

    from verifier.ingest.parallel import halves, settle

    posts = [p for p in map(store.post, post_ids) if p is not None]
    read = halves(_read_posts, posts, at_least=INDEX_PARALLEL_FROM)  # the words of each post, on two cores
    index = TextIndex()
    for post, words in zip(posts, read):
        index.add(f"post:{post.id}", _label(post), post.body, turns=post_turns(by_post.get(post.id, [])),
                  words=_words(words))

    settle()  # the index lives as long as the checks
    results = _align_all(quotes, refs, index, workers)
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r["status"]] += 1
    report_progress("checking quotes", len(quotes), len(quotes))
    store.put_quote_checks(QuoteCheck.from_dict(r) for r in results)
    return dict(counts)


INDEX_PARALLEL_FROM = 2000  # posts worth reading into words in a second process


def _read_posts(posts: Sequence[Post]) -> list[tuple[list[str], list[tuple[int, int]], dict[int, str], list[str]]]:
    """Each post's normalised words as plain data (sent back from a worker process)."""
    out = []
    for p in posts:
        w = normalise_words(p.body)
        out.append((w.words, w.spans, w.alts, w.raw))
    return out


def _words(data: tuple[list[str], list[tuple[int, int]], dict[int, str], list[str]]) -> Words:
    w = Words()
    w.words, w.spans, w.alts, w.raw = data
    return w


def _align_all(quotes: list[Claim], refs: TextIndex, index: TextIndex, workers: int | None) -> list[dict[str, Any]]:
    """Every quote's record, in the quotes' order (half of them in a second process when many:
    a quote's check reads only the two indexes, so the answers are the same)."""
    from verifier.ingest.parallel import halves

    return halves(lambda part: [check_claim(c, refs, index) for c in part], quotes,
                  at_least=PARALLEL_FROM, workers=workers)


def match_of(record: QuoteCheck | dict[str, Any] | None) -> QuoteMatch | None:
    """The match that decided a stored check's class (a ``QuoteCheck``, or its dict form)."""
    if not record:
        return None
    if isinstance(record, QuoteCheck):
        record = record.to_dict()
    ref = QuoteMatch.from_dict(record["reference"])
    return ref if ref.found else QuoteMatch.from_dict(record["post"])
