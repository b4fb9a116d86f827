"""Following a live blog over real HTTP (a server on 127.0.0.1): new and edited posts, faults, resuming."""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_site import sample_site  # noqa: E402

from verifier.follow.fetch import Fetcher  # noqa: E402
from verifier.follow.follower import Follower  # noqa: E402
from verifier.store.database import Store  # noqa: E402

FORMS = ["/live.html", "/plain.html", "/feed.rss", "/feed.atom"]
KHERSON = "Russian shelling kills two in Kherson region"


def snapshot(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def make_follower(db: str, site, path: str, **fetch) -> Follower:
    fetch.setdefault("timeout", 2.0)
    fetch.setdefault("retries", 0)
    follower = Follower([], lambda: Store(db), fetcher=Fetcher(**fetch))
    with Store(db) as store:
        follower.add(store, site.url(path), every=1)
        store.save()
    return follower


def source_posts(db: str) -> dict[str, object]:
    store = Store(db, readonly=True)
    return {p.id: p for p in store.iter_posts()}


@pytest.fixture
def site(sample_path):
    with sample_site(sample_path, shown=3) as s:
        yield s


@pytest.mark.parametrize("path", FORMS)
def test_follow_picks_up_new_and_edited_posts_and_loses_nothing(db, site, path):
    follower = make_follower(db, site, path)
    first = follower.poll_once(force=True)
    assert first.failures == 0, first.log
    posts = source_posts(db)
    assert len(posts) == 3
    assert {p.headline for p in posts.values()} >= {KHERSON}
    assert first.new_claim_ids

    # Tag two claims of the post that will be edited: one sentence stays, one changes.
    store = Store(db)
    kherson = next(p for p in store.iter_posts() if p.headline == KHERSON)
    claims = [c for c in store.live_claims() if c.post_id == kherson.id]
    changing = next(c for c in claims if "killed two people" in c.text)
    staying = next(c for c in claims if "killed two people" not in c.text)
    store.set_verdict(changing.id, status="disputed", note="two or three?")
    store.set_verdict(staying.id, status="sourced")
    store.save()
    store.close()

    # Unchanged: a 304, nothing written.
    before = snapshot(db)
    quiet = follower.poll_once(force=True)
    assert quiet.log == [] and not quiet.changed
    assert site.statuses(path)[-1] == 304
    assert snapshot(db) == before

    # A new post and an edit arrive together.
    new = site.publish()
    site.edit(next(p.id for p in site.all if p.headline == KHERSON),
              "has killed two people", "has killed three people")
    result = follower.poll_once(force=True)
    assert result.failures == 0, result.log
    after = source_posts(db)
    assert set(posts) <= set(after)  # no post lost
    assert len(after) == 4
    store = Store(db, readonly=True)
    added = next(p for p in after.values() if p.headline == new.headline)
    assert result.new_claim_ids and all(store.claim_map()[c].post_id in (added.id, kherson.id)
                                        for c in result.new_claim_ids)
    edited = store.post_map()[kherson.id]  # the same post, by its anchor or its headline and stamp
    assert kherson.id in result.edited_post_ids
    assert "three people" in edited.body
    assert edited.edits and "two → three" in edited.edits[-1]["summary"]
    assert "has killed two people" in edited.edits[-1]["body"]  # the earlier version is kept
    assert any("two → three" in line for line in result.log)
    # The changed sentence's claim is retired with its verdict; the other keeps its id and verdict.
    assert store.claim_map()[changing.id].retired and changing.id in result.retired_claim_ids
    assert store.verdict(changing.id).status == "disputed"
    assert not store.claim_map()[staying.id].retired
    assert store.verdict(staying.id).status == "sourced"
    assert any("killed three people" in store.claim_map()[c].text for c in result.new_claim_ids)


def test_a_500_once_is_one_line_then_recovery(db, site):
    follower = make_follower(db, site, "/feed.rss")
    follower.poll_once(force=True)
    before = snapshot(db)
    site.publish()
    site.fail("/feed.rss", 500)
    failed = follower.poll_once(force=True)
    assert failed.failures == 1 and len(failed.log) == 1
    assert re.search(r"\b500\b", failed.log[0]) and "feed.rss" in failed.log[0]
    assert snapshot(db) == before  # a failed fetch touches nothing stored
    recovered = follower.poll_once(force=True)
    assert recovered.failures == 0 and recovered.new_claim_ids
    assert len(source_posts(db)) == 4


def test_a_500_is_retried_with_backoff_within_one_poll(db, site):
    slept = []
    follower = make_follower(db, site, "/feed.atom", retries=2, backoff=0.01)
    follower.fetcher._sleep = slept.append
    site.fail("/feed.atom", 503, times=2)
    result = follower.poll_once(force=True)
    assert result.failures == 0 and len(source_posts(db)) == 3
    assert slept == [0.01, 0.02]  # backoff doubles
    assert site.statuses("/feed.atom") == [503, 503, 200]


def test_a_too_slow_answer_times_out_and_the_next_poll_recovers(db, site):
    follower = make_follower(db, site, "/live.html", timeout=0.3)
    site.slow("/live.html", 1.0)
    before = snapshot(db)
    slow = follower.poll_once(force=True)
    assert slow.failures == 1 and "timed out" in slow.log[0]
    assert snapshot(db) == before
    ok = follower.poll_once(force=True)
    assert ok.failures == 0 and len(source_posts(db)) == 3


def test_a_partial_answer_stores_nothing(db, site):
    follower = make_follower(db, site, "/plain.html")
    follower.poll_once(force=True)
    site.publish()
    site.edit(next(p.id for p in site.all if p.headline == KHERSON), "has killed two people", "has killed")
    site.truncate("/plain.html")
    before = snapshot(db)
    cut = follower.poll_once(force=True)
    assert cut.failures == 1 and "incomplete" in cut.log[0]
    assert snapshot(db) == before
    whole = follower.poll_once(force=True)
    assert whole.failures == 0 and len(source_posts(db)) == 4


def test_a_page_over_the_size_limit_is_refused(db, site):
    follower = make_follower(db, site, "/live.html", max_bytes=2000)
    result = follower.poll_once(force=True)
    assert result.failures == 1 and "limit" in result.log[0]
    assert source_posts(db) == {}


def test_followed_sources_are_resumed_with_their_validators(db, site):
    follower = make_follower(db, site, "/feed.rss")
    follower.poll_once(force=True)
    follower.close()
    store = Store(db, readonly=True)
    (rec,) = store.follow_map().values()
    assert rec["target"] == site.url("/feed.rss") and rec["etag"] and rec["source_id"]
    # A new process: the follow comes from the database, and its first fetch is a 304.
    resumed = Follower(list(store.follow_map().values()), lambda: Store(db), fetcher=Fetcher(retries=0))
    result = resumed.poll_once(force=True)
    assert result.failures == 0 and result.log == []
    assert site.statuses("/feed.rss")[-1] == 304


def test_a_busy_database_loses_no_post(db, site):
    follower = make_follower(db, site, "/feed.rss")
    follower.poll_once(force=True)
    site.publish()
    holder = Store(db)  # another writer (a workbench) holds the lock
    try:
        busy = follower.poll_once(force=True)
    finally:
        holder.close()
    assert busy.failures == 1 and "not stored" in busy.log[0]
    later = follower.poll_once(force=True)  # fetched whole again, not a 304
    assert later.new_claim_ids and len(source_posts(db)) == 4


def test_only_http_addresses_are_followed(db):
    from verifier.cli import main

    for bad in ("file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)"):
        assert main(["follow", bad, "--once"]) == 2
    assert not os.path.exists(db) or not Store(db, readonly=True).follow_map()


def test_a_post_keeps_its_identity_by_its_anchor_when_headline_and_stamp_change(db, site):
    follower = make_follower(db, site, "/live.html")
    follower.poll_once(force=True)
    store = Store(db, readonly=True)
    kherson = next(p for p in store.iter_posts() if p.headline == KHERSON)
    assert kherson.url.endswith("#post-102")
    site.retitle("102", "Russian shelling kills three in Kherson region", "2023-02-02T06:40:00-05:00")
    result = follower.poll_once(force=True)
    store = Store(db, readonly=True)
    assert result.edited_post_ids == [kherson.id] and len(store.post_map()) == 3
    edit = store.post_map()[kherson.id].edits[-1]
    assert edit["summary"].startswith("headline: two → three")


def test_a_json_ld_page_without_bodies_is_read_from_its_text(db, sample_path):
    with sample_site(sample_path, shown=3) as stripped:
        stripped.strip_bodies = True
        follower = make_follower(db, stripped, "/live.html")
        result = follower.poll_once(force=True)
    assert result.failures == 0
    posts = source_posts(db)
    assert len(posts) == 3 and all(len(p.body) > 200 for p in posts.values())


def test_a_followed_local_file_is_read_when_it_changes(db, sample_path, tmp_path):
    from verifier.follow.waiting import Waiter

    text = sample_path.read_text(encoding="utf-8")
    stamps = [i for i, ln in enumerate(text.split("\n")) if ln.endswith("ago")]
    lines = text.split("\n")
    capture = tmp_path / "capture.txt"
    capture.write_text("\n".join(lines[: stamps[3]]) + "\n", encoding="utf-8")  # the first three posts
    follower = Follower([], lambda: Store(db))
    with Store(db) as store:
        follower.add(store, str(capture), every=0.1)
        store.save()
    first = follower.poll_once(force=True)
    assert first.failures == 0 and len(source_posts(db)) == 3
    assert follower.poll_once().fetched == 0  # unchanged on disk: not even read

    def save_as_editors_do() -> None:  # a new file renamed over the old one
        tmp = tmp_path / "capture.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, capture)

    waiter = Waiter([str(capture)])
    try:
        assert not waiter.wait(0.5)  # nothing changed: the timer runs out
        saver = threading.Timer(0.2, save_as_editors_do)
        saver.start()
        assert waiter.wait(30.0)  # woken by the watcher, long before the timer
        saver.join()
    finally:
        waiter.close()
    later = follower.poll_once()
    assert later.fetched == 1 and later.failures == 0
    assert len(source_posts(db)) == len([p for p in Store(db, readonly=True).iter_posts()]) >= 9


def test_a_follower_sharing_an_open_store_links_as_a_full_relink_does(db, site):
    from verifier.link import relink

    store = Store(db)
    try:
        follower = Follower.for_store(store, fetcher=Fetcher(retries=0), save=False)
        follower.add(store, site.url("/feed.rss"), every=1)
        follower.add(store, site.url("/live.html"), every=1)
        for _ in range(3):  # the same blog in two forms: every post repeated across sources
            result = follower.apply(store, follower.fetch_due(force=True))
            assert result.failures == 0
            site.publish()
        warm = {frozenset(c.claim_ids) for c in store.iter_clusters()}
        assert warm and all(len(m) >= 2 for m in warm)
        full = {frozenset(c.claim_ids) for c in relink(store).clusters}
        assert warm == full
    finally:
        store.close()


def test_a_reader_sees_when_the_database_changed_on_disk(db, site):
    from verifier.follow.refresh import ChangeWatch

    follower = make_follower(db, site, "/feed.rss")
    follower.poll_once(force=True)
    watch = ChangeWatch(db)
    assert not watch.changed()
    follower.poll_once(force=True)  # unchanged upstream: nothing written
    assert not watch.changed()
    site.publish()
    follower.poll_once(force=True)
    assert watch.changed() and not watch.changed()


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + ']><rss version="2.0"><channel><title>x</title><item><title>Talks resume</title>'
                    "<link>http://example.org/#1</link><description>&lol9; Officials said talks would resume "
                    "on Monday.</description></item></channel></rss>")


def test_hostile_answers_cost_one_line_each(db, site):
    site.extra["/lol.rss"] = ("application/rss+xml", BILLION_LAUGHS)
    site.extra["/escape.rss"] = ("application/rss+xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        "<title>Strike \x1b]0;owned\x07 hits city</title><link>http://example.org/#2</link>"
        "<description>Five people were killed, the governor said on Telegram.</description></item>"
        "</channel></rss>"))
    follower = Follower([], lambda: Store(db), fetcher=Fetcher(retries=2, backoff=0.01, timeout=2))
    with Store(db) as store:
        for path in ("/lol.rss", "/escape.rss", "/missing.html"):
            follower.add(store, site.url(path), every=1)
        store.save()
    result = follower.poll_once(force=True)
    # the entity bomb is not expanded: the post is read, small
    store = Store(db, readonly=True)
    bodies = [p.body for p in store.iter_posts()]
    assert any("talks would resume" in b for b in bodies) and max(len(b) for b in bodies) < 1000
    # a 404 is one line, not retried
    # (the status as a word: the server's random port may hold the digits 404 too)
    assert result.failures == 1 and sum(bool(re.search(r"\b404\b", ln)) for ln in result.log) == 1
    assert site.statuses("/missing.html") == [404]
    # text from the web never reaches a log line raw: an edit line names the post's headline
    ctype, body = site.extra["/escape.rss"]
    site.extra["/escape.rss"] = (ctype, body.replace("Five people", "Six people"))
    edited = follower.poll_once(force=True)
    assert any("Five → Six people" in ln and "\\x1b" in ln for ln in edited.log)
    assert all("\x1b" not in ln and "\x07" not in ln for ln in result.log + edited.log)


def test_preparing_a_poll_leaves_the_live_store_untouched(db, site):
    """The workbench's worker reads the store while the user works: prepare must not write."""
    store = Store(db)
    try:
        follower = Follower.for_store(store, fetcher=Fetcher(retries=0), save=False)
        follower.add(store, site.url("/live.html"), every=1)
        follower.apply(store, follower.fetch_due(force=True))
        site.publish()
        site.edit(next(p.id for p in site.all if p.headline == KHERSON),
                  "has killed two people", "has killed three people")

        def state():
            return ({k: v.to_dict() for k, v in store.post_map().items()},
                    {k: v.to_dict() for k, v in store.claim_map().items()},
                    {k: v.to_dict() for k, v in store.cluster_map().items()},
                    {k: dict(v) for k, v in store.quote_check_map().items()}, dict(store.source_map()))

        before = state()
        prepared = follower.prepare(store, follower.fetch_due(force=True))
        assert prepared.staged.reports[0].new_claim_ids
        assert state() == before
        result = follower.commit(store, prepared)
        assert result.new_claim_ids and result.retired_claim_ids
        assert all(cid in store.claim_map() for cid in result.new_claim_ids)
        assert all(store.claim_map()[cid].retired for cid in result.retired_claim_ids)
    finally:
        store.close()


def test_new_posts_link_incrementally_as_a_full_relink_would(db, site):
    from verifier.link import relink

    store = Store(db)
    try:
        follower = Follower.for_store(store, fetcher=Fetcher(retries=0), save=False)
        follower.add(store, site.url("/feed.atom"), every=1)
        follower.apply(store, follower.fetch_due(force=True))
        for _ in range(4):  # each poll links only its new claims, against the database as linked so far
            site.publish()
            follower.apply(store, follower.fetch_due(force=True))
        # the workbench saves at its own pace: the link index stays warm in memory between polls
        assert follower._linker is not None and not follower._linker.rebuilt
        incremental = {frozenset(c.claim_ids) for c in store.iter_clusters()}
        by_claim = {cid: c.cluster_id for cid, c in store.claim_map().items()}
        assert incremental == {frozenset(c.claim_ids) for c in relink(store).clusters}
        assert by_claim == {cid: c.cluster_id for cid, c in store.claim_map().items()}
    finally:
        store.close()


def test_claims_ingested_by_another_command_between_polls_are_linked(db, site, sample_path):
    from verifier.cli import main

    follower = make_follower(db, site, "/feed.rss")
    follower.poll_once(force=True)
    assert main(["ingest", str(sample_path)]) == 0  # the same blog, captured to a file, by another command
    new = site.publish()
    result = follower.poll_once(force=True)
    store = Store(db, readonly=True)
    linked = [c for c in result.new_claim_ids if store.claim_map()[c].cluster_id]
    assert linked  # the new post's claims found their copies in the file's posts
    others = {store.claim_map()[m].post_id for c in linked for m in store.cluster_map()[store.claim_map()[c].cluster_id].claim_ids}
    assert any(store.post_map()[p].source_id != store.post_map()[store.claim_map()[linked[0]].post_id].source_id for p in others)
    assert new.headline in {store.post_map()[store.claim_map()[c].post_id].headline for c in linked}


def test_a_sentence_removed_from_a_post_retires_its_claim_and_a_post_off_the_page_stays(db, site):
    """The rule (README, Following): a post that is still on the page but lost a sentence
    retires that sentence's claim, verdict kept; a post that fell off the end of a paginated
    page is kept as it was (the page shows only its newest posts: gone is not deleted)."""
    follower = make_follower(db, site, "/live.html")
    follower.poll_once(force=True)
    store = Store(db)
    kherson = next(p for p in store.iter_posts() if p.headline == KHERSON)
    oldest = next(p for p in store.iter_posts() if p.headline.startswith("EU-Ukraine summit"))
    removed = next(c for c in store.live_claims() if c.post_id == kherson.id and "criminal proceedings" in c.text)
    off_page = [c for c in store.live_claims() if c.post_id == oldest.id]
    store.set_verdict(removed.id, status="sourced", note="prosecutor's statement")
    store.set_verdict(off_page[0].id, status="disputed")
    store.save()
    store.close()

    site.edit("102", "The Kherson region prosecutor's office said it had opened criminal proceedings.", "")
    site.page_size = 3  # the next post pushes the oldest one off the page
    site.publish()
    result = follower.poll_once(force=True)
    assert result.failures == 0, result.log
    store = Store(db, readonly=True)
    assert removed.id in result.retired_claim_ids and store.claim_map()[removed.id].retired
    assert store.verdict(removed.id).status == "sourced"  # retired with its verdict
    assert store.verdict(removed.id).note == "prosecutor's statement"
    assert not any(store.claim_map()[c.id].retired for c in off_page)  # off the page, not gone
    assert store.verdict(off_page[0].id).status == "disputed"
    assert store.post_map()[oldest.id].body == oldest.body
    assert len(store.post_map()) == 4


def test_a_followed_file_is_stored_relative_to_the_database_and_resumed_elsewhere(tmp_path, sample_path, monkeypatch):
    import json
    import shutil

    from verifier.cli import main

    desk = tmp_path / "desk"
    (desk / "captures").mkdir(parents=True)
    capture = desk / "captures" / "blog.txt"
    capture.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    db = desk / "claims.json"
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "cache"))
    assert main(["--db", str(db), "follow", str(capture), "--once"]) == 0
    (rec,) = Store(str(db), readonly=True).follow_map().values()
    assert rec["target"] == os.path.join("captures", "blog.txt")
    assert str(tmp_path) not in db.read_text(encoding="utf-8")  # no folder of this machine stored

    # The folder moved (another machine, another user): the follow resumes from the database.
    moved = tmp_path / "elsewhere" / "desk"
    shutil.copytree(desk, moved)
    shutil.rmtree(desk)
    with open(moved / "captures" / "blog.txt", "a", encoding="utf-8") as fh:
        fh.write("\n")  # changed on disk: read again
    store = Store(str(moved / "claims.json"), readonly=True)
    before = len(store.post_map())
    resumed = Follower(list(store.follow_map().values()), lambda: Store(str(moved / "claims.json")),
                       base=str(moved))
    result = resumed.poll_once(force=True)
    assert result.failures == 0, result.log
    assert len(Store(str(moved / "claims.json"), readonly=True).post_map()) == before
    assert main(["--db", str(moved / "claims.json"), "follow", "--stop",
                 str(moved / "captures" / "blog.txt")]) == 0
    assert not json.loads((moved / "claims.json").read_text(encoding="utf-8"))["follows"][rec["id"]]["active"]


def test_the_session_folds_a_polls_claims_in_as_a_rebuild_would(db, site):
    """TriageSession.claims_changed (the workbench's per-poll update, the cost of the change)
    leaves the session as a session built afresh would be: counts, every sort order, the
    filters' arrays; claims already shown keep their places."""
    from verifier.triage import SORTS, TriageSession

    store = Store(db)
    try:
        follower = Follower.for_store(store, fetcher=Fetcher(retries=0), save=False)
        follower.add(store, site.url("/live.html"), every=1)
        follower.apply(store, follower.fetch_due(force=True))
        session = TriageSession(store)
        session.warm()  # every order built: each must take the new claims in its place
        first = next(c for c in session.view)
        session.tag([first], "disputed")
        session.filters.kind = None
        shown = list(session.view)
        site.publish()
        site.publish()
        site.edit("102", "has killed two people", "has killed three people")
        result = follower.apply(store, follower.fetch_due(force=True))
        assert result.new_claim_ids and result.retired_claim_ids
        quotes = [c for c in result.new_claim_ids if store.claim_map()[c].kind == "quote"]
        assert quotes and all(store.quote_check_record(c) for c in quotes)  # checked after the commit
        session.claims_changed(result.new_claim_ids, result.retired_claim_ids, result.updated_claim_ids)
        fresh = TriageSession(store)
        assert session.counts == fresh.counts
        for sort in SORTS:
            assert session._ids[session._order(sort)].tolist() == fresh._ids[fresh._order(sort)].tolist(), sort
        assert set(session.view) == set(fresh.view)
        kept = [cid for cid in shown if cid not in result.retired_claim_ids]
        assert [cid for cid in session.view if cid in set(kept)] == kept  # nothing jumped
        assert session.post_claims(store.claim_map()[result.new_claim_ids[0]].post_id) == \
            fresh.post_claims(store.claim_map()[result.new_claim_ids[0]].post_id)
        for cid in result.new_claim_ids:
            r, f = session._row[cid], fresh._row[cid]
            assert (session._status[r], session._kind[r], session._quote[r]) == \
                (fresh._status[f], fresh._kind[f], fresh._quote[f])
            assert session._speaker_names[session._speaker[r]] == fresh._speaker_names[fresh._speaker[f]] \
                if fresh._speaker[f] >= 0 else session._speaker[r] < 0
        assert session.search("three people") == fresh.search("three people")
    finally:
        store.close()


def test_clusters_grown_by_a_poll_are_what_finalize_makes(db, site, monkeypatch):
    """A poll whose claims join existing clusters grows them in place (follow/linking.py): the
    same members, representative, links and conflicts as linking's finalize gives."""
    from verifier.follow import linking
    from verifier.link import conflicts, recluster

    grown = []
    real = linking._grow
    monkeypatch.setattr(linking, "_grow", lambda *a: grown.append(real(*a)) or grown[-1])
    site.edit("102", "has killed two people", "has killed three people")  # a conflict to keep
    store = Store(db)
    try:
        follower = Follower.for_store(store, fetcher=Fetcher(retries=0), save=False)
        rss = follower.add(store, site.url("/feed.rss"), every=1)
        follower.apply(store, [follower.fetch(rss)])
        site.edit("102", "has killed three people", "has killed two people")  # the feed keeps "three"
        atom = follower.add(store, site.url("/feed.atom"), every=1)
        follower.apply(store, [follower.fetch(atom)])
        page = follower.add(store, site.url("/live.html"), every=1)  # a third copy of every post joins
        follower.apply(store, [follower.fetch(page)])
        plain = follower.add(store, site.url("/plain.html"), every=1)  # and a fourth
        follower.apply(store, [follower.fetch(plain)])
        # (no new post here: a post published above moves the others down their page, and a full
        # finalize re-sorts clusters an incremental poll leaves alone; see follow/linking.py)
        assert any(cl is not None for cl in grown)
        assert any(c["type"] == "figure" for cl in store.iter_clusters() for c in cl.conflicts)
        claims = store.claim_map()
        for cl in store.iter_clusters():
            assert all(claims[m].cluster_id == cl.id for m in cl.claim_ids)
            rep = claims[cl.rep]
            assert cl.conflicts == [x for m in cl.claim_ids if m != cl.rep
                                    for x in conflicts.between(rep, claims[m])]
        incremental = {cl.id: cl.to_dict() for cl in store.iter_clusters()}
        assert incremental == {cl.id: cl.to_dict() for cl in recluster(store)}
    finally:
        store.close()


def test_a_decision_made_while_the_worker_links_waits_for_the_next_poll(db, site):
    """The worker linked against the decisions of its start; a correction, split or merge made
    meanwhile drops that result: the claims are stored unlinked and the next poll links them
    (in the worker again, never a whole relink on the UI thread)."""
    from verifier.link import relink

    store = Store(db)
    try:
        follower = Follower.for_store(store, fetcher=Fetcher(retries=0), save=False)
        follower.add(store, site.url("/feed.rss"), every=1)
        follower.add(store, site.url("/feed.atom"), every=1)
        follower.apply(store, follower.fetch_due(force=True))
        site.publish()
        prepared = follower.prepare(store, follower.fetch_due(force=True))
        some = next(c for c in store.live_claims() if c.speaker)
        store.correct_claim(some.id, "speaker", "Someone Else")  # a decision, while the worker linked
        result = follower.commit(store, prepared)
        assert result.new_claim_ids
        assert all(store.claim_map()[c].cluster_id is None for c in result.new_claim_ids)
        assert set(follower._unlinked[0]) == set(result.new_claim_ids)
        later = follower.apply(store, follower.fetch_due(force=True))  # nothing new upstream (304s)
        assert not later.changed and follower._unlinked == ([], [])
        assert any(store.claim_map()[c].cluster_id for c in result.new_claim_ids)
        linked = {frozenset(c.claim_ids) for c in store.iter_clusters()}
        assert linked == {frozenset(c.claim_ids) for c in relink(store).clusters}
    finally:
        store.close()


def test_an_earlier_quote_is_found_in_a_later_post_that_repeats_it(db, site):
    """Quotes of the followed blog not found before are looked for in each poll's new posts."""
    from live_site import SitePost

    follower = make_follower(db, site, "/feed.atom")
    follower.poll_once(force=True)
    store = Store(db, readonly=True)
    lavrov = next(c for c in store.live_claims() if c.kind == "quote" and "come out of the current situation"
                  in (c.quote or ""))
    assert store.quote_check_record(lavrov.id)["status"] == "not found"
    last = max(p.published for p in site.all)
    site.all.insert(site.shown, SitePost(
        id="900", headline="Lavrov: Russia will be stronger", published=last, paragraphs=[
            "Russian Foreign Minister Sergey Lavrov repeated on Friday that Russia would be stronger: "
            f"“{lavrov.quote},” he said."]))
    site.publish()
    result = follower.poll_once(force=True)
    assert result.failures == 0 and result.new_claim_ids
    record = Store(db, readonly=True).quote_check_record(lavrov.id)
    assert record["status"] == "verbatim" and record["post"]["source"] == "post:" + Store(
        db, readonly=True).claim_map()[result.new_claim_ids[0]].post_id
