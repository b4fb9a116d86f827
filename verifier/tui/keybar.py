"""The key bar at the bottom: the essential keys that fit, `?` and `q` always.

Textual's Footer lists every shown binding in order and cuts the rest at the
right edge, so at 80 columns help and quit fell off. This bar takes the
screen's active bindings (after the keymap), keeps them in a priority order,
drops what does not fit and always ends with help and quit. One Static: no
widget per key, so redrawing it costs next to nothing.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

ALWAYS = ("help", "quit")


class KeyBar(Static):
    COMPONENT_CLASSES = {"keybar--key", "keybar--label", "keybar--disabled"}
    DEFAULT_CSS = """
    KeyBar > .keybar--key { color: $accent; text-style: bold; }
    KeyBar > .keybar--label { color: $foreground; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """

    def __init__(self, order: tuple[str, ...], describe: Callable[[Binding], str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.order = order  # binding ids, most essential first
        self.describe = describe or (lambda b: b.description)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._rebuild()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._rebuild()

    def on_resize(self) -> None:
        self._rebuild()

    def _items(self) -> list[tuple[str, str, bool, str]]:
        """(key shown, label, enabled, binding id) by priority, one per binding id."""
        found: dict[str, tuple[str, str, bool, str]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            bid = binding.id
            if bid in self.order and bid not in found:
                found[bid] = (self.app.get_key_display(binding), self.describe(binding), enabled, bid)
        return [found[b] for b in self.order if b in found]

    def _rebuild(self) -> None:
        if not self.is_attached:
            return
        items = self._items()
        tail = [i for i in items if i[3] in ALWAYS]
        rest = [i for i in items if i[3] not in ALWAYS]
        width = self.size.width or self.app.size.width
        room = width - sum(self._width(i) for i in tail)
        shown = []
        for item in rest:
            w = self._width(item)
            if w <= room:
                shown.append(item)
                room -= w
        key = self.get_component_rich_style("keybar--key")
        label = self.get_component_rich_style("keybar--label")
        off = self.get_component_rich_style("keybar--disabled")
        out = Text(no_wrap=True, overflow="crop")
        for i, (k, text, enabled, _bid) in enumerate(shown + tail):
            if i and shown and i == len(shown):
                out.append(" " * max(0, room))  # help and quit at the right edge
            out.append(f" {k}", style=key if enabled else off)
            out.append(f" {text} ", style=label if enabled else off)
        self.update(out, layout=False)  # one line, always: a repaint, no layout of the screen

    @staticmethod
    def _width(item: tuple[str, str, bool, str]) -> int:
        return len(item[0]) + len(item[1]) + 3
