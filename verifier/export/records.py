"""One flat record per claim, shared by the CSV, Markdown and ClaimReview exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from verifier.models import STATUSES, Claim, Conflict, Post, QuoteCheck, Source, Verdict
from verifier.store.interface import ClaimStore
from verifier.text import safe_url

# The order reports list verdicts in: what needs attention first.
REPORT_ORDER = ("disputed", "unverified", "sourced", "unreviewed")


@dataclass
class Appearance:
    post_id: str
    headline: str | None
    published: str | None
    url: str | None  # the post's own URL, else its page's; only http(s), never javascript: or data:
    source_title: str | None


@dataclass
class ClaimRecord:
    claim: Claim
    verdict: Verdict
    post: Post | None
    source: Source | None
    appearances: list[Appearance] = field(default_factory=list)  # this claim's post, then its cluster's, by time
    conflicts: list[Conflict] = field(default_factory=list)
    quote_check: QuoteCheck | None = None

    @property
    def source_url(self) -> str | None:
        return safe_url(self.source.url) if self.source else None


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


def _appearance(store: ClaimStore, post_id: str) -> Appearance | None:
    post = store.post(post_id)
    if post is None:
        return None
    source = store.source(post.source_id)
    url = safe_url(post.url) or (safe_url(source.url) if source else None)
    return Appearance(post.id, post_headline(post)[0], post.published, url, source.title if source else None)


def records(store: ClaimStore, statuses: tuple[str, ...] = STATUSES) -> list[ClaimRecord]:
    """Live claims with these statuses, in page order."""
    out = []
    for c in store.live_claims():
        v = store.verdict(c.id)
        if v.status not in statuses:
            continue
        post = store.post(c.post_id)
        source = store.source(post.source_id) if post else None
        cl = store.cluster(c.cluster_id) if c.cluster_id else None
        post_ids = [c.post_id]
        for other in (cl.claim_ids if cl else ()):
            oc = store.claim(other)
            pid = oc.post_id if oc else None
            if pid and pid not in post_ids:
                post_ids.append(pid)
        apps = [a for a in (_appearance(store, pid) for pid in post_ids) if a]
        apps[1:] = sorted(apps[1:], key=lambda a: a.published or "")
        conflicts = [x for x in (cl.conflict_records() if cl else []) if c.id in x.claims]
        out.append(ClaimRecord(c, v, post, source, apps, conflicts, store.quote_check(c.id)))
    out.sort(key=lambda r: ((r.source.id if r.source else ""), r.post.seq if r.post else 0, r.claim.span[0]))
    return out


def claim_words(c: Claim) -> str:
    """What was claimed, in the claimant's words where we have them."""
    return c.quote if c.kind == "quote" and c.quote else c.text
