"""Extraction benchmark (issue 3): MB of post text per second on one core.

Run: python benchmarks/bench_extract.py [--mb 10]
Builds a corpus of at least --mb MB of post text from varied sample
paragraphs, then times sentence splitting alone (the cheapest pass, as the
baseline measured in the same run) and full extraction.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import sample_paragraphs, vary  # noqa: E402

from verifier.extract import extract, sentences  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    args = ap.parse_args()
    rng = random.Random(7)
    paras = sample_paragraphs()
    posts, size = [], 0
    while size < args.mb * 1e6:
        body = "\n\n".join(vary(rng.choice(paras), rng) for _ in range(rng.randint(3, 7)))
        posts.append(body)
        size += len(body.encode("utf-8"))

    t0 = time.perf_counter()
    for body in posts:
        sentences.split(body)
    t_split = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_claims = 0
    for body in posts:
        n_claims += len(extract(body))
    t_extract = time.perf_counter() - t0

    mb = size / 1e6
    print(f"corpus: {mb:.1f} MB in {len(posts)} posts")
    print(f"baseline sentence split: {mb / t_split:.2f} MB/s")
    print(f"full extraction: {mb / t_extract:.2f} MB/s, {n_claims} claims, "
          f"{t_extract / t_split:.1f}x the split pass")
    print(f"target >= 1 MB/s on one core: {'met' if mb / t_extract >= 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
