"""A person steering the links: confirm or reject suggestions, split and merge clusters.

Every decision is one journal entry (so it is on disk when the call returns,
and a bulk confirm is one write), kept in the store's decisions and replayed
on top of every linking pass: decisions outlive re-link and re-ingest.
After each decision the clusters are rebuilt from the links already found
(nothing is scored again) and the conflicts of every changed cluster are
recomputed. The caller saves the store when it likes (the CLI at once).

The workbench binds keys to these: confirm / reject for the selected claim,
confirm_all / reject_all for the claims in view (or every suggestion); each
is undoable there (``undoable`` / ``undo`` / ``redo``): an undo is itself a
journalled decision, so a decision taken back stays out of every re-link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, TypeVar

from verifier.errors import InputError
from verifier.link.linker import stored_auto, finalize, recluster
from verifier.store.interface import ClaimStore
from verifier.models import Cluster, Decision, Link

T = TypeVar("T")


def pending(store: ClaimStore, claim_ids: Iterable[str] | None = None) -> list[Link]:
    """Suggested links waiting for a person, best first: all, or those touching these claims."""
    wanted = set(claim_ids) if claim_ids is not None else None
    out = [Link.from_dict(s) for s in store.suggestion_list()
           if wanted is None or s["a"] in wanted or s["b"] in wanted]
    out.sort(key=lambda l: (-l.score, l.a))
    return out


def _decide(store: ClaimStore, op: Literal["confirm", "reject"], claim_ids: Iterable[str] | None) -> list[Link]:
    links = pending(store, claim_ids)
    if links:
        store.add_decision(Decision(op, pairs=[[l.a, l.b] for l in links]))
        recluster(store)
    return links


def confirm(store: ClaimStore, claim_id: str) -> list[Link]:
    """Confirm every suggestion touching this claim: the two claims are one claim."""
    return _decide(store, "confirm", [claim_id])


def reject(store: ClaimStore, claim_id: str) -> list[Link]:
    """Reject every suggestion touching this claim: not the same claim, never suggested again."""
    return _decide(store, "reject", [claim_id])


def confirm_all(store: ClaimStore, claim_ids: Iterable[str] | None = None) -> list[Link]:
    """Confirm the suggestions touching any of these claims (None: every suggestion)."""
    return _decide(store, "confirm", claim_ids)


def reject_all(store: ClaimStore, claim_ids: Iterable[str] | None = None) -> list[Link]:
    """Reject the suggestions touching any of these claims (None: every suggestion)."""
    return _decide(store, "reject", claim_ids)


def split(store: ClaimStore, claim_id: str) -> None:
    """Take a claim out of its cluster; it is not linked automatically again."""
    if claim_id not in store.claim_map():
        raise InputError(f"no claim with id '{claim_id}'")
    store.add_decision(Decision("split", claim_id=claim_id))
    recluster(store)


def merge(store: ClaimStore, a: str, b: str) -> None:
    """Put two claims' clusters together."""
    for cid in (a, b):
        if cid not in store.claim_map():
            raise InputError(f"no claim with id '{cid}'")
    if a == b:
        raise InputError("merge needs two different claims")
    store.add_decision(Decision("merge", claim_ids=[a, b]))
    recluster(store)


# ---- taking a decision back (the workbench's z / Z) ---------------------------------
@dataclass
class LinkStep:
    """One linking decision as made, and the clusters and suggestions it replaced."""

    decision: dict[str, Any]  # as recorded, without seq / at / by
    seq: int | None
    clusters: list[Cluster]
    suggestions: list[dict[str, Any]]


def undoable(store: ClaimStore, decide: Callable[..., T], *args: Any) -> tuple[T, LinkStep | None]:
    """Run a decision (``decide(store, *args)``, one of the above) and return what undoes it:
    None when it decided nothing. The clusters and suggestions before it are kept by reference
    (records are replaced, never changed, by a re-cluster), so this costs no copy."""
    clusters, suggestions = list(store.iter_clusters()), list(store.suggestion_list())
    before = store.decision_count()
    result = decide(store, *args)
    if store.decision_count() == before:
        return result, None
    rec = store.decision_records()[-1]
    kept = {k: v for k, v in rec.items() if k not in ("seq", "at", "by")}
    return result, LinkStep(kept, rec.get("seq"), clusters, suggestions)


def undo(store: ClaimStore, step: LinkStep) -> None:
    """Take a decision back: journalled as an undo (the replay leaves the decision out from now
    on, through every re-link), then the clusters rebuilt from the automatic links and the
    suggestions of now and of before the decision (a split had dropped the claim's link, a confirm
    its suggestion), so links found since (a follower's poll) are kept; conflicts recomputed."""
    store.add_decision(Decision("undo", undoes=step.seq))
    auto = {l["a"]: l for cl in step.clusters for l in cl.links if l.get("tier", "auto") == "auto"}
    auto.update((l["a"], l) for l in stored_auto(store))
    now = list(store.suggestion_list())
    seen = {(s["a"], s["b"]) for s in now}
    finalize(store, list(auto.values()), now + [s for s in step.suggestions if (s["a"], s["b"]) not in seen])


def redo(store: ClaimStore, step: LinkStep) -> LinkStep:
    """Make an undone decision again (a new journal entry); returns what undoes it this time."""
    def again(s) -> None:
        s.add_decision(Decision.from_dict(step.decision))
        recluster(s)

    _, new = undoable(store, again)
    assert new is not None
    return new
