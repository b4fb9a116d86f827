"""schema.org ClaimReview as JSON-LD, following the fields Google's Fact Check markup documents.

One object per reviewed claim; unreviewed claims and those decided "not a
claim" are left out. Our statuses map to a three-point rating scale
(RATING_SCALE, documented in the README), or the desk's own labels and
ratings from verifier.toml [verdicts].
"""

from __future__ import annotations

from typing import Any

import orjson

from verifier.config import DEFAULT_VERDICTS, Config
from verifier.models import Claim
from verifier.export.records import Appearance, ClaimRecord, claim_words, records
from verifier.extract.names import is_institution
from verifier.store.interface import ClaimStore
from verifier.text import is_web_url, json_safe, one_line
from verifier.factchecks.library import prior_checks

# status -> (ratingValue, alternateName, name) by default. 1 is worst, 3 best.
RATING_SCALE = {s: (rating, label, name) for s, (label, rating, name) in DEFAULT_VERDICTS.items()}
WORST, BEST = 1, 3
CLAIM_REVIEWED_MAX = 500  # characters: a short statement of the claim, not the article


def build(store: ClaimStore, config: Config) -> list[dict[str, Any]]:
    return [review(r, config, store, same_claim_posts(store, r.claim)) for r in records(store, tuple(config.verdicts))]


def same_claim_posts(store: ClaimStore, claim: Claim) -> set[str]:
    """Posts that state this claim as reviewed: its own, and those of cluster members with the same
    figures and no negation. A member with another figure (a changed toll) is a conflict, not an
    appearance of the reviewed claim."""
    from verifier.link.conflicts import figures
    from verifier.link.tokens import negation_flip, normalise

    posts = {claim.post_id}
    cl = store.cluster(claim.cluster_id or "")
    if cl is None:
        return posts
    norm = normalise(claim.text)
    for cid in cl.claim_ids:
        other = store.claim(cid)
        if other is None or other.id == claim.id or other.post_id in posts:
            continue
        other_norm = normalise(other.text)
        if not figures(claim, other, norm, other_norm) and not negation_flip(norm, other_norm):
            posts.add(other.post_id)
    return posts


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
    if r.source and (r.source.title or r.source_url):
        # an unattributed figure is the publication's own claim
        pub: dict[str, Any] = {"@type": "Organization", "name": one_line(r.source.title or r.source_url or "")}
        if r.source_url:
            pub["url"] = r.source_url
        return pub
    return None


def _prior(p: dict[str, Any]) -> dict[str, Any]:
    """A prior fact-check (from the library) as the ClaimReview it was published as."""
    prior: dict[str, Any] = {"@type": "ClaimReview", "claimReviewed": one_line(p["claim"], CLAIM_REVIEWED_MAX)}
    if p.get("url"):
        prior["url"] = p["url"]
    if p.get("publisher"):
        prior["author"] = {"@type": "Organization", "name": one_line(p["publisher"])}
    if p.get("rating"):
        prior["reviewRating"] = {"@type": "Rating", "alternateName": one_line(p["rating"])}
    if p.get("claimant") or p.get("date"):
        item: dict[str, Any] = {"@type": "Claim"}
        if p.get("claimant"):
            item["author"] = {"@type": "Person", "name": one_line(p["claimant"])}
        if p.get("date"):
            item["datePublished"] = p["date"]
        prior["itemReviewed"] = item
    return prior


def review(r: ClaimRecord, config: Config, store: ClaimStore | None = None,
           appears_in: set[str] | None = None) -> dict[str, Any]:
    """One ClaimReview; appears_in (post ids) limits `appearance` to posts stating the same figures."""
    c, v = r.claim, r.verdict
    # the desk's own labels and scale from verifier.toml [verdicts]; RATING_SCALE by default
    alternate, value, name = config.verdicts[v.status]
    rating: dict[str, Any] = {"@type": "Rating", "ratingValue": value, "bestRating": config.best,
                              "worstRating": config.worst,
                              "alternateName": alternate, "name": name}
    if v.note:
        rating["ratingExplanation"] = one_line(v.note)
    item: dict[str, Any] = {"@type": "Claim"}
    claimant = _claimant(r)
    if claimant:
        item["author"] = claimant
    appearances = [a for a in r.appearances if appears_in is None or a.post_id in appears_in]
    if appearances:
        first = min(appearances, key=lambda a: a.published or "\uffff")
        if first.published:
            item["datePublished"] = _date(first.published)
        item["appearance"] = [_work(a) for a in appearances]
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
    based = [_prior(p) for p in prior_checks(store, c.id) if p["adopted"]] if store is not None else []
    if based:  # a published check the person adopted: this review rests on it
        out["isBasedOn"] = based
    if v.evidence:
        out["citation"] = [{"@type": "CreativeWork", "url": e} if is_web_url(e)
                           else {"@type": "CreativeWork", "text": one_line(e)} for e in v.evidence]
    return {k: val for k, val in out.items() if val is not None}


def dumps(reviews: list[dict[str, Any]]) -> str:
    # orjson: C speed at 100,000 claims; json_safe: no bidi or C1 control reaches a terminal
    return json_safe(orjson.dumps(reviews, option=orjson.OPT_INDENT_2).decode()) + "\n"
