"""Re-ingesting a later capture of a live blog: what changed is updated, nothing is duplicated;
and the export's derived headlines for posts the page printed none for."""

import json
from importlib import resources
from pathlib import Path

import jsonschema

from verifier.cli import main
from verifier.store import Store

DATA = Path(__file__).resolve().parent / "data" / "liveblogs"

CAPTURE = """Storm live updates: high winds hit the coast

{updated}

Summary

• Winds reached 90 mph at Port Example, the weather service said.
• About 40,000 homes lost power, the utility said.
{extra}
11:45 p.m. ET, March 4, 2022

Governor declares emergency

The governor declared a state of emergency for six counties, her office said.

20 min ago

Power cuts spread

About 40,000 homes lost power overnight, Example Electric said.

The company said crews would start repairs at first light.
"""


def ingest(tmp_path, capsys, name, **fields):
    fields.setdefault("extra", "")
    path = tmp_path / name
    path.write_text(CAPTURE.format(**fields))
    assert main(["ingest", str(path)]) == 0
    return capsys.readouterr().out


def test_only_the_updated_line_changed_adds_nothing(db, tmp_path, capsys):
    first = ingest(tmp_path, capsys, "a.txt", updated="Updated 11:50 p.m. ET, March 4, 2022")
    assert "posts 3 added" in first
    store = Store(db, readonly=True)
    posts, claims = len(store.posts), len(store.claims)
    assert claims > 0
    # later captures: the Updated line moves past midnight, then is printed in a form not read
    for n, updated in enumerate(["Updated 12:20 a.m. ET, Sat March 5, 2022",
                                 "Updated at 12.40am local time (Saturday 5)"]):
        out = ingest(tmp_path, capsys, f"b{n}.txt", updated=updated)
        assert "posts 0 added, 0 updated, 3 unchanged; claims 0 added" in out, out
        store = Store(db, readonly=True)
        assert (len(store.posts), len(store.claims)) == (posts, claims)
        assert len(store.sources) == 1
        assert sum(1 for p in store.posts.values() if p.is_summary) == 1


def test_an_edited_summary_is_updated_in_place(db, tmp_path, capsys):
    ingest(tmp_path, capsys, "a.txt", updated="Updated 11:50 p.m. ET, March 4, 2022")
    out = ingest(tmp_path, capsys, "b.txt", updated="Updated 11:58 p.m. ET, March 4, 2022",
                 extra="• Two people were injured by falling trees, police said.\n")
    assert "posts 0 added, 1 updated, 2 unchanged" in out
    store = Store(db, readonly=True)
    summaries = [p for p in store.posts.values() if p.is_summary]
    assert len(summaries) == 1 and "falling trees" in summaries[0].body


def test_export_gives_headline_less_posts_a_derived_headline(db, tmp_path, capsys):
    assert main(["ingest", str(DATA / "bbc-style-floods.txt")]) == 0
    out = tmp_path / "export.json"
    assert main(["export", "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    schema = json.loads(resources.files("verifier").joinpath("schemas/export-v1.schema.json").read_text())
    jsonschema.validate(doc, schema)
    by_time = {p["timestamp_raw"]: p for p in doc["posts"]}
    met = by_time["14:32 GMT"]
    assert met["headline_derived"] is True
    assert met["headline"].startswith("The Met Office has issued an amber warning")
    assert met["headline"].endswith("…") and len(met["headline"]) <= 91
    barriers = by_time["published at 19:01 Greenwich Mean Time 29 March"]
    assert barriers["headline"] == "Barriers holding in Bewdley" and "headline_derived" not in barriers
    summary = next(p for p in doc["posts"] if p.get("summary"))
    assert summary["headline"] == "Summary" and summary["published"] is None
