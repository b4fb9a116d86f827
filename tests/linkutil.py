"""Helpers for the linking tests: live blogs written as JSON Lines posts, ingested through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from verifier.cli import main
from verifier.store import Store

ROOT = Path(__file__).resolve().parent.parent


def shared() -> Path:
    """The shared data folder: beside the repository (CI, /work/main) or two levels up (a worktree)."""
    for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if p.is_dir():
            return p
    raise FileNotFoundError("shared data folder not found")


def write_blog(path: Path, posts: list[list[str]], start_hour: int = 8, slug: str = "live") -> Path:
    """One post per list of paragraphs, ten minutes apart."""
    with open(path, "w", encoding="utf-8") as f:
        for i, paras in enumerate(posts):
            minute = start_hour * 60 + 10 * i
            f.write(json.dumps({
                "headline": f"Update {i + 1}", "body": "\n\n".join(paras),
                "published": f"2023-02-02T{minute // 60:02d}:{minute % 60:02d}:00Z",
                "url": f"https://news.example/{slug}#post-{i}",
            }) + "\n")
    return path


def ingest(*paths: Path) -> None:
    assert main(["ingest", *map(str, paths)]) == 0


def find(store: Store, fragment: str, nth: int = 0):
    """The nth live claim (in publication order) holding this fragment."""
    hits = [c for c in store.live_claims() if fragment in c.text]
    hits.sort(key=lambda c: (store.post_map()[c.post_id].published or "", c.span[0]))
    assert len(hits) > nth, f"no claim #{nth} with {fragment!r}"
    return hits[nth]


def together(store: Store, a, b) -> bool:
    ca, cb = store.claim_map()[a.id], store.claim_map()[b.id]
    return ca.cluster_id is not None and ca.cluster_id == cb.cluster_id


def suggested(store: Store, a, b) -> bool:
    return any({s["a"], s["b"]} == {a.id, b.id} for s in store.suggestion_list())
