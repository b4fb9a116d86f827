"""ClaimReview, CSV and Markdown exports from the tagged sample, and importing a colleague's verdicts."""

import csv
import json
import os

import pytest

from verifier.cli import main
from verifier.store import Store

NATO_PREFIX = "We see how the whole of NATO"


@pytest.fixture
def tagged(sample_db, tmp_path, monkeypatch):
    """The sample with a few verdicts, as a desk would leave it, and a desk configuration."""
    cfg = tmp_path / "verifier.toml"
    cfg.write_text('[organization]\nname = "Example Checks"\nurl = "https://checks.example.net"\n')
    monkeypatch.setenv("VERIFIER_CONFIG", str(cfg))
    store = Store(sample_db)
    try:
        by_text = {c.text: c for c in store.live_claims()}
        nato = next(c for t, c in by_text.items() if t.lstrip("\"“").startswith(NATO_PREFIX))
        wounded = next(c for t, c in by_text.items() if t.startswith("A fresh barrage of missiles"))
        borrell = next(c for c in store.live_claims() if c.speaker == "Josep Borrell" and c.kind == "quote")
        store.set_verdict(nato.id, status="sourced", note="Said on Rossiya-24; matches the transcript",
                          evidence=["https://example.org/transcript"])
        store.set_verdict(wounded.id, status="disputed", note="Regional figures say four wounded")
        store.set_verdict(borrell.id, status="unverified")
    finally:
        store.close()
    return {"nato": nato.id, "wounded": wounded.id, "borrell": borrell.id}


# Google's Fact Check markup: required, then recommended fields
REQUIRED = ["claimReviewed", "reviewRating", "url"]
RECOMMENDED = ["author", "datePublished", "itemReviewed"]


def test_claimreview_has_every_documented_field(tagged, tmp_path, capsys):
    out = tmp_path / "reviews.jsonld"
    assert main(["export", "--format", "claimreview", "-o", str(out)]) == 0
    assert "placeholder" not in capsys.readouterr().err  # a configured desk: no warning
    reviews = json.loads(out.read_text())
    assert len(reviews) == 3  # reviewed claims only: the 55 unreviewed are left out
    by_id = {r["identifier"]: r for r in reviews}
    for r in reviews:
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        for f in REQUIRED + RECOMMENDED:
            assert r.get(f), f
        assert r["url"].startswith("https://checks.example.net/fact-checks/")
        assert r["author"] == {"@type": "Organization", "name": "Example Checks",
                               "url": "https://checks.example.net"}
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = r["itemReviewed"]
        assert item["@type"] == "Claim" and item["appearance"] and item["firstAppearance"]
        assert item["datePublished"] == "2023-02-02"
    nato = by_id[tagged["nato"]]
    assert nato["claimReviewed"].startswith(NATO_PREFIX)  # the quote itself, not the sentence around it
    assert nato["itemReviewed"]["author"] == {"@type": "Person", "name": "Sergey Lavrov",
                                              "jobTitle": "Russian Foreign Minister"}
    assert nato["reviewRating"]["alternateName"] == "Sourced" and nato["reviewRating"]["ratingValue"] == 3
    assert nato["citation"] == [{"@type": "CreativeWork", "url": "https://example.org/transcript"}]
    assert by_id[tagged["wounded"]]["reviewRating"]["alternateName"] == "Disputed"
    assert by_id[tagged["wounded"]]["reviewRating"]["ratingExplanation"] == "Regional figures say four wounded"


def test_claimreview_without_configuration_warns_but_is_complete(tagged, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("VERIFIER_CONFIG", str(tmp_path / "nowhere.toml"))
    assert main(["export", "--format", "claimreview"]) == 2  # a named config that is missing: an error
    assert "nowhere.toml" in capsys.readouterr().err
    monkeypatch.delenv("VERIFIER_CONFIG")
    (tmp_path / "verifier.toml").unlink()
    monkeypatch.chdir(tmp_path)  # no verifier.toml anywhere: the defaults
    assert main(["export", "--format", "claimreview"]) == 0
    captured = capsys.readouterr()
    assert "placeholder" in captured.err
    assert all(r["url"] and r["author"]["name"] for r in json.loads(captured.out))


def test_csv_reads_back_one_row_per_claim(tagged, tmp_path):
    out = tmp_path / "claims.csv"
    assert main(["export", "--format", "csv", "-o", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == Store(os.environ["VERIFIER_DB"], readonly=True).claim_count()  # one row per live claim
    by_id = {r["claim_id"]: r for r in rows}
    nato = by_id[tagged["nato"]]
    assert nato["status"] == "sourced" and nato["speaker"] == "Sergey Lavrov"
    assert nato["evidence"] == "https://example.org/transcript"
    assert nato["post_time"].startswith("2023-02-02T08:04")
    assert by_id[tagged["wounded"]]["note"] == "Regional figures say four wounded"
    assert "five" in by_id[tagged["wounded"]]["figures"]


def test_csv_defuses_spreadsheet_formulas(db, tmp_path):
    post = tmp_path / "hostile.txt"
    post.write_text('Hostile post\n\n=HYPERLINK("http://x","click") the mayor said 40 people were hurt.\n')
    assert main(["ingest", str(post)]) == 0
    out = tmp_path / "out.csv"
    assert main(["export", "--format", "csv", "-o", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not any(c.startswith("=") for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_markdown_report_renders_grouped_by_verdict(tagged, tmp_path):
    from rich.console import Console
    from rich.markdown import Markdown

    out = tmp_path / "report.md"
    assert main(["export", "--format", "markdown", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.index("## Disputed") < text.index("## Unverified") < text.index("## Sourced")
    console = Console(record=True, width=200)
    console.print(Markdown(text))
    shown = console.export_text()
    assert "Regional figures say four wounded" in shown
    assert "https://example.org/transcript" in shown
    assert "Sergey Lavrov" in shown and "NATO is now fighting against us" in shown
    assert "Appeared" in shown and "2023-02-02 08:04" in shown


def test_markdown_escapes_post_markup(db, tmp_path):
    from rich.console import Console
    from rich.markdown import Markdown

    from verifier.export.markdown_export import md
    # the brackets are escaped, so the parentheses can no longer make a link (issue 13: no needless escapes)
    assert md("[click](http://evil) **now**") == r"\[click\](http://evil) \*\*now\*\*"
    console = Console(record=True, width=200)
    console.print(Markdown(md("[click](http://evil) **now**")))
    assert "[click](http://evil) **now**" in console.export_text()


def test_export_never_replaces_a_file_without_force(tagged, tmp_path, capsys):
    out = tmp_path / "x.json"
    out.write_text("keep me")
    assert main(["export", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and out.read_text() == "keep me"
    assert main(["export", "-o", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["schema"] == "verifier-export/1"


def test_import_round_trip_with_a_conflict(tagged, sample_path, tmp_path, monkeypatch, capsys):
    # A colleague's database: same blog, their own verdicts.
    theirs_db = str(tmp_path / "theirs.json")
    assert main(["--db", theirs_db, "ingest", str(sample_path)]) == 0
    monkeypatch.setenv("VERIFIER_USER", "colleague")
    assert main(["--db", theirs_db, "tag", tagged["wounded"], "sourced", "--note", "confirmed by the mayor"]) == 0
    assert main(["--db", theirs_db, "tag", tagged["borrell"], "unverified"]) == 0  # same as ours
    other = next(c.id for c in Store(theirs_db, readonly=True).live_claims() if c.id not in tagged.values())
    assert main(["--db", theirs_db, "tag", other, "disputed", "--evidence", "https://example.org/x"]) == 0
    export = tmp_path / "theirs-export.json"
    assert main(["--db", theirs_db, "export", "-o", str(export)]) == 0
    capsys.readouterr()

    monkeypatch.setenv("VERIFIER_USER", "tester")
    assert main(["import", str(export)]) == 0
    out = capsys.readouterr().out
    assert "1 verdicts taken, 1 already the same, 1 conflicts" in out
    assert f"conflict {tagged['wounded'][:10]}" in out and "ours: disputed" in out and "theirs: sourced" in out
    store = Store(os.environ["VERIFIER_DB"], readonly=True)
    assert store.verdict(tagged["wounded"]).status == "disputed"  # ours kept
    assert store.verdict(tagged["wounded"]).note == "Regional figures say four wounded"
    taken = store.verdict(other)
    assert taken.status == "disputed" and taken.evidence == ["https://example.org/x"]
    assert taken.by == "import:colleague"
    del store

    # They change their mind on the claim we only imported: the next import takes it.
    monkeypatch.setenv("VERIFIER_USER", "colleague")
    assert main(["--db", theirs_db, "tag", other, "sourced"]) == 0
    assert main(["--db", theirs_db, "export", "-o", str(export), "--force"]) == 0
    monkeypatch.setenv("VERIFIER_USER", "tester")
    assert main(["import", str(export)]) == 0
    assert Store(os.environ["VERIFIER_DB"], readonly=True).verdict(other).status == "sourced"


def test_import_rejects_what_is_not_an_export(sample_db, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"claims": []}')
    assert main(["import", str(bad)]) == 2
    assert "not a verifier export" in capsys.readouterr().err
    bad.write_text("{not json")
    assert main(["import", str(bad)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
