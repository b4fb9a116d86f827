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
        self.sources = store.sources  # read only (ingest looks up keys and titles)
        self.posts = {pid: copy.copy(p) for pid, p in store.posts.items() if p.source_id == source_id}
        self.claims = {cid: copy.copy(c) for cid, c in store.claims.items() if c.post_id in self.posts}
        self.new_source: Source | None = None
        self.put: dict[str, Post] = {}
        self.put_claim: dict[str, Claim] = {}

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
        self.posts = ChainMap(posts, store.posts)
        self.claims = ChainMap(claims, store.claims)
        self.clusters = clusters
        self.references = store.references
        self.checks: dict[str, dict[str, Any]] = {}

    def live_claims(self) -> list[Claim]:
        return [c for c in self.claims.values() if not c.retired]

    def set_quote_checks(self, checks: dict[str, dict[str, Any]]) -> None:
        self.checks.update(checks)


@dataclass
class Staged:
    reports: list = field(default_factory=list)  # IngestReport per document, in order
    sources: list[Source] = field(default_factory=list)
    posts: dict[str, Post] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    clusters: list[Cluster] | None = None  # None: linking unchanged
    quote_checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    linker: Any = None
    decisions_seen: int = 0


def _same_source_id(store, doc: RawDocument) -> str:
    from verifier.ids import content_id
    from verifier.pipeline import _same_source, source_key

    return content_id("source", _same_source(store, doc, source_key(doc)))


def stage(store, docs: list[RawDocument], warm=None) -> Staged:
    """Ingest, link and check ``docs`` against ``store`` without changing it (safe in a worker)."""
    from verifier.pipeline import ingest_document

    out = Staged(decisions_seen=len(store.decisions))
    for doc in docs:
        scratch = _Scratch(store, _same_source_id(store, doc))
        out.reports.append(ingest_document(scratch, doc))
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
    from verifier.link import Linker, clusters_from
    from verifier.progress import stage as progress_stage

    merged = ChainMap(out.claims, store.claims)
    with progress_stage("linking"):
        decisions = list(store.decisions)
        if len(new_ids) * 2 > len(merged):
            linker = Linker.build(merged.values())
            links = linker.link_all()
        else:
            if warm is not None and warm.claims.keys() != {c.id for c in store.claims.values() if not c.retired}:
                warm = None  # claims came or went by another way (an ingest elsewhere): build afresh
            if warm is None or retired:
                wanted = set(new_ids)
                linker = Linker.build(c for c in merged.values() if c.id not in wanted)
            else:
                linker = warm
            added = linker.add([out.claims[cid] for cid in new_ids])
            if not added and linker is warm:
                # Nothing new links and nothing left: the clusters stand as they are (they
                # already hold every decision); the new claims are on their own.
                out.linker = linker
                return
            links = [link for cl in store.clusters.values() for link in cl.links
                     if link["a"] in linker.claims and link["b"] in linker.claims]
            links += added
        out.clusters = clusters_from(links, decisions, linker.claims)
        out.linker = linker
    member_of = {cid: cl.id for cl in out.clusters for cid in cl.claim_ids}
    for c in out.claims.values():  # private copies: their cluster ids can be set now
        c.cluster_id = member_of.get(c.id)


def _check(store, out: Staged) -> None:
    from verifier.progress import stage as progress_stage
    from verifier.quotecheck.check import check_claims

    touched = {r.source_id for r in out.reports}
    clusters = {cl.id: cl for cl in out.clusters} if out.clusters is not None else store.clusters
    view = _View(store, out.posts, out.claims, clusters)
    with progress_stage("checking quotes"):
        check_claims(view, [c.id for c in out.claims.values() if c.kind == "quote" and not c.retired]
                     + [c.id for c in store.claims.values() if c.kind == "quote" and not c.retired
                        and c.id not in out.claims and c.post_id in store.posts
                        and store.posts[c.post_id].source_id in touched])
    out.quote_checks = view.checks


def commit(store, staged: Staged) -> None:
    """Put staged posts, claims, clusters and quote checks into the store (the UI thread's half)."""
    from verifier.link import recluster
    from verifier.link.linker import apply_clusters

    for s in staged.sources:
        store.put_source(s)
    if staged.posts:
        store.put_posts(staged.posts.values())
    if staged.claims:
        store.put_claims(staged.claims.values())
    if staged.clusters is not None:
        apply_clusters(store, staged.clusters)
        if len(store.decisions) != staged.decisions_seen:  # a split or merge made meanwhile
            recluster(store)
    if staged.quote_checks:
        store.set_quote_checks(staged.quote_checks)
