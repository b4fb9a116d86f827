"""Reading a changed source into posts, claims and links without touching the live store.

The workbench keeps working on its store while a followed source is read:
``stage()`` runs in a worker thread and only *reads* the live store; every
object it creates or changes is a private copy (the source's posts and
claims are copied before ingest touches them). It ingests each document as
re-ingest does and links the new claims (linking.py: the touched clusters
only). ``commit()`` then puts the result into the store on the UI thread: a
few dict updates. Quote checks come after, in the worker again
(``stage_checks``, ``commit_checks``): the new claims are in the list before
their quotes are checked. The CLI runs the steps one after the other.

Every step costs what the poll brought, not what the database holds: the
``SourceIndex`` (posts by source, claims by post) is built once per store and
kept up to date by ``commit``; quote checks read the posts of the followed
source and of the checked claims' clusters only.

What the UI thread may do meanwhile (verdicts, notes, split and merge
decisions) does not change the sets of posts and claims the worker reads;
a split, merge or correction made during the worker's run is caught at
commit (``decision_count``): the claims are stored unlinked and the next poll
links them against the decisions as they are then.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable

from verifier.ingest import RawDocument
from verifier.models import Claim, Cluster, Post, Source


class SourceIndex:
    """Post ids by source and claim ids by post: built once per store (a pass over the
    database, in the worker), then kept up to date by ``commit``. ``fresh(store)`` says
    whether it still describes the store (same store, same counts)."""

    def __init__(self, store) -> None:
        self.store = store
        self.posts: dict[str, set[str]] = {}
        self.claims: dict[str, list[str]] = {}
        for p in list(store.iter_posts()):
            self.posts.setdefault(p.source_id, set()).add(p.id)
        for c in list(store.iter_claims()):
            self.claims.setdefault(c.post_id, []).append(c.id)
        self.counts = self._counts(store)

    @staticmethod
    def _counts(store) -> tuple[int, int]:
        return store.post_count(), store.claim_count(include_retired=True)

    def fresh(self, store) -> bool:
        return store is self.store and self.counts == self._counts(store)

    def add(self, store, posts: Iterable[Post], claims: Iterable[Claim]) -> None:
        for p in posts:
            self.posts.setdefault(p.source_id, set()).add(p.id)
        for c in claims:
            ids = self.claims.setdefault(c.post_id, [])
            if c.id not in ids:
                ids.append(c.id)
        self.counts = self._counts(store)

    def source_claims(self, source_id: str) -> list[str]:
        return [cid for pid in self.posts.get(source_id, ()) for cid in self.claims.get(pid, ())]


class _Scratch:
    """What ingest_document needs of a store, for one source, on private copies."""

    def __init__(self, store, source_id: str, index: SourceIndex) -> None:
        self.sources = store.source_map()  # read only (ingest looks up keys and titles)
        post_map, claim_map = store.post_map(), store.claim_map()
        self.posts = {pid: copy.copy(post_map[pid]) for pid in index.posts.get(source_id, ()) if pid in post_map}
        self.claims = {cid: copy.copy(claim_map[cid]) for pid in self.posts
                       for cid in index.claims.get(pid, ()) if cid in claim_map}
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


@dataclass
class Staged:
    reports: list = field(default_factory=list)  # IngestReport per document, in order
    sources: list[Source] = field(default_factory=list)
    posts: dict[str, Post] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    links: Any = None  # verifier.follow.linking.StagedLinks, or None: linking unchanged
    link_ids: list[str] = field(default_factory=list)
    retired_ids: list[str] = field(default_factory=list)
    linker: Any = None  # verifier.follow.linking.LinkState after commit (kept warm by the follower)
    changed_posts: set[str] = field(default_factory=set)  # new or edited (not only moved down the page)
    cluster_before: dict[str, str | None] = field(default_factory=dict)  # staged claims' cluster ids before linking
    unlinked: tuple[list[str], list[str]] | None = None  # stored unlinked by commit: for the next poll


def _same_source_id(store, doc: RawDocument) -> str:
    from verifier.ids import content_id
    from verifier.pipeline import _same_source, source_key

    return content_id("source", _same_source(store, doc, source_key(doc)))


def stage(store, docs: list[RawDocument], link_state=None, index: SourceIndex | None = None,
          unlinked: tuple[list[str], list[str]] = ([], [])) -> Staged:
    """Ingest and link ``docs`` against ``store`` without changing it (safe in a worker).

    ``unlinked``: (new, retired) claim ids an earlier poll stored without linking them (a
    decision was made while it linked): linked now, with this poll's."""
    from verifier.follow.linking import stage_links
    from verifier.pipeline import ingest_document

    if index is None or not index.fresh(store):
        index = SourceIndex(store)
    out = Staged()
    for doc in docs:
        scratch = _Scratch(store, _same_source_id(store, doc), index)
        out.reports.append(ingest_document(scratch, doc))  # type: ignore[arg-type]  # a staging view
        if scratch.new_source is not None:
            out.sources.append(scratch.new_source)
        out.posts.update(scratch.put)
        out.claims.update(scratch.put_claim)
    for pid, post in out.posts.items():
        old = store.post(pid)
        if old is None or old.content_hash != post.content_hash:
            out.changed_posts.add(pid)
    out.link_ids = list(unlinked[0]) + [cid for r in out.reports for cid in r.new_claim_ids]
    out.retired_ids = list(unlinked[1]) + [cid for r in out.reports for cid in r.retired_claim_ids]
    if out.link_ids or out.retired_ids:
        out.links = stage_links(store, out.posts, out.claims, out.link_ids, out.retired_ids, link_state)
        for cid, cluster_id in out.links.cluster_of.items():
            c = out.claims.get(cid)
            if c is not None:  # a private copy: its cluster as linking left it
                out.cluster_before.setdefault(cid, c.cluster_id)
                c.cluster_id = cluster_id
    return out


def commit(store, staged: Staged, link_state=None, index: SourceIndex | None = None) -> None:
    """Put staged posts, claims and links into the store (the UI thread's half)."""
    from verifier.follow.linking import apply_links

    fresh = index is not None and index.fresh(store)
    links = staged.links
    stale = links is not None and store.decision_count() != links.decisions_seen
    if stale:  # linked against decisions that changed meanwhile: stored unlinked, linked next poll
        for cid, was in staged.cluster_before.items():
            staged.claims[cid].cluster_id = was
    for s in staged.sources:
        store.put_source(s)
    if staged.posts:
        store.put_posts(staged.posts.values())
    if staged.claims:
        store.put_claims(staged.claims.values())
    if index is not None:
        if fresh:
            index.add(store, staged.posts.values(), staged.claims.values())
        else:
            index.counts = (-1, -1)  # rebuilt by the next stage
    if links is not None and not stale:
        apply_links(store, links)
        staged.linker = links.state
    elif stale:
        # The person split, merged or corrected while the worker linked: that result may go
        # against the decision. The next poll links these claims (in the worker, as cheaply).
        staged.unlinked = (list(staged.link_ids), list(staged.retired_ids))
        staged.linker = None  # the index holds the dropped result's anchors: loaded again
    else:
        staged.linker = link_state
    if staged.link_ids:
        from verifier.factchecks.library import match_new_claims

        match_new_claims(store, staged.link_ids)  # checked before? the new claims against the library


# ---- quote checks: after the claims are in, in the worker again -----------------
class _CheckView:
    """The store as check_claims reads it, narrowed to the posts that matter (O(poll), not
    O(database)): ``posts`` are indexed (check_claims reads a source's posts from iter_posts);
    ``visible`` posts are found by ``post`` (the checked claims' own posts, linked posts)."""

    def __init__(self, store, posts: set[str], visible: set[str], claim_ids: list[str]) -> None:
        self.store = store
        self._posts, self._visible = posts, visible | posts
        claim_map = store.claim_map()
        self._claims = [claim_map[cid] for cid in claim_ids if cid in claim_map]
        self.checks: dict[str, dict[str, Any]] = {}

    def live_claims(self) -> list[Claim]:
        return [c for c in self._claims if not c.retired]

    def iter_posts(self) -> Any:
        post_map = self.store.post_map()
        return (post_map[pid] for pid in self._posts if pid in post_map)

    def claim(self, claim_id: str) -> Claim | None:
        return self.store.claim(claim_id)

    def post(self, post_id: str) -> Post | None:
        return self.store.post(post_id) if post_id in self._visible else None

    def cluster(self, cluster_id: str) -> Cluster | None:
        return self.store.cluster(cluster_id)

    def iter_references(self) -> Any:
        return self.store.iter_references()

    def reference(self, ref_id: str) -> Any:
        return self.store.reference(ref_id)

    def put_quote_checks(self, checks: Any) -> None:
        self.checks.update({q.claim_id: q.to_dict() for q in checks})


class _NoClusters:
    """For looking again at earlier quotes: the posts that changed only (their linked posts
    were searched when they were checked)."""

    def __init__(self, view: _CheckView) -> None:
        self._view = view

    def __getattr__(self, name: str) -> Any:
        return getattr(self._view, name)

    def cluster(self, cluster_id: str) -> Cluster | None:
        return None


LINKED_POSTS = 50  # other blogs' posts a quote is looked for in: a wire quote repeated 1,000 times needs
                  # 50 of its copies to be found, not all of them (each costs a post's words in the index)


@dataclass
class CheckJob:
    """What to check after a poll: taken on the UI thread (a snapshot of the index's lists)."""

    claim_ids: list[str]  # new and re-extracted quote claims: checked in full
    post_ids: set[str]  # the followed sources' posts
    linked: set[str]  # posts of the checked claims' clusters (other blogs)
    claim_pool: list[str]  # the claims of all those posts (speaker turns)
    again: list[str] = field(default_factory=list)  # earlier quotes not found faithful: looked for
    changed: set[str] = field(default_factory=set)  # ... in these posts (this poll's new and edited)


def check_job(store, staged: Staged, index: SourceIndex) -> CheckJob | None:
    """Quote claims to check after ``staged`` is committed: its new and re-extracted quotes in
    full, and the followed sources' earlier quotes not yet found faithful in the posts that
    changed (a new post may hold them; the rest was searched when they were checked)."""
    from verifier.quotecheck.align import FAITHFUL

    touched = {r.source_id for r in staged.reports}
    claim_map = store.claim_map()
    wanted: list[str] = []
    again: list[str] = []
    for sid in touched:
        for cid in index.source_claims(sid):
            c = claim_map.get(cid)
            if c is None or c.kind != "quote" or c.retired:
                continue
            record = store.quote_check_record(cid)
            if cid in staged.claims or record is None:
                wanted.append(cid)
            elif record.get("status") not in FAITHFUL and c.post_id not in staged.changed_posts:
                again.append(cid)
    changed = set(staged.changed_posts)
    if not wanted and not (again and changed):
        return None
    posts = {pid for sid in touched for pid in index.posts.get(sid, ())}
    linked: set[str] = set()
    cluster_map = store.cluster_map()
    for cid in wanted:  # posts of linked claims (other blogs), the earliest LINKED_POSTS of each cluster
        cl = cluster_map.get(claim_map[cid].cluster_id or "")
        n = 0
        for m in (cl.claim_ids if cl else ()):
            mc = claim_map.get(m)
            if mc is not None and mc.post_id not in posts and mc.post_id not in linked:
                linked.add(mc.post_id)
                n += 1
                if n >= LINKED_POSTS:
                    break
    pool = [cid for pid in posts | linked for cid in index.claims.get(pid, ())]
    return CheckJob(wanted, posts, linked, pool, again, changed)


def _better(new: dict[str, Any], old: dict[str, Any] | None) -> bool:
    from verifier.quotecheck.align import CLASSES

    def rank(r: dict[str, Any] | None) -> int:
        status = (r or {}).get("status")
        return CLASSES.index(status) if status in CLASSES else len(CLASSES)
    return rank(new) < rank(old)


def stage_checks(store, job: CheckJob) -> dict[str, dict[str, Any]]:
    """Check the job's quotes; reads the store only (safe in a worker)."""
    from verifier.progress import stage as progress_stage
    from verifier.quotecheck.check import check_claims

    out: dict[str, dict[str, Any]] = {}
    with progress_stage("checking quotes"):
        if job.claim_ids:
            view = _CheckView(store, job.post_ids, job.linked, job.claim_pool)
            check_claims(view, job.claim_ids)  # type: ignore[arg-type]  # a narrowed view
            out.update(view.checks)
        if job.again and job.changed:
            claim_map = store.claim_map()
            own = {claim_map[cid].post_id for cid in job.again if cid in claim_map}
            narrow = _CheckView(store, set(job.changed), own, job.claim_pool)
            check_claims(_NoClusters(narrow), job.again)  # type: ignore[arg-type]
            for cid, record in narrow.checks.items():  # a better place for it, or the old record stays
                if _better(record, store.quote_check_record(cid)):
                    out[cid] = record
    return out
def commit_checks(store, checks: dict[str, dict[str, Any]]) -> list[str]:
    """Put quote checks in (claims retired meanwhile are left out); the ids written."""
    claim_map = store.claim_map()
    keep = {cid: r for cid, r in checks.items() if cid in claim_map and not claim_map[cid].retired}
    if keep:
        from verifier.models import QuoteCheck

        store.put_quote_checks(QuoteCheck.from_dict(r) for r in keep.values())
    return list(keep)


