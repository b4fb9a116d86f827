"""Linking duplicate claims into clusters: all at once, or the claims of a new ingest.

Claims are taken in the order they were published. Each one is compared
with the *anchors* (the claims that started a group) that share its rarest
words, and with the claim of the same text if there is one:
- it joins a group only when it matches the group's anchor and no distinct
  wording already in the group is about other names or says the opposite
  (no chaining through one member of a chain);
- a match in the suggested band (or a short or negated one) is stored as a
  suggestion for a person, and the claim starts its own group;
- otherwise it starts its own group.

Each member's link (to the anchor it matched, with score and scorer) is
stored once: a cluster's record is linear in its members. A person's
decisions (split, merge, confirm, reject; journalled) are replayed on top
after every pass and every decision, so they outlive re-linking and
re-ingest, and conflicts are recomputed for every cluster that changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from verifier.ids import content_id
from verifier.link import conflicts
from verifier.link.blocking import AnchorIndex, index_path
from verifier.link.score import SHORT_WORDS, Features, claim_features, different_things, judge, other_context
from verifier.store.interface import ClaimStore
from verifier.models import Claim, Cluster, Link
from verifier.progress import track

AMBIGUOUS = 5.0  # two groups matched within this many points of each other are a tie
VARIANTS = 8  # distinct wordings of a group a newcomer is checked against (names, negation)


# ---- the person's decisions ------------------------------------------------
@dataclass
class Decisions:
    isolated: set[str] = field(default_factory=set)  # split out: never linked automatically
    forced: list[tuple[str, str, str]] = field(default_factory=list)  # (a, b, "merged" | "confirmed")
    rejected: set[frozenset[str]] = field(default_factory=set)  # pairs that are not the same claim
    cannot: dict[str, set[str]] = field(default_factory=dict)  # claim -> claims it must not join

    @classmethod
    def replay(cls, decisions: Iterable[dict[str, Any]]) -> "Decisions":
        """The person's decisions in the order made; a later one overrides an earlier one."""
        d = cls()
        decisions = list(decisions)
        undone = {e.get("undoes") for e in decisions if e.get("op") == "undo"}  # taken back with z
        for entry in decisions:
            op = entry.get("op")
            if undone and entry.get("seq") in undone:
                continue
            if op == "split":
                cid = str(entry.get("claim_id"))
                d.isolated.add(cid)
                d.forced = [p for p in d.forced if cid not in p[:2]]
            elif op == "merge":
                a, b = entry["claim_ids"]
                d.forced.append((a, b, "merged"))
                d.rejected.discard(frozenset((a, b)))
            elif op in ("confirm", "reject"):
                for a, b in entry.get("pairs", []):
                    pair = frozenset((a, b))
                    if op == "confirm":
                        d.forced.append((a, b, "confirmed"))
                        d.rejected.discard(pair)
                    else:
                        d.rejected.add(pair)
                        d.forced = [p for p in d.forced if frozenset(p[:2]) != pair]
        for pair in d.rejected:
            if len(pair) != 2:
                continue
            a, b = tuple(pair)
            d.cannot.setdefault(a, set()).add(b)
            d.cannot.setdefault(b, set()).add(a)
        return d

    def decided(self, a: str, b: str) -> bool:
        pair = frozenset((a, b))
        return pair in self.rejected or any(frozenset(p[:2]) == pair for p in self.forced)


def chronological(store: ClaimStore) -> Any:
    """Sort key: when the claim's post was published, then its place on the page."""
    posts = store.post_map()

    def key(c: Claim) -> tuple[str, int, int, str]:
        p = posts.get(c.post_id)
        return ((p.published or "") if p else "", p.seq if p else 0, c.span[0] if c.span else 0, c.id)

    return key


# ---- one linking pass --------------------------------------------------------
@dataclass
class _Group:
    rep: str
    members: list[str]
    posts: set[str]
    variants: list[str] | None = None  # distinct wordings, found when first needed


class Pass:
    """Links claims one at a time against an anchor index and the groups so far."""

    def __init__(self, store: ClaimStore, index: AnchorIndex, decisions: Decisions, *, stored_groups: bool) -> None:
        self.store = store
        self.claims: Mapping[str, Claim] = store.claim_map()
        self.posts = store.post_map()
        self.index = index
        self.decisions = decisions
        self.feats: dict[str, Features] = {}
        self.group_key: dict[str, str] = {}  # claim -> group key (joined claims and reps)
        self.groups: dict[str, _Group] = {}
        self.link_of: dict[str, dict[str, Any]] = {}  # claim -> its auto link, this pass and stored
        self.auto: list[dict[str, Any]] = []  # auto links made in this pass
        self.suggested: list[dict[str, Any]] = []
        self.stored_groups = stored_groups
        if stored_groups:
            for cl in store.iter_clusters():
                for l in cl.links:
                    if l.get("tier", "auto") == "auto":
                        self.link_of[l["a"]] = l

    def feat(self, cid: str) -> Features:
        f = self.feats.get(cid)
        if f is None:
            c = self.claims[cid]
            f = self.feats[cid] = claim_features(c, self.posts.get(c.post_id))
        return f

    def _usable(self, cid: str) -> bool:
        c = self.claims.get(cid)
        return c is not None and not c.retired and cid not in self.decisions.isolated

    def group_of(self, cid: str) -> tuple[str, _Group | None]:
        """The group a claim is in: (key, group), group None for a claim alone."""
        key = self.group_key.get(cid)
        if key is None and self.stored_groups:
            c = self.claims.get(cid)
            cl = self.store.cluster(c.cluster_id or "") if c is not None else None
            if cl is not None and cid in cl.claim_ids:
                key = cl.id
                if key not in self.groups:
                    members = [m for m in cl.claim_ids if m in self.claims]
                    self.groups[key] = _Group(cl.rep or members[0], members,
                                              {self.claims[m].post_id for m in members})
                for m in cl.claim_ids:
                    self.group_key[m] = key
        if key is None:
            return cid, None
        return key, self.groups.get(key)

    def _allowed(self, c: Claim, key: str, group: _Group | None, anchor: str) -> bool:
        if group is None:
            if self.claims[anchor].post_id == c.post_id:
                return False
            return anchor not in self.decisions.cannot.get(c.id, ())
        if c.post_id in group.posts:
            return False
        cannot = self.decisions.cannot.get(c.id)
        return not cannot or not any(self.group_of(x)[0] == key for x in cannot)

    def _variants(self, group: _Group) -> list[str]:
        if group.variants is None:
            seen: set[str] = set()
            out = []
            for m in group.members:
                if not self._usable(m):
                    continue
                n = self.feat(m).norm
                if n not in seen:
                    seen.add(n)
                    out.append(m)
                    if len(out) >= VARIANTS:
                        break
            group.variants = out
        return group.variants

    def _join(self, c: Claim, key: str, group: _Group | None, link: dict[str, Any]) -> None:
        if group is None:  # the anchor was alone: a new group keyed by the anchor
            anchor = key
            group = self.groups[key] = _Group(anchor, [anchor], {self.claims[anchor].post_id}, None)
            self.group_key[anchor] = key
        group.members.append(c.id)
        group.posts.add(c.post_id)
        if group.variants is not None and len(group.variants) < VARIANTS:
            n = self.feat(c.id).norm
            if all(self.feat(v).norm != n for v in group.variants):
                group.variants.append(c.id)
        self.group_key[c.id] = key
        self.link_of[c.id] = link
        self.auto.append(link)

    def _ambiguous(self, ranked: list[tuple[float, str, str, "_Group | None", str]]) -> bool:
        """A claim that matches two groups about different names as well as each other lacks the
        detail that tells them apart (a restatement that dropped its place): a person decides."""
        score, b = ranked[0][0], ranked[0][1]
        fb = self.feat(b)
        return any(s >= score - AMBIGUOUS and different_things(fb, self.feat(x)) for s, x, *_ in ranked[1:])

    def add(self, c: Claim) -> None:
        if c.retired or c.id in self.decisions.isolated:
            return
        f = self.feat(c.id)
        index = self.index
        same = index.same_text(f.norm)
        if same is not None and same != c.id and self._usable(same):
            key, group = self.group_of(same)
            anchor = group.rep if group is not None else same
            if self._allowed(c, key, group, anchor):
                if f.n_words < SHORT_WORDS:
                    self.suggested.append(Link(c.id, same, 100.0, "same words", "suggested", "short").to_dict())
                    index.add_anchor(c.id, f.norm)
                    return
                if not other_context(f, self.feat(same)):
                    prior = self.link_of.get(same)  # the same words as a member: its link to the group
                    link = (Link(c.id, prior["b"], prior["score"], prior["matched"], "auto") if prior
                            else Link(c.id, same, 100.0, "same words", "auto"))
                    self._join(c, key, group, link.to_dict())
                    return
                # the same words about other names said before them: among the anchors of these words
        best_auto: list[tuple[float, str, str, _Group | None, str]] = []
        best_sugg: tuple[float, str, str, str] | None = None
        tried: set[str] = set()
        for b in index.candidates(f.norm, f.keys):
            if b == c.id or not self._usable(b):
                continue
            key, group = self.group_of(b)
            if key in tried and group is not None and group.rep != b:
                continue
            tried.add(key)
            if not self._allowed(c, key, group, b):
                continue
            m = judge(f, self.feat(b))
            if m.tier == "auto":
                best_auto.append((m.score, b, m.how, group, key))
            elif m.tier == "suggested" and (best_sugg is None or m.score > best_sugg[0]):
                best_sugg = (m.score, b, m.how, m.reason)
        best_auto.sort(key=lambda t: -t[0])
        if len(best_auto) > 1 and self._ambiguous(best_auto):
            score, b, how, _, _ = best_auto[0]
            best_auto, best_sugg = [], (score, b, how, "ambiguous")
        context = None
        for score, b, how, group, key in best_auto:
            if group is not None and any(different_things(f, self.feat(v)) for v in self._variants(group) if v != b):
                continue  # matches one wording, but the group's other wordings name other things: no chaining
            if other_context(f, self.feat(b)):
                context = context or (score, b, how, "context")
                continue  # the same words about other names said just before them: a person decides
            self._join(c, key, group, Link(c.id, b, round(score, 1), how, "auto").to_dict())
            return
        if context is not None and (best_sugg is None or context[0] >= best_sugg[0]):
            best_sugg = context
        if best_sugg is not None:
            score, b, how, reason = best_sugg
            self.suggested.append(Link(c.id, b, round(score, 1), how, "suggested", reason).to_dict())
        elif best_auto:  # an automatic match that the group's other wordings veto: a person decides
            score, b, how, _, _ = best_auto[0]
            self.suggested.append(Link(c.id, b, round(score, 1), how, "suggested", "group").to_dict())
        index.add_anchor(c.id, f.norm, f.keys)
        index.add_text(c.id, f.norm)


# ---- clusters from links and decisions -----------------------------------------
def _cluster_id(rep: str) -> str:
    return "k" + content_id("cluster", rep, length=11)


def finalize(store: ClaimStore, auto: list[dict[str, Any]], suggested: list[dict[str, Any]],
             decisions: Decisions | None = None, feats: dict[str, Features] | None = None) -> list[Cluster]:
    """Clusters from the automatic links and the person's decisions; conflicts where members changed."""
    if decisions is None:
        decisions = Decisions.replay(store.decision_records())
    claims = store.claim_map()
    live = lambda cid: cid in claims and not claims[cid].retired  # noqa: E731
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    isolated = decisions.isolated
    stars: dict[str, list[str]] = {}
    link_of: dict[str, dict[str, Any]] = {}
    for l in auto:
        a, b = l["a"], l["b"]
        if live(a) and a not in isolated and b in claims:
            stars.setdefault(b, []).append(a)
            link_of[a] = l
    for b, members in stars.items():
        nodes = [n for n in [b, *members] if live(n) and n not in isolated]
        for x, y in zip(nodes, nodes[1:]):
            union(x, y)
    forced_tier: dict[str, str] = {}
    for a, b, tier in decisions.forced:
        if live(a) and live(b):
            union(a, b)
            forced_tier.setdefault(a, tier)
            forced_tier.setdefault(b, tier)
    comps: dict[str, list[str]] = {}
    for x in list(parent):
        comps.setdefault(find(x), []).append(x)
    key = chronological(store)
    previous = store.cluster_map()
    out: list[Cluster] = []
    feats = feats if feats is not None else {}

    def feat(cid: str) -> Features:
        f = feats.get(cid)
        if f is None:
            c = claims[cid]
            f = feats[cid] = claim_features(c)
        return f

    def unchanged(members: list[str]) -> Cluster | None:
        """The stored cluster of exactly these members when every member's link is as it was (then
        the same rep, order, links and conflicts follow): kept as it is, nothing recomputed."""
        old = previous.get(claims[members[0]].cluster_id or "")
        if old is None or len(old.claim_ids) != len(members) or old.rep in link_of:
            return None
        if any(claims[m].cluster_id != old.id for m in members):
            return None
        for l in old.links:
            own = link_of.get(l["a"])
            if own is not None:
                if own != l or own["b"] not in claims:
                    return None
            elif l.get("tier") == "auto" or l.get("b") != old.rep or l.get("tier") != forced_tier.get(l["a"], "merged"):
                return None
        return old

    for members in comps.values():
        if len(members) < 2:
            continue
        kept = unchanged(members)
        if kept is not None:
            out.append(kept)
            continue
        centres = [m for m in members if m in stars and m not in isolated]
        if centres:
            rep = min(centres, key=lambda m: (-len(stars[m]), key(claims[m])))
        else:
            rep = min(members, key=lambda m: key(claims[m]))
        members.sort(key=lambda m: key(claims[m]))
        links = []
        for m in members:
            if m == rep:
                continue
            own = link_of.get(m)
            if own is not None and own["b"] in claims:
                links.append(own)
            else:
                match = judge(feat(m), feat(rep))
                links.append(Link(m, rep, round(match.score, 1), match.how, forced_tier.get(m, "merged")).to_dict())
        cid = _cluster_id(rep)
        old = previous.get(cid)
        if old is not None and old.rep == rep and old.claim_ids == members:
            if old.links == links:
                out.append(old)  # unchanged: the stored record itself
                continue
            found = old.conflicts
        else:
            r, fr = claims[rep], feat(rep)
            found = [x for m in members if m != rep
                     for x in conflicts.between(r, claims[m], fr.norm, feat(m).norm)]
        out.append(Cluster(id=cid, claim_ids=members, conflicts=found, links=links, rep=rep))
    member_of = {cid: cl.id for cl in out for cid in cl.claim_ids}
    store.set_clusters(out)  # every claim's cluster_id follows
    seen: set[tuple[str, str]] = set()
    pending = []
    for s in suggested:
        a, b = s["a"], s["b"]
        if (a, b) in seen or not (live(a) and live(b)) or a in isolated or b in isolated:
            continue
        if member_of.get(a) is not None and member_of.get(a) == member_of.get(b):
            continue
        if decisions.decided(a, b):
            continue
        seen.add((a, b))
        pending.append(s)
    store.set_suggestions(pending)
    return out


# ---- entry points ------------------------------------------------------------
@dataclass
class Linked:
    """What a linking run produced, and how to keep its index for the next ingest."""

    clusters: list[Cluster]
    suggestions: int
    index: AnchorIndex
    store: ClaimStore
    token: str = ""
    rebuilt: bool = False

    def save_index(self) -> None:
        """Write the index beside the database (after store.save(): it names the saved state)."""
        from verifier.errors import StoreError

        if not self.token:
            return
        try:
            self.index.save(index_path(self.store.path), self.token)
        except (StoreError, OSError):
            pass  # only a cache: the next ingest rebuilds it


def _stamp(store: ClaimStore, index: AnchorIndex) -> str:
    token = uuid.uuid4().hex
    store.set_link_token(token)
    return token


def relink(store: ClaimStore) -> Linked:
    """Link every live claim from scratch (a new index), then apply the person's decisions."""
    decisions = Decisions.replay(store.decision_records())
    index = AnchorIndex()
    p = Pass(store, index, decisions, stored_groups=False)
    for c in track(sorted((c for c in store.iter_claims() if not c.retired), key=chronological(store)),
                   "linking"):
        p.add(c)
    clusters = finalize(store, p.auto, p.suggested, decisions, p.feats)
    return Linked(clusters, len(store.suggestion_list()), index, store, _stamp(store, index), rebuilt=True)


def stored_auto(store: ClaimStore) -> list[dict[str, Any]]:
    return [l for cl in store.iter_clusters() for l in cl.links if l.get("tier", "auto") == "auto"]


def rebuild_index(store: ClaimStore, leave_out: set[str], decisions: Decisions) -> AnchorIndex:
    """The index as the stored clusters imply it: every live claim not linked to an anchor is one."""
    from verifier.link.tokens import normalise

    joined = {l["a"] for l in stored_auto(store)}
    index = AnchorIndex()
    for c in sorted((c for c in store.iter_claims() if not c.retired and c.id not in leave_out),
                    key=chronological(store)):
        norm = normalise(c.text)
        if c.id not in joined and c.id not in decisions.isolated:
            index.add_anchor(c.id, norm)
        index.add_text(c.id, norm)
    return index


INCREMENTAL_SHARE = 0.25  # an ingest bringing at most this share of the database's claims: the touched clusters only


def link_new(store: ClaimStore, new_ids: Iterable[str], warm: Linked | None = None,
             retired_ids: Iterable[str] | None = None) -> Linked:
    """Link the claims of an ingest against the database as linked so far: the index of the last
    run in this process (``warm``) or the saved one when it matches this database, else one rebuilt
    from it; nothing already linked is scored again.

    Given ``retired_ids`` (the claims the ingest retired), an ingest small beside the database
    (INCREMENTAL_SHARE) re-derives only the clusters its claims touch, as a follower's poll does
    (verifier.follow.linking: the same pass and the same clusters), instead of every cluster."""
    new_ids = list(new_ids)
    if retired_ids is not None and warm is None and hasattr(store, "update_clusters") \
            and len(new_ids) <= INCREMENTAL_SHARE * len(store.claim_map()):
        from verifier.follow.linking import apply_links, stage_links

        staged = stage_links(store, {}, {}, new_ids, list(retired_ids), None)
        apply_links(store, staged)
        state = staged.state
        assert state is not None
        return Linked(staged.clusters, len(store.suggestion_list()), state.index, store, staged.token, state.rebuilt)
    new = [store.claim_map()[cid] for cid in set(new_ids) if cid in store.claim_map()]
    decisions = Decisions.replay(store.decision_records())
    token = store.link_token()
    index = None
    if warm is not None and warm.store is store and token and warm.token == token:
        index = warm.index  # a follower's previous poll: already holds every claim linked since
    elif token:
        index = AnchorIndex.load(index_path(store.path), token)
    rebuilt = index is None
    if index is None:
        index = rebuild_index(store, {c.id for c in new}, decisions)
    p = Pass(store, index, decisions, stored_groups=True)
    for c in track(sorted(new, key=chronological(store)), "linking"):
        p.add(c)
    auto = stored_auto(store) + p.auto
    suggested = list(store.suggestion_list()) + p.suggested
    clusters = finalize(store, auto, suggested, decisions, p.feats)
    return Linked(clusters, len(store.suggestion_list()), index, store, _stamp(store, index), rebuilt)


def recluster(store: ClaimStore) -> list[Cluster]:
    """Re-apply the person's decisions to the links already found, without scoring anything new."""
    return finalize(store, stored_auto(store), list(store.suggestion_list()))
