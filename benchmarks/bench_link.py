"""Linking benchmark: speed at 100,000 claims, a small ingest into a big database, and blocking recall.

Run: python benchmarks/bench_link.py [--claims 100000] [--recall-sample 3000]
Reports, in one run:
- linking N synthetic claims from scratch (`verifier link`), beside the time to normalise them
  (one pass over the data, the floor);
- linking one new 20-claim post into that database as `verifier ingest` does it: the saved link
  index loaded (not a pass over the database), the new claims linked, the clusters rebuilt;
  and the same with the index rebuilt from the database (a missing or stale index file);
- on a sample, the share of the pairs an all-pairs comparison would link automatically whose
  earlier claim the blocking index offered as a candidate (target >= 99%).
Quality on realistic news is measured by benchmarks/bench_newsgen.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import claim_texts  # noqa: E402

from verifier.extract.numbers import find as find_numbers  # noqa: E402
from verifier.ids import content_id  # noqa: E402
from verifier.link import link_new, relink  # noqa: E402
from verifier.link.blocking import AnchorIndex, index_path  # noqa: E402
from verifier.link.linker import Decisions, Pass, chronological  # noqa: E402
from verifier.link.score import SUGGEST_AT, claim_features, judge  # noqa: E402
from verifier.link.tokens import normalise  # noqa: E402
from verifier.models import Claim, Post, Source  # noqa: E402
from verifier.store.database import Store  # noqa: E402


def make_claims(n: int, seed: int, prefix: str = "") -> tuple[list[Post], list[Claim]]:
    posts: dict[str, Post] = {}
    claims = []
    for i, (text, post) in enumerate(claim_texts(n, seed=seed)):
        pid = f"{prefix}p{seed}-{post}"
        if pid not in posts:
            minute = len(posts)
            posts[pid] = Post(id=pid, source_id="s", seq=len(posts), headline=None, body="",
                              published=f"2023-{1 + minute // 40000:02d}-01T00:00:00+00:00:{minute:08d}")
        nums = [{k: v for k, v in x.items() if k != "span"} for x in find_numbers(text)]
        claims.append(Claim(id=content_id("c", prefix, str(seed), str(i)), post_id=pid, kind="figure",
                            text=text, span=[0, len(text)], numbers=nums))
    return list(posts.values()), claims


def fill(store: Store, posts: list[Post], claims: list[Claim]) -> None:
    store.put_source(Source(id="s", key="bench", kind="json", path="bench"))
    store.put_posts(posts)
    store.put_claims(claims)


def blocking_recall(claims: list[Claim]) -> tuple[int, int]:
    """(automatic all-pairs matches whose earlier claim blocking offered, all of them)."""
    from rapidfuzz import fuzz, process

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(os.path.join(tmp, "r.json"))
        posts = {c.post_id: Post(id=c.post_id, source_id="s", seq=0, headline=None, body="") for c in claims}
        fill(store, list(posts.values()), claims)
        order = sorted(claims, key=chronological(store))
        offered: dict[str, set[str]] = {}
        index = AnchorIndex()
        p = Pass(store, index, Decisions(), stored_groups=False)
        for c in order:
            f = p.feat(c.id)
            offered[c.id] = set(index.candidates(f.norm, f.keys))
            same = index.same_text(f.norm)
            if same:
                offered[c.id].add(same)
            p.add(c)
        anchors = set(index.anchors)
        masked = [p.feat(c.id).masked for c in order]
        # judge() scores under the prefilter's cutoff never reach the suggested band but through clauses
        matrix = process.cdist(masked, masked, scorer=fuzz.token_set_ratio, score_cutoff=SUGGEST_AT - 25,
                               workers=-1)
        found = total = 0
        rows, cols = matrix.nonzero()
        for i, j in zip(rows.tolist(), cols.tolist()):
            if j >= i or order[j].id not in anchors or order[i].post_id == order[j].post_id:
                continue
            x, y = order[i], order[j]
            if judge(claim_features(x), claim_features(y)).tier == "auto":
                total += 1
                found += y.id in offered[x.id] or bool(offered[x.id] & {y.id})
        store.close()
    return found, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--recall-sample", type=int, default=3000)
    args = ap.parse_args()

    posts, claims = make_claims(args.claims, seed=11)
    t0 = time.perf_counter()
    for c in claims:
        normalise(c.text)
    t_norm = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.json")
        with Store(db) as store:
            fill(store, posts, claims)
            t0 = time.perf_counter()
            linked = relink(store)
            t_link = time.perf_counter() - t0
            store.save()
            linked.save_index()
        print(f"{len(claims)} claims: normalise pass {t_norm:.1f} s (floor); link from scratch {t_link:.1f} s "
              f"({t_link / t_norm:.1f}x the floor), {len(linked.clusters)} clusters, {linked.suggestions} suggested")

        # A new post as a live blog writes one: half fresh claims, half restating earlier ones.
        new_posts, new = make_claims(10, seed=99, prefix="new")
        for k, old in enumerate(claims[:: len(claims) // 10][:10]):
            text = old.text.rstrip(".") + ", officials said."
            new.append(Claim(id=content_id("new", str(k)), post_id="x", kind="figure", text=text,
                             span=[0, len(text)], numbers=old.numbers))
        post = Post(id="new-post", source_id="s", seq=0, headline=None, body="", published="2099-01-01T00:00:00Z")
        for c in new:
            c.post_id = post.id
        for rebuild in (False, True):
            if rebuild:
                os.remove(index_path(db))
            with Store(db) as store:
                fill(store, [post], new)
                t0 = time.perf_counter()
                done = link_new(store, [c.id for c in new])
                t_add = time.perf_counter() - t0
                joined = sum(1 for c in new if store.claim_map()[c.id].cluster_id)
            how = "index rebuilt from the database" if done.rebuilt else "saved index loaded"
            print(f"one new 20-claim post into {len(claims)} claims ({how}): {t_add * 1000:.0f} ms, "
                  f"{joined} of its claims in clusters")

    _, sample = make_claims(args.recall_sample, seed=5)
    t0 = time.perf_counter()
    found, total = blocking_recall(sample)
    recall = found / total if total else 1.0
    print(f"blocking recall on {len(sample)} claims: offered {found} of {total} all-pairs automatic matches "
          f"= {recall:.1%} ({time.perf_counter() - t0:.1f} s)  target >= 99%: {'met' if recall >= 0.99 else 'MISSED'}")


if __name__ == "__main__":
    main()
