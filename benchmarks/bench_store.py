"""Store benchmark (issue 2): durable verdict writes at 100,000 claims, against stock TinyDB.

Run: python benchmarks/bench_store.py [--claims 100000]
Prints p50/p95 of one durable verdict write (journal append + fsync) beside
stock TinyDB JSONStorage updating one document of the same database, and
ingest throughput in posts per second. Both measured in this run, on this
machine, so the ratio is what to read.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import pct  # noqa: E402
from synthetic import liveblog_text  # noqa: E402

from verifier.ingest import liveblog  # noqa: E402
from verifier.pipeline import ingest_document  # noqa: E402
from verifier.store import Store  # noqa: E402



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--writes", type=int, default=300)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="verifier-bench-")
    db = os.path.join(tmp, "claims.json")

    # Ingest: enough synthetic posts to reach the claim target.
    store = Store(db)
    total_posts, t_ingest = 0, 0.0
    batch = 0
    while len(store.claims) < args.claims:
        text = liveblog_text(2000, seed=batch)
        doc = liveblog.parse(text, f"bench-{batch}.txt")
        doc.title = f"Synthetic live updates {batch}"
        t0 = time.perf_counter()
        ingest_document(store, doc)
        t_ingest += time.perf_counter() - t0
        total_posts += len(doc.posts)
        batch += 1
    t0 = time.perf_counter()
    store.save()
    t_save = time.perf_counter() - t0
    n_claims = len(store.claims)
    ids = list(store.claims)
    size = os.path.getsize(db)

    # Durable verdict writes through the journal.
    lat = []
    for i in range(args.writes):
        t0 = time.perf_counter()
        store.set_verdict(ids[(i * 7919) % len(ids)], status=("sourced", "disputed", "unverified")[i % 3])
        lat.append((time.perf_counter() - t0) * 1000)
    store.close()

    # Stock TinyDB on the same data: one update rewrites the whole file.
    from tinydb.storages import JSONStorage

    from verifier.store.tinystorage import VerifierTinyDB  # same string ids, stock storage
    stock = VerifierTinyDB(db, storage=JSONStorage)
    table = stock.table("claims")
    stock_lat = []
    for i in range(8):
        t0 = time.perf_counter()
        table.update({"checkworthiness": 0.5}, doc_ids=[ids[i]])
        stock_lat.append((time.perf_counter() - t0) * 1000)
    stock.close()

    print(f"database: {n_claims} claims, {total_posts} posts, {size / 1e6:.1f} MB on disk")
    print(f"ingest: {total_posts / t_ingest:,.0f} posts/s ({t_ingest:.1f} s), full atomic save {t_save * 1000:.0f} ms")
    print(f"verdict write (journal+fsync): p50 {statistics.median(lat):.2f} ms, p95 {pct(lat, 0.95):.2f} ms")
    print(f"stock TinyDB JSONStorage update: p50 {statistics.median(stock_lat):.0f} ms, p95 {pct(stock_lat, 0.95):.0f} ms")
    print(f"ratio stock/ours at p95: {pct(stock_lat, 0.95) / pct(lat, 0.95):,.0f}x")
    target = pct(lat, 0.95) < 10
    print(f"target p95 < 10 ms: {'met' if target else 'MISSED'}")


if __name__ == "__main__":
    main()
