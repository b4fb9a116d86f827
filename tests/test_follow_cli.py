"""`verifier follow` on the command line, and progress bars: drawn on a terminal, silent when piped."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_site import sample_site  # noqa: E402

from verifier import progress  # noqa: E402
from verifier.cli import main  # noqa: E402
from verifier.store.database import Store  # noqa: E402


@pytest.fixture
def site(sample_path):
    with sample_site(sample_path, shown=3) as s:
        yield s


def test_follow_once_then_resume_list_and_stop(db, site, capsys):
    url = site.url("/feed.atom")
    assert main(["follow", url, "--every", "5", "--once"]) == 0
    out = capsys.readouterr()
    assert "posts 3 new" in out.out and "following 1 source" in out.err
    site.publish()
    assert main(["follow", "--once"]) == 0  # no SOURCE: the followed ones, from the database
    assert "posts 1 new" in capsys.readouterr().out
    assert main(["follow", "--list"]) == 0
    listed = capsys.readouterr().out
    assert url in listed and "following" in listed and "every 5 s" in listed
    rec_id = next(iter(Store(db, readonly=True).follow_map()))
    assert main(["follow", "--stop", rec_id[:6]]) == 0
    capsys.readouterr()
    assert main(["follow", "--once"]) == 2  # nothing left to follow
    assert "nothing to follow" in capsys.readouterr().err
    assert len(Store(db, readonly=True).post_map()) == 4


def test_follow_keeps_trying_after_a_failure_with_one_line_on_stderr(db, site, capsys):
    url = site.url("/plain.html")
    site.fail("/plain.html", 500, times=4)  # the first poll (a fetch and two retries), then once more
    assert main(["follow", url, "--every", "0.2", "--for", "3"]) == 0
    out = capsys.readouterr()
    failures = [ln for ln in out.err.splitlines() if "failed" in ln]
    assert len(failures) == 1 and re.search(r"\b500\b", failures[0]) and "3 attempts" in failures[0]
    assert "Traceback" not in out.err
    assert "posts 3 new" in out.out  # recovered and read the page
    assert len(Store(db, readonly=True).post_map()) == 3


def test_follow_of_an_unreachable_host_fails_once_and_exits_non_zero(db, capsys):
    # a port nobody listens on: connection refused, at once
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    assert main(["follow", f"http://127.0.0.1:{port}/live", "--once"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len([ln for ln in err if "failed" in ln]) == 1
    assert len(Store(db, readonly=True).follow_map()) == 1  # kept: resumed when the host is back


def test_bad_every_is_one_line(db):
    proc = subprocess.run([sys.executable, "-m", "verifier", "--db", db, "follow", "x.txt", "--every", "0"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_progress_is_reported_by_the_core_and_silent_without_a_listener(db, sample_path):
    from verifier.ingest import read_document
    from verifier.pipeline import ingest_document

    doc = read_document(str(sample_path))
    seen: list[tuple[str, int, int | None]] = []
    with Store(db) as store, progress.listening(lambda *a: seen.append(a)):
        ingest_document(store, doc)
    steps = [s for s in seen if s[0] == "reading posts"]
    assert steps[0] == ("reading posts", 0, len(doc.posts))
    assert steps[-1] == ("reading posts", len(doc.posts), len(doc.posts))
    assert [s[1] for s in steps] == list(range(len(doc.posts) + 1))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only(monkeypatch):
    from verifier.commands.progress_bar import progress_bar

    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("VERIFIER_PROGRESS", raising=False)
    term, pipe = _Terminal(), io.StringIO()
    for stream in (term, pipe):
        with progress_bar("link", stream=stream):
            for _ in progress.track(range(50), "linking claims"):
                pass
    assert "linking" in term.getvalue()
    assert pipe.getvalue() == ""
    with progress_bar("tag", stream=(quick := _Terminal())):  # short commands draw nothing
        progress.report("x", 0, 1)
    assert quick.getvalue() == ""


def test_ingest_piped_prints_no_bar(db, sample_path):
    proc = subprocess.run([sys.executable, "-m", "verifier", "--db", db, "ingest", str(sample_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr == "" and "\x1b" not in proc.stdout


def test_the_follow_core_imports_neither_rich_nor_textual():
    # httpx loads rich for its own command line when rich is installed: not ours, so kept out here.
    code = ("import sys\n"
            "sys.modules['httpx._main'] = None\n"
            "import verifier.follow.follower, verifier.follow.fetch, verifier.follow.read\n"
            "import verifier.follow.feeds, verifier.follow.waiting, verifier.follow.refresh\n"
            "import verifier.progress, verifier.pipeline\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual'))\n"
            "assert not bad, bad\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_link_quote_checks_and_import_report_counted_progress(sample_db, tmp_path):
    from verifier.cli import main
    from verifier.export.json_import import merge, read_export
    from verifier.link import relink
    from verifier.quotecheck.check import check_claims

    seen: list[tuple[str, int, int | None]] = []
    with Store(sample_db) as store, progress.listening(lambda *a: seen.append(a)):
        relink(store)
        check_claims(store)
        live = store.claim_count()
        quotes = sum(1 for c in store.live_claims() if c.kind == "quote")
    out = tmp_path / "export.json"
    assert main(["export", "-o", str(out)]) == 0
    verdicts = read_export(str(out))
    with Store(sample_db) as store, progress.listening(lambda *a: seen.append(a)):
        merge(store, verdicts)
    by_label: dict[str, list[tuple[int, int | None]]] = {}
    for label, done, total in seen:
        by_label.setdefault(label, []).append((done, total))
    assert by_label["linking"][0] == (0, live) and by_label["linking"][-1] == (live, live)
    assert by_label["checking quotes"][-1] == (quotes, quotes)
    assert by_label["importing verdicts"][-1] == (len(verdicts), len(verdicts))


def test_progress_bars_start_no_thread(monkeypatch):
    """Ingest forks its second process only from a single-threaded one: the bars on a terminal
    are drawn when the core reports, not by a refresh thread of Rich's."""
    import threading

    from verifier.commands.progress_bar import progress_bar

    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("VERIFIER_PROGRESS", raising=False)
    term = _Terminal()
    before = threading.active_count()
    with progress_bar("ingest", stream=term):
        for _ in progress.track(range(50), "reading posts"):
            assert threading.active_count() == before
    assert "reading posts" in term.getvalue() or "ingesting" in term.getvalue()
