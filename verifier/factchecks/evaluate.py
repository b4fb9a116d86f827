"""TREC-style evaluation of a ranking: qrels, MAP@k, MRR, Recall@k (the CLEF CheckThat! measures)."""

from __future__ import annotations

import csv
import os
import re
from typing import Mapping, Sequence

from verifier.errors import InputError
from verifier.factchecks.text import parse_date


def read_qrels(path: str) -> dict[str, set[str]]:
    """`qid <TAB> 0 <TAB> docid <TAB> relevance` lines: the relevant docids of each query."""
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise InputError(f"{path}: line {n} is not 'qid 0 docid relevance'")
            if parts[3] != "0":
                out.setdefault(parts[0], set()).add(parts[2])
    return out


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for i, d in enumerate(ranked[:k], 1):
        if d in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), k) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    return next((1 / i for i, d in enumerate(ranked, 1) if d in relevant), 0.0)


def scores(runs: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], k: int = 5) -> dict[str, float]:
    """MAP@k, MRR and Recall@k over the queries of qrels (a query without a run scores 0)."""
    n = len(qrels) or 1
    return {
        f"MAP@{k}": sum(average_precision(runs.get(q, []), rel, k) for q, rel in qrels.items()) / n,
        "MRR": sum(reciprocal_rank(runs.get(q, []), rel) for q, rel in qrels.items()) / n,
        f"Recall@{k}": sum(len(set(runs.get(q, [])[:k]) & rel) / len(rel) for q, rel in qrels.items()) / n,
    }


def read_queries(path: str) -> list[tuple[str, str, str | None]]:
    """A TSV of `id <TAB> text [<TAB> speaker]`; a first line `id text ...`-like header is skipped."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or not any(x.strip() for x in row):
                continue
            if len(row) < 2:
                raise InputError(f"{path}: line {n} has no tab between id and text")
            if n == 1 and row[1].strip().lower() in ("text", "tweet_content", "sentence", "claim", "query"):
                continue
            speaker = row[2].strip() if len(row) > 2 and row[2].strip() else None
            out.append((row[0].strip(), row[1], speaker))
    return out


class Transcripts:
    """CLEF 2022 2B: the speaker (and date) of a query `<transcript>_<line>` from the transcript files."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.names = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".tsv"))
        self._lines: dict[str, dict[int, tuple[str, str]]] = {}

    def lines(self, name: str) -> dict[int, tuple[str, str]]:
        if name not in self._lines:
            rows: dict[int, tuple[str, str]] = {}
            with open(os.path.join(self.folder, name + ".tsv"), encoding="utf-8", newline="") as fh:
                for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                    if len(row) >= 3 and row[0].strip().isdigit():
                        rows[int(row[0])] = (row[1].strip(), row[2])
            self._lines[name] = rows
        return self._lines[name]

    def locate(self, qid: str) -> tuple[str, int] | None:
        m = re.match(r"(.+)_(\d+)$", qid)
        if not m:
            return None
        name, line = m.group(1), int(m.group(2))
        if name in self.names:
            return name, line
        # a misspelt transcript name: the transcript of the same date that has this line
        day = parse_date(name)
        from rapidfuzz import fuzz

        same_day = [t for t in self.names if day and parse_date(t) == day and line in self.lines(t)]
        if not same_day:
            return None
        return max(same_day, key=lambda t: fuzz.ratio(t.lower(), name.lower())), line

    def speaker(self, qid: str) -> str | None:
        loc = self.locate(qid)
        if loc is None:
            return None
        row = self.lines(loc[0]).get(loc[1])
        return row[0] if row else None

    def date(self, qid: str) -> str | None:
        loc = self.locate(qid)
        return parse_date(loc[0]) if loc else None
