"""One flat record per claim, shared by the CSV, Markdown and ClaimReview exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verifier.models import STATUSES, Claim, Post, Source, Verdict
from verifier.store.database import Store

# The order reports list verdicts in: what needs attention first.
REPORT_ORDER = ("disputed", "unverified", "sourced", "unreviewed")


@dataclass
class Appearance:
    post_id: str
    headline: str | None
    published: str | None
    url: str | None  # the post's own URL, else its page's
    source_title: str | None


@dataclass
class ClaimRecord:
    claim: Claim
    verdict: Verdict
    post: Post | None
    source: Source | None
    appearances: list[Appearance] = field(default_factory=list)  # this claim's post, then its cluster's, by time
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    quote_check: dict[str, Any] | None = None


def post_headline(post: Post, words: int = 12, width: int = 90) -> tuple[str | None, bool]:
    """(headline, derived): a post without a headline gets one made from its first words.
    The untimed summary post keeps none: it is the page's summary, not a post of its own."""
    if post.headline and post.headline.strip():
        return post.headline, False
    if post.is_summary or not post.body.strip():
        return None, False
    first = post.body.split("\n\n", 1)[0].split()
    text = " ".join(first[:words])
    if len(text) > width:
        text = text[:width].rsplit(" ", 1)[0]
    if text != " ".join(first):
        text = text.rstrip(" ,;:-–—") + "…"
    return text, True


def _appearance(store: Store, post_id: str) -> Appearance | None:
    post = store.posts.get(post_id)
    if post is None:
        return None
    source = store.sources.get(post.source_id)
    return Appearance(post.id, post_headline(post)[0], post.published,
                      post.url or (source.url if source else None), source.title if source else None)


def records(store: Store, statuses: tuple[str, ...] = STATUSES) -> list[ClaimRecord]:
    """Live claims with these statuses, in page order."""
    out = []
    for c in store.live_claims():
        v = store.verdict(c.id)
        if v.status not in statuses:
            continue
        post = store.posts.get(c.post_id)
        source = store.sources.get(post.source_id) if post else None
        cl = store.clusters.get(c.cluster_id or "")
        post_ids = [c.post_id]
        for other in (cl.claim_ids if cl else ()):
            pid = store.claims[other].post_id if other in store.claims else None
            if pid and pid not in post_ids:
                post_ids.append(pid)
        apps = [a for a in (_appearance(store, pid) for pid in post_ids) if a]
        apps[1:] = sorted(apps[1:], key=lambda a: a.published or "")
        conflicts = [x for x in (cl.conflicts if cl else []) if c.id in x.get("claims", [])]
        out.append(ClaimRecord(c, v, post, source, apps, conflicts, store.quote_checks.get(c.id)))
    out.sort(key=lambda r: ((r.source.id if r.source else ""), r.post.seq if r.post else 0, r.claim.span[0]))
    return out


def claim_words(c: Claim) -> str:
    """What was claimed, in the claimant's words where we have them."""
    return c.quote if c.kind == "quote" and c.quote else c.text
