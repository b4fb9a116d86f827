"""Helpers for the workbench tests (Pilot and snapshots)."""

import time

from verifier.store import Store

LONG_POST = ["Long post", ""] + [f"Paragraph {i} of background on the grain corridor talks in Istanbul.\n"
                                 for i in range(60)] + [
    '"We will not accept any deal that leaves our ports blocked," the minister, Anna Novak, said.']


async def opened(pilot):
    """The database opens in a worker: wait for it (and the index warm-up) to finish."""
    app = pilot.app
    end = time.monotonic() + 120  # a generous limit for a loaded machine, not a timing assertion
    while app.session is None and app.error is None:
        assert time.monotonic() < end, "the database never opened"
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()  # the warm-up starts after the first refresh: wait for it too
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()  # scrolls and key-bar rebuilds scheduled after the first refresh
    for _ in range(3):  # the detail pane's new layout is drawn on the screen's next update tick,
        await pilot.pause(0.1)  # which a busy machine runs late


def detail_text(app) -> str:
    parts = []
    for wid in ("#detail-head", "#detail-body"):
        r = app.screen.query_one(wid).render()
        parts.append(r.plain if hasattr(r, "plain") else str(r))
    return "\n".join(parts)


def status_on_disk(db, cid):
    return Store(db, readonly=True).verdict(cid).status
