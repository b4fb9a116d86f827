"""The typed reads both backends answer from the records they hold in memory.

The file backend holds the whole database; the PostgreSQL backend holds what it
loaded (everything, or the pages a lazy store has read) and overrides the reads
that must go to the server. One implementation, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Iterator

from verifier.errors import InputError
from verifier.models import (
    CLAIM_KINDS,
    CORRECTABLE,
    Claim,
    Cluster,
    Decision,
    HistoryEntry,
    Post,
    QuoteCheck,
    Reference,
    Source,
    Status,
    Verdict,
)


class InMemoryReads:
    """Reads over the backend's dicts (see verifier.store.interface.ClaimStore)."""

    claims: dict[str, Claim]
    posts: dict[str, Post]
    sources: dict[str, Source]
    clusters: dict[str, Cluster]
    verdicts: dict[str, Verdict]
    references: dict[str, Reference]
    quote_checks: dict[str, dict[str, Any]]
    history: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    meta: dict[str, Any]

    def claim(self, claim_id: str) -> Claim | None:
        return self.claims.get(claim_id)

    def iter_claims(self, *, include_retired: bool = True) -> Iterator[Claim]:
        if include_retired:
            return iter(self.claims.values())
        return (c for c in self.claims.values() if not c.retired)

    def live_claims(self) -> list[Claim]:
        return [c for c in self.claims.values() if not c.retired]

    def claim_count(self, *, include_retired: bool = False) -> int:
        if include_retired:
            return len(self.claims)
        return sum(1 for c in self.claims.values() if not c.retired)

    def post(self, post_id: str) -> Post | None:
        return self.posts.get(post_id)

    def iter_posts(self) -> Iterator[Post]:
        return iter(self.posts.values())

    def post_count(self) -> int:
        return len(self.posts)

    def source(self, source_id: str) -> Source | None:
        return self.sources.get(source_id)

    def iter_sources(self) -> Iterator[Source]:
        return iter(self.sources.values())

    def source_count(self) -> int:
        return len(self.sources)

    def cluster(self, cluster_id: str) -> Cluster | None:
        return self.clusters.get(cluster_id)

    def iter_clusters(self) -> Iterator[Cluster]:
        return iter(self.clusters.values())

    def verdict(self, claim_id: str) -> Verdict:
        return self.verdicts.get(claim_id) or Verdict(claim_id=claim_id)

    def status(self, claim_id: str) -> Status:
        """The verdict's status without building a Verdict (hot in list passes)."""
        v = self.verdicts.get(claim_id)
        return v.status if v is not None else "unreviewed"

    def iter_verdicts(self) -> Iterator[Verdict]:
        return iter(self.verdicts.values())

    def verdict_history(self, claim_id: str | None = None) -> list[HistoryEntry]:
        return [HistoryEntry.from_dict(h) for h in self.history if claim_id is None or h["claim_id"] == claim_id]

    def decision_list(self) -> list[Decision]:
        return [Decision.from_dict(d) for d in self.decisions]

    def reference(self, ref_id: str) -> Reference | None:
        return self.references.get(ref_id)

    def iter_references(self) -> Iterator[Reference]:
        return iter(self.references.values())

    def quote_check(self, claim_id: str) -> QuoteCheck | None:
        d = self.quote_checks.get(claim_id)
        return QuoteCheck.from_dict(d) if d else None

    def iter_quote_checks(self) -> Iterator[QuoteCheck]:
        return (QuoteCheck.from_dict(d) for d in self.quote_checks.values() if d)

    def add_decision(self, decision: Decision) -> Decision:  # each backend writes it its own way
        raise NotImplementedError

    def correct_claim(self, claim_id: str, field: str, value: str | None) -> None:
        """A person's correction of a claim's speaker, role or kind, kept as a decision:
        applied again whenever the claim is re-extracted (re-ingest) or re-linked."""
        claim = self.claim(claim_id)
        if claim is None:
            raise InputError(f"no claim with id '{claim_id}'")
        if field not in CORRECTABLE:
            raise InputError(f"cannot correct '{field}': choose one of {', '.join(CORRECTABLE)}")
        if field == "kind" and value not in CLAIM_KINDS:
            raise InputError(f"unknown kind '{value}': choose one of {', '.join(CLAIM_KINDS)}")
        value = (value or "").strip() or None
        self.add_decision(Decision(op="correct", claim_id=claim_id, field=field, value=value,
                                   was=getattr(claim, field)))
        self._apply_correction(self.decisions[-1])  # at once, whatever the backend's replay does

    def corrections(self, claim_id: str) -> dict[str, Any]:
        """The fields a person corrected on this claim, latest value each."""
        out: dict[str, Any] = {}
        for d in self.decisions:
            if d.get("op") == "correct" and d.get("claim_id") == claim_id:
                out[d["field"]] = d.get("value")
        return out

    def _apply_correction(self, d: dict[str, Any]) -> None:
        claim = self.claims.get(d.get("claim_id") or "")
        if claim is not None and d.get("field") in CORRECTABLE:
            setattr(claim, d["field"], d.get("value"))

    def history_of(self, claim_id: str) -> list[dict[str, Any]]:
        """This claim's verdict changes, oldest first (who, when, from what to what)."""
        return [h for h in self.history if h["claim_id"] == claim_id]

    def link_token(self) -> str | None:
        token = self.meta.get("link_index")
        return token if isinstance(token, str) else None
