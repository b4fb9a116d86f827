"""The triage workbench: a thin Textual layer over TriageSession and the store."""

from __future__ import annotations

import gc
import json
import os
from typing import Iterable

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from verifier.config import load_config
from verifier.errors import LockedError, VerifierError
from verifier.export import render
from verifier.quotecheck.align import CLASSES as QUOTE_CLASSES
from verifier.models import CLAIM_KINDS, STATUSES
from verifier.store.atomic import atomic_write
from verifier.stats import compute as compute_stats
from verifier.store.database import Store
from verifier.text import one_line
from verifier.triage import SORTS, Filters, TriageSession
from verifier.tui.claim_list import ClaimList
from verifier.tui.detail import claim_detail
from verifier.tui.export_dialog import ExportScreen
from verifier.tui.help import HelpScreen
from verifier.tui.posts_view import PostsScreen
from verifier.tui.prompt import PromptScreen
from verifier.tui.stats_view import StatsScreen

TAG_KEYS = {"sourced": "s", "unverified": "u", "disputed": "d", "unreviewed": "r"}


class VerifierApp(App[None]):
    TITLE = "verifier"
    CSS = """
    #progress { height: 1; background: $boost; padding: 0 1; }
    #main { height: 1fr; }
    ClaimList { width: 3fr; border: round $primary-darken-2; }
    ClaimList:focus { border: round $accent; }
    #detail-scroll { width: 2fr; border: round $primary-darken-2; padding: 0 1; }
    #filter { dock: bottom; display: none; }
    #filter.visible { display: block; }
    """
    BINDINGS = [
        Binding("s", "tag('sourced')", "Sourced", id="tag.sourced", tooltip="the claim is sourced; move on"),
        Binding("u", "tag('unverified')", "Unverified", id="tag.unverified",
                tooltip="the claim is unverified; move on"),
        Binding("d", "tag('disputed')", "Disputed", id="tag.disputed", tooltip="the claim is disputed; move on"),
        Binding("r", "tag('unreviewed')", "Reset", id="tag.unreviewed", tooltip="back to unreviewed"),
        Binding("c", "tag_cluster", "Cluster", id="tag.cluster",
                tooltip="give this claim's verdict to every claim of its cluster"),
        Binding("n", "note", "Note", id="annotate.note", tooltip="edit the note"),
        Binding("e", "evidence", "Evidence", id="annotate.evidence", tooltip="add a URL or a line of evidence"),
        Binding("z", "undo", "Undo", id="undo", tooltip="undo the last change, many steps deep"),
        Binding("slash", "filter", "Filter", id="filter.text", tooltip="filter by text (fuzzy)"),
        Binding("f", "cycle_status", "Status", id="filter.status", tooltip="cycle the status filter"),
        Binding("y", "cycle_kind", "Kind", id="filter.kind", tooltip="cycle the kind filter"),
        Binding("p", "speaker", "Speaker", id="filter.speaker", tooltip="filter by speaker"),
        Binding("o", "cycle_sort", "Sort", id="sort", tooltip="sort by check-worthiness, time or speaker"),
        Binding("v", "cycle_quote_check", "Quotes", id="filter.quote",
                tooltip="cycle the quote check filter: verbatim, minor, partial, altered, not found"),
        Binding("t", "stats", "Stats", id="view.stats", tooltip="bar charts of verdicts and claims over time"),
        Binding("x", "export", "Export", id="export", tooltip="export verdicts: JSON, ClaimReview, CSV, Markdown"),
        Binding("escape", "clear_filters", "Clear", show=False, id="filter.clear", tooltip="clear every filter"),
        Binding("question_mark", "help", "Help", id="help", tooltip="this help"),
        Binding("q", "quit", "Quit", id="quit", tooltip="quit (every verdict is already on disk)"),
    ]

    def __init__(self, db_path: str) -> None:
        super().__init__()
        self.db_path = db_path
        self.readonly = False
        try:
            self.store = Store(db_path)
        except LockedError:
            self.store = Store(db_path, readonly=True)
            self.readonly = True
        filters, sort = self._restore_state()
        self.session = TriageSession(self.store, filters=filters, sort=sort)
        self._could_undo = False

    # ---- layout ------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with Horizontal(id="main"):
            yield ClaimList(self.session, id="claims")
            with VerticalScroll(id="detail-scroll"):
                yield Static(id="detail")
        yield Input(placeholder="filter claims (fuzzy); enter to apply, escape to clear", id="filter")
        yield Footer()

    def on_mount(self) -> None:
        claims = self.query_one(ClaimList)
        claims.reload(keep=self._saved_selection)
        claims.focus()
        self._update_progress()
        self._show_detail(claims.selected)
        # Textual's start-up objects join the frozen corpus (see store/tinystorage.py):
        # a full collection then walks only what the session creates, not 80 ms of heap.
        self.call_after_refresh(gc.freeze)
        if self.readonly:
            self.notify("Another verifier has this database open: read-only.", severity="warning", timeout=8)

    # ---- state kept across runs -----------------------------------------------
    @property
    def _state_path(self) -> str:
        return self.db_path + ".ui.json"

    def _restore_state(self) -> tuple[Filters, str]:
        """Filters and sort from the last run, read before the first view is built."""
        self._saved_selection = None
        f, sort = Filters(), SORTS[0]
        try:
            with open(self._state_path, encoding="utf-8") as fh:
                state = json.load(fh)
            f.text = state.get("text") if isinstance(state.get("text"), str) else ""
            f.status = state.get("status") if state.get("status") in STATUSES else None
            f.kind = state.get("kind") if state.get("kind") in CLAIM_KINDS else None
            f.speaker = state.get("speaker") if isinstance(state.get("speaker"), str) else None
            f.quote = state.get("quote") if state.get("quote") in QUOTE_CLASSES else None
            sort = state.get("sort") if state.get("sort") in SORTS else sort
            self._saved_selection = state.get("selected")
        except (OSError, ValueError, AttributeError):
            pass  # no state yet, or damaged: start fresh
        return f, sort

    def _save_state(self) -> None:
        if self.readonly:
            return
        f = self.session.filters
        state = {"selected": self.query_one(ClaimList).selected, "text": f.text, "status": f.status,
                 "kind": f.kind, "speaker": f.speaker, "quote": f.quote, "sort": self.session.sort}
        try:
            atomic_write(self._state_path, json.dumps(state).encode())
        except VerifierError:
            pass  # losing the cursor position is not worth an error

    # ---- display --------------------------------------------------------------
    def _update_progress(self) -> None:
        p = self.session.progress()
        reviewed = p["total"] - p["unreviewed"]
        f = self.session.filters
        t = Text()
        t.append(f"reviewed {reviewed}/{p['total']}", style="bold")
        t.append(f"   sourced {p['sourced']}", style="green")
        t.append(f"   unverified {p['unverified']}", style="yellow")
        t.append(f"   disputed {p['disputed']}", style="red")
        t.append(f"   showing {len(self.session.view)}  sort: {self.session.sort}", style="dim")
        for name in ("status", "kind", "quote"):
            if getattr(f, name):
                t.append(f"  {name}: {getattr(f, name)}", style="dim")
        if f.speaker:
            t.append("  speaker: ", style="dim")
            t.append(one_line(f.speaker, 30))
        if f.text:
            t.append("  text: ", style="dim")
            t.append(f.text)
        if self.readonly:
            t.append("   READ-ONLY", style="bold red")
        self.query_one("#progress", Static).update(t)

    def _show_detail(self, claim_id: str | None) -> None:
        detail = self.query_one("#detail", Static)
        if claim_id is None:
            detail.update(Text("No claims match. Press escape to clear the filters.", style="dim"))
        else:
            text, anchor = claim_detail(self.store, self.store.claims[claim_id])
            detail.update(text)
            # Long posts: bring the highlighted claim into view, a few lines of context above it.
            scroll = self.query_one("#detail-scroll", VerticalScroll)
            width = max(10, scroll.scrollable_content_region.width)
            line = len(text[:anchor].wrap(self.console, width)) - 1
            self.call_after_refresh(scroll.scroll_to, y=max(0, line - 3), animate=False)

    def on_claim_list_selected(self, message: ClaimList.Selected) -> None:
        self._show_detail(message.claim_id)

    def _after_write(self, claim_ids: Iterable[str], detail: bool = True) -> None:
        claims = self.query_one(ClaimList)
        for cid in claim_ids:
            row = self.session.position.get(cid)
            if row is not None:
                claims.refresh_line(row)
        self._update_progress()
        if detail:
            self._show_detail(claims.selected)

    # ---- actions --------------------------------------------------------------
    MAIN_ONLY = {"tag", "tag_cluster", "note", "evidence", "undo", "filter", "cycle_status", "cycle_kind",
                 "speaker", "cycle_sort", "posts", "stats", "export", "clear_filters", "cycle_quote_check"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_ONLY and len(self.screen_stack) > 1:
            return False  # the list's keys are hidden while another view is up
        writes = {"tag", "tag_cluster", "note", "evidence", "undo"}
        if action in writes and self.readonly:
            return None
        if action == "undo" and not self.session.undo_stack:
            return None
        return True

    def _selected(self) -> str | None:
        return self.query_one(ClaimList).selected

    def tag_claims(self, claim_ids: list[str], status: str, detail: bool = True) -> bool:
        """Tag and redraw; True once the change is on disk."""
        if self.readonly:
            return False
        return self._write(lambda: self.session.tag(claim_ids, status), claim_ids, detail)

    def action_tag(self, status: str) -> None:
        cid = self._selected()
        if cid is None:
            return
        claims = self.query_one(ClaimList)
        last = claims.cursor >= len(self.session.view) - 1
        # one key decides and moves on; the move redraws the detail pane
        if self.tag_claims([cid], status, detail=last):
            claims.action_move(1)

    def action_tag_cluster(self) -> None:
        cid = self._selected()
        if cid is None:
            return
        members = self.session.cluster_of(cid)
        status = self.store.verdict(cid).status
        self._write(lambda: self.session.tag(members, status), members)
        self.notify(f"{status}: {len(members)} claims in the cluster")

    def _write(self, change, claim_ids: list[str], detail: bool = True) -> bool:
        try:
            change()  # on disk before anything on screen changes
        except VerifierError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        self._after_write(claim_ids, detail)
        can_undo = bool(self.session.undo_stack)
        if can_undo != self._could_undo:
            # Only when undo appears or disappears: each refresh rebuilds the footer,
            # and doing that per keypress left ~2,000 objects a time for the GC to walk.
            self._could_undo = can_undo
            self.refresh_bindings()
        return True

    def action_undo(self) -> None:
        touched: list[str] = []
        self._write(lambda: touched.extend(self.session.undo()), [])
        self._after_write(touched)

    def action_note(self) -> None:
        cid = self._selected()
        if cid is None:
            return

        def done(value: str | None) -> None:
            if value is not None:
                self._write(lambda: self.session.annotate(cid, note=value), [cid])

        self.push_screen(PromptScreen("Note for this claim", self.store.verdict(cid).note or ""), done)

    def action_evidence(self) -> None:
        cid = self._selected()
        if cid is None:
            return

        def done(value: str | None) -> None:
            if value and value.strip():
                self._write(lambda: self.session.annotate(cid, evidence=value.strip()), [cid])

        self.push_screen(PromptScreen("Add evidence (a URL or a line of text)"), done)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = self.session.filters.text
        box.add_class("visible")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        self.session.filters.text = event.value.strip()
        event.input.remove_class("visible")
        self._apply_view()

    def _apply_view(self) -> None:
        claims = self.query_one(ClaimList)
        keep = claims.selected
        self.session.refresh_view()
        claims.reload(keep=keep)
        claims.focus()
        self._update_progress()
        self._show_detail(claims.selected)

    def _cycle(self, name: str, values: tuple[str, ...]) -> None:
        """Step a filter through off and each of its values."""
        order = [None, *values]
        self._set_filter(name, order[(order.index(getattr(self.session.filters, name)) + 1) % len(order)])

    def action_cycle_status(self) -> None:
        self._cycle("status", STATUSES)

    def action_cycle_kind(self) -> None:
        self._cycle("kind", CLAIM_KINDS)

    def action_cycle_quote_check(self) -> None:
        self._cycle("quote", QUOTE_CLASSES)

    def action_export(self) -> None:
        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            fmt, path = choice
            try:
                text = render(self.store, fmt, load_config(self.db_path))
                atomic_write(path, text.encode("utf-8"))
            except VerifierError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.notify(f"exported {fmt} to {path}")

        self.push_screen(ExportScreen(os.path.dirname(os.path.abspath(self.db_path))), done)

    def action_speaker(self) -> None:
        cid = self._selected()
        current = self.session.filters.speaker or (self.store.claims[cid].speaker if cid else None) or ""

        def done(value: str | None) -> None:
            if value is not None:
                self._set_filter("speaker", value.strip() or None)

        self.push_screen(PromptScreen("Show claims by speaker (part of a name; empty for everyone)", current), done)

    def action_posts(self) -> None:
        cid = self._selected()
        if cid is None:
            return

        def back(claim_id: str | None) -> None:
            claims = self.query_one(ClaimList)
            if claim_id is not None and claim_id in self.session.position:
                claims.cursor = self.session.position[claim_id]
            claims.refresh()
            self._update_progress()
            self._show_detail(claims.selected)

        self.push_screen(PostsScreen(cid), back)

    def action_stats(self) -> None:
        self.push_screen(StatsScreen(compute_stats(self.store)))

    def action_cycle_sort(self) -> None:
        self.session.sort = SORTS[(SORTS.index(self.session.sort) + 1) % len(SORTS)]
        self._apply_view()

    def action_clear_filters(self) -> None:
        self.query_one("#filter", Input).remove_class("visible")
        f = self.session.filters
        f.text, f.status, f.kind, f.speaker, f.quote = "", None, None, None, None
        self._apply_view()

    def action_help(self) -> None:
        self.push_screen(HelpScreen([
            ("Claims list", [*ClaimList.BINDINGS, *self.BINDINGS]),
            ("Posts view (tab)", list(PostsScreen.BINDINGS)),
            ("Stats view (t)", list(StatsScreen.BINDINGS)),
        ]))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for status, key in TAG_KEYS.items():
            yield SystemCommand(f"tag: {status}", f"mark the selected claim {status} ({key})",
                                lambda s=status: self.action_tag(s))
        yield SystemCommand("tag: whole cluster", "give the selected claim's verdict to its cluster (c)",
                            self.action_tag_cluster)
        yield SystemCommand("edit: note", "edit the note (n)", self.action_note)
        yield SystemCommand("edit: evidence", "add evidence (e)", self.action_evidence)
        yield SystemCommand("edit: undo", "undo the last change (z)", self.action_undo)
        for status in STATUSES:
            yield SystemCommand(f"filter: {status}", f"show only {status} claims",
                                lambda s=status: self._set_filter("status", s))
        yield SystemCommand("filter: clear", "show every claim (escape)", self.action_clear_filters)
        for kind in CLAIM_KINDS:
            yield SystemCommand(f"filter: {kind}s", f"show only {kind} claims", lambda k=kind: self._set_filter("kind", k))
        yield SystemCommand("filter: speaker", "show claims by one speaker (p)", self.action_speaker)
        for name, n in self.session.speakers()[:30]:
            yield SystemCommand(f"filter: speaker {one_line(name, 40)}", f"{n} claims",
                                lambda s=name: self._set_filter("speaker", s))
        for qc in QUOTE_CLASSES:
            yield SystemCommand(f"filter: quotes {qc}", f"quotes checked as {qc}", lambda q=qc: self._set_filter("quote", q))
        yield SystemCommand("export: verdicts", "JSON, ClaimReview, CSV or Markdown (x)", self.action_export)
        yield SystemCommand("view: posts", "the live blog as read, claims marked (tab)", self.action_posts)
        yield SystemCommand("view: stats", "bar charts of verdicts and claims over time (t)", self.action_stats)
        for sort in SORTS:
            yield SystemCommand(f"sort: {sort}", f"order claims by {sort}", lambda s=sort: self._set_sort(s))
        yield SystemCommand("help: keys", "every key (?)", self.action_help)

    def _set_filter(self, name: str, value: str | None) -> None:
        setattr(self.session.filters, name, value)
        self._apply_view()

    def _set_sort(self, sort: str) -> None:
        self.session.sort = sort
        self._apply_view()

    async def action_quit(self) -> None:
        self._save_state()
        self.exit()

    def on_unmount(self) -> None:
        try:
            self.store.close()
        except VerifierError as exc:
            self.log.error(str(exc))  # the journal still holds every verdict
