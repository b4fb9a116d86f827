"""The stats view's counts on a desk database, counted by the server (a few grouped
queries over the live claims), never by reading a million claims into the workbench.
The same figures as verifier.stats.compute gives for a file database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.models import CLAIM_KINDS, NOT_A_CLAIM, STATUSES
from verifier.stats import Stats, over_time_counts

if TYPE_CHECKING:
    from verifier.store.postgres import PostgresStore


def desk_stats(store: "PostgresStore", top_speakers: int = 10) -> Stats:
    conn = store.conn
    with conn.transaction():  # whole-table counts: scans and hash joins, whatever the connection's plan settings
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
            conn.execute(f"SET LOCAL {setting} = on")
        return _counted(conn, top_speakers)


def _counted(conn, top_speakers: int) -> Stats:
    by_status: dict[str, int] = {s: 0 for s in STATUSES if s != NOT_A_CLAIM}
    by_kind: dict[str, int] = {k: 0 for k in CLAIM_KINDS}
    noise = 0
    for status, kind, n in conn.execute(
            "SELECT status, kind, count(*) FROM claims WHERE NOT retired GROUP BY status, kind"):
        if status == NOT_A_CLAIM:
            noise += int(n)
            continue
        by_status[status if status in by_status else "unreviewed"] += int(n)
        if kind in by_kind:
            by_kind[kind] += int(n)
    speakers = [(str(s), int(n)) for s, n in conn.execute(
        "SELECT speaker, count(*) FROM claims WHERE NOT retired AND status <> %s AND speaker <> '' "
        "GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT %s", (NOT_A_CLAIM, top_speakers))]
    # publication times cut to the hour: the finest bucket the chart draws
    counts = {str(t or ""): (int(n), int(r)) for t, n, r in conn.execute(
        "SELECT coalesce(left(p.doc->>'published', 13), ''), count(*), "
        "count(*) FILTER (WHERE c.status <> 'unreviewed') "
        "FROM claims c LEFT JOIN posts p ON p.id = c.post_id "
        "WHERE NOT c.retired AND c.status <> %s GROUP BY 1", (NOT_A_CLAIM,))}
    unit, over_time = over_time_counts(counts)
    row = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE jsonb_array_length(coalesce(doc->'conflicts', '[]')) > 0) "
        "FROM clusters WHERE jsonb_array_length(coalesce(doc->'claim_ids', '[]')) > 1").fetchone()
    clusters, conflicted = (int(row[0]), int(row[1])) if row else (0, 0)
    return Stats(total=sum(by_status.values()), not_a_claim=noise, by_status=by_status, by_kind=by_kind,
                 speakers=speakers, clusters=clusters, conflicted=conflicted, unit=unit, over_time=over_time)
