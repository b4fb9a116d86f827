import json
import os
import shutil

import pytest

from verifier.cli import main
from verifier.errors import LockedError
from verifier.store import Store


def test_ingest_twice_changes_nothing(sample_db, sample_path, capsys):
    with open(sample_db, "rb") as fh:
        first = json.load(fh)
    assert main(["ingest", str(sample_path)]) == 0
    out = capsys.readouterr().out
    assert "posts 0 added, 0 updated, 9 unchanged; claims 0 added, 0 unchanged, 0 retired" in out
    with open(sample_db, "rb") as fh:
        second = json.load(fh)
    assert first["claims"] == second["claims"] and first["posts"] == second["posts"]


def test_verdict_survives_reingest(sample_db, sample_path):
    store = Store(sample_db, readonly=True)
    claim = next(c for c in store.iter_claims() if "15,000" in c.text)
    assert main(["tag", claim.id[:8], "sourced", "--note", "EU press release",
                 "--evidence", "https://example.org/eumam"]) == 0
    assert main(["ingest", str(sample_path)]) == 0
    store = Store(sample_db, readonly=True)
    v = store.verdict(claim.id)
    assert (v.status, v.note, v.evidence, v.by) == (
        "sourced", "EU press release", ["https://example.org/eumam"], "tester")
    assert store.verdict_history()[-1].new["status"] == "sourced"
    assert store.verdict_history()[-1].old["status"] == "unreviewed"


def test_later_capture_updates_edited_posts_and_keeps_verdicts(sample_db, sample_path, tmp_path, capsys):
    store = Store(sample_db, readonly=True)
    kept = next(c for c in store.iter_claims() if "eight people wounded" in c.text)
    gone = next(c for c in store.iter_claims() if c.text.startswith("The city's mayor, Oleksandr"))
    main(["tag", kept.id, "disputed"])
    main(["tag", gone.id, "sourced"])
    text = sample_path.read_text()
    later = text.replace("Updated 10:42 a.m. ET", "Updated 11:42 a.m. ET")
    for stamp in ("2 hr 6 min ago", "2 hr 38 min ago", "2 hr 49 min ago", "3 hr 50 min ago",
                  "3 hr 8 min ago", "4 hr 30 min ago", "4 hr 37 min ago", "5 hr 6 min ago"):
        h, rest = stamp.split(" hr ", 1)
        later = later.replace(f"\n{stamp}\n", f"\n{int(h) + 1} hr {rest}\n")
    later = later.replace("\n2 hr ago\n", "\n3 hr ago\n")
    later = later.replace(
        "The city's mayor, Oleksandr Honcharenko, confirmed that there had been a strike on Kramatorsk "
        "and urged residents to stay in bomb shelters.",
        "The city's mayor, Oleksandr Honcharenko, confirmed a strike on Kramatorsk.")
    later = later.replace("Sort by\n", "Sort by\n1 min ago\nNew post on the summit\nFrom CNN's Jane Roe\n"
                          "The EU pledged €10 million, von der Leyen said.\n", 1)
    capture = tmp_path / "later.txt"
    capture.write_text(later)
    capsys.readouterr()
    assert main(["ingest", str(capture)]) == 0
    out = capsys.readouterr().out
    assert "posts 1 added, 1 updated, 8 unchanged; claims 2 added, 5 unchanged, 1 retired" in out
    store = Store(sample_db, readonly=True)
    assert store.post_count() == 10
    assert store.verdict(kept.id).status == "disputed"
    assert store.claim(gone.id).retired
    assert store.verdict(gone.id).status == "sourced"  # never dropped


def test_second_writer_is_refused(sample_db):
    with Store(sample_db):
        with pytest.raises(LockedError, match="in use by another verifier"):
            Store(sample_db)
        Store(sample_db, readonly=True)  # reading is fine
    assert main(["stats"]) == 0


def crash(store):
    """What a SIGKILL leaves: no fold, the lock released by the kernel."""
    store.journal.close()
    store._lock.release()


def test_journal_replay_and_torn_tail(sample_db):
    store = Store(sample_db)
    cid = next(store.iter_claims()).id
    store.set_verdict(cid, status="unverified", note="call the ministry")
    crash(store)  # the writer dies before closing: the verdict lives in the journal only
    journal = sample_db + ".journal"
    assert os.path.getsize(journal) > 0
    with open(journal, "ab") as fh:
        fh.write(b'{"seq": 99, "op": "verdict", "claim_id": "')  # a write cut short
    store = Store(sample_db)
    assert store.verdict(cid).status == "unverified"
    assert store.verdict(cid).note == "call the ministry"
    store.set_verdict(cid, status="sourced")
    store.save()
    store.close()
    assert os.path.getsize(journal) == 0
    assert Store(sample_db, readonly=True).verdict(cid).status == "sourced"


def test_fold_is_not_applied_twice(sample_db, tmp_path):
    store = Store(sample_db)
    cid = next(store.iter_claims()).id
    store.set_verdict(cid, status="disputed")
    saved_journal = tmp_path / "j"
    shutil.copy(sample_db + ".journal", saved_journal)
    store.save()
    store.close()
    # a crash between the fold and the journal's truncation leaves the old journal behind
    shutil.copy(saved_journal, sample_db + ".journal")
    store = Store(sample_db, readonly=True)
    assert len(store.verdict_history(cid)) == 1
    assert len(store.verdict_history(cid)) == 1


def test_readonly_store_cannot_write(sample_db):
    store = Store(sample_db, readonly=True)
    with pytest.raises(Exception, match="read-only"):
        store.set_verdict(next(store.iter_claims()).id, status="sourced")


def test_a_quote_check_of_the_wrong_type_is_refused_and_nothing_of_its_batch_kept(sample_db):
    from verifier.errors import InputError
    from verifier.models import QuoteCheck

    store = Store(sample_db)
    a, b = [c.id for c in store.iter_claims() if c.kind == "quote"][:2]
    good = QuoteCheck(claim_id=a, status="verbatim", reference={"status": "verbatim"}, post={"status": "not found"})
    bad = QuoteCheck(claim_id=b, status=3)  # type: ignore[arg-type]
    before = (store.quote_check(a), store.quote_check(b))  # ingest checked every quote
    with pytest.raises(InputError, match=f"quote_checks/{b}.status"):
        store.put_quote_checks([good, bad])
    assert (store.quote_check(a), store.quote_check(b)) == before != (good, None)
    store.put_quote_checks([good])
    store.save()
    store.close()
    assert Store(sample_db, readonly=True).quote_check(a) == good


@pytest.mark.parametrize("how", ["kernel copy", "plain reads", "hand-indented file"])
def test_a_fold_keeps_every_table_byte_for_byte_and_adds_the_verdict(sample_db, monkeypatch, how):
    """A fold copies the tables it did not change from the old file (by the kernel where it can);
    a file laid out differently (re-indented by hand) is folded from its mapping instead."""
    if how == "hand-indented file":
        with open(sample_db) as fh:
            doc = json.load(fh)
        with open(sample_db, "w") as fh:
            json.dump(doc, fh, indent=2)
    if how == "plain reads":
        def refuse(*a, **k):
            raise OSError(18, "Invalid cross-device link")
        monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
        monkeypatch.delattr(os, "sendfile", raising=False)
    with open(sample_db) as fh:
        before = json.load(fh)
    store = Store(sample_db)
    cid = next(c.id for c in store.live_claims())
    store.set_verdict(cid, status="disputed", note="folded")
    store.close()
    with open(sample_db) as fh:
        after = json.load(fh)  # whole, valid JSON
    assert after["verdicts"][cid]["status"] == "disputed" and after["verdicts"][cid]["note"] == "folded"
    for table in ("claims", "posts", "sources", "clusters", "quote_checks", "references"):
        assert after.get(table) == before.get(table), table
    assert not os.path.exists(sample_db + ".journal") or os.path.getsize(sample_db + ".journal") == 0
    assert Store(sample_db, readonly=True).verdict(cid).note == "folded"
    assert [n for n in os.listdir(os.path.dirname(sample_db)) if n.endswith(".tmp")] == []
