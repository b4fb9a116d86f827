"""Words for matching: cleaning pasted posts, BM25 tokens (stemmed, no stopwords), names and dates."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import Stemmer

# Lucene's (and Elasticsearch's, and bm25s's) English stopwords, kept here so that matching does not
# import bm25s (and scipy with it): only building an index does.
STOPWORDS_EN = ("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
                "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
                "this", "to", "was", "will", "with")
_STOP = frozenset(STOPWORDS_EN) | {"s", "t", "us", "said", "says", "say"}
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[^\W\d_]+(?:'[^\W\d_]+)?")
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.I)
# An embedded tweet's signature: "— Name (@handle) January 14, 2020" at the end.
_TWEET_SIG = re.compile(r"\s[—–-]{1,2}\s[^—–\n]{0,80}\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}\s*$")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})

_stemmer = Stemmer.Stemmer("english")


def clean(text: str) -> str:
    """The words of a post as a reader sees them: no links, no tweet signature, hashtags split into words."""
    text = (text or "").translate(_QUOTES)
    text = _TWEET_SIG.sub("", text)
    text = _URL.sub(" ", text)
    text = _HASHTAG.sub(lambda m: _CAMEL.sub(" ", m.group(1)), text)
    return " ".join(text.split())


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased words and numbers (thousands separators dropped)."""
    out = []
    for w in _WORD.findall(text.translate(_QUOTES).lower()):
        if w[0].isdigit():
            w = w.replace(",", "")
        elif "'" in w:
            w = w.split("'")[0] if w.endswith(("'s", "'t", "'ll", "'re", "'ve", "'d", "'m")) else w.replace("'", "")
        out.append(w)
    return out


def tokens(text: str) -> list[str]:
    """BM25 terms: words without stopwords, Snowball-stemmed."""
    return [_stem(w) for w in words(text) if w not in _STOP and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=50_000)
def surname(name: str | None) -> str | None:
    parts = words(name or "")
    parts = [p for p in parts if p not in ("jr", "sr", "ii", "iii", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president")]
    return parts[-1] if parts else None


def same_claimant(speaker: str | None, claimant: str | None) -> bool:
    """Whether a claim's speaker may be the fact-check's claimant: the surnames agree."""
    a, b = surname(speaker), surname(claimant)
    return bool(a and b and a == b and len(a) > 1)


_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_US = re.compile(r"\b([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})")
_DMY = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2})[a-z]*\.?,?\s+(\d{4})")
_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_YMONTHD = re.compile(r"^((?:19|20)\d{2})_([a-z]{3})_(\d{1,2})(?!\d)", re.I)


def parse_date(text: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from ISO, "October 22, 2019", "22 Oct 2019" or "20191022"; None if none."""
    if not text:
        return None
    text = str(text)
    for rx, order in ((_ISO, "ymd"), (_US, "mdy"), (_DMY, "dmy"), (_COMPACT, "ymd"), (_YMONTHD, "ymd")):
        m = rx.search(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        month = parts["m"]
        month_no = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
        try:
            return date(int(parts["y"]), month_no or 0, int(parts["d"])).isoformat()
        except (TypeError, ValueError):
            continue
    return None


def days_apart(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None
