"""The stats view on a desk database: counted by the server, the same figures a file
database gives for the same claims and verdicts (verifier.stats.compute)."""

from __future__ import annotations

import pytest

from verifier.cli import main
from verifier.models import NOT_A_CLAIM
from verifier.stats import compute
from verifier.store import open_store

pytestmark = pytest.mark.usefixtures("pg_url")


def test_desk_stats_are_the_file_databases_figures(pg_url, sample_path, tmp_path):
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(sample_path)]) == 0
    with open_store(file_db) as store:  # some decided, one decided noise, as a desk would
        ids = [c.id for c in store.live_claims()]
        for cid, status in zip(ids[:9], ["sourced", "disputed", "unverified"] * 3):
            store.set_verdict(cid, status=status, by="alice")
        store.set_verdict(ids[9], status=NOT_A_CLAIM, by="alice")
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["db", "copy", file_db, pg_url]) == 0
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


def test_t_opens_the_stats_view_on_a_desk(pg_url, sample_path, tmp_path, monkeypatch):
    """`t` on a desk workbench: the view opens at once and the server's counts arrive."""
    import asyncio

    from tui_helpers import opened

    from verifier.tui.app import VerifierApp
    from verifier.tui.stats_view import StatsScreen

    monkeypatch.setenv("VERIFIER_USER", "alice")
    file_db = str(tmp_path / "one.json")
    assert main(["--db", file_db, "ingest", str(sample_path)]) == 0
    assert main(["--db", pg_url, "db", "init"]) == 0
    assert main(["db", "copy", file_db, pg_url]) == 0

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
