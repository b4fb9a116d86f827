"""Duplicate linking: the same claim, not the same formula (issue 11), on real news text."""

import json
import re

from linkutil import find, ingest, shared, suggested, together, write_blog

from verifier.cli import main
from verifier.link.diff import word_diff
from verifier.link.score import LINK_AT, features, judge
from verifier.store import Store

# Each restated claim of the sample's summary post, by a fragment of each side.
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


def in_post(store, fragment, summary):
    hits = [c for c in store.live_claims() if fragment in c.text
            and store.post_map()[c.post_id].headline.startswith("It's mid-afternoon") == summary]
    assert hits, fragment
    return hits[0]


def test_summary_post_restatements_are_linked(sample_db):
    store = Store(sample_db, readonly=True)
    for in_summary, in_original in RESTATED:
        a = in_post(store, in_summary, True)
        b = in_post(store, in_original, False)
        assert a.cluster_id and a.cluster_id == b.cluster_id, (in_summary, in_original)
        cl = store.cluster_map()[a.cluster_id]
        link = next(l for l in cl.links if {l["a"], l["b"]} == {a.id, b.id})
        assert link["score"] >= LINK_AT and link["matched"] and link["tier"] == "auto"


def test_nothing_unrelated_is_merged(sample_db):
    store = Store(sample_db, readonly=True)
    for cl in store.iter_clusters():
        assert len(cl.claim_ids) == 2  # every restatement here is one original plus its summary
        a, b = (store.claim_map()[c] for c in cl.claim_ids)
        assert a.post_id != b.post_id
    lavrov = [c for c in store.live_claims() if c.speaker == "Sergey Lavrov" and c.cluster_id]
    assert len({c.cluster_id for c in lavrov}) == len(lavrov) // 2  # his many distinct quotes stay apart


def test_same_sentence_about_another_place_is_another_claim(db, tmp_path):
    # The sample's sentence, and the same formula about Kharkiv: different claims however alike.
    kherson = "Russian shelling has killed two people in Ukraine's Kherson region overnight, according to local officials."
    kharkiv = "Russian shelling has killed two people in Ukraine's Kharkiv region overnight, according to local officials."
    ingest(write_blog(tmp_path / "a.jsonl", [[kherson], [kharkiv], [kherson]]))
    store = Store(db, readonly=True)
    first, other, again = find(store, "Kherson region"), find(store, "Kharkiv region"), find(store, "Kherson region", 1)
    assert together(store, first, again)
    assert not together(store, first, other) and not suggested(store, first, other)
    # another person, same words otherwise
    m = judge(features("Kramatorsk Mayor Oleksandr Honcharenko urged residents to stay in bomb shelters."),
              features("Kharkiv Mayor Ihor Terekhov urged residents to stay in bomb shelters."))
    assert m.tier is None


def test_changed_figure_is_the_same_claim_with_a_figure_conflict(db, tmp_path):
    a = ("A fresh barrage of missiles ripped through the city of Kramatorsk in eastern Ukraine Thursday, "
         "wounding at least five people and damaging 13 two-story buildings.")
    b = a.replace("at least five people", "at least eight people")
    ingest(write_blog(tmp_path / "a.jsonl", [[a], [b]]))
    store = Store(db, readonly=True)
    x, y = find(store, "at least five"), find(store, "at least eight")
    assert together(store, x, y)
    [conflict] = [c for c in store.cluster_map()[x.cluster_id].conflicts if c["type"] == "figure"]
    assert conflict["texts"] == ["at least five", "at least eight"] and conflict["values"] == [5, 8]


def test_same_words_from_another_speaker_is_a_speaker_conflict(db, tmp_path):
    q = "Our diplomacy will do everything to ensure that these are not the only events to gain the world's attention"
    ingest(write_blog(tmp_path / "a.jsonl", [
        [f"Russian Foreign Minister Sergey Lavrov said: \u201c{q}.\u201d"],
        [f"Foreign Ministry spokeswoman Maria Zakharova said: \u201c{q}.\u201d"],
    ]))
    store = Store(db, readonly=True)
    a, b = find(store, "Lavrov said"), find(store, "Zakharova said")
    assert together(store, a, b)
    kinds = {c["type"] for c in store.cluster_map()[a.cluster_id].conflicts}
    assert "speaker" in kinds


def test_negation_is_never_linked_automatically(db, tmp_path):
    hit = ("The regional governor said the power plant was hit by a Russian missile on Tuesday night, "
           "and two people were injured.")
    ingest(write_blog(tmp_path / "a.jsonl", [[hit], [hit.replace("was hit", "was not hit")]]))
    store = Store(db, readonly=True)
    a, b = find(store, "was hit"), find(store, "was not hit")
    assert not together(store, a, b)
    assert suggested(store, a, b)
    [s] = store.suggestion_list()
    assert s["reason"] == "negation"


def test_near_opposite_plant_damage_is_never_automatic():
    a = "Shelling near the Zaporizhzhia nuclear power plant caused damage to the plant, the IAEA said."
    b = "The Zaporizhzhia nuclear power plant has not sustained any critical damage, the IAEA said."
    assert judge(features(a), features(b)).tier != "auto"
    assert judge(features(b), features(a)).tier != "auto"


def test_a_dropped_clause_with_a_negation_is_not_a_negation():
    # The restatement leaves out the clause that holds "not": it does not negate what both say.
    a = ("Only seven of 92 federal food assistance programs have been associated with positive health "
         "outcomes, while the remaining 85 have not been effective.")
    b = "Only seven of 92 federal food assistance programs have been associated with positive health outcomes."
    assert judge(features(a), features(b)).tier == "auto"


def test_same_statement_in_differently_continued_sentences(db, tmp_path):
    # Clause scoring: the same statement, continued after a semicolon on one side and ", while" on the other.
    s = "Russian shelling has killed two people in Ukraine's Kherson region overnight"
    ingest(write_blog(tmp_path / "a.jsonl", [
        [f"{s}; the regional administration urged residents to stay in bomb shelters."],
        [f"{s}, while power was cut to large parts of the city after the strikes on Thursday morning."],
    ]))
    store = Store(db, readonly=True)
    a, b = find(store, "bomb shelters"), find(store, "power was cut")
    assert together(store, a, b)
    link = store.cluster_map()[a.cluster_id].links[0]
    assert link["matched"].startswith("clause")


def test_dev_corpus_pairs_found_only_in_a_clause_are_suggested():
    # Hurricane Laura (dev corpus): each pair states one thing inside two different sentences.
    text = (shared() / "dev-corpus" / "liveblogs" / "cnn-2020-08-26-hurricane-laura.txt").read_text()

    def sentence(fragment):
        return next(s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if fragment in s)

    pairs = [("hurricane force winds extending out 60 miles", "extend up to 60 miles from the center"),
             ("now a dangerous Category 4 storm", "exploded into an extremely dangerous Category 4")]
    for x, y in pairs:
        m = judge(features(sentence(x)), features(sentence(y)))
        assert m.tier == "suggested", (x, m)


def test_dev_corpus_gold_duplicates_are_linked_or_suggested_and_automatic_links_are_right():
    """Every gold duplicate pair (the sentences holding both phrases) is linked or suggested, and no
    other pair of gold claims of a blog links automatically."""
    gold_dir = shared() / "dev-corpus" / "gold"
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text())
        if not gold["duplicates"]:
            continue
        text = (shared() / gold["file"].removeprefix("shared/")).read_text()
        sentences = [s.strip() for s in re.split(r"(?<=[.!?\u201d])\s+|\n+", text) if s.strip()]
        phrase = {g["key"]: g["phrase"] for g in gold["claims"]}

        def sentence(key):
            return next(s for s in sentences if phrase[key] in s)

        wanted = {frozenset(p) for p in gold["duplicates"] + gold.get("hard_duplicates", [])}
        for a, b in gold["duplicates"]:
            if sentence(a) == sentence(b):
                continue
            m = judge(features(sentence(a)), features(sentence(b)))
            assert m.tier in ("auto", "suggested"), (gold_path.name, a, b, m)
        keys = [k for k in phrase if any(phrase[k] in s for s in sentences)]
        feats = {k: features(sentence(k)) for k in keys}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if sentence(a) != sentence(b) and judge(feats[a], feats[b]).tier == "auto":
                    assert frozenset((a, b)) in wanted, (gold_path.name, a, b)


def test_short_claims_are_only_suggested(db, tmp_path):
    ingest(write_blog(tmp_path / "a.jsonl", [["Russia fired 15 missiles at Kyiv."], ["Russia fired 15 missiles at Kyiv."]]))
    store = Store(db, readonly=True)
    a, b = find(store, "Russia fired"), find(store, "Russia fired", 1)
    assert not together(store, a, b) and suggested(store, a, b)
    assert store.suggestion_list()[0]["reason"] == "short"


def test_word_diff_ignores_case_and_punctuation():
    assert all(d["op"] == "equal" for d in word_diff("“We see how NATO fights,” he said", '"we see how nato fights" he said'))


def test_export_carries_cluster_ids_and_conflicts(sample_db, tmp_path):
    out = tmp_path / "e.json"
    assert main(["export", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    clustered = [c for c in doc["claims"] if c["cluster_id"]]
    assert len(clustered) >= 20  # the sample's repeats: the summary post restates most posts
    assert {cl["id"] for cl in doc["clusters"]} == {c["cluster_id"] for c in clustered}


def test_claimreview_appearance_only_where_the_figures_are_the_same(db, tmp_path):
    a = ("A fresh barrage of missiles ripped through the city of Kramatorsk in eastern Ukraine Thursday, "
         "wounding at least five people and damaging 13 two-story buildings.")
    b = a.replace("at least five people", "at least eight people")
    ingest(write_blog(tmp_path / "a.jsonl", [[a], [a], [b]]))
    store = Store(db, readonly=True)
    first, same, other = find(store, "at least five"), find(store, "at least five", 1), find(store, "at least eight")
    assert together(store, first, same) and together(store, first, other)
    assert main(["tag", first.id, "disputed"]) == 0
    out = tmp_path / "cr.json"
    assert main(["export", "--format", "claimreview", "-o", str(out)]) == 0
    [review] = json.loads(out.read_text())
    urls = {w["url"] for w in review["itemReviewed"]["appearance"]}
    posts = Store(db, readonly=True).post_map()
    assert urls == {posts[first.post_id].url, posts[same.post_id].url}


def test_same_words_after_a_sentence_about_another_place_are_only_suggested(db, tmp_path):
    """A claim without names of its own is about what its paragraph just said: the same words after
    "... in Kherson" and after "... in Kharkiv" are not linked automatically (suggested); after the
    same sentence again, or after a sentence saying something else, they are."""
    hit = "Russian missiles struck the central market in {} on Tuesday morning."
    toll = "Two people were killed and eleven were injured in the attack on the market, the regional governor said."
    other = "Air raid sirens sounded across the country for most of the morning."
    ingest(write_blog(tmp_path / "a.jsonl", [[hit.format("Kherson") + " " + toll],
                                             [hit.format("Kharkiv") + " " + toll],
                                             [hit.format("Kherson") + " " + toll],
                                             [other + " " + toll]]))
    store = Store(db, readonly=True)
    kherson, kharkiv, again, after_other = (find(store, "Two people were killed", n) for n in range(4))
    assert together(store, kherson, again)
    assert not together(store, kherson, kharkiv) and (suggested(store, kharkiv, kherson)
                                                      or suggested(store, again, kharkiv))
    assert together(store, after_other, kherson) or together(store, after_other, kharkiv)


def test_a_sentence_broken_by_a_line_break_is_about_the_names_before_the_break(db, tmp_path):
    """Text pasted with hard line breaks splits a sentence into two paragraphs; the second half is
    about the names in the first: the same second half after another place is not the same claim."""
    start = "Officials said a photo of the crowded beach in {} was taken weeks before the city council"
    rest = "reopened the beach to swimmers for the first time in two years, as reports had claimed."
    ingest(write_blog(tmp_path / "a.jsonl", [[start.format("Odesa"), rest], [start.format("Mykolaiv"), rest],
                                             [start.format("Odesa"), rest]]))
    store = Store(db, readonly=True)
    odesa, mykolaiv, again = (find(store, "reopened the beach", n) for n in range(3))
    assert together(store, odesa, again)
    assert not together(store, odesa, mykolaiv)
