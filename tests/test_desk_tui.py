"""The workbench on a desk database (PostgreSQL): paged from the server, filters and search as
server queries, assignment, and two open workbenches seeing each other's tags.

Uses the throw-away server `.ci/run` starts (the `pg_url` fixture); skipped without one.
"""

from __future__ import annotations

import asyncio

import pytest

from tui_helpers import detail_text, opened

pytestmark = pytest.mark.usefixtures("pg_url")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    """Pages of 20 claims, so the sample's 64 claims are several pages."""
    import verifier.desk_session

    monkeypatch.setattr(verifier.desk_session, "PAGE", 20)


@pytest.fixture
def desk(pg_url, sample_path, tmp_path, monkeypatch):
    """The sample live blog in a desk database; the workbench user is alice."""
    from verifier.cli import main

    monkeypatch.setenv("VERIFIER_USER", "alice")
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(sample_path)]) == 0
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["db", "copy", file_db, pg_url]) == 0
    return pg_url


def _ranked(url: str, **kw) -> list[str]:
    """The list as the server orders it: undecided first, then by check-worthiness."""
    from verifier.store.postgres import ClaimQuery, PostgresStore

    with PostgresStore(url, lazy=True) as s:
        return [r[0] for r in s.query_rows(ClaimQuery(todo_first=True, **kw), limit=100_000)]


def _row_text(app, row: int) -> str:
    claims = app.main.claims
    claims.scroll_to(y=max(0, row - 2), animate=False, immediate=True)
    strip = claims.render_line(row - round(claims.scroll_offset.y))
    return "".join(seg.text for seg in strip)


def test_the_list_pages_from_the_server(desk):
    """Nothing is loaded at open; rows come a page at a time as they scroll into view."""
    from verifier.desk_session import PAGE, DeskSession
    from verifier.tui.app import VerifierApp

    ranked = _ranked(desk)
    assert len(ranked) > 2 * PAGE  # the sample is larger than two pages

    async def go():
        app = VerifierApp(desk)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            session = app.session
            assert isinstance(session, DeskSession)
            assert len(session.view) == len(ranked) == session.counts["total"]
            assert app.main.claims.selected == ranked[0]
            last = (len(ranked) - 1) // PAGE
            assert last not in session.view._pages  # only the pages on screen are read
            assert len(app.store.claim_map()) < len(ranked)
            await pilot.press("end")  # the last row: its page is read by offset
            assert app.main.claims.selected == ranked[-1]
            assert last in session.view._pages
            assert app.store.claim(ranked[-1]).text in detail_text(app)
            await pilot.press("home")
            for _ in range(PAGE + 5):  # scrolling down reads the next page after the first one's last row
                await pilot.press("j")
            assert app.main.claims.selected == ranked[PAGE + 5]
            assert list(session.view) == ranked

    asyncio.run(go())


def test_filters_and_search_run_on_the_server(desk):
    from verifier.tui.app import VerifierApp

    async def go():
        app = VerifierApp(desk)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            top = app.main.claims.selected
            await pilot.press("s")  # tagged: an event on the server, drawn once committed
            assert app.session.counts["sourced"] == 1
            await pilot.press("f", "f")  # status: unreviewed, then sourced
            assert app.session.filters.status == "sourced"
            assert list(app.session.view) == [top] == _ranked(desk, status="sourced")
            await pilot.press("escape")
            await pilot.press("slash", *"missile", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            want = _ranked(desk, text="missile")
            assert want and list(app.session.view) == want
            assert all("missile" in app.store.claim(c).text.lower() for c in app.session.view)
            await pilot.press("escape", "slash", *"misile", "enter")  # a typo: trigram similarity
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.session.text_hits.fuzzy
            assert set(want) <= set(app.session.view)

    asyncio.run(go())


def test_assignment_mine_unassigned_and_the_assignee_column(desk):
    from verifier.store.postgres import PostgresStore
    from verifier.tui.app import VerifierApp

    ranked = _ranked(desk)
    clustered = None
    with PostgresStore(desk) as s:
        for cl in s.iter_clusters():
            if len(cl.claim_ids) > 1:
                clustered = cl
                break
    assert clustered is not None

    async def go():
        app = VerifierApp(desk)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            first = app.main.claims.selected
            await pilot.press("at", "enter")  # assign to me (alice)
            await pilot.pause()
            assert "@alice" in _row_text(app, 0)
            assert "Assigned alice" in detail_text(app)
            with PostgresStore(desk, actor="editor") as editor:  # an editor gives bob a whole cluster
                editor.assign(clustered.id, "bob")
            for _ in range(40):  # it reaches the open workbench by itself (polled four times a second)
                if clustered.id in app.store.assignments:
                    break
                await pilot.pause(0.05)
            assert app.store.assignments[clustered.id]["assignee"] == "bob"
            await pilot.press("m")  # mine
            assert list(app.session.view) == [first]
            await pilot.press("m")  # unassigned
            view = list(app.session.view)
            assert first not in view and not set(clustered.claim_ids) & set(view)
            assert len(view) == len(ranked) - 1 - len(clustered.claim_ids)
            await pilot.press("m")  # off
            row = app.session.view.index(clustered.claim_ids[0]) if clustered.claim_ids[0] in app.session.view \
                else list(app.session.view).index(clustered.claim_ids[0])
            assert "@bob" in _row_text(app, row)
            app.main.claims.cursor = row
            await pilot.pause()
            assert "Assigned bob" in detail_text(app) and "with its cluster" in detail_text(app)

    asyncio.run(go())
    with PostgresStore(desk, readonly=True) as s:
        assert s.assignee(ranked[0]) == "alice"
        assert set(s.query_claims(assignee="bob", limit=1000)) == set(clustered.claim_ids)


def test_two_open_workbenches_see_each_others_tags(desk, monkeypatch):
    """alice and bob each have a workbench open on the desk: a tag in one shows in the other,
    in its row and its counters, without reloading."""
    from verifier.tui.app import VerifierApp

    async def wait_for(pilot, cond, seconds=3.0):
        for _ in range(int(seconds / 0.05)):
            if cond():
                return True
            await pilot.pause(0.05)
        return cond()

    async def go():
        monkeypatch.setenv("VERIFIER_USER", "alice")
        a = VerifierApp(desk)
        async with a.run_test(size=(160, 40)) as pa:
            await opened(pa)
            monkeypatch.setenv("VERIFIER_USER", "bob")
            b = VerifierApp(desk)
            async with b.run_test(size=(160, 40)) as pb:
                await opened(pb)
                cid = a.main.claims.selected
                assert b.main.claims.selected == cid
                await pa.press("d")  # alice: disputed
                assert a.store.status(cid) == "disputed"
                assert await wait_for(pb, lambda: b.store.status(cid) == "disputed")
                assert b.session.counts["disputed"] == 1
                assert _row_text(b, 0).startswith(" D ")  # the visible row redrawn
                assert "DISPUTED" in detail_text(b) and "by alice" in detail_text(b)
                await pb.press("s")  # bob overrides: an event after alice's
                assert await wait_for(pa, lambda: a.store.status(cid) == "sourced")
                assert a.session.counts["disputed"] == 0 and a.session.counts["sourced"] == 1

    asyncio.run(go())


def test_claims_a_colleague_ingests_reach_the_counters(desk):
    """New claims stored by someone else are counted in the open workbench within a second, and
    listed at the next filter change."""
    from dataclasses import replace

    from verifier.store.postgres import PostgresStore
    from verifier.tui.app import VerifierApp

    async def go():
        app = VerifierApp(desk)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            total = app.session.counts["total"]
            with PostgresStore(desk, actor="bob") as bob:
                c = next(iter(bob.iter_claims()))
                new = replace(c, id="f00dfeedbeef", text=c.text + " Officials later confirmed it.",
                              checkworthiness=1.0, cluster_id=None)
                bob.put_claims([new])
                bob.save()
            for _ in range(40):
                if app.session.counts["total"] == total + 1:
                    break
                await pilot.pause(0.05)
            assert app.session.counts["total"] == total + 1
            assert "+1 new on the desk" in str(app.main.query_one("#progress").render())
            await pilot.press("escape")
            assert app.session.view[0] == "f00dfeedbeef"  # the most check-worthy, undecided: first
            assert len(app.session.view) == total + 1

    asyncio.run(go())


def test_a_search_lists_every_hit_however_many(desk, monkeypatch):
    """A search with more hits than it reads whole (COUNT_CAP) shows its first page at once with
    the planner's estimate, is counted exactly by a worker's query, and every hit can be reached,
    in the server's order: pages by keyset as they scroll, a jump to the end read from the end."""
    import verifier.desk_session as ds
    from verifier.store.postgres import PostgresStore

    monkeypatch.setattr(ds, "PAGE", 5)
    monkeypatch.setattr(ds, "COUNT_CAP", 5)
    monkeypatch.setattr(ds, "WINDOW", 1)  # the list's top the search walks first: 5 rows
    monkeypatch.setattr(PostgresStore, "WALK_MAX", 4)  # and no further
    want = _ranked(desk, text="ukraine")
    assert len(want) > 3 * ds.PAGE and len(want) > ds.COUNT_CAP
    store, session = ds.open_desk(desk)
    with store:
        hits = session.search("Ukraine")
        assert not hits.fuzzy
        q = session.query("Ukraine", hits)
        view = session.build(q)
        assert view.uncounted and view[0] == want[0]  # shown before counted
        session.count_later(view)
        assert not view.uncounted and not view.more and len(view) == len(want)
        assert list(view) == want  # every hit, not the first COUNT_CAP
        again = session.build(q)
        session.count_later(again)
        last = (len(want) - 1) // ds.PAGE
        assert again[len(want) - 1] == want[-1]
        assert last - 1 not in again._pages  # the last page was read from the end, not past the others
        assert [again[i] for i in range(len(want))] == want


def test_the_workbench_counts_a_long_search_after_showing_it(desk, monkeypatch):
    """In the workbench: a search with more hits than COUNT_CAP shows at once as "about N,
    counting", then its exact length; the last hit can be scrolled to."""
    import verifier.desk_session as ds
    import verifier.tui.desk as desk_tui
    from verifier.store.postgres import PostgresStore
    from verifier.tui.app import VerifierApp

    monkeypatch.setattr(ds, "COUNT_CAP", 5)
    monkeypatch.setattr(ds, "WINDOW", 1)
    monkeypatch.setattr(PostgresStore, "WALK_MAX", 10)
    monkeypatch.setattr(desk_tui, "COUNT_AFTER", 0.05)
    want = _ranked(desk, text="ukraine")
    assert len(want) > ds.PAGE

    async def go():
        app = VerifierApp(desk)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            await pilot.press("slash", *"ukraine", "enter")
            for _ in range(200):  # the search's worker, then the count's
                await app.workers.wait_for_complete()
                await pilot.pause(0.02)
                if not app.session.view.uncounted and app.session.filters.text:
                    break
            assert not app.session.view.uncounted and len(app.session.view) == len(want)
            assert "counting" not in str(app.main.query_one("#progress").render())
            await pilot.press("end")
            assert app.main.claims.selected == want[-1]

    asyncio.run(go())
