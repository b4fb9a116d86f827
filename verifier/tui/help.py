"""The ? screen: every key, generated from the bindings so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; height: auto; max-height: 90%; border: round $accent;
                                  background: $surface; padding: 1 2; }
    """

    def __init__(self, sections: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def _keys(self, binding: Binding) -> str:
        return " / ".join(self.app.get_key_display(Binding(k.strip(), binding.action))
                          for k in binding.key.split(","))

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for title, bindings in self.sections:
            table.add_row(Text(title, style="bold underline"), "")
            for b in bindings:
                if isinstance(b, Binding):
                    table.add_row(self._keys(b), b.tooltip or b.description)
            table.add_row("", "")
        table.add_row("^p", "command palette: every action by name")
        with VerticalScroll():
            yield Static("verifier: keys", classes="title")
            yield Static(table)
