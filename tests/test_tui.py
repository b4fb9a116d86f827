"""The workbench driven by keys, asserting on screen state and on the database."""

import asyncio


from verifier.cli import main
from verifier.store import Store
from verifier.tui.app import VerifierApp
from verifier.tui.claim_list import ClaimList
from verifier.tui.help import HelpScreen

from tui_helpers import detail_text, opened, status_on_disk


def live_count(app) -> int:
    """The sample's live claims, as the store counts them (extraction decides the number)."""
    return app.store.claim_count()


def run(coro):
    return asyncio.run(coro)


def test_tag_keys_write_before_display_and_move_on(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            claims = app.query_one(ClaimList)
            first = claims.selected
            await pilot.press("s")
            assert status_on_disk(sample_db, first) == "sourced"
            assert claims.cursor == 1  # one key decides and moves on
            second = claims.selected
            await pilot.press("d")
            assert status_on_disk(sample_db, second) == "disputed"
            await pilot.press("k", "u")
            assert status_on_disk(sample_db, second) == "unverified"
            await pilot.press("k", "r")
            assert status_on_disk(sample_db, second) == "unreviewed"
            progress = str(app.query_one("#progress").render())
            assert f"1/{live_count(app)} reviewed" in progress and "Sourced 1" in progress
    run(go())


def test_cluster_tag_and_undo_many_steps(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            claims = app.query_one(ClaimList)
            store = app.store
            # find a clustered claim and select it
            idx = next(i for i, cid in enumerate(app.session.view) if store.claim_map()[cid].cluster_id)
            claims.cursor = idx
            cid = claims.selected
            members = app.session.cluster_of(cid)
            assert len(members) == 2
            await pilot.press("d")  # tags and moves on
            claims.cursor = idx
            await pilot.press("c")
            assert all(status_on_disk(sample_db, m) == "disputed" for m in members)
            await pilot.press("z")  # undo the cluster tag: the other member goes back
            assert status_on_disk(sample_db, cid) == "disputed"
            assert [status_on_disk(sample_db, m) for m in members if m != cid] == ["unreviewed"]
            await pilot.press("z")  # and the single tag before it
            assert status_on_disk(sample_db, cid) == "unreviewed"
            assert not app.session.undo_stack
    run(go())


def test_navigation_keys(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(120, 30)) as pilot:
            await opened(pilot)
            claims = app.query_one(ClaimList)
            await pilot.press("G")
            assert claims.cursor == len(app.session.view) - 1
            await pilot.press("g")
            assert claims.cursor == 0
            await pilot.press("j", "j", "down")
            assert claims.cursor == 3
            await pilot.press("up")
            assert claims.cursor == 2
            await pilot.press("pagedown")
            assert claims.cursor > 10
            await pilot.press("pageup")
            assert claims.cursor == 2
    run(go())


def test_filter_status_sort_and_clear(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            await pilot.press("slash")
            await pilot.press(*"kherson", "enter")
            assert app.session.view and all("kherson" in app.store.claim_map()[c].text.lower()
                                            for c in app.session.view)
            await pilot.press("escape")
            assert len(app.session.view) == live_count(app)
            await pilot.press("slash", *"Kyrylenkp", "enter")  # a typo still finds him, fuzzily
            assert any("Kyrylenko" in app.store.claim_map()[c].text for c in app.session.view)
            await pilot.press("escape", "s", "f", "f")  # status filter: sourced
            assert app.session.filters.status == "sourced" and len(app.session.view) == 1
            await pilot.press("escape", "o")
            assert app.session.sort == "time"
    run(go())


def test_note_and_evidence_modals(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            cid = app.query_one(ClaimList).selected
            # a note of several lines (enter is a new line; ctrl+s saves)
            await pilot.press("n", *"call the ministry", "enter", *"then the mayor", "ctrl+s")
            await pilot.press("e", *"https://example.org/release", "enter", *"press release", "ctrl+s")
            v = Store(sample_db, readonly=True).verdict(cid)
            assert v.note == "call the ministry\nthen the mayor"
            assert v.evidence == ["https://example.org/release", "press release"]
            text = detail_text(app)
            assert "call the ministry" in text and "then the mayor" in text
            assert "1. https://example.org/release" in text and "2. press release" in text
            # evidence is edited and removed in the same editor: drop the URL line
            await pilot.press("e")
            app.screen.query_one("TextArea").text = "press release\n"
            await pilot.press("ctrl+s")
            assert Store(sample_db, readonly=True).verdict(cid).evidence == ["press release"]
            await pilot.press("n", "escape")  # cancelled: nothing written
            assert Store(sample_db, readonly=True).verdict(cid).note == "call the ministry\nthen the mayor"
            await pilot.press("z")  # evidence edit undone
            assert Store(sample_db, readonly=True).verdict(cid).evidence == ["https://example.org/release",
                                                                              "press release"]
    run(go())


def test_help_and_quit_and_state_survives_reopen(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.press("j", "j", "j", "d", "f", "f", "f", "f")
            assert app.session.filters.status == "disputed"
            selected = app.query_one(ClaimList).selected
            await pilot.press("q")
        app2 = VerifierApp(sample_db)
        async with app2.run_test(size=(160, 40)) as pilot2:
            await opened(pilot2)
            assert app2.session.filters.status == "disputed"
            assert app2.query_one(ClaimList).selected == selected
            assert app2.store.verdict(selected).status == "disputed"
    run(go())


def test_second_workbench_opens_read_only(sample_db):
    async def go():
        first = Store(sample_db)  # another instance holds the writer lock
        try:
            app = VerifierApp(sample_db)
            async with app.run_test(size=(160, 40)) as pilot:
                await opened(pilot)
                assert app.readonly
                cid = app.query_one(ClaimList).selected
                await pilot.press("s")
                assert status_on_disk(sample_db, cid) == "unreviewed"
                assert "READ-ONLY" in str(app.query_one("#progress").render())
        finally:
            first.close()
    run(go())


def test_untrusted_text_is_shown_literally(db, tmp_path):
    post = tmp_path / "hostile.txt"
    post.write_text("Hostile post\n\nThe mayor said [bold]40 people[/bold] were hurt, see "
                    "[link=http://x]click[/link] and \x1b[31m red \x1b[0m text.\n")
    assert main(["ingest", str(post)]) == 0

    async def go():
        app = VerifierApp(db)
        async with app.run_test(size=(200, 30)) as pilot:
            await opened(pilot)
            text = detail_text(app)
            assert "[bold]40 people[/bold]" in text
            assert "[link=http://x]click[/link]" in text
            assert "\\x1b[31m" in text and "\x1b" not in text
            line = app.query_one(ClaimList).render_line(0).text
            assert "[bold]40 people[/bold]" in line and "\x1b" not in line
    run(go())


def test_posts_view_reads_the_blog_and_tags_in_place(sample_db):
    from verifier.tui.posts_view import PostsScreen

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            start = app.query_one(ClaimList).selected
            await pilot.press("tab")
            screen = app.screen
            assert isinstance(screen, PostsScreen) and screen.claim_id == start
            # every post of the blog is there, in page order, claims marked in their post
            shown = [w.id for w in screen.query(".post")]
            posts = app.session.source_posts(app.store.post_map()[app.store.claim_map()[start].post_id].source_id)
            assert shown == [f"post-{p.id}" for p in posts] and len(shown) == 9
            order = screen._reading_order()
            await pilot.press("j")
            assert screen.claim_id == order[order.index(start) + 1]
            tagged = screen.claim_id
            await pilot.press("d")  # tags here, on disk, and moves to the next claim in reading order
            assert status_on_disk(sample_db, tagged) == "disputed"
            assert screen.claim_id == order[order.index(tagged) + 1]
            await pilot.press("k")
            await pilot.press("tab")  # back to the list, on the claim read last
            assert not isinstance(app.screen, PostsScreen)
            assert app.query_one(ClaimList).selected == tagged
            assert "Disputed 1" in str(app.query_one("#progress").render())
    run(go())


def test_stats_view_charts_verdicts_and_time(sample_db):
    from verifier.tui.stats_view import StatsScreen

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 50)) as pilot:
            await opened(pilot)
            await pilot.press("s", "s", "d")
            await pilot.press("t")
            assert isinstance(app.screen, StatsScreen)
            st = app.screen.stats
            assert st.reviewed == 3 and st.by_status["sourced"] == 2 and st.by_status["disputed"] == 1
            # the sample's posts run from 05:00 to 08:59 Eastern, bucketed by hour
            assert [label for label, _, _ in st.over_time] == ["Feb 02 05:00", "Feb 02 06:00",
                                                              "Feb 02 07:00", "Feb 02 08:00"]
            assert sum(n for _, n, _ in st.over_time) == live_count(app)
            assert sum(r for _, _, r in st.over_time) == 3
            await pilot.press("t")
            assert not isinstance(app.screen, StatsScreen)
    run(go())


def test_kind_and_speaker_filters(sample_db):
    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            await pilot.press("y")
            assert app.session.filters.kind == "quote"
            assert len(app.session.view) == 27
            assert all(app.store.claim_map()[c].kind == "quote" for c in app.session.view)
            await pilot.press("y", "y")
            assert app.session.filters.kind == "figure"
            await pilot.press("escape", "p")
            # the picker lists speakers with their counts, narrowed fuzzily (a typo is fine)
            from textual.widgets import OptionList
            options = app.screen.query_one(OptionList)
            lavrov = sum(1 for c in app.store.live_claims() if c.speaker == "Sergey Lavrov")
            assert f"Sergey Lavrov  ({lavrov})" in str(options.get_option_at_index(0).prompt)
            await pilot.press(*"lavrvo")
            assert "Sergey Lavrov" in str(options.get_option_at_index(0).prompt)
            await pilot.press("enter")
            assert app.session.filters.speaker == "Sergey Lavrov"
            assert len(app.session.view) == lavrov
            assert all(app.store.claim_map()[c].speaker == "Sergey Lavrov" for c in app.session.view)
            assert "speaker: Sergey Lavrov" in str(app.query_one("#progress").render())
            await pilot.press("q")
        app2 = VerifierApp(sample_db)  # filters come back on reopen
        async with app2.run_test(size=(160, 40)) as pilot2:
            await opened(pilot2)
            assert app2.session.filters.speaker == "Sergey Lavrov" and len(app2.session.view) == lavrov
    run(go())


def test_progress_counts_follow_tags_and_undo_without_recounting(sample_db):
    from verifier.triage import TriageSession

    store = Store(sample_db)
    try:
        session = TriageSession(store)
        ids = session.view[:3]
        session.tag(ids, "disputed")
        session.tag(ids[:1], "sourced")
        n = store.claim_count()
        assert session.progress() == {"total": n, "unreviewed": n - 3, "sourced": 1, "unverified": 0, "disputed": 2,
                                      "not-a-claim": 0}
        session.undo()
        session.undo()
        assert session.progress()["unreviewed"] == n
        # the counters agree with a full recount from the store
        recount = TriageSession(store).progress()
        assert recount == session.progress()
    finally:
        store.close()


def test_quote_checks_in_detail_and_filter(sample_db, sample_path):
    assert main(["sources", "add", str(sample_path.parent / "lavrov-interview-transcript.txt")]) == 0

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            for _ in range(4):  # status filter off; quote filter: verbatim, minor, partial, altered
                await pilot.press("v")
            assert app.session.filters.quote == "altered"
            assert app.session.view
            claim = app.store.claim_map()[app.query_one(ClaimList).selected]
            assert claim.quote and "waged" in claim.quote
            text = detail_text(app)
            assert "Quote    altered" in text and "-started" in text and "+waged" in text
            await pilot.press("v")
            assert app.session.filters.quote == "not found"
            assert all(app.store.quote_check_map()[c]["status"] == "not found" for c in app.session.view)
    run(go())


def test_export_dialog_asks_before_replacing(sample_db, tmp_path):
    import json
    from pathlib import Path

    from verifier.tui.export_dialog import ConfirmScreen, ExportScreen

    async def go():
        app = VerifierApp(sample_db)
        target = Path(sample_db).parent / "verdicts.json"
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            await pilot.press("s", "x")
            assert isinstance(app.screen, ExportScreen)
            await pilot.press("enter")
            doc = json.loads(target.read_text())
            assert sum(c["verdict"]["status"] == "sourced" for c in doc["claims"]) == 1
            target.write_text("a colleague's file")
            await pilot.press("x", "enter")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert target.read_text() == "a colleague's file"  # not replaced
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("Select").value = "markdown"
            await pilot.pause()
            assert app.screen.query_one("Input").value.endswith("verdicts.md")
            app.screen.query_one("Input").focus()
            await pilot.press("enter")
            assert "# Verification report" in (Path(sample_db).parent / "verdicts.md").read_text()
            await pilot.press("x", "escape")
            assert not isinstance(app.screen, ExportScreen)
    run(go())


def test_command_palette_runs_actions_by_name(sample_db):
    from textual.command import CommandPalette

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)
            await pilot.press("ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"filter: figures")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.filters.kind == "figure"
            assert all(app.store.claim_map()[c].kind == "figure" for c in app.session.view)
    run(go())
