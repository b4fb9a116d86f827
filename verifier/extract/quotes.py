"""Quoted passages in a paragraph, with straight, curly or mixed double quotes.

Copy often mixes marks ("…” or “…"), so a straight mark is an opener or a
closer by what stands around it, not by alternation alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = "\u201c\u201e\u00ab"
CLOSE = "\u201d\u00bb"
STRAIGHT = '"'
_NONSPACE = re.compile(r"\S")
# Every character of the Basic Multilingual Plane to "_" but spaces (str.isspace is regex \s): masking by
# str.translate costs a fraction of a regex substitution per character.
_BLANK = "".join(chr(i) if chr(i).isspace() else "_" for i in range(0x10000))


def _blanked(s: str) -> str:
    if not s.isascii() and max(s) > "\uffff":
        return _NONSPACE.sub("_", s)  # beyond the table
    return s.translate(_BLANK)
_MARK = re.compile('[\u201c\u201e\u00ab\u201d\u00bb"]')


@dataclass(slots=True)
class QuoteSpan:
    start: int  # the opening mark
    end: int  # just past the closing mark (or the paragraph end when unclosed)
    closed: bool

    def inner(self, text: str) -> str:
        a = self.start + 1
        b = self.end - 1 if self.closed else self.end
        return text[a:b].strip()


def _is_opener(text: str, i: int) -> bool:
    ch = text[i]
    if ch in OPEN:
        return True
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in CLOSE:
        # a closing mark typed where an opener belongs: 'warned to ”take cover now'
        return (prev.isspace() or i == 0) and nxt.isalnum()
    if prev.isspace() or prev in "([{\u2014\u2013-:/" or i == 0:
        return not nxt.isspace()
    return False


def find(text: str, start: int = 0, end: int | None = None) -> list[QuoteSpan]:
    end = len(text) if end is None else end
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for mark in _MARK.finditer(text, start, end):
        i = mark.start()
        ch = text[i]
        if open_at is None:
            if _is_opener(text, i):
                open_at = i
            elif not spans and i > start and text[i - 1] in ",.!?\u2026" and (i + 1 >= end or text[i + 1].isspace()):
                # '…,” Podolyak said.' with no opener: the quote runs from the paragraph's start
                spans.append(QuoteSpan(start - 1, i + 1, True))
        elif not _is_opener(text, i) or ch in CLOSE or ch == STRAIGHT:
            spans.append(QuoteSpan(open_at, i + 1, True))
            open_at = None
    if open_at is not None:
        spans.append(QuoteSpan(open_at, end, False))
    return spans


def mask(text: str, spans: list[QuoteSpan]) -> str:
    """The text with quoted words blanked, so a 'said' inside a quote is not an attribution."""
    if not spans:
        return text
    out, pos = [], 0
    for q in spans:
        a, b = max(q.start + 1, pos), q.end - (1 if q.closed else 0)
        if b <= a:
            continue
        out.append(text[pos:a])
        out.append(_blanked(text[a:b]))
        pos = b
    out.append(text[pos:])
    return "".join(out)
