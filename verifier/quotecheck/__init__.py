"""Quote verification: align a quote against reference texts and other posts, then classify it."""

from verifier.quotecheck.align import QuoteMatch, align, classify, same_person
from verifier.quotecheck.index import TextIndex

__all__ = ["QuoteMatch", "TextIndex", "align", "classify", "same_person"]
