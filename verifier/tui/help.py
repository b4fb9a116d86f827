"""The ? screen: every key, generated from the bindings so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("j / k, ↓ / ↑", "move down / up"), ("g / G", "first / last claim"), ("PgDn / PgUp", "page"),
    ("s", "tag sourced"), ("u", "tag unverified"), ("d", "tag disputed"), ("r", "back to unreviewed"),
    ("c", "give this verdict to the whole cluster"), ("n", "edit the note"), ("e", "add evidence"),
    ("z", "undo (many steps, cluster tags included)"), ("/", "filter by text (fuzzy)"),
    ("f", "cycle status filter"), ("o", "cycle sort: check-worthiness, time, speaker"),
    ("escape", "clear filters"), ("ctrl+p", "command palette"), ("?", "this help"), ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 70; height: auto; max-height: 90%; border: round $accent;
                                  background: $surface; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan")
        table.add_column()
        for key, what in KEYS:
            table.add_row(key, what)
        with VerticalScroll():
            yield Static("verifier: keys", classes="title")
            yield Static(table)
