"""Linking a poll's new claims in the worker, at the cost of the clusters they touch.

``verifier.link.link_new`` links new claims against the database and then
re-derives *every* cluster (``finalize`` over all links, ``set_clusters`` of
all): right for an ingest, O(database) for a follower that brings five claims
a second. Here the same linking pass (``verifier.link.linker.Pass``, the same
anchor index, the same decisions) runs in the worker against a view of the
store with the staged claims on top, and ``finalize`` runs on the touched part
only: the new and retired claims, the clusters they join or leave, and the
claims those clusters' links and the person's decisions name. A cluster no
touched claim belongs to cannot change (its links and decisions are all among
its own members), so the result is what ``link_new`` gives, cluster for
cluster (tests/test_follow.py compares it with a full relink and with
finalize). Most polls only add claims to existing clusters: ``_grow`` adds
them in place when the representative stays, comparing only the newcomers
with it, where finalize compares every member again.

One difference, by design: members are ordered by when their post was
published, then by its place on its page; when a new post pushes a page's
posts down, finalize re-sorts every cluster, while a poll re-sorts only the
clusters it touched. It matters only for posts published the same minute
(the same post in two feeds): their order in an untouched cluster, and which
of two equally linked members represents it, wait for the next change to
that cluster or a `verifier link`.

Nothing here writes to the store: ``stage_links`` returns a ``StagedLinks``
(changed clusters, removed cluster ids, the cluster id of every claim whose
one changed, the suggestion list, the index token) that ``apply_links`` puts
into the store on the UI thread. It was computed against the decisions as
they were (``decisions_seen``): if the person split, merged or corrected
meanwhile, the caller drops it and links those claims at the next poll.
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, cast

from verifier.models import Claim, Cluster

if TYPE_CHECKING:  # the overlays below answer the reads linking makes of a store
    from verifier.store.interface import ClaimStore


FEATURES_KEPT = 200_000  # claims whose linking features are kept between polls (about 1 KB each)


@dataclass
class LinkState:
    """The anchor index kept warm between polls, and which store state it names."""

    index: Any = None  # verifier.link.blocking.AnchorIndex
    token: str | None = None
    store: Any = None
    rebuilt: bool = False
    # Each claim's linking features (verifier.link.score.Features), kept between polls: a
    # cluster a new claim joins is finalized again, its members' features need not be. A
    # correction (speaker, kind: a decision) changes features: the cache is dropped then.
    feats: dict[str, Any] = field(default_factory=dict)
    feats_decisions: int = -1

    def save_index(self) -> None:
        """Write the index beside the database (after store.save(): it names the saved state)."""
        from verifier.errors import StoreError
        from verifier.link.blocking import index_path

        if self.index is None or not self.token or self.store is None:
            return
        try:
            self.index.save(index_path(self.store.path), self.token)
        except (StoreError, OSError):
            pass  # only a cache: the next run rebuilds it


@dataclass
class StagedLinks:
    clusters: list[Cluster] = field(default_factory=list)  # new or changed clusters
    removed: list[str] = field(default_factory=list)  # cluster ids that no longer exist
    cluster_of: dict[str, str | None] = field(default_factory=dict)  # claim -> cluster id, where it changed
    suggestions: list[dict[str, Any]] | None = None  # the whole list (None: unchanged)
    token: str = ""
    decisions_seen: int = 0
    state: LinkState | None = None


class _Layer(Mapping[str, Any]):
    """A few staged records over the store's read-only view (ChainMap's lookups cost more)."""

    def __init__(self, top: dict[str, Any], base: Mapping[str, Any]) -> None:
        self.top, self.base = top, base

    def __getitem__(self, key: str) -> Any:
        v = self.top.get(key)
        return v if v is not None else self.base[key]

    def get(self, key: str, default: Any = None) -> Any:
        v = self.top.get(key)
        return v if v is not None else self.base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.top or key in self.base

    def __iter__(self) -> Iterator[str]:
        yield from self.top
        yield from (k for k in self.base if k not in self.top)

    def __len__(self) -> int:
        return len(self.base) + sum(1 for k in self.top if k not in self.base)


_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))


def _copy_claim(c: Claim) -> Claim:
    """A shallow copy (copy.copy of a slotted dataclass goes through __reduce_ex__: 10x slower)."""
    return Claim(*[getattr(c, name) for name in _CLAIM_FIELDS])


class _Overlay:
    """The live store with the staged posts and claims on top: what the linking pass reads."""

    def __init__(self, store, posts: Mapping[str, Any], claims: Mapping[str, Claim]) -> None:
        self.store = store
        self.path = store.path
        self._claims = _Layer(dict(claims), store.claim_map())
        self._posts = _Layer(dict(posts), store.post_map())

    def claim_map(self) -> Mapping[str, Claim]:
        return self._claims

    def post_map(self) -> Mapping[str, Any]:
        return self._posts

    def claim(self, cid: str) -> Claim | None:
        return self._claims.get(cid)

    def cluster(self, cid: str) -> Cluster | None:
        return self.store.cluster(cid)

    def cluster_map(self) -> Mapping[str, Cluster]:
        return self.store.cluster_map()

    def iter_clusters(self):
        return iter(())  # Pass reads the stored links through _LinkOf instead (not all of them up front)


class _LinkOf:
    """Pass's ``link_of`` (claim -> its stored automatic link), looked up in the claim's cluster
    when asked instead of collected from every cluster when the pass starts (O(database))."""

    def __init__(self, claims: Mapping[str, Claim], clusters: Mapping[str, Cluster]) -> None:
        self.claims, self.clusters = claims, clusters
        self.new: dict[str, dict[str, Any]] = {}

    def get(self, cid: str, default: Any = None) -> Any:
        link = self.new.get(cid)
        if link is not None:
            return link
        c = self.claims.get(cid)
        cl = self.clusters.get(c.cluster_id or "") if c is not None else None
        for link in (cl.links if cl is not None else ()):
            if link["a"] == cid and link.get("tier", "auto") == "auto":
                return link
        return default

    def __setitem__(self, cid: str, link: dict[str, Any]) -> None:
        self.new[cid] = link


class _Part:
    """The touched claims only, as private copies: ``finalize`` sets their cluster ids and
    hands its clusters and suggestions here instead of to the store."""

    def __init__(self, overlay: _Overlay, ids: Iterable[str]) -> None:
        self.overlay = overlay
        self._claims: dict[str, Claim] = {}
        get = overlay.claim_map().get
        for cid in ids:
            c = get(cid)
            if c is not None:  # finalize may set cluster ids on the records it is given
                self._claims[cid] = _copy_claim(c)
        self.clusters: list[Cluster] = []

    def claim_map(self) -> Mapping[str, Claim]:
        return self._claims

    def post_map(self) -> Mapping[str, Any]:
        return self.overlay.post_map()

    def cluster_map(self) -> Mapping[str, Cluster]:
        return self.overlay.cluster_map()

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        self.clusters = list(clusters)

    def set_suggestions(self, suggestions: Iterable[dict[str, Any]]) -> None:
        pass  # worked out over the whole list in stage_links


def _index_for(store, decisions, state: LinkState | None, leave_out: set[str]) -> LinkState:
    from verifier.link.blocking import AnchorIndex, index_path
    from verifier.link.linker import rebuild_index

    token = store.link_token()
    if state is not None and state.index is not None and state.store is store and token and state.token == token:
        state.rebuilt = False
        return state  # the previous poll's index: it holds every claim linked since
    index = AnchorIndex.load(index_path(store.path), token) if token else None
    rebuilt = index is None
    if index is None:
        index = rebuild_index(store, leave_out, decisions)
    return LinkState(index, token, store, rebuilt)


def stage_links(store, posts: Mapping[str, Any], claims: Mapping[str, Claim], new_ids: list[str],
                retired_ids: list[str], state: LinkState | None) -> StagedLinks:
    """Link ``new_ids`` and drop ``retired_ids`` from their clusters; reads ``store`` only.

    ``posts`` and ``claims`` are the staged (not yet stored) records. The returned state's
    index holds the new claims: keep it only if the result is applied."""
    from verifier.link.linker import Decisions, Pass, chronological, finalize

    decisions_seen = store.decision_count()
    decisions = Decisions.replay(store.decision_records())
    overlay = _Overlay(store, posts, claims)
    live_claims = overlay.claim_map()
    new = [live_claims[cid] for cid in dict.fromkeys(new_ids) if cid in live_claims]
    state = _index_for(store, decisions, state, {c.id for c in new})
    if state.feats_decisions != decisions_seen or len(state.feats) > FEATURES_KEPT:
        state.feats, state.feats_decisions = {}, decisions_seen
    p = Pass(cast("ClaimStore", overlay), state.index, decisions, stored_groups=True)
    p.feats = state.feats  # shared with finalize below: each claim's features computed once
    p.link_of = _LinkOf(live_claims, store.cluster_map())  # type: ignore[assignment]  # the same reads
    for c in sorted(new, key=chronological(cast("ClaimStore", overlay))):
        p.add(c)

    key = chronological(cast("ClaimStore", overlay))
    cluster_map = store.cluster_map()
    partners: dict[str, set[str]] = {}
    for a, b, _ in decisions.forced:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)

    # New claims that only join an existing cluster (the usual poll): grown in place when its
    # representative stays, every earlier member's link and conflicts kept (see _grow).
    joins: dict[str, list[dict[str, Any]]] = {}
    for link in p.auto:
        target = live_claims.get(link["b"])
        cl = cluster_map.get(target.cluster_id or "") if target is not None else None
        if cl is not None and link["b"] in cl.claim_ids and link["a"] not in partners:
            joins.setdefault(cl.id, []).append(link)
    retired_set = set(retired_ids)
    for k in list(joins):
        if any(m in retired_set for m in cluster_map[k].claim_ids):
            del joins[k]

    # The rest, touched: new and retired claims, every claim their links reach, whole clusters.
    joined = {l["a"] for links in joins.values() for l in links}
    touched: set[str] = (set(new_ids) - joined) | retired_set
    for link in p.auto:
        if link["a"] not in joined:
            touched.update((link["a"], link["b"]))
    old_clusters: set[str] = set()
    todo = list(touched)
    while todo:  # clusters and forced partners, to a fixed point (usually one round)
        cid = todo.pop()
        reached = live_claims.get(cid)
        cl = cluster_map.get(reached.cluster_id or "") if reached is not None else None
        more = list(partners.get(cid, ()))
        if cl is not None and cl.id not in old_clusters:
            old_clusters.add(cl.id)
            more += cl.claim_ids
            for link in joins.pop(cl.id, ()):  # reached from elsewhere: finalized with the rest
                more.append(link["a"])
        for m in more:
            if m not in touched:
                touched.add(m)
                todo.append(m)
    grown: list[Cluster] = []
    for k, links in list(joins.items()):
        cl = _grow(cluster_map[k], links, live_claims, decisions, key, p.feat)
        if cl is None:  # its representative changes (and so its id): finalized with the rest
            del joins[k]
            old_clusters.add(k)
            for m in cluster_map[k].claim_ids + [l["a"] for l in links]:
                touched.add(m)
        else:
            grown.append(cl)
    joined = {l["a"] for links in joins.values() for l in links}
    parts: list[Cluster] = []
    if touched:
        auto = [l for k in old_clusters for l in cluster_map[k].links if l.get("tier", "auto") == "auto"] \
            + [l for l in p.auto if l["a"] not in joined]
        ends = set(touched)
        for l in auto:
            ends.update((l["a"], l["b"]))
        part = _Part(overlay, ends)
        finalize(cast("ClaimStore", part), auto, [], decisions, p.feats)
        parts = part.clusters
    else:
        part = _Part(overlay, ())

    out = StagedLinks(clusters=parts + grown, decisions_seen=decisions_seen, state=state)
    kept = {cl.id for cl in parts}
    out.removed = [k for k in old_clusters if k not in kept]
    member_of = {m: cl.id for cl in parts for m in cl.claim_ids}
    for cid in part.claim_map():
        was = live_claims.get(cid)
        if was is None or was.cluster_id != member_of.get(cid):
            out.cluster_of[cid] = member_of.get(cid)
    for cl in grown:
        for link in joins[cl.id]:
            out.cluster_of[link["a"]] = cl.id
            member_of[link["a"]] = cl.id
    touched |= joined

    # Suggestions: the stored ones and this pass's, filtered as finalize does, over the whole list.
    def cluster_id(cid: str) -> str | None:
        if cid in member_of or cid in part.claim_map():
            return member_of.get(cid)
        c = live_claims.get(cid)
        return c.cluster_id if c is not None else None

    def live(cid: str) -> bool:
        c = live_claims.get(cid)
        return c is not None and not c.retired

    stored = store.suggestion_list()
    if p.suggested or retired_ids or any(s["a"] in touched or s["b"] in touched for s in stored):
        seen: set[tuple[str, str]] = set()
        pending = []
        for s in list(stored) + p.suggested:
            a, b = s["a"], s["b"]
            if (a, b) in seen or not (live(a) and live(b)) or a in decisions.isolated or b in decisions.isolated:
                continue
            ka = cluster_id(a)
            if ka is not None and ka == cluster_id(b):
                continue
            if decisions.decided(a, b):
                continue
            seen.add((a, b))
            pending.append(s)
        out.suggestions = pending
    out.token = uuid.uuid4().hex
    return out


def _grow(cl: Cluster, links: list[dict[str, Any]], claims: Mapping[str, Claim], decisions, key,
          feat) -> Cluster | None:
    """``cl`` with new members that linked to it, as ``finalize`` would make it, or None when its
    representative would change. finalize's rules: the representative is the member most
    others linked to (then the earliest); members in published order; one link per member but
    the representative; conflicts between the representative and each member. With the same
    representative, each earlier member's link and conflicts are what they were: only the new
    members are compared (finalize compares every member again, O(cluster) per poll)."""
    from verifier.link import conflicts

    isolated = decisions.isolated
    new = [l["a"] for l in links]
    members = list(cl.claim_ids) + [a for a in new if a not in cl.claim_ids]
    stars: dict[str, int] = {}
    for l in list(cl.links) + links:
        a = claims.get(l["a"])
        if l.get("tier", "auto") == "auto" and a is not None and not a.retired and l["a"] not in isolated \
                and l["b"] in claims:
            stars[l["b"]] = stars.get(l["b"], 0) + 1
    centres = [m for m in members if m in stars and m not in isolated]
    if centres:
        rep = min(centres, key=lambda m: (-stars[m], key(claims[m])))
    else:
        rep = min(members, key=lambda m: key(claims[m]))
    if rep != cl.rep:
        return None
    members = list(cl.claim_ids)  # stored in published order: the newcomers go in their places
    order = lambda m: key(claims[m])  # noqa: E731
    for a in sorted((a for a in new if a not in cl.claim_ids), key=order):
        bisect.insort(members, a, key=order)
    by_a = {l["a"]: l for l in cl.links}
    by_a.update({l["a"]: l for l in links})
    if any(m != rep and m not in by_a for m in members):
        return None  # a record finalize did not write: let finalize make it
    earlier: dict[str, list[dict[str, Any]]] = {}
    for x in cl.conflicts:
        pair = x.get("claims") or []
        if len(pair) == 2:
            earlier.setdefault(pair[1], []).append(x)
    old = set(cl.claim_ids)
    r, fr = claims[rep], feat(rep)
    found: list[dict[str, Any]] = []
    for m in members:
        if m == rep:
            continue
        found += earlier.get(m, []) if m in old else conflicts.between(r, claims[m], fr.norm, feat(m).norm)
    return Cluster(id=cl.id, claim_ids=members, conflicts=found, links=[by_a[m] for m in members if m != rep],
                   rep=rep)


def apply_links(store, staged: StagedLinks) -> None:
    """On the UI thread: put the changed clusters and cluster ids into the store."""
    if staged.clusters or staged.removed:
        store.update_clusters(staged.clusters, staged.removed)  # the touched clusters only
    if staged.suggestions is not None:
        store.set_suggestions(staged.suggestions)
    store.set_link_token(staged.token)
    if staged.state is not None:
        staged.state.token = staged.token
        staged.state.store = store
