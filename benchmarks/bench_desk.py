"""The workbench on a desk database of 1,000,000 claims (PostgreSQL), driven with Pilot.

Measures, against the desk issue's targets, with the real app (VerifierApp) and
the real keys, beside the machine's load (it is shared):
- first screen with claims: from the start of a fresh process (imports
  included) until the list shows its first claims and the detail pane the
  selected one (target <= 1 s), beside an empty Textual app measured the same way;
- a filter change (f: status, the "mine" filter) or a `/` text search
  (substring, and a typo served by the trigram index), until the new list is
  drawn: p95 (target <= 200 ms);
- a tag acknowledged: from the key until the verdict event is committed on the
  server and its row drawn: p95 (target <= 20 ms);
- a colleague's tag visible in another open workbench: from the colleague's
  commit until the other app's row shows it (target <= 1 s).

usage: python benchmarks/bench_desk.py [--claims N] [--url URL] [--rebuild]
The 1,000,000-claim database takes minutes to build: it is built once into the
database `desk_bench` on the server at $VERIFIER_BENCH_PG (or $VERIFIER_TEST_PG)
and reused while it holds N claims.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # imports are part of start-up

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SIZE = (160, 45)
VERBS = ["said", "told reporters", "warned", "denied", "confirmed", "insisted", "claimed"]
EVENTS = ["{n} people were killed in {p}", "{n} homes lost power in {p}", "the bridge in {p} was destroyed",
          "{n} missiles hit {p} overnight", "evacuations from {p} will start on Monday",
          "aid convoys reached {p} with {n} tonnes of food", "the mayor of {p} resigned",
          "{n} soldiers were taken prisoner near {p}", "schools in {p} stay closed for {n} days"]
PER_POST = 20
CHECKERS = ["alice", "bob", "carol", "dmytro", "eva"]


def bench_url(base: str) -> str:
    """The persistent benchmark database on the server `base` points at (created once)."""
    import psycopg

    with psycopg.connect(base, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = 'desk_bench'").fetchone():
            admin.execute("CREATE DATABASE desk_bench")
    head, sep, query = base.partition("?")
    return head.rsplit("/", 1)[0] + "/desk_bench" + sep + query


def build(url: str, n: int, rebuild: bool = False) -> None:
    """n claims in n/20 posts of one source; 5% decided; 2% assigned; clusters of three."""
    import psycopg

    from benchmarks.synthetic import PEOPLE, PLACES
    from verifier.store.postgres import migrate

    migrate(url)
    with psycopg.connect(url, autocommit=False) as conn:
        have = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
        if have == n and posts and not rebuild:
            return
        t = time.perf_counter()
        conn.execute("TRUNCATE claims, posts, sources, clusters, verdict_events, verdicts, assignments, "
                     "decisions, aux")
        # Indexes are built after the rows are in: COPY into indexed tables is several times slower.
        index_ddl = [r[0] for r in conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'claims' AND indexname <> 'claims_pkey'")]
        for name, in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'claims' "
                                  "AND indexname <> 'claims_pkey'").fetchall():
            conn.execute(f"DROP INDEX {name}")
        rng = random.Random(7)
        src = {"id": "benchsource", "key": "bench", "kind": "liveblog", "path": "bench.txt",
               "title": "Synthetic desk archive"}
        conn.execute("INSERT INTO sources (id, doc) VALUES (%s, %s)", ("benchsource", json.dumps(src)))
        cur = conn.cursor()
        with cur.copy("COPY claims (id, post_id, kind, text, speaker, cluster_id, retired, "
                      "checkworthiness, doc) FROM STDIN") as copy_c:
            post_rows = []
            for p in range(n // PER_POST):
                pid = f"post{p:07d}"
                body, spans = "", []
                for k in range(PER_POST):
                    who = rng.choice(PEOPLE)
                    text = (rng.choice(EVENTS).format(n=rng.randint(2, 5000), p=rng.choice(PLACES))
                            + f", {who} {rng.choice(VERBS)}.")
                    text = text[0].upper() + text[1:]
                    spans.append((text, who, len(body) + (2 if body else 0)))
                    body = f"{body}\n\n{text}" if body else text
                for k, (text, who, at) in enumerate(spans):
                    i = p * PER_POST + k
                    cid = f"{i:012x}"
                    cw = round(rng.random(), 4)
                    cluster = f"cl{i // 3:07d}" if i % 50 < 3 else None
                    doc = {"id": cid, "post_id": pid, "kind": "statement", "text": text, "span": [at, at + len(text)],
                           "speaker": who, "checkworthiness": cw, "cluster_id": cluster}
                    copy_c.write_row((cid, pid, "statement", text, who, cluster, False, cw, json.dumps(doc)))
                day = 1 + p * 28 // max(1, n // PER_POST)
                post = {"id": pid, "source_id": "benchsource", "seq": p, "headline": f"Update {p}",
                        "body": body, "published": f"2023-02-{day:02d}T{(p // 60) % 24:02d}:{p % 60:02d}:00+00:00"}
                post_rows.append((pid, "benchsource", json.dumps(post)))
        with cur.copy("COPY posts (id, source_id, doc) FROM STDIN") as copy_p:
            for row in post_rows:
                copy_p.write_row(row)
        with cur.copy("COPY clusters (id, doc) FROM STDIN") as copy_cl:
            for i in range(0, n, 50):
                ids = [f"{j:012x}" for j in range(i, min(n, i + 3))]
                cl = {"id": f"cl{i // 3:07d}", "claim_ids": ids, "conflicts": [], "links": [], "rep": ids[0]}
                copy_cl.write_row((cl["id"], json.dumps(cl)))
        print(f"  rows in {time.perf_counter() - t:.0f} s", flush=True)
        for ddl in index_ddl:
            conn.execute(ddl)
        print(f"  indexes in {time.perf_counter() - t:.0f} s", flush=True)
        statuses = "ARRAY['sourced','unverified','disputed']"
        conn.execute(
            f"INSERT INTO verdict_events (claim_id, status, actor, origin) "
            f"SELECT id, ({statuses})[1 + (hashtext(id) & 3) % 3], 'seed', 'bench' FROM claims "
            f"WHERE hashtext(id) % 20 = 0")
        checkers = "ARRAY[" + ",".join(f"'{c}'" for c in CHECKERS) + "]"
        conn.execute(
            f"INSERT INTO assignments (target, target_kind, assignee, actor) "
            f"SELECT id, 'claim', ({checkers})[1 + (hashtext(id || 'a') & 7) % 5], 'editor' FROM claims "
            f"WHERE hashtext(id || 'a') % 50 = 0")
        conn.execute("INSERT INTO meta (key, value) SELECT 'live_claims', to_jsonb(count(*)) FROM claims "
                     "WHERE NOT retired ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"built {n:,} claims in {time.perf_counter() - t:.0f} s", flush=True)


if __name__ == "__main__" and "--build-only" in sys.argv:
    base = os.environ.get("VERIFIER_BENCH_PG") or os.environ["VERIFIER_TEST_PG"]
    build(bench_url(base), int(sys.argv[sys.argv.index("--build-only") + 1]))
