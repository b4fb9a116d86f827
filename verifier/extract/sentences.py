"""Sentence boundaries for news prose.

A regex candidate (., ! or ? with any closing quotes, then space and a capital,
digit or opening quote) is rejected after titles (Gen., Mr.), initials (John
F. Kennedy), "No. 2" and month abbreviations; after acronyms that can also end
a sentence (U.S., a.m.) it is kept only when the next word is a common
sentence opener. pysbd handles more languages but runs at a few hundred KB/s,
short of the 1 MB/s target, and is no better on these forms.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?…]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ITEM = re.compile(r"\n[ \t]*[\u2022\u25cf\u25aa*\u2013-][ \t]")
_BOUNDARY_OR_ITEM = re.compile(_BOUNDARY.pattern + r"|\n(?=[ \t]*[\u2022\u25cf\u25aa*\u2013-][ \t])")
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl",
    "adm", "cmdr", "sen", "rep", "gov", "lt. gov", "pres", "rev", "fr", "st", "sr", "jr",
    "no", "nos", "vol", "art", "fig", "ft", "mt", "gens", "reps", "sens", "supt", "insp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "corp", "co", "ltd", "bros", "vs", "v", "approx", "est", "dept", "univ", "ave",
}
# Can end a sentence, so split only before a typical opener.
_ACRONYM = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\betc\.|\bp\.m\.|\ba\.m\.)$")
_OPENERS = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "This", "That", "These", "Those",
    "But", "And", "In", "On", "At", "However", "Meanwhile", "There", "His", "Her", "Their",
    "Its", "Our", "After", "Before", "Since", "As", "When", "While", "Earlier", "Later",
}


_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")
_NEXT_WORD = re.compile(r"\s+[\"'\u201c\u2018]?(\w+)")


def split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text[start:end], stripped of spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    pattern = _BOUNDARY_OR_ITEM if _ITEM.search(text, start, end) else _BOUNDARY  # list items on their own lines
    for m in pattern.finditer(text, start, end):
        cut = m.end()
        if text[m.start()] == "\n":  # a list item on its own line starts a sentence
            spans.append((pos, m.start()))
            pos = m.end()
            continue
        before = text[max(start, m.start() - 12): m.start() + 1]
        word = _LAST_WORD.search(before)
        if text[m.start()] == ".":
            token = word.group(1).lower() if word else ""
            if token in _TITLES:
                continue
            if _INITIAL.search(before):  # an initial
                continue
            if _ACRONYM.search(before):
                nxt = _NEXT_WORD.match(text, cut, end)
                if not nxt or nxt.group(1) not in _OPENERS:
                    continue
        spans.append((pos, cut))
        pos = cut
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
