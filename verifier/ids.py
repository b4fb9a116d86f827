"""Content-derived ids: the same content always gets the same id."""

import hashlib
import re

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Fold case, quote marks and whitespace so trivial re-captures hash alike."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().lower()


def content_id(*parts: str, length: int = 12) -> str:
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:length]
