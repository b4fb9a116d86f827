"""Suggested links and a person's decisions: confirm, reject, split, merge, kept across re-link and re-ingest."""

from linkutil import find, ingest, suggested, together, write_blog

from verifier.cli import main
from verifier.link import decide
from verifier.store import Store

HIT = ("The regional governor said the power plant was hit by a Russian missile on Tuesday night, "
       "and two people were injured.")
NOT_HIT = HIT.replace("was hit", "was not hit")
FIVE = ("A fresh barrage of missiles ripped through the city of Kramatorsk in eastern Ukraine Thursday, "
        "wounding at least five people and damaging 13 two-story buildings.")
EIGHT = FIVE.replace("at least five people", "at least eight people")
KHERSON = "Russian shelling has killed two people in Ukraine's Kherson region overnight, according to local officials."
SHORT = "Russia fired 15 missiles at Kyiv."


def blog(tmp_path):
    return write_blog(tmp_path / "a.jsonl", [[HIT, KHERSON], [NOT_HIT], [SHORT], [SHORT, FIVE], [EIGHT]])


def test_confirm_links_and_survives_relink_and_reingest(db, tmp_path, capsys):
    path = blog(tmp_path)
    ingest(path)
    store = Store(db, readonly=True)
    a, b = find(store, "was hit"), find(store, "was not hit")
    assert suggested(store, a, b) and not together(store, a, b)
    assert main(["suggestions"]) == 0
    assert a.id[:10] in capsys.readouterr().out
    assert main(["confirm", b.id[:8]]) == 0
    for again in (["link"], ["ingest", str(path)]):
        assert main(again) == 0
        store = Store(db, readonly=True)
        assert together(store, a, b) and not suggested(store, a, b), again
        cl = store.cluster_map()[store.claim_map()[a.id].cluster_id]
        assert {l["tier"] for l in cl.links} == {"confirmed"}
        assert [c["type"] for c in cl.conflicts] == ["negation"]  # conflicts recomputed for the confirmed pair


def test_reject_is_never_suggested_again(db, tmp_path):
    path = blog(tmp_path)
    ingest(path)
    store = Store(db, readonly=True)
    x, y = find(store, "Russia fired"), find(store, "Russia fired", 1)
    assert suggested(store, x, y)
    assert main(["reject", x.id]) == 0
    for again in (["link"], ["ingest", str(path)]):
        assert main(again) == 0
        store = Store(db, readonly=True)
        assert not suggested(store, x, y) and not together(store, x, y), again


def test_confirm_all_and_reject_all_in_one_decision(db, tmp_path):
    ingest(blog(tmp_path))
    with Store(db) as store:
        n = len(store.suggestion_list())
        assert n == 2
        before = store.decision_count()
        done = decide.confirm_all(store)
        assert len(done) == n and store.decision_count() == before + 1 and not store.suggestion_list()
        assert together(store, find(store, "was hit"), find(store, "was not hit"))
        assert decide.reject_all(store) == []
        store.save()


def test_bad_ids_are_one_line_and_non_zero(db, tmp_path, capsys):
    ingest(blog(tmp_path))
    capsys.readouterr()
    assert main(["confirm", "zzzzzzzz"]) != 0
    assert main(["confirm"]) != 0
    store = Store(db, readonly=True)
    kherson = find(store, "Kherson region")
    assert main(["reject", kherson.id]) != 0  # no suggestion touches it
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("verifier: ") for line in err)


def test_conflicts_recomputed_after_split_and_merge(db, tmp_path):
    ingest(blog(tmp_path))
    store = Store(db, readonly=True)
    five, eight = find(store, "at least five"), find(store, "at least eight")
    assert together(store, five, eight)
    assert main(["split", eight.id]) == 0
    store = Store(db, readonly=True)
    assert store.claim_map()[five.id].cluster_id is None and store.claim_map()[eight.id].cluster_id is None
    assert main(["merge", five.id, eight.id]) == 0
    store = Store(db, readonly=True)
    cl = store.cluster_map()[store.claim_map()[five.id].cluster_id]
    assert [c["type"] for c in cl.conflicts] == ["figure"]  # a manual merge keeps the figure conflict
    assert cl.links[0]["tier"] == "merged" and cl.links[0]["score"] > 0
    assert main(["link"]) == 0  # and so does a re-link
    cl = Store(db, readonly=True).cluster_map()[store.claim_map()[five.id].cluster_id]
    assert [c["type"] for c in cl.conflicts] == ["figure"]


def test_workbench_keys_confirm_reject_split_merge_persist_and_survive_a_relink(sample_db):
    """L confirms the selected claim's suggested link, X rejects, S splits, M merges with the marked
    claim; each is a decision on disk, the clusters are saved on quit, and a re-link keeps them."""
    import asyncio

    from tui_helpers import opened

    from verifier.link import relink
    from verifier.store import Store
    from verifier.tui.app import VerifierApp
    from verifier.tui.claim_list import ClaimList

    with Store(sample_db, readonly=True) as s:
        (sug,) = s.suggestion_list()[:1] or [None]
        assert sug is not None, "the sample has a suggested link"
        a, b = sug["a"], sug["b"]
        people = {c.id: c for c in s.live_claims() if any(n.get("unit") == "people" for n in c.numbers)}
        x, y = [cid for cid in people if s.claim_map()[cid].cluster_id != s.claim_map()[a].cluster_id][:2]
        assert s.claim_map()[x].cluster_id != s.claim_map()[y].cluster_id

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(200, 50)) as pilot:
            await opened(pilot)
            claims = app.query_one(ClaimList)
            store = app.store
            assert claims.select(a)
            await pilot.press("L")  # confirm: a and b are one claim
            assert store.claim_map()[a].cluster_id and store.claim_map()[a].cluster_id == store.claim_map()[b].cluster_id
            assert not any({s["a"], s["b"]} == {a, b} for s in store.suggestion_list())
            assert claims.select(x)
            await pilot.press("space")
            assert claims.select(y)
            await pilot.press("M")  # merge y with the marked x: a figure conflict comes with it
            cl = store.cluster_map()[store.claim_map()[x].cluster_id]
            assert y in cl.claim_ids and any(c["type"] == "figure" for c in cl.conflicts)
            assert claims.select(b)
            await pilot.press("S")  # split b out again
            left = store.cluster(store.claim_map()[a].cluster_id or "")
            assert left is None or b not in left.claim_ids
            await pilot.press("q")

    asyncio.run(go())
    store = Store(sample_db)
    try:
        ops = [d["op"] for d in store.decision_records()]
        assert ops[-3:] == ["confirm", "merge", "split"]
        assert store.claim_map()[x].cluster_id == store.claim_map()[y].cluster_id  # saved on quit
        relink(store)  # the person's decisions outlive a re-link
        assert store.claim_map()[x].cluster_id == store.claim_map()[y].cluster_id
        assert store.claim_map()[b].cluster_id != store.claim_map()[a].cluster_id or store.claim_map()[a].cluster_id is None
        assert not any({s["a"], s["b"]} == {a, b} for s in store.suggestion_list())
    finally:
        store.close()


def test_workbench_link_decisions_undo_with_z_and_stay_undone_after_a_relink(sample_db):
    """z takes back L (confirm), X (reject), S (split) and M (merge) one step at a time: the clusters,
    their conflicts and the suggestions are as they were; Z makes one again. An undo is a decision
    on disk, so what was taken back stays out after quitting and re-linking."""
    import asyncio

    from tui_helpers import opened

    from verifier.link import relink
    from verifier.tui.app import VerifierApp
    from verifier.tui.claim_list import ClaimList

    with Store(sample_db, readonly=True) as s:
        sugs = list(s.suggestion_list())
        assert sugs, "the sample has a suggested link"
        a, b = sugs[0]["a"], sugs[0]["b"]
        big = max(s.iter_clusters(), key=lambda cl: len(cl.claim_ids))
        assert len(big.claim_ids) >= 2, "the sample has a cluster to split"
        member = next(m for m in big.claim_ids if m != big.rep)
        figures = [x for x in s.live_claims() if any(n.get("unit") == "people" for n in x.numbers)
                   and x.cluster_id != big.id and x.id not in (a, b)]
        x, y = figures[0].id, next(f.id for f in figures[1:] if f.cluster_id != figures[0].cluster_id
                                     or f.cluster_id is None)
        clusters_before = {cl.id: (list(cl.claim_ids), list(cl.conflicts)) for cl in s.iter_clusters()}
    pair = lambda store, p, q: any({g["a"], g["b"]} == {p, q} for g in store.suggestion_list())  # noqa: E731
    together = lambda store, p, q: (store.claim_map()[p].cluster_id is not None  # noqa: E731
                                    and store.claim_map()[p].cluster_id == store.claim_map()[q].cluster_id)

    async def go():
        app = VerifierApp(sample_db)
        async with app.run_test(size=(200, 50)) as pilot:
            await opened(pilot)
            claims = app.query_one(ClaimList)
            store = app.store
            assert claims.select(a)
            await pilot.press("L")  # confirm ...
            assert together(store, a, b) and not pair(store, a, b)
            await pilot.press("z")  # ... taken back: the suggestion waits again
            assert not together(store, a, b) and pair(store, a, b)
            await pilot.press("Z")  # redo, then undo again
            assert together(store, a, b)
            await pilot.press("z")
            assert not together(store, a, b) and pair(store, a, b)
            await pilot.press("X")  # reject ...
            assert not pair(store, a, b)
            await pilot.press("z")  # ... taken back: suggested again
            assert pair(store, a, b) and not together(store, a, b)
            assert claims.select(member)
            await pilot.press("S")  # split ...
            assert store.claim_map()[member].cluster_id is None
            await pilot.press("z")  # ... back in its cluster, through its own automatic link
            assert store.claim_map()[member].cluster_id == big.id
            assert store.cluster_map()[big.id].claim_ids == clusters_before[big.id][0]
            assert claims.select(x)
            await pilot.press("space")
            assert claims.select(y)
            await pilot.press("M")  # merge: a figure conflict comes with it ...
            assert together(store, x, y)
            merged = store.cluster_map()[store.claim_map()[x].cluster_id]
            assert any(k["type"] == "figure" for k in merged.conflicts)
            await pilot.press("z")  # ... and goes with it
            assert not together(store, x, y)
            now = {cl.id: (list(cl.claim_ids), list(cl.conflicts)) for cl in store.iter_clusters()}
            assert now == clusters_before
            await pilot.press("q")

    asyncio.run(go())
    store = Store(sample_db)
    try:
        ops = [e["op"] for e in store.decision_records()]
        assert ops.count("undo") == 5 and ops.count("confirm") == 2
        assert not together(store, a, b) and pair(store, a, b)  # saved on quit
        relink(store)  # an undone decision stays undone through a re-link
        assert not together(store, a, b) and pair(store, a, b)
        assert not together(store, x, y)
        assert store.claim_map()[member].cluster_id is not None
        assert {cl.id: list(cl.claim_ids) for cl in store.iter_clusters()} == \
            {k: v[0] for k, v in clusters_before.items()}
    finally:
        store.close()
