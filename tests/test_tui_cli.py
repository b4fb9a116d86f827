"""Issue 13's fixes outside the screen: CLI arguments, Markdown escapes, bulk verdict writes,
corrections kept as decisions, and "not a claim" out of the counts."""


import pytest

from verifier.cli import main
from verifier.store import Store


def ids(db, n):
    store = Store(db, readonly=True)
    return [c.id for c in store.live_claims()][:n]


def test_tag_takes_several_ids_and_evidence_does_not_swallow_them(sample_db, capsys):
    a, b, c = ids(sample_db, 3)
    # --evidence before the ids and the status: they are still read as such
    assert main(["tag", a[:8], "--evidence", "https://example.org/a", "a press release", b[:8], "Disputed"]) == 0
    store = Store(sample_db, readonly=True)
    for cid in (a, b):
        v = store.verdict(cid)
        assert v.status == "disputed" and v.evidence == ["https://example.org/a", "a press release"]
    assert store.verdict(c).status == "unreviewed"
    assert "2 claims tagged disputed" in capsys.readouterr().err
    # one journal entry (one sequence number, one fsync) for the lot
    history = store.verdict_history()
    assert {h.claim_id for h in history if h.seq == history[-1].seq} == {a, b}


@pytest.mark.parametrize("status", ["SOURCED", "Sourced", "not-a-claim", "Not_A_Claim", "not a claim"])
def test_statuses_are_case_insensitive(sample_db, status):
    a = ids(sample_db, 1)[0]
    assert main(["tag", a, status]) == 0
    want = "sourced" if status.lower() == "sourced" else "not-a-claim"
    assert Store(sample_db, readonly=True).verdict(a).status == want


def test_bad_status_and_missing_status_are_one_line_errors(sample_db, capsys):
    a = ids(sample_db, 1)[0]
    assert main(["tag", a, "bogus"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown status 'bogus'" in err
    assert main(["tag", a]) == 2
    assert "at least one claim id and a status" in capsys.readouterr().err


def test_quote_check_filter_accepts_not_found_and_counts_read_right(sample_db, sample_path, capsys):
    assert main(["sources", "add", str(sample_path.parent / "lavrov-interview-transcript.txt")]) == 0
    capsys.readouterr()
    assert main(["claims", "--quote-check", "not-found"]) == 0
    out = capsys.readouterr()
    assert out.out and out.err.strip().endswith(("claims", "claim"))
    assert main(["claims", "--quote-check", "NOT FOUND", "--status", "Unreviewed", "--limit", "1"]) == 0
    assert capsys.readouterr().err.strip() == "1 claim"
    assert main(["link"]) == 0
    assert "clusters of duplicate claims" in capsys.readouterr().out
    assert main(["clusters"]) == 0
    text = capsys.readouterr().out
    assert " 2 claims" in text and "1 claims" not in text and "conflict(s)" not in text


def test_markdown_escapes_only_what_would_format(sample_db):
    from verifier.export.markdown_export import md

    assert md("On 2023-02-02 the U.S. said 40.5% (roughly).") == "On 2023-02-02 the U.S. said 40.5% (roughly)."
    assert md("a *bold* [link](x) <b>") == r"a \*bold\* \[link\](x) \<b\>"
    assert md("# heading") == r"\# heading" and md("- item") == r"\- item" and md("1. item") == r"1\. item"
    assert md("snake_case stays") == "snake_case stays"
    a = ids(sample_db, 1)[0]
    assert main(["tag", a, "disputed"]) == 0
    from verifier.export import render
    from verifier.config import Config
    report = render(Store(sample_db, readonly=True), "markdown", Config())
    assert "2023\\-02" not in report and "\\." not in report


def test_bulk_verdicts_keep_each_history_entry_across_a_save(sample_db):
    from verifier.models import Verdict

    a, b = ids(sample_db, 2)
    with Store(sample_db) as store:
        store.set_verdicts([Verdict(a, "sourced"), Verdict(b, "disputed")])
        store.save()
    store = Store(sample_db, readonly=True)
    assert [h["new"]["status"] for h in store.history_of(a)] == ["sourced"]
    assert [h["new"]["status"] for h in store.history_of(b)] == ["disputed"]
    assert len(store.history_records()) == 2


def test_not_a_claim_is_outside_stats_and_reports(sample_db):
    from verifier.stats import compute

    a, b = ids(sample_db, 2)
    assert main(["tag", a, "not-a-claim"]) == 0
    assert main(["tag", b, "sourced"]) == 0
    st = compute(Store(sample_db, readonly=True))
    live = Store(sample_db, readonly=True).claim_count()
    assert st.total == live - 1 and st.reviewed == 1 and st.not_a_claim == 1
    from verifier.export import csv_export
    text = csv_export.dumps(Store(sample_db, readonly=True))
    assert a not in text and b in text


def test_corrections_are_decisions_replayed_on_load(sample_db):
    a = ids(sample_db, 1)[0]
    with Store(sample_db) as store:
        store.correct_claim(a, "speaker", "Olena Kovalenko")
        store.correct_claim(a, "kind", "figure")
        with pytest.raises(Exception):
            store.correct_claim(a, "kind", "opinion")
    store = Store(sample_db, readonly=True)  # from the journal
    assert store.claim_map()[a].speaker == "Olena Kovalenko" and store.claim_map()[a].kind == "figure"
    assert store.corrections(a) == {"speaker": "Olena Kovalenko", "kind": "figure"}
