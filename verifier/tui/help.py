"""The ? screen: every key, generated from the bindings so it cannot drift from them.

Each row shows the key(s) as the keymap has them, what the key does, and the
binding id to use in verifier.toml [keymap] to change it.
"""

from __future__ import annotations

from typing import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from verifier.models import VERDICTS


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help_close")]

    def __init__(self, sections: list[tuple[str, list[BindingType]]],
                 label: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.sections = sections
        self.label = label

    def describe(self, b: Binding) -> str:
        text = b.tooltip or b.description
        if self.label and any(f"tag('{v}')" in b.action for v in VERDICTS):  # the desk's own verdict names
            status = b.action.split("tag('", 1)[1][:-2]
            return f"{self.label(status)}: {text}"
        return text

    def _keys(self, binding: Binding) -> str:
        keymap = getattr(self.app, "_keymap", {}) or {}
        keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
        return " / ".join(self.app.get_key_display(Binding(k.strip(), binding.action)) for k in keys.split(","))

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim", no_wrap=True)
        for title, bindings in self.sections:
            table.add_row(Text(title, style="bold underline"), "", Text("keymap id", style="dim"))
            for b in bindings:
                if isinstance(b, Binding):
                    table.add_row(self._keys(b), Text(self.describe(b)), b.id or "")
            table.add_row("", "", "")
        table.add_row("^p", "command palette: every action by name", "")
        self.table = table
        with VerticalScroll():
            yield Static("verifier: keys (change them in verifier.toml [keymap])", classes="title", markup=False)
            yield Static(table)
