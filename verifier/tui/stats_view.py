"""The stats view (t): bar charts of verdicts, kinds, speakers and claims over time."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from verifier.stats import Stats
from verifier.text import one_line
from verifier.tui.detail import STATUS_STYLE

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


def _over_time(st: Stats) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=LABEL_WIDTH, no_wrap=True)
    table.add_column(width=BAR_WIDTH + 1, no_wrap=True)
    table.add_column(justify="right")
    table.title = f"Claims per {st.unit} (green: reviewed)"
    table.title_justify = "left"
    table.title_style = "bold"
    most = max((n for _, n, _ in st.over_time), default=0)
    for label, n, reviewed in st.over_time:
        # whole cells, so the reviewed part and the rest line up as one stacked bar
        cells = max(1, round(n / most * BAR_WIDTH)) if most else 0
        done = min(cells, round(reviewed / most * BAR_WIDTH)) if most else 0
        if reviewed and not done:
            done = 1
        line = Text("█" * done, style="green")
        line.append("█" * (cells - done), style="grey50")
        table.add_row(Text(label), line, f"{reviewed}/{n}")
    return table


def render_stats(st: Stats) -> Group:
    verdicts = _chart(f"Verdicts: {st.reviewed} of {st.total} reviewed",
                      [(s, n, STATUS_STYLE[s] if s != "unreviewed" else "grey50") for s, n in st.by_status.items()],
                      st.total)
    kinds = _chart("Kinds", [(k, n, "cyan") for k, n in st.by_kind.items()], st.total)
    speakers = _chart("Most quoted", [(one_line(s, LABEL_WIDTH), n, "magenta") for s, n in st.speakers], st.total)
    clusters = Text(f"Duplicate clusters: {st.clusters}, {st.conflicted} with conflicting figures or wording",
                    style="bold")
    return Group(verdicts, Text(), _over_time(st), Text(), kinds, Text(), speakers, Text(), clusters)


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("t,escape,tab", "dismiss", "Back", id="stats.back", tooltip="back to the claims list")]
    DEFAULT_CSS = """
    StatsScreen VerticalScroll { padding: 1 2; }
    """

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(render_stats(self.stats), id="stats")
        yield Footer()
