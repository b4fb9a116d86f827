"""Quote verification on real text: the sample's quotes against a transcript and against other posts."""

import json
import random

import pytest

from verifier.cli import main
from verifier.quotecheck import TextIndex, align
from verifier.quotecheck.check import match_of
from verifier.store import Store

TRANSCRIPT = "lavrov-interview-transcript.txt"
# Lavrov's words as the sample live blog prints them
NATO = "We see how the whole of NATO is now fighting against us. And those conversations that " \
       "‘we do not fight, but only arm,’ are ridiculous."
TASKS = "We have everything necessary to solve the tasks of the special military operation, to end the war " \
        "that the West waged through the Ukrainian regime after the coup [in 2014]."


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "cache"))  # built indexes stay in the test's folder


@pytest.fixture
def transcript(sample_path):
    return str(sample_path.parent / TRANSCRIPT)


@pytest.fixture
def index(transcript):
    from verifier.quotecheck.references import read_reference

    idx = TextIndex()
    ref = read_reference(transcript)
    idx.add("reference:t", ref.title, ref.text)
    return idx


def test_verbatim_whole_sentences_despite_quote_marks_and_case(index):
    m = align(NATO, index)
    assert m.status == "verbatim" and m.score == 100
    assert m.speaker == "LAVROV"  # the transcript's turn at that point
    assert m.line == 5


def test_one_word_changed_is_altered_and_the_word_is_shown(index):
    m = align(NATO.replace("ridiculous", "absurd"), index)
    assert m.status == "altered"
    assert m.diff == [{"op": "replace", "source": "ridiculous", "quote": "absurd"}]
    # and the sample's own quote differs from the transcript by one word: waged / started
    m = align(TASKS, index)
    assert m.status == "altered"
    assert m.diff == [{"op": "replace", "source": "started", "quote": "waged"}]


def test_cut_in_half_is_partial_with_what_surrounds_it(index):
    words = NATO.split()
    half = " ".join(words[3:12])  # "the whole of NATO is now fighting against us."
    m = align(half, index)
    assert m.status == "partial"
    assert m.before.endswith("We see how ")
    assert "those conversations" not in m.matched
    assert m.after.startswith(".")


def test_filler_and_contraction_are_minor(index):
    m = align("I think that we will come out of the current situation stronger, and we’ll be able to protect "
              "ourselves more effectively in any situation.", index)
    assert m.status == "minor"  # the transcript says "we will"
    m = align("Those who introduced the sanctions are paying the price themselves.", index)
    assert m.status == "minor"  # "you know" dropped


def test_words_dropped_or_added_are_altered(index):
    m = align("We see how NATO is now fighting against us.", index)  # "the whole of" dropped
    assert m.status == "altered"
    assert {"op": "delete", "source": "the whole of", "quote": ""} in m.diff


def test_sentence_from_elsewhere_is_not_found(index, sample_path):
    assert not align("The central bank raised interest rates by half a point to curb inflation.", index).found
    # a real sentence of the live blog that Lavrov never said in the transcript
    m = align("Two women jumped from their car and ran yelling while other civilians took shelter.", index)
    assert m.status == "not found"


def test_a_quote_is_found_in_its_one_true_place_in_a_1mb_transcript(transcript):
    from verifier.quotecheck.references import read_reference

    base = read_reference(transcript).text
    rng = random.Random(7)
    filler = base.split(". ")
    parts, size = [], 0
    while size < 1_000_000:  # a long transcript: the same speakers, shuffled sentences
        s = rng.choice(filler).replace("NATO", rng.choice(["the alliance", "Europe", "Washington"]))
        parts.append(s)
        size += len(s) + 2
    text = ". ".join(parts) + ". " + NATO + " The end."
    idx = TextIndex()
    idx.add("reference:big", "big", text)
    m = align(NATO, idx)
    assert m.status == "verbatim" and m.start > 900_000
    # speed is measured in benchmarks/bench_quotes.py; here only that it found the one true place


def test_cli_sources_and_verify_quote(sample_db, transcript, capsys):
    assert main(["sources", "add", transcript]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["sources", "add", transcript]) == 0  # the same text again: not stored twice
    assert "already there" in capsys.readouterr().out
    assert main(["sources", "list"]) == 0
    out = capsys.readouterr().out
    assert TRANSCRIPT in out and len(out.strip().splitlines()) == 1

    assert main(["verify-quote", NATO.replace("ridiculous", "absurd"), "--speaker", "Lavrov"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("altered") and "said 'ridiculous', quoted 'absurd'" in out and "warning" not in out
    assert main(["verify-quote", NATO, "--speaker", "Josep Borrell"]) == 0
    assert "gives these words to LAVROV" in capsys.readouterr().out  # misattributed, not invented
    assert main(["verify-quote", "The central bank raised interest rates by half a point."]) == 1
    assert capsys.readouterr().out.startswith("not found")
    assert main(["verify-quote", NATO, "--source", transcript, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "verbatim"

    store = Store(sample_db, readonly=True)
    ref_id = next(store.iter_references()).id
    checks = {store.claim(q.claim_id).quote: q.status for q in store.iter_quote_checks()}
    assert checks[TASKS] == "altered"
    assert any(q.startswith("We see how the whole of NATO") and s == "verbatim" for q, s in checks.items())
    del store
    assert main(["sources", "remove", ref_id[:8]]) == 0
    store = Store(sample_db, readonly=True)
    assert not list(store.iter_references())
    # without the transcript the quote is still found where another post repeats it, or not at all
    assert store.quote_check(next(c.id for c in store.iter_claims() if c.quote == TASKS)).status == "not found"


def test_quotes_repeated_in_a_summary_post_are_found_there(sample_db):
    store = Store(sample_db, readonly=True)
    # the 07:53 summary post repeats Lavrov's "come out ... stronger" quote from the 06:05 post
    stronger = [c for c in store.iter_claims() if c.quote and c.quote.startswith("I think that we will come out")]
    assert len(stronger) == 2
    for c in stronger:
        m = match_of(store.quote_check(c.id))
        assert m.status == "verbatim" and m.source.startswith("post:")
        assert m.source != f"post:{c.post_id}"  # the other post, never its own


def test_bad_input_is_one_line(sample_db, tmp_path, capsys):
    assert main(["sources", "add", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.txt" in err
    assert main(["sources", "remove", "nosuchref"]) == 2
    assert main(["verify-quote", "  "]) == 2
