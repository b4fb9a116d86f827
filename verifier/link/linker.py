"""Linking duplicate claims into clusters, all at once or one new post at a time.

Links with score >= LINK_AT join claims of different posts; a person's
split and merge decisions (kept in the store's journal) are applied on top,
so they survive re-linking and re-ingest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from verifier.ids import content_id
from verifier.link import conflicts
from verifier.link.blocking import BlockingIndex
from verifier.link.score import LINK_AT, MIN_QUOTE_WORDS, Features, features, score

PREFILTER_AT = LINK_AT - 5  # token_sort can edge past token_set where words repeat
from verifier.models import Claim, Cluster


@dataclass
class Linker:
    """Holds the blocking index and features so new claims link in milliseconds."""

    claims: dict[str, Claim]
    index: BlockingIndex = field(default_factory=BlockingIndex)
    feats: dict[str, Features] = field(default_factory=dict)

    @classmethod
    def build(cls, claims: Iterable[Claim]) -> "Linker":
        live = {c.id: c for c in claims if not c.retired}
        linker = cls(live)
        for c in live.values():
            f = features(c.text, c.quote)
            linker.feats[c.id] = f
            linker.index.add_tokens(c.id, f.norm, (n["value"] for n in c.numbers))
        linker.index.build()
        return linker

    def _link(self, a: str, b: str) -> dict[str, Any] | None:
        ca, cb = self.claims[a], self.claims[b]
        if ca.post_id == cb.post_id:
            return None
        s, how = score(self.feats[a], self.feats[b])
        if s < LINK_AT:
            return None
        return {"a": a, "b": b, "score": round(s, 1), "matched": how,
                "shared_figures": conflicts.shared_figures(ca, cb),
                "conflicts": conflicts.between(ca, cb)}

    def link_all(self) -> list[dict[str, Any]]:
        """Score every candidate pair: token_set at C speed on all cores first, the full scorer on survivors.

        The combined score never exceeds token_set_ratio except through the
        quote scorer, so pairs below the cutoff that are not both quotes
        cannot link and are dropped before any Python-level work.
        """
        import numpy as np
        from rapidfuzz import fuzz, process

        ids = list(self.claims)
        position = {cid: i for i, cid in enumerate(ids)}
        left, right = self.index.candidate_arrays(position)
        posts = {}
        post_code = np.fromiter((posts.setdefault(self.claims[c].post_id, len(posts)) for c in ids),
                                dtype=np.int64, count=len(ids))
        other_post = post_code[left] != post_code[right]
        left, right = left[other_post], right[other_post]
        norms = [self.feats[c].norm for c in ids]
        quoted = np.fromiter((self.feats[c].n_quote_words >= MIN_QUOTE_WORDS for c in ids),
                             dtype=bool, count=len(ids))
        out = []
        step = 500_000
        for start in range(0, len(left), step):
            li, ri = left[start:start + step], right[start:start + step]
            tset = process.cpdist([norms[i] for i in li], [norms[j] for j in ri],
                                  scorer=fuzz.token_set_ratio, score_cutoff=PREFILTER_AT, workers=-1)
            keep = (tset >= PREFILTER_AT) | (quoted[li] & quoted[ri])
            for i, j in zip(li[keep].tolist(), ri[keep].tolist()):
                link = self._link(ids[i], ids[j])
                if link:
                    out.append(link)
        return out

    def add(self, claims: Iterable[Claim]) -> list[dict[str, Any]]:
        """Index new claims and return their links to everything already indexed."""
        new = [c for c in claims if not c.retired]
        for c in new:
            self.claims[c.id] = c
            f = features(c.text, c.quote)
            self.feats[c.id] = f
            self.index.add(c.id, f.norm, (n["value"] for n in c.numbers))
        out = []
        seen: set[tuple[str, str]] = set()
        for c in new:
            for other in self.index.candidates_for(c.id):
                pair = (c.id, other) if c.id < other else (other, c.id)
                if pair in seen:
                    continue
                seen.add(pair)
                link = self._link(*pair)
                if link:
                    out.append(link)
        return out


def clusters_from(links: list[dict[str, Any]], decisions: list[dict[str, Any]],
                  claims: dict[str, Claim]) -> list[Cluster]:
    """Union the links, then apply the person's splits and merges in the order made."""
    isolated: set[str] = set()
    forced: list[tuple[str, str]] = []
    for d in decisions:
        if d.get("op") == "split":
            isolated.add(d["claim_id"])
            forced = [p for p in forced if d["claim_id"] not in p]
        elif d.get("op") == "merge":
            a, b = d["claim_ids"]
            forced.append((a, b))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kept = [l for l in links if l["a"] not in isolated and l["b"] not in isolated]
    for a, b in [(l["a"], l["b"]) for l in kept] + forced:
        if a in claims and b in claims:
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    by_member: dict[str, list[dict[str, Any]]] = {}
    for l in kept:
        by_member.setdefault(find(l["a"]), []).append(l)
    out = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        members.sort()
        links_here = by_member.get(root, [])
        found = [c for l in links_here for c in l["conflicts"]]
        out.append(Cluster(id="k" + content_id("cluster", members[0], length=11),
                           claim_ids=members, conflicts=found, links=links_here))
    return out


def relink(store, linker: Linker | None = None, new_claims: list[Claim] | None = None) -> list[Cluster]:
    """Recompute the store's clusters. With new_claims, only those are scored."""
    if new_claims is None or linker is None:
        linker = Linker.build(store.claims.values())
        links = linker.link_all()
    else:
        links = [l for cl in store.clusters.values() for l in cl.links
                 if l["a"] in linker.claims and l["b"] in linker.claims]
        links += linker.add(new_claims)
    clusters = clusters_from(links, store.decisions, linker.claims)
    apply_clusters(store, clusters)
    return clusters


def apply_clusters(store, clusters: list[Cluster]) -> None:
    member_of = {cid: cl.id for cl in clusters for cid in cl.claim_ids}
    for c in store.claims.values():
        c.cluster_id = member_of.get(c.id)
    store.set_clusters(clusters)


def recluster(store) -> list[Cluster]:
    """Re-apply the person's decisions to the links already found, without scoring."""
    links = [l for cl in store.clusters.values() for l in cl.links]
    clusters = clusters_from(links, store.decisions, {c.id: c for c in store.live_claims()})
    apply_clusters(store, clusters)
    return clusters
