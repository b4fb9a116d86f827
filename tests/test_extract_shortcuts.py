"""The speed shortcuts in extraction give the answers of the patterns they stand in for.

Each shortcut (a verb list read once, gates read off it, clause breaks scanned once, a
word memo for the lexicons, masking by str.translate) replaced a regex pass; these
tests run the old reading and the new one over every sentence of the sample and the
dev-corpus live blogs, plus a few awkward strings, and require the same result.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verifier.extract import attribution as A
from verifier.extract import lexicon as L
from verifier.extract import quotes as Q
from verifier.extract import sentences

ROOT = Path(__file__).resolve().parent.parent
AWKWARD = [
    "pro-killing x-ray o'shelling bomb-proof re-attack, well-funded anti-sanctions d’explosion.",
    "“We will not leave,”said the mayor, “never.”",
    "“It is over”_said Borrell, the EU’s top diplomat.",
    "After Biden spoke, the ministry warned that the talks, which began Monday, had stalled; officials said.",
    "Police said, and the ministry confirmed, that a doctor who recovered from Ebola said it was safe.",
    "a\u00a0b\u2028c\u3000d “quoted” — 😀 z, said the agency",
]


def _texts() -> list[str]:
    files = [ROOT / "tests" / "data" / "cnn-ukraine-2023-02-02.txt"]
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared")):
        if (base / "dev-corpus" / "liveblogs").is_dir():
            files += sorted((base / "dev-corpus" / "liveblogs").glob("*.txt"))
            break
    out = list(AWKWARD)
    for f in files:
        text = f.read_text(encoding="utf-8")
        for para in text.split("\n"):
            masked = Q.mask(para, Q.find(para))
            out += [masked[a:b] for a, b in sentences.split(masked)]
            out += [para[a:b] for a, b in sentences.split(para)]
    return out


TEXTS = _texts()
_AFTER_VERB_GATE = re.compile(rf"[,\u201d\"_'\u2019]\s*(?:{A.VERBS})\s")
_AFTER_VERB_START = re.compile(rf"(?:{A.VERBS})\s")
_LOWER_HEAD = re.compile(rf"[,\u201d\"_]\s*(?:{A.VERBS})\s+(?:the |local |state )*[a-z]")
_LOWER_HEAD_START = re.compile(rf"(?:{A.VERBS})\s+[a-z]")


def test_texts_are_many():
    assert len(TEXTS) > 500


def test_gates_let_through_every_inverted_clause():
    for t in TEXTS:
        verbs = list(A._BEFORE_VERB.finditer(t))
        after, lower = A._gates(t, verbs)
        if _AFTER_VERB_GATE.search(t) or _AFTER_VERB_START.match(t):
            assert after, t
        if _LOWER_HEAD.search(t) or _LOWER_HEAD_START.match(t):
            assert lower, t
        if not verbs and "_" not in t:
            assert not A._AFTER_VERB.search(t) and not A._AFTER_LOWER.search(t), t


def test_verb_prefilter_never_hides_a_verb():
    for t in TEXTS:
        if "_" not in t and A._VERB_WORDS.isdisjoint(L.runs(t)):
            assert not A._BEFORE_VERB.search(t), t


def test_clause_breaks_scanned_once_equal_the_head_scans():
    for t in TEXTS:
        skip = A._SUBORDINATE_OPEN.match(t)
        lo = skip.end() if skip else 0
        breaks = A._Breaks(t)
        for m in A._BEFORE_VERB.finditer(t, lo):
            want = [(b.start() + lo, b.end() + lo, b.group()) for b in A._CLAUSE_BREAK.finditer(t[lo:m.start()])]
            got = [(b.start(), b.end(), b.group()) for b in breaks.upto(m.start()) if b.start() >= lo and b.end() <= m.start()]
            assert got == want, (t, m.group())


def _hits_by_regex(text: str) -> frozenset:
    stems = re.compile(r"\b" + L.trie(sorted(L._STEMS)))
    ws = L.words(text)
    found = set()
    for w in set(ws):
        found.update(L._BY_WORD.get(w, ()))
    joined = " ".join(ws)
    for m in stems.finditer(joined):
        for k in L._STEM_LENGTHS:
            if k > len(m.group()):
                break
            found.update(L._BY_STEM.get(m.group()[:k], ()))
    for ph, lex in L._PHRASES:
        if ph in joined:
            found.add(lex)
    return frozenset(found)


def test_lexicon_word_memo_reads_as_the_stem_pattern():
    L.hits("warm up")
    for t in TEXTS:
        assert L._hits.__wrapped__(t) == _hits_by_regex(t), t
        joined = " ".join(L.words(t))
        assert L.runs.__wrapped__(t) == frozenset(re.findall(r"[a-z]+", joined)), t


@pytest.mark.parametrize("s", ["plain words", "a\u00a0b\u2028c\u3000d\te\nf", "“x” — ’y’ 😀 z\U0001F600", "é ü\tq"])
def test_mask_blanks_what_the_pattern_blanks(s):
    assert Q._blanked(s) == re.sub(r"\S", "_", s)
    for t in TEXTS[:400]:
        assert Q._blanked(t) == re.sub(r"\S", "_", t)
