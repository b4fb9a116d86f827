"""Word-level differences between two texts, for showing how a quote drifted."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from verifier.link.tokens import words


def word_diff(a: str, b: str) -> list[dict[str, str]]:
    """Operations turning a's words into b's: equal, delete, insert, replace."""
    wa, wb = words(a), words(b)
    out = []
    for op in Levenshtein.opcodes(wa, wb):
        tag = op.tag
        old = " ".join(wa[op.src_start:op.src_end])
        new = " ".join(wb[op.dest_start:op.dest_end])
        out.append({"op": tag, "old": old, "new": new})
    return out


def changed(diff: list[dict[str, str]]) -> list[dict[str, str]]:
    return [d for d in diff if d["op"] != "equal"]
