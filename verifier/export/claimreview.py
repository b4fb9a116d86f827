"""schema.org ClaimReview as JSON-LD, following the fields Google's Fact Check markup documents.

One object per reviewed claim; unreviewed claims and those decided "not a
claim" are left out. Our statuses map to a three-point rating scale
(RATING_SCALE, documented in the README), or the desk's own labels and
ratings from verifier.toml [verdicts].
"""

from __future__ import annotations

import json
from typing import Any

from verifier.config import DEFAULT_VERDICTS, Config
from verifier.export.records import Appearance, ClaimRecord, claim_words, records
from verifier.extract.names import is_institution
from verifier.store.database import Store
from verifier.text import one_line

# status -> (ratingValue, alternateName, name) by default. 1 is worst, 3 best.
RATING_SCALE = {s: (rating, label, name) for s, (label, rating, name) in DEFAULT_VERDICTS.items()}
WORST, BEST = 1, 3
CLAIM_REVIEWED_MAX = 500  # characters: a short statement of the claim, not the article


def build(store: Store, config: Config) -> list[dict[str, Any]]:
    return [review(r, config) for r in records(store, tuple(config.verdicts))]


def _date(iso: str | None) -> str | None:
    return iso[:10] if iso else None


def _work(a: Appearance) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if a.url:
        work["url"] = a.url
    if a.headline:
        work["headline"] = one_line(a.headline)
    if a.published:
        work["datePublished"] = a.published
    if a.source_title:
        work["isPartOf"] = {"@type": "CreativeWork", "name": one_line(a.source_title)}
    return work


def _claimant(r: ClaimRecord) -> dict[str, Any] | None:
    c = r.claim
    if c.speaker:
        kind = "Organization" if is_institution(c.speaker) else "Person"
        out: dict[str, Any] = {"@type": kind, "name": one_line(c.speaker)}
        if c.role and kind == "Person":
            out["jobTitle"] = one_line(c.role)
        return out
    if r.source and (r.source.title or r.source.url):
        # an unattributed figure is the publication's own claim
        pub: dict[str, Any] = {"@type": "Organization", "name": one_line(r.source.title or r.source.url or "")}
        if r.source.url:
            pub["url"] = r.source.url
        return pub
    return None


def review(r: ClaimRecord, config: Config) -> dict[str, Any]:
    c, v = r.claim, r.verdict
    # the desk's own labels and scale from verifier.toml [verdicts]; RATING_SCALE by default
    alternate, value, name = config.verdicts[v.status]
    rating: dict[str, Any] = {"@type": "Rating", "ratingValue": value, "bestRating": config.best,
                              "worstRating": config.worst,
                              "alternateName": alternate, "name": name}
    if v.note:
        rating["ratingExplanation"] = v.note
    item: dict[str, Any] = {"@type": "Claim"}
    claimant = _claimant(r)
    if claimant:
        item["author"] = claimant
    if r.appearances:
        first = min(r.appearances, key=lambda a: a.published or "\uffff")
        if first.published:
            item["datePublished"] = _date(first.published)
        item["appearance"] = [_work(a) for a in r.appearances]
        item["firstAppearance"] = _work(first)
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": config.review_url.format(org_url=config.org_url, claim_id=c.id),
        "datePublished": _date(v.updated_at),
        "author": {"@type": "Organization", "name": config.org_name, "url": config.org_url},
        "claimReviewed": one_line(claim_words(c), CLAIM_REVIEWED_MAX),
        "reviewRating": rating,
        "itemReviewed": item,
        "identifier": c.id,
    }
    if v.evidence:
        out["citation"] = [{"@type": "CreativeWork", "url": e} if e.startswith(("http://", "https://"))
                           else {"@type": "CreativeWork", "text": e} for e in v.evidence]
    return {k: val for k, val in out.items() if val is not None}


def dumps(reviews: list[dict[str, Any]]) -> str:
    return json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
