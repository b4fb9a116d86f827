"""Following inside the workbench: new claims arrive while the user tags; nothing is lost, nothing jumps."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_site import sample_site  # noqa: E402
from tui_helpers import detail_text, opened, status_on_disk  # noqa: E402

from verifier.cli import main  # noqa: E402
from verifier.store.database import Store  # noqa: E402
from verifier.tui.app import VerifierApp  # noqa: E402
from verifier.tui.claim_list import ClaimList  # noqa: E402

KHERSON = "Russian shelling kills two in Kherson region"


async def until(pilot, condition, limit: float = 30.0) -> None:
    """Let the app run until condition() holds (a generous limit, not a timing assertion)."""
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, "gave up waiting"
        await pilot.pause(0.05)


def idle(following) -> bool:
    return following.follower is not None and bool(following.follower.active()) \
        and not following.busy and not following._first


def test_new_claims_arrive_while_the_user_tags_no_verdict_lost_cursor_kept(db, sample_path):
    decided: dict[str, str] = {}
    with sample_site(sample_path, shown=4) as site:
        assert main(["follow", site.url("/live.html"), "--every", "0.2", "--once"]) == 0

        async def go():
            app = VerifierApp(db)
            async with app.run_test(size=(160, 24)) as pilot:
                await opened(pilot)
                screen = app.main
                following = screen.following
                claims = screen.query_one(ClaimList)
                await until(pilot, lambda: idle(following))  # resumed from the database
                before = list(app.session.view)
                for key, status in (("s", "sourced"), ("d", "disputed"), ("j", None), ("u", "unverified"),
                                    ("j", None), ("j", None)):
                    cid = claims.selected
                    await pilot.press(key)
                    if status:
                        decided[cid] = status
                await pilot.press("G", "k", "k")  # low in a list longer than the screen
                selected, row, top = claims.selected, claims.cursor, round(claims.scroll_offset.y)
                assert top > 0
                post = site.publish()
                await until(pilot, lambda: len(app.session.view) > len(before))
                view = app.session.view
                new = set(view) - set(before)
                assert new and new <= following.new_ids
                assert all(app.store.post_map()[app.store.claim_map()[c].post_id].headline == post.headline for c in new)
                # nothing jumps: the claims shown before keep their order, the cursor its claim and its row
                assert [c for c in view if c not in new] == before
                assert claims.selected == selected
                above = sum(1 for c in view[: claims.cursor] if c in new)
                assert above and claims.cursor == row + above  # new claims above it pushed it down...
                assert claims.cursor - round(claims.scroll_offset.y) == row - top  # ...and the list scrolled
                progress = str(screen.query_one("#progress").render())
                assert f"+{len(new)} new" in progress
                # tagging goes on where it was: the next key decides the selected claim
                cid = claims.selected
                await pilot.press("d")
                decided[cid] = "disputed"
                # an edit arrives: the claim that changed is retired with its verdict, the rest keep theirs
                kherson = next(c for c in app.session.view if "killed two people" in app.store.claim_map()[c].text)
                await pilot.press("g")
                claims.cursor = app.session.position[kherson]
                await pilot.press("d")
                decided[kherson] = "disputed"
                site.edit(next(p.id for p in site.all if p.headline == KHERSON),
                          "has killed two people", "has killed three people")
                await until(pilot, lambda: kherson not in app.session.position)
                assert app.store.claim_map()[kherson].retired
                rewritten = next(c for c in app.session.view if "killed three people" in app.store.claim_map()[c].text)
                claims.cursor = app.session.position[rewritten]
                await pilot.pause()
                assert "edited" in detail_text(app) and "two → three people" in detail_text(app)
                for cid, status in decided.items():
                    assert status_on_disk(db, cid) == status
                await pilot.press("l")  # the follow log
                log = str(app.screen.query_one("#follow-log").render())
                assert "posts 1 new" in log and "two → three" in log
                await pilot.press("escape")
                await pilot.press("q")
        asyncio.run(go())
    store = Store(db, readonly=True)
    assert len(store.post_map()) == 5  # saved on quit, with the source's state
    assert all(store.verdict(c).status == s for c, s in decided.items())
    (rec,) = store.follow_map().values()
    assert rec["last_ok"] and rec["etag"]


def test_follow_a_source_from_the_workbench_and_a_read_only_one_refreshes(db, sample_path):
    with sample_site(sample_path, shown=3) as site:
        main(["follow", site.url("/feed.rss"), "--once"])  # a database with something in it
        main(["follow", "--stop", site.url("/feed.rss")])

        async def go():
            writer = VerifierApp(db)
            async with writer.run_test(size=(160, 30)) as pilot:
                await opened(pilot)
                following = writer.main.following
                assert following.follower is not None and not following.follower.active()
                await pilot.press("F")
                await pilot.press(*site.url("/live.html"), "space", "0", ".", "3", "enter")
                await until(pilot, lambda: len(writer.store.source_map()) == 2)
                assert len(writer.session.view) > 20
                reader = VerifierApp(db)  # a second workbench: read-only
                async with reader.run_test(size=(160, 30)) as rpilot:
                    await opened(rpilot)
                    assert reader.readonly
                    shown = len(reader.session.view)
                    site.publish()
                    await until(pilot, lambda: len(writer.session.view) > shown)
                    following.save()  # the writer saves (every 30 s, and on quit)
                    await until(rpilot, lambda: len(reader.session.view) > shown)
                    assert reader.main.following.new_ids
                    await rpilot.press("q")
                await pilot.press("q")
        asyncio.run(go())
