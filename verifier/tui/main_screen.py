"""The main screen: claims list, detail pane (a header that stays, the post that scrolls),
progress line and key bar. Every action the list offers is declared here, next to
its binding; writes go through the TriageSession and are on disk before the
screen changes. Heavy work (search, stats, export, big cluster tags) runs in
thread workers and reports back on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static

from verifier.errors import VerifierError
from verifier.models import CLAIM_KINDS, NOT_A_CLAIM, STATUSES, VERDICTS
from verifier.quotecheck.classes import CLASSES as QUOTE_CLASSES
from verifier.text import one_line
from verifier.triage import SORTS, TriageSession
from verifier.tui.claim_list import ClaimList
from verifier.tui.detail import DEFAULT_STYLES, claim_body, claim_header
from verifier.tui.follow import FOLLOW_BINDINGS, FollowActions, Following
from verifier.tui.keybar import KeyBar

if TYPE_CHECKING:
    from verifier.config import Config
    from verifier.store.database import Store

def _dialogs():
    """The dialogs, imported when first asked for (the note editor's TextArea costs ~0.2 s at start-up)."""
    from verifier.tui import dialogs

    return dialogs


NARROW = 120  # below this width the detail pane goes under the list
BIG_WRITE = 2000  # claims in one write above which it runs in a worker
# The key bar's order: what a person needs most first; help and quit always show.
ESSENTIAL = ("tag_sourced", "tag_unverified", "tag_disputed", "tag_not_a_claim", "tag_cluster", "mark",
             "filter_text", "undo", "note", "view_posts", "filter_status", "clear", "help", "quit")
WRITES = {"tag", "tag_cluster", "note", "evidence", "correct", "undo", "redo"}


def wrap_lines(console, text: Text, width: int, anchor: int = 0) -> tuple[list[Text], int]:
    """Text wrapped to width as Text.wrap does it, and the line holding character `anchor`,
    in one pass (wrapping twice, for the line and then the prefix, cost a long post twice)."""
    lines: list[Text] = []
    at_line, pos = 0, 0
    width = max(1, width)
    for para in text.split("\n", allow_blank=True):
        plain = para.plain
        if "\t" in plain:
            para.expand_tabs(8)
            plain = para.plain
        offsets = divide_line(plain, width, fold=True)
        for start, piece in zip((0, *offsets), para.divide(offsets)):
            if pos + start <= anchor:
                at_line = len(lines)
            piece.rstrip_end(width)
            piece.truncate(width, overflow="fold")
            lines.append(piece)
        pos += len(plain) + 1
    return lines, at_line


class _Lines(Widget):
    """Rich Text drawn line by line (the Line API): a new claim repaints this widget's
    region and nothing else; no Static, no layout of the whole screen on every move."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = Text()
        self._lines: list[Text] | None = None  # wrapped at _width
        self._width = -1
        self._strips: dict[int, Strip] = {}
        self._anchor = 0
        self._anchor_line = 0
        self._base: Style | None = None  # the widget's own style (walks the DOM: once, not per line)

    def render(self) -> Text:  # what a test or a screen reader reads: the whole text
        return self.text

    def set_text(self, text: Text, anchor: int = 0) -> None:
        self.text, self._anchor = text, anchor
        self._lines, self._strips = None, {}
        self.refresh()

    def wrapped(self, width: int | None = None) -> list[Text]:
        width = max(1, (self.size.width if width is None else width) - 2)  # a column of padding each side
        if self._lines is None or width != self._width:
            self._lines, self._anchor_line = wrap_lines(self.app.console, self.text, width, self._anchor)
            self._width, self._strips = width, {}
        return self._lines

    def _strip(self, index: int, style: Style) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            lines = self.wrapped()
            width = self.size.width
            segments = [Segment(" ", style), *Segment.apply_style(lines[index].render(self.app.console), style)]
            strip = self._strips[index] = Strip(Segment.adjust_line_length(segments, width, style=style), width).simplify()
        return strip

    @property
    def base_style(self) -> Style:
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def on_resize(self) -> None:
        self._strips = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips, self._base = {}, None


class DetailHead(_Lines):
    """The decision and what it rests on: pinned above the post, as tall as it needs
    (at most 60% of the pane; the last line shown says how much is cut).

    Its height follows the text loosely: it grows at once, but keeps up to SLACK blank
    lines before it shrinks, so moving between claims whose headers differ by a line or
    two (a verdict's history, a quote check) neither makes the post jump nor costs a
    layout of the whole screen."""

    DEFAULT_CSS = "DetailHead { height: auto; }"
    SLACK = 3

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows = 0  # lines the header takes now

    def set_text(self, text: Text, anchor: int = 0) -> None:
        super().set_text(text, anchor)
        if self.size.width <= 0:
            return
        need = max(1, len(self.wrapped()))
        if need > self._rows or need < self._rows - self.SLACK:
            self._rows = need
            self.refresh(layout=True)

    def on_resize(self) -> None:
        super().on_resize()
        if self.size.width != self._width + 2:  # another width: the text wraps anew
            self._rows = 0
            self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        cap = max(1, int((self.parent.size.height if self.parent else viewport.height) * 0.6))
        self._rows = max(self._rows, len(self.wrapped(width)), 1)
        return min(cap, self._rows)

    def render_line(self, y: int) -> Strip:
        lines = self.wrapped()
        style = self.base_style
        if y >= len(lines):
            return Strip.blank(self.size.width, style)
        if y == self.size.height - 1 and len(lines) > self.size.height:
            more = Text(f" … {len(lines) - y} more lines", style="dim")
            return Strip(Segment.adjust_line_length(list(Segment.apply_style(more.render(self.app.console), style)),
                                                    self.size.width, style=style), self.size.width)
        return self._strip(y, style)


class DetailBody(_Lines, can_focus=False):
    """The post, scrolled to the claim; J/K (and the wheel) scroll it. Only the lines on
    screen are rendered; arrows in the margin say there is more above or below."""

    top = 0  # first line shown

    def set_text(self, text: Text, anchor: int = 0) -> None:
        super().set_text(text, anchor)
        self._go_to_anchor = True

    def _place(self) -> None:
        lines = self.wrapped()
        if getattr(self, "_go_to_anchor", False):
            self._go_to_anchor = False
            # the post from its top when the claim shows there, else the claim a few lines down
            fits = self._anchor_line + 2 < self.size.height
            self.top = 0 if fits or not self._anchor else self._anchor_line - 3
        self.top = max(0, min(self.top, len(lines) - max(1, self.size.height)))

    def scroll_by(self, lines: int) -> None:
        self.wrapped()
        self._go_to_anchor = False
        self.top += lines
        self._place()
        self.refresh()

    def max_top(self) -> int:
        return max(0, len(self.wrapped()) - max(1, self.size.height))

    def on_mouse_scroll_down(self, event) -> None:
        event.stop()
        self.scroll_by(3)

    def on_mouse_scroll_up(self, event) -> None:
        event.stop()
        self.scroll_by(-3)

    def render_line(self, y: int) -> Strip:
        if y == 0:
            self._place()
        lines = self.wrapped()
        style = self.base_style
        index = self.top + y
        if index >= len(lines):
            return Strip.blank(self.size.width, style)
        strip = self._strip(index, style)
        arrow = "▲" if y == 0 and self.top > 0 else "▼" if y == self.size.height - 1 and index < len(lines) - 1 \
            else None
        if arrow:
            strip = Strip.join([strip.crop(0, self.size.width - 1), Strip([Segment(arrow, style)], 1)])
        return strip


class DetailPane(Vertical):
    """The selected claim: header pinned at the top, its post scrolling beneath."""

    COMPONENT_CLASSES = {f"detail--{k}" for k in DEFAULT_STYLES}

    def compose(self) -> ComposeResult:
        yield DetailHead(id="detail-head")
        yield DetailBody(id="detail-body")

    _styles: dict | None = None

    def styles_map(self) -> dict:
        if self._styles is None:  # read from the theme once, again when styles change
            self._styles = {k: self.get_component_rich_style(f"detail--{k}", partial=True) for k in DEFAULT_STYLES}
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None


class MainScreen(FollowActions, Screen[None]):
    BINDINGS = [
        Binding("s", "tag('sourced')", "Sourced", id="tag_sourced", tooltip="the claim is sourced; move on"),
        Binding("u", "tag('unverified')", "Unverified", id="tag_unverified",
                tooltip="the claim is unverified; move on"),
        Binding("d", "tag('disputed')", "Disputed", id="tag_disputed", tooltip="the claim is disputed; move on"),
        Binding("i", "tag('not-a-claim')", "Not a claim", id="tag_not_a_claim",
                tooltip="not a claim (a caption, a fragment): out of counts and reports; move on"),
        Binding("r", "tag('unreviewed')", "Reset", id="tag_reset", tooltip="back to unreviewed"),
        Binding("c", "tag_cluster", "Cluster", id="tag_cluster",
                tooltip="give this claim's verdict to its cluster (asks before replacing other verdicts "
                        "or when the cluster has conflicts)"),
        Binding("space", "mark", "Mark", id="mark", tooltip="mark the claim for a bulk decision; move on"),
        Binding("a", "mark_all", "Mark all", id="mark_all",
                tooltip="mark every claim in the current filter (again: unmark them)"),
        Binding("n", "note", "Note", id="note", tooltip="edit the note (several lines)"),
        Binding("e", "evidence", "Evidence", id="evidence", tooltip="edit the evidence, one URL or line each"),
        Binding("w", "correct", "Correct", id="correct",
                tooltip="correct speaker, role or kind (kept across re-ingest)"),
        Binding("z", "undo", "Undo", id="undo", tooltip="undo the last change, many steps deep"),
        Binding("Z", "redo", "Redo", id="redo", tooltip="redo what undo took back"),
        Binding("slash", "filter", "Search", id="filter_text",
                tooltip="search claim text, speaker, note and evidence (substring, else fuzzy)"),
        Binding("f", "cycle('status')", "Status", id="filter_status", tooltip="cycle the status filter"),
        Binding("y", "cycle('kind')", "Kind", id="filter_kind", tooltip="cycle the kind filter"),
        Binding("p", "speaker", "Speaker", id="filter_speaker", tooltip="pick a speaker (fuzzy, with counts)"),
        Binding("v", "cycle('quote')", "Quotes", id="filter_quote",
                tooltip="cycle the quote check filter: verbatim, minor, partial, altered, not found"),
        Binding("b", "cycle('checked')", "Checked before", id="filter_checked",
                tooltip="only claims a published fact-check matches (marked = in the list)"),
        Binding("A", "adopt", "Adopt check", id="adopt_check",
                tooltip="take the best published fact-check's rating and URL into the note and evidence"),
        Binding("L", "link('confirm')", "Confirm link", id="link_confirm",
                tooltip="confirm the suggested links of this claim (~): the same claim"),
        Binding("X", "link('reject')", "Reject link", id="link_reject",
                tooltip="reject the suggested links of this claim: not the same claim, never suggested again"),
        Binding("S", "link('split')", "Split", id="link_split", tooltip="take this claim out of its cluster"),
        Binding("M", "link('merge')", "Merge", id="link_merge",
                tooltip="put this claim's cluster together with the one marked claim's (space marks)"),
        Binding("o", "cycle_sort", "Sort", id="sort", tooltip="sort by check-worthiness, time or speaker"),
        Binding("escape", "clear", "Clear", id="clear", tooltip="clear the marks, else every filter"),
        Binding("J", "scroll_post(1)", "Post down", id="post_down", show=False,
                tooltip="scroll the post in the detail pane down"),
        Binding("K", "scroll_post(-1)", "Post up", id="post_up", show=False,
                tooltip="scroll the post in the detail pane up"),
        Binding("tab", "posts", "Posts", id="view_posts", tooltip="the live blog as read, claims marked"),
        Binding("t", "stats", "Stats", id="view_stats", tooltip="bar charts of verdicts and claims over time"),
        Binding("x", "export", "Export", id="export", tooltip="export verdicts: JSON, ClaimReview, CSV, Markdown"),
    ] + FOLLOW_BINDINGS  # F: follow a source, l: its log (verifier/tui/follow.py)
    CYCLES = {"status": STATUSES, "kind": CLAIM_KINDS, "quote": QUOTE_CLASSES, "checked": ("checked before",)}

    def __init__(self, db_path: str, config: "Config") -> None:
        super().__init__()
        self.db_path = db_path
        self.config = config
        self.store: Store | None = None
        self.session: TriageSession | None = None
        self.readonly = False
        self._busy = False  # a big write is running in a worker
        self._undo_state = (False, False)
        self._shown: str | None = None  # the claim in the detail pane
        self._stats_screen = None  # the stats view (t), installed when first shown
        self._search_box_open = False  # a search was submitted: its box closes with the results
        self.following = Following(self)  # followed sources: new claims arrive as you work

    # ---- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(f"opening {self.db_label()} …", style="dim"), id="progress")
        with Horizontal(id="main", classes="narrow" if self.app.size.width < NARROW else ""):
            yield ClaimList(id="claims")
            yield DetailPane(id="detail")
        yield Input(placeholder="search text, speaker, note, evidence; enter applies, escape clears", id="filter")
        yield KeyBar(ESSENTIAL, describe=self._describe)

    def _describe(self, binding: Binding) -> str:
        if binding.action.startswith("tag('"):
            return self.config.label(binding.action[5:-2]).capitalize()
        return binding.description

    def on_resize(self) -> None:
        main = self.query_one("#main")
        narrow = self.size.width < NARROW
        if narrow != main.has_class("narrow"):
            main.set_class(narrow, "narrow")
            if self._shown is not None:  # the pane changed shape: lay the claim out again
                self.call_after_refresh(self._show_detail, self._shown, True)

    def loaded(self, store: "Store", session: TriageSession, readonly: bool, selected: str | None) -> None:
        """The database is open (a worker opened it): fill the screen."""
        self.store, self.session, self.readonly = store, session, readonly
        claims = self.query_one(ClaimList)
        claims.session = session
        claims.on_selected = self._show_detail
        self.following.attach(store, readonly)  # resume the followed sources
        row = (session.row_of(selected) or 0) if selected else 0
        claims.reload(row)
        claims.focus()
        self._update_progress()
        self._show_detail(claims.selected, force=True)
        # once the list has its size (the first layout is still pending), the restored claim is
        # scrolled into view; the detail pane wraps its text when drawn, at its own size
        self.call_after_refresh(lambda: self.claims.scroll_to_region_line(self.claims.cursor))
        self.refresh_bindings()
        if readonly:
            self.notify("Another verifier has this database open: read-only.", severity="warning", timeout=8)

    # ---- display ---------------------------------------------------------------------
    @property
    def claims(self) -> ClaimList:
        return self.query_one(ClaimList)

    def _update_progress(self, note: str | None = None) -> None:
        if self.session is None:
            return
        p = self.session.progress()
        st = self.claims._style
        f = self.session.filters
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(f"{p['total'] - p['unreviewed']}/{p['total']} reviewed", style="bold")
        # what is shown, and why, comes before the counts: at 80 columns the line is cut at the end
        t.append(f"  │ {len(self.session.view)} shown", style=st("dim"))
        if self.session.marked:
            t.append(f"  marked {len(self.session.marked)}", style=st("marked"))
        if f.checked:
            t.append("  checked before", style=st("dim"))
        for name in ("status", "kind", "quote"):
            value = getattr(f, name)
            if value:
                t.append(f"  {name}: {self.config.label(value) if name == 'status' else value}", style=st("dim"))
        if f.speaker:
            t.append("  speaker: ", style=st("dim"))
            t.append(one_line(f.speaker, 30))
        if f.text:
            t.append("  search: ", style=st("dim"))
            t.append(one_line(f.text, 30))
        if note:
            t.append(f"  {note}", style=st("dim"))
        t.append(f"  sort: {self.session.sort}", style=st("dim"))
        t.append("  │", style=st("dim"))
        for s in VERDICTS:
            t.append(f"  {self.config.label(s)} {p[s]}", style=st(s))
        if p[NOT_A_CLAIM]:
            t.append(f"  not a claim {p[NOT_A_CLAIM]}", style=st("dim"))
        t.append_text(self.following.status_text() or Text())
        if self.readonly:
            t.append("  READ-ONLY", style=st("disputed"))
        self.query_one("#progress", Static).update(t, layout=False)  # one line, always: a repaint, no layout

    def _show_detail(self, claim_id: str | None, force: bool = False) -> None:
        """Draw the claim in the detail pane; unless forced (after a write), not again for
        the claim already shown: a filter that keeps the claim costs no relayout."""
        if not force and claim_id == self._shown and claim_id is not None:
            return
        self._shown = claim_id
        head = self.query_one(DetailHead)
        body = self.query_one(DetailBody)
        if claim_id is None or self.store is None or self.session is None:
            head.set_text(Text("No claims match. Press escape to clear the filters.", style="dim"))
            body.set_text(Text())
            return
        pane = self.query_one(DetailPane)
        styles = pane.styles_map()
        claim = self.store.claim(claim_id)  # a desk database reads it from the server if not yet read
        conflicted = self.session.conflicted(claim.cluster_id)
        head.set_text(self.header(claim, styles, conflicted))
        # the post, brought into view at the highlighted claim (a few lines of context above
        # it) when drawn: wrapped once, at the pane's width, and only the lines on screen rendered
        text, anchor = claim_body(self.store, claim, styles, conflicted)
        body.set_text(text, anchor)

    def header(self, claim, styles, conflicted) -> Text:
        """The detail pane's header (a desk workbench adds the assignee: verifier/tui/desk.py)."""
        return claim_header(self.store, claim, styles, self.config.label, conflicted)

    def on_claim_list_selected(self, message: ClaimList.Selected) -> None:
        # the claim selected now: a message posted before the database opened is stale
        self._show_detail(self.claims.selected)

    def _redraw(self, claim_ids: Iterable[str] = (), detail: bool = True) -> None:
        claims = self.claims
        ids = list(claim_ids)
        if len(ids) == 1 and ids[0] == claims.selected:
            claims.refresh_line(claims.cursor)
        else:
            claims.refresh()  # only the lines on screen are drawn again
        self._update_progress()
        if detail:
            self._show_detail(claims.selected, force=True)
        state = (bool(self.session and self.session.undo_stack), bool(self.session and self.session.redo_stack))
        if state != self._undo_state:
            # Only when undo or redo appears or disappears: refreshing bindings rebuilds the key bar.
            self._undo_state = state
            self.refresh_bindings()

    # ---- availability of actions -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:
            return None if action not in ("help", "quit") else True
        if action in WRITES and (self.readonly or self._busy):
            return None
        if action == "undo" and not self.session.undo_stack:
            return None
        if action == "redo" and not self.session.redo_stack:
            return None
        return True

    def _write(self, change: Callable[[], object]) -> bool:
        try:
            change()  # on disk before anything on screen changes
        except VerifierError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        return True

    # ---- deciding ----------------------------------------------------------------------------
    def action_tag(self, status: str) -> None:
        session = self.session
        cid = self.claims.selected
        if session is None or cid is None:
            return
        if session.marked:
            self._tag_marked(status)
            return
        claims = self.claims
        last = claims.cursor >= len(session.view) - 1
        # one key decides and moves on; the move redraws the detail pane
        if self._write(lambda: session.tag([cid], status)):
            self._redraw([cid], detail=last)
            claims.action_move(1)

    def tag_claims(self, claim_ids: list[str], status: str) -> bool:
        """Tag claims from another view (posts); True once on disk."""
        if self.session is None or self.readonly:
            return False
        ok = self._write(lambda: self.session.tag(claim_ids, status))
        if ok:
            self._redraw(claim_ids, detail=False)
        return ok

    def _tag_marked(self, status: str) -> None:
        session = self.session
        assert session is not None
        ids = [cid for cid in session.view if cid in session.marked] + \
              [cid for cid in session.marked if cid not in session.position]
        differ = sum(1 for cid in ids if session.store.status(cid) not in ("unreviewed", status))
        question = f"Set {len(ids)} marked claims to '{self.config.label(status)}'?"
        if differ:
            question += f" {differ} of them have another verdict, which will be replaced."
        hidden = len(ids) - sum(1 for cid in ids if cid in session.position)
        if hidden:
            question += f" {hidden} are outside the current filter."

        def answer(yes: bool | None) -> None:
            if yes:
                self._bulk_write(ids, status, clear_marks=True)

        self.app.push_screen(_dialogs().ConfirmScreen(question), answer)

    def _bulk_write(self, ids: list[str], status: str, clear_marks: bool = False) -> None:
        if len(ids) > BIG_WRITE:
            self._busy = True
            self.refresh_bindings()
            self._update_progress(f"writing {len(ids)} verdicts …")
            self._bulk_worker(ids, status, clear_marks)
            return
        if self._write(lambda: self.session.tag(ids, status)):
            self._bulk_done(ids, status, clear_marks)

    @work(thread=True, exclusive=True, group="write", exit_on_error=False, description="bulk tag")
    def _bulk_worker(self, ids: list[str], status: str, clear_marks: bool) -> None:
        try:
            self.session.tag(ids, status)  # one journal entry, one fsync
        except VerifierError as exc:
            self.app.call_from_thread(self._bulk_failed, str(exc))
            return
        self.app.call_from_thread(self._bulk_done, ids, status, clear_marks)

    def _bulk_failed(self, message: str) -> None:
        self._busy = False
        self.refresh_bindings()
        self.notify(message, severity="error", timeout=10)
        self._update_progress()

    def _bulk_done(self, ids: list[str], status: str, clear_marks: bool) -> None:
        was_busy, self._busy = self._busy, False
        if clear_marks:
            self.session.marked.clear()
        if was_busy or clear_marks:  # what the key bar offers changed
            self.refresh_bindings()
        self._redraw(ids)
        # said on the progress line (a toast mounted a widget and laid the screen out again)
        self._update_progress(f"{self.config.label(status)}: {len(ids)} claim{'s' if len(ids) != 1 else ''}")

    def action_tag_cluster(self) -> None:
        session = self.session
        cid = self.claims.selected
        if session is None or cid is None:
            return
        plan = session.cluster_plan(cid)
        status = plan["status"]
        if status == "unreviewed":
            self.notify("Decide this claim first: c gives its verdict to the cluster, never 'unreviewed'.",
                        severity="warning")
            return
        if len(plan["members"]) < 2:
            self.notify("This claim has no cluster.")
            return
        if not plan["change"]:
            self.notify(f"Every claim of the cluster is already {self.config.label(status)}.")
            return
        change = plan["change"]
        if not plan["overwrite"] and not plan["conflicts"]:
            self._bulk_write(change, status)
            return
        question = f"Give '{self.config.label(status)}' to {len(change)} claims of this cluster?"
        if plan["overwrite"]:
            question += f" {len(plan['overwrite'])} have another verdict, which will be replaced."
        if plan["conflicts"]:
            kinds = sorted({c.get("type", "?") for c in plan["conflicts"]})
            question += (f" The cluster has {len(plan['conflicts'])} conflict"
                         f"{'s' if len(plan['conflicts']) != 1 else ''} ({', '.join(kinds)}): "
                         "its claims may not say the same thing.")

        def answer(yes: bool | None) -> None:
            if yes:
                self._bulk_write(change, status)

        self.app.push_screen(_dialogs().ConfirmScreen(question), answer)

    def action_mark(self) -> None:
        session, cid = self.session, self.claims.selected
        if session is None or cid is None:
            return
        session.marked.symmetric_difference_update({cid})
        self.claims.refresh_line(self.claims.cursor)
        self.claims.action_move(1)
        self._update_progress()

    def action_mark_all(self) -> None:
        session = self.session
        if session is None:
            return
        view = set(session.view)
        if view and view <= session.marked:
            session.marked -= view
        else:
            session.marked |= view
        self.claims.refresh()
        self._update_progress()
        self.notify(f"{len(session.marked)} claims marked: s, u, d, i or r decides them all (after a yes)")

    def _jump_to(self, claim_ids: list[str]) -> None:
        """Undo and redo: the cursor goes to the claim they changed."""
        for cid in claim_ids:
            if self.claims.select(cid):
                return

    def action_undo(self) -> None:
        if self.session is None:
            return
        link = bool(self.session.undo_stack) and self.session.undo_stack[-1].link is not None
        touched: list[str] = []
        if self._write(lambda: touched.extend(self.session.undo())):
            self._links_changed(link)
            self._jump_to(touched)
            self._redraw(touched)

    def action_redo(self) -> None:
        if self.session is None:
            return
        link = bool(self.session.redo_stack) and self.session.redo_stack[-1].link is not None
        touched: list[str] = []
        if self._write(lambda: touched.extend(self.session.redo())):
            self._links_changed(link)
            self._jump_to(touched)
            self._redraw(touched)

    def _links_changed(self, changed: bool) -> None:
        """After a linking decision is undone or redone: clusters are saved on quit, view redrawn."""
        if changed:
            self.following._unsaved = True
            self.following.refresh_view()

    def action_note(self) -> None:
        cid = self.claims.selected
        if cid is None or self.store is None:
            return

        def done(value: str | None) -> None:
            if value is not None:
                if self._write(lambda: self.session.annotate(cid, note=value.strip())):
                    self._redraw([cid])

        self.app.push_screen(_dialogs().TextEditScreen("Note for this claim", self.store.verdict(cid).note or ""), done)

    def action_link(self, what: str, every: bool = False) -> None:
        """A person's linking decision: confirm or reject suggestions (this claim's, or every one in
        view), split the claim out, or merge it with the marked claim. Kept as decisions that outlive
        re-link and re-ingest; clusters and their conflicts are recomputed at once."""
        from verifier.link import decide

        cid = self.claims.selected
        if cid is None or self.store is None or self.session is None or self.readonly:
            return
        store = self.store
        try:
            if what in ("confirm", "reject"):
                ids = list(self.session.view) if every else [cid]
                done = self.session.link_decision(
                    [cid], decide.confirm_all if what == "confirm" else decide.reject_all, ids)
                if not done:
                    self.notify("No suggested link here." if not every else "No suggested links in view.")
                    return
                message = f"{what}ed {len(done)} suggested link{'s' if len(done) != 1 else ''}"
            elif what == "split":
                cl = store.cluster(store.claim_map()[cid].cluster_id or "")
                if cl is None or len(cl.claim_ids) < 2:
                    self.notify("This claim is in no cluster.")
                    return
                self.session.link_decision([cid], decide.split, cid)
                message = "split out of its cluster"
            else:
                others = [m for m in self.session.marked if m != cid]
                if len(others) != 1:
                    self.notify("Mark one other claim (space), then merge with M.", severity="warning")
                    return
                self.session.link_decision([cid, others[0]], decide.merge, cid, others[0])
                self.session.marked.clear()
                message = "clusters merged"
        except VerifierError as exc:
            self.notify(f"not saved: {exc}", severity="error")
            return
        self.following._unsaved = True  # clusters are saved with the next save (and on quit)
        self.following.refresh_view()
        self._redraw([cid])
        self.notify(message)

    def action_adopt(self) -> None:
        """Take the claim's best published fact-check into its note and evidence (undoable); the
        verdict stays the person's to give."""
        from verifier.factchecks.library import describe, matches_for

        cid = self.claims.selected
        if cid is None or self.store is None or self.session is None:
            return
        found = matches_for(self.store, cid)
        if not found:
            self.notify("No published fact-check matches this claim.", severity="warning")
            return
        e = found[0].entry
        v = self.store.verdict(cid)
        line = describe(e) + (f": {e.url}" if e.url else "")
        note = v.note or ""
        if line not in note:
            note = f"{note}\n{line}".strip()
        evidence = list(v.evidence) + ([e.url] if e.url and e.url not in v.evidence else [])
        if self._write(lambda: self.session.annotate(cid, note=note, evidence_list=evidence)):
            self._redraw([cid])
            self.notify(f"adopted: {one_line(describe(e), 80)}")

    def action_evidence(self) -> None:
        cid = self.claims.selected
        if cid is None or self.store is None:
            return

        def done(value: str | None) -> None:
            if value is not None:
                if self._write(lambda: self.session.annotate(cid, evidence_list=value.splitlines())):
                    self._redraw([cid])

        current = "\n".join(self.store.verdict(cid).evidence)
        self.app.push_screen(_dialogs().TextEditScreen("Evidence: one URL or line each; delete a line to remove it",
                                            current + ("\n" if current else "")), done)

    def action_correct(self) -> None:
        cid = self.claims.selected
        if cid is None or self.store is None:
            return
        claim = self.store.claim_map()[cid]

        def done(changes: dict | None) -> None:
            for name, value in (changes or {}).items():
                if not self._write(lambda n=name, v=value: self.session.correct(cid, n, v)):
                    break
            if changes:
                self._redraw([cid])

        self.app.push_screen(_dialogs().CorrectScreen(claim.speaker, claim.role, claim.kind), done)

    # ---- filters and sorts ------------------------------------------------------------------
    def _apply_view(self) -> None:
        """After a filter or sort change: the same claim stays selected, else the nearest."""
        session = self.session
        if session is None:
            return
        old_view, old_id = session.view, self.claims.selected
        session.refresh_view()
        self.claims.reload(session.nearest(old_view, old_id))
        if self._search_box_open:  # a search's results: the box closes with them, in the same frame
            self._search_box_open = False
            self.query_one("#filter", Input).remove_class("visible")
        self.claims.focus()
        self._update_progress()
        self._show_detail(self.claims.selected)

    def set_filter(self, name: str, value: str | None) -> None:
        if self.session is None:
            return
        setattr(self.session.filters, name, value)
        self._apply_view()

    def set_sort(self, sort: str) -> None:
        if self.session is None:
            return
        self.session.sort = sort
        self._apply_view()

    def action_cycle(self, name: str) -> None:
        """Step a filter through off and each of its values."""
        if self.session is None:
            return
        order = [None, *self.CYCLES[name]]
        self.set_filter(name, order[(order.index(getattr(self.session.filters, name)) + 1) % len(order)])

    def action_cycle_sort(self) -> None:
        if self.session is not None:
            self.set_sort(SORTS[(SORTS.index(self.session.sort) + 1) % len(SORTS)])

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = self.session.filters.text if self.session else ""
        box.add_class("visible")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter" or self.session is None:
            return
        # the box goes when the results come (_apply_view): hiding it and moving the focus now
        # cost a layout, two restylings and a frame of their own, before the one the results need
        self._search_box_open = True
        self.search(event.value.strip())

    def search(self, text: str) -> None:
        if not text:
            self.session.set_text("")
            self._apply_view()
            return
        self._update_progress(f"searching “{one_line(text, 30)}” …")
        self._search_worker(text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="search")
    def _search_worker(self, text: str) -> None:
        rows = self.session.search_rows(text)  # reads a cached lowercase index; no UI state
        self.app.call_from_thread(self._search_done, text, rows)

    def _search_done(self, text: str, rows) -> None:
        self.session.set_text(text, rows=rows)
        self._apply_view()

    def action_speaker(self) -> None:
        if self.session is None:
            return

        def done(value: str | None) -> None:
            if value is not None:
                self.set_filter("speaker", value or None)

        self.app.push_screen(_dialogs().SpeakerPicker(self.session.speakers(), self.session.filters.speaker or ""), done)

    def action_clear(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("visible"):
            self._search_box_open = False
            box.remove_class("visible")
            self.claims.focus()
            return
        if self.session is None:
            return
        if self.session.marked:
            n = len(self.session.marked)
            self.session.marked.clear()
            self.claims.refresh()
            self._update_progress()
            self.notify(f"{n} marks cleared")
            return
        f = self.session.filters
        f.status, f.kind, f.speaker, f.quote, f.checked = None, None, None, None, None
        self.session.set_text("")
        self._apply_view()

    def action_scroll_post(self, direction: int) -> None:
        body = self.query_one(DetailBody)
        body.scroll_by(direction * max(1, body.size.height // 2))

    # ---- other views ---------------------------------------------------------------------------
    def action_posts(self) -> None:
        from verifier.tui.posts_view import PostsScreen

        cid = self.claims.selected
        if cid is None or self.session is None:
            return

        def back(claim_id: str | None) -> None:
            if claim_id is not None:
                self.claims.select(claim_id)
            self.claims.refresh()
            self._update_progress()
            self._show_detail(self.claims.selected, force=True)

        self.app.push_screen(PostsScreen(self.session, cid, self.tag_claims, readonly=self.readonly,
                                         label=self.config.label), back)

    def action_stats(self) -> None:
        from verifier.tui.stats_view import StatsScreen

        if self.store is None or self.session is None:
            return
        # One stats screen, kept installed: shown again, it is not composed, styled and laid out
        # anew (a new screen cost two full layouts of the terminal); only its lines change.
        screen = self._stats_screen
        if screen is None or not self.app.is_screen_installed(screen):
            screen = self._stats_screen = StatsScreen(label=self.config.label)
            self.app.install_screen(screen, f"stats-{id(self)}")
        if self.session.stats_ready():  # counts from the session's arrays: milliseconds, drawn with the screen
            screen.stats = self.session.stats()
            if screen.is_mounted:
                screen.show(screen.stats)
            self.app.push_screen(screen)
            return
        self.app.push_screen(screen)  # the time buckets are still being coded: a worker
        self._stats_worker(screen)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False, description="stats")
    def _stats_worker(self, screen) -> None:
        stats = self.session.stats()  # counts from the session's arrays, not a pass over the claims
        self.app.call_from_thread(screen.show, stats)

    def action_export(self) -> None:
        from verifier.tui.export_dialog import ExportScreen

        if self.store is None:
            return

        def done(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.notify(f"exporting {choice[0]} …", timeout=2)
                self._export_worker(*choice)

        self.app.push_screen(ExportScreen(self.export_folder()), done)

    def db_label(self) -> str:
        """The database as the screen names it."""
        return self.db_path

    def export_folder(self) -> str:
        """Where the export dialog proposes to write: beside the database file."""
        import os

        return os.path.dirname(os.path.abspath(self.db_path))

    def export_text(self, fmt: str) -> str:
        """The export's text (in a worker): the whole database, as `verifier export` writes it."""
        from verifier.export import render

        return render(self.store, fmt, self.config)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="export")
    def _export_worker(self, fmt: str, path: str) -> None:
        from verifier.store.atomic import atomic_write

        try:
            text = self.export_text(fmt)
            atomic_write(path, text.encode("utf-8"))
        except VerifierError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"exported {fmt} to {path}")

    # ---- the command palette ----------------------------------------------------------------------
    def commands(self) -> Iterable[SystemCommand]:
        if self.session is None:
            return
        label = self.config.label
        for status, key in (("sourced", "s"), ("unverified", "u"), ("disputed", "d"), (NOT_A_CLAIM, "i"),
                            ("unreviewed", "r")):
            yield SystemCommand(f"tag: {label(status)}", f"decide the selected claim, or the marked ones ({key})",
                                lambda s=status: self.action_tag(s))
        yield SystemCommand("tag: whole cluster", "give the selected claim's verdict to its cluster (c)",
                            self.action_tag_cluster)
        yield SystemCommand("mark: every claim in the filter", "for a bulk decision (a)", self.action_mark_all)
        yield SystemCommand("links: confirm every suggestion in view", "the same claims (L for one)",
                            lambda: self.action_link("confirm", every=True))
        yield SystemCommand("links: reject every suggestion in view", "not the same claims (X for one)",
                            lambda: self.action_link("reject", every=True))
        yield SystemCommand("links: split the claim out of its cluster", "S", lambda: self.action_link("split"))
        yield SystemCommand("links: merge with the marked claim", "M", lambda: self.action_link("merge"))
        yield SystemCommand("edit: note", "edit the note (n)", self.action_note)
        yield SystemCommand("edit: evidence", "edit or remove evidence (e)", self.action_evidence)
        yield SystemCommand("edit: correct speaker, role or kind", "(w)", self.action_correct)
        yield SystemCommand("edit: undo", "undo the last change (z)", self.action_undo)
        yield SystemCommand("edit: redo", "redo what undo took back (Z)", self.action_redo)
        for status in STATUSES:
            yield SystemCommand(f"filter: {label(status)}", f"show only {label(status)} claims",
                                lambda s=status: self.set_filter("status", s))
        yield SystemCommand("filter: clear", "show every claim (escape)", self.action_clear)
        for kind in CLAIM_KINDS:
            yield SystemCommand(f"filter: {kind}s", f"show only {kind} claims", lambda k=kind: self.set_filter("kind", k))
        yield SystemCommand("filter: speaker", "pick a speaker (p)", self.action_speaker)
        for name, n in self.session.speakers()[:30]:
            yield SystemCommand(f"filter: speaker {one_line(name, 40)}", f"{n} claim{'s' if n != 1 else ''}",
                                lambda s=name: self.set_filter("speaker", s))
        for qc in QUOTE_CLASSES:
            yield SystemCommand(f"filter: quotes {qc}", f"quotes checked as {qc}", lambda q=qc: self.set_filter("quote", q))
        yield SystemCommand("export: verdicts", "JSON, ClaimReview, CSV or Markdown (x)", self.action_export)
        yield SystemCommand("view: posts", "the live blog as read, claims marked (tab)", self.action_posts)
        yield SystemCommand("view: stats", "bar charts of verdicts and claims over time (t)", self.action_stats)
        for sort in SORTS:
            yield SystemCommand(f"sort: {sort}", f"order claims by {sort}", lambda s=sort: self.set_sort(s))
        yield from self.following.commands()
