"""The triage workbench: the App opens the database in a worker, loads the keymap and
the desk's labels from verifier.toml, and shows the MainScreen; help and quit are
the only keys it owns. Views never import this module: they get what they need
(the session, a tag callback) when they are built.
"""

from __future__ import annotations

import gc
import json
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from verifier.config import Config, load_config
from verifier.errors import LockedError, VerifierError
from verifier.models import CLAIM_KINDS, STATUSES
from verifier.quotecheck.classes import CLASSES as QUOTE_CLASSES
from verifier.store.atomic import atomic_write
from verifier.store.database import Store
from verifier.store.tinystorage import gc_paused
from verifier.triage import SORTS, Filters, TriageSession
from verifier.tui.claim_list import ClaimList
from verifier.tui.help import HelpScreen
from verifier.tui.main_screen import MainScreen


def is_desk(path: str | None) -> bool:
    """verifier.desk_session.is_desk (a postgresql:// address), without importing the desk
    session for a file: it brings the PostgreSQL backend and psycopg, ~0.7 s of start-up."""
    return str(path or "").startswith(("postgresql://", "postgres://"))


class VerifierApp(App[None]):
    TITLE = "verifier"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", tooltip="every key, and its keymap id"),
        Binding("q", "quit", "Quit", id="quit", tooltip="quit (every verdict is already on disk)"),
    ]

    def __init__(self, db_path: str, config: Config | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.error: VerifierError | None = None
        try:
            self.config = config or load_config(db_path)
        except VerifierError as exc:
            self.error = exc
            self.config = Config()
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if is_desk(db_path):  # a desk's database: the list is paged from the server (verifier/tui/desk.py)
            from verifier.tui.desk import DeskMainScreen

            self.main = DeskMainScreen(db_path, self.config)
        else:
            self.main = MainScreen(db_path, self.config)
        self.store: Store | None = None
        self.session: TriageSession | None = None
        self.readonly = False

    def get_default_screen(self) -> Screen:
        return self.main

    def on_mount(self) -> None:
        if self.error is not None:
            self.exit(return_code=self.error.exit_code)
            return
        self._open()

    # ---- opening, off the UI thread ---------------------------------------------------------
    @work(thread=True, exclusive=True, group="open", exit_on_error=False, description="open the database")
    def _open(self) -> None:
        readonly = False
        try:
            if is_desk(self.db_path):  # nothing loaded at open: pages come from the server
                from verifier.desk_session import open_desk

                filters, sort, selected = self._restore_state()
                store, session = open_desk(self.db_path, filters=filters, sort=sort)
                self.call_from_thread(self._opened, store, session, readonly, selected)
                return
            try:
                store = Store(self.db_path)  # a claims.json file (what open_store opens for one)
            except LockedError:
                store, readonly = Store(self.db_path, readonly=True), True
            filters, sort, selected = self._restore_state()
            with gc_paused():  # 100,000s of list items and strings: no collections halfway
                session = TriageSession(store, filters=filters, sort=sort)
        except VerifierError as exc:
            self.error = exc
            self.call_from_thread(self.exit, return_code=exc.exit_code)
            return
        self.call_from_thread(self._opened, store, session, readonly, selected)

    def _opened(self, store: Store, session: TriageSession, readonly: bool, selected: str | None) -> None:
        self.store, self.session, self.readonly = store, session, readonly
        self.main.loaded(store, session, readonly, selected)
        # Textual's start-up objects and the corpus join the frozen generation (see
        # store/tinystorage.py): a full collection then walks only what the session creates.
        self.call_after_refresh(gc.freeze)
        # Drawing a frame allocates tens of thousands of small objects: with the default
        # threshold (700) the collector ran ~40 times a keypress. Fewer, larger young
        # collections; full ones rarely (the corpus is frozen out of them anyway).
        gc.set_threshold(10_000, 20, 20)
        self.call_after_refresh(self._warm_index)  # after the claims are drawn: the warm-up competes for the GIL

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="search index")
    def _warm_index(self) -> None:
        """Lowercased texts now, so the first search does not pay for them."""
        if self.session is not None:
            self.session.warm()
            # what the warm-up built (the search index, sort orders) lives as long as the
            # session: out of the collector's view too, or every full collection walks it
            self.call_from_thread(gc.freeze)

    # ---- state kept across runs ------------------------------------------------------------------
    @property
    def _state_path(self) -> str:
        if is_desk(self.db_path):
            from verifier.desk_session import state_path

            return state_path(self.db_path)
        return self.db_path + ".ui.json"

    def _restore_state(self) -> tuple[Filters, str, str | None]:
        """Filters, sort and selected claim from the last run."""
        f, sort, selected = Filters(), SORTS[0], None
        try:
            with open(self._state_path, encoding="utf-8") as fh:
                state = json.load(fh)
            f.text = state.get("text") if isinstance(state.get("text"), str) else ""
            f.status = state.get("status") if state.get("status") in STATUSES else None
            f.kind = state.get("kind") if state.get("kind") in CLAIM_KINDS else None
            f.speaker = state.get("speaker") if isinstance(state.get("speaker"), str) else None
            f.quote = state.get("quote") if state.get("quote") in QUOTE_CLASSES else None
            sort = state.get("sort") if state.get("sort") in SORTS else sort
            selected = state.get("selected") if isinstance(state.get("selected"), str) else None
        except (OSError, ValueError, AttributeError):
            pass  # no state yet, or damaged: start fresh
        return f, sort, selected

    def _save_state(self) -> None:
        if self.readonly or self.session is None:
            return
        f = self.session.filters
        state = {"selected": self.main.query_one(ClaimList).selected, "text": f.text, "status": f.status,
                 "kind": f.kind, "speaker": f.speaker, "quote": f.quote, "sort": self.session.sort}
        try:
            atomic_write(self._state_path, json.dumps(state).encode())
        except VerifierError:
            pass  # losing the cursor position is not worth an error

    # ---- global keys --------------------------------------------------------------------------
    def action_help(self) -> None:
        from verifier.tui.posts_view import PostsScreen
        from verifier.tui.stats_view import StatsScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen([
            ("Claims list", [*ClaimList.BINDINGS, *MainScreen.BINDINGS,
                             *(type(self.main).BINDINGS if type(self.main) is not MainScreen else []), *self.BINDINGS]),
            ("Posts view (tab)", list(PostsScreen.BINDINGS)),
            ("Stats view (t)", list(StatsScreen.BINDINGS)),
        ], label=self.config.label))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is self.main:
            yield from self.main.commands()
        yield SystemCommand("help: keys", "every key (?)", self.action_help)

    async def action_quit(self) -> None:
        self._save_state()
        self.exit()

    def on_unmount(self) -> None:
        if self.store is None:
            return
        try:
            self.main.following.save()  # posts from followed sources, with their sources' state
            self.store.close()
        except VerifierError as exc:
            self.log.error(str(exc))  # the journal still holds every verdict
