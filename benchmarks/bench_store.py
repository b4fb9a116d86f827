"""Store benchmark (issues 2 and 12): durable writes, folds and reader commands at 100,000 claims.

Run: python benchmarks/bench_store.py [--claims 100000] [--db PATH]
Prints p50/p95 of one durable verdict write (journal append + fsync) beside
stock TinyDB JSONStorage updating one document of the same database, and
ingest throughput in posts per second. Then (issue 12) what reader commands
cost beside parsing the file with orjson (stats within 1.2x, export as
orjson), and the fold a closing writer does (under 1 s). Everything is
measured in this run, on this machine, so the ratios are what to read; CPU
time (time.process_time) is used for the ratios so a busy machine skews them
less, wall time for the fold (it includes the fsync).

--db reuses a database built by an earlier run (it is not changed: the
write measurements run on a copy).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import shutil
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
    ap.add_argument("--db", metavar="PATH", help="reuse this database (copied, never changed)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="verifier-bench-")
    db = os.path.join(tmp, "claims.json")
    if args.db:
        shutil.copy(args.db, db)

    # Ingest: enough synthetic posts to reach the claim target.
    store = Store(db)
    total_posts, t_ingest = 0, 0.0
    batch = 0
    while store.claim_count(include_retired=True) < args.claims and not args.db:
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
    n_claims = store.claim_count(include_retired=True)
    ids = [c.id for c in store.iter_claims()]
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
    if t_ingest:
        print(f"ingest: {total_posts / t_ingest:,.0f} posts/s ({t_ingest:.1f} s), full atomic save {t_save * 1000:.0f} ms")
    print(f"verdict write (journal+fsync): p50 {statistics.median(lat):.2f} ms, p95 {pct(lat, 0.95):.2f} ms")
    print(f"stock TinyDB JSONStorage update: p50 {statistics.median(stock_lat):.0f} ms, p95 {pct(stock_lat, 0.95):.0f} ms")
    print(f"ratio stock/ours at p95: {pct(stock_lat, 0.95) / pct(lat, 0.95):,.0f}x")
    target = pct(lat, 0.95) < 10
    print(f"target p95 < 10 ms: {'met' if target else 'MISSED'}")
    readers(db, ids)
    shutil.rmtree(tmp, ignore_errors=True)


def cpu(fn, repeat: int = 3) -> float:
    """Best CPU seconds of a few runs."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def quiet(argv: list[str]) -> None:
    from verifier.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(argv) == 0, argv


def readers(db: str, ids: list[str]) -> None:
    """Issue 12: reader commands beside parsing; the fold a closing writer does."""
    import orjson

    raw = Path(db).read_bytes()
    parse = cpu(lambda: orjson.loads(raw))
    opened = cpu(lambda: Store(db, readonly=True))
    stats = cpu(lambda: quiet(["--db", db, "stats"]))
    claims = cpu(lambda: quiet(["--db", db, "claims", "--limit", "20"]), 1)
    out = os.path.join(os.path.dirname(db), "export.json")
    export = cpu(lambda: quiet(["--db", db, "export", "--format", "json", "-o", out, "--force"]), 1)
    print(f"parse (orjson.loads of {len(raw) / 1e6:.0f} MB): {parse:.2f} s CPU")
    print(f"open read-only (msgspec, every field checked): {opened:.2f} s ({opened / parse:.2f}x parse)")
    print(f"stats: {stats:.2f} s ({stats / parse:.2f}x parse; target <= 1.2x: {'met' if stats <= 1.2 * parse else 'MISSED'})")
    print(f"claims --limit 20: {claims:.2f} s ({claims / parse:.2f}x parse)")
    print(f"export --format json (orjson): {export:.2f} s ({export / parse:.2f}x parse)")
    folds = []
    for i in range(3):
        store = Store(db)
        store.set_verdict(ids[i], status="disputed")
        t0 = time.perf_counter()
        store.close()  # the fold: claims.json alone holds every verdict
        folds.append(time.perf_counter() - t0)
    fold = statistics.median(folds)
    print(f"fold on close (write + fsync + rename, wall): median {fold:.2f} s; "
          f"target < 1 s: {'met' if fold < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
