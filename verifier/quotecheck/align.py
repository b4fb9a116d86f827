"""Align one quote against an index and say how faithful it is.

Classes, from best to worst:
- verbatim: the same words (case, quote marks, whitespace, punctuation ignored),
  covering whole sentences of the source;
- minor: differs only where meaning does not: filler words (um, you know),
  stutters, contractions, number words against digits, and punctuation that
  splits or joins words (e-mail / email, 15,000 / 15000);
- partial: verbatim or minor, but cut out of a longer sentence: the context
  around it is returned so the person can judge the cut;
- altered: words changed, added or dropped (the word diff says which);
- not found: nothing close enough in any source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz.distance import Indel, Levenshtein

from verifier.quotecheck.index import TextIndex
from verifier.quotecheck.words import canonical, tokens

CLASSES = ("verbatim", "minor", "partial", "altered", "not found")
ALTERED_AT = 70.0  # word-level similarity (0-100) below which a match is "not found"
MIN_COVER = 0.6  # share of the quote's words that must appear in the match
CONTEXT = 160  # characters of context each side
_OPENERS = "\"'“‘«([—–-:"
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".?!…;"


@dataclass
class QuoteMatch:
    status: str
    score: float = 0.0
    source: str | None = None  # "reference:<id>" or "post:<id>"
    label: str | None = None  # the source's title or the post's headline
    start: int | None = None  # [start, end) in the source's text
    end: int | None = None
    line: int | None = None
    matched: str | None = None  # the source's words, as written there
    diff: list[dict[str, Any]] = field(default_factory=list)  # quote -> source, word ops
    before: str = ""
    after: str = ""
    speaker: str | None = None  # the transcript's speaker at that point, if it marks turns

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "QuoteMatch":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    @property
    def found(self) -> bool:
        return self.status != "not found"


def _rank(m: QuoteMatch) -> tuple[int, float]:
    return (-CLASSES.index(m.status), m.score)


def align(quote: str, index: TextIndex, exclude: frozenset[str] | set[str] = frozenset()) -> QuoteMatch:
    """The best place for ``quote`` in the index, classified."""
    qwords, qspans = tokens(quote)
    shown = [quote[a:b] for a, b in qspans]  # the quote's words as written, for the diff
    best = QuoteMatch("not found")
    if not qwords or not len(index):
        return best
    slack = max(6, len(qwords) // 2)
    for doc, start in index.seeds(qwords, exclude):
        lo = max(index.docs[doc].start, start - slack)
        hi = min(index.doc_end(doc), start + len(qwords) + slack)
        region = _region(qwords, index.words[lo:hi])
        if region is None:
            continue
        w0, w1 = _extend(qwords, index.words, lo + region[0], lo + region[1], lo, hi)
        m = classify(qwords, index, doc, w0, w1, shown)
        if _rank(m) > _rank(best):
            best = m
    return best


def _region(qwords: list[str], window: list[str]) -> tuple[int, int] | None:
    """Where in ``window`` the quote lies: the densest run of shared words around the
    longest one. Words matched farther out (a name from the sentence before) are
    left out; a gap of up to 3 words is a change inside the quote."""
    blocks = [(op.dest_start, op.dest_end) for op in Indel.opcodes(qwords, window) if op.tag == "equal"]
    if not blocks:
        return None
    core = max(range(len(blocks)), key=lambda i: blocks[i][1] - blocks[i][0])
    a = b = core
    while a > 0 and blocks[a][0] - blocks[a - 1][1] <= 3:
        a -= 1
    while b + 1 < len(blocks) and blocks[b + 1][0] - blocks[b][1] <= 3:
        b += 1
    return blocks[a][0], blocks[b][1]


def _extend(qwords: list[str], words: list[str], w0: int, w1: int, lo: int, hi: int) -> tuple[int, int]:
    """Quote words left unmatched at either edge ("against us" quoted as "against
    Russia") still stand against the source's words there: take in up to as many
    source words as give the closest match, so the diff shows a replacement."""
    ops = [op for op in Indel.opcodes(qwords, words[w0:w1]) if op.tag == "equal"]
    lead = min(3, ops[0].src_start) if ops else 0
    trail = min(3, len(qwords) - ops[-1].src_end) if ops else 0
    n = len(qwords)
    best = (Levenshtein.normalized_similarity(qwords, words[w0:w1]), -abs(w1 - w0 - n), w0, w1)
    for a in range(lead + 1):
        for b in range(trail + 1):
            s0, s1 = max(lo, w0 - a), min(hi, w1 + b)
            cand = (Levenshtein.normalized_similarity(qwords, words[s0:s1]), -abs(s1 - s0 - n), s0, s1)
            if cand[:2] > best[:2]:
                best = cand
    return best[2], best[3]


def classify(qwords: list[str], index: TextIndex, doc_no: int, w0: int, w1: int,
             shown: list[str] | None = None) -> QuoteMatch:
    doc = index.docs[doc_no]
    rwords = index.words[w0:w1]
    start, end = index.spans[w0][0], index.spans[w1 - 1][1]
    text = doc.text
    score = round(Indel.normalized_similarity(qwords, rwords) * 100, 1)
    shared = sum(op.src_end - op.src_start for op in Indel.opcodes(qwords, rwords) if op.tag == "equal")
    if qwords == rwords or canonical(qwords) == canonical(rwords):
        status = "verbatim" if qwords == rwords else "minor"
        if not (_starts_sentence(text, start) and _ends_sentence(text, end)):
            status = "partial"
    elif score >= ALTERED_AT and shared >= MIN_COVER * len(qwords):
        status = "altered"
    else:
        return QuoteMatch("not found", score=score)
    return QuoteMatch(
        status=status, score=score, source=doc.key, label=doc.label, start=start, end=end,
        line=text.count("\n", 0, start) + 1, matched=text[start:end],
        diff=word_ops(qwords, rwords, shown or qwords, [text[a:b] for a, b in index.spans[w0:w1]])
        if status == "altered" else [],
        before=_before(text, start), after=_after(text, end), speaker=doc.speaker_at(start),
    )


def word_ops(qwords: list[str], rwords: list[str], qshown: list[str], rshown: list[str]) -> list[dict[str, Any]]:
    """What the quote changed against the source: replace / delete (source words the
    quote dropped) / insert (words the quote added), words as each side wrote them."""
    out = []
    for op in Indel.opcodes(rwords, qwords):
        if op.tag == "equal":
            continue
        out.append({"op": op.tag, "source": " ".join(rshown[op.src_start:op.src_end]),
                    "quote": " ".join(qshown[op.dest_start:op.dest_end])})
    # Indel has no substitution: a delete next to an insert is a replaced word
    merged: list[dict[str, Any]] = []
    for d in out:
        if merged and {merged[-1]["op"], d["op"]} == {"delete", "insert"}:
            prev = merged.pop()
            merged.append({"op": "replace", "source": prev["source"] or d["source"],
                           "quote": prev["quote"] or d["quote"]})
        else:
            merged.append(d)
    return merged


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] in "\n:":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _ends_sentence(text: str, end: int) -> bool:
    i = end
    while i < len(text) and (text[i] in _CLOSERS or text[i] in " \t"):
        i += 1
    return i >= len(text) or text[i] in _SENTENCE_END or text[i] in "\n\r" or (
        text[i] == "," and _closes_quote(text, end))


def _closes_quote(text: str, end: int) -> bool:
    # "…we will win," he said: a comma the quote closes on ends the statement too
    window = text[end:end + 3]
    return any(c in window for c in "\"”’'")


def _before(text: str, start: int) -> str:
    a = max(0, start - CONTEXT)
    cut = max(text.rfind("\n", a, start), max(text.rfind(p, a, start) for p in ".?!"))
    return text[(cut + 1 if cut >= 0 else a):start].lstrip()


def _after(text: str, end: int) -> str:
    b = min(len(text), end + CONTEXT)
    stops = [i for i in (text.find(p, end, b) for p in ".?!\n") if i >= 0]
    return text[end:(min(stops) + 1 if stops else b)].rstrip()
