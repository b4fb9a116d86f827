"""How much a claim deserves a checker's time, from 0 to 1.

Figures about harm, money and counts, allegations and attributed factual
statements rank above scene-setting, background and opinion. The weights are
deliberately simple and additive so a checker can reason about the order.
"""

from __future__ import annotations

import re
from typing import Any

EVENT = re.compile(
    r"\b(?:kill\w*|wound\w*|injur\w*|died|dead|death\w*|damag\w*|destroy\w*|strik\w*|struck|"
    r"hit|hitting|attack\w*|shell\w*|launch\w*|captur\w*|arrest\w*|seiz\w*|fir(?:ed|ing)|shot|"
    r"bomb\w*|explo\w*|casualt\w*|missing|displac\w*|evacuat\w*|train(?:ed)?|provide[sd]?|"
    r"fund\w*|sanction\w*|pledg\w*|deliver\w*|sent|target\w*|torture\w*|witness\w*|abduct\w*)\b",
    re.I,
)
ALLEGE = re.compile(r"\b(?:alleg\w*|claim\w*|accus\w*|den(?:ied|ies|y)|without (?:any )?evidence|"
                    r"false\w*|fake|lie[sd]?|propaganda|deliberate\w*|war crime\w*)\b", re.I)
OPINION = re.compile(r"\b(?:I think|I believe|we believe|I hope|we hope|glad|philosophy|"
                     r"should|ridiculous|feel|priority|of course)\b", re.I)
HARM_UNITS = {"people", "civilians", "soldiers", "troops", "children", "residents", "person",
              "men", "women", "buildings", "homes", "houses", "missiles", "drones", "casualties",
              "dead", "wounded", "injured", "killed", "victims", "refugees", "prisoners"}


def score(kind: str, text: str, numbers: list[dict[str, Any]], speaker: str | None,
          named: bool, background: bool) -> float:
    s = 0.15
    kinds = {n.get("kind") for n in numbers}
    if kinds & {"count", "money", "percent"}:
        s += 0.3
        if any(n.get("unit") in HARM_UNITS for n in numbers) or "money" in kinds:
            s += 0.1
    elif kinds:
        s += 0.1
    if kind == "quote":
        s += 0.25 if named else 0.15
    elif kind == "statement":
        s += 0.2 if speaker else 0.1
    if EVENT.search(text):
        s += 0.15
    if ALLEGE.search(text):
        s += 0.15
    if OPINION.search(text):
        s -= 0.1
    if background:
        s -= 0.3
    if len(text.split()) < 6:
        s -= 0.15
    return round(min(0.99, max(0.05, s)), 2)


def figure_is_claim(text: str, numbers: list[dict[str, Any]]) -> bool:
    """A sentence with figures is a claim when the figures carry a fact worth checking."""
    for n in numbers:
        kind = n.get("kind")
        if kind in ("money", "percent", "ordinal"):
            return True
        if kind == "count" and (n["value"] >= 10 or n.get("qualifier")):
            return True
    return bool(numbers) and bool(EVENT.search(text))
