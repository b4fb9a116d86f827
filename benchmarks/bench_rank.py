"""Ranking benchmark (issue 10): do the claims a checker must check come first?

Run: python benchmarks/bench_rank.py [--json]
For every blog of the dev corpus (../shared/dev-corpus, read in place, never
copied), ingests and exports it with this checkout's code, orders the
exported claims by check-worthiness (highest first, ties sharing their mean
rank) and reports, per blog, the mean rank percentile (0 = top, 1 = bottom)
of the claims that match a gold *required* claim against that of the rest,
the gap (rest - required; target >= 0.15), the number of distinct scores and
the share of claims whose score is tied with another.
Gold matching is the dev-corpus scorer's (phrase partial ratio >= 90 on its
normalised text, imported from score.py), in any post: a summary post that
repeats a required claim word for word repeats the same required claim,
which the gold annotates once.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_GAP = 0.15


def shared_dir() -> Path | None:
    for cand in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared")):
        if (cand / "dev-corpus" / "score.py").exists():
            return cand
    return None


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("devcorpus_score", shared / "dev-corpus" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def export(text_path: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory() as td:
        env["VERIFIER_DB"] = os.path.join(td, "db.json")
        out = os.path.join(td, "out.json")
        for args in (["ingest", text_path], ["export", "--format", "json", "-o", out]):
            subprocess.run([sys.executable, "-m", "verifier", *args], env=env, check=True,
                           capture_output=True, text=True)
        with open(out, encoding="utf-8") as fh:
            return json.load(fh)


def percentiles(scores: list[float]) -> list[float]:
    """Rank percentile of each score, highest first; tied scores share their mean rank."""
    n = len(scores)
    order = sorted(range(n), key=lambda i: -scores[i])
    pos = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mean_rank = (i + j) / 2
        for k in range(i, j + 1):
            pos[order[k]] = mean_rank / (n - 1) if n > 1 else 0.0
        i = j + 1
    return pos


def rank_blog(gold_path: str, S) -> dict:
    with open(gold_path, encoding="utf-8") as fh:
        gold = json.load(fh)
    exp = export(S.text_of(gold_path))
    claims = [c for c in exp.get("claims", []) if not c.get("retired")]
    norm = S.norm
    fuzz = S.fuzz

    def matches(g: dict, c: dict) -> bool:
        # Any post: a summary that repeats a required claim word for word repeats a required claim
        # (the gold annotates it once), so its copy is not "the rest".
        text = norm(c.get("text") or "")
        return len(text) <= 700 and fuzz.partial_ratio(norm(g["phrase"]), text) >= 90

    required = set()
    for g in gold["claims"]:
        if g.get("optional"):
            continue
        required.update(i for i, c in enumerate(claims) if matches(g, c))
    scores = [float(c.get("checkworthiness") or 0.0) for c in claims]
    pct = percentiles(scores)
    req = [pct[i] for i in required]
    rest = [pct[i] for i in range(len(claims)) if i not in required]
    counts = Counter(scores)
    mean = (lambda xs: sum(xs) / len(xs) if xs else float("nan"))
    return {
        "blog": os.path.basename(gold_path).removesuffix(".json"),
        "claims": len(claims),
        "required_matched": len(req),
        "required_mean_pct": mean(req),
        "rest_mean_pct": mean(rest),
        "gap": mean(rest) - mean(req),
        "distinct_scores": len(counts),
        "tied_share": sum(n for n in counts.values() if n > 1) / len(scores) if scores else 0.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None:
        print("bench_rank: dev corpus not found (../shared/dev-corpus)", file=sys.stderr)
        return 2
    S = _scorer(shared)
    gold_dir = shared / "dev-corpus" / "gold"
    rows = [rank_blog(str(gold_dir / g), S) for g in sorted(os.listdir(gold_dir)) if g.endswith(".json")]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'blog':42} {'claims':>6} {'req':>4} {'req pct':>8} {'rest pct':>8} {'gap':>6} {'distinct':>8} {'tied':>5}")
    for r in rows:
        verdict = ("n/a: every exported claim is a required one" if r["gap"] != r["gap"]
                   else "ok" if r["gap"] >= TARGET_GAP else "BELOW TARGET")
        print(f"{r['blog']:42} {r['claims']:6d} {r['required_matched']:4d} {r['required_mean_pct']:8.3f} "
              f"{r['rest_mean_pct']:8.3f} {r['gap']:6.3f} {r['distinct_scores']:8d} {r['tied_share']:5.2f}  {verdict}")
    ok = all(r["gap"] >= TARGET_GAP for r in rows if r["gap"] == r["gap"])
    print(f"target: required claims rank at least {TARGET_GAP} better than the rest on every blog with a rest: "
          f"{'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
