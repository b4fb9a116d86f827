"""Reading a changed source into posts and claims without touching the live store.

The workbench keeps working on its store while a followed source is read:
``stage()`` runs in a worker thread and only *reads* the live store; every
object it creates or changes is a private copy (the source's posts and
claims are copied before ingest touches them). It ingests each document as
re-ingest does, links the new claims (a warm index when it has one), and
re-checks the quotes of the sources that changed. ``commit()`` then puts the
result into the store on the UI thread: a few dict updates and one pass
setting cluster ids. The CLI runs both halves one after the other.

What the UI thread may do meanwhile (verdicts, notes, split and merge
decisions) does not change the sets of posts and claims the worker reads;
a split or merge made during the worker's run is re-applied at commit.
"""

from __future__ import annotations

import copy
from collections import ChainMap
from dataclasses import dataclass, field
from typing import Any

from verifier.ingest import RawDocument
from verifier.models import Claim, Cluster, Post, Source


class _Scratch:
    """What ingest_document needs of a store, for one source, on private copies."""

    def __init__(self, store, source_id: str) -> None:
        self.sources = store.source_map()  # read only (ingest looks up keys and titles)
        self.posts = {pid: copy.copy(p) for pid, p in store.post_map().items() if p.source_id == source_id}
        self.claims = {cid: copy.copy(c) for cid, c in store.claim_map().items() if c.post_id in self.posts}
        self.new_source: Source | None = None
        self.put: dict[str, Post] = {}
        self.put_claim: dict[str, Claim] = {}

    # the typed reads ingest_document makes (see verifier.store.interface)
    def factcheck_map(self) -> dict[str, Any]:  # fact-check matching runs in commit, on the store itself
        return {}

    def iter_sources(self) -> Any:
        return iter(self.sources.values())

    def iter_posts(self) -> Any:
        return iter(self.posts.values())

    def iter_claims(self, *, include_retired: bool = True) -> Any:
        return (c for c in self.claims.values() if include_retired or not c.retired)

    def post(self, post_id: str) -> Post | None:
        return self.posts.get(post_id)

    def claim(self, claim_id: str) -> Claim | None:
        return self.claims.get(claim_id)

    def iter_verdicts(self) -> Any:
        return iter(())

    def put_source(self, source: Source) -> None:
        self.new_source = source

    def put_posts(self, posts) -> None:
        for p in posts:
            self.posts[p.id] = p
            self.put[p.id] = p

    def put_claims(self, claims) -> None:
        for c in claims:
            self.claims[c.id] = c
            self.put_claim[c.id] = c


class _View:
    """The live store seen with the staged posts and claims on top (for quote checks)."""

    def __init__(self, store, posts: dict[str, Post], claims: dict[str, Claim], clusters: dict[str, Cluster]):
        self.posts = ChainMap(posts, store.post_map())
        self.claims = ChainMap(claims, store.claim_map())
        self.clusters = clusters
        self.references = store.reference_map()
        self.checks: dict[str, dict[str, Any]] = {}

    def live_claims(self) -> list[Claim]:
        return [c for c in self.claims.values() if not c.retired]

    def claim(self, claim_id: str) -> Claim | None:
        return self.claims.get(claim_id)

    def post(self, post_id: str) -> Post | None:
        return self.posts.get(post_id)

    def iter_posts(self) -> Any:
        return iter(self.posts.values())

    def cluster(self, cluster_id: str) -> Cluster | None:
        return self.clusters.get(cluster_id)

    def iter_references(self) -> Any:
        return iter(self.references.values())

    def reference(self, ref_id: str) -> Any:
        return self.references.get(ref_id)

    def set_quote_checks(self, checks: dict[str, dict[str, Any]]) -> None:
        self.checks.update(checks)

    def put_quote_checks(self, checks: Any) -> None:
        self.checks.update({q.claim_id: q.to_dict() for q in checks})


@dataclass
class Staged:
    reports: list = field(default_factory=list)  # IngestReport per document, in order
    sources: list[Source] = field(default_factory=list)
    posts: dict[str, Post] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    clusters: list[Cluster] | None = None  # None: linking unchanged
    quote_checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    linker: Any = None
    link_ids: list[str] = field(default_factory=list)
    relink: bool = False
    decisions_seen: int = 0


def _same_source_id(store, doc: RawDocument) -> str:
    from verifier.ids import content_id
    from verifier.pipeline import _same_source, source_key

    return content_id("source", _same_source(store, doc, source_key(doc)))


def stage(store, docs: list[RawDocument], warm=None) -> Staged:
    """Ingest, link and check ``docs`` against ``store`` without changing it (safe in a worker)."""
    from verifier.pipeline import ingest_document

    out = Staged(decisions_seen=store.decision_count())
    for doc in docs:
        scratch = _Scratch(store, _same_source_id(store, doc))
        out.reports.append(ingest_document(scratch, doc))  # type: ignore[arg-type]  # a staging view
        if scratch.new_source is not None:
            out.sources.append(scratch.new_source)
        out.posts.update(scratch.put)
        out.claims.update(scratch.put_claim)
    new_ids = [cid for r in out.reports for cid in r.new_claim_ids]
    retired = any(r.retired_claim_ids for r in out.reports)
    if not out.posts and not out.claims:
        return out  # nothing but the order of posts changed... or nothing at all
    if new_ids or retired:
        _link(store, out, new_ids, retired, warm)
    _check(store, out)
    return out


def _link(store, out: Staged, new_ids: list[str], retired: bool, warm) -> None:
    """Linking runs in ``commit`` (on the store itself, with its saved link index): the linker
    places each new claim against its cluster's representative, a few claims per poll."""
    out.link_ids = list(new_ids)
    out.relink = retired


def _check(store, out: Staged) -> None:
    from verifier.progress import stage as progress_stage
    from verifier.quotecheck.check import check_claims

    touched = {r.source_id for r in out.reports}
    clusters = {cl.id: cl for cl in out.clusters} if out.clusters is not None else store.cluster_map()
    view = _View(store, out.posts, out.claims, clusters)
    with progress_stage("checking quotes"):
        check_claims(view, [c.id for c in out.claims.values()  # type: ignore[arg-type]  # a staging view
                             if c.kind == "quote" and not c.retired]
                     + [c.id for c in store.iter_claims() if c.kind == "quote" and not c.retired
                        and c.id not in out.claims and c.post_id in store.post_map()
                        and store.post_map()[c.post_id].source_id in touched])
    out.quote_checks = view.checks


def commit(store, staged: Staged, warm=None) -> None:
    """Put staged posts, claims, clusters and quote checks into the store (the UI thread's half)."""
    from verifier.link import recluster

    for s in staged.sources:
        store.put_source(s)
    if staged.posts:
        store.put_posts(staged.posts.values())
    if staged.claims:
        store.put_claims(staged.claims.values())
    if staged.link_ids or staged.relink:
        from verifier.link import link_new

        # New claims against the database as linked so far; retired ones leave their clusters
        # (the person's decisions are replayed either way).
        staged.linker = link_new(store, staged.link_ids, warm) if staged.link_ids else None
        if staged.relink:
            recluster(store)
    if staged.link_ids:
        from verifier.factchecks.library import match_new_claims

        match_new_claims(store, staged.link_ids)  # checked before? the new claims against the library
    if staged.quote_checks:
        store.set_quote_checks(staged.quote_checks)
