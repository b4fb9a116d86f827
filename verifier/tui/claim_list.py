"""The claims list: a ScrollView that renders only the lines on screen (Toolong's pattern).

A Textual DataTable needs seconds to show 100,000 rows; here each keypress
redraws at most a screenful of lines.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from verifier.text import one_line
from verifier.triage import TriageSession

STATUS_MARK = {"unreviewed": ("·", "dim"), "sourced": ("S", "bold green"),
               "unverified": ("U", "bold yellow"), "disputed": ("D", "bold red")}


class ClaimList(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="list.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="list.up"),
        Binding("g,home", "jump(0)", "Top", show=False, id="list.top"),
        Binding("G,end", "jump(-1)", "Bottom", show=False, id="list.bottom"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.pageup"),
        # here, not on the app: the screen's own tab (focus next) would win over an app binding
        Binding("tab", "app.posts", "Posts", id="view.posts", tooltip="the live blog as read, claims marked"),
    ]
    cursor = reactive(0, always_update=True)

    class Selected(Message):
        def __init__(self, claim_id: str | None) -> None:
            super().__init__()
            self.claim_id = claim_id

    def __init__(self, session: TriageSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        # Rendered rows by everything that shapes them: a layout change repaints
        # the whole list, and building a row from Rich Text costs ~0.25 ms.
        self._rows: dict[tuple, Strip] = {}

    def reload(self, keep: str | None = None) -> None:
        """After the view changed: resize, keep the selected claim if it is still shown."""
        view = self.session.view
        self.virtual_size = Size(self.size.width, len(view))
        if keep is not None and keep in self.session.position:
            self.cursor = self.session.position[keep]
        else:
            self.cursor = min(self.cursor, max(0, len(view) - 1))
        self.refresh()

    @property
    def selected(self) -> str | None:
        view = self.session.view
        return view[self.cursor] if 0 <= self.cursor < len(view) else None

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region_line(new)
        self.refresh_line(old)
        self.refresh_line(new)
        self.post_message(self.Selected(self.selected))

    def refresh_line(self, index: int) -> None:
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(self.size.region.__class__(0, y, self.size.width, 1))

    def scroll_to_region_line(self, index: int) -> None:
        top = round(self.scroll_offset.y)
        height = max(1, self.size.height)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def action_move(self, delta: int) -> None:
        if self.session.view:
            self.cursor = max(0, min(len(self.session.view) - 1, self.cursor + delta))

    def action_jump(self, where: int) -> None:
        if self.session.view:
            self.cursor = 0 if where == 0 else len(self.session.view) - 1

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        view = self.session.view
        width = self.size.width
        if index >= len(view):
            return Strip.blank(width)
        store = self.session.store
        claim = store.claims[view[index]]
        status = store.status(claim.id)
        highlight = None
        if index == self.cursor:
            highlight = "reverse" if self.has_focus else "underline"
        key = (claim.id, status, claim.cluster_id, highlight, width)
        strip = self._rows.get(key)
        if strip is None:
            if len(self._rows) > 4096:
                self._rows.clear()
            strip = self._rows[key] = self._render_row(claim, status, highlight, width)
        return strip

    def _render_row(self, claim, status: str, highlight: str | None, width: int) -> Strip:
        store = self.session.store
        mark, mark_style = STATUS_MARK[status]
        post = store.posts.get(claim.post_id)
        when = (post.published or "")[11:16] if post else ""
        size = ""
        conflict = " "
        if claim.cluster_id and claim.cluster_id in store.clusters:
            cl = store.clusters[claim.cluster_id]
            size = str(len(cl.claim_ids))
            conflict = "!" if any(claim.id in c.get("claims", []) for c in cl.conflicts) else " "
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {mark} ", style=mark_style)
        line.append(f"{claim.kind[:5]:<5} ", style="cyan")
        line.append(f"{one_line(claim.speaker or '-', 20):<20} ", style="bold")
        line.append(f"{when:>5} ", style="dim")
        line.append(f"{size:>2}", style="magenta")
        line.append(conflict, style="bold red")
        line.append(" ")
        line.append(one_line(claim.text))  # Text(), not markup: "[bold]" stays literal
        line.truncate(width, overflow="ellipsis", pad=True)
        segments = list(line.render(self.app.console))
        if highlight:
            segments = list(Segment.apply_style(segments, post_style=Style.parse(highlight)))
        return Strip(segments).crop(0, width)
