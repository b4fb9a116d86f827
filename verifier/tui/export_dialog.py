"""The `x` dialog: pick a format and a path; an existing file is replaced only after a yes."""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from verifier.export import FORMATS
from verifier.tui.dialogs import ConfirmScreen

__all__ = ["ConfirmScreen", "ExportScreen"]

LABELS = {"json": "JSON (verifier-export/1, for colleagues and import)",
          "claimreview": "ClaimReview JSON-LD (schema.org, reviewed claims only)",
          "csv": "CSV (one row per claim, for a spreadsheet)",
          "markdown": "Markdown report (grouped by verdict)"}


class ExportScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (format, path) once the person has agreed to any overwrite."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export_cancel")]

    def __init__(self, directory: str, fmt: str = "json") -> None:
        super().__init__()
        self.directory = directory
        self.fmt = fmt

    def _default_path(self, fmt: str) -> str:
        return os.path.join(self.directory, "verdicts" + FORMATS[fmt])

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export verdicts")
            yield Select([(LABELS[f], f) for f in FORMATS], value=self.fmt, allow_blank=False, id="export-format")
            yield Label("Write to (enter to export, escape to cancel)")
            yield Input(value=self._default_path(self.fmt), id="export-path")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()  # enter exports at once; tab reaches the format

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        old = self._default_path(self.fmt)
        self.fmt = str(event.value)
        if path.value == old:  # follow the format unless the person typed a path
            path.value = self._default_path(self.fmt)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = os.path.expanduser(event.value.strip())
        if not path:
            return
        if os.path.exists(path):
            def answer(yes: bool | None) -> None:
                if yes:
                    self.dismiss((self.fmt, path))

            self.app.push_screen(ConfirmScreen(f"{path} exists. Replace it?"), answer)
            return
        self.dismiss((self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
