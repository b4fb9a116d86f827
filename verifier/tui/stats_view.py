"""The stats view (t): bar charts of verdicts, kinds, speakers and claims over time."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

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


class StatsScreen(Screen[None]):
    """Shown at once; the counts arrive from a worker (a pass over every claim)."""

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
            yield Static("counting …", id="stats")
        yield KeyBar(("stats_back", "help", "quit"))

    def on_mount(self) -> None:
        if self.stats is not None:
            self.show(self.stats)

    def show(self, stats: Stats) -> None:
        self.stats = stats
        names = [c.removeprefix("stats--") for c in self.COMPONENT_CLASSES]
        styles = {n: self.get_component_rich_style(f"stats--{n}", partial=True) for n in names}
        width = max(20, (self.size.width or self.app.size.width) - 4 - 2)
        if self._drawn == (id(stats), width):
            return  # the first resize after mounting: the same lines
        self._drawn = (id(stats), width)
        group = render_stats(stats, styles, self.label)
        # Rich tables are slow to lay out, and a Static lays its content out several times (to
        # measure, to draw, on every resize): drawn once here into plain styled lines instead
        # (the width of the scroll area, less padding and its scroll bar).
        console = self.app.console
        out = Text(no_wrap=True, overflow="crop", end="")
        for i, line in enumerate(console.render_lines(group, console.options.update_width(width), pad=False)):
            if i:
                out.append("\n")
            for seg in line:
                if not seg.control:
                    out.append(seg.text, seg.style)
        self.query_one("#stats", Static).update(out)

    def on_resize(self) -> None:
        if self.stats is not None:
            self.show(self.stats)
