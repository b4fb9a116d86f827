from verifier.cli import main
from verifier.link import Linker, clusters_from
from verifier.link.diff import word_diff
from verifier.models import Claim
from verifier.store import Store

# Each restated claim of the summary post, by a fragment of each side.
RESTATED = [
    ("renewed Russian attack Thursday, one day after a strike left", "one day after a strike there left"),
    ("Two missiles landed near an ongoing rescue operation in a residential",
     "Two missiles landed near an ongoing rescue operation in the residential"),
    ("Russian shelling has killed two people", "Russian shelling has killed two people"),
    ("a western suburb of the city", "just west of Kherson city"),
    ("The meeting in the capital is", "A joint European Union-Ukraine summit due to be held"),
    ("It is a signal, of course also to Russia", "It is a signal, of course also to Russia"),
    ("will train an additional 15,000", "will train an additional 15,000"),
    ("Borrell also said the EU would provide", "Borrell also announced the EU would provide"),
    ("Top generals from the United States", "Top generals from the United States"),
    ("according to a Ukrainian readout", "the Ukrainian readout said"),
    ("Sergey Lavrov has said that Russia will be stronger", "Sergey Lavrov has said that Russia will be stronger"),
    ("I think that we will come out", "I think that we will come out"),
]


def cluster_of(store, fragment, summary):
    post_ok = [c for c in store.live_claims() if fragment in c.text
               and store.posts[c.post_id].headline.startswith("It's mid-afternoon") == summary]
    assert post_ok, fragment
    return post_ok[0]


def test_summary_post_restatements_are_linked(sample_db):
    store = Store(sample_db, readonly=True)
    for in_summary, in_original in RESTATED:
        a = cluster_of(store, in_summary, True)
        b = cluster_of(store, in_original, False)
        assert a.cluster_id and a.cluster_id == b.cluster_id, (in_summary, in_original)
        link = next(l for l in store.clusters[a.cluster_id].links if {l["a"], l["b"]} == {a.id, b.id})
        assert link["score"] >= 85 and link["matched"]


def test_nothing_unrelated_is_merged(sample_db):
    store = Store(sample_db, readonly=True)
    for cl in store.clusters.values():
        assert len(cl.claim_ids) == 2  # every restatement here is one original plus its summary
        a, b = (store.claims[c] for c in cl.claim_ids)
        assert a.post_id != b.post_id
        assert a.speaker == b.speaker or None in (a.speaker, b.speaker) or "official" in (a.speaker + b.speaker)
    # Lavrov's many distinct quotes stay apart
    lavrov = [c for c in store.live_claims() if c.speaker == "Sergey Lavrov" and c.cluster_id]
    assert len({c.cluster_id for c in lavrov}) == len(lavrov) // 2


def claim(cid, post, text, quote=None, speaker=None, numbers=()):
    return Claim(id=cid, post_id=post, kind="quote" if quote else "figure", text=text, span=[0, len(text)],
                 quote=quote, speaker=speaker, numbers=list(numbers))


def num(value, unit, text, kind="count"):
    return {"value": value, "unit": unit, "text": text, "qualifier": None, "kind": kind}


def link_pair(a, b):
    linker = Linker.build([a, b])
    links = linker.link_all()
    return links[0] if links else None


def test_changed_figure_is_linked_and_flagged():
    a = claim("a1", "p1", "Russian shelling has killed two people in Ukraine's Kherson region overnight, officials said.",
              numbers=[num(2, "people", "two")])
    b = claim("b1", "p2", "Russian shelling has killed three people in Ukraine's Kherson region overnight, officials said.",
              numbers=[num(3, "people", "three")])
    link = link_pair(a, b)
    assert link and link["conflicts"][0]["type"] == "figure"
    assert link["conflicts"][0]["texts"] == ["two", "three"]


def test_same_figure_written_differently_is_no_conflict():
    a = claim("a1", "p1", "The strike hit at 6:20 a.m. and 15,000 people lost power in the city of Dnipro.",
              numbers=[num(15000, "people", "15,000")])
    b = claim("b1", "p2", "The strike hit at 06:20 a.m. and 15000 people lost power in the city of Dnipro.",
              numbers=[num(15000, "people", "15000")])
    link = link_pair(a, b)
    assert link and link["conflicts"] == [] and link["shared_figures"] == ["15,000"]


def test_reworded_quote_same_speaker_shows_word_diff():
    qa = "We will come out of the current situation stronger and protect ourselves in any situation"
    qb = "We will come out of the current situation much stronger and defend ourselves in any situation"
    a = claim("a1", "p1", f'"{qa}," Lavrov said.', quote=qa, speaker="Sergey Lavrov")
    b = claim("b1", "p2", f'"{qb}," Lavrov said.', quote=qb, speaker="Sergey Lavrov")
    link = link_pair(a, b)
    [conflict] = [c for c in link["conflicts"] if c["type"] == "quote"]
    assert {"op": "insert", "old": "", "new": "much"} in conflict["diff"]
    assert {"op": "replace", "old": "protect", "new": "defend"} in conflict["diff"]


def test_quote_credited_to_two_speakers_is_flagged():
    q = "Our diplomacy will do everything to ensure these are not the only events"
    a = claim("a1", "p1", f'"{q}," Lavrov said.', quote=q, speaker="Sergey Lavrov")
    b = claim("b1", "p2", f'"{q}," Zakharova said.', quote=q, speaker="Maria Zakharova")
    link = link_pair(a, b)
    assert [c["type"] for c in link["conflicts"]] == ["speaker"]


def test_negation_is_flagged_even_though_scores_are_alike():
    a = claim("a1", "p1", "The regional governor said the power plant was hit by a Russian missile on Tuesday night.")
    b = claim("b1", "p2", "The regional governor said the power plant was not hit by a Russian missile on Tuesday night.")
    link = link_pair(a, b)
    assert link and [c["type"] for c in link["conflicts"]] == ["negation"]


def test_shared_topic_and_speaker_do_not_link():
    a = claim("a1", "p1", "Russia said it has not requested military help from former Soviet countries.",
              speaker="Sergey Lavrov")
    b = claim("b1", "p2", "Russia said it is unlikely to turn to ex-Soviet countries for their help in Ukraine.",
              speaker="Sergey Lavrov")
    c = claim("c1", "p3", "Russia said")
    assert Linker.build([a, b, c]).link_all() == []


def test_claims_in_one_post_are_not_linked():
    a = claim("a1", "p1", "The EU will train an additional 15,000 Ukrainian soldiers this year.")
    b = claim("b1", "p1", "The EU will train an additional 15,000 Ukrainian soldiers this year.")
    assert Linker.build([a, b]).link_all() == []


def test_split_and_merge_survive_relink_and_reingest(sample_db, sample_path, capsys):
    store = Store(sample_db, readonly=True)
    a = cluster_of(store, "Borrell also said the EU would provide", True)
    b = cluster_of(store, "Borrell also announced the EU would provide", False)
    x = cluster_of(store, "Russian shelling has killed two people", True)
    assert a.cluster_id == b.cluster_id
    assert main(["split", a.id[:8]]) == 0
    assert main(["merge", a.id, x.id]) == 0
    for again in (["link"], ["ingest", str(sample_path)]):
        assert main(again) == 0
        store = Store(sample_db, readonly=True)
        ca, cb, cx = (store.claims[c.id] for c in (a, b, x))
        assert ca.cluster_id != cb.cluster_id
        assert ca.cluster_id == cx.cluster_id


def test_word_diff_ignores_case_and_punctuation():
    assert all(d["op"] == "equal" for d in word_diff("“We see how NATO fights,” he said", '"we see how nato fights" he said'))


def test_clusters_from_applies_decisions_in_order():
    claims = {i: claim(i, f"p{i}", "x") for i in ("a", "b", "c")}
    links = [{"a": "a", "b": "b", "conflicts": []}]
    assert [cl.claim_ids for cl in clusters_from(links, [], claims)] == [["a", "b"]]
    assert clusters_from(links, [{"op": "split", "claim_id": "a"}], claims) == []
    got = clusters_from(links, [{"op": "split", "claim_id": "a"}, {"op": "merge", "claim_ids": ["a", "c"]}], claims)
    assert [cl.claim_ids for cl in got] == [["a", "c"]]


def test_export_carries_cluster_ids_and_conflicts(sample_db, tmp_path):
    import json
    out = tmp_path / "e.json"
    assert main(["export", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    clustered = [c for c in doc["claims"] if c["cluster_id"]]
    assert len(clustered) >= 20  # the sample's repeats: the summary post restates most posts
    assert {cl["id"] for cl in doc["clusters"]} == {c["cluster_id"] for c in clustered}
