"""What changed in an edited post, in a line an editor reads at a glance.

``describe_change("Three people were killed.", "Five people were killed.")``
gives ``"three → five people"``: each changed run of words with one word of
context after it, deletions as ``−words``, insertions as ``+words``.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

_WORD = re.compile(r"\w[\w'’.,%-]*\w|\w|[^\w\s]")
MAX_PARTS = 3
MAX_WORDS = 8


def _words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def _clip(words: list[str]) -> str:
    out = " ".join(words[:MAX_WORDS])
    return out + (" …" if len(words) > MAX_WORDS else "")


def describe_change(old: str, new: str) -> str:
    a, b = _words(old), _words(new)
    fold = SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in fold.get_opcodes():
        if op == "equal":
            continue
        after = b[j2:j2 + 1] if op != "delete" else a[i2:i2 + 1]
        if op == "replace":
            parts.append(f"{_clip(a[i1:i2])} → {_clip(b[j1:j2] + after)}")
        elif op == "delete":
            parts.append(f"−{_clip(a[i1:i2])}")
        else:
            parts.append(f"+{_clip(b[j1:j2])}")
    if not parts:
        return "reworded (spacing or case only)"
    more = len(parts) - MAX_PARTS
    return "; ".join(parts[:MAX_PARTS]) + (f"; and {more} more change{'s' * (more > 1)}" if more > 0 else "")


def edit_record(old_headline: str | None, old_body: str, new_headline: str | None, new_body: str,
                at: str) -> dict[str, Any]:
    """One earlier version of a post, with what changed in words."""
    bits = []
    if (old_headline or "") != (new_headline or ""):
        bits.append("headline: " + describe_change(old_headline or "", new_headline or ""))
    if old_body != new_body:
        bits.append(describe_change(old_body, new_body))
    return {"at": at, "summary": "; ".join(bits) or "unchanged text", "headline": old_headline, "body": old_body}


def edit_line(edit: dict[str, Any]) -> str:
    """'edited 10:42: three → five killed' (the time in the stamp's own zone)."""
    at = str(edit.get("at") or "")
    hhmm = at[11:16] if len(at) >= 16 else at
    return f"edited {hhmm}: {edit.get('summary', '')}".strip()
