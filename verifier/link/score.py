"""How alike two claims are, and why.

Measured on the sample's restated claims against every other cross-post
pair: true restatements score token_set_ratio >= 90, unrelated claims at
most 77, but token_set_ratio alone returns 100 whenever one text's words
are a subset of the other's ("Russia said" against any longer sentence). So
token_set counts fully only when the shorter side has at least 8 content
tokens and half the words of the longer; token_sort (order-insensitive,
length-sensitive) is the floor. A second scorer compares the quoted words
themselves: the same quote in two places links even when the sentences
around it were rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

LINK_AT = 85.0  # an automatic link (Meedan Check uses 0.875 on its own scale)
SHORT_WORDS = 8  # under this, only a near-verbatim match links
MIN_QUOTE_WORDS = 4


@dataclass(slots=True)
class Features:
    norm: str
    quote: str  # normalised quoted words, "" when none
    n_words: int
    n_quote_words: int


def features(text: str, quote: str | None) -> Features:
    from verifier.link.tokens import normalise

    norm = normalise(text)
    q = normalise(quote) if quote else ""
    return Features(norm, q, len(norm.split()), len(q.split()))


def score(a: Features, b: Features) -> tuple[float, str]:
    """(0-100, which scorer decided)."""
    short, long = sorted((a.n_words, b.n_words))
    cover = short / long if long else 0.0
    sort = fuzz.token_sort_ratio(a.norm, b.norm)
    tset = fuzz.token_set_ratio(a.norm, b.norm)
    if short < SHORT_WORDS:
        text_score = sort if sort >= 95 else min(sort, tset) * 0.9
    elif cover >= 0.5:
        text_score = max(sort, tset)
    else:
        text_score = max(sort, tset * 0.8)
    best, how = text_score, f"text (token_set {tset:.0f}, token_sort {sort:.0f})"
    if a.quote and b.quote and min(a.n_quote_words, b.n_quote_words) >= MIN_QUOTE_WORDS:
        q = fuzz.ratio(a.quote, b.quote)
        if q < 95:
            q = max(q, fuzz.partial_ratio(a.quote, b.quote) if min(a.n_quote_words, b.n_quote_words) >= 6 else 0)
        if q > best:
            best, how = q, f"quote (ratio {q:.0f})"
    return best, how
