"""Counts behind the progress line, `verifier stats` and the stats view: plain data, one pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from verifier.models import CLAIM_KINDS, NOT_A_CLAIM, STATUSES
from verifier.store.interface import ClaimStore

# Time buckets for "claims over time": the finest that keeps the chart readable.
_BUCKETS = (("hour", 13), ("day", 10), ("month", 7))  # (unit, ISO prefix length)
MAX_BARS = 36


@dataclass
class Stats:
    total: int = 0
    not_a_claim: int = 0  # decided noise: outside total
    by_status: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    speakers: list[tuple[str, int]] = field(default_factory=list)  # most quoted first
    clusters: int = 0
    conflicted: int = 0
    unit: str = "hour"  # of the time buckets
    # (bucket label, claims, reviewed claims), oldest first; undated claims last
    over_time: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def reviewed(self) -> int:
        """Claims decided, of total (claims decided "not a claim" count in neither)."""
        return self.total - self.by_status.get("unreviewed", 0)


def compute(store: ClaimStore, top_speakers: int = 10) -> Stats:
    claims = store.live_claims()
    status = store.status
    post = store.post
    by_status: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    speakers: Counter[str] = Counter()
    stamps: list[tuple[str, bool]] = []
    noise = 0
    for c in claims:
        s = status(c.id)
        if s == NOT_A_CLAIM:  # out of the progress counts, shown apart
            noise += 1
            continue
        by_status[s] += 1
        by_kind[c.kind] += 1
        if c.speaker:
            speakers[c.speaker] += 1
        p = post(c.post_id)
        stamps.append(((p.published or "") if p else "", s != "unreviewed"))
    multi = [cl for cl in store.iter_clusters() if len(cl.claim_ids) > 1]
    unit, over_time = _over_time(stamps)
    return Stats(
        total=len(claims) - noise,
        by_status={s: by_status.get(s, 0) for s in STATUSES if s != NOT_A_CLAIM},
        not_a_claim=noise,
        by_kind={k: by_kind.get(k, 0) for k in CLAIM_KINDS},
        speakers=speakers.most_common(top_speakers),
        clusters=len(multi),
        conflicted=sum(1 for cl in multi if cl.conflicts),
        unit=unit,
        over_time=over_time,
    )


def _over_time(stamps: list[tuple[str, bool]]) -> tuple[str, list[tuple[str, int, int]]]:
    """Bucket post times by hour, or by day when hours would not fit on screen.

    Times are bucketed in the offset the page gave them: a desk reads a live
    blog in the blog's own clock.
    """
    dated = [(t, r) for t, r in stamps if t]
    undated = [(t, r) for t, r in stamps if not t]
    unit, width = _BUCKETS[0]
    for unit, width in _BUCKETS:
        if len({t[:width] for t, _ in dated}) <= MAX_BARS:
            break
    buckets: dict[str, list[int]] = {}
    for t, r in dated:
        b = buckets.setdefault(t[:width], [0, 0])
        b[0] += 1
        b[1] += r
    rows = [(_label(k, unit), n, r) for k, (n, r) in sorted(buckets.items())]
    if len(rows) > MAX_BARS:  # years of blogs: the latest months, the rest summed
        early = rows[: len(rows) - MAX_BARS + 1]
        rows = [("earlier", sum(n for _, n, _ in early), sum(r for _, _, r in early))] + rows[-MAX_BARS + 1:]
    if undated:
        rows.append(("undated", len(undated), sum(r for _, r in undated)))
    return unit, rows


def _label(prefix: str, unit: str) -> str:
    try:
        if unit == "hour":
            return datetime.strptime(prefix, "%Y-%m-%dT%H").strftime("%b %d %H:00")
        if unit == "day":
            return datetime.strptime(prefix, "%Y-%m-%d").strftime("%b %d")
        return datetime.strptime(prefix, "%Y-%m").strftime("%b %Y")
    except ValueError:
        return prefix
