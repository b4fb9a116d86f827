"""Finding the published fact-checks a claim repeats.

Two stages, the standard lexical recipe for CLEF CheckThat!'s "previously fact-checked claims":
BM25 (bm25s; Snowball stems, no stopwords) over each checked claim plus its review's title picks
CANDIDATES entries; each is then scored on a few features (its BM25 score, rapidfuzz token scores
against the claim and the title, how much of each side's words the other holds, whether the
fact-check's claimant is the claim's speaker, how near the two dates are) combined by weights
fitted to rank the relevant entries first on the CLEF training parts only (benchmarks/bench_factchecks.py --fit). The result is a
probability-like score in 0..1; "checked before" is a score of at least CHECKED_BEFORE, chosen on
the training data for precision.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import orjson
from rapidfuzz import fuzz

from verifier.factchecks.models import FactCheck
from verifier.factchecks.text import clean, days_apart, surname, tokens

CANDIDATES = 40  # BM25's top entries re-scored per claim
SPEAKER_CANDIDATES = 20  # and BM25's top among the entries whose claimant is the claim's speaker

FEATURES = ("bm25_rel", "bm25_log", "set_claim", "sort_claim", "numbers", "set_title",
            "cover_entry", "cover_claim", "speaker", "speaker_other", "date_near", "date_far",
            "idf_cover_entry", "idf_cover_claim")
# Ranking weights (intercept first), fitted on the CLEF 2020 and 2022 training queries.
WEIGHTS = (-8.4542, 6.5233, 0.995, 1.8777, 1.5021, -0.7066, 4.305, -5.902, -6.3083, 1.3106, -0.8039, 3.6316,
           -0.7229, 6.5718, 7.2983)
# P(right) = sigmoid(weights . calibration_inputs + intercept), fitted on training data.
CALIBRATION = (-0.2454, 0.6993, 4.2163, 3.1542, -3.0918)
# A claim is "checked before" when its best match scores at least this (chosen on training data).
CHECKED_BEFORE = 0.9567  # precision >= 0.93 on each CLEF training set (2022's with unchecked sentences)


def entry_text(e: FactCheck) -> str:
    """What BM25 indexes of an entry: the checked claim and its review's title."""
    return e.claim if not e.title else f"{e.claim} {e.title}"


@dataclass(slots=True)
class _Side:
    """What the re-scoring needs of an entry, computed once per entry and kept."""

    claim: str  # lower-cased
    title: str
    claim_tokens: frozenset[str]
    all_tokens: frozenset[str]
    numbers: frozenset[str]
    claimant_surname: str | None
    date: str | None


def _side(e: FactCheck) -> _Side:
    ct = frozenset(tokens(e.claim))
    return _Side(e.claim.lower(), (e.title or "").lower(), ct, ct | frozenset(tokens(e.title or "")),
                 frozenset(t for t in ct if t[0].isdigit()), surname(e.claimant), e.date)


def features(query: str, qtoks: set[str], speaker_surname: str | None, when: str | None,
             e: _Side, bm25: float, bm25_max: float, idf=None) -> list[float]:
    """The re-scoring features of one (claim, entry) pair; `query` lower-cased, cleaned; `idf` weighs
    a word by its rarity in the library."""
    days = days_apart(when, e.date)
    idf = idf or (lambda t: 1.0)
    shared = e.claim_tokens & qtoks
    entry_w = sum(idf(t) for t in e.claim_tokens)
    query_w = sum(idf(t) for t in qtoks)
    same = bool(speaker_surname and speaker_surname == e.claimant_surname)
    return [
        bm25 / bm25_max if bm25_max > 0 else 0.0,
        math.log1p(bm25),
        fuzz.token_set_ratio(query, e.claim) / 100,
        fuzz.token_sort_ratio(query, e.claim) / 100,
        # the entry's figures found in the claim (-0.5 none .. 0.5 all; 0 when it has none)
        len(e.numbers & qtoks) / len(e.numbers) - 0.5 if e.numbers else 0.0,
        fuzz.token_set_ratio(query, e.title) / 100 if e.title else 0.0,
        len(e.claim_tokens & qtoks) / len(e.claim_tokens) if e.claim_tokens else 0.0,
        len(e.all_tokens & qtoks) / len(qtoks) if qtoks else 0.0,
        1.0 if same else 0.0,
        1.0 if speaker_surname and e.claimant_surname and not same else 0.0,
        math.exp(-days / 365) if days is not None else 0.0,
        1.0 if days is not None and days > 3 * 365 else 0.0,
        sum(idf(t) for t in shared) / entry_w if entry_w else 0.0,
        sum(idf(t) for t in e.all_tokens & qtoks) / query_w if query_w else 0.0,
    ]


def linear(x: Sequence[float], weights: Sequence[float] = WEIGHTS) -> float:
    """The ranking score of a candidate (higher is better)."""
    return weights[0] + sum(w * v for w, v in zip(weights[1:], x))


def calibration_inputs(z: float, lead: float, x: Sequence[float]) -> list[float]:
    """What the chance of a match is judged on: the ranking score, its lead over the best other
    candidate (negative when another is ahead), and the words the two share (entry words found in the
    claim; token-set similarity), so that a matching speaker alone never makes a match."""
    return [z, min(lead, 5.0), x[6], x[2]]


def probability(z: float, lead: float, x: Sequence[float], calibration: Sequence[float] = CALIBRATION) -> float:
    """The chance that a candidate is a fact-check of the claim (calibrated on training claims that
    were checked and on transcript sentences that were not)."""
    t = calibration[-1] + sum(a * v for a, v in zip(calibration, calibration_inputs(z, lead, x)))
    return 1 / (1 + math.exp(-max(-40.0, min(40.0, t))))


@dataclass(slots=True)
class Hit:
    index: int  # position of the entry in the matcher
    entry: FactCheck
    score: float  # the chance (0..1) that the entry is a fact-check of the claim
    features: list[float]
    rank_score: float = 0.0  # what the ranking sorts on (a TREC run's score column)


def fingerprint(keys: Iterable[str]) -> str:
    """Identifies a library's contents: same keys (content ids), same index."""
    h = hashlib.sha1()
    for k in sorted(keys):
        h.update(k.encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


_FIELDS = ("key", "id", "claim", "title", "claimant", "date", "publisher", "rating", "url", "origin", "added_at")


class Matcher:
    """A BM25 index over a list of fact-checks, and the re-scoring of its candidates.

    Entries are kept as columns and made into FactCheck records only when a search returns them,
    and BM25 scores are summed straight from the index's saved arrays (memory-mapped), so a saved
    index of 100,000 entries opens without importing bm25s or building 100,000 objects.
    """

    def __init__(self, columns: dict[str, list], bm25: dict | None, fp: str | None = None) -> None:
        self.columns = columns
        self.keys: list[str] = columns["key"]
        self.ids: list[str] = columns["id"]
        self.bm25 = bm25  # {"data", "indices", "indptr": arrays, "vocab": {term: id}}
        self.fingerprint = fp or fingerprint(self.keys)
        self._entries: dict[int, FactCheck] = {}
        self._sides: dict[int, _Side] = {}
        self._by_claimant: dict[str, np.ndarray] | None = None
        self._idf: dict[str, float] = {}

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency of a term (from the index's postings); unseen terms count 0."""
        w = self._idf.get(term)
        if w is None:
            bm25 = self.bm25
            t = bm25["vocab"].get(term) if bm25 is not None else None
            if bm25 is None or t is None:
                w = 0.0
            else:
                df = int(bm25["indptr"][t + 1] - bm25["indptr"][t])
                w = math.log(1 + (len(self) - df + 0.5) / (df + 0.5))
            self._idf[term] = w
        return w

    def by_claimant(self, name: str | None) -> np.ndarray:
        """Positions of the entries whose claimant has this surname."""
        if self._by_claimant is None:
            groups: dict[str, list[int]] = {}
            for i, c in enumerate(self.columns["claimant"]):
                s = surname(c)
                if s:
                    groups.setdefault(s, []).append(i)
            self._by_claimant = {k: np.asarray(v, dtype=np.int64) for k, v in groups.items()}
        return self._by_claimant.get(name or "", np.empty(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.keys)

    def entry(self, i: int) -> FactCheck:
        e = self._entries.get(i)
        if e is None:
            e = self._entries[i] = FactCheck(**{f: self.columns[f][i] for f in _FIELDS})
        return e

    @property
    def entries(self) -> list[FactCheck]:
        return [self.entry(i) for i in range(len(self))]

    def _side(self, i: int) -> _Side:
        s = self._sides.get(i)
        if s is None:
            s = self._sides[i] = _side(self.entry(i))
        return s

    @classmethod
    def build(cls, entries: Iterable[FactCheck]) -> "Matcher":
        entries = list(entries)
        columns = {f: [getattr(e, f) for e in entries] for f in _FIELDS}
        bm25 = None
        if entries:
            import bm25s

            index = bm25s.BM25()
            corpus = [tokens(entry_text(e)) or ["\x00"] for e in entries]
            index.index(corpus, show_progress=False)
            bm25 = {"data": np.asarray(index.scores["data"], dtype=np.float32),
                    "indices": np.asarray(index.scores["indices"], dtype=np.int32),
                    "indptr": np.asarray(index.scores["indptr"], dtype=np.int64),
                    "vocab": dict(index.vocab_dict)}
        m = cls(columns, bm25)
        m._entries = dict(enumerate(entries))
        return m

    # ---- persistence: a folder beside the database ---------------------
    def save(self, folder: str) -> None:
        """Written to a fresh folder and swapped in, so a reader never sees half an index."""
        import shutil

        tmp = folder + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        if self.bm25 is not None:
            for name in ("data", "indices", "indptr"):
                np.save(os.path.join(tmp, f"bm25.{name}.npy"), self.bm25[name])
            with open(os.path.join(tmp, "bm25.vocab.json"), "wb") as fh:
                fh.write(orjson.dumps(self.bm25["vocab"]))
        with open(os.path.join(tmp, "entries.json"), "wb") as fh:
            fh.write(orjson.dumps(self.columns))
        self.by_claimant(None)
        with open(os.path.join(tmp, "claimants.json"), "wb") as fh:
            fh.write(orjson.dumps({k: v.tolist() for k, v in (self._by_claimant or {}).items()}))
        with open(os.path.join(tmp, "meta.json"), "wb") as fh:  # last: its presence marks a whole index
            fh.write(orjson.dumps({"fingerprint": self.fingerprint, "entries": len(self), "version": 1}))
        old = folder + ".old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(folder):
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: str) -> "Matcher | None":
        """The saved index, or None when there is none or it is damaged (it is rebuilt then)."""
        try:
            with open(os.path.join(folder, "meta.json"), "rb") as fh:
                meta = orjson.loads(fh.read())
            with open(os.path.join(folder, "entries.json"), "rb") as fh:
                columns = orjson.loads(fh.read())
            if not isinstance(meta, dict) or not isinstance(columns, dict) \
                    or any(len(columns.get(f) or ()) != meta.get("entries") for f in _FIELDS):
                return None
            bm25 = None
            if meta["entries"]:
                bm25 = {name: np.load(os.path.join(folder, f"bm25.{name}.npy"), mmap_mode="r")
                        for name in ("data", "indices", "indptr")}
                with open(os.path.join(folder, "bm25.vocab.json"), "rb") as fh:
                    bm25["vocab"] = orjson.loads(fh.read())
            with open(os.path.join(folder, "claimants.json"), "rb") as fh:
                groups = {k: np.asarray(v, dtype=np.int64) for k, v in orjson.loads(fh.read()).items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, orjson.JSONDecodeError):
            return None
        m = cls(columns, bm25, meta.get("fingerprint"))
        m._by_claimant = groups
        return m

    # ---- matching ------------------------------------------------------
    def bm25_scores(self, qtoks: list[str]) -> np.ndarray:
        n = len(self)
        if self.bm25 is None:
            return np.zeros(n, dtype=np.float32)
        vocab, indptr = self.bm25["vocab"], self.bm25["indptr"]
        ids = [vocab[t] for t in qtoks if t in vocab]
        if not ids:
            return np.zeros(n, dtype=np.float32)
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in ids]
        idx = np.concatenate([self.bm25["indices"][a:b] for a, b in spans])
        val = np.concatenate([self.bm25["data"][a:b] for a, b in spans])
        return np.bincount(idx, weights=val, minlength=n)

    def search(self, text: str, *, speaker: str | None = None, when: str | None = None, k: int = 5,
               exclude: Iterable[str] = (), candidates: int = CANDIDATES,
               weights: Sequence[float] = WEIGHTS, calibration: Sequence[float] = CALIBRATION) -> list[Hit]:
        """The k best entries for a claim's text, best first, with scores in 0..1."""
        query = clean(text)
        qlist = tokens(query)
        if not len(self) or not qlist:
            return []
        scores = self.bm25_scores(qlist)
        n = min(candidates, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        who = surname(speaker)
        own = self.by_claimant(who) if who else None
        if own is not None and len(own):
            m = min(SPEAKER_CANDIDATES, len(own))
            extra = own[np.argpartition(-scores[own], m - 1)[:m]] if m < len(own) else own
            top = np.union1d(top, extra)
        chosen = [int(i) for i in top if scores[i] > 0]
        if not chosen:
            return []
        best = float(max(scores[i] for i in chosen))
        qtoks = set(qlist)
        lower = query.lower()
        skip = set(exclude)
        scored = []
        for i in chosen:
            if self.keys[i] in skip:
                continue
            x = features(lower, qtoks, who, when, self._side(i), float(scores[i]), best, self.idf)
            scored.append((linear(x, weights), i, x))
        scored.sort(key=lambda t: (-t[0], t[1]))
        hits = []
        for rank, (z, i, x) in enumerate(scored[:k]):
            other = scored[1][0] if rank == 0 and len(scored) > 1 else scored[0][0] if rank else z - 5.0
            hits.append(Hit(i, self.entry(i), probability(z, z - other, x, calibration), x, z))
        return hits
