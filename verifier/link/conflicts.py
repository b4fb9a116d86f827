"""Where linked claims disagree: a changed figure, a reworded quote, another speaker, a negation.

Character scorers cannot see these ("was killed" / "was not killed" score
alike), so each is checked explicitly on the linked pair.
"""

from __future__ import annotations

from typing import Any

from verifier.link.diff import changed, word_diff
from verifier.link.tokens import negations, normalise
from verifier.models import Claim


def figures(a: Claim, b: Claim) -> list[dict[str, Any]]:
    """Figures of the same unit whose values differ on the two sides."""
    out = []
    for na in a.numbers:
        same_unit = [nb for nb in b.numbers if nb.get("unit") == na.get("unit")
                     and nb.get("kind") == na.get("kind")]
        if not same_unit or na.get("unit") is None:
            continue
        if any(abs(nb["value"] - na["value"]) < 1e-9 for nb in same_unit):
            continue
        if any(abs(x["value"] - na["value"]) < 1e-9 for x in a.numbers if x is not na and x.get("unit") == na.get("unit")):
            continue
        nb = same_unit[0]
        if any(abs(x["value"] - nb["value"]) < 1e-9 for x in a.numbers if x.get("unit") == nb.get("unit")):
            continue  # b's figure is also in a: a holds an extra figure, not a changed one
        out.append({"type": "figure", "claims": [a.id, b.id], "unit": na.get("unit"),
                    "values": [na["value"], nb["value"]], "texts": [na["text"], nb["text"]]})
    return out


def shared_figures(a: Claim, b: Claim) -> list[str]:
    return [na["text"] for na in a.numbers
            if any(abs(nb["value"] - na["value"]) < 1e-9 and nb.get("unit") == na.get("unit") for nb in b.numbers)]


def between(a: Claim, b: Claim) -> list[dict[str, Any]]:
    out = figures(a, b)
    if a.quote and b.quote:
        qa, qb = normalise(a.quote), normalise(b.quote)
        if a.speaker and b.speaker and a.speaker != b.speaker:
            out.append({"type": "speaker", "claims": [a.id, b.id], "speakers": [a.speaker, b.speaker]})
        if qa != qb and not (qa in qb or qb in qa):
            out.append({"type": "quote", "claims": [a.id, b.id],
                        "diff": changed(word_diff(a.quote, b.quote))})
    na, nb = negations(normalise(a.text)), negations(normalise(b.text))
    if na != nb:
        out.append({"type": "negation", "claims": [a.id, b.id],
                    "words": sorted(na ^ nb)})
    return out
