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

usage: python benchmarks/bench_desk.py [--claims N] [--url URL | --pgdata DIR] [--rebuild]
                                      [--only first|figures] [--stop] [--drop]
The 1,000,000-claim database takes minutes to build: it is built once into the
database `desk_bench` on the server at $VERIFIER_BENCH_PG (or $VERIFIER_TEST_PG)
and reused while it holds N claims. `--pgdata DIR` keeps a server of its own in
DIR (e.g. /tmp/desk-bench-pg), started when it is not running and left running
for the next run, so the database is built once across runs; `--stop` stops that
server and `--drop` stops it and deletes DIR.
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


def _pg_bin(name: str) -> str:
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bindir:
        sys.exit("bench_desk: no PostgreSQL server binaries (apt-get install postgresql)")
    return str(bindir[-1] / name)


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def kept_server(pgdata: str) -> str:
    """A server of the benchmark's own in `pgdata`, kept between runs: created and started if needed.
    Returns its address (a Unix socket in pgdata/sock)."""
    root = Path(pgdata).resolve()
    data, sock = root / "data", root / "sock"
    if not (data / "PG_VERSION").exists():
        root.mkdir(parents=True, exist_ok=True)
        sock.mkdir(exist_ok=True)
        os.chmod(root, 0o755)
        if os.geteuid() == 0:
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            subprocess.run(["chown", "-R", "postgres", str(root)], check=True)
        subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "verifier", "--auth=trust",
                                     "-E", "UTF8"]), check=True, capture_output=True)
    running = subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "status"]),
                             capture_output=True).returncode == 0
    if not running:
        # the settings of .ci/postgres (fsync on: an acknowledged tag is durable), a little more memory
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c fsync=on "
                "-c max_connections=100 -c shared_buffers=512MB -c work_mem=16MB")
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
                                     "-t", "60", "-o", opts, "start"]), check=True, capture_output=True)
    return f"postgresql://verifier@/postgres?host={sock}"


def stop_kept(pgdata: str, drop: bool) -> None:
    root = Path(pgdata).resolve()
    if (root / "data" / "PG_VERSION").exists():
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(root / "data"), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
    if drop and root.exists():
        subprocess.run(["rm", "-rf", str(root)], check=True)


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
                     "decisions, aux, words")
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
        conn.execute(  # the words a typo is corrected against, as save() keeps them
            "INSERT INTO words SELECT DISTINCT w FROM claims c, "
            "regexp_split_to_table(lower(c.text || ' ' || coalesce(c.speaker, '')), '[^[:alnum:]]+') w "
            "WHERE length(w) >= 3 ON CONFLICT DO NOTHING")
        print(f"  indexes in {time.perf_counter() - t:.0f} s", flush=True)
        statuses = "ARRAY['sourced','unverified','disputed']"
        conn.execute(
            f"INSERT INTO verdict_events (claim_id, status, actor, origin) "
            f"SELECT id, ({statuses})[1 + (hashtext(id || 's') & 3) % 3], 'seed', 'bench' FROM claims "
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



def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


async def handled(pilot, key: str, until=None) -> float:
    """Milliseconds from a key press until its messages are processed and the frame is drawn
    (with `until`: until that holds too, e.g. a search worker's result drawn). As bench_tui.py:
    the key goes to the driver as a terminal's would, then the pending repaint is run at once."""
    from textual import events

    app = pilot.app
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    c0 = time.process_time()
    t0 = time.perf_counter()
    app._driver.send_message(event)
    await asyncio.sleep(0)
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()
    if until is not None:
        while not until():
            await asyncio.sleep(0.001)
        await pilot._wait_for_screen()
    app.screen._on_timer_update()
    CPU.append((time.process_time() - c0) * 1000)
    return (time.perf_counter() - t0) * 1000


CPU: list[float] = []  # CPU ms of each measured key (all threads of this process): the cost without other load


async def first_screen(url: str) -> float:
    """A fresh process: until the list shows claims and the detail pane the selected one."""
    from verifier.tui.app import VerifierApp

    app = VerifierApp(url)
    async with app.run_test(size=SIZE) as pilot:
        while getattr(app, "session", None) is None:
            await asyncio.sleep(0.002)
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
        elapsed = time.perf_counter() - _T0
        assert app.main.claims.selected is not None and len(app.session.view) > 0
        await pilot.press("q")
    return elapsed


async def empty_app() -> float:
    from textual.app import App

    app = App()
    async with app.run_test(size=SIZE) as pilot:
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
        elapsed = time.perf_counter() - _T0
    return elapsed


async def session_figures(url: str) -> dict[str, list[float]]:
    from verifier.store.postgres import PostgresStore
    from verifier.tui.app import VerifierApp

    out: dict[str, list[float]] = {"filter": [], "search": [], "typo": [], "tag": [], "ack": [],
                                   "colleague": []}
    cpu: dict[str, list[float]] = {k: [] for k in out}
    os.environ["VERIFIER_USER"] = "alice"
    a = VerifierApp(url)
    async with a.run_test(size=SIZE) as pa:
        while getattr(a, "session", None) is None:
            await asyncio.sleep(0.01)
        await pa.pause(0.3)
        os.environ["VERIFIER_USER"] = "bob"
        b = VerifierApp(url)
        async with b.run_test(size=SIZE) as pb:
            while getattr(b, "session", None) is None:
                await asyncio.sleep(0.01)
            await pb.pause(0.3)
            # a filter change: status (f cycles 6 values) and assignment (m cycles 3), drawn
            for rep in range(3):
                for key in ["f"] * 6 + ["m"] * 3:
                    ms = await handled(pa, key)
                    if rep:
                        out["filter"].append(ms)
                        cpu["filter"].append(CPU[-1])
            # `/` search: the query runs in a worker; measured until its list is drawn
            words = ["bakhmut", "missiles hit kherson", "klitschko", "evacuations from odesa", "soldiers",
                     "power in lviv", "the mayor of sumy", "tonnes of food", "zakharova", "prisoner near izium"]
            typos = ["evacuatons", "misiles", "klitchko", "zaporizhzia", "prisonner"]
            for rep, group in enumerate((words, words, typos, typos)):
                for w in group:
                    await pa.press("slash", *w)
                    screen = a.main
                    before = screen.session.view
                    ms = await handled(pa, "enter", until=lambda: screen.session.view is not before)
                    if rep in (1, 3):
                        out["search" if rep == 1 else "typo"].append(ms)
                        cpu["search" if rep == 1 else "typo"].append(CPU[-1])
                    await pa.press("escape")
                    await pa.pause(0.05)
            # a tag: from the key until the event is committed and the row drawn (then the cursor moves on)
            await pa.press("escape")
            session = a.session
            tag = session.tag

            def timed_tag(ids, status):  # the acknowledgement alone: the event committed on the server
                t = time.perf_counter()
                tag(ids, status)
                out["ack"].append((time.perf_counter() - t) * 1000)

            session.tag = timed_tag
            for _ in range(40):
                cid = a.main.claims.selected
                ms = await handled(pa, "s")
                assert a.store.status(cid) == "sourced"
                out["tag"].append(ms)
                cpu["tag"].append(CPU[-1])
            session.tag = tag
            # a colleague's tag: committed by a third checker, until bob's workbench draws it
            with PostgresStore(url, lazy=True, actor="carol") as carol:
                for i in range(15):
                    view = b.session.view
                    cid = view[min(i, len(view) - 1)]
                    status = "disputed" if b.store.status(cid) != "disputed" else "unverified"
                    t0 = time.perf_counter()
                    carol.set_verdict(cid, status=status)
                    while b.store.status(cid) != status:
                        await asyncio.sleep(0.002)
                    await pb._wait_for_screen()
                    b.screen._on_timer_update()
                    out["colleague"].append((time.perf_counter() - t0) * 1000)
                    await asyncio.sleep(0.1)
    out["cpu"] = cpu  # type: ignore[assignment]
    return out


def load() -> str:
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--url", help="the server (default $VERIFIER_BENCH_PG, else $VERIFIER_TEST_PG)")
    ap.add_argument("--pgdata", help="keep a server of the benchmark's own in this folder between runs")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="build (or check) the database and stop")
    ap.add_argument("--only", choices=("first", "figures"), help="only the first screen, or only the rest")
    ap.add_argument("--stop", action="store_true", help="stop the --pgdata server")
    ap.add_argument("--drop", action="store_true", help="stop the --pgdata server and delete its folder")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        fn = empty_app() if args.child == "empty" else first_screen(args.child)
        print(asyncio.run(fn))
        return
    if args.pgdata and (args.stop or args.drop):
        stop_kept(args.pgdata, args.drop)
        return
    base = (kept_server(args.pgdata) if args.pgdata else None) or args.url or os.environ.get(
        "VERIFIER_BENCH_PG") or os.environ.get("VERIFIER_TEST_PG")
    if not base:
        sys.exit("bench_desk: no server: --pgdata DIR, or source .ci/postgres && verifier_pg_start "
                 "(or set VERIFIER_BENCH_PG)")
    url = bench_url(base)
    build(url, args.claims, args.rebuild)
    if args.build_only:
        return
    from verifier.store.postgres import migrate

    migrate(url)
    print(f"desk database: {args.claims:,} claims; load average {load()} (2 cores, shared)")
    if args.only != "figures":
        first(url)
    if args.only != "first":
        figures(url)


def first(url: str) -> None:
    import compileall

    # as installed (pip writes bytecode): a checkout run with PYTHONDONTWRITEBYTECODE would
    # otherwise compile every module of verifier on each start (about 0.2 s here)
    compileall.compile_dir(str(ROOT / "verifier"), quiet=1)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = {"desk": [], "empty": []}  # type: dict[str, list[float]]
    for _ in range(5):
        for which, arg in (("desk", url), ("empty", "empty")):
            got = subprocess.run([sys.executable, __file__, "--child", arg], env=env, check=True,
                                 capture_output=True, text=True).stdout.split()[-1]
            runs[which].append(float(got))
    d, e = sorted(runs["desk"])[2], sorted(runs["empty"])[2]
    print(f"first screen with claims (fresh process): median {d:.3f} s, empty Textual app {e:.3f} s "
          f"[target <= 1 s]   load {load()}")


def figures(url: str) -> None:
    figs = asyncio.run(session_figures(url))
    cpu = figs.pop("cpu")
    names = {"filter": "filter change (f, m), drawn", "search": "/ search (substring), drawn",
             "typo": "/ search (typo), drawn", "ack": "tag acknowledged (event committed)",
             "tag": "tag: key to row drawn", "colleague": "colleague's tag drawn in another workbench"}
    targets = {"filter": 200, "search": 200, "typo": 200, "tag": 20, "ack": 20, "colleague": 1000}
    for k in ("filter", "search", "typo", "ack", "tag", "colleague"):
        v = figs[k]
        c = f"  CPU p95 {pct(cpu[k], .95):6.1f} ms" if cpu.get(k) else ""
        print(f"{names[k]:44s} p50 {pct(v, .5):7.1f} ms  p95 {pct(v, .95):7.1f} ms  max {max(v):7.1f} ms  "
              f"n={len(v)}{c} [target p95 <= {targets[k]} ms]   load {load()}")


if __name__ == "__main__":
    main()
