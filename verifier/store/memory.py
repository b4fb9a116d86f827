"""The typed reads both backends answer from the records they hold in memory.

The file backend holds the whole database; the PostgreSQL backend holds what it
loaded (everything, or the pages a lazy store has read) and overrides the reads
that must go to the server. One implementation, so the two cannot drift apart.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterator, Mapping, Sequence, TypeVar, overload

T = TypeVar("T")

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


class ListView(Sequence[T]):
    """A read-only view of a backend's list: no copy, no writes through it."""

    __slots__ = ("_items",)

    def __init__(self, items: list[T]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        return tuple(self._items[i]) if isinstance(i, slice) else self._items[i]

    def __repr__(self) -> str:
        return f"ListView({self._items!r})"


class InMemoryReads:
    """Reads over the backend's dicts (see verifier.store.interface.ClaimStore)."""

    # The backend's records: private. Consumers read through the methods below
    # (read-only mapping views where a hot loop needs O(1) lookups without copies).
    _claims: dict[str, Claim]
    _posts: dict[str, Post]
    _sources: dict[str, Source]
    _clusters: dict[str, Cluster]
    _verdicts: dict[str, Verdict]
    _references: dict[str, Reference]
    _quote_checks: dict[str, dict[str, Any]]
    _history: list[dict[str, Any]]
    _decisions: list[dict[str, Any]]
    _meta: dict[str, Any]
    _factchecks: dict[str, dict[str, Any]]
    _factcheck_matches: dict[str, dict[str, Any]]
    _suggestions: list[dict[str, Any]]
    _follows: dict[str, dict[str, Any]]

    # ---- read-only views: O(1), no copy; a write goes through put_/set_ --------
    def _list_view(self, items: list[Any]) -> ListView[Any]:
        """One view per list object, so a caller can tell "replaced" from "same list" by identity."""
        views: dict[int, ListView[Any]] = self.__dict__.setdefault("_list_views", {})
        view = views.get(id(items))
        if view is None or view._items is not items:
            view = views[id(items)] = ListView(items)
            if len(views) > 16:  # replaced lists: keep the cache small
                for k in [k for k in views if k != id(items)][:8]:
                    del views[k]
        return view

    def claim_map(self) -> Mapping[str, Claim]:
        return MappingProxyType(self._claims)

    def post_map(self) -> Mapping[str, Post]:
        return MappingProxyType(self._posts)

    def source_map(self) -> Mapping[str, Source]:
        return MappingProxyType(self._sources)

    def cluster_map(self) -> Mapping[str, Cluster]:
        return MappingProxyType(self._clusters)

    def reference_map(self) -> Mapping[str, Reference]:
        return MappingProxyType(self._references)

    def verdict_map(self) -> Mapping[str, Verdict]:
        """Claims that have a verdict record (an unreviewed claim may have none)."""
        return MappingProxyType(self._verdicts)

    def quote_check_map(self) -> Mapping[str, dict[str, Any]]:
        return MappingProxyType(self._quote_checks)

    def history_records(self) -> Sequence[dict[str, Any]]:
        """Every verdict change as stored, oldest first."""
        return self._list_view(self._history)

    def factcheck_map(self) -> Mapping[str, dict[str, Any]]:
        return MappingProxyType(self._factchecks)

    def factcheck_match_map(self) -> Mapping[str, dict[str, Any]]:
        return MappingProxyType(self._factcheck_matches)

    def follow_map(self) -> Mapping[str, dict[str, Any]]:
        return MappingProxyType(self._follows)

    def suggestion_list(self) -> Sequence[dict[str, Any]]:
        return self._list_view(self._suggestions)

    def decision_records(self) -> Sequence[dict[str, Any]]:
        """The decisions as stored (op, claim ids, ...), oldest first; the link replay reads them."""
        return self._list_view(self._decisions)

    def decision_count(self) -> int:
        return len(self._decisions)

    def quote_check_record(self, claim_id: str) -> dict[str, Any] | None:
        """A claim's quote check as stored (a plain record); ``quote_check`` types it."""
        return self._quote_checks.get(claim_id)

    def claim(self, claim_id: str) -> Claim | None:
        return self._claims.get(claim_id)

    def iter_claims(self, *, include_retired: bool = True) -> Iterator[Claim]:
        if include_retired:
            return iter(self._claims.values())
        return (c for c in self._claims.values() if not c.retired)

    def live_claims(self) -> list[Claim]:
        return [c for c in self._claims.values() if not c.retired]

    def claim_count(self, *, include_retired: bool = False) -> int:
        if include_retired:
            return len(self._claims)
        return sum(1 for c in self._claims.values() if not c.retired)

    def post(self, post_id: str) -> Post | None:
        return self._posts.get(post_id)

    def iter_posts(self) -> Iterator[Post]:
        return iter(self._posts.values())

    def post_count(self) -> int:
        return len(self._posts)

    def source(self, source_id: str) -> Source | None:
        return self._sources.get(source_id)

    def iter_sources(self) -> Iterator[Source]:
        return iter(self._sources.values())

    def source_count(self) -> int:
        return len(self._sources)

    def cluster(self, cluster_id: str) -> Cluster | None:
        return self._clusters.get(cluster_id)

    def iter_clusters(self) -> Iterator[Cluster]:
        return iter(self._clusters.values())

    def verdict(self, claim_id: str) -> Verdict:
        return self._verdicts.get(claim_id) or Verdict(claim_id=claim_id)

    def status(self, claim_id: str) -> Status:
        """The verdict's status without building a Verdict (hot in list passes)."""
        v = self._verdicts.get(claim_id)
        return v.status if v is not None else "unreviewed"

    def iter_verdicts(self) -> Iterator[Verdict]:
        return iter(self._verdicts.values())

    def verdict_history(self, claim_id: str | None = None) -> list[HistoryEntry]:
        return [HistoryEntry.from_dict(h) for h in self._history if claim_id is None or h["claim_id"] == claim_id]

    def decision_list(self) -> list[Decision]:
        return [Decision.from_dict(d) for d in self._decisions]

    def reference(self, ref_id: str) -> Reference | None:
        return self._references.get(ref_id)

    def iter_references(self) -> Iterator[Reference]:
        return iter(self._references.values())

    def quote_check(self, claim_id: str) -> QuoteCheck | None:
        d = self._quote_checks.get(claim_id)
        return QuoteCheck.from_dict(d) if d else None

    def iter_quote_checks(self) -> Iterator[QuoteCheck]:
        return (QuoteCheck.from_dict(d) for d in self._quote_checks.values() if d)

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
        self._apply_correction(self._decisions[-1])  # at once, whatever the backend's replay does

    def corrections(self, claim_id: str) -> dict[str, Any]:
        """The fields a person corrected on this claim, latest value each."""
        out: dict[str, Any] = {}
        for d in self._decisions:
            if d.get("op") == "correct" and d.get("claim_id") == claim_id:
                out[d["field"]] = d.get("value")
        return out

    def _apply_correction(self, d: dict[str, Any]) -> None:
        claim = self._claims.get(d.get("claim_id") or "")
        if claim is not None and d.get("field") in CORRECTABLE:
            setattr(claim, d["field"], d.get("value"))

    def history_of(self, claim_id: str) -> list[dict[str, Any]]:
        """This claim's verdict changes, oldest first (who, when, from what to what)."""
        return [h for h in self._history if h["claim_id"] == claim_id]

    def link_token(self) -> str | None:
        token = self._meta.get("link_index")
        return token if isinstance(token, str) else None
