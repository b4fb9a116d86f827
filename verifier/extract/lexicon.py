"""Fast word lists: exact words, stems and phrases looked up over a sentence's words.

A regex alternation of a hundred `kill\\w*|wound\\w*|…` is tried at every
character; a set lookup per word and one `startswith(tuple)` is many times
faster, which keeps extraction above 1 MB/s. `trie` builds a regex alternation
factored by shared prefixes for lists that must stay regexes.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")


@lru_cache(maxsize=512)
def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


@lru_cache(maxsize=64)
def runs(text: str) -> frozenset[str]:
    """The lowercase letter runs of text (and its hyphenated or apostrophe words whole): a cheap first
    test before a case-insensitive word pattern, whose whole word \\bX\\b made of letters is always one
    of these runs. Read off the text's words, so the text is tokenised once."""
    ws = words(text)
    joined = " ".join(ws)
    if "-" in joined or "'" in joined or "’" in joined:
        # the words hold only letters and these marks: the runs are what lies between marks and spaces
        return frozenset(joined.replace("-", " ").replace("'", " ").replace("’", " ").split())
    return frozenset(ws)


_STEMS: set[str] = set()
_BUILT: list[bool] = []  # the tables below are built once, after every lexicon has registered its stems
_ALL: list[Lexicon] = []
# word → the lexicons listing it, stem → the lexicons listing it, (phrase, lexicon): built once, so a
# text's hits are a dict lookup per word instead of a set test per lexicon
_BY_WORD: dict[str, frozenset[Lexicon]] = {}
_BY_STEM: dict[str, frozenset[Lexicon]] = {}
_PHRASES: list[tuple[str, Lexicon]] = []
_STEM_LENGTHS: list[int] = []
# word → the lexicons it hits by itself (listed exactly, or a letter run of it starting with a stem). A
# vocabulary memo, not a per-text cache: news words repeat across posts, so a text's stems are a dict
# lookup per word. Bounded: emptied when it grows past _WORD_MEMO_MAX words (untrusted text).
_WORD_HITS: dict[str, frozenset[Lexicon]] = {}  # the words that hit some lexicon
_HITTING: set[str] = set()  # _WORD_HITS's keys, as a set to intersect a text's words with
_KNOWN: set[str] = set()  # every word looked up, hitting or not
_WORD_MEMO_MAX = 200_000


def _build() -> None:
    by_word: dict[str, set[Lexicon]] = {}
    by_stem: dict[str, set[Lexicon]] = {}
    for lex in _ALL:
        for w in lex.exact:
            by_word.setdefault(w, set()).add(lex)
        for st in lex.stems:
            by_stem.setdefault(st, set()).add(lex)
    _BY_WORD.clear()
    _BY_WORD.update((w, frozenset(v)) for w, v in by_word.items())
    _BY_STEM.clear()
    _BY_STEM.update((w, frozenset(v)) for w, v in by_stem.items())
    _PHRASES[:] = [(ph, lex) for lex in _ALL for ph in lex.phrases]
    _STEM_LENGTHS[:] = sorted({len(st) for st in _STEMS if len(st) >= 3})
    _BUILT[:] = [True]
    _WORD_HITS.clear()
    _HITTING.clear()
    _KNOWN.clear()


def _word_hits(w: str) -> frozenset[Lexicon]:
    """The lexicons one word hits: listed exactly, or a stem opening one of its letter runs (the word
    itself, or a part after an apostrophe or hyphen: the places a word boundary precedes a letter)."""
    found: set[Lexicon] = set(_BY_WORD.get(w, ()))
    parts = w.replace("-", " ").replace("'", " ").replace("’", " ").split() if not w.isalpha() else (w,)
    for run in parts:
        for k in _STEM_LENGTHS:
            if k > len(run):
                break
            lexes = _BY_STEM.get(run[:k])
            if lexes:
                found.update(lexes)
    if len(_KNOWN) >= _WORD_MEMO_MAX:
        _WORD_HITS.clear()
        _HITTING.clear()
        _KNOWN.clear()
    _KNOWN.add(w)
    out = frozenset(found)
    if out:
        _WORD_HITS[w] = out
        _HITTING.add(w)
    return out


@lru_cache(maxsize=256)
def _hits(text: str) -> frozenset[Lexicon]:
    """Every lexicon a text hits, computed once per text: an exact word, a word starting with a stem
    (at a word start or after an apostrophe or hyphen), or a phrase anywhere in the joined words."""
    if not _BUILT:
        _build()
    ws = words(text)
    found: set[Lexicon] = set()
    wset = set(ws)
    for w in wset - _KNOWN:  # words not seen before (set operations: no loop over the known ones)
        _word_hits(w)
    for w in wset & _HITTING:
        found.update(_WORD_HITS[w])
    joined = " ".join(ws)
    for ph, lex in _PHRASES:
        if lex not in found and ph in joined:
            found.add(lex)
    return frozenset(found)


def hits(text: str) -> frozenset[Lexicon]:
    """Every lexicon text hits (test several with `in` after one lookup)."""
    return _hits(text)


class Lexicon:
    def __init__(self, exact: str = "", stems: str = "", phrases: tuple[str, ...] = ()):
        self.exact = frozenset(exact.split())
        self.stems = frozenset(stems.split())
        self.phrases = phrases
        _STEMS.update(self.stems)
        _ALL.append(self)
        _BUILT.clear()  # rebuilt with this lexicon on the next lookup
        _hits.cache_clear()

    def hit(self, text: str) -> bool:
        return self in _hits(text)

    def search(self, text: str) -> bool:  # the regex-like name used by callers
        return self.hit(text)


def trie(alternatives: list[str]) -> str:
    """'said|says|saying' → 'sa(?:id|ys|ying)': one branch per first letter, so a position is tried once."""
    tree: dict = {}
    for w in alternatives:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        parts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(tree) + ")"
