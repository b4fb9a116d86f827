"""Progress of long work, reported by the core and drawn by whoever listens.

The core never draws anything: it calls ``track`` (or ``report``) and, when a
listener was installed with ``listening``, the listener is told
``(label, done, total)``; ``total`` is None when unknown. The CLI installs a
Rich progress bar on a terminal (verifier/commands/progress_bar.py), the
workbench may install its own; with no listener this costs one lookup.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

Listener = Callable[[str, int, "int | None"], None]
T = TypeVar("T")

_listener: ContextVar[Listener | None] = ContextVar("verifier_progress", default=None)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def report(label: str, done: int, total: int | None = None) -> None:
    listener = _listener.get()
    if listener is not None:
        listener(label, done, total)


def track(items: Sequence[T] | Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, reporting each step to the listener (if any)."""
    listener = _listener.get()
    if listener is None:
        yield from items
        return
    if total is None:
        try:
            total = len(items)  # type: ignore[arg-type]
        except TypeError:
            total = None
    listener(label, 0, total)
    n = 0
    for n, item in enumerate(items, 1):
        yield item
        listener(label, n, total)
    if total is not None and n != total:
        listener(label, total, total)


@contextmanager
def stage(label: str) -> Iterator[None]:
    """Work whose size is unknown (a spinner): reported as started, then done."""
    report(label, 0, None)
    try:
        yield
    finally:
        report(label, 1, 1)
