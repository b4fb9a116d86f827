"""Where claims of one cluster disagree: a changed figure, a reworded quote, another speaker, a negation.

Character scorers cannot see these ("was killed" / "was not killed" score
alike, figures are masked before scoring), so each is checked explicitly.
A cluster's conflicts are those of each member against its representative:
linear in the members, and recomputed whenever the members change.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import Levenshtein

from verifier.link.diff import changed, word_diff
from verifier.link.tokens import negation_flip, negations, normalise
from verifier.models import Claim

NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100, "dozen": 12})


def _value(word: str) -> float | None:
    if word[:1].isdigit():
        try:
            return float(word)
        except ValueError:
            return None
    v = NUMBER_WORDS.get(word)
    return float(v) if v is not None else None


def _number_for(c: Claim, word: str) -> dict[str, Any] | None:
    """The extracted figure a word of the text belongs to ("8139" in "$8,139 billion")."""
    for n in c.numbers:
        if word in normalise(str(n.get("text", ""))).split():
            return n
    return None


def _by_units(a: Claim, b: Claim) -> list[dict[str, Any]]:
    """Figures of one unit whose values differ on the two sides (for reordered sentences)."""
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


def figures(a: Claim, b: Claim, norm_a: str | None = None, norm_b: str | None = None) -> list[dict[str, Any]]:
    """Figures that changed between two wordings of one claim: a figure replaced by another in the
    word alignment ("killed 12" / "killed 15", "two" / "three"), else same-unit figures that differ."""
    wa = (norm_a if norm_a is not None else normalise(a.text)).split()
    wb = (norm_b if norm_b is not None else normalise(b.text)).split()
    out = []
    for op in Levenshtein.opcodes(wa, wb):
        if op.tag != "replace":
            continue
        olds = [w for w in wa[op.src_start:op.src_end] if _value(w) is not None]
        news = [w for w in wb[op.dest_start:op.dest_end] if _value(w) is not None]
        for x, y in zip(olds, news):
            vx, vy = _value(x), _value(y)
            if vx == vy:
                continue
            nx, ny = _number_for(a, x), _number_for(b, y)
            out.append({"type": "figure", "claims": [a.id, b.id],
                        "unit": (nx or ny or {}).get("unit"),
                        "values": [nx["value"] if nx else vx, ny["value"] if ny else vy],
                        "texts": [nx["text"] if nx else x, ny["text"] if ny else y]})
    return out or _by_units(a, b)


def shared_figures(a: Claim, b: Claim) -> list[str]:
    return [na["text"] for na in a.numbers
            if any(abs(nb["value"] - na["value"]) < 1e-9 and nb.get("unit") == na.get("unit") for nb in b.numbers)]


def same_person(a: str, b: str) -> bool:
    """"Lavrov" and "Sergey Lavrov" are one person; "Lavrov" and "Zakharova" are not."""
    x, y = normalise(a).split(), normalise(b).split()
    if not x or not y:
        return True
    return x[-1] == y[-1] or set(x) <= set(y) or set(y) <= set(x)


def between(a: Claim, b: Claim, norm_a: str | None = None, norm_b: str | None = None) -> list[dict[str, Any]]:
    """Every disagreement between two claims linked as one (normalised texts may be passed in)."""
    norm_a = norm_a if norm_a is not None else normalise(a.text)
    norm_b = norm_b if norm_b is not None else normalise(b.text)
    out = figures(a, b, norm_a, norm_b)
    if a.speaker and b.speaker and not same_person(a.speaker, b.speaker):
        out.append({"type": "speaker", "claims": [a.id, b.id], "speakers": [a.speaker, b.speaker]})
    if a.quote and b.quote:
        qa, qb = normalise(a.quote), normalise(b.quote)
        if qa != qb and not (qa in qb or qb in qa):
            out.append({"type": "quote", "claims": [a.id, b.id],
                        "diff": changed(word_diff(a.quote, b.quote))})
    na, nb = negations(norm_a), negations(norm_b)
    if negation_flip(norm_a, norm_b, na, nb):
        out.append({"type": "negation", "claims": [a.id, b.id], "words": sorted(na ^ nb)})
    return out


def same_figures(a: Claim, b: Claim) -> bool:
    """Whether b states the figures a states (no changed figure between them)."""
    return not figures(a, b)
