"""Normalised text and tokens for comparing claims.

Quotebank's rule: two quotes are the same when they match after lowercasing
and removing punctuation. Figures are kept as tokens so "15,000" and
"15000" agree.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as into about over after before
is are was were be been being has have had do does did will would can could should may
might must shall this that these those it its he she they them his her their we our you
i me my not no than then there here which who whom whose what when where why how all any
both each few more most other some such only own same so too very just also said says
says told according added while during since until up down out off again further once
""".split())
NEGATIONS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor",
                       "without", "denied", "denies", "deny", "false"})

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower case, straight quotes, no punctuation, numbers without separators."""
    text = text.translate(_QUOTES).lower()
    text = _NUMBER.sub(lambda m: m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""), text)
    text = text.replace("n't", " not")
    return " ".join(_WORD.findall(text))


def words(text: str) -> list[str]:
    return normalise(text).split()


def content_tokens(norm: str) -> set[str]:
    return {w for w in norm.split() if w not in STOPWORDS and (len(w) > 2 or w.isdigit())}


def negations(norm: str) -> set[str]:
    return {w for w in norm.split() if w in NEGATIONS}
