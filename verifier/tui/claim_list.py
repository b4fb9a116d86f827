"""The claims list: a ScrollView that renders only the lines on screen (Toolong's pattern).

A Textual DataTable needs seconds to show 100,000 rows; here each keypress
redraws at most a screenful of lines, and rendered rows sit in an LRU cache.
Colours come from the theme through component classes (see app.tcss).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from verifier.models import Claim
from verifier.text import one_line
from verifier.triage import TriageSession

STATUS_MARK = {"unreviewed": "·", "sourced": "S", "unverified": "U", "disputed": "D", "not-a-claim": "×"}
QUOTE_SHORT = {"verbatim": "verbatim", "minor": "minor", "partial": "partial", "altered": "altered",
               "not found": "not found"}
ROW_CACHE = 1024  # rows kept rendered (~25 screens): each holds ~20 segments the collector walks
WIDE = 90  # list width from which the time, cluster size and quote-check columns show


def _checked_before(store, claim_id: str) -> bool:
    """The fact-check matcher (numpy, bm25) is imported when a claim with matches is drawn,
    not when the workbench starts."""
    from verifier.factchecks.library import checked_before

    return checked_before(store, claim_id)


class ClaimList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "claim-list--unreviewed", "claim-list--sourced", "claim-list--unverified", "claim-list--disputed",
        "claim-list--not-a-claim", "claim-list--kind", "claim-list--speaker", "claim-list--dim",
        "claim-list--size", "claim-list--conflict", "claim-list--annotated", "claim-list--marked",
        "claim-list--cursor", "claim-list--cursor-blurred", "claim-list--quote-good", "claim-list--quote-bad",
        "claim-list--new", "claim-list--checked", "claim-list--suggested",
    }
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="list_down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="list_up"),
        Binding("g,home", "jump(0)", "Top", show=False, id="list_top"),
        Binding("G,end", "jump(-1)", "Bottom", show=False, id="list_bottom"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list_page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list_page_up"),
    ]
    # repaint=False: a move repaints the two lines that changed (watch_cursor), not the whole list
    cursor = reactive(0, always_update=True, repaint=False)

    class Selected(Message):
        def __init__(self, claim_id: str | None) -> None:
            super().__init__()
            self.claim_id = claim_id

    def __init__(self, session: TriageSession | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        # Rendered rows by everything that shapes them; LRU, so scrolling back is free.
        self._rows: OrderedDict[tuple, Strip] = OrderedDict()
        self._styles: dict[str, Style] | None = None
        self.new_ids: set[str] = set()  # claims a followed source brought in this session: "+"
        # called with the selected claim's id when the cursor moves; unset, a Selected message
        # is posted instead (a message bubbling to the screen drew the detail a frame later)
        self.on_selected: Callable[[str | None], None] | None = None
        self._sugg_of: object = None
        self._sugg_len = -1
        self._sugg_ids: set[str] = set()

    # ---- data -------------------------------------------------------------------
    @property
    def view(self) -> list[str]:
        return self.session.view if self.session else []

    def reload(self, row: int | None = None) -> None:
        """After the view changed: resize, put the cursor on row (kept in range)."""
        self.virtual_size = Size(self.size.width, len(self.view))
        target = self.cursor if row is None else row
        self.cursor = max(0, min(target, len(self.view) - 1))
        self.refresh()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Textual's ScrollView compares the virtual size the compositor passes (the visible
        # content's) with its own (every claim's rows): never equal, so every layout of the
        # screen (a detail pane growing by a line) refreshed and redrew the scroll bar, ~5 ms.
        # Only a real change of size or of the number of rows goes through.
        key = (size, container_size, self.virtual_size)
        if key == getattr(self, "_sized_for", None):
            return False
        self._sized_for = key
        return super()._size_updated(size, virtual_size, container_size, layout)

    def select(self, claim_id: str) -> bool:
        row = self.session.row_of(claim_id) if self.session else None
        if row is None:
            return False
        self.cursor = row
        return True

    @property
    def selected(self) -> str | None:
        view = self.view
        return view[self.cursor] if 0 <= self.cursor < len(view) else None

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region_line(new)
        self.refresh_line(old)
        self.refresh_line(new)
        if self.on_selected is not None:  # the screen's handler, at once: list and detail in one frame
            self.on_selected(self.selected)
        else:
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

    # ---- keys -------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        if self.view:
            self.cursor = max(0, min(len(self.view) - 1, self.cursor + delta))

    def action_jump(self, where: int) -> None:
        if self.view:
            self.cursor = 0 if where == 0 else len(self.view) - 1

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    # ---- drawing ------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Focus changes land here too (the border's colour): the styles are read again,
        # but cached rows stay; they are keyed by theme, so a theme change redraws them.
        self._styles = None

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {c.removeprefix("claim-list--"): self.get_component_rich_style(c, partial=True)
                            for c in self.COMPONENT_CLASSES}
        return self._styles[name]

    def _suggested(self) -> set[str]:
        """Claims with a suggested link waiting for a person (rebuilt when linking replaces the list)."""
        assert self.session is not None
        sugg = self.session.store.suggestion_list()
        if self._sugg_of is not sugg or self._sugg_len != len(sugg):
            self._sugg_of, self._sugg_len = sugg, len(sugg)
            self._sugg_ids = {x for s in sugg for x in (s.get("a"), s.get("b")) if x}
        return self._sugg_ids

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        view = self.view
        width = self.size.width
        if index >= len(view) or self.session is None:
            return Strip.blank(width, self.rich_style)
        store = self.session.store
        claim = store.claim_map()[view[index]]
        v = store.verdict_map().get(claim.id)
        status = v.status if v is not None else "unreviewed"
        annotated = bool(v is not None and (v.note or v.evidence))
        highlight = None
        if index == self.cursor:
            highlight = "cursor" if self.has_focus else "cursor-blurred"
        marked = claim.id in self.session.marked
        flag = ("+" if claim.id in self.new_ids
                else "=" if claim.id in store.factcheck_match_map() and _checked_before(store, claim.id)
                else "~" if claim.id in self._suggested() else " ")
        # a desk session knows who each claim is assigned to (verifier/desk_session.py): a column
        assignee = self.session.assignee(claim.id) if hasattr(self.session, "assignee") else None
        key = (claim.id, status, annotated, marked, claim.speaker, claim.kind, highlight, width, self.app.theme,
               flag, assignee)
        strip = self._rows.get(key)
        if strip is None:
            strip = self._render_row(claim, status, annotated, marked, highlight, width, flag, assignee)
            self._rows[key] = strip
            if len(self._rows) > ROW_CACHE:
                self._rows.popitem(last=False)
        else:
            self._rows.move_to_end(key)
        return strip

    def _render_row(self, claim: Claim, status: str, annotated: bool, marked: bool, highlight: str | None,
                    width: int, flag: str = " ", assignee: str | None = None) -> Strip:
        """One row as segments, built directly: Rich Text's append/truncate/render cost
        ~2 ms a row, and a screenful of new rows (a search, a page down) adds up."""
        session = self.session
        assert session is not None
        store = session.store
        st = self._style
        base = self.rich_style
        hl = st(highlight) if highlight else None
        segments: list[Segment] = []
        used = 0

        def put(text: str, name: str | None) -> None:
            nonlocal used
            style = base + st(name) if name else base
            segments.append(Segment(text, style + hl if hl else style))
            used += cell_len(text)

        def field(text: str, size: int, name: str | None, right: bool = False) -> None:
            text = one_line(text, size)
            pad = " " * max(0, size - cell_len(text))
            put((pad + text if right else text + pad) + " ", name)

        wide = width >= WIDE
        put("●" if marked else " ", "marked")
        put(f"{STATUS_MARK[status]} ", status)
        put(f"{claim.kind:<9} ", "kind")
        # flags: conflict, note/evidence, and a reserved column (suggestions, checked before)
        put("!" if claim.id in session.conflicted(claim.cluster_id) else " ", "conflict")
        put("✎" if annotated else " ", "annotated")
        # "+": new from a followed source; "=": checked before (a published fact-check matches);
        # "~": a suggested link waits for a person
        put(flag + " ", {"+": "new", "=": "checked", "~": "suggested"}.get(flag))
        field(claim.speaker or "-", 20 if wide else 12, "speaker")
        if hasattr(session, "assignee"):
            field("@" + assignee if assignee else "", 9 if wide else 6, "dim")
        if wide:
            check = store.quote_check_record(claim.id) if claim.kind == "quote" else None
            qc = QUOTE_SHORT.get((check or {}).get("status", ""), "")
            field(qc, 9, "quote-bad" if qc in ("altered", "not found") else "quote-good")
            post = store.post(claim.post_id)
            field((post.published or "")[11:16] if post else "", 5, "dim", right=True)
            cl = store.cluster(claim.cluster_id or "")
            field(str(len(cl.claim_ids)) if cl and len(cl.claim_ids) > 1 else "", 3, "size", right=True)
        room = width - used
        if room > 0:
            text = one_line(claim.text)
            if len(text) > room + 8:  # cut first: measuring a whole long text cell by cell is slow
                text = text[:room + 8]
                if cell_len(text) <= room:
                    text = text[:room]  # zero-width characters: cut as characters, still marked
                    text = set_cell_size(text, room - 1) + "…"
            if cell_len(text) > room:
                text = set_cell_size(text, room - 1) + "…"
            else:
                text += " " * (room - cell_len(text))
            put(text, "not-a-claim" if status == "not-a-claim" else None)
        return Strip(segments).crop(0, width)
