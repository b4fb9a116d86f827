"""The verifier-export/1 JSON document (see verifier/schemas/export-v1.schema.json)."""

from __future__ import annotations

from typing import Any

import orjson

from verifier.export.records import post_headline
from verifier.factchecks.library import prior_checks
from verifier.models import Claim, QuoteCheck
from verifier.quotecheck.align import QuoteMatch
from verifier.store.database import now_iso
from verifier.store.interface import ClaimStore
from verifier.text import json_safe, safe_url

SCHEMA_ID = "verifier-export/1"


def build(store: ClaimStore, *, include_retired: bool = False) -> dict[str, Any]:
    claims = list(store.iter_claims(include_retired=include_retired))
    posts = sorted(store.iter_posts(), key=lambda p: (p.source_id, p.seq))
    order = {p.id: i for i, p in enumerate(posts)}
    claims.sort(key=lambda c: (order.get(c.post_id, 0), c.span[0]))
    return {
        "schema": SCHEMA_ID,
        "exported_at": now_iso(),
        "sources": [
            {"id": s.id, "kind": s.kind, "title": s.title, "url": safe_url(s.url), "path": s.path,
             "bylines": s.bylines, "updated": s.updated}
            for s in store.iter_sources()
        ],
        "posts": [_post(p) for p in posts],
        "claims": _claims(store, claims),
        "clusters": [
            {"id": cl.id, "claim_ids": cl.claim_ids, "conflicts": cl.conflicts}
            for cl in store.iter_clusters()
        ],
    }


def _post(p: Any) -> dict[str, Any]:
    headline, derived = post_headline(p)
    out = {"id": p.id, "source_id": p.source_id, "headline": headline, "byline": p.byline,
           "published": p.published, "timestamp_raw": p.timestamp_raw, "url": safe_url(p.url)}
    if derived:
        out["headline_derived"] = True  # made from the post's first words: the page printed none
    if p.is_summary:
        out["summary"] = True
    return out


_UNREVIEWED: dict[str, Any] = {"status": "unreviewed", "note": None, "evidence": [], "updated_at": None, "by": None}


def _claims(store: ClaimStore, claims: list[Claim]) -> list[dict[str, Any]]:
    """One pass: verdicts looked up in a dict, not built per claim (100,000 claims, most unreviewed)."""
    verdicts = {v.claim_id: {"status": v.status, "note": v.note, "evidence": list(v.evidence),
                             "updated_at": v.updated_at, "by": v.by} for v in store.iter_verdicts()}
    return [_claim(store, c, verdicts.get(c.id, _UNREVIEWED)) for c in claims]


def _claim(store: ClaimStore, c: Claim, verdict: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c.id, "post_id": c.post_id, "kind": c.kind, "text": c.text, "quote": c.quote,
        "speaker": c.speaker, "role": c.role, "channel": c.channel,
        "numbers": [{"value": n["value"], "unit": n.get("unit"), "text": n["text"],
                     "qualifier": n.get("qualifier"), "kind": n.get("kind")} for n in c.numbers],
        "span": list(c.span), "checkworthiness": c.checkworthiness, "cluster_id": c.cluster_id,
        "verdict": verdict,
        "quote_check": _quote_check(store.quote_check(c.id)),
        "prior_checks": prior_checks(store, c.id),  # published fact-checks it repeats (verifier/factchecks)
    }


def _quote_check(qc: QuoteCheck | None) -> dict[str, Any] | None:
    if qc is None:
        return None
    m = QuoteMatch.from_dict(qc.decisive())
    return {"status": m.status, "score": m.score, "source": m.source, "label": m.label, "line": m.line,
            "diff": m.diff, "before": m.before, "after": m.after}


def dumps(doc: dict[str, Any]) -> str:
    # orjson: the standard json.dumps(indent=2) falls back to pure Python (seconds at 100,000 claims);
    # json_safe: bidi and C1 controls written as \u escapes, the same JSON value
    return json_safe(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode()) + "\n"
