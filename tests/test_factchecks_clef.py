"""Matching on real CLEF CheckThat! text (issue 15): tweets against the 10,375 Snopes claims (2020) and
debate sentences, with their speakers from the transcripts, against the 19,250 PolitiFact claims (2022).
The bars are below the benchmark's figures (benchmarks/bench_factchecks.py) with room for ties; they
catch a broken matcher, not a point of MAP."""

from pathlib import Path

import pytest

from verifier.factchecks.evaluate import Transcripts, read_qrels, read_queries, scores
from verifier.factchecks.matcher import CHECKED_BEFORE, Matcher
from verifier.factchecks.readers import read_factchecks

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared"))
               if (p / "claim-matching").exists()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="shared claim-matching data not found")
DATA = (SHARED or Path(".")) / "claim-matching"


@pytest.fixture(scope="module")
def snopes():
    return Matcher.build(read_factchecks(str(DATA / "clef2020-task2" / "verified_claims.docs.tsv")))


@pytest.fixture(scope="module")
def politifact():
    return Matcher.build(read_factchecks(str(DATA / "clef2022-task2b" / "politifact-vclaims.jsonl")))


def test_2020_dev_tweets_find_their_snopes_checks(snopes):
    d = DATA / "clef2020-task2" / "dev"
    qrels = read_qrels(str(d / "tweet-vclaim-pairs.qrels"))
    runs, flagged = {}, []
    for qid, text, _ in read_queries(str(d / "tweets.queries.tsv")):
        hits = snopes.search(text, k=5)
        runs[qid] = [h.entry.id for h in hits]
        if hits and hits[0].score >= CHECKED_BEFORE:
            flagged.append(runs[qid][0] in qrels[qid])
    s = scores(runs, qrels)
    assert s["MAP@5"] >= 0.70 and s["Recall@5"] >= 0.78, s
    assert flagged and sum(flagged) / len(flagged) >= 0.9  # "checked before" is right when it says so


def test_2022_dev_sentences_with_speakers(politifact):
    d = DATA / "clef2022-task2b"
    qrels = read_qrels(str(d / "CT2022-Task2B-EN-Dev_QRELs.tsv"))
    texts = {q: t for q, t, _ in read_queries(str(d / "CT2022-Task2B-EN-Train-Dev_Queries.tsv"))}
    tr = Transcripts(str(d / "transcripts"))
    with_speaker, without = {}, {}
    for qid in qrels:
        with_speaker[qid] = [h.entry.id for h in politifact.search(texts[qid], speaker=tr.speaker(qid),
                                                                     when=tr.date(qid), k=5)]
        without[qid] = [h.entry.id for h in politifact.search(texts[qid], k=5)]
    a, b = scores(with_speaker, qrels), scores(without, qrels)
    assert a["MAP@5"] >= 0.42, a
    assert a["MAP@5"] > b["MAP@5"]  # the claimant and the date help


def test_misspelt_transcript_ids_find_their_speaker():
    tr = Transcripts(str(DATA / "clef2022-task2b" / "transcripts"))
    qids = [q for q, _, _ in read_queries(str(DATA / "clef2022-task2b" / "CT2022-Task2B-EN-Train-Dev_Queries.tsv"))]
    located = [q for q in qids if tr.speaker(q)]
    assert len(located) == len(qids)


def test_saved_index_answers_the_same(politifact, tmp_path):
    folder = str(tmp_path / "claims.json.factchecks")
    politifact.save(folder)
    loaded = Matcher.load(folder)
    assert loaded is not None and loaded.fingerprint == politifact.fingerprint and len(loaded) == len(politifact)
    text = "We have the highest murder rate in this country in 45 years."
    a = [(h.entry.id, round(h.score, 6)) for h in politifact.search(text, speaker="Donald Trump", k=5)]
    b = [(h.entry.id, round(h.score, 6)) for h in loaded.search(text, speaker="Donald Trump", k=5)]
    assert a == b and a
