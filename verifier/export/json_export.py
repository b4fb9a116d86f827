"""The verifier-export/1 JSON document (see verifier/schemas/export-v1.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from verifier.export.records import post_headline
from verifier.quotecheck.check import match_of
from verifier.store.database import Store, now_iso

SCHEMA_ID = "verifier-export/1"


def build(store: Store, *, include_retired: bool = False) -> dict[str, Any]:
    claims = [c for c in store.claims.values() if include_retired or not c.retired]
    post_ids = {c.post_id for c in claims} | set(store.posts)
    posts = sorted((store.posts[p] for p in post_ids if p in store.posts),
                   key=lambda p: (p.source_id, p.seq))
    order = {p.id: i for i, p in enumerate(posts)}
    claims.sort(key=lambda c: (order.get(c.post_id, 0), c.span[0]))
    return {
        "schema": SCHEMA_ID,
        "exported_at": now_iso(),
        "sources": [
            {"id": s.id, "kind": s.kind, "title": s.title, "url": s.url, "path": s.path,
             "bylines": s.bylines, "updated": s.updated}
            for s in store.sources.values()
        ],
        "posts": [_post(p) for p in posts],
        "claims": [_claim(store, c) for c in claims],
        "clusters": [
            {"id": cl.id, "claim_ids": cl.claim_ids, "conflicts": cl.conflicts}
            for cl in store.clusters.values()
        ],
    }


def _post(p) -> dict[str, Any]:
    headline, derived = post_headline(p)
    out = {"id": p.id, "source_id": p.source_id, "headline": headline, "byline": p.byline,
           "published": p.published, "timestamp_raw": p.timestamp_raw, "url": p.url}
    if derived:
        out["headline_derived"] = True  # made from the post's first words: the page printed none
    if p.is_summary:
        out["summary"] = True
    return out


def _claim(store: Store, c) -> dict[str, Any]:
    v = store.verdict(c.id)
    return {
        "id": c.id, "post_id": c.post_id, "kind": c.kind, "text": c.text, "quote": c.quote,
        "speaker": c.speaker, "role": c.role, "channel": c.channel,
        "numbers": [{"value": n["value"], "unit": n.get("unit"), "text": n["text"],
                     "qualifier": n.get("qualifier"), "kind": n.get("kind")} for n in c.numbers],
        "span": list(c.span), "checkworthiness": c.checkworthiness, "cluster_id": c.cluster_id,
        "verdict": {"status": v.status, "note": v.note, "evidence": list(v.evidence),
                    "updated_at": v.updated_at, "by": v.by},
        "quote_check": _quote_check(store.quote_checks.get(c.id)),
    }


def _quote_check(record: dict[str, Any] | None) -> dict[str, Any] | None:
    m = match_of(record)
    if m is None:
        return None
    return {"status": m.status, "score": m.score, "source": m.source, "label": m.label, "line": m.line,
            "diff": m.diff, "before": m.before, "after": m.after}


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
