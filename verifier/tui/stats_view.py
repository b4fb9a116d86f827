"""The stats view (t): bar charts of verdicts, kinds, speakers and claims over time."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from typing import Callable

from rich.style import Style

from verifier.stats import Stats
from verifier.text import one_line
from verifier.tui.detail import STATUS_STYLE
from verifier.tui.keybar import KeyBar

BAR_WIDTH = 40
LABEL_WIDTH = 24
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(n: int, most: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighths of a cell, so small counts still show."""
    if most <= 0 or n <= 0:
        return ""
    eighths = max(1, round(n / most * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def _chart(title: str, rows: list[tuple[str, int, str]], total: int) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=LABEL_WIDTH, no_wrap=True)
    table.add_column(width=BAR_WIDTH + 1, no_wrap=True)
    table.add_column(justify="right")
    table.add_column(justify="right", style="dim")
    table.title = title
    table.title_justify = "left"
    table.title_style = "bold"
    most = max((n for _, n, _ in rows), default=0)
    for label, n, style in rows:
        pct = f"{100 * n / total:.0f}%" if total else ""
        table.add_row(Text(label), Text(bar(n, most), style=style), str(n), pct)
    return table


def _over_time(st: Stats, done_style: "Style | str" = "green") -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=LABEL_WIDTH, no_wrap=True)
    table.add_column(width=BAR_WIDTH + 1, no_wrap=True)
    table.add_column(justify="right")
    table.title = f"Claims per {st.unit} (coloured: reviewed)"
    table.title_justify = "left"
    table.title_style = "bold"
    most = max((n for _, n, _ in st.over_time), default=0)
    for label, n, reviewed in st.over_time:
        # whole cells, so the reviewed part and the rest line up as one stacked bar
        cells = max(1, round(n / most * BAR_WIDTH)) if most else 0
        done = min(cells, round(reviewed / most * BAR_WIDTH)) if most else 0
        if reviewed and not done:
            done = 1
        line = Text("█" * done, style=done_style)
        line.append("█" * (cells - done), style="grey50")
        table.add_row(Text(label), line, f"{reviewed}/{n}")
    return table


def render_stats(st: Stats, styles: dict | None = None, label: Callable[[str], str] = str) -> Group:
    styles = styles or {**STATUS_STYLE, "unreviewed": "grey50", "kind": "cyan", "speaker": "magenta"}
    verdicts = _chart(f"Verdicts: {st.reviewed} of {st.total} reviewed",
                      [(label(s), n, styles[s]) for s, n in st.by_status.items()], st.total)
    kinds = _chart("Kinds", [(k, n, styles["kind"]) for k, n in st.by_kind.items()], st.total)
    speakers = _chart("Most quoted", [(one_line(s, LABEL_WIDTH), n, styles["speaker"]) for s, n in st.speakers],
                      st.total)
    clusters = Text(f"Duplicate clusters: {st.clusters}, {st.conflicted} with conflicting figures or wording",
                    style="bold")
    noise = Text(f"Decided not a claim: {st.not_a_claim} (outside the counts above)", style="dim")
    return Group(verdicts, Text(), _over_time(st, styles["sourced"]), Text(), kinds, Text(), speakers, Text(),
                 clusters, noise)


def _cells(text: str, width: int) -> str:
    """text in exactly width cells: cut with an ellipsis, or padded."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width else ""
    return set_cell_size(text, width)


def chart_lines(title: str, rows: list[tuple[str, int, "Style | str"]], total: int, width: int,
                pct_style: Style) -> list[list[Segment]]:
    """One chart as the Rich grid of _chart draws it (label, bar, count, share), built as
    segments: Rich's table layout cost ~50 ms for the stats view, which a keypress waits on."""
    counts = [str(n) for _, n, _ in rows]
    pcts = [f"{100 * n / total:.0f}%" if total else "" for _, n, _ in rows]
    w2 = max(map(len, counts), default=0)
    w3 = max(map(len, pcts), default=0)
    bar_w = BAR_WIDTH + 1
    table = LABEL_WIDTH + 1 + bar_w + 1 + w2 + (1 + w3 if w3 else 0)
    if table > width:  # a narrow screen: the bars give up the columns
        bar_w = max(2, bar_w - (table - width))
        table = LABEL_WIDTH + 1 + bar_w + 1 + w2 + (1 + w3 if w3 else 0)
    bold, plain, gap = Style(bold=True), Style(), Segment(" ")
    out = [[Segment(_cells(title, table), bold)]]
    most = max((n for _, n, _ in rows), default=0)
    for (label, n, style), count, pct in zip(rows, counts, pcts):
        line = [Segment(_cells(label, LABEL_WIDTH), plain), gap,
                Segment(bar(n, most, bar_w - 1).ljust(bar_w), _style(style)), gap, Segment(count.rjust(w2), plain)]
        if w3:
            line += [gap, Segment(pct.rjust(w3), pct_style)]
        out.append(line)
    return out


def over_time_lines(st: Stats, done_style: "Style | str", width: int) -> list[list[Segment]]:
    """_over_time's grid as segments: claims per bucket, the reviewed part coloured."""
    counts = [f"{reviewed}/{n}" for _, n, reviewed in st.over_time]
    w2 = max(map(len, counts), default=0)
    bar_w = BAR_WIDTH + 1
    table = LABEL_WIDTH + 1 + bar_w + 1 + w2
    if table > width:
        bar_w = max(2, bar_w - (table - width))
        table = LABEL_WIDTH + 1 + bar_w + 1 + w2
    cells_w = bar_w - 1
    bold, plain, gap, done_s = Style(bold=True), Style(), Segment(" "), _style(done_style)
    out = [[Segment(_cells(f"Claims per {st.unit} (coloured: reviewed)", table), bold)]]
    most = max((n for _, n, _ in st.over_time), default=0)
    grey = Style.parse("grey50")
    for (label, n, reviewed), count in zip(st.over_time, counts):
        cells = max(1, round(n / most * cells_w)) if most else 0
        done = min(cells, round(reviewed / most * cells_w)) if most else 0
        if reviewed and not done:
            done = 1
        line = [Segment(_cells(label, LABEL_WIDTH), plain), gap]
        if done:
            line.append(Segment("█" * done, done_s))
        if cells - done:
            line.append(Segment("█" * (cells - done), grey))
        line += [Segment(" " * (bar_w - cells), done_s), gap, Segment(count.rjust(w2), plain)]
        out.append(line)
    return out


def _style(style: "Style | str") -> Style:
    return style if isinstance(style, Style) else Style.parse(style)


def stats_lines(st: Stats, console, width: int, styles: dict | None = None,
                label: Callable[[str], str] = str) -> list[list[Segment]]:
    """What render_stats shows, as lines of segments, in a few milliseconds."""
    styles = styles or {**STATUS_STYLE, "unreviewed": "grey50", "kind": "cyan", "speaker": "magenta"}
    dim = Style(dim=True)
    lines = chart_lines(f"Verdicts: {st.reviewed} of {st.total} reviewed",
                        [(label(s), n, styles[s]) for s, n in st.by_status.items()], st.total, width, dim)
    lines.append([])
    lines += over_time_lines(st, styles["sourced"], width)
    lines.append([])
    lines += chart_lines("Kinds", [(k, n, styles["kind"]) for k, n in st.by_kind.items()], st.total, width, dim)
    lines.append([])
    lines += chart_lines("Most quoted", [(one_line(s, LABEL_WIDTH), n, styles["speaker"]) for s, n in st.speakers],
                         st.total, width, dim)
    lines.append([])
    tail = Group(Text(f"Duplicate clusters: {st.clusters}, {st.conflicted} with conflicting figures or wording",
                      style="bold"),
                 Text(f"Decided not a claim: {st.not_a_claim} (outside the counts above)", style="dim"))
    lines += console.render_lines(tail, console.options.update_width(width), pad=False)
    return lines


class StatsLines(Widget):
    """The charts, drawn line by line from segments made once (no Static: Textual laid a
    62-line Text out again to measure and to draw it, ~30 ms)."""

    DEFAULT_CSS = "StatsLines { height: auto; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[list[Segment]] = [[Segment("counting …", Style(dim=True))]]
        self._strips: dict[int, Strip] = {}
        self._base: Style | None = None

    def set_lines(self, lines: list[list[Segment]]) -> None:
        grown = len(lines) != len(self.lines)
        self.lines, self._strips = lines, {}
        self.refresh(layout=grown)  # the same number of lines (new counts): a repaint, no layout

    def render(self) -> Text:  # what a test or a screen reader reads: every line
        return Text("\n".join("".join(seg.text for seg in line) for line in self.lines))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines)

    def get_content_width(self, container, viewport) -> int:
        return max((sum(cell_len(seg.text) for seg in line) for line in self.lines), default=0)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        strip = self._strips.get(y)
        if strip is None:
            if self._base is None:
                self._base = self.rich_style  # (walks the DOM: once, not per line)
            base = self._base
            segments = list(Segment.apply_style(self.lines[y], base)) if y < len(self.lines) else []
            strip = self._strips[y] = Strip(Segment.adjust_line_length(segments, width, style=base), width)
        return strip

    def on_resize(self) -> None:
        self._strips = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips, self._base = {}, None


class StatsScreen(Screen[None]):
    """Shown at once; the counts come with it (the session's arrays), or from a worker while
    the time buckets are still being coded."""

    COMPONENT_CLASSES = {"stats--unreviewed", "stats--sourced", "stats--unverified", "stats--disputed",
                         "stats--kind", "stats--speaker"}
    BINDINGS = [Binding("t,escape,tab", "dismiss", "Back", id="stats_back", tooltip="back to the claims list")]

    def __init__(self, stats: Stats | None = None, label: Callable[[str], str] = str) -> None:
        super().__init__()
        self.stats = stats
        self.label = label
        self._drawn: tuple[int, int] | None = None  # (stats, width) the lines were drawn for

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield StatsLines(id="stats")
        yield KeyBar(("stats_back", "help", "quit"))

    def on_mount(self) -> None:
        if self.stats is not None:
            self.show(self.stats)

    def show(self, stats: Stats) -> None:
        self.stats = stats
        width = max(20, (self.size.width or self.app.size.width) - 4 - 2)  # less padding and the scroll bar
        if self._drawn == (id(stats), width):
            return  # the first resize after mounting: the same lines
        self._drawn = (id(stats), width)
        names = [c.removeprefix("stats--") for c in self.COMPONENT_CLASSES]
        styles = {n: self.get_component_rich_style(f"stats--{n}", partial=True) for n in names}
        self.query_one("#stats", StatsLines).set_lines(stats_lines(stats, self.app.console, width, styles, self.label))

    def on_resize(self) -> None:
        if self.stats is not None:
            self.show(self.stats)
