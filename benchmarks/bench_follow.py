"""Following live sources (issue 14): the cost of an unchanged source, the delay of a new post.

Run: python benchmarks/bench_follow.py [--seconds 20] [--posts 6]
Serves the sample live blog over HTTP on 127.0.0.1 (tests/live_site.py) and
runs the real CLI, `python -m verifier follow URL --every 1`, as a child
process on a fresh database:

1. idle cost: once the first fetch is stored, the child's CPU time (from
   /proc) over --seconds of polls that change nothing, as a share of one
   core; once with a server answering 304 (ETag), once with a server that
   sends no validators (a full 200 every second, hashed and dropped).
   Target: <= 2 % of a core.
2. new-post delay: the server starts serving a post at a random moment; the
   delay until the follower reports it stored (its log line on stdout),
   over --posts posts; then the same in the open workbench (headless, in
   this process), until the post's claims are in the claims list. Target: <= 2 s with --every 1. With --claims N the
   database first holds N other claims (synthetic live blogs from the
   sample's sentences, linked), as on a desk's working day; --cache DIR keeps
   that database between runs (building 100,000 claims takes minutes).
   The workbench's polls are also timed step by step (the worker's fetch and
   staging, the UI thread's commit and list update) from the follow log.

Scale (issue 14): a poll costs what it brought, not what the database holds:
run with --claims 20000 and --claims 100000 (--only-delay --no-cli).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_site import sample_site  # noqa: E402
from measure import pct  # noqa: E402

SAMPLE = next(p for p in (ROOT / "tests" / "data" / "cnn-ukraine-2023-02-02.txt",
                          ROOT.parent / "shared" / "samples" / "cnn-ukraine-2023-02-02.txt",
                          Path("/work/shared/samples/cnn-ukraine-2023-02-02.txt")) if p.exists())
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


class Child:
    """`verifier follow` in a child process, its stdout lines timestamped as they arrive."""

    def __init__(self, db: str, url: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "VERIFIER_PROGRESS": "0"}
        self.proc = subprocess.Popen([sys.executable, "-m", "verifier", "--db", db, "follow", url, "--every", "1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line))

    def wait_for(self, text: str, timeout: float = 60) -> float:
        end = time.monotonic() + timeout
        while True:
            at, line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            if text in line:
                return at

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def idle_cost(seconds: float, validators: bool) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp, sample_site(SAMPLE, shown=9) as site:
        site.validators = validators
        child = Child(os.path.join(tmp, "claims.json"), site.url("/live.html"))
        try:
            child.wait_for("posts 9 new")
            time.sleep(1.0)  # settle: the first fetch's work is done
            before, t0, n0 = cpu_seconds(child.proc.pid), time.monotonic(), len(site.requests)
            time.sleep(seconds)
            used, wall = cpu_seconds(child.proc.pid) - before, time.monotonic() - t0
            polls = len(site.requests) - n0
        finally:
            child.stop()
    return used / wall, polls


def cached_db(path: str, claims: int, cache: str | None) -> None:
    """The database with ``claims`` other claims at ``path``: built, or copied from ``cache``."""
    import shutil

    if not cache:
        build_db(path, claims)
        return
    folder = os.path.join(cache, f"claims-{claims}")
    if not os.path.exists(os.path.join(folder, "claims.json")):
        os.makedirs(folder, exist_ok=True)
        build_db(os.path.join(folder, "claims.json"), claims)
    for name in os.listdir(folder):
        if name.startswith("claims.json") and not name.endswith(".lock"):
            shutil.copy(os.path.join(folder, name), os.path.join(os.path.dirname(path), name))


def build_db(path: str, claims: int) -> None:
    from synthetic import liveblog_text

    from verifier.ingest import liveblog
    from verifier.link import relink
    from verifier.pipeline import ingest_document
    from verifier.store.database import Store

    with Store(path) as store:
        batch = 0
        while len(store.claim_map()) < claims:
            doc = liveblog.parse(liveblog_text(500, seed=batch), f"bench-{batch}.txt")
            doc.title = f"Synthetic live updates {batch}"
            ingest_document(store, doc)
            batch += 1
        relink(store)
        store.save()


def new_post_delays(posts: int, rng: random.Random, claims: int = 0, cache: str | None = None) -> list[float]:
    delays = []
    with tempfile.TemporaryDirectory() as tmp, sample_site(SAMPLE, shown=9 - posts) as site:
        db = os.path.join(tmp, "claims.json")
        if claims:
            cached_db(db, claims, cache)
        child = Child(db, site.url("/live.html"))
        try:
            child.wait_for(f"posts {9 - posts} new")
            for _ in range(posts):
                time.sleep(rng.uniform(0.3, 1.7))  # any phase of the poll cycle
                post = site.publish()
                served = site.served_at[post.id]
                stored = child.wait_for("posts 1 new")
                delays.append(stored - served)
        finally:
            child.stop()
    return delays


def workbench_delays(posts: int, rng: random.Random, claims: int = 0, cache: str | None = None) -> list[float]:
    """The same, in the open workbench (headless): publish → the new claims in the list."""
    import asyncio

    from verifier.cli import main as cli
    from verifier.tui.app import VerifierApp

    from verifier.follow.follower import Follower
    from verifier.tui.follow import Following

    delays: list[float] = []
    steps: dict[str, list[float]] = {}

    def timed(cls, name: str, label: str):  # each step's wall time, to say where a poll's delay goes
        real = getattr(cls, name)

        def wrapper(*a, **kw):
            t0 = time.perf_counter()
            try:
                return real(*a, **kw)
            finally:
                steps.setdefault(label, []).append(time.perf_counter() - t0)
        setattr(cls, name, wrapper)
        return real

    originals = [(Follower, "fetch_due", timed(Follower, "fetch_due", "fetch (worker)")),
                 (Follower, "prepare", timed(Follower, "prepare", "ingest+link (worker)")),
                 (Follower, "commit", timed(Follower, "commit", "commit (UI thread)")),
                 (Following, "refresh_view", timed(Following, "refresh_view", "list update (UI thread)")),
                 (Follower, "check", timed(Follower, "check", "quote checks (worker)"))]
    with tempfile.TemporaryDirectory() as tmp, sample_site(SAMPLE, shown=9 - posts) as site:
        db = os.path.join(tmp, "claims.json")
        if claims:
            cached_db(db, claims, cache)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli(["--db", db, "follow", site.url("/live.html"), "--every", "1", "--once"])

        async def go() -> None:
            app = VerifierApp(db)
            async with app.run_test(size=(160, 40)) as pilot:
                while app.session is None or getattr(app.main, "following", None) is None \
                        or app.main.following.follower is None or app.main.following.busy:
                    await pilot.pause(0.05)
                for label in steps:  # the first poll (indexes built once) is not a new post's
                    steps[label].clear()
                for _ in range(posts):
                    await asyncio.sleep(rng.uniform(0.3, 1.7))
                    n = len(app.session.view)
                    post = site.publish()
                    while len(app.session.view) == n:
                        await pilot.pause(0.01)
                    delays.append(time.monotonic() - site.served_at[post.id])
                await pilot.press("q")

        try:
            asyncio.run(go())
        finally:
            for cls, name, real in originals:
                setattr(cls, name, real)
    return delays, steps


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--posts", type=int, default=6)
    ap.add_argument("--claims", type=int, default=0, help="other claims already in the database")
    ap.add_argument("--cache", metavar="DIR", help="keep the --claims database here between runs")
    ap.add_argument("--only-delay", action="store_true", help="skip the idle-cost runs")
    ap.add_argument("--no-workbench", action="store_true", help="skip the open-workbench delay")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI follower's delay")
    args = ap.parse_args()
    rng = random.Random(14)
    if not args.only_delay:
        share, polls = idle_cost(args.seconds, validators=True)
        print(f"idle, server answers 304:      {100 * share:5.2f} % of a core over {args.seconds:g} s "
              f"({polls} polls)   target <= 2 %")
        share, polls = idle_cost(args.seconds, validators=False)
        print(f"idle, server sends full 200s:  {100 * share:5.2f} % of a core over {args.seconds:g} s "
              f"({polls} polls)   target <= 2 %")
    if not args.no_cli:
        delays = new_post_delays(min(args.posts, 8), rng, args.claims, args.cache)
        print(f"new post stored after: p50 {pct(delays, 0.5):.2f} s, p95 {pct(delays, 0.95):.2f} s, "
              f"max {max(delays):.2f} s "
              f"over {len(delays)} posts (--every 1, {args.claims:,} other claims in the database)   target <= 2 s")
    if not args.no_workbench:
        delays, steps = workbench_delays(min(args.posts, 8), rng, args.claims, args.cache)
        print(f"new post in the open workbench's list after: p50 {pct(delays, 0.5):.2f} s, "
              f"p95 {pct(delays, 0.95):.2f} s, "
              f"max {max(delays):.2f} s over {len(delays)} posts (--every 1, {args.claims:,} other claims)"
              "   target <= 2 s")
        for label, xs in steps.items():
            xs = [x for x in xs if x >= 0.0005] or [0.0]  # polls that found something to do
            print(f"  {label:<26} p50 {pct(xs, 0.5):.3f} s, p95 {pct(xs, 0.95):.3f} s, max {max(xs):.3f} s "
                  f"({len(xs)} calls)")


if __name__ == "__main__":
    main()
