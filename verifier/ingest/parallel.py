"""The second core for work that splits into independent items (extraction of posts, quote checks).

``halves(work, items)`` returns ``work(items)``; when there are enough items and the process may
fork, the second half runs in a forked child (it inherits the data: nothing is sent to it) and
its results come back pickled, so the answer is the same list in the same order as one process
gives. The child reports no progress (the parent draws the bar). A child that fails leaves its
half to the parent: never a lost or a half answer.

Forking is only done by a plain single-threaded process on a machine with two or more cores
(the CLI and the benchmarks); the workbench, which runs threads, always works in one process.
VERIFIER_WORKERS=1 turns it off.
"""

from __future__ import annotations

import gc
import os
import pickle
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_JOB: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None


def may_fork() -> bool:
    import multiprocessing
    import threading

    if os.environ.get("VERIFIER_WORKERS", "").strip() == "1":
        return False
    return ((os.cpu_count() or 1) > 1 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def halves(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, at_least: int,
           split: int | None = None, workers: int | None = None) -> list[R]:
    """``work(items)``, its second part in a forked child when there are ``at_least`` items.
    ``split``: where the child's part starts (default: the middle); ``workers``: 1 forces one
    process, 2 forces the fork where it is possible."""
    n = len(items)
    if workers is None:
        workers = 2 if n >= at_least and may_fork() else 1
    if workers < 2 or n < 2:
        return work(items)
    import multiprocessing

    cut = (n + 1) // 2 if split is None else max(0, min(n, split))
    global _JOB
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    _JOB = (work, items[cut:])
    try:
        proc = ctx.Process(target=_child, args=(writer,), daemon=True)
        proc.start()
    except OSError:
        reader.close()
        writer.close()
        return work(items)
    finally:
        _JOB = None
    writer.close()
    try:
        first = work(items[:cut])
        try:
            second = pickle.loads(reader.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            second = None
    except BaseException:
        proc.terminate()  # an error (or ^C) here: the child's half is not wanted
        raise
    finally:
        reader.close()
        proc.join()
    if not isinstance(second, list) or len(second) != n - cut:
        second = work(items[cut:])  # the child failed: its part here
    return first + second


def _child(writer: Any) -> None:
    from verifier.progress import listening

    job = _JOB
    try:
        if job is not None:
            work, part = job
            try:
                with listening(None):
                    out = work(part)
            except Exception:  # noqa: BLE001  the parent does this part again and meets the error itself
                return
            writer.send_bytes(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        writer.close()


# ---- the cycle collector during bulk work ---------------------------------------------------
_BULK = 0


@contextmanager
def bulk_work() -> Iterator[None]:
    """Work that builds millions of long-lived objects (a loaded database, claims, link and quote
    indexes): the cycle collector would scan them all again and again (a third of quote checking's
    time at 25,000 posts). What exists on entry, and at each settle(), is frozen (never scanned;
    freed as usual when no longer used, a cycle among it when the work ends); restored after."""
    import threading

    global _BULK
    if _BULK or not gc.isenabled() or threading.current_thread() is not threading.main_thread():
        yield
        return
    _BULK += 1
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 10_000), *old[1:])
    try:
        yield
    finally:
        _BULK -= 1
        gc.set_threshold(*old)
        gc.unfreeze()


def settle() -> None:
    """Within bulk_work: what exists now is long-lived (an index just built); elsewhere nothing."""
    if _BULK:
        gc.freeze()
