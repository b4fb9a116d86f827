"""The fact-check library (issue 15): every input form read, bad files refused with one line and nothing
stored, the TREC batch mode, matches on ingest, adopting a match, and the exports carrying it.

Library entries are real: PolitiFact and Snopes fact-checks from the CLEF CheckThat! files, written out
in each form a feed comes in."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.factchecks import CHECKED_BEFORE, adopt, checked_before, matches_for
from verifier.factchecks.readers import read_factchecks
from verifier.store.database import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared"))
               if (p / "claim-matching").exists()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="shared claim-matching data not found")
DATA = (SHARED or Path(".")) / "claim-matching"
POLITIFACT = DATA / "clef2022-task2b" / "politifact-vclaims.jsonl"
SNOPES = DATA / "clef2020-task2" / "verified_claims.docs.tsv"


@pytest.fixture(scope="module")
def vclaims():
    """The first 40 PolitiFact checks of the CLEF file, as its JSON objects."""
    with open(POLITIFACT, encoding="utf-8") as fh:
        return [json.loads(next(fh)) for _ in range(40)]


def as_claim_review(v):
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://www.politifact.com" + v["url"],
            "claimReviewed": v["vclaim"], "headline": v["title"], "datePublished": "2019-11-01",
            "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.com"},
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": v["speaker"]},
                             "datePublished": "October 22, 2019"},
            "reviewRating": {"@type": "Rating", "alternateName": v["truth_label"]}}


def run(*args, db):
    return subprocess.run([sys.executable, "-m", "verifier", "--db", db, *args], capture_output=True, text=True,
                          cwd=str(ROOT))


def check_entry(e, v):
    assert e.claim == " ".join(v["vclaim"].split())
    assert e.claimant == v["speaker"] and e.publisher == "PolitiFact" and e.rating == v["truth_label"]
    assert e.url == "https://www.politifact.com" + v["url"]


@pytest.mark.parametrize("form", ["object", "list", "graph", "datafeed", "html", "jsonl-claimreview"])
def test_claim_review_forms(tmp_path, vclaims, form):
    reviews = [as_claim_review(v) for v in vclaims[:5]]
    if form == "object":
        reviews = reviews[:1]
        text = json.dumps(reviews[0])
    elif form == "list":
        text = json.dumps(reviews)
    elif form == "graph":
        text = json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}] + reviews})
    elif form == "datafeed":  # the Data Commons fact-check feed's shape
        text = json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [r]} for r in reviews]})
    elif form == "html":
        text = "<html><head>" + "".join(f'<script type="application/ld+json">{json.dumps(r)}</script>'
                                        for r in reviews) + "</head><body>…</body></html>"
    else:
        text = "\n".join(json.dumps(r) for r in reviews)
    path = tmp_path / ("feed.html" if form == "html" else "feed.jsonl" if form.startswith("jsonl") else "feed.json")
    path.write_text(text, encoding="utf-8")
    got = read_factchecks(str(path))
    assert len(got) == len(reviews)
    for e, v in zip(got, vclaims):
        check_entry(e, v)
        assert e.title == v["title"] and e.date == "2019-10-22"  # the claim's date, not the review's
        assert e.id == e.url  # no identifier: the review URL is its id


def test_clef_forms_keep_their_own_ids():
    pol = read_factchecks(str(POLITIFACT))
    assert len(pol) == 19250 and pol[0].id == "vclaim-pol-00000" and pol[0].date == "2019-10-22"
    assert pol[0].claimant == "GayDonna Vandergriff" and pol[0].rating == "false"
    sno = read_factchecks(str(SNOPES))
    assert len(sno) == 10375 and sno[0].id == "0" and sno[0].publisher == "Snopes"
    assert sno[0].title.startswith("Did 122 Prisoners Released")


def test_csv(tmp_path, vclaims):
    path = tmp_path / "checks.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "claimReviewed", "claimant", "date", "publisher", "alternateName", "url", "title"])
        for v in vclaims[:10]:
            w.writerow([v["vclaim_id"], v["vclaim"], v["speaker"], v["date"], "PolitiFact", v["truth_label"],
                        "https://www.politifact.com" + v["url"], v["title"]])
    got = read_factchecks(str(path))
    assert [e.id for e in got] == [v["vclaim_id"] for v in vclaims[:10]]
    for e, v in zip(got, vclaims):
        check_entry(e, v)


@pytest.fixture
def bad_library(tmp_path):
    files = {
        "missing": tmp_path / "nope.json",
        "empty": tmp_path / "empty.json",
        "malformed": tmp_path / "broken.json",
        "no-claimreview": tmp_path / "page.json",
        "bad-jsonl": tmp_path / "lines.jsonl",
        "csv-without-claims": tmp_path / "table.csv",
        "binary": tmp_path / "feed.jsonld",
    }
    files["empty"].write_text("")
    files["malformed"].write_text('[{"@type": "ClaimReview", "claimReviewed": "x",]')
    files["no-claimreview"].write_text('{"@type": "NewsArticle", "headline": "Nothing checked here"}')
    files["bad-jsonl"].write_text('{"vclaim_id": "a", "vclaim": "A claim"}\n{oops\n')
    files["csv-without-claims"].write_text("name,when\nx,2020-01-01\n")
    files["binary"].write_bytes(bytes(range(256)) * 4)
    return {k: str(v) for k, v in files.items()}


@pytest.mark.parametrize("kind", ["missing", "empty", "malformed", "no-claimreview", "bad-jsonl",
                                  "csv-without-claims", "binary"])
def test_bad_library_files_are_refused(sample_db, bad_library, vclaims, tmp_path, kind):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(v) for v in vclaims[:5]))
    with open(sample_db, "rb") as fh:
        before = fh.read()
    proc = run("factchecks", "add", str(good), bad_library[kind], db=sample_db)  # a good file first
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr
    with open(sample_db, "rb") as fh:
        assert fh.read() == before  # nothing stored, not even the good file
    assert not Path(sample_db + ".factchecks").exists()


def dev_queries_2022(n):
    """The first n dev queries of CLEF 2022 2B with their gold vclaim ids and the speaker from the transcript."""
    from verifier.factchecks.evaluate import Transcripts, read_qrels, read_queries

    d = DATA / "clef2022-task2b"
    qrels = read_qrels(str(d / "CT2022-Task2B-EN-Dev_QRELs.tsv"))
    texts = {q: t for q, t, _ in read_queries(str(d / "CT2022-Task2B-EN-Train-Dev_Queries.tsv"))}
    tr = Transcripts(str(d / "transcripts"))
    qids = sorted(qrels)[:n]
    return [(q, texts[q], tr.speaker(q)) for q in qids], {q: qrels[q] for q in qids}


def test_trec_batch_mode(db, tmp_path, capsys):
    queries, qrels = dev_queries_2022(12)
    gold = set().union(*qrels.values())
    with open(POLITIFACT, encoding="utf-8") as fh:
        lines = [line for i, line in enumerate(fh) if i < 400 or json.loads(line)["vclaim_id"] in gold]
    lib = tmp_path / "lib.jsonl"
    lib.write_text("".join(lines), encoding="utf-8")
    assert main(["factchecks", "add", str(lib)]) == 0
    qfile = tmp_path / "queries.tsv"
    qfile.write_text("".join(f"{q}\t{t}\t{s}\n" for q, t, s in queries), encoding="utf-8")
    capsys.readouterr()
    assert main(["factchecks", "search", "--queries", str(qfile), "--top", "5", "--format", "trec"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows and all(len(r) == 6 and r[1] == "Q0" and r[5] == "verifier" for r in rows)
    for qid in {r[0] for r in rows}:
        ranks = [int(r[3]) for r in rows if r[0] == qid]
        scores = [float(r[4]) for r in rows if r[0] == qid]  # ranking scores: trec_eval sorts on them
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 5 and scores == sorted(scores, reverse=True)
    found = sum(1 for q, rel in qrels.items() if any(r[0] == q and r[2] in rel for r in rows))
    assert found >= len(qrels) * 0.6  # the docids are the CLEF vclaim ids: gold ones come back in the top 5


def test_search_json_and_speaker(db, tmp_path, vclaims, capsys):
    lib = tmp_path / "lib.jsonl"
    lib.write_text("\n".join(json.dumps(v) for v in vclaims))
    assert main(["factchecks", "add", str(lib)]) == 0
    v = vclaims[1]  # Trump on murders dropping in major cities
    capsys.readouterr()
    assert main(["factchecks", "search", "the number of murders in America's major cities has dropped by more "
                 "than 10 percent", "--speaker", "Donald Trump", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == v["vclaim_id"] and hits[0]["claimant"] == "Donald Trump"
    assert all(0 <= h["score"] <= 1 for h in hits)


def test_desk_verdicts_match_on_ingest_and_adopt(tmp_path, sample_path, monkeypatch):
    """Desk A reviews a claim and exports ClaimReview; desk B adds that feed: B's copy of the claim is
    "checked before", and adopting the match puts A's rating and URL in B's note and evidence."""
    monkeypatch.setenv("VERIFIER_USER", "tester")
    a, b = str(tmp_path / "a.json"), str(tmp_path / "b.json")
    assert main(["--db", a, "ingest", str(sample_path)]) == 0
    with Store(a) as store:
        claim = max(store.live_claims(), key=lambda c: (c.checkworthiness, c.id))
        store.set_verdict(claim.id, status="disputed", note="contradicted by the ministry",
                          evidence=["https://example.org/source"])
    feed = tmp_path / "a.jsonld"
    assert main(["--db", a, "export", "--format", "claimreview", "-o", str(feed)]) == 0
    assert main(["--db", b, "factchecks", "add", str(feed)]) == 0
    assert main(["--db", b, "ingest", str(sample_path)]) == 0  # matched on ingest
    with Store(b) as store:
        assert checked_before(store, claim.id)
        best = matches_for(store, claim.id)[0]
        assert best.score >= CHECKED_BEFORE and best.entry.rating == "Disputed" and best.entry.id == claim.id
        v = adopt(store, claim.id, best.entry.key)
        assert v.status == "unreviewed"  # the verdict stays the person's
        assert best.entry.url in v.evidence and "Disputed" in v.note
    doc = json.loads(run("export", "--format", "json", db=b).stdout)
    prior = next(c for c in doc["claims"] if c["id"] == claim.id)["prior_checks"]
    assert prior[0]["adopted"] and prior[0]["url"] == best.entry.url
    assert main(["--db", b, "tag", claim.id, "sourced"]) == 0
    reviews = json.loads(run("export", "--format", "claimreview", db=b).stdout)
    based = next(r for r in reviews if r["identifier"] == claim.id)["isBasedOn"]
    assert based[0]["url"] == best.entry.url and based[0]["reviewRating"]["alternateName"] == "Disputed"


def test_list_remove_and_index_beside_db(sample_db, tmp_path, vclaims, capsys):
    db = sample_db
    lib = tmp_path / "lib.jsonl"
    lib.write_text("\n".join(json.dumps(v) for v in vclaims[:10]))
    assert main(["factchecks", "add", str(lib)]) == 0
    assert Path(db + ".factchecks", "meta.json").exists()
    assert main(["factchecks", "add", str(lib)]) == 0
    assert "0 added, 0 updated, 10 unchanged" in capsys.readouterr().out
    assert main(["factchecks", "remove", "vclaim-pol-00003"]) == 0
    assert len(Store(db, readonly=True).factcheck_map()) == 9
    assert main(["factchecks", "remove", str(lib)]) == 0  # by the file they came from
    store = Store(db, readonly=True)
    assert not store.factcheck_map()
    assert not any(matches_for(store, c.id) for c in store.live_claims())  # the library changed: re-matched
    assert main(["factchecks", "remove", "nothing-like-this"]) == 2


def test_fact_check_api_results(tmp_path, vclaims):
    doc = {"claims": [{"text": v["vclaim"], "claimant": v["speaker"], "claimDate": "2019-10-22T00:00:00Z",
                       "claimReview": [{"publisher": {"name": "PolitiFact", "site": "politifact.com"},
                                        "url": "https://www.politifact.com" + v["url"], "title": v["title"],
                                        "reviewDate": "2019-10-30T00:00:00Z", "textualRating": v["truth_label"],
                                        "languageCode": "en"}]} for v in vclaims[:3]]}
    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    got = read_factchecks(str(path))
    assert len(got) == 3
    for e, v in zip(got, vclaims):
        check_entry(e, v)
        assert e.date == "2019-10-22"


def test_workbench_marks_filters_shows_and_adopts_a_prior_check(sample_db, tmp_path):
    """A published check of a sample claim: '=' in the list, `b` filters to it, the detail header
    shows publisher, rating and URL, `A` takes them into the note and evidence (status untouched)."""
    import asyncio
    import json as _json

    from tui_helpers import opened

    from verifier.cli import main
    from verifier.store import Store
    from verifier.tui.app import VerifierApp
    from verifier.tui.claim_list import ClaimList

    with Store(sample_db, readonly=True) as store:
        target = next(c for c in store.live_claims() if c.speaker == "Sergey Lavrov" and c.kind == "quote")
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": "https://checks.example.org/lavrov-sabbaths",
        "claimReviewed": target.text,
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Sergey Lavrov"},
                         "datePublished": "2023-02-02"},
        "author": {"@type": "Organization", "name": "Example Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
    }
    lib = tmp_path / "review.json"
    lib.write_text(_json.dumps(review))
    assert main(["factchecks", "add", str(lib)]) == 0

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(200, 50)) as pilot:
            await opened(pilot)
            claims = app.query_one(ClaimList)
            await pilot.press("b")  # only the claims checked before
            assert app.session.view == [target.id] and claims.selected == target.id
            row = "".join(seg.text for seg in claims.render_line(0))
            assert "= " in row  # the list's marker
            await pilot.pause()
            head = str(app.screen.query_one("#detail-head").render())
            assert "Example Checks" in head and "Misleading" in head and "checks.example.org" in head
            await pilot.press("A")
            await pilot.pause()
        return app

    asyncio.run(go())
    with Store(sample_db, readonly=True) as store:
        v = store.verdict(target.id)
        assert v.status == "unreviewed"  # the verdict stays the person's
        assert "https://checks.example.org/lavrov-sabbaths" in v.evidence and "Misleading" in (v.note or "")
