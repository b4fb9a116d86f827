"""The desk database (PostgreSQL): events, concurrency, kill -9, live notices, copy.

`.ci/run` starts a throw-away server and sets VERIFIER_TEST_PG; without it
(a developer's machine with no server) these tests are skipped, but in CI
(CI=true) a missing server is a failure, not a silent skip.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.usefixtures("pg_url")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def desk(pg_url, sample_path, tmp_path, monkeypatch):
    """A desk database holding the sample live blog."""
    from verifier.cli import main

    monkeypatch.setenv("VERIFIER_USER", "alice")
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(sample_path)]) == 0
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["db", "copy", file_db, pg_url]) == 0
    return pg_url


def _claim_ids(url: str, n: int | None = None) -> list[str]:
    from verifier.store.postgres import PostgresStore

    with PostgresStore(url, readonly=True) as s:
        ids = sorted(c.id for c in s.iter_claims())
    return ids[:n] if n else ids


def test_init_is_idempotent_and_a_store_needs_it(pg_url, capsys):
    from verifier.cli import main

    assert main(["--db", pg_url, "stats"]) != 0
    assert "db init" in capsys.readouterr().err
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert "applied: 1, 2" in capsys.readouterr().out
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_verdicts_are_events_and_the_current_state_is_the_last(desk):
    from verifier.store.postgres import PostgresStore

    cid = _claim_ids(desk, 1)[0]
    with PostgresStore(desk, actor="alice") as a, PostgresStore(desk, actor="bob") as b:
        a.set_verdict(cid, status="sourced", note="wire copy")
        b.set_verdict(cid, status="disputed", evidence=["https://example.org/x"])
        a.refresh()
        assert a.verdict(cid).status == "disputed" and a.verdict(cid).by == "bob"
        events = a.verdict_history(cid)
        assert [e.new["status"] for e in events] == ["sourced", "disputed"]
        assert [e.by for e in events] == ["alice", "bob"]
        # two people, two verdicts, one claim within minutes: surfaced for a person to settle
        (d,) = a.disagreements()
        assert d["claim_id"] == cid and {d["first"]["by"], d["second"]["by"]} == {"alice", "bob"}
        a.set_verdict(cid, status="disputed", origin="settle")
        assert a.disagreements() == []
        # undo is one more event, not a rewrite of history
        from verifier.models import Verdict

        a.restore_verdict(Verdict.from_dict(events[0].old))
        assert a.verdict(cid).status == "unreviewed"
        assert len(a.verdict_history(cid)) == 4


def test_cli_tag_and_readers_on_a_desk_database(desk, capsys):
    from verifier.cli import main

    cid = _claim_ids(desk, 1)[0]
    assert main(["--db", desk, "tag", cid, "sourced", "--note", "checked with the ministry"]) == 0
    capsys.readouterr()
    assert main(["--db", desk, "claims", "--status", "sourced", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == [cid]


def test_assignment_filters_mine_and_unassigned(desk, capsys):
    from verifier.cli import main
    from verifier.store.postgres import PostgresStore

    ids = _claim_ids(desk)
    assert main(["--db", desk, "assign", ids[0], "bob"]) == 0
    with PostgresStore(desk, actor="bob") as s:
        cluster = next(c for c in s.iter_clusters() if ids[0] not in c.claim_ids)
        s.assign(cluster.id, "bob")
        mine = set(s.query_claims(assignee="bob", limit=1000))
        assert mine == {ids[0], *cluster.claim_ids}
        free = set(s.query_claims(unassigned=True, limit=1000))
        assert not free & mine and len(free) == s.claim_count() - len(mine)
        assert s.assignee(cluster.claim_ids[0]) == "bob"
        s.assign(ids[0], None)
        assert s.assignee(ids[0]) is None


def test_text_search_runs_on_the_server_and_forgives_typos(desk):
    from verifier.store.postgres import PostgresStore

    with PostgresStore(desk, readonly=True) as s:
        want = {c.id for c in s.iter_claims(include_retired=False) if "missile" in c.text.lower()}
        assert want
        assert set(s.query_claims(text="missile", limit=1000)) == want
        assert want <= set(s.query_claims(text="missle", limit=1000))  # nothing holds the typo: fuzzy


def test_a_colleagues_tag_is_announced(desk):
    from verifier.store.postgres import PostgresStore

    cid = _claim_ids(desk, 1)[0]
    with PostgresStore(desk, actor="alice") as a, PostgresStore(desk, actor="bob") as b:
        list(a.listen(timeout=0.01))  # start listening before the colleague tags
        b.set_verdict(cid, status="unverified")
        notices = list(a.listen(timeout=2.0))
        assert any(n.get("kind") == "verdict" and n.get("claim_id") == cid for n in notices)
        assert a.refresh()["verdicts"] == [cid]
        assert a.verdict(cid).status == "unverified"


WORKER = r"""
import json, random, sys
from verifier.store.postgres import PostgresStore
url, actor, seconds, ids = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.load(open(sys.argv[4]))
import time
rng = random.Random(actor)
end = time.monotonic() + seconds
with PostgresStore(url, actor=actor) as s, open(sys.argv[5], "a") as out:
    n = 0
    while time.monotonic() < end:
        cid = rng.choice(ids)
        note = f"{actor}-{n}"
        v = s.set_verdict(cid, status=rng.choice(["sourced", "unverified", "disputed"]), note=note)
        out.write(json.dumps([cid, note]) + "\n"); out.flush()   # acknowledged
        n += 1
"""


def _seed_claims(url: str, n: int) -> list[str]:
    from verifier.models import Claim
    from verifier.store.postgres import PostgresStore, migrate

    migrate(url)
    with PostgresStore(url) as s:
        claims = [Claim(id=f"c{i:05d}", post_id="p", kind="statement", text=f"claim number {i}", span=[0, 1])
                  for i in range(n)]
        s.put_claims(claims)
        s.save()
    return [c.id for c in claims]


def test_eight_checkers_tag_the_same_thousand_claims_at_once(pg_url, tmp_path):
    ids = _seed_claims(pg_url, 1000)
    (tmp_path / "ids.json").write_text(json.dumps(ids))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, pg_url, f"checker{k}", "30",
                               str(tmp_path / "ids.json"), str(tmp_path / f"ack{k}.jsonl")], env=env)
             for k in range(8)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    acked = [json.loads(line) for k in range(8) for line in (tmp_path / f"ack{k}.jsonl").read_text().splitlines()]
    assert len(acked) > 1000
    with psycopg.connect(pg_url) as conn:
        events = conn.execute("SELECT id, claim_id, note, status FROM verdict_events ORDER BY id").fetchall()
        current = dict(conn.execute("SELECT claim_id, event_id FROM verdicts").fetchall())
        disagreements = conn.execute("SELECT count(*) FROM disagreements").fetchone()[0]
    notes = {(cid, note) for _, cid, note, _ in events}
    assert all((cid, note) in notes for cid, note in acked), "an acknowledged verdict is missing"
    last: dict[str, int] = {}
    for eid, cid, _, _ in events:
        last[cid] = eid
    assert current == last  # the current state is each claim's last event
    assert disagreements > 0


KILLED = r"""
import sys
from verifier.store.postgres import PostgresStore
url = sys.argv[1]
with PostgresStore(url, actor="victim") as s:
    ids = sorted(c.id for c in s.iter_claims())
    n = 0
    while True:
        s.set_verdict(ids[n % len(ids)], status="sourced", note=f"n{n}")
        print(n, flush=True)   # acknowledged
        n += 1
"""


def test_kill_minus_nine_loses_nothing_acknowledged(pg_url):
    _seed_claims(pg_url, 50)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", KILLED, pg_url], env=env, stdout=subprocess.PIPE, text=True)
        acked = []
        assert proc.stdout is not None
        for line in proc.stdout:
            acked.append(int(line))
            if len(acked) >= random.Random(round_).randint(20, 80):
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with psycopg.connect(pg_url) as conn:
            notes = {r[0] for r in conn.execute("SELECT note FROM verdict_events WHERE actor = 'victim'")}
        assert {f"n{n}" for n in acked} <= notes
        time.sleep(0.1)


def test_copy_round_trips_every_verdict_decision_and_history_entry(desk, tmp_path):
    from verifier.cli import main
    from verifier.store.database import Store

    ids = _claim_ids(desk)
    assert main(["--db", desk, "tag", ids[0], "sourced", "--note", "one"]) == 0
    assert main(["--db", desk, "tag", ids[1], "disputed", "--evidence", "https://example.org/e"]) == 0
    assert main(["--db", desk, "tag", ids[0], "unverified"]) == 0
    assert main(["--db", desk, "split", ids[2]]) == 0
    back = str(tmp_path / "back.json")
    assert main(["db", "copy", desk, back]) == 0
    from verifier.store.postgres import PostgresStore

    with PostgresStore(desk, readonly=True) as pg:
        file = Store(back, readonly=True)
        try:
            assert {v.claim_id: (v.status, v.note, v.evidence, v.by) for v in pg.iter_verdicts()} == \
                   {v.claim_id: (v.status, v.note, v.evidence, v.by) for v in file.iter_verdicts()}

            def strip(h):
                return (h.claim_id, h.by, h.at, h.new["status"], h.new.get("note"))

            assert [strip(h) for h in pg.verdict_history()] == [strip(h) for h in file.verdict_history()]
            assert [(d.op, d.claim_id) for d in pg.decision_list()] == [(d.op, d.claim_id) for d in file.decision_list()]
            assert {p.id for p in pg.iter_posts()} == {p.id for p in file.iter_posts()}
            assert {c.id: c.cluster_id for c in pg.iter_claims()} == {c.id: c.cluster_id for c in file.iter_claims()}
        finally:
            file.close()


def test_copy_refuses_a_database_that_is_not_empty(desk, tmp_path, capsys):
    from verifier.cli import main

    file_db = str(tmp_path / "x.json")
    assert main(["db", "copy", desk, file_db]) == 0
    assert main(["db", "copy", file_db, desk]) == 2
    assert "not empty" in capsys.readouterr().err


def test_reference_texts_and_quote_checks_on_a_desk_database(desk, sample_path, tmp_path, monkeypatch, capsys):
    """`sources add` and `check-quotes` open the store through open_store: a desk database answers
    as the file it was copied from does."""
    from verifier.cli import main
    from verifier.store import open_store

    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "cache"))
    transcript = str(sample_path.parent / "lavrov-interview-transcript.txt")
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "sources", "add", transcript]) == 0
    assert main(["--db", desk, "sources", "add", transcript]) == 0
    assert main(["--db", desk, "check-quotes"]) == 0
    out = capsys.readouterr().out
    counts = [line for line in out.splitlines() if line.startswith("quotes: ")]
    assert len(counts) == 3 and len(set(counts)) == 1 and "verbatim" in counts[0]  # the same each time
    assert main(["--db", desk, "sources", "list"]) == 0
    assert "Interview transcript" in capsys.readouterr().out

    def checks(path):
        with open_store(path, readonly=True) as s:
            return {q.claim_id: (q.status, q.decisive().get("matched")) for q in s.iter_quote_checks()}

    assert checks(desk) == checks(file_db) and any(s == "verbatim" for s, _ in checks(desk).values())


def test_an_open_workbench_sees_a_colleagues_verdict(desk):
    """Two fact-checkers on one desk database: B's verdict reaches A's open workbench by itself."""
    import asyncio

    from tui_helpers import opened

    from verifier.store.postgres import PostgresStore
    from verifier.tui.app import VerifierApp
    from verifier.tui.claim_list import ClaimList

    async def go():
        app = VerifierApp(desk)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            shown = app.query_one(ClaimList).selected
            assert app.store.status(shown) == "unreviewed"
            with PostgresStore(desk, actor="bob") as colleague:
                colleague.set_verdict(shown, status="disputed", note="two sources deny it")
            for _ in range(40):  # the workbench looks every 0.5 s
                await pilot.pause(0.05)
                if app.store.status(shown) == "disputed":
                    break
            assert app.store.status(shown) == "disputed" and app.store.verdict(shown).by == "bob"
            assert app.session.counts["disputed"] == 1  # the progress counters follow
            await pilot.press("s")  # and A's own tag is an event after B's
        return shown

    cid = asyncio.run(go())
    with PostgresStore(desk, readonly=True) as s:
        assert [h["new"]["status"] for h in s.history_records() if h["claim_id"] == cid] == ["disputed", "sourced"]


def test_each_claims_assignee_is_kept_on_it_for_the_filters(desk):
    """The filters read the assignee kept on each claim (migration 10): its own assignment, else
    its cluster's; it follows an assignment removed, and a claim moved to another cluster."""
    from dataclasses import replace

    from verifier.store.postgres import ClaimQuery, PostgresStore

    with PostgresStore(desk, actor="editor") as s:
        clusters = [cl for cl in s.iter_clusters() if len(cl.claim_ids) > 1]
        assert len(clusters) >= 2
        a, b = clusters[0], clusters[1]

        def of(who):
            return set(s.query_claims(assignee=who, limit=1000))

        s.assign(a.id, "bob")
        assert of("bob") == set(a.claim_ids) and s.count_assigned("bob") == len(a.claim_ids)
        own = a.claim_ids[0]
        s.assign(own, "carol")  # its own assignment wins over its cluster's
        assert of("carol") == {own} and of("bob") == set(a.claim_ids) - {own}
        s.assign(own, None)  # unassigned again: its cluster's holds
        assert of("bob") == set(a.claim_ids) and not of("carol")
        moved = a.claim_ids[1]  # a re-link moves it into a cluster nobody has
        s.put_claims([replace(s.claim(moved), cluster_id=b.id)])
        s.save()
        assert of("bob") == set(a.claim_ids) - {moved}
        unassigned = set(s.query_claims(ClaimQuery(unassigned=True), limit=1000))
        assert moved in unassigned and not unassigned & of("bob")
        assert s.count_query(ClaimQuery(unassigned=True)) == len(unassigned)
        assert s.count_query(ClaimQuery(assignee="bob")) == len(a.claim_ids) - 1
