"""Counts behind the progress line, `verifier stats` and the stats view: plain data, one pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Mapping, Sequence

from verifier.models import CLAIM_KINDS, NOT_A_CLAIM, STATUSES
from verifier.store.interface import ClaimStore

if TYPE_CHECKING:
    import numpy as np

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
    counts: dict[str, list[int]] = {}
    for t, reviewed in stamps:
        c = counts.setdefault(t, [0, 0])
        c[0] += 1
        c[1] += reviewed
    return over_time_counts(counts)


def over_time_counts(counts: Mapping[str, Sequence[int]]) -> tuple[str, list[tuple[str, int, int]]]:
    """What _over_time makes of claims, from (claims, reviewed) per publication time ("":
    undated). A time may be cut to its hour ("2023-02-02T14") as a database groups it."""
    dated = {t: nr for t, nr in counts.items() if t}
    unit, width = _BUCKETS[0]
    for unit, width in _BUCKETS:
        if len({t[:width] for t in dated}) <= MAX_BARS:
            break
    buckets: dict[str, list[int]] = {}
    for t, (n, r) in dated.items():
        b = buckets.setdefault(t[:width], [0, 0])
        b[0] += n
        b[1] += r
    rows = [(_label(k, unit), n, r) for k, (n, r) in sorted(buckets.items())]
    if len(rows) > MAX_BARS:  # years of blogs: the latest months, the rest summed
        early = rows[: len(rows) - MAX_BARS + 1]
        rows = [("earlier", sum(n for _, n, _ in early), sum(r for _, _, r in early))] + rows[-MAX_BARS + 1:]
    undated = counts.get("")
    if undated and undated[0]:
        rows.append(("undated", int(undated[0]), int(undated[1])))
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


# ---- the same counts from a triage session's per-claim arrays (the workbench's stats view) ----
# A pass of Python over 100,000 claims took ~0.7 s; the session already holds each claim's
# status, kind and speaker as small integer arrays, and the time buckets are coded once.

def time_codes(published: list[str]) -> dict[str, tuple[list[str], "np.ndarray"]]:
    """For each bucket unit: the bucket keys (sorted) and each claim's bucket (-1: undated).
    Coded once per distinct publication time (a few thousand posts, not 100,000 claims)."""
    import numpy as np

    distinct = list(dict.fromkeys(published))
    where = {t: i for i, t in enumerate(distinct)}
    per_claim = np.fromiter(map(where.__getitem__, published), dtype=np.int64, count=len(published))
    out = {}
    for unit, width in _BUCKETS:
        keys = sorted({t[:width] for t in distinct if t})
        code = {k: i for i, k in enumerate(keys)}
        of_distinct = np.array([code[t[:width]] if t else -1 for t in distinct] or [-1], dtype=np.int64)
        out[unit] = (keys, of_distinct[per_claim] if len(published) else np.zeros(0, dtype=np.int64))
    return out


def compute_from_codes(status, kind, speaker, speaker_names: list[str], times, clusters,
                       top_speakers: int = 10) -> Stats:
    """Stats from per-claim codes (status index in STATUSES, kind index in CLAIM_KINDS,
    speaker index in speaker_names or -1) and time_codes(); what compute() counts."""
    import numpy as np

    noise = status == STATUSES.index(NOT_A_CLAIM)
    live = ~noise
    by_status = np.bincount(status[live], minlength=len(STATUSES))
    kinds = kind[live]
    by_kind = np.bincount(kinds[kinds >= 0], minlength=len(CLAIM_KINDS))
    spk = speaker[live]
    spk = spk[spk >= 0]
    counts = np.bincount(spk, minlength=len(speaker_names)) if len(spk) else np.zeros(0, dtype=np.int64)
    top = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-counts[i], i))[:top_speakers]
    reviewed = live & (status != STATUSES.index("unreviewed"))
    unit, keys, codes = "hour", [], np.zeros(len(status), dtype=np.int64) - 1
    for unit, _width in _BUCKETS:
        keys, codes = times[unit]
        dated_codes = codes[live & (codes >= 0)]
        used = np.count_nonzero(np.bincount(dated_codes, minlength=len(keys))) if len(dated_codes) else 0
        if used <= MAX_BARS:  # (bincount, not unique: no sort, no hash of 100,000 codes)
            break
    dated = live & (codes >= 0)
    n = np.bincount(codes[dated], minlength=len(keys)) if keys else np.zeros(0, dtype=np.int64)
    r = np.bincount(codes[dated & reviewed], minlength=len(keys)) if keys else np.zeros(0, dtype=np.int64)
    rows = [(_label(keys[i], unit), int(n[i]), int(r[i])) for i in np.flatnonzero(n).tolist()]
    if len(rows) > MAX_BARS:
        early = rows[: len(rows) - MAX_BARS + 1]
        rows = [("earlier", sum(x for _, x, _ in early), sum(y for _, _, y in early))] + rows[-MAX_BARS + 1:]
    undated = live & (codes < 0)
    if undated.any():
        rows.append(("undated", int(undated.sum()), int((undated & reviewed).sum())))
    multi = [cl for cl in clusters if len(cl.claim_ids) > 1]
    return Stats(
        total=int(live.sum()),
        by_status={s: int(by_status[i]) for i, s in enumerate(STATUSES) if s != NOT_A_CLAIM},
        not_a_claim=int(noise.sum()),
        by_kind={k: int(by_kind[i]) for i, k in enumerate(CLAIM_KINDS)},
        speakers=[(speaker_names[i], int(counts[i])) for i in top],
        clusters=len(multi),
        conflicted=sum(1 for cl in multi if cl.conflicts),
        unit=unit,
        over_time=rows,
    )
