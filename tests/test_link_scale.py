"""Linking at scale: no chaining, frequent keys never dropped, records linear, the index kept between ingests."""

import json

from linkutil import find, ingest, shared, together, write_blog

from verifier.ingest import read_document
from verifier.link import link_new
from verifier.link.blocking import CAP, AnchorIndex, index_path
from verifier.link.tokens import normalise
from verifier.pipeline import ingest_document
from verifier.store import Store

KHERSON = "Russian shelling has killed two people in Ukraine's Kherson region overnight, according to local officials."
KHARKIV = KHERSON.replace("Kherson", "Kharkiv")
NO_PLACE = "Russian shelling has killed two people overnight, according to local officials."
WIRE = ("Ukraine's air force said it shot down 15 of the 17 cruise missiles Russia launched at the capital "
        "early on Thursday.")


def test_no_chaining_through_a_member_without_the_place(db, tmp_path):
    # The restatement without a place comes first; the Kherson claim joins it; the Kharkiv claim
    # matches the restatement but not the group (its Kherson wording): it must not join.
    ingest(write_blog(tmp_path / "a.jsonl", [[NO_PLACE], [KHERSON], [KHARKIV]]))
    store = Store(db, readonly=True)
    r, o, other = find(store, "people overnight"), find(store, "Kherson region"), find(store, "Kharkiv region")
    assert together(store, r, o)
    assert not together(store, r, other)


def test_heavily_repeated_wire_line_is_one_cluster_linear_in_its_members(db, tmp_path):
    n = 300  # more repeats than the old posting-list limit (256) that lost them
    ingest(write_blog(tmp_path / "a.jsonl", [[WIRE] for _ in range(n)]))
    store = Store(db, readonly=True)
    [cl] = store.iter_clusters()
    assert len(cl.claim_ids) == n
    assert len(cl.links) == n - 1 and all(l["score"] == 100 and l["matched"] for l in cl.links)
    assert len(json.dumps(cl.to_dict())) < 200 * n  # one link per member, not one per pair


def test_frequent_words_never_drop_a_claim():
    """Every word of the query is held by more anchors than a list is read for: the exact repeat is
    still found (by its text), and the newest anchors by their words."""
    index = AnchorIndex()
    base = "shelling killed people overnight regional officials said region"
    for i in range(3 * CAP):
        index.add_anchor(f"c{i}", normalise(f"{base} variant{i}"))
        index.add_text(f"c{i}", normalise(f"{base} variant{i}"))
    query = normalise(base)
    assert all(len(index.postings[w]) > CAP for w in query.split() if w in index.postings)
    found = index.candidates(query)
    assert found and f"c{3 * CAP - 1}" in found  # the newest, not nothing
    assert index.same_text(normalise(f"{base} variant0")) == "c0"  # the oldest, by its text


def test_ingest_uses_the_saved_index_and_rebuilds_a_stale_one(db, tmp_path):
    first = write_blog(tmp_path / "a.jsonl", [[KHERSON], [WIRE]], slug="a")
    second = write_blog(tmp_path / "b.jsonl", [[WIRE], [KHERSON]], start_hour=14, slug="b")
    ingest(first)

    def add(path):
        with Store(db) as store:
            report = ingest_document(store, read_document(str(path)))
            linked = link_new(store, report.new_claim_ids)
            store.save()
            linked.save_index()
            clusters = sorted(sorted(cl.claim_ids) for cl in store.iter_clusters())
        return linked, clusters

    linked, clusters = add(second)
    assert not linked.rebuilt  # the index saved by the first ingest, not a pass over the database
    assert len(clusters) == 2 and all(len(c) == 2 for c in clusters)
    # A damaged index file is refused and rebuilt from the database, with the same result.
    with open(index_path(db), "w") as f:
        f.write('{"version": 1, "token": "x", "anchors": [1], "postings": {"a": [99]}, "exact": {}}')
    with Store(db) as store:
        store.set_link_token("x")
        store.save()
    third = write_blog(tmp_path / "c.jsonl", [[KHARKIV]], start_hour=20, slug="c")
    linked, clusters_after = add(third)
    assert linked.rebuilt and clusters_after == clusters


def test_a_small_ingest_relinks_only_what_it_touches_and_gets_the_clusters_a_full_pass_does(tmp_path):
    """A blog added to a larger database (generated news: wire repeats, rewordings, look-alikes)
    re-derives only the clusters its claims touch (link_new with retired_ids); the clusters and
    suggestions are those of the pass that re-derives every cluster."""
    import shutil
    import subprocess
    import sys

    from verifier.link.linker import INCREMENTAL_SHARE
    from verifier.pipeline import ingest_files

    gen = tmp_path / "news"
    subprocess.run([sys.executable, str(shared() / "tools" / "newsgen.py"), "300", str(gen), "--seed", "5",
                    "--blogs", "6"], check=True, stdout=subprocess.DEVNULL)
    *earlier, last = sorted(str(p) for p in gen.glob("blog-*.jsonl"))
    base = str(tmp_path / "base.json")
    with Store(base) as store:
        ingest_files(store, earlier)
    results = []
    for way in ("touched", "every cluster"):
        db = str(tmp_path / f"{way}.json")
        shutil.copy(base, db)
        shutil.copy(index_path(base), index_path(db))
        with Store(db) as store:
            report = ingest_document(store, read_document(last))
            assert len(report.new_claim_ids) <= INCREMENTAL_SHARE * len(store.claim_map())
            linked = link_new(store, report.new_claim_ids, retired_ids=[] if way == "touched" else None)
            assert not linked.rebuilt
            results.append((sorted((cl.rep, sorted(cl.claim_ids), sorted(map(str, cl.conflicts)))
                                   for cl in store.iter_clusters()),
                            sorted((s["a"], s["b"], s["reason"]) for s in store.suggestion_list()),
                            {c.id: c.cluster_id for c in store.iter_claims()}))
    touched, full = results
    assert touched[0] and any(len(members) > 2 for _, members, _ in touched[0])
    assert touched == full
