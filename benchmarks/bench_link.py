"""Linking benchmark (issue 4).

Run: python benchmarks/bench_link.py [--claims 100000] [--recall-sample 5000]
Reports, in one run:
- linking 100,000 claims from scratch (target < 30 s on 2 cores), beside the
  time to normalise them (one pass over the data, the floor);
- linking one new 20-claim post into the 100,000-claim database with the
  index warm, as the workbench holds it (target < 200 ms), and cold;
- on a 5,000-claim sample, the share of all-pairs links (same scorer, same
  threshold) that the blocked linker finds (target >= 99%).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import claim_texts  # noqa: E402

from verifier.extract.numbers import find as find_numbers  # noqa: E402
from verifier.ids import content_id  # noqa: E402
from verifier.link import Linker  # noqa: E402
from verifier.link.score import LINK_AT, features, score  # noqa: E402
from verifier.link.tokens import normalise  # noqa: E402
from verifier.models import Claim  # noqa: E402


def make_claims(n: int, seed: int) -> list[Claim]:
    out = []
    for i, (text, post) in enumerate(claim_texts(n, seed=seed)):
        nums = [{k: v for k, v in x.items() if k != "span"} for x in find_numbers(text)]
        out.append(Claim(id=content_id("c", str(seed), str(i)), post_id=f"p{seed}-{post}", kind="figure",
                         text=text, span=[0, len(text)], numbers=nums))
    return out


def all_pairs_links(claims: list[Claim]) -> set[tuple[str, str]]:
    """Every pair at the threshold: a C-speed token_set prefilter over all pairs, then the real scorer."""
    from rapidfuzz import fuzz, process

    norms = [normalise(c.text) for c in claims]
    # score() never exceeds max(token_set, token_sort) and token_sort <= token_set + small,
    # so a cutoff well below the threshold loses nothing.
    matrix = process.cdist(norms, norms, scorer=fuzz.token_set_ratio, score_cutoff=LINK_AT - 15, workers=-1)
    feats = [features(c.text, c.quote) for c in claims]
    out = set()
    rows, cols = matrix.nonzero()
    for i, j in zip(rows.tolist(), cols.tolist()):
        if i < j and claims[i].post_id != claims[j].post_id and score(feats[i], feats[j])[0] >= LINK_AT:
            a, b = claims[i].id, claims[j].id
            out.add((a, b) if a < b else (b, a))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--recall-sample", type=int, default=5000)
    args = ap.parse_args()

    claims = make_claims(args.claims, seed=11)
    t0 = time.perf_counter()
    for c in claims:
        normalise(c.text)
    t_norm = time.perf_counter() - t0

    t0 = time.perf_counter()
    linker = Linker.build(claims)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    links = linker.link_all()
    t_link = time.perf_counter() - t0
    print(f"{len(claims)} claims: normalise pass {t_norm:.1f} s (floor); "
          f"index {t_build:.1f} s + score {t_link:.1f} s = {t_build + t_link:.1f} s, {len(links)} links "
          f"({(t_build + t_link) / t_norm:.1f}x the floor)  target < 30 s: "
          f"{'met' if t_build + t_link < 30 else 'MISSED'}")

    # A new post as a live blog writes one: half fresh claims, half restating earlier ones.
    post = make_claims(10, seed=99)
    for k, old in enumerate(claims[:: len(claims) // 10][:10]):
        text = old.text.rstrip(".") + ", officials said."
        post.append(Claim(id=content_id("new", str(k)), post_id="new-post", kind="figure", text=text,
                          span=[0, len(text)], numbers=old.numbers))
    for c in post:
        c.post_id = "new-post"
    t0 = time.perf_counter()
    new_links = linker.add(post)
    t_add = (time.perf_counter() - t0) * 1000
    print(f"one new 20-claim post, index warm: {t_add:.0f} ms, {len(new_links)} links  "
          f"target < 200 ms: {'met' if t_add < 200 else 'MISSED'}")
    print(f"  (cold, including building the index over {len(claims)} claims: {t_build * 1000 + t_add:.0f} ms)")

    sample = make_claims(args.recall_sample, seed=5)
    t0 = time.perf_counter()
    truth = all_pairs_links(sample)
    t_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    blocked = {(l["a"], l["b"]) if l["a"] < l["b"] else (l["b"], l["a"]) for l in Linker.build(sample).link_all()}
    t_blocked = time.perf_counter() - t0
    recall = len(truth & blocked) / len(truth) if truth else 1.0
    print(f"recall on {len(sample)} claims: blocked finds {len(truth & blocked)} of {len(truth)} all-pairs links "
          f"= {recall:.1%} (all-pairs {t_all:.1f} s, blocked {t_blocked:.2f} s)  target >= 99%: "
          f"{'met' if recall >= 0.99 else 'MISSED'}")


if __name__ == "__main__":
    main()
