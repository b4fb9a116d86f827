"""Issue 12: no verdict lost under faults, and every hostile input refused in one line with nothing changed."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat

import pytest

from verifier.cli import main
from verifier.errors import StoreError
from verifier.store import Store, journal
from verifier.uistate import load_ui_state


def snapshot(path):
    with open(path, "rb") as fh:
        return fh.read()


def one_error_line(capsys, *needles):
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def crash(store):
    """What a SIGKILL leaves: no fold, the lock released by the kernel."""
    store.journal.close()
    store._lock.release()


# ---- a full disk ------------------------------------------------------------------

def test_disk_full_never_loses_a_confirmed_verdict(sample_db, monkeypatch):
    store = Store(sample_db)
    a, b = [c.id for c in store.iter_claims()][:2]
    store.set_verdict(a, status="sourced")
    real_write = journal.write

    def half_then_full(fd, data):  # the disk fills mid-line: some bytes land, then ENOSPC
        real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal, "write", half_then_full)
    with pytest.raises(StoreError, match="No space left"):
        store.set_verdict(b, status="disputed")  # the screen says: could not be saved
    assert store.status(b) == "unreviewed"  # nothing changed in memory either
    monkeypatch.setattr(journal, "write", real_write)  # space freed
    store.set_verdict(b, status="unverified")  # confirmed
    crash(store)
    store = Store(sample_db, readonly=True)
    assert store.status(a) == "sourced"
    assert store.status(b) == "unverified"
    assert [h.new["status"] for h in store.verdict_history(b)] == ["unverified"]
    seqs = [h.seq for h in store.verdict_history()]
    assert len(seqs) == len(set(seqs))  # no sequence number reused


def test_fsync_failure_leaves_no_stale_entry(sample_db, monkeypatch):
    store = Store(sample_db)
    a = next(store.iter_claims()).id

    def failing_fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(journal, "fsync", failing_fsync)
    with pytest.raises(StoreError):
        store.set_verdict(a, status="disputed")
    monkeypatch.setattr(journal, "fsync", os.fsync)
    crash(store)
    assert Store(sample_db, readonly=True).status(a) == "unreviewed"


def test_fold_on_a_full_disk_keeps_the_journal(sample_db, monkeypatch, capsys):
    from verifier.store import atomic

    store = Store(sample_db)
    cid = next(store.iter_claims()).id
    store.set_verdict(cid, status="disputed")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(StoreError, match="every change is kept in .*journal"):
        store.close()
    monkeypatch.undo()
    assert Store(sample_db, readonly=True).status(cid) == "disputed"


# ---- claims.json alone holds every verdict once the writer closes --------------------

def test_copy_of_the_database_after_a_tag_has_the_verdict(sample_db, tmp_path):
    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    assert main(["tag", cid, "disputed", "--note", "wrong figure"]) == 0
    assert not os.path.exists(sample_db + ".journal") or os.path.getsize(sample_db + ".journal") == 0
    copy = tmp_path / "mailed" / "claims.json"
    copy.parent.mkdir()
    shutil.copy(sample_db, copy)  # the file alone: a backup, an e-mail, a commit
    v = Store(str(copy), readonly=True).verdict(cid)
    assert (v.status, v.note) == ("disputed", "wrong figure")


# ---- import: validated whole, written as one batch ------------------------------------

def export_doc(sample_db, tmp_path, name="theirs.json"):
    out = tmp_path / name
    assert main(["export", "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text()), out


@pytest.mark.parametrize("field, value, needle", [
    ("note", 42, "verdict.note: expected text"),
    ("note", {"x": 1}, "verdict.note: expected text"),
    ("status", "maybe", "verdict.status"),
    ("evidence", "https://x.org", "verdict.evidence: expected a list"),
    ("evidence", ["javascript:alert(1)"], "javascript: URL"),
    ("by", ["a"], "verdict.by"),
])
def test_poisoned_import_is_refused_whole(sample_db, tmp_path, capsys, field, value, needle):
    doc, out = export_doc(sample_db, tmp_path)
    for c in doc["claims"][:3]:
        c["verdict"].update(status="disputed", note="theirs")
    doc["claims"][1]["verdict"][field] = value
    out.write_text(json.dumps(doc))
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["import", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert any(needle in line for line in err), err
    assert err[-1].endswith("nothing imported (1 problems)")
    assert snapshot(sample_db) == before
    assert not os.path.exists(sample_db + ".journal") or os.path.getsize(sample_db + ".journal") == 0


def test_bad_twentieth_verdict_writes_none(sample_db, tmp_path, capsys):
    doc, out = export_doc(sample_db, tmp_path)
    for c in doc["claims"][:20]:
        c["verdict"]["status"] = "sourced"
    doc["claims"][19]["verdict"]["note"] = 7
    doc["claims"][4]["id"] = None
    out.write_text(json.dumps(doc))
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["import", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "claims[4].id" in err[0] and "claims[19]" in err[1], err  # one line per problem
    assert snapshot(sample_db) == before
    doc["claims"][19]["verdict"]["note"] = "fine"
    doc["claims"][4]["id"] = doc["claims"][5]["id"]
    out.write_text(json.dumps(doc))
    assert main(["import", str(out)]) == 0
    store = Store(sample_db, readonly=True)
    assert sum(1 for cid in {c["id"] for c in doc["claims"][:20]} if store.status(cid) == "sourced") == 19
    seqs = {h.seq for h in store.verdict_history()}
    assert len(seqs) == 1  # one journal entry for the whole batch


# ---- terminals and exports never receive control characters or unsafe URLs ---------------

HOSTILE = ("The army said \x1b]0;pwned\x07 30 soldiers\r were killed in \u202eKramatorsk\u202c "
           "on Monday, officials\u200b said.")


@pytest.fixture
def hostile_db(db, tmp_path):
    posts = tmp_path / "posts.json"
    posts.write_text(json.dumps({"title": "Hostile \x1b[2J blog", "url": "javascript:alert(1)", "posts": [
        {"headline": "Strike \x1b[31mred", "body": HOSTILE, "url": "javascript:alert(document.cookie)",
         "published": "2023-02-02T10:00:00+00:00"}]}))
    assert main(["ingest", str(posts)]) == 0
    store = Store(db, readonly=True)
    cid = next(store.iter_claims()).id
    assert main(["tag", cid, "disputed", "--evidence", "https://example.org/ok", "javascript:alert(2)"]) == 0
    return db


UNSAFE = ["\x1b", "\x07", "\u202e", "\u200b", "\x9b"]


@pytest.mark.parametrize("args", [
    ["export", "--format", "csv"], ["export", "--format", "json"], ["export", "--format", "claimreview"],
    ["export", "--format", "markdown"], ["claims"], ["claims", "--json"], ["clusters"], ["stats"],
])
def test_no_control_or_bidi_character_reaches_stdout(hostile_db, capsys, args):
    capsys.readouterr()
    assert main(args) == 0
    out = capsys.readouterr().out
    for ch in UNSAFE:
        assert ch not in out, (args, repr(ch))
    assert "\r" not in out.replace("\r\n", "\n")
    if args[:1] == ["claims"] and "--json" not in args or "csv" in args:
        assert "⟨U+202E⟩" in out  # shown as what it is


def test_no_javascript_url_is_published(hostile_db, capsys):
    for fmt in ("claimreview", "json", "csv", "markdown"):
        capsys.readouterr()
        assert main(["export", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "javascript:alert(1)" not in out and "document.cookie" not in out, fmt
    assert main(["export", "--format", "claimreview"]) == 0
    reviews = json.loads(capsys.readouterr().out)
    item = reviews[0]["itemReviewed"]
    assert all("url" not in a for a in item["appearance"])
    assert {"@type": "CreativeWork", "url": "https://example.org/ok"} in reviews[0]["citation"]
    assert {"@type": "CreativeWork", "text": "javascript:alert(2)"} in reviews[0]["citation"]


# ---- a database that must not be written ---------------------------------------------

def test_read_only_database_is_refused_not_replaced(sample_db, sample_path, capsys):
    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    os.chmod(sample_db, 0o444)  # root ignores the mode when writing: the store must not
    try:
        before = snapshot(sample_db)
        capsys.readouterr()
        for args in (["tag", cid, "sourced"], ["ingest", str(sample_path)], ["link"]):
            assert main(args) == 1
            one_error_line(capsys, "read-only")
            assert snapshot(sample_db) == before
            assert stat.S_IMODE(os.stat(sample_db).st_mode) == 0o444
        assert main(["stats"]) == 0  # reading is fine
    finally:
        os.chmod(sample_db, 0o644)


def test_read_only_folder_is_refused(sample_db, capsys, tmp_path):
    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    folder = os.path.dirname(sample_db)
    os.chmod(folder, 0o555)
    try:
        before = snapshot(sample_db)
        capsys.readouterr()
        assert main(["tag", cid, "sourced"]) == 1
        one_error_line(capsys, "read-only")
        assert snapshot(sample_db) == before
    finally:
        os.chmod(folder, 0o755)


# ---- every bad input: one line, non-zero, nothing changed ------------------------------

def test_db_in_a_missing_folder(tmp_path, sample_path, capsys):
    db = str(tmp_path / "nope" / "claims.json")
    for args in (["ingest", str(sample_path)], ["stats"], ["tag", "abcd", "sourced"], ["claims"]):
        assert main(["--db", db, *args]) != 0
        one_error_line(capsys, "does not exist")
    assert not os.path.exists(tmp_path / "nope")


@pytest.mark.parametrize("where", ["missing", "readonly"])
def test_export_into_a_bad_folder(sample_db, tmp_path, capsys, where):
    folder = tmp_path / "out"
    if where == "readonly":
        folder.mkdir()
        os.chmod(folder, 0o555)
    try:
        capsys.readouterr()
        assert main(["export", "--format", "csv", "-o", str(folder / "x.csv")]) == 2
        one_error_line(capsys, str(folder))
    finally:
        if folder.exists():
            os.chmod(folder, 0o755)


def test_reader_on_a_mistyped_db_refuses_and_creates_nothing(tmp_path, capsys):
    db = tmp_path / "claim.json"
    for args in (["stats"], ["claims"], ["clusters"], ["export"], ["sources", "list"]):
        assert main(["--db", str(db), *args]) == 2, args
        one_error_line(capsys, "no database")
    assert list(tmp_path.iterdir()) == []  # no database, journal, lock or UI state appeared


@pytest.mark.parametrize("table, edit, needle", [
    ("claims", lambda d: d.update(text=42), "text: expected text, got a number"),
    ("claims", lambda d: d.update(span="0-10"), ".span: expected a list"),
    ("posts", lambda d: d.update(seq="3"), ".seq: expected a whole number"),
    ("clusters", lambda d: d.update(conflicts=None), ".conflicts: expected a list"),
    ("verdicts", lambda d: d.update(status="fake"), ".status: expected one of"),
])
def test_hand_edited_database_is_refused_naming_the_field(sample_db, capsys, table, edit, needle):
    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    if table == "verdicts":
        main(["tag", cid, "sourced"])
    if table == "clusters":
        main(["link"])
    data = json.loads(snapshot(sample_db))
    if not data[table]:
        pytest.skip(f"no {table} in the sample")
    edit(next(iter(data[table].values())))
    with open(sample_db, "w") as fh:
        json.dump(data, fh)
    before = snapshot(sample_db)
    capsys.readouterr()
    for args in (["stats"], ["claims"], ["export", "--format", "markdown"], ["tag", cid, "disputed"]):
        assert main(args) == 2, args
        line = one_error_line(capsys, needle, table + "/")
        assert "claims.json" in line
    assert snapshot(sample_db) == before


@pytest.mark.parametrize("line, needle", [
    ({"seq": "1", "op": "verdict"}, "seq: expected a whole number"),
    ({"seq": 99, "op": "verdict", "claim_id": 5, "new": {}}, "claim_id: expected text"),
    ({"seq": 99, "op": "verdict", "claim_id": "x", "new": {"claim_id": "x", "status": "maybe"}}, "status"),
    ({"seq": 99, "op": "verdict", "claim_id": "x", "new": {"claim_id": "x", "note": 3}}, "note"),
    ({"seq": 99, "op": "drop-tables"}, "unknown operation"),
    ({"seq": 99, "op": "decision", "decision": {"op": "merge", "claim_ids": "ab"}}, "claim_ids"),
])
def test_journal_with_wrong_types_is_refused(sample_db, capsys, line, needle):
    with open(sample_db + ".journal", "w") as fh:
        fh.write(json.dumps(line) + "\n")
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["stats"]) == 2
    one_error_line(capsys, needle, "line 1")
    assert snapshot(sample_db) == before


@pytest.mark.parametrize("content, warned", [
    (b'{"status": 3}', "status"), (b'{"text": ["a"]}', "text must be text"), (b"[1, 2]", "expected an object"),
    (b"{not json", "not valid JSON"), (b'{"kind": "poem"}', "kind"), (b'{"status": "sourced", "sort": "time"}', None),
])
def test_ui_state_with_wrong_types_is_ignored_with_a_warning(tmp_path, content, warned):
    path = tmp_path / "claims.json.ui.json"
    path.write_bytes(content)
    state, warning = load_ui_state(str(path))
    if warned is None:
        assert warning is None and state == {"status": "sourced", "sort": "time"}
    else:
        assert state == {} and warned in warning and "ignored" in warning
    assert load_ui_state(str(tmp_path / "none.ui.json")) == ({}, None)


def test_fold_after_that_is_not_a_number(sample_db, capsys, monkeypatch):
    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    monkeypatch.setenv("VERIFIER_FOLD_AFTER", "abc")
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["tag", cid, "sourced"]) == 2
    one_error_line(capsys, "VERIFIER_FOLD_AFTER")
    assert snapshot(sample_db) == before


def test_negative_limit(sample_db, capsys):
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["claims", "--limit", "-1"])
    assert exc.value.code == 2
    one_error_line(capsys, "--limit")
    assert main(["claims", "--limit", "0"]) == 0
    assert capsys.readouterr().out == ""


def test_json_nested_200000_deep(db, sample_db, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["ingest", str(deep)]) == 2
    one_error_line(capsys, "deep.json")
    assert main(["import", str(deep)]) == 2
    one_error_line(capsys, "deep.json")
    assert snapshot(sample_db) == before
    assert main(["--db", str(deep), "stats"]) == 2
    one_error_line(capsys, "deep.json")


def test_utf16_with_bom_is_read_as_text(db, sample_path, tmp_path, capsys):
    u16 = tmp_path / "blog-utf16.txt"
    u16.write_bytes(sample_path.read_text(encoding="utf-8").encode("utf-16"))
    assert main(["ingest", str(u16)]) == 0
    as_utf16 = capsys.readouterr().out.split("; ", 1)[1]
    assert main(["--db", str(tmp_path / "utf8.json"), "ingest", str(sample_path)]) == 0
    as_utf8 = capsys.readouterr().out.split("; ", 1)[1]
    assert as_utf16 == as_utf8 and " 0 added" not in as_utf16  # the same claims as from the UTF-8 file


def test_long_verify_quote_argument_is_bounded(sample_db, capsys):
    capsys.readouterr()
    assert main(["verify-quote", "word " * 24_000]) == 2
    one_error_line(capsys, "at most")


def test_50mb_single_line_is_refused_without_reading_it_whole(sample_db, tmp_path, capsys):
    big = tmp_path / "one-line.txt"
    with open(big, "wb") as fh:
        chunk = b"The army said 30 soldiers were killed on Monday. " * 20_000
        while fh.tell() < 50_000_000:
            fh.write(chunk)
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["ingest", str(big)]) == 2
    one_error_line(capsys, "one-line.txt", "line longer than")
    assert snapshot(sample_db) == before


def test_stored_paths_are_relative(db, sample_path, tmp_path):
    local = tmp_path / "blog.txt"
    local.write_text("Report from the front\n\nThe army said 30 soldiers were killed on Monday.\n")
    assert main(["ingest", str(local), str(sample_path)]) == 0
    data = snapshot(db).decode()
    assert str(tmp_path) not in data and str(sample_path.parent) not in data
    paths = sorted(s.path for s in Store(db, readonly=True).iter_sources())
    assert paths == sorted(["blog.txt", sample_path.name])


def test_json_posts_with_wrong_types_store_nothing(sample_db, tmp_path, capsys):
    posts = tmp_path / "typed.json"
    posts.write_text(json.dumps({"title": 5, "posts": [{"headline": "A", "body": "The army said 30 died."}]}))
    before = snapshot(sample_db)
    capsys.readouterr()
    assert main(["ingest", str(posts)]) == 2
    one_error_line(capsys, "title: expected text", "typed.json")
    assert snapshot(sample_db) == before


def test_the_file_stays_a_tinydb_database(sample_db):
    from verifier.store.tinystorage import VerifierTinyDB

    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    assert main(["tag", cid, "sourced"]) == 0
    db = VerifierTinyDB(sample_db)
    try:
        assert db.table("claims").get(doc_id=cid)["id"] == cid
        assert db.table("verdicts").get(doc_id=cid)["status"] == "sourced"
    finally:
        db.close()


def test_copy_after_quitting_the_workbench_has_the_verdicts(sample_db, tmp_path):
    import asyncio

    from tui_helpers import opened
    from verifier.tui.app import VerifierApp
    from verifier.tui.claim_list import ClaimList

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)  # the database opens in a worker
            first = app.query_one(ClaimList).selected
            await pilot.press("d")
            await pilot.press("q")
        return first

    cid = asyncio.run(go())
    copy = tmp_path / "backup.json"
    shutil.copy(sample_db, copy)  # claims.json alone, without its journal
    assert Store(str(copy), readonly=True).status(cid) == "disputed"


def test_disk_full_in_the_workbench_keeps_what_the_screen_confirmed(sample_db, monkeypatch):
    import asyncio

    from tui_helpers import opened
    from verifier.tui.app import VerifierApp
    from verifier.tui.claim_list import ClaimList

    real_write = journal.write

    def full(fd, data):
        real_write(fd, bytes(data)[:10])  # a few bytes land, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(160, 40)) as pilot:
            await opened(pilot)  # the database opens in a worker
            claims = app.query_one(ClaimList)
            cid = claims.selected
            monkeypatch.setattr(journal, "write", full)
            await pilot.press("u")  # the screen says: could not be saved
            assert claims.selected == cid and app.store.status(cid) == "unreviewed"
            monkeypatch.setattr(journal, "write", real_write)  # space freed
            await pilot.press("d")  # confirmed
            assert app.store.status(cid) == "disputed"
            crash(app.store)  # the workbench dies before it can fold
            app.store.close = lambda: None
        return cid

    cid = asyncio.run(go())
    store = Store(sample_db, readonly=True)
    assert store.status(cid) == "disputed"
    assert [h.new["status"] for h in store.verdict_history(cid)] == ["disputed"]


def test_devices_are_never_replaced(sample_db, capsys):
    capsys.readouterr()
    for args in (["--db", "/dev/null", "stats"], ["--db", "/dev/null", "tag", "abcd", "sourced"],
                 ["export", "-o", "/dev/null", "--force"]):
        assert main(args) == 2, args
        one_error_line(capsys, "/dev/null", "not a regular file")
    assert not os.path.isfile("/dev/null")


def test_a_symlinked_database_keeps_its_link(sample_db, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(sample_db)
    cid = next(Store(sample_db, readonly=True).iter_claims()).id
    assert main(["--db", str(link), "tag", cid, "sourced"]) == 0
    assert link.is_symlink()
    assert Store(sample_db, readonly=True).status(cid) == "sourced"


@pytest.mark.parametrize("content", [b'{"name": "my-app", "version": "1.0"}', b'{"_default": {"1": {"a": 1}}}',
                                     b'{"schema": "verifier-export/1", "claims": []}'])
def test_another_json_file_is_never_overwritten(tmp_path, sample_path, capsys, content):
    other = tmp_path / "package.json"
    other.write_bytes(content)
    capsys.readouterr()
    for args in (["ingest", str(sample_path)], ["stats"]):
        assert main(["--db", str(other), *args]) == 2
        one_error_line(capsys, "not a verifier database")
    assert other.read_bytes() == content
