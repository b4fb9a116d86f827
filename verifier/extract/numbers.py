"""Figures in news prose: counts, money, percentages, ordinals, ages, durations.

Each comes out normalised (value, unit, qualifier, kind) with its original text.
Years, dates, clock times and hyphenated modifiers ("two-story") are not figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from verifier.extract.lexicon import runs, trie

WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
    "a hundred": 100, "a thousand": 1000,
}
# Vague quantities: a figure of the "approximate" kind whose value is the least the words can mean
# ("hundreds" is at least 200, never exactly 100), so a later "300" is not read as a changed figure.
VAGUE = {
    "dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2e6, "billions": 2e9,
    "tens of thousands": 2e4, "hundreds of thousands": 2e5, "tens of millions": 2e7, "hundreds of millions": 2e8,
}
WORDS.update(VAGUE)
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "bn": 1e9, "mn": 1e6}
CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH",
              "₽": "RUB", "C$": "CAD", "A$": "AUD", "HK$": "HKD"}
CURRENCY_WORDS = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "hryvnias": "UAH",
                  "rubles": "RUB", "roubles": "RUB", "yuan": "CNY", "yen": "JPY"}
QUALIFIERS = [
    "at least", "at most", "more than", "fewer than", "less than", "up to", "over", "under",
    "about", "around", "nearly", "almost", "roughly", "approximately", "some", "an estimated",
    "as many as", "as few as", "no fewer than", "no more than", "upwards of", "close to",
    "just over", "just under", "well over", "only", "exactly",
]
DURATIONS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
             "weeks", "month", "months", "year", "years", "decade", "decades", "century"}
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_SKIP_UNIT = {"additional", "more", "new", "other", "further", "of", "the", "a", "an", "extra",
              "separate", "different", "total", "local", "military", "injured",
              "wounded", "dead", "killed", "in", "and", "or", "to", "per", "from", "were",
              "are", "was", "had", "have", "foreign", "senior", "top", "young", "old",
              "elderly", "armed", "unarmed", "its", "their", "his", "her"}
_WORD_ALT = trie(sorted(WORDS))  # prefix-factored: one branch per first letter, tried once per word start
_QUAL_ALT = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_TENS = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_FIRST_LETTERS = "".join(sorted({w[0] for w in WORDS} | {"t", "f", "s", "e", "n", "u"}))  # tens; "US$"
_CUR_ALT = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))

# The core of a figure; a qualifier is looked for just before it (cheaper than
# trying every qualifier at every character). The leading lookahead lets the
# engine skip in one step every position that cannot start a figure.
_NUMBER_TAIL = (
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn|[km])\b)?"
    r"(?P<pct>\s*%|\s+percent\b|\s+per cent\b)?"
    r"(?P<hyphen>-(?:year|month|week|day|hour|minute|story|storey|floor|member|mile|kilometer"
    r"|kilometre|point|time|person|man|seat|page|foot|meter|metre|ton|tonne)s?(?:-old)?)?"
)
_DIGITS = r"(?P<digits>(?<![\w.,:/])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,:/])\d+(?:\.\d+)?)(?P<ord>st|nd|rd|th)?"
NUMBER = re.compile(
    r"(?=[\d$€£¥₴₽CAH]|(?<![A-Za-z])[" + _FIRST_LETTERS + "])"  # the first letters of number words and of "US$"
    rf"(?P<cur>{_CUR_ALT})?"
    rf"(?:{_DIGITS}"
    rf"|(?P<word>\b(?:{_TENS}[- ](?:one|two|three|four|five|six|seven|eight|nine)\b|(?:{_WORD_ALT})\b)))"
    + _NUMBER_TAIL,
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"\d+")
_CURRENCY_SIGN = re.compile(r"[$€£¥₴₽]")
_DIGIT_OR_SIGN = re.compile(r"[\d$€£¥₴₽]")
# Non-ASCII letters that IGNORECASE matches as ASCII ones (long s, Kelvin sign, dotted and dotless i)
_FOLDING = "\u017f\u212a\u0130\u0131"
# A number word (also inside a longer word: candidates only, NUMBER.match decides): every word of
# WORDS but the "a" of "a dozen" (tried two characters before "dozen") and the "of" of "tens of thousands"
_CUE_WORDS = sorted({p for w in WORDS for p in w.split()} - {"a", "of"})
_NUMBER_WORD_CUE = re.compile("(?:" + trie(_CUE_WORDS) + r")\b")
_NUMBER_RUNS = frozenset(_CUE_WORDS)


def _matches(text: str) -> Iterator[re.Match[str]]:
    """NUMBER.finditer(text), tried only where a figure can start: a digit run, a currency sign (or the
    'US'/'HK'/'C'/'A' before a '$'), a number word (or the 'a' of 'a dozen'). Scanning every position with NUMBER's lookahead
    cost more than all the rest of figure finding; this yields the same matches."""
    if not text.isascii() and any(c in text for c in _FOLDING):
        yield from NUMBER.finditer(text)  # a letter the case-insensitive pattern reads as an ASCII one
        return
    worded = not _NUMBER_RUNS.isdisjoint(runs(text))
    first = _DIGIT_OR_SIGN.search(text)
    if first is None and not worded:
        return  # no digit, no currency sign, no number word: no figure
    starts: set[int] = set()
    if first is not None:
        starts.update(m.start() for m in _DIGIT_RUN.finditer(text, first.start()))
        if "$" in text or not first.group().isdigit() or _CURRENCY_SIGN.search(text, first.start()):
            for m in _CURRENCY_SIGN.finditer(text):
                i = m.start()
                starts.add(i)
                if text[i] == "$":
                    starts.update(j for j in (i - 2, i - 1) if j >= 0)
    if worded:
        low = text.lower()
        for m in _NUMBER_WORD_CUE.finditer(low):
            i = m.start()
            starts.add(i)
            if low[i - 2: i] == "a ":
                starts.add(i - 2)  # "a dozen", "a hundred"
    pos = 0
    for i in sorted(starts):
        if i < pos:
            continue
        hit = NUMBER.match(text, i)
        if hit:
            pos = hit.end()
            yield hit


_QUAL_BEFORE = re.compile(rf"\b(?P<qual>{_QUAL_ALT})\s+$", re.IGNORECASE)
_DATE_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s*$")
_DATE_AFTER = re.compile(rf"^\s*(?:{MONTHS})\b")
_DESIGNATOR_BEFORE = re.compile(
    r"\b(?:unit|units|reactor|block|building|gate|terminal|platform|route|line|highway|interstate|flight|"
    r"room|floor|level|phase|stage|section|article|chapter|paragraph|clause|item|number|no\.|episode|"
    r"season|channel|category|grade|class|type|model|version|page|pier|runway|exit|ward|zone|sector|"
    r"lot|track|bus|tranche|round|group|pool|court|wave|day|week|game|match|lane|apartment|flat|door)[- ]$", re.IGNORECASE)
_PLUS_NEAR = re.compile(r"^\+\w")
_CHANNEL_AFTER = re.compile(r"^\s?(?:TV|tv|News|FM|AM|Channel|channel|Radio|radio)\b")
_IN_URL = re.compile(r"(?:https?://|www\.|/)\S*$")
_CLOCK_AFTER = re.compile(r"^(?::\d{2}|\s*(?:a\.?m\.?|p\.?m\.?)(?!\w))", re.IGNORECASE)


def _value(m: re.Match[str]) -> float | None:
    if m["digits"]:
        v = float(m["digits"].replace(",", ""))
    else:
        word = m["word"].lower().replace("-", " ")
        parts = word.split()
        if word in WORDS:
            v = float(WORDS[word])
        elif len(parts) == 2 and parts[0] in WORDS and parts[1] in WORDS:
            v = float(WORDS[parts[0]] + WORDS[parts[1]])
        elif parts[0] in WORDS:
            v = float(WORDS[parts[0]])
        else:
            return None
    if m["scale"]:
        v *= SCALES[m["scale"].lower()]
    return v


_FUNCTION_WORDS = {"the", "a", "an", "in", "on", "at", "by", "of", "for", "with", "about", "over",
                   "some", "only", "all", "another", "those", "these", "its", "their", "his", "her",
                   "our", "just", "nearly", "almost", "around", "roughly", "and", "but", "since",
                   "after", "before", "until", "from", "to", "than", "under", "every", "each"}
CASUALTY = {"wounded", "injured", "killed", "dead", "missing", "hurt", "displaced", "arrested"}


_UNIT_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MODIFIER = re.compile(r"-(?:story|storey|year|floor)")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_NAME_BEFORE = re.compile(r"([A-Z][\w]*)[- ]$")
_NAME_COMMA_BEFORE = re.compile(r"[A-Z][\w’'-]+,\s$")
_COMMA_AFTER = re.compile(r"\s*,")


def _unit_after(text: str, pos: int) -> str | None:
    words = _UNIT_WORD.findall(text, pos, pos + 60)[:4]
    # "12 killed and 40 wounded": the casualty word is the unit when no noun follows it
    if words and words[0].lower() in CASUALTY and (len(words) == 1 or words[1].lower() in
                                                    {"in", "and", "or", "on", "at", "by", "after", "during", "when", "as"}):
        return words[0].lower()
    for w in words:
        lw = w.lower()
        if lw in CURRENCY_WORDS:
            return CURRENCY_WORDS[lw]
        if lw in _SKIP_UNIT or "-" in lw and _MODIFIER.search(lw):
            continue
        if lw in ("whom", "which", "them", "those", "these", "whose"):
            return None
        if w[0].isupper():  # "15,000 Ukrainian soldiers": demonyms and names modify
            continue
        return lw
    return None


def find(text: str) -> list[dict[str, Any]]:
    """Figures in text, in order."""
    out: list[dict[str, Any]] = []
    for m in _matches(text):
        if not (m["digits"] or m["word"]):
            continue
        # a qualifier ends in the spaces just before the figure
        qm = _QUAL_BEFORE.search(text, max(0, m.start() - 22), m.start()) if text[m.start() - 1: m.start()].isspace() else None
        qual_text = qm["qual"] if qm else None
        start = qm.start() if qm else m.start()
        before, after = text[max(0, m.start() - 12): m.start()], text[m.end(): m.end() + 8]
        raw = m["digits"] or ""
        # "two-story", "one-year": a modifier of the noun, not a figure, unless it is an age.
        if m["hyphen"] and not m["hyphen"].lower().endswith("-old") \
                and not m["hyphen"].lower().startswith(("-year", "-month", "-week", "-day")):
            continue
        if raw and not m["cur"] and not m["scale"] and not m["pct"] and not m["ord"]:
            if _YEAR.fullmatch(raw) and not m["hyphen"]:
                continue  # a year
            if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after):
                continue
            if _CLOCK_AFTER.match(text[m.end(): m.end() + 6]):
                continue
            name = _NAME_BEFORE.search(before)
            if name and name.group(1).lower() not in _FUNCTION_WORDS:
                continue  # "Rossiya-24", "Article 5", "Boeing 737": a name, not a figure
            if before.rstrip("\n")[-1:] in (" ", "-") and _DESIGNATOR_BEFORE.search(before):
                continue  # "unit 1", "reactor 4", "category 2": a label, not a count
        if raw and (_PLUS_NEAR.match(text[m.end(): m.end() + 2]) or before.endswith("+")
                    or _CHANNEL_AFTER.match(text[m.end(): m.end() + 16])):
            continue  # "1+1 TV channel", "Channel 4", "5 News": a channel or product name
        if raw and _IN_URL.search(before) and not before.endswith(" "):
            continue  # a number inside a web address
        if m["ord"] and (_DATE_AFTER.match(after) or _DATE_BEFORE.search(before)):
            continue  # "4th Mar 2024": a date
        if m["word"] and not qual_text and m["word"].lower() == "one" and not m["hyphen"]:
            continue  # "one resident", "one of the": a lone "one" is almost never a figure to check
        if raw and _NAME_COMMA_BEFORE.search(before) and _COMMA_AFTER.match(text, m.end()) and float(raw) < 120:
            # "Maria Lopez, 54, a teacher": an age in apposition
            out.append({"value": float(raw), "unit": "years old", "text": raw, "qualifier": None,
                        "kind": "age", "span": [m.start(), m.end()]})
            continue
        value = _value(m)
        if value is None:
            continue
        unit: str | None
        kind = "count"
        if m["word"] and not m["scale"] and m["word"].lower().replace("-", " ") in VAGUE:
            unit, kind = _unit_after(text, m.end()), "approximate"  # "hundreds of people"
        elif m["cur"]:
            unit, kind = CURRENCIES[m["cur"]], "money"
        elif m["pct"]:
            unit, kind = "percent", "percent"
        elif m["ord"]:
            unit, kind = _unit_after(text, m.end()), "ordinal"
        elif m["hyphen"] and m["hyphen"].lower().endswith("-old"):
            unit, kind = "years old", "age"
        elif m["hyphen"]:
            unit, kind = m["hyphen"].lower().strip("-").split("-")[0] + "s", "duration"
        else:
            unit = _unit_after(text, m.end())
            if unit in CURRENCY_WORDS.values():
                kind = "money"
            elif unit in DURATIONS:
                kind = "duration"
        qual = qual_text.lower() if qual_text else None
        if qual in ("some", "only", "over", "under") and not (m["digits"] or m["scale"]):
            qual = qual if qual != "some" else None
        if kind == "approximate" and qual is None:
            qual = "at least"  # "hundreds": the value is the least the word can mean
        out.append({
            "value": value, "unit": unit, "text": text[start:m.end()].strip(), "qualifier": qual,
            "kind": kind, "span": [start, m.end()],
        })
    return out


def same_value(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return abs(float(a["value"]) - float(b["value"])) < 1e-9
