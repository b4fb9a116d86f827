"""Align one quote against an index and say how faithful it is.

Classes, from best to worst:
- verbatim: the same words (case, quote marks, whitespace, punctuation ignored),
  covering whole sentences of the source;
- minor: differs only where meaning does not: fillers (um, you know), stutters,
  contractions, number formats (five / 5, 2,500 / 2500, $2.5 million /
  2,500,000 dollars), words split or joined (e-mail / email);
- partial: verbatim or minor, but cut out of a longer sentence, or with marked
  cuts (``...``, ``…``, ``[...]``) whose omitted words are shown;
- altered: words changed, added or dropped (the diff says which, as the source
  has them and as the quote has them; a dropped clause is named as one);
- not found: nothing close enough in any source.

Both sides are normalised first (verifier.quotecheck.words); an exact match on
normalised words is tried first, at every place the words occur, and only then
an alignment, which places the quote where the fewest words differ.
An utterance ends at a sentence end, at an interruption (``-``, ``--``, ``…``)
and at a change of speaker.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from rapidfuzz.distance import Indel, Levenshtein

from verifier.quotecheck.classes import CLASSES, FAITHFUL  # noqa: F401 (CLASSES: read from here too)
from verifier.quotecheck.index import _LABEL, Doc, Spans, TextIndex
from verifier.quotecheck.words import Words, normalise, split_cuts, surface

ALTERED_AT = 70.0  # word-level similarity (0-100) below which a match is "not found"
MIN_COVER = 0.6  # share of the quote's words that must appear in the match
CUT_GAP = 80  # words a marked cut may leave out, within one speaker's turn
EXACT_TRIED = 40  # exact places weighed for a quote (a wire line repeated 300 times); the best 3 classified
CONTEXT = 160  # characters of context each side
UNPLACED = 8  # a quote word left unplaced weighs as much as this many source words the quote dropped
_CUE = re.compile(r"\[\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?\]")
_END = re.compile(r"[.?!;…]|--|-(?:\s|$)")
_START = re.compile(r"[.?!;:…]|--|-\s")
_BOUNDARY = re.compile(r"[.?!;…\n]|--")
_CLAUSE = re.compile(r"[,;:.?!…—–]|--|\s-\s")


class QuoteMatch:
    """Where a quote sits in a source and how faithful it is. (A plain class: creating a
    dataclass, and importing dataclasses, costs milliseconds on every `verify-quote`.)"""

    FIELDS = ("status", "score", "source", "label", "start", "end", "line", "matched", "diff", "before", "after",
              "speaker", "time")
    __slots__ = FIELDS + ("fit",)

    def __init__(self, status: str, score: float = 0.0, source: str | None = None, label: str | None = None,
                 start: int | None = None, end: int | None = None, line: int | None = None,
                 matched: str | None = None, diff: list[dict[str, Any]] | None = None, before: str = "",
                 after: str = "", speaker: str | None = None, time: str | None = None,
                 fit: tuple[float, float] | None = None) -> None:
        self.status = status
        self.score = score
        self.source = source  # "reference:<id>" or "post:<id>"
        self.label = label  # the source's title or the post's headline
        self.start = start  # [start, end) in the source's text
        self.end = end
        self.line = line
        self.matched = matched  # the source's words, as written there
        self.diff: list[dict[str, Any]] = diff if diff is not None else []  # source -> quote, word ops
        self.before = before
        self.after = after
        self.speaker = speaker  # the transcript's speaker at that point, if it marks turns
        self.time = time  # the caption's time code at that point (SRT / WebVTT)
        # how well the words fit, for choosing between places (set by alignment; never stored nor compared)
        self.fit = fit

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: as the dataclass was

    def __repr__(self) -> str:
        return f"QuoteMatch({', '.join(f'{k}={getattr(self, k)!r}' for k in self.FIELDS)})"

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.FIELDS}
        d["diff"] = [dict(x) for x in self.diff]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "QuoteMatch":
        return cls(**{k: v for k, v in d.items() if k in cls.FIELDS})

    @property
    def found(self) -> bool:
        return self.status != "not found"


class _Piece:
    __slots__ = ("text", "words", "code")

    def __init__(self, text: str, words: Words, code: str) -> None:
        self.text, self.words, self.code = text, words, code


def same_person(a: str | None, b: str | None) -> bool | None:
    """Whether two speaker names may be one person (surname match); None when unknown.
    Titles and asides are no part of the name: "SEN. BERNIE SANDERS (I), VERMONT" is Sanders."""
    if not a or not b:
        return None
    x, y = _name(a), _name(b)
    if not x or not y:
        return None
    return x[-1] == y[-1] or " ".join(x) in " ".join(y) or " ".join(y) in " ".join(x)


def _name(s: str) -> list[str]:
    s = re.sub(r"\([^)]*\)?", " ", s).split(",")[0]
    return re.findall(r"[^\W\d_][\w'’-]*", s.lower())


def _rank(m: QuoteMatch, speaker: str | None) -> tuple:
    agrees = same_person(speaker, m.speaker)
    return (m.found, m.status in FAITHFUL, agrees is not False, -CLASSES.index(m.status),
            m.fit if m.fit is not None else (m.score, 0), -((m.end or 0) - (m.start or 0)), -(m.start or 0))


def align(quote: str, index: TextIndex, exclude: frozenset[str] | set[str] = frozenset(),
          speaker: str | None = None) -> QuoteMatch:
    """The best place for ``quote`` in the index, classified. With ``speaker``, a place
    where that person says the words wins over one where someone else does."""
    best = QuoteMatch("not found")
    if not len(index) or not quote.strip():
        return best
    pieces: list[_Piece] | None = index.memo.get(("pieces", quote))  # type: ignore[assignment]
    if pieces is None:
        texts, _, _ = split_cuts(quote)
        pieces = [_Piece(t, w, index.encode(w.words)) for t in texts if (w := normalise(t)).words]
        index.remember(("pieces", quote), pieces)
    if not pieces:
        return best
    cands: list[QuoteMatch] = []
    if len(pieces) > 1:
        cands += _with_cuts(pieces, index, exclude)
    if len(pieces) == 1:
        cands += _single(pieces[0], index, exclude, speaker)
    elif not any(m.status in FAITHFUL for m in cands):
        whole = " ".join(p.text for p in pieces)
        w = normalise(whole)
        cands += _single(_Piece(whole, w, index.encode(w.words)), index, exclude, speaker)
    for m in cands:
        if _rank(m, speaker) > _rank(best, speaker):
            best = m
    return best


def _single(p: _Piece, index: TextIndex, exclude, speaker: str | None) -> list[QuoteMatch]:
    n = len(p.code)
    # every exact place is a candidate: the claimed speaker's first, then whole sentences (ordered
    # once per quote and speaker on this index; a stable order, so leaving out the excluded texts
    # after ordering keeps what ordering after leaving them out gives)
    key = ("ordered", p.code, speaker)
    ordered: list[tuple[int, str]] | None = index.memo.get(key)  # type: ignore[assignment]
    if ordered is None:
        def order(a: int) -> tuple[bool, bool]:
            doc = index.docs[index.doc_at(a)]
            agrees = same_person(speaker, doc.speaker_at(index.spans[a][0])) if speaker else None
            return agrees is False, not (_starts(index, doc, a) and _ends(index, doc, a + n))
        ordered = [(a, index.docs[index.doc_at(a)].key) for a in sorted(index.exact(p.code, limit=EXACT_TRIED), key=order)]
        index.remember(key, ordered)
    hits = [a for a, doc_key in ordered if doc_key not in exclude]
    if hits:
        out = []
        for a in hits[:3]:
            out.append(_build([p], [(a, a + n)], index))
            if out[-1].status == "verbatim":
                break
        return out
    # no exact match: the quote's words must mostly be in the index at all
    known = sum(1 for c in p.code if c in index.postings)
    if known < MIN_COVER * n:
        return [QuoteMatch("not found", score=round(100 * known / n, 1))]
    out = []
    for doc_no, at in index.seeds(p.code, exclude):
        doc = index.docs[doc_no]
        slack = max(10, n // 2 + 6)
        lo, hi = max(doc.start, at - slack), min(doc.end, at + n + slack)
        there = set(index.string[lo:hi])
        if sum(1 for c in p.code if c in there) < MIN_COVER * n:
            continue  # too few of the quote's words anywhere near
        span = _place(p.code, index, lo, hi)
        if span:
            out.append(_build([p], [span], index))
    return out or [QuoteMatch("not found")]


def _place(q: str, index: TextIndex, lo: int, hi: int) -> tuple[int, int] | None:
    """Where in ``s[lo:hi]`` the quote ``q`` lies: the span with the fewest words
    unplaced or left out (a semi-global alignment), so a phrase repeated just before
    never pulls the quote's first words away from the rest."""
    key = ("place", q, lo, hi)
    if key in index.memo:
        return index.memo[key]  # type: ignore[return-value]
    got = _placed(q, index, lo, hi)
    index.remember(key, got)
    return got


def _placed(q: str, index: TextIndex, lo: int, hi: int) -> tuple[int, int] | None:
    window = index.string[lo:hi]
    blocks = [op for op in Indel.opcodes(q, window) if op.tag == "equal"]
    if not blocks:
        return None
    qset = set(q)
    a, b = blocks[0].dest_start, blocks[-1].dest_end
    n = len(q)

    def cost(x: int, y: int) -> tuple[int, int]:
        # a quote word left unplaced costs twice a source word left out: the span
        # placing every quote word wins over a shorter one that looks as close
        matched = (n + y - x - Indel.distance(q, window[x:y])) // 2
        return UNPLACED * (n - matched) + (y - x - matched), abs(y - x - n)

    best = cost(a, b)
    for _ in range(2):
        moved = False
        for x in range(0, b):
            if window[x] in qset and x != a:
                c = cost(x, b)
                if c < best:
                    best, a, moved = c, x, True
        for y in range(a + 1, len(window) + 1):
            if window[y - 1] in qset and y != b:
                c = cost(a, y)
                if c < best:
                    best, b, moved = c, y, True
        if not moved:
            break
    # and every pair of places where the quote's first and last words could be
    heads, tails = set(q[:3]), set(q[-3:])
    starts = [x for x in range(len(window)) if window[x] in heads]
    ends = [y for y in range(1, len(window) + 1) if window[y - 1] in tails]
    for x in starts:
        for y in ends:
            if y > x and (x, y) != (a, b):
                c = cost(x, y)
                if c < best:
                    best, a, b = c, x, y
    a, b = _edges(q, window, a, b, index, lo)
    return lo + a, lo + b


def _edges(q: str, window: str, a: int, b: int, index: TextIndex, lo: int) -> tuple[int, int]:
    """Quote words left unmatched at either edge ("against us" quoted as "against
    Russia") still stand against the source's words there: take in up to as many
    source words as give the closest match, so the diff shows a replacement; never
    words of another sentence or speaker ("back here." is not "back. And")."""
    ops = [op for op in Indel.opcodes(q, window[a:b]) if op.tag == "equal"]
    if not ops:
        return a, b
    doc = index.docs[index.doc_at(lo + a)]
    lead = min(3, ops[0].src_start, a)
    trail = min(3, len(q) - ops[-1].src_end, len(window) - b)
    for x in range(1, lead + 1):  # word lo+a-x may join only if no sentence starts after it
        if _starts(index, doc, lo + a - x + 1):
            lead = x - 1
            break
    for y in range(trail):  # word lo+b+y may join only if no utterance ends before it
        if lo + b + y >= doc.end or _ends(index, doc, lo + b + y):
            trail = y
            break
    if not lead and not trail:
        return a, b
    n = len(q)
    best = (Levenshtein.normalized_similarity(q, window[a:b]), -abs(b - a - n), a, b)
    for x in range(lead + 1):
        for y in range(trail + 1):
            cand = (Levenshtein.normalized_similarity(q, window[a - x:b + y]), -abs(b + y - a + x - n), a - x, b + y)
            if cand[:2] > best[:2]:
                best = cand
    return best[2], best[3]


def _with_cuts(pieces: list[_Piece], index: TextIndex, exclude) -> list[QuoteMatch]:
    """A quote with marked cuts: each piece in order, in one turn, each within
    CUT_GAP words of its neighbour. The longest piece is found first (a short one,
    "I ...", occurs everywhere); the others are looked for on either side of it."""
    k = max(range(len(pieces)), key=lambda i: len(pieces[i].code))
    anchor = pieces[k]
    n = len(anchor.code)
    places = [(a, a + n) for a in index.exact(anchor.code, limit=EXACT_TRIED)
              if index.docs[index.doc_at(a)].key not in exclude]
    if not places:
        for doc_no, at in index.seeds(anchor.code, exclude):
            doc = index.docs[doc_no]
            slack = max(10, n // 2 + 6)
            span = _place(anchor.code, index, max(doc.start, at - slack), min(doc.end, at + n + slack))
            if span and _close(anchor.code, index.string[span[0]:span[1]]):
                places.append(span)
    out = []
    for span in places:
        doc = index.docs[index.doc_at(span[0])]
        turn = doc.turn_of(span[0])
        turn_start = doc.turn_words[turn] if turn >= 0 else doc.start
        turn_end = doc.turn_words[turn + 1] if turn + 1 < len(doc.turn_words) else doc.end
        spans: list[tuple[int, int]] = [span]
        placed = True
        for p in pieces[k + 1:]:  # after the anchor, nearest first
            lo = spans[-1][1]
            got = _piece_in(p, index, lo, min(turn_end, lo + CUT_GAP + len(p.code)), last=False)
            if got is None:
                placed = False
                break
            spans.append(got)
        for p in reversed(pieces[:k]) if placed else ():  # before it, nearest first
            hi = spans[0][0]
            got = _piece_in(p, index, max(turn_start, hi - CUT_GAP - len(p.code)), hi, last=True)
            if got is None:
                placed = False
                break
            spans.insert(0, got)
        if placed:
            out.append(_build(pieces, spans, index))
    return out


def _piece_in(p: _Piece, index: TextIndex, lo: int, hi: int, last: bool) -> tuple[int, int] | None:
    """Where piece ``p`` sits in words [lo, hi): exactly (the place nearest the anchor), or close."""
    if hi <= lo:
        return None
    hits = index.exact(p.code, lo, hi, limit=EXACT_TRIED)
    if hits:
        a = hits[-1] if last else hits[0]
        return a, a + len(p.code)
    got = _place(p.code, index, lo, hi)
    return got if got and _close(p.code, index.string[got[0]:got[1]]) else None


def _close(q: str, r: str) -> bool:
    return Indel.normalized_similarity(q, r) * 100 >= ALTERED_AT


def _build(pieces: list[_Piece], spans: list[tuple[int, int]], index: TextIndex) -> QuoteMatch:
    """Classify the quote's pieces placed at ``spans`` (word ranges). The same pieces at the same
    place are classified once per index (a wire quote found in the same post for each of its copies)."""
    key = ("build", tuple(p.text for p in pieces), tuple(spans))
    got = index.memo.get(key)
    if got is None:
        got = _classified(pieces, spans, index)
        index.remember(key, got)
    return got  # type: ignore[return-value]


def _classified(pieces: list[_Piece], spans: list[tuple[int, int]], index: TextIndex) -> QuoteMatch:
    s = index.string
    doc = index.docs[index.doc_at(spans[0][0])]
    text = doc.text
    diff: list[dict[str, Any]] = []
    qcode = "".join(p.code for p in pieces)
    rcode = "".join(s[a:b] for a, b in spans)
    changed = False
    cut = False
    shared = 0
    for k, (p, (w0, w1)) in enumerate(zip(pieces, spans)):
        if k:
            g0, g1 = spans[k - 1][1], w0
            if g1 > g0:
                cut = True
                diff.append({"op": "omit", "source": _slice(index, text, g0, g1), "quote": "…"})
        ops = _ops(p, index, w0, w1, text)
        shared += sum(op[2] - op[1] for op in ops if op[0] == "equal")
        for op in ops:
            if not _meaningless(op, p, index):
                changed = True
            diff.append(_shown(op, p, index, text))
    score = round(Indel.normalized_similarity(qcode, rcode) * 100, 1)
    start, end = index.spans[spans[0][0]][0], index.spans[spans[-1][1] - 1][1]
    if changed:
        if score < ALTERED_AT or shared < MIN_COVER * len(qcode):
            return QuoteMatch("not found", score=score)
        status = "altered"
        diff = [d for d in diff if d["op"] != "equal"]
    else:
        whole = _starts(index, doc, spans[0][0]) and _ends(index, doc, spans[-1][1])
        if cut or not whole:
            status = "partial"
        elif (pieces[0].words.raw if len(pieces) == 1 else surface(" ".join(p.text for p in pieces))) == _said(
                text, *_sentence_of(index, doc, spans[0][0], spans[-1][1])):
            status = "verbatim"
        else:
            status = "minor"
        diff = [d for d in diff if d["op"] == "omit"]
    m = QuoteMatch(
        status=status, score=score, source=doc.key, label=doc.label, start=start, end=end,
        line=text.count("\n", 0, start) + 1, matched=_shown_text(text, start, end), diff=diff,
        before=_before(text, start), after=_after(text, end), speaker=doc.speaker_at(start),
        time=doc.time_at(start),
    )
    # how well the words fit, for choosing between places: a quote word placed nowhere
    # weighs UNPLACED, a word replaced 2, a source word left out 1; then the span nearer
    # the quote's length wins
    m.fit = (-Levenshtein.distance(rcode, qcode, weights=(UNPLACED, 1, 2)), -abs(len(rcode) - len(qcode)))
    return m


def _ops(p: _Piece, index: TextIndex, w0: int, w1: int, text: str) -> list[list]:
    """[tag, q0, q1, r0, r1] with r in index words; a deletion next to an insertion is
    a replacement; a dropped or added run is moved to a clause boundary where the
    words allow."""
    r = index.string[w0:w1]
    # Indel's "insert" turns the quote into the source: words the quote dropped
    flip = {"insert": "delete", "delete": "insert"}
    ops = [[flip.get(o.tag, o.tag), o.src_start, o.src_end, w0 + o.dest_start, w0 + o.dest_end]
           for o in Indel.opcodes(p.code, r)]
    merged: list[list] = []
    for op in ops:
        if merged and {merged[-1][0], op[0]} == {"delete", "insert"}:
            prev = merged.pop()
            merged.append(["replace", min(prev[1], op[1]), max(prev[2], op[2]), min(prev[3], op[3]),
                           max(prev[4], op[4])])
        else:
            merged.append(op)
    for k in range(1, len(merged) - 1):
        if merged[k][0] in ("delete", "insert") and merged[k - 1][0] == merged[k + 1][0] == "equal":
            _shift(merged, k, p, index, text)
    return merged


def _shift(ops: list[list], k: int, p: _Piece, index: TextIndex, text: str) -> None:
    prev, op, nxt = ops[k - 1], ops[k], ops[k + 1]
    if op[0] == "delete":
        seq, a, b, lo, hi = index.string, op[3], op[4], prev[3], nxt[4]
        gap = lambda x: _gap(text, index.spans, x)  # noqa: E731
    else:
        seq, a, b, lo, hi = p.code, op[1], op[2], prev[1], nxt[2]
        gap = lambda x: _gap(p.text, p.words.spans, x)  # noqa: E731
    best_t, best_v = 0, -1
    t = 0  # how far left, then right, the run can slide over equal words
    while a - t - 1 >= lo and seq[a - t - 1] == seq[b - t - 1]:
        t += 1
    cands = list(range(-t, 1))
    t = 0
    while b + t < hi and seq[a + t] == seq[b + t]:
        t += 1
    cands += list(range(1, t + 1))
    for sh in cands:
        x, y = a + sh, b + sh
        v = 2 * bool(_CLAUSE.search(gap(x))) + bool(_CLAUSE.search(gap(y)))
        if v > best_v:
            best_t, best_v = sh, v
    if best_t:
        i = 3 if op[0] == "delete" else 1
        op[i] += best_t
        op[i + 1] += best_t
        prev[i + 1] += best_t
        nxt[i] += best_t


def _gap(text: str, spans: Spans | list[tuple[int, int]], x: int) -> str:
    """The characters between word x-1 and word x."""
    if x <= 0 or x >= len(spans):
        return "\n"
    return text[spans[x - 1][1]:spans[x][0]]


def _meaningless(op: list, p: _Piece, index: TextIndex) -> bool:
    tag, q0, q1, r0, r1 = op
    if tag == "equal":
        return True
    qw, rw = p.words.words[q0:q1], index.words[r0:r1]
    if tag == "replace":
        if "".join(qw) == "".join(rw):  # e-mail / email
            return True
        if len(qw) == len(rw) and all(a == b or p.words.alts.get(q0 + i) == b or index.alts.get(r0 + i) == a
                                      for i, (a, b) in enumerate(zip(qw, rw))):
            return True  # he's = he has
    return False


def _shown(op: list, p: _Piece, index: TextIndex, text: str) -> dict[str, Any]:
    tag, q0, q1, r0, r1 = op
    src = _slice(index, text, r0, r1) if r1 > r0 else ""
    quo = p.text[p.words.spans[q0][0]:p.words.spans[q1 - 1][1]] if q1 > q0 else ""
    d: dict[str, Any] = {"op": tag, "source": src, "quote": quo}
    if tag == "delete" and r1 - r0 >= 2 and (_CLAUSE.search(_gap(text, index.spans, r0))
                                            or _CLAUSE.search(_gap(text, index.spans, r1))):
        d["clause"] = True
    return d


def _slice(index: TextIndex, text: str, w0: int, w1: int) -> str:
    return _CUE.sub("", text[index.spans[w0][0]:index.spans[w1 - 1][1]]).replace("\n", " ")


def _starts(index: TextIndex, doc: Doc, w: int) -> bool:
    if w <= doc.start or _turn_starts(doc, w):
        return True
    g = _CUE.sub("", doc.text[index.spans[w - 1][1]:index.spans[w][0]])
    return bool(_START.search(g)) or ("\n" in g and not doc.captions)


def _ends(index: TextIndex, doc: Doc, w: int) -> bool:
    if w >= doc.end or _turn_starts(doc, w):
        return True
    g = _CUE.sub("", doc.text[index.spans[w - 1][1]:index.spans[w][0]])
    if _END.search(g) or ("\n" in g and not doc.captions):
        return True
    # "…we will win," he said: a comma the quote closes on ends the statement too
    return "," in g and any(c in g for c in "\"”’'")


def _shown_text(text: str, start: int, end: int) -> str:
    """The source's words as written, without the speaker labels and time codes inside the span."""
    got = text[start:end]
    return _unlabel(got, " ").replace("\n ", " ").replace("  ", " ") if "\n" in got else got


def _unlabel(s: str, by: str) -> str:
    """``s`` with its speaker labels and time codes replaced by ``by``."""
    return _LABEL.sub(lambda m: by if m.group(0) else "", s)


def _said(text: str, start: int, end: int) -> list[str]:
    """The source's words as written from ``start`` to ``end``, speaker labels and time codes left out."""
    return surface(_unlabel(text[start:end], ""))


def _sentence_of(index: TextIndex, doc: Doc, w0: int, w1: int) -> tuple[int, int]:
    """The match widened over words normalising left out at its edges, within its
    sentence (a filler or stutter just before or after it: "You know, the Chinese…")."""
    text = doc.text
    start, end = index.spans[w0][0], index.spans[w1 - 1][1]
    a = index.spans[w0 - 1][1] if w0 > doc.start else 0
    lead = _BOUNDARY.split(_unlabel(text[a:start], "\n"))[-1]
    b = index.spans[w1][0] if w1 < doc.end else len(text)
    trail = _BOUNDARY.split(_unlabel(text[end:b], "\n"))[0]
    m = re.search(r"\w", lead)
    if m:
        start -= len(lead) - m.start()
    m = re.search(r"\w[^\w]*$", trail)
    if m:
        end += m.start() + 1
    return start, end


def _turn_starts(doc: Doc, w: int) -> bool:
    i = bisect.bisect_left(doc.turn_words, w)
    return i < len(doc.turn_words) and doc.turn_words[i] == w


def _before(text: str, start: int) -> str:
    """The sentence's words before the match, on its line, after any speaker label."""
    line = text.rfind("\n", 0, start) + 1
    label = _LABEL.match(text, line)
    if label and line < label.end() <= start:
        line = label.end()
    a = max(line, start - CONTEXT)
    cut = max(text.rfind(p, a, start) for p in ".?!")
    return _CUE.sub("", text[(cut + 1 if cut >= 0 else a):start]).lstrip()


def _after(text: str, end: int) -> str:
    b = min(len(text), end + CONTEXT)
    stops = [i for i in (text.find(p, end, b) for p in ".?!\n") if i >= 0]
    return _CUE.sub("", text[end:(min(stops) + 1 if stops else b)]).rstrip()


def classify(quote: str, index: TextIndex, doc_no: int, w0: int, w1: int) -> QuoteMatch:
    """The quote classified at one given place (words [w0, w1) of the index)."""
    w = normalise(quote)
    return _build([_Piece(quote, w, index.encode(w.words))], [(w0, w1)], index)
