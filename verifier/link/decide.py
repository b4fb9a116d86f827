"""A person steering the links: confirm or reject suggestions, split and merge clusters.

Every decision is one journal entry (so it is on disk when the call returns,
and a bulk confirm is one write), kept in the store's decisions and replayed
on top of every linking pass: decisions outlive re-link and re-ingest.
After each decision the clusters are rebuilt from the links already found
(nothing is scored again) and the conflicts of every changed cluster are
recomputed. The caller saves the store when it likes (the CLI at once).

The workbench binds keys to these: confirm / reject for the selected claim,
confirm_all / reject_all for the claims in view (or every suggestion).
"""

from __future__ import annotations

from typing import Iterable

from verifier.errors import InputError
from verifier.link.linker import recluster
from verifier.models import Link


def pending(store, claim_ids: Iterable[str] | None = None) -> list[Link]:
    """Suggested links waiting for a person, best first: all, or those touching these claims."""
    wanted = set(claim_ids) if claim_ids is not None else None
    out = [Link.from_dict(s) for s in store.suggestion_list()
           if wanted is None or s["a"] in wanted or s["b"] in wanted]
    out.sort(key=lambda l: (-l.score, l.a))
    return out


def _decide(store, op: str, claim_ids: Iterable[str] | None) -> list[Link]:
    links = pending(store, claim_ids)
    if links:
        store.record_decision({"op": op, "pairs": [[l.a, l.b] for l in links]})
        recluster(store)
    return links


def confirm(store, claim_id: str) -> list[Link]:
    """Confirm every suggestion touching this claim: the two claims are one claim."""
    return _decide(store, "confirm", [claim_id])


def reject(store, claim_id: str) -> list[Link]:
    """Reject every suggestion touching this claim: not the same claim, never suggested again."""
    return _decide(store, "reject", [claim_id])


def confirm_all(store, claim_ids: Iterable[str] | None = None) -> list[Link]:
    """Confirm the suggestions touching any of these claims (None: every suggestion)."""
    return _decide(store, "confirm", claim_ids)


def reject_all(store, claim_ids: Iterable[str] | None = None) -> list[Link]:
    """Reject the suggestions touching any of these claims (None: every suggestion)."""
    return _decide(store, "reject", claim_ids)


def split(store, claim_id: str) -> None:
    """Take a claim out of its cluster; it is not linked automatically again."""
    if claim_id not in store.claim_map():
        raise InputError(f"no claim with id '{claim_id}'")
    store.record_decision({"op": "split", "claim_id": claim_id})
    recluster(store)


def merge(store, a: str, b: str) -> None:
    """Put two claims' clusters together."""
    for cid in (a, b):
        if cid not in store.claim_map():
            raise InputError(f"no claim with id '{cid}'")
    if a == b:
        raise InputError("merge needs two different claims")
    store.record_decision({"op": "merge", "claim_ids": [a, b]})
    recluster(store)
