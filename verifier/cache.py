"""This machine's cache folder: word indexes of transcripts, a desk database's link index.
Only what can be rebuilt goes there."""

from __future__ import annotations

import os


def cache_dir() -> str | None:
    """$VERIFIER_CACHE, else $XDG_CACHE_HOME/verifier, else ~/.cache/verifier; None to not cache."""
    d = os.environ.get("VERIFIER_CACHE")
    if d is not None:
        return d or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "verifier")
