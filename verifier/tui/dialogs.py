"""Modal dialogs: a one-line prompt, a yes/no question, a multi-line editor (notes,
evidence), the speaker picker and the correction form. Each returns its answer
through dismiss(); none touches the store."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from verifier.models import CLAIM_KINDS
from verifier.text import one_line


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt_cancel")]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, markup=False)
            yield Input(value=self.value, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "answer(True)", "Yes", id="confirm_yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm_no")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, markup=False)
            yield Label("y: yes   n: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TextEditScreen(ModalScreen[str | None]):
    """Several lines of text: a note, or evidence one item per line."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="edit_save", priority=True),
                Binding("escape", "cancel", "Cancel", id="edit_cancel")]

    def __init__(self, title: str, value: str = "", hint: str = "ctrl+s saves, escape cancels") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, markup=False)
            yield TextArea(self.value, id="edit-text", soft_wrap=True, show_line_numbers=False)
            yield Label(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SpeakerPicker(ModalScreen[str | None]):
    """Speakers with their claim counts, narrowed fuzzily as you type (like the palette).

    Returns the chosen name, "" for everyone, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="speaker_cancel"),
                Binding("down", "cursor(1)", show=False, id="speaker_down"),
                Binding("up", "cursor(-1)", show=False, id="speaker_up")]
    SHOWN = 200

    def __init__(self, speakers: list[tuple[str, int]], current: str = "") -> None:
        super().__init__()
        self.speakers = speakers
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Show claims by speaker: type to narrow, enter picks, empty + enter for everyone",
                        markup=False)
            yield Input(value=self.current, id="speaker-input")
            yield OptionList(id="speaker-options")

    def on_mount(self) -> None:
        self._fill(self.current)
        self.query_one(Input).focus()

    def _fill(self, q: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if q.strip():
            names = [s for s, _ in self.speakers]
            found = process.extract(q, names, scorer=fuzz.WRatio, processor=str.lower, limit=self.SHOWN,
                                    score_cutoff=60)
            counts = dict(self.speakers)
            rows = [(name, counts[name]) for name, _, _ in found]
        else:
            rows = self.speakers[: self.SHOWN]
        options.add_options(Option(f"{one_line(name, 50)}  ({n})", id=f"s{i}") for i, (name, n) in enumerate(rows))
        self._rows = rows
        if rows:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self._rows:
            options.highlighted = max(0, min(len(self._rows) - 1, (options.highlighted or 0) + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if not event.value.strip():
            self.dismiss("")
        elif self._rows and options.highlighted is not None:
            self.dismiss(self._rows[options.highlighted][0])
        else:
            self.dismiss(event.value.strip())  # no such speaker: a part of a name

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._rows[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class CorrectScreen(ModalScreen[dict[str, str | None] | None]):
    """Correct who said it (speaker, role) and what kind of claim it is."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="correct_cancel"),
                Binding("ctrl+s", "save", "Save", id="correct_save", priority=True)]

    def __init__(self, speaker: str | None, role: str | None, kind: str) -> None:
        super().__init__()
        self.values = {"speaker": speaker, "role": role, "kind": kind}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Correct this claim (kept across re-ingest and re-linking)")
            yield Label("Speaker")
            yield Input(value=self.values["speaker"] or "", id="correct-speaker")
            yield Label("Role")
            yield Input(value=self.values["role"] or "", id="correct-role")
            yield Label("Kind")
            yield Select([(k, k) for k in CLAIM_KINDS], value=self.values["kind"], allow_blank=False,
                         id="correct-kind")
            yield Label("enter or ctrl+s saves, escape cancels, tab moves", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#correct-speaker", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        new = {"speaker": self.query_one("#correct-speaker", Input).value.strip() or None,
               "role": self.query_one("#correct-role", Input).value.strip() or None,
               "kind": str(self.query_one("#correct-kind", Select).value)}
        self.dismiss({k: v for k, v in new.items() if v != self.values[k]})

    def action_cancel(self) -> None:
        self.dismiss(None)
