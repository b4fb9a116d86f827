"""The workbench on a desk database: the main screen over a DeskSession (verifier/desk_session.py).

The list pages claims from the server as they scroll into view; filters and
`/` search are indexed queries (a search's queries run in a worker); tags are
committed events, drawn once acknowledged; colleagues' verdicts, assignments
and new claims are looked for every DESK_POLL seconds and redraw only the rows
on screen and the counters. Assignment: `m` cycles the filter mine /
unassigned, `@` assigns the selected claim (or its cluster) to you or to a
named colleague; the assignee shows in the list and in the detail pane.
"""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual import work
from textual.app import SystemCommand
from textual.binding import Binding

from verifier.desk_session import ASSIGNED, DeskSession
from verifier.errors import VerifierError
from verifier.text import one_line, printable
from verifier.tui.follow import Following
from verifier.tui.main_screen import MainScreen

DESK_POLL = 0.25  # seconds between looks for colleagues' work: a tag shows in another workbench well within 1 s
COUNT_AFTER = 0.5  # seconds a list shown with an estimated length stays before its exact count starts

DESK_BINDINGS = [
    Binding("m", "cycle_assigned", "Mine", id="filter_assigned",
            tooltip="cycle the assignment filter: claims assigned to me, unassigned claims (desk database)"),
    Binding("at", "assign", "Assign", id="assign",
            tooltip="assign the selected claim, or its cluster, to me or to a colleague (desk database)"),
]


class DeskLive(Following):
    """In place of following sources (a desk workbench leaves that to `verifier follow`):
    takes colleagues' work in, a few indexed queries every DESK_POLL seconds."""

    def __init__(self, screen: "DeskMainScreen") -> None:
        super().__init__(screen)
        self.new_count = 0

    def attach(self, store, readonly: bool) -> None:
        self.screen.set_interval(DESK_POLL, self.poll, name="desk-poll")

    def poll(self) -> None:
        screen = self.screen
        session = screen.session
        if session is None or self.busy:
            return
        try:
            got = session.poll()
        except VerifierError as exc:
            self._say(f"desk database: {one_line(str(exc), 200)}")
            return
        if got["new"]:
            self.new_count += len(got["new"])
        rows = got["rows"]
        claims = screen.claims
        if rows or got["counters"]:
            top = round(claims.scroll_offset.y)
            view = session.view
            shown = view.loaded()
            if any(shown.get(cid, -1) in range(top, top + claims.size.height) for cid in rows):
                claims.refresh()  # only the lines on screen are drawn again
            screen._update_progress()
            if claims.selected in rows:
                screen._show_detail(claims.selected, force=True)

    def status_text(self) -> Text | None:
        if not self.new_count:
            return None
        return Text(f"  +{self.new_count} new on the desk (escape lists them)", style="bold")

    def save(self) -> None:
        """Every verdict and assignment is committed when made: nothing to save."""

    def commands(self) -> Iterable[SystemCommand]:
        return ()


class DeskMainScreen(MainScreen):
    BINDINGS = DESK_BINDINGS

    session: DeskSession | None  # type: ignore[assignment]

    def __init__(self, db_path: str, config) -> None:
        super().__init__(db_path, config)
        self.following = DeskLive(self)
        self._count_timer = None  # a list shown before counted: its count starts when this fires
        self._counting = False  # a count worker is waiting for the server

    # ---- what a desk workbench offers -------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is not None and action in self.session.unavailable:
            return None
        if action == "assign" and (self.readonly or self.session is None):
            return None
        if action == "cycle" and parameters == ("checked",):  # the fact-check library is not read here
            return None
        return super().check_action(action, parameters)

    def _update_progress(self, note: str | None = None) -> None:
        session = self.session
        if session is not None:
            extra = []
            if session.assigned:
                extra.append(f"assigned: {session.assigned}")
            if session.view.uncounted:  # shown before counted: the planner's estimate, the count follows
                extra.append(f"about {len(session.view):,}, counting …")
            if note:
                extra.append(note)
            note = "  ".join(extra) or None
        super()._update_progress(note)

    def header(self, claim, styles, conflicted) -> Text:
        """The detail pane's header, with who the claim is assigned to."""
        out = super().header(claim, styles, conflicted)
        a = self.store.assignments.get(claim.id) if self.store is not None else None
        if a is None and self.store is not None and claim.cluster_id:
            a = self.store.assignments.get(claim.cluster_id)
        out.append("\nAssigned ", style=styles["label"])
        if a is None:
            out.append("nobody", style=styles["dim"])
        else:
            out.append(printable(a["assignee"]))
            what = "with its cluster, " if a.get("kind") == "cluster" else ""
            out.append(f"  ({what}by {printable(a.get('by') or '?')} "
                       f"{printable((a.get('at') or '')[:16].replace('T', ' '))})", style=styles["dim"])
        return out

    # ---- filters ------------------------------------------------------------------------
    def action_cycle_assigned(self) -> None:
        if self.session is None:
            return
        order = [None, *ASSIGNED]
        self.session.set_assigned(order[(order.index(self.session.assigned) + 1) % len(order)])
        self._apply_view()

    def set_assigned(self, value: str | None) -> None:
        if self.session is not None:
            self.session.set_assigned(value)
            self._apply_view()

    def action_clear(self) -> None:
        box = self.query_one("#filter")
        if self.session is not None and not box.has_class("visible") and not self.session.marked:
            self.session.set_assigned(None)
            self.following.new_count = 0
        super().action_clear()

    def _apply_view(self) -> None:
        if self._count_timer is not None:
            self._count_timer.stop()
            self._count_timer = None
        self._stop_count()  # the last list's count: nobody waits for it now
        super()._apply_view()
        view = self.session.view if self.session is not None else None
        if view is not None and view.uncounted:
            # counted once the person stays on the list a moment (a count of 100,000 hits is a second
            # of the server's work): a quick next search or filter does not start one in vain
            def count() -> None:
                self._count_timer = None
                if self.session is not None and self.session.view is view:
                    self._count_worker(view)

            self._count_timer = self.set_timer(COUNT_AFTER, count)

    def action_filter(self) -> None:
        self._stop_count()  # a new search is coming: the server stops counting the last one
        super().action_filter()

    def _stop_count(self) -> None:
        """Stop a count the server is running for a worker (a cancel request: only when one runs)."""
        if self._counting and self.session is not None:
            self.session.store.cancel("count")

    @work(thread=True, exclusive=True, group="count", exit_on_error=False, description="count")
    def _count_worker(self, view) -> None:
        """A list shown before it was counted: its length, then the scroll bar and the progress line."""
        from verifier.store.postgres import Cancelled

        self._counting = True
        try:
            with self.session.store.background("count"):  # its own connection: a search never waits for it
                self.session.count_later(view)
        except Cancelled:
            return
        finally:
            self._counting = False
        self.app.call_from_thread(self._counted, view)

    def _counted(self, view) -> None:
        if self.session is None or self.session.view is not view:
            return
        claims = self.claims
        cursor = claims.cursor
        claims.reload(min(cursor, max(0, len(view) - 1)))
        self._update_progress()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="search")
    def _search_worker(self, text: str) -> None:
        """The search's queries (its plan, the count and the first page) off the UI thread."""
        session = self.session
        self._stop_count()  # a count of the last search's hits would hold the server
        with session.store.background("search"):  # its own connection: tags and polls go on meanwhile
            hits = session.search(text)
            q = session.query(text, hits)
            view = session.build(q)
        self.app.call_from_thread(self._desk_search_done, text, hits, q, view)

    def _desk_search_done(self, text: str, hits, q, view) -> None:
        self.session.set_text(text, hits)
        self.session.offer(q, view)
        self._apply_view()

    def db_label(self) -> str:
        """The server's address, never its password."""
        from verifier.store.postgres import redacted

        return redacted(self.db_path)

    # ---- export ------------------------------------------------------------------------------
    def export_folder(self) -> str:
        """The desk database is a server: the export goes to the folder the workbench runs in."""
        import os

        return os.getcwd()

    def export_text(self, fmt: str) -> str:
        """The whole desk database, read by a store of the worker's own (the workbench's store
        holds only the pages it has shown), as `verifier --db URL export` writes it."""
        from verifier.export import render
        from verifier.store.postgres import PostgresStore

        with PostgresStore(self.db_path, readonly=True) as whole:
            return render(whole, fmt, self.config)

    # ---- assignment --------------------------------------------------------------------------
    def assign(self, who: str | None, cluster: bool = False) -> None:
        cid = self.claims.selected
        if cid is None or self.session is None or self.readonly:
            return
        try:
            target = self.session.assign(cid, who, cluster=cluster)
        except (VerifierError, ValueError) as exc:
            self.notify(f"not assigned: {exc}", severity="error")
            return
        rows = self.session.cluster_of(cid) if cluster else [cid]
        self._redraw(rows)
        what = f"cluster of {len(rows)} claims" if cluster else "claim"
        self.notify(f"{what} {'unassigned' if who is None else 'assigned to ' + one_line(who, 40)}")
        if target and self.session.assigned:  # the filter may no longer hold it: the list says so at once
            self._update_progress()

    def action_assign(self) -> None:
        from verifier.tui.dialogs import PromptScreen

        if self.session is None or self.claims.selected is None:
            return
        me = self.session.me

        def done(value: str | None) -> None:
            if value is None:
                return
            value = value.strip()
            cluster = value.startswith("cluster")
            if cluster:
                value = value[len("cluster"):].strip(" :")
            self.assign(None if value == "-" else (value or me), cluster=cluster)

        self.app.push_screen(PromptScreen(
            f"Assign to (empty: you, {me}; '-': nobody; 'cluster NAME': the whole cluster)"), done)

    def commands(self) -> Iterable[SystemCommand]:
        if self.session is None:
            return
        for cmd in super().commands():
            if not any(w in cmd.title for w in ("links:", "sort:",
                                                "mark: every", "follow:")):
                yield cmd
        me = self.session.me
        yield SystemCommand("assign: to me", f"give the selected claim to {me} (@)", lambda: self.assign(me))
        yield SystemCommand("assign: cluster to me", "give the selected claim's cluster to me",
                            lambda: self.assign(me, cluster=True))
        yield SystemCommand("assign: to a colleague", "name who (@)", self.action_assign)
        yield SystemCommand("assign: nobody", "unassign the selected claim", lambda: self.assign(None))
        yield SystemCommand("filter: mine", "claims assigned to me, or their cluster (m)",
                            lambda: self.set_assigned("mine"))
        yield SystemCommand("filter: unassigned", "claims nobody has (m)", lambda: self.set_assigned("unassigned"))
