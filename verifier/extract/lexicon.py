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


_STEMS: set[str] = set()
_STEM_RE: list[re.Pattern[str]] = []  # built once, after every lexicon has registered its stems


@lru_cache(maxsize=256)
def _features(text: str) -> tuple[frozenset[str], frozenset[str], str]:
    ws = words(text)
    joined = " ".join(ws)
    if not _STEM_RE:
        _STEM_RE.append(re.compile(r"\b" + trie(sorted(_STEMS))))
    found: set[str] = set()
    for m in _STEM_RE[0].finditer(joined):
        hit = m.group(0)
        found.update(hit[:k] for k in range(3, len(hit) + 1) if hit[:k] in _STEMS)
    return frozenset(ws), frozenset(found), joined


_ALL: list[Lexicon] = []


@lru_cache(maxsize=256)
def _hits(text: str) -> frozenset[Lexicon]:
    """Every lexicon a text hits, computed once per text."""
    wordset, prefixes, joined = _features(text)
    return frozenset(lex for lex in _ALL if lex._test(wordset, prefixes, joined))


class Lexicon:
    def __init__(self, exact: str = "", stems: str = "", phrases: tuple[str, ...] = ()):
        self.exact = frozenset(exact.split())
        self.stems = frozenset(stems.split())
        self.phrases = phrases
        _STEMS.update(self.stems)
        _STEM_RE.clear()
        _features.cache_clear()
        _ALL.append(self)
        _hits.cache_clear()

    def hit(self, text: str) -> bool:
        return self in _hits(text)

    def _test(self, wordset: frozenset[str], prefixes: frozenset[str], joined: str) -> bool:
        if not self.exact.isdisjoint(wordset) or not self.stems.isdisjoint(prefixes):
            return True
        return any(p in joined for p in self.phrases)

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
