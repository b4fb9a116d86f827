"""Checked before? Matching claims against a library of published fact-checks (issue 15).

See library.py for the API (matches_for, checked_before, adopt, match_claims), readers.py for the
file forms read, matcher.py for how matches are found and scored.
"""

from verifier.factchecks.library import adopt, adopted, checked_before, match_claims, matches_for
from verifier.factchecks.matcher import CHECKED_BEFORE
from verifier.factchecks.models import FactCheck, Match

__all__ = ["adopt", "adopted", "checked_before", "match_claims", "matches_for", "CHECKED_BEFORE",
           "FactCheck", "Match"]
