"""The stats and posts views on a desk database: counted and read by the server, the same
figures and posts a file database gives for the same claims and verdicts."""

from __future__ import annotations

import pytest

from verifier.cli import main
from verifier.models import NOT_A_CLAIM
from verifier.stats import compute
from verifier.store import open_store

pytestmark = pytest.mark.usefixtures("pg_url")


def _to_desk(file_db: str, pg_url: str) -> None:
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["db", "copy", file_db, pg_url]) == 0


def _review(folder, claim: str, rating: str) -> str:
    """A published fact-check (schema.org ClaimReview) in a file of its own."""
    import json

    review = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://example.org/check/1",
              "claimReviewed": claim, "reviewRating": {"@type": "Rating", "alternateName": rating},
              "author": {"@type": "Organization", "name": "Example Checks"}, "datePublished": "2023-02-01"}
    path = folder / "review.json"
    path.write_text(json.dumps(review), encoding="utf-8")
    return str(path)


@pytest.fixture
def desk(pg_url, sample_path, tmp_path, monkeypatch) -> str:
    """The sample live blog ingested into a file, copied to an empty desk database; the
    workbench user is alice. Returns the file's path."""
    monkeypatch.setenv("VERIFIER_USER", "alice")
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(sample_path)]) == 0
    _to_desk(file_db, pg_url)
    return file_db


def test_desk_stats_are_the_file_databases_figures(pg_url, sample_path, tmp_path):
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(sample_path)]) == 0
    with open_store(file_db) as store:  # some decided, one decided noise, as a desk would
        ids = [c.id for c in store.live_claims()]
        for cid, status in zip(ids[:9], ["sourced", "disputed", "unverified"] * 3):
            store.set_verdict(cid, status=status, by="alice")
        store.set_verdict(ids[9], status=NOT_A_CLAIM, by="alice")
    _to_desk(file_db, pg_url)
    with open_store(file_db, readonly=True) as store:
        expected = compute(store, top_speakers=1000)
    from verifier.store.postgres import PostgresStore

    with PostgresStore(pg_url, lazy=True) as desk:
        got = desk.stats(top_speakers=1000)
        assert len(desk.stats().speakers) == 10
    # speakers quoted as often may come in either order
    assert sorted(got.speakers, key=lambda s: (-s[1], s[0])) == sorted(expected.speakers, key=lambda s: (-s[1], s[0]))
    got.speakers = expected.speakers
    assert got == expected
    assert got.total == len(ids) - 1 and got.not_a_claim == 1 and got.reviewed == 9
    assert got.clusters > 0 and got.speakers and got.over_time


def test_t_opens_the_stats_view_on_a_desk(desk, pg_url, tmp_path, monkeypatch):
    """`t` on a desk workbench: the view opens at once and the server's counts arrive."""
    import asyncio

    from tui_helpers import opened

    from verifier.tui.app import VerifierApp
    from verifier.tui.stats_view import StatsScreen


    async def go():
        app = VerifierApp(pg_url)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            await pilot.press("s")  # the selected claim: sourced
            await pilot.press("t")
            assert isinstance(app.screen, StatsScreen)
            for _ in range(200):
                await pilot.pause(0.05)
                if app.screen.stats is not None:
                    break
            text = str(app.screen.query_one("#stats").render())
            assert "Verdicts: 1 of 64 reviewed" in text and "Sergey Lavrov" in text
            await pilot.press("escape")
            assert not isinstance(app.screen, StatsScreen)

    asyncio.run(go())


def test_the_posts_view_reads_the_blog_from_a_desk(desk, pg_url, tmp_path, monkeypatch):
    """tab on a desk workbench: the live blog as read, the same posts and claims in reading
    order as a file database gives; a tag there is committed on the server."""
    import asyncio

    from tui_helpers import opened

    from verifier.store.postgres import PostgresStore
    from verifier.tui.app import VerifierApp
    from verifier.tui.posts_view import PostsScreen

    with open_store(desk, readonly=True) as store:
        posts = sorted(store.iter_posts(), key=lambda p: p.seq)
        by_post = {p.id: [c.id for c in sorted((c for c in store.live_claims() if c.post_id == p.id),
                                                key=lambda c: c.span[0])] for p in posts}

    async def go():
        app = VerifierApp(pg_url)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            session = app.session
            assert [p.id for p in session.source_posts(posts[0].source_id)] == [p.id for p in posts]
            assert {p.id: [c.id for c in session.post_claims(p.id)] for p in posts} == by_post
            first = app.main.claims.selected
            await pilot.press("tab")
            screen = app.screen
            assert isinstance(screen, PostsScreen) and screen.claim_id == first
            order = screen._reading_order()
            await pilot.press("d")  # disputed, and on to the next claim in reading order
            await pilot.pause()
            assert screen.claim_id == order[order.index(first) + 1]
            await pilot.press("escape")
            assert not isinstance(app.screen, PostsScreen)
        with PostgresStore(pg_url, lazy=True) as desk:
            assert desk.verdict(first).status == "disputed" and desk.verdict(first).by == "alice"

    asyncio.run(go())


def test_the_workbench_exports_the_whole_desk(desk, pg_url, tmp_path, monkeypatch):
    """x on a desk workbench writes what `verifier --db URL export` writes: every claim of the
    server's database, not only the pages the list has read."""
    import asyncio
    import json

    from tui_helpers import opened

    from verifier.tui.app import VerifierApp
    from verifier.tui.export_dialog import ExportScreen

    monkeypatch.chdir(tmp_path)
    import verifier.desk_session

    monkeypatch.setattr(verifier.desk_session, "PAGE", 20)  # the list reads a third of the sample
    out = tmp_path / "from-the-workbench.json"

    async def go():
        app = VerifierApp(pg_url)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            await pilot.press("s")
            await pilot.press("x")
            assert isinstance(app.screen, ExportScreen)
            assert app.screen.directory == str(tmp_path)
            app.screen.query_one("#export-path").value = str(out)
            await pilot.press("enter")
            for _ in range(400):
                await pilot.pause(0.05)
                if out.exists():
                    break

    asyncio.run(go())
    cli = tmp_path / "from-the-cli.json"
    assert main(["--db", pg_url, "export", "--format", "json", "-o", str(cli)]) == 0
    got, want = json.loads(out.read_text()), json.loads(cli.read_text())
    got.pop("exported_at"), want.pop("exported_at")
    assert got == want and len(got["claims"]) == 64
    assert sum(1 for c in got["claims"] if c["verdict"]["status"] == "sourced") == 1


def test_a_desk_workbench_never_shows_the_servers_password():
    from verifier.config import Config
    from verifier.tui.desk import DeskMainScreen

    screen = DeskMainScreen("postgresql://alice:s3cret@db.example.org/desk", Config())
    assert "s3cret" not in screen.db_label() and "db.example.org/desk" in screen.db_label()


def test_follow_feeds_a_desk_database(pg_url, sample_path, tmp_path, capsys):
    """`verifier --db URL follow` reads a blog into the desk's server, as into a file: the same
    claims as an ingest; the file kept by its full path (a server has no folder); stop works."""
    blog = tmp_path / "blog.txt"
    blog.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["--db", pg_url, "follow", "--once", str(blog)]) == 0
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(blog)]) == 0
    from verifier.store.postgres import PostgresStore

    with PostgresStore(pg_url, readonly=True) as desk, open_store(file_db, readonly=True) as one:
        assert sorted(c.id for c in desk.live_claims()) == sorted(c.id for c in one.live_claims())
        (rec,) = desk.follow_map().values()
        assert rec["target"] == str(blog) and rec["active"]
    capsys.readouterr()
    assert main(["--db", pg_url, "follow", "--list"]) == 0
    assert str(blog) in capsys.readouterr().out
    assert main(["--db", pg_url, "follow", "--once"]) == 0  # resumed: nothing new
    assert main(["--db", pg_url, "follow", "--stop", str(blog)]) == 0
    with PostgresStore(pg_url, readonly=True) as desk:
        assert not next(iter(desk.follow_map().values()))["active"]
        assert desk.claim_count() == 64


def test_link_and_factcheck_commands_work_on_a_desk(desk, pg_url, tmp_path, capsys):
    """The linking and fact-check commands open the desk's server as `--db` says (they opened
    the file store whatever it said, and failed on "folder postgresql: does not exist")."""
    import json

    from verifier.store.postgres import PostgresStore

    assert main(["--db", pg_url, "link"]) == 0  # the suggestions as the server's linker makes them
    capsys.readouterr()
    assert main(["--db", pg_url, "suggestions", "--json"]) == 0
    pending = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert pending  # the sample has one suggested link
    assert main(["--db", pg_url, "confirm", "--all"]) == 0
    with PostgresStore(pg_url, readonly=True) as desk:
        a, b = desk.claim(pending[0]["a"]), desk.claim(pending[0]["b"])
        assert a.cluster_id and a.cluster_id == b.cluster_id
    review = _review(tmp_path, "Russia will not win the war in Ukraine, Lavrov said", "False")
    assert main(["--db", pg_url, "factchecks", "add", review]) == 0
    capsys.readouterr()
    assert main(["--db", pg_url, "factchecks", "list"]) == 0
    assert "Example Checks" in capsys.readouterr().out


def test_db_copy_moves_the_library_suggestions_and_follows_both_ways(pg_url, sample_path, tmp_path):
    """A desk starting from one person's file keeps their fact-check library and its matches,
    the suggested links awaiting a decision and the followed sources; and hands them back."""
    import os

    from verifier.store.postgres import PostgresStore

    blog = tmp_path / "blog.txt"
    blog.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    one = str(tmp_path / "one.json")
    assert main(["--db", one, "follow", "--once", str(blog)]) == 0
    review = _review(tmp_path, "The European Union will train an additional 15,000 Ukrainian soldiers", "True")
    assert main(["--db", one, "factchecks", "add", review]) == 0
    with open_store(one, readonly=True) as store:
        want = (dict(store.factcheck_map()), dict(store.factcheck_match_map()), list(store.suggestion_list()))
        assert want[0] and want[1] and want[2]  # a library, a match of it, a suggestion
        assert [f["target"] for f in store.follow_map().values()] == ["blog.txt"]
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["db", "copy", one, pg_url]) == 0
    with PostgresStore(pg_url, readonly=True) as desk:
        assert (dict(desk.factcheck_map()), dict(desk.factcheck_match_map()), list(desk.suggestion_list())) == want
        assert [f["target"] for f in desk.follow_map().values()] == [str(blog)]  # a server has no folder
    os.mkdir(tmp_path / "back")
    two = str(tmp_path / "back" / "two.json")
    assert main(["db", "copy", pg_url, two]) == 0
    with open_store(two, readonly=True) as store:
        assert (dict(store.factcheck_map()), dict(store.factcheck_match_map()), list(store.suggestion_list())) == want
        (f,) = store.follow_map().values()
        assert f["target"] == os.path.join("..", "blog.txt")
    assert main(["--db", two, "follow", "--once"]) == 0  # resumed from there: the same file, nothing new
    with open_store(two, readonly=True) as store:
        assert store.claim_count() == 64


def test_a_servers_password_is_never_shown_in_any_form():
    from verifier.store.postgres import redacted

    for url in ("postgresql://alice:s3cret@db.example.org/desk",
                "postgresql:///desk?host=/tmp/sock&password=s3cret&sslmode=require",
                "postgresql://db.example.org/desk?user=alice&PASSWORD=s3cret",
                "host=db.example.org password='s3 cret' dbname=desk"):
        shown = redacted(url)
        assert "s3cret" not in shown and "s3 cret" not in shown and "***" in shown, shown
        assert "db.example.org" in shown or "/tmp/sock" in shown
