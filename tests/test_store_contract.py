"""The contract every ClaimStore backend keeps (see verifier/store/interface.py).

Parametrised over backends: today the claims.json file; PostgreSQL joins the
list when it exists. Each backend gives an `opener(readonly=False)` on a fresh
database that survives reopening.
"""

from __future__ import annotations

import pytest

from verifier.errors import InputError, StoreError
from verifier.models import Claim, Cluster, Decision, Post, QuoteCheck, Reference, Source, VerdictChange
from verifier.store import ClaimStore, Store

BACKENDS = ["tinydb", "postgresql"]


@pytest.fixture(params=BACKENDS)
def opener(request, tmp_path):
    if request.param == "tinydb":
        path = str(tmp_path / "claims.json")
        return lambda readonly=False: Store(path, readonly=readonly)
    url = request.getfixturevalue("pg_url")  # a new, empty database (tests/conftest.py)
    from verifier.store.postgres import PostgresStore, migrate

    migrate(url)
    return lambda readonly=False: PostgresStore(url, readonly=readonly)


def corpus(store: ClaimStore) -> list[Claim]:
    store.put_source(Source(id="s1", key="url:https://example.org/live", kind="liveblog",
                            path="live.txt", title="Live updates", url="https://example.org/live"))
    store.put_posts([
        Post(id="p1", source_id="s1", seq=0, headline="Strike on the city", body="The army said 30 soldiers died."),
        Post(id="p2", source_id="s1", seq=1, headline=None, body="Officials said 31 soldiers died."),
    ])
    claims = [
        Claim(id="c1", post_id="p1", kind="figure", text="The army said 30 soldiers died.", span=[0, 31],
              numbers=[{"value": 30.0, "unit": "soldiers", "text": "30", "qualifier": None, "kind": "count"}],
              checkworthiness=0.8, cluster_id="k1"),
        Claim(id="c2", post_id="p2", kind="figure", text="Officials said 31 soldiers died.", span=[0, 32],
              checkworthiness=0.7, cluster_id="k1"),
        Claim(id="c3", post_id="p2", kind="statement", text="An old sentence.", span=[0, 16], retired=True),
    ]
    store.put_claims(claims)
    store.set_clusters([Cluster(id="k1", claim_ids=["c1", "c2"], conflicts=[
        {"type": "figure", "claims": ["c1", "c2"], "unit": "soldiers", "values": [30.0, 31.0],
         "texts": ["30", "31"]}])])
    store.put_reference(Reference(id="r1", path="transcript.txt", kind="text", title="Briefing",
                                  text="The army said 30 soldiers died."))
    store.put_quote_checks([QuoteCheck(claim_id="c1", status="verbatim",
                                       reference={"status": "verbatim", "score": 100.0, "label": "Briefing"},
                                       post={"status": "not found"})])
    store.save()
    return claims


def test_is_a_claim_store(opener):
    with opener() as store:
        assert isinstance(store, ClaimStore)


def test_records_are_private_and_views_read_only(opener):
    """Consumers read through the interface: no public dicts to mutate, views refuse writes."""
    with opener() as store:
        corpus(store)
        store.set_verdict("c1", status="sourced", note="seen")
        for name in ("claims", "posts", "sources", "clusters", "verdicts", "references", "quote_checks",
                     "history", "decisions", "factchecks", "factcheck_matches", "suggestions", "follows"):
            assert not hasattr(store, name), name
        assert set(store.claim_map()) == {"c1", "c2", "c3"} and store.claim_map()["c1"].id == "c1"
        assert store.post_map()["p1"].headline == "Strike on the city"
        assert store.cluster_map()["k1"].claim_ids == ["c1", "c2"]
        assert store.verdict_map()["c1"].note == "seen"
        with pytest.raises(TypeError):
            store.claim_map()["c9"] = store.claim("c1")  # type: ignore[index]
        with pytest.raises(TypeError):
            del store.verdict_map()["c1"]  # type: ignore[attr-defined]
        history = store.history_records()
        assert len(history) == 1 and not hasattr(history, "append")
        assert store.decision_count() == len(store.decision_records()) == 0


def test_batch_round_trips_typed(opener):
    with opener() as store:
        claims = corpus(store)
    store = opener(readonly=True)
    assert store.claim("c1") == claims[0]
    assert store.claim("nope") is None
    assert [c.id for c in store.live_claims()] == ["c1", "c2"]
    assert store.claim_count() == 2 and store.claim_count(include_retired=True) == 3
    assert {c.id for c in store.iter_claims(include_retired=False)} == {"c1", "c2"}
    assert store.post("p1").headline == "Strike on the city" and store.post_count() == 2
    assert store.source("s1").title == "Live updates" and store.source_count() == 1
    cl = store.cluster("k1")
    assert cl.claim_ids == ["c1", "c2"]
    assert cl.conflict_records()[0].describe() == "figure differs: 30 vs 31 (soldiers)"
    assert store.reference("r1").title == "Briefing"
    assert store.resolve_reference("r1").id == "r1"
    qc = store.quote_check("c1")
    assert isinstance(qc, QuoteCheck) and qc.status == "verbatim" and qc.decisive()["label"] == "Briefing"
    assert [q.claim_id for q in store.iter_quote_checks()] == ["c1"] and store.quote_check("c2") is None
    assert store.claim("c1").figures()[0].value == 30.0
    assert store.resolve_claim("c2").id == "c2"
    with pytest.raises(InputError):
        store.resolve_claim("zzzz")


def test_verdicts_are_durable_and_recorded(opener):
    with opener() as store:
        corpus(store)
        v = store.set_verdict("c1", status="disputed", note="the ministry says 31", evidence=["https://x.org"],
                              by="ana")
        assert (v.status, v.note, v.evidence, v.by) == ("disputed", "the ministry says 31", ["https://x.org"], "ana")
        assert v.updated_at
        store.set_verdict("c1", status="sourced")  # None keeps note and evidence
    store = opener(readonly=True)
    v = store.verdict("c1")
    assert (v.status, v.note, v.evidence) == ("sourced", "the ministry says 31", ["https://x.org"])
    assert store.status("c2") == "unreviewed" and store.verdict("c2").status == "unreviewed"
    hist = store.verdict_history("c1")
    assert [(h.old["status"], h.new["status"]) for h in hist] == [("unreviewed", "disputed"),
                                                                   ("disputed", "sourced")]
    assert [v.claim_id for v in store.iter_verdicts()] == ["c1"]


def test_bulk_verdicts_all_or_nothing(opener):
    with opener() as store:
        corpus(store)
        out = store.set_verdicts([VerdictChange("c1", status="unverified"), VerdictChange("c2", status="disputed",
                                                                                            by="import:bo")])
        assert [v.status for v in out] == ["unverified", "disputed"]
        with pytest.raises(InputError):  # one bad change: none is written
            store.set_verdicts([VerdictChange("c1", status="sourced"), VerdictChange("c2", status="maybe")])
        with pytest.raises(InputError):
            store.set_verdicts([VerdictChange("c1", status="sourced"), VerdictChange("missing", status="sourced")])
        assert store.status("c1") == "unverified"
        assert store.verdict("c2").by == "import:bo"
        store.restore_verdicts([store.verdict("c1"), store.verdict("c2")])
    store = opener(readonly=True)
    assert (store.status("c1"), store.status("c2")) == ("unverified", "disputed")
    assert len(store.verdict_history()) == 4  # two changes, then two restored


def test_decisions_survive(opener):
    with opener() as store:
        corpus(store)
        d = store.add_decision(Decision(op="split", claim_id="c2"))
        assert d.seq is not None and d.op == "split"
        store.add_decision(Decision(op="merge", claim_ids=["c1", "c2"]))
        with pytest.raises(InputError):
            store.add_decision(Decision(op="merge", claim_ids=[1, 2]))  # type: ignore[list-item]
    store = opener(readonly=True)
    assert [(d.op, d.claim_id, d.claim_ids) for d in store.decision_list()] == [
        ("split", "c2", []), ("merge", None, ["c1", "c2"])]


def test_unsaved_batch_is_dropped_but_verdicts_kept(opener):
    with opener() as store:
        corpus(store)
    with opener() as store:
        store.put_posts([Post(id="p3", source_id="s1", seq=2, headline="x", body="never saved")])
        store.set_verdict("c2", status="sourced")
    store = opener(readonly=True)
    assert store.post("p3") is None
    assert store.status("c2") == "sourced"


def test_clusters_set_every_claims_cluster_id(opener):
    with opener() as store:
        corpus(store)
        store.set_clusters([Cluster(id="k2", claim_ids=["c2", "c3"])])
        store.save()
    store = opener(readonly=True)
    assert [c.id for c in store.iter_clusters()] == ["k2"]
    assert (store.claim("c1").cluster_id, store.claim("c2").cluster_id, store.claim("c3").cluster_id) == (
        None, "k2", "k2")


def test_update_clusters_touches_only_the_clusters_given(opener):
    """A followed source's poll: one cluster grows, another is dropped, the rest stay as stored."""
    with opener() as store:
        corpus(store)  # k1 = c1, c2
        store.update_clusters([Cluster(id="k9", claim_ids=["c3"])])
        store.save()
    with opener() as store:
        assert {c.id for c in store.iter_clusters()} == {"k1", "k9"}
        store.update_clusters([Cluster(id="k1", claim_ids=["c1"])], removed=["k9"])
        store.save()
    store = opener(readonly=True)
    assert [(c.id, c.claim_ids) for c in store.iter_clusters()] == [("k1", ["c1"])]
    assert store.cluster("k1").conflicts == []
    assert (store.claim("c1").cluster_id, store.claim("c2").cluster_id, store.claim("c3").cluster_id) == (
        "k1", None, None)
    with opener() as store, pytest.raises(InputError):
        store.update_clusters([Cluster(id="bad", claim_ids=[1])])  # type: ignore[list-item]


def test_references_can_be_removed(opener):
    with opener() as store:
        corpus(store)
        store.remove_reference("r1")
        store.save()
    assert list(opener(readonly=True).iter_references()) == []


def test_readonly_refuses_every_write(opener):
    with opener() as store:
        corpus(store)
    store = opener(readonly=True)
    for write in (lambda: store.set_verdict("c1", status="sourced"),
                  lambda: store.set_verdicts([VerdictChange("c1", status="sourced")]),
                  lambda: store.add_decision(Decision(op="split", claim_id="c1")),
                  store.save):
        with pytest.raises(StoreError, match="read-only"):
            write()
    assert store.status("c1") == "unreviewed"
