"""Following live sources inside the workbench: new claims arrive while you triage.

Fetching, reading, ingest and linking run in a thread worker
(``Follower.fetch_due`` and ``Follower.prepare``, which only read the store);
the result is written on the UI thread in one short step (``Follower.commit``)
through the workbench's own store, which holds the write lock, so following
never conflicts with a verdict being written. The session folds the new
claims in at the cost of the change (``TriageSession.claims_changed``). The
quotes of the changed sources are checked after that in another worker
(``Follower.check``), so new claims do not wait for them, and their class
joins the list when ready. New claims join the list with a
"+" mark and a counter in the progress line; the selected claim stays
selected and stays on the same screen row; filters are kept. Every event and
every failure is one line in the follow log (``l``). A read-only workbench
(another process holds the database) reloads when the file changes.

Posts and the follow records are saved together at most every SAVE_EVERY
seconds and on quit; verdicts are on disk at once as always (the journal).
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Iterable

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from verifier.errors import VerifierError
from verifier.follow.refresh import ChangeWatch
from verifier.text import one_line

if TYPE_CHECKING:
    from verifier.follow.follower import Follower
    from verifier.store.database import Store

TICK = 0.25  # how often due sources are looked for (a dict scan; the fetch is in a worker)
SAVE_EVERY = 30.0
LOG_LINES = 2000

FOLLOW_BINDINGS = [
    Binding("F", "follow", "Follow", id="follow",
            tooltip="follow a live blog, an RSS/Atom feed or a file: new posts arrive as you work"),
    Binding("l", "follow_log", "Log", id="follow_log", tooltip="the follow log: sources, new posts, failures"),
]


class FollowLogScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,l,q", "dismiss", "Close", id="follow_log_close")]
    DEFAULT_CSS = """
    FollowLogScreen { align: center middle; }
    FollowLogScreen > VerticalScroll { width: 90%; height: 80%; border: round $accent; background: $surface;
                                       padding: 0 1; }
    """

    def __init__(self, following: "Following") -> None:
        super().__init__()
        self.following = following

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.following.render_log(), id="follow-log")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)


class Following:
    """The workbench side of following, owned by the main screen."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self._follower: "Follower | None" = None
        self._lazy: "Store | None" = None  # attached, writable, no source followed yet: made when first needed
        self.log: deque[str] = deque(maxlen=LOG_LINES)
        self.new_ids: set[str] = set()
        self.failures = 0
        self.busy = False
        self.checking = 0  # quote-check workers running
        self._first = True
        self._timer = None
        self._watch: ChangeWatch | None = None
        self._unsaved = False
        self._saved_at = time.monotonic()

    # ---- start ---------------------------------------------------------------------
    def attach(self, store: "Store", readonly: bool) -> None:
        """The database is open: resume the followed sources, or watch the file if read-only."""
        if hasattr(store, "refresh"):  # a desk database: colleagues' work arrives by polling the server
            self.screen.set_interval(DESK_POLL, self._check_desk, name="desk-refresh")
        elif readonly:
            self._watch = ChangeWatch(store.path)
            self.screen.set_interval(1.0, self._check_file, name="follow-refresh")
            return
        self._lazy = store
        if not store.follow_map():  # nothing followed: the follower (and the ingest and linking code it
            return  # imports, ~0.5 s) comes when a source is first followed, not before the first screen
        if self.follower is not None and self.follower.active():
            names = ", ".join(one_line(f["target"], 60) for f in self.follower.active())
            self._say(f"resumed following: {names}")
            self._start()

    @property
    def follower(self) -> "Follower | None":
        """The follower of the workbench's store (None: read-only, or not open yet)."""
        if self._follower is None and self._lazy is not None:
            from verifier.follow.follower import Follower

            self._follower = Follower.for_store(self._lazy, save=False)
        return self._follower

    @follower.setter
    def follower(self, value: "Follower | None") -> None:
        self._follower = value

    def _start(self) -> None:
        if self._timer is None:
            self._timer = self.screen.set_interval(TICK, self._tick, name="follow")
        self._tick()

    def add_source(self, target: str, every: float | None = None) -> bool:
        if every is None:
            from verifier.follow.follower import DEFAULT_EVERY

            every = DEFAULT_EVERY
        if self.follower is None:
            self.screen.notify("Read-only: this workbench cannot follow sources.", severity="warning")
            return False
        store = self.screen.store
        try:
            rec = self.follower.add(store, target.strip(), every)
            store.save()  # the followed source is kept at once
        except VerifierError as exc:
            self.screen.notify(str(exc), severity="error", timeout=10)
            return False
        self._say(f"following {one_line(rec['target'], 100)} (every {rec['every']:g} s)")
        self.screen.notify(f"following {one_line(rec['target'], 60)}")
        self._first = True
        self._start()
        return True

    # ---- polling ---------------------------------------------------------------------
    def _tick(self) -> None:
        if self.busy or self._follower is None:
            return
        if self._unsaved and time.monotonic() - self._saved_at >= SAVE_EVERY:
            self.save()
        force, self._first = self._first, False
        if not force and not self.follower.due():
            return
        self.busy = True
        # not exclusive: `busy` already keeps one poll at a time, and an exclusive start would
        # cancel the previous worker while its thread is still returning from _apply
        self.screen.run_worker(lambda: self._fetch(force), thread=True, group="follow",
                               exit_on_error=False, description="follow: fetch sources")

    def _fetch(self, force: bool) -> None:
        """In a thread: the network, the parsing, ingest, linking and quote checks; the store only read."""
        follower = self.follower
        assert follower is not None
        pending = []
        try:
            follower.warm(self.screen.store)  # the linking index, once, before a new post needs it
            pending = follower.fetch_due(force=force)
            prepared = follower.prepare(self.screen.store, pending)
        except Exception as exc:  # never a crash: one line in the log, the sources fetched again later
            reason = f"internal error: {type(exc).__name__}: {exc}"
            self.screen.app.call_from_thread(self._dropped, pending, reason)
            return
        self.screen.app.call_from_thread(self._apply, prepared)

    def _dropped(self, pending, reason: str) -> None:
        self.busy = False
        if self.follower is not None:
            result = self.follower.dropped(pending, reason)
            self.log.extend(result.log)
            self.failures += result.failures

    def _failed(self, message: str) -> None:
        self.busy = False
        self.failures += 1
        self._say(f"failed: {one_line(message, 200)}")

    def _apply(self, prepared) -> None:
        """On the UI thread: write what was staged, then show it without moving the user."""
        self.busy = False
        screen = self.screen
        if self.follower is None or screen.store is None or screen.session is None:
            return
        try:
            result = self.follower.commit(screen.store, prepared)
        except VerifierError as exc:
            self._failed(str(exc))
            return
        for line in result.log:
            self.log.append(line)
        self.failures += result.failures
        if result.stored:
            self._unsaved = True
        if result.changed:
            self.new_ids.update(result.new_claim_ids)
            self.new_ids.difference_update(result.retired_claim_ids)
            self.refresh_view(set(result.edited_post_ids), added=result.new_claim_ids,
                              retired=result.retired_claim_ids, updated=result.updated_claim_ids)
            screen.notify(result.summary(), title="follow", timeout=4)
        if result.check is not None:
            job = result.check
            self.checking += 1
            self.screen.run_worker(lambda: self._check(job), thread=True, group="follow-check",
                                   exit_on_error=False, description="follow: check quotes")

    def _check(self, job) -> None:
        """In a thread: the quotes of the sources that changed (reads the store only)."""
        follower = self.follower
        try:
            checks = follower.check(self.screen.store, job) if follower is not None else {}
        except Exception as exc:  # never a crash: one line in the log
            self.screen.app.call_from_thread(self._checks_failed, f"checking quotes: {type(exc).__name__}: {exc}")
            return
        self.screen.app.call_from_thread(self._checked, checks)

    def _checks_failed(self, message: str) -> None:
        self.checking -= 1
        self.failures += 1
        self._say(f"failed: {one_line(message, 200)}")

    def _checked(self, checks) -> None:
        self.checking -= 1
        screen = self.screen
        if self.follower is None or screen.store is None or screen.session is None:
            return
        ids = self.follower.commit_checks(screen.store, checks)
        if ids:
            self._unsaved = True
            screen.session.claims_changed(updated=ids)
            screen.claims.refresh()
            if screen.claims.selected in ids:
                screen._show_detail(screen.claims.selected, force=True)

    def _check_desk(self) -> None:
        """A desk database: fold in colleagues' verdicts, decisions and new claims.

        On the UI thread, on purpose: the store's connection and dicts are the screen's, and
        a look that finds nothing new is one indexed query (about a millisecond)."""
        if self.busy or self.screen.session is None:
            return
        try:
            changes = self.screen.store.refresh()
        except VerifierError as exc:
            self._say(f"desk database: {one_line(str(exc), 200)}")
            return
        if changes.get("verdicts") or changes.get("claims"):
            self._desk_changed(self.screen.session, changes)

    def _desk_changed(self, session, changes: dict) -> None:
        from verifier.triage import STATUS_CODE

        screen = self.screen
        names = {code: status for status, code in STATUS_CODE.items()}
        touched = set(changes.get("verdicts") or ())
        for cid in touched:  # keep the session's counters right without a recount
            row = session._row.get(cid)
            if row is not None:
                old, new = names[int(session._status[row])], screen.store.status(cid)
                if old != new:
                    session._count(cid, old, new)
        if changes.get("claims"):
            self.new_ids.update(changes["claims"])
            self._say(f"{len(changes['claims'])} new claims from the desk")
            self.refresh_view()
        elif touched:
            screen.claims.refresh()
            screen._update_progress()
            if screen.claims.selected in touched:
                screen._show_detail(screen.claims.selected, force=True)

    def _check_file(self) -> None:
        """Read-only: the writer changed the database; load it again in a worker."""
        if self._watch is None or self.busy or not self._watch.changed():
            return
        self.busy = True
        self.screen.run_worker(self._reload, thread=True, exclusive=True, group="follow",
                               exit_on_error=False, description="reload the database")

    def _reload(self) -> None:
        from verifier.store.database import Store

        try:
            store = Store(self.screen.store.path, readonly=True)
        except VerifierError as exc:  # caught mid-write, say: the next change tries again
            self.screen.app.call_from_thread(self._failed, str(exc))
            return
        self.screen.app.call_from_thread(self._reloaded, store)

    def _reloaded(self, store: "Store") -> None:
        self.busy = False
        screen = self.screen
        old = screen.store
        before = set(old.claim_map()) if old is not None else set()
        screen.store = store
        if getattr(screen.app, "store", None) is old:
            screen.app.store = store
        screen.session.store = store
        if old is not None:
            try:
                old.close()  # read-only: no lock to release, only the journal handle
            except VerifierError:
                pass
        added = [c.id for c in store.live_claims() if c.id not in before]
        self.new_ids.update(added)
        self._say(f"the database changed on disk: reloaded, {len(added)} new claims")
        self.refresh_view()

    # ---- showing -------------------------------------------------------------------
    def refresh_view(self, edited_posts: set[str] | None = None, *, added: list[str] | None = None,
                     retired: list[str] | None = None, updated: list[str] | None = None) -> None:
        """The corpus changed under the session: same filters, same claim selected, same row on screen.

        With ``added``/``retired``/``updated`` the session folds those claims in (the cost of the
        change); without, it is rebuilt (another store, a reloaded file). The detail pane is
        drawn again only when the selected claim changed (it was retired) or its post was
        edited: otherwise the reader's place in the post stays."""
        screen = self.screen
        session = screen.session
        claims = screen.claims
        old_view, selected = session.view, claims.selected
        old_row, old_top = claims.cursor, round(claims.scroll_offset.y)
        if added is None and retired is None and updated is None:
            session.corpus_changed(keep_order=True)
        else:
            session.claims_changed(added or [], retired or [], updated or [])
        claims.new_ids = self.new_ids
        row = session.nearest(old_view, selected)
        claims.virtual_size = Size(claims.size.width, len(session.view))
        # rows that arrived above the selected claim push it down: scroll by as much
        claims.scroll_to(y=max(0, old_top + row - old_row), animate=False, immediate=True)
        claims.cursor = max(0, min(row, len(session.view) - 1))
        claims.refresh()
        screen._update_progress()
        now = claims.selected
        edited = bool(now and edited_posts and screen.store.claim_map()[now].post_id in edited_posts)
        if now != selected or edited:
            screen._show_detail(now, force=edited)

    def status_text(self) -> Text | None:
        """For the progress line: the count of new claims, and failures."""
        if self._follower is None and self._watch is None and not self.new_ids and not self.failures:
            return None
        t = Text()
        if self.new_ids:
            t.append(f"  +{len(self.new_ids)} new", style="bold")
        following = len(self._follower.active()) if self._follower else 0
        if following:
            t.append(f"  following {following}", style="dim")
        if self.failures:
            t.append(f"  {self.failures} fetch failures (l)", style="dim")
        return t if t.plain else None

    def render_log(self) -> Text:
        t = Text()
        if self._follower is not None:
            for f in self._follower.active():
                t.append("following ", style="bold")
                t.append(f"{one_line(f['target'], 100)}  every {f['every']:g} s, last read {f.get('last_ok') or 'never'}\n")
        elif self._watch is not None:
            t.append("read-only: the list reloads when the database changes on disk\n", style="bold")
        if not self.log:
            t.append("nothing yet: F follows a live blog, a feed or a file\n", style="dim")
        for line in self.log:
            t.append(line + "\n", style="red" if " failed: " in line or " not stored: " in line else "")
        return t

    def _say(self, line: str) -> None:
        self.log.append(time.strftime("%H:%M:%S ") + line)

    # ---- saving ---------------------------------------------------------------------
    def save(self) -> None:
        if not self._unsaved or self.screen.store is None or self.screen.readonly:
            return
        try:
            self.screen.store.save()
        except VerifierError as exc:
            self._failed(f"saving: {exc}")
            return
        self._unsaved = False
        self._saved_at = time.monotonic()

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("follow: a live blog, feed or file", "new posts arrive as you work (F)",
                            self.screen.action_follow)
        yield SystemCommand("view: follow log", "followed sources, new posts, failures (l)",
                            self.screen.action_follow_log)


DESK_POLL = 0.5  # seconds between looks at a desk database: a colleague's verdict shows within 1 s


def parse_source(value: str) -> tuple[str, float]:
    """'URL' or 'URL 30' (seconds between fetches)."""
    parts = value.strip().rsplit(None, 1)
    if len(parts) == 2:
        try:
            return parts[0], float(parts[1])
        except ValueError:
            pass
    from verifier.follow.follower import DEFAULT_EVERY

    return value.strip(), DEFAULT_EVERY


class FollowActions:
    """Mixed into the main screen: the two keys and their actions."""

    following: Following

    def action_follow(self) -> None:
        from verifier.tui.dialogs import PromptScreen

        def done(value: str | None) -> None:
            if value and value.strip():
                self.following.add_source(*parse_source(value))

        self.app.push_screen(PromptScreen("Follow: a live-blog or feed URL, or a file path "
                                          "(then seconds between fetches, default 60)"), done)

    def action_follow_log(self) -> None:
        self.app.push_screen(FollowLogScreen(self.following))
