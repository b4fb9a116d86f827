"""Rich progress bars for long CLI work, drawn from the core's progress reports.

On a terminal (stderr is a tty) the command gets a spinner with its elapsed
time and a bar for each counted step the core reports (verifier.progress);
bars vanish when done. Piped or redirected, nothing is drawn.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager, nullcontext
from typing import Iterator

REFRESH = 10  # redraws a second at most

# Commands that may take long; `open` is left out: the workbench draws the screen itself.
LONG_COMMANDS = ("ingest", "link", "check-quotes", "import", "sources", "follow")
SPINNER_ONLY = {"ingest": "ingesting", "link": "linking", "check-quotes": "checking quotes",
                "import": "importing", "sources": "checking quotes"}


class RichBars:
    def __init__(self, stream=None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class Count(ProgressColumn):  # "12/40", nothing while the size is unknown
            def render(self, task) -> Text:
                if task.total is None:
                    return Text("")
                return Text(f"{int(task.completed):,}/{int(task.total):,}", style="progress.download")

        # Drawn when the core reports, at most REFRESH times a second, never by a thread of
        # Rich's own: ingest forks a second process only from a single-threaded one.
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), Count(),
            TimeElapsedColumn(), console=Console(file=stream or sys.stderr), transient=True,
            auto_refresh=False,
        )
        self.tasks: dict[str, int] = {}
        self.live = False
        self.drawn = 0.0

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if not self.live:
            self.progress.start()
            self.live = True
        tid = self.tasks.get(label)
        if tid is None:
            tid = self.tasks[label] = self.progress.add_task(label, total=total)
        self.progress.update(tid, completed=done, total=total)  # type: ignore[arg-type]
        finished = total is not None and done >= total
        if finished:
            self.progress.remove_task(tid)  # type: ignore[arg-type]
            del self.tasks[label]
            if not self.tasks:
                self.stop()
                return
        now = time.monotonic()
        if finished or now - self.drawn >= 1 / REFRESH:
            self.drawn = now
            self.progress.refresh()

    def stop(self) -> None:
        if self.live:
            self.progress.stop()
            self.live = False


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    if os.environ.get("VERIFIER_PROGRESS", "").lower() in ("0", "no", "off"):
        return False
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_bar(command: str | None, stream=None) -> Iterator[None]:
    """Listen to the core's progress reports while ``command`` runs (when long, on a terminal)."""
    if command not in LONG_COMMANDS or not wanted(stream):
        yield
        return
    from verifier import progress

    bars = RichBars(stream)
    spinner = SPINNER_ONLY.get(command or "")
    try:
        with progress.listening(bars):
            with progress.stage(spinner) if spinner else nullcontext():
                yield
    finally:
        bars.stop()
