"""Records of the fact-check library: a published check, and a claim's match against one."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.ids import content_id, normalise
from verifier.models import _Record

DESK = "desk"  # origin of entries made from this database's own verdicts


@dataclass(slots=True)
class FactCheck(_Record):
    """One published fact-check: what was claimed, by whom, and the verdict on it."""

    key: str  # library key: content id of (publisher, id); the same check read twice is one entry
    id: str  # its own id in its source: CLEF vclaim_id, ClaimReview identifier or URL, CSV id
    claim: str  # the checked claim (ClaimReview claimReviewed)
    title: str | None = None  # the fact-check article's headline
    claimant: str | None = None  # who made the claim (itemReviewed.author)
    date: str | None = None  # ISO date the claim was made, else the review's date
    publisher: str | None = None  # the fact-checker (ClaimReview author)
    rating: str | None = None  # the verdict in words (reviewRating.alternateName)
    url: str | None = None  # the review's URL
    origin: str = ""  # the file it was read from ("desk" for this database's own verdicts)
    added_at: str | None = None


def entry_key(publisher: str | None, own_id: str) -> str:
    return content_id("factcheck", normalise(publisher or ""), own_id)


@dataclass(slots=True)
class Match:
    """A claim's match against a library entry; a suggestion with its score, never a verdict."""

    claim_id: str
    entry: FactCheck
    score: float  # 0..1: the calibrated match score ("checked before" above CHECKED_BEFORE)
    checked_before: bool
    rank: int = 1
