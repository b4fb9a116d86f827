"""A triage session: which claims are in view, in what order, and undoable tagging.

Plain Python over the store, so the TUI stays a thin layer and this logic is
testable without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from verifier.models import Claim, Post, Status, Verdict, VerdictChange
from verifier.store.interface import ClaimStore

SORTS = ("checkworthiness", "time", "speaker")


@dataclass
class Filters:
    text: str = ""
    status: str | None = None
    kind: str | None = None
    speaker: str | None = None
    quote: str | None = None  # a quote check class


@dataclass
class TriageSession:
    store: ClaimStore
    filters: Filters = field(default_factory=Filters)
    sort: str = "checkworthiness"
    view: list[str] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)  # claim id -> row in view
    undo_stack: list[list[Verdict]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    _orders: dict[str, list[Claim]] = field(default_factory=dict)  # sort name -> live claims in order
    _by_post: dict[str, list[Claim]] | None = None
    _by_source: dict[str, list[Post]] | None = None

    def __post_init__(self) -> None:
        # Counted once; every write below adjusts them, so a keypress costs O(1), not a pass.
        self.counts = {"total": 0, "unreviewed": 0, "sourced": 0, "unverified": 0, "disputed": 0}
        status = self.store.status
        for c in self.store.live_claims():
            self.counts["total"] += 1
            self.counts[status(c.id)] += 1
        self.refresh_view()

    def _published(self, c: Claim) -> str:
        post = self.store.post(c.post_id)
        return (post.published or "") if post else ""

    def _ordered(self, sort: str) -> list[Claim]:
        """Live claims in a sort's order, sorted once per session: the corpus does
        not change under the workbench, so a filter change is one linear pass."""
        if sort not in self._orders:
            claims = self.store.live_claims()
            if sort == "time":
                claims.sort(key=lambda c: (self._published(c), c.span[0]), reverse=True)
            elif sort == "speaker":
                claims.sort(key=lambda c: ((c.speaker or "\uffff").lower(), -c.checkworthiness))
            else:
                claims.sort(key=lambda c: -c.checkworthiness)  # stable: ties keep page order
            self._orders[sort] = claims
        return self._orders[sort]

    def post_claims(self, post_id: str) -> list[Claim]:
        """A post's live claims in reading order (index built on first use)."""
        if self._by_post is None:
            self._by_post = {}
            for c in self.store.live_claims():
                self._by_post.setdefault(c.post_id, []).append(c)
            for claims in self._by_post.values():
                claims.sort(key=lambda c: c.span[0])
        return self._by_post.get(post_id, [])

    def source_posts(self, source_id: str) -> list[Post]:
        """A source's posts as the page shows them, top first."""
        if self._by_source is None:
            self._by_source = {}
            for p in self.store.iter_posts():
                self._by_source.setdefault(p.source_id, []).append(p)
            for posts in self._by_source.values():
                posts.sort(key=lambda p: p.seq)
        return self._by_source.get(source_id, [])

    def speakers(self) -> list[tuple[str, int]]:
        """Speakers by number of live claims, most quoted first (for the speaker filter)."""
        counts: dict[str, int] = {}
        for c in self.store.live_claims():
            if c.speaker:
                counts[c.speaker] = counts.get(c.speaker, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def refresh_view(self) -> None:
        """Recompute the visible ids: one pass over claims already in order."""
        f = self.filters
        status = self.store.status
        claims = self._ordered(self.sort)
        if f.status:
            claims = [c for c in claims if status(c.id) == f.status]
        if f.kind:
            claims = [c for c in claims if c.kind == f.kind]
        if f.speaker:
            s = f.speaker.lower()
            claims = [c for c in claims if c.speaker and s in c.speaker.lower()]
        if f.quote:
            check = self.store.quote_check
            claims = [c for c in claims if (qc := check(c.id)) is not None and qc.status == f.quote]
        if f.text:
            q = f.text.lower()
            exact = [c for c in claims if q in c.text.lower()]
            if exact or len(q) < 4:
                claims = exact
            else:  # fuzzy: tolerate a typo or a reworded fragment
                scores = process.cdist([q], [c.text.lower() for c in claims], scorer=fuzz.partial_ratio,
                                       score_cutoff=80, workers=-1)[0]
                claims = [c for c, s in zip(claims, scores.tolist()) if s >= 80]
        if self.sort == "checkworthiness":  # unreviewed first: a stable partition keeps the order
            todo: list[Claim] = []
            done: list[Claim] = []
            for c in claims:
                (todo if status(c.id) == "unreviewed" else done).append(c)
            claims = todo + done
        self.view = [c.id for c in claims]
        self.position = {cid: i for i, cid in enumerate(self.view)}

    def cluster_of(self, claim_id: str) -> list[str]:
        c = self.store.claim(claim_id)
        cl = self.store.cluster(c.cluster_id) if c is not None and c.cluster_id else None
        if cl is not None:
            return [x for x in cl.claim_ids if self.store.claim(x) is not None]
        return [claim_id]

    def _count(self, old: str, new: str) -> None:
        self.counts[old] -= 1
        self.counts[new] += 1

    def tag(self, claim_ids: list[str], status: Status) -> None:
        """Tag claims: one durable write for the lot (all or none), on disk when this returns. One undo step."""
        before = [self.store.verdict(cid) for cid in dict.fromkeys(claim_ids)]
        self.store.set_verdicts([VerdictChange(v.claim_id, status=status) for v in before])
        for old in before:
            self._count(old.status, status)
        self.undo_stack.append(before)

    def annotate(self, claim_id: str, note: str | None = None, evidence: str | None = None) -> None:
        before = self.store.verdict(claim_id)
        ev = None
        if evidence:
            ev = list(before.evidence) + ([evidence] if evidence not in before.evidence else [])
        self.store.set_verdict(claim_id, note=note, evidence=ev)
        self.undo_stack.append([before])

    def undo(self) -> list[str]:
        """Put back the verdicts before the last change; returns the claim ids touched."""
        if not self.undo_stack:
            return []
        before = self.undo_stack[-1]
        current = [self.store.status(v.claim_id) for v in before]
        self.store.restore_verdicts(before)  # one durable write; on failure the step stays undoable
        self.undo_stack.pop()
        for now, v in zip(current, before):
            self._count(now, v.status)
        return [v.claim_id for v in before]

    def progress(self) -> dict[str, int]:
        return dict(self.counts)
