"""Quote alignment benchmark (issue 6): one quote against a 1 MB transcript.

Run: python benchmarks/bench_quotes.py [--mb 1] [--quotes 200]
Builds a 1 MB transcript from the sample's sentences in speaker turns, indexes
it once, then aligns quotes of each kind (verbatim, one word changed, cut in
half, from elsewhere). Reports per-quote p50/p95 beside one plain pass over
the transcript (lower-casing it), the floor of any method that scans the text
per quote. Target: a quote aligned in under 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import pct  # noqa: E402
from synthetic import PEOPLE, sample_paragraphs, vary  # noqa: E402

from verifier.extract.sentences import split  # noqa: E402
from verifier.quotecheck import TextIndex, align  # noqa: E402



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--quotes", type=int, default=200)
    args = ap.parse_args()
    rng = random.Random(5)
    paras = sample_paragraphs()
    turns, size = [], 0
    while size < args.mb * 1_000_000:
        t = f"{rng.choice(PEOPLE).split()[-1].upper()}: {vary(rng.choice(paras), rng)}"
        turns.append(t)
        size += len(t) + 2
    text = "\n\n".join(turns)
    # quotes are what people said: sentences of a turn, without the "NAME:" label
    sentences = [text[a:b].split(": ", 1)[-1] if text[a:b].split(": ", 1)[0].isupper() else text[a:b]
                 for a, b in split(text)]
    sentences = [s for s in sentences if 8 <= len(s.split()) <= 40]

    t0 = time.perf_counter()
    index = TextIndex()
    index.add("reference:bench", "bench", text)
    t_index = time.perf_counter() - t0

    def changed(s: str) -> str:
        w = s.split()
        w[len(w) // 2] = "zanzibar"
        return " ".join(w)

    kinds = {
        "verbatim": lambda s: s,
        "one word changed": changed,
        "cut in half": lambda s: " ".join(s.split()[: len(s.split()) // 2]),
        "from elsewhere": lambda s: "The central bank raised rates by half a point to curb inflation, "
                                    "officials in Frankfurt said on Tuesday.",
    }
    floor = []
    for _ in range(5):
        t0 = time.perf_counter()
        text.lower()
        floor.append((time.perf_counter() - t0) * 1000)
    print(f"transcript: {len(text) / 1e6:.1f} MB, {len(index.words):,} words; index built once in "
          f"{t_index * 1000:.0f} ms")
    print(f"floor, one pass over the text (lower()): {statistics.median(floor):.1f} ms")
    worst = 0.0
    for name, make in kinds.items():
        lat, classes = [], {}
        for _ in range(args.quotes // len(kinds)):
            q = make(rng.choice(sentences))
            t0 = time.perf_counter()
            m = align(q, index)
            lat.append((time.perf_counter() - t0) * 1000)
            classes[m.status] = classes.get(m.status, 0) + 1
        worst = max(worst, pct(lat, 0.95))
        print(f"{name:>17}: p50 {statistics.median(lat):.1f} ms, p95 {pct(lat, 0.95):.1f} ms; classes {classes}")
    print(f"target p95 < 100 ms: {'met' if worst < 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
