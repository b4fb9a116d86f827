"""Which sentences are claims, and how much each deserves a checker's time (0 to 1).

`is_furniture` drops what is never a claim: questions, signposts ("Here's
what you need to know"), imperatives, bylines, captions, links and the
reporter's own first or second person. `reporter_claim` decides whether a
sentence in the outlet's own voice states something checkable: an event, a
count, a state, a decision or a denial, with something specific (a figure, a
name, a place, a date) in it; scene-setting and atmosphere are not claims.

`score` ranks: specific, checkable, consequential claims first (figures
about harm, money and counts; named allegations; official counts and
decisions), attributed claims above the outlet's own narration, and
scene-setting, opinion, forecasts and human-interest lines last. It is a sum
of small, named parts plus a tiny specificity term, so scores rarely tie and
a checker can still reason about the order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from verifier.extract.lexicon import Lexicon
from verifier.extract.lexicon import hits as lexicon_hits
from verifier.extract.lexicon import runs as lexicon_runs

EVENT = Lexicon(
    exact="died dies dead struck hit hitting fired firing shot missing train trained provide provides provided "
          "sent guilty verdict sued lawsuit ban banned bans banning fined sacked dismissed elected won wins lost "
          "passed passes signed vetoed issued declared deployed flown diagnosed infected confirmed recorded "
          "reported landfall outage outages surge freed released cut raised increase increased increases rose "
          "fell dropped doubled tripled record highest lowest decision ruling agreement deal vote voted votes "
          "injunction order warning emergency seat majority fled rescued closed shut",
    stems="kill wound injur damag destroy strik attack shell launch captur arrest seiz bomb explo casualt "
          "displac evacuat fund sanction pledg deliver target tortur abduct charg convict sentenc indict resign "
          "defeat approv flood collaps burn raid detain suspend cancel retain death")
# Counts for being a claim, not for weight: comings and goings are checkable but rarely consequential.
MOTION = Lexicon(exact="arrived left arrives leaves visited visits met meets travelled traveled flew returned joined")
ADVICE = Lexicon(exact="please", phrases=("make sure", "you should", "we urge", "do your research", "stay safe",
                                          "take care", "be careful"))
SPECULATION = Lexicon(exact="could might may perhaps possibly maybe speculat", phrases=("either be",))
ALLEGE = Lexicon(
    exact="denied denies deny fake lie lies lied misconduct propaganda",
    stems="alleg claim accus fals deliberat fraud corrupt illegal unlawful intimidat",
    phrases=("without evidence", "without any evidence", "war crime", "cover-up", "cover up"))
OPINION = Lexicon(
    exact="glad philosophy should ridiculous feel feels feeling priority hopeful proud happy sad emotional "
          "amazed wonderful terrible great",
    stems="pray thank",
    phrases=("i think", "i believe", "we believe", "i hope", "we hope", "i feel"))
SCENE = Lexicon(
    exact="hug hugs hugged hugging cry cries crying cried wept jumped jumping ran running rushed bounced prayed "
          "praying sang sing singing waved waving candles stood standing sat sitting mood atmosphere memo saw "
          "heard watched watching buoyant quiet calm rowdy jeer jeers",
    stems="huddl chant cheer applau embrac smil weep yell scream danc heckl anxious await",
    phrases=("lighting candles", "gathered around", "all eyes", "bore witness", "looked on", "fan mail",
             "the faithful"))
HARM_UNITS = {"people", "civilians", "soldiers", "troops", "children", "residents", "person",
              "men", "women", "buildings", "homes", "houses", "missiles", "drones", "casualties",
              "dead", "wounded", "injured", "killed", "victims", "refugees", "prisoners", "workers",
              "patients", "deaths", "cases", "jobs", "votes", "seats"}

_SIGNPOST = re.compile(
    r"^(?:here(?:'s|’s| is| are)|this is what|these are|what (?:we|you) (?:know|need)|read |watch |follow |"
    r"find |get |keep |click |sign up|scroll |see |check |listen |join |stay |catch up|take a look|tune |"
    r"subscribe|share |download |don[’']t |do not |let[’']s |want to |you can |for more|more on|"
    r"for the latest|latest:|live updates|update:|updated|posted|published|editor[’']s note|"
    r"if you |we[’']ll |we will |we[’']re |we are |stick with|bookmark|refresh)", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|from|reporting by|written by|edited by|additional reporting|compiled by|"
                     r"with reporting from|contributors?:|producers?:|photos?:|video:|image:|source:)\b", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.\w|\.(?:com|org|net|co\.uk|gov)/")
_PERSONAL = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|[Ww]e|[Ww]e're|[Ww]e’re|[Ww]e've|[Ww]e’ve|us|[Oo]ur|[Oo]urs|[Yy]ou|"
                       r"[Yy]our|[Yy]ou're|[Yy]ou’re|[Ll]et's|[Ll]et’s)\b")
_OWN_NEWSGATHERING = re.compile(
    r"^(?:[Aa]n? |[Tt]he |[Oo]ur )?(?:[A-Z][\w’'-]* )?(?:team|crew|reporters?|correspondents?|producers?|journalists?|"
    r"photographers?|camera\w*)\b|^(?:[A-Z]{2,5}) (?:saw|heard|witnessed|bore witness|observed|watched|"
    r"spoke|visited|arrived|reached|obtained|has obtained|has reached|has asked|asked|contacted|has contacted|"
    r"has reached out|reached out)\b")
_PERSONAL_RUNS = frozenset({"i", "we", "us", "our", "ours", "you", "your", "let"})  # _PERSONAL's words, lower case
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|should|does|do|did|"
    r"says|said|remains|lies|covers|requires|carries|wants|leads|shows|holds|plans|faces|needs|"
    r"means|includes|stands|continues|expects|lives|reads|read|began|took|made|went|came|left|"
    r"won|lost|hit|sent|cut|put|set|held|kept|told|fell|rose|met|led|paid|built|brought|bought|"
    r"caught|fought|gave|got|grew|knew|ran|saw|spent|stood|struck|threw|wrote|flew|drove|"
    r"\w{3,}ed)\b")
_COMPLEMENT = re.compile(r"\b(?:that|to|if|whether|because|after|as)\b|[\u201c\"]")
_ASKED = re.compile(r"\b(?:was|were|has been|have been|is being|had been)\s+asked\b|\bhas asked\b|\bhave asked\b", re.IGNORECASE)
_PROPER = re.compile(r"[A-Z](?<!\w[A-Z])(?:[a-z][\w’'-]*|[A-Z]+\b)")  # a capitalised word or an acronym
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens",
                 "hundreds", "thousands", "millions", "several", "many", "some", "few"}
_FUNCTION_CAPS = {"The", "A", "An", "He", "She", "It", "They", "We", "I", "This", "That", "These", "Those",
                  "But", "And", "In", "On", "At", "However", "Meanwhile", "There", "His", "Her", "Their",
                  "Its", "Our", "After", "Before", "Since", "As", "When", "While", "Earlier", "Later",
                  "So", "Then", "Now", "Also", "Still", "Yet", "Mr", "Mrs", "Ms", "Dr"}


@lru_cache(maxsize=64)  # asked of one sentence up to three times (claim kind, reporter claim, figure)
def is_furniture(text: str) -> bool:
    """Never a claim: a question, a signpost, a byline, a caption, a link, the reporter's 'we'/'you'."""
    t = text.strip()
    if not t or t.endswith(("?", ":")) or ("http" in t or "www." in t or "/" in t) and _URL.search(t):
        return True
    return bool(_SIGNPOST.match(t) or _BYLINE.match(t) or _caption(t))


_CAPTION_PARTS = [
    (("(",), re.compile(r"\((?:left|right|center|centre|top|bottom|pictured|file|l|r)\)")),
    (("pictured", "photo", "image", "seen here", "screengrab", "screenshot", "footage"),
     re.compile(r"\b(?:pictured|photo(?:graph)?s?|image|imagery|seen here|screengrab|screenshot|footage)\b")),
    (("/",), re.compile(r"/\s*(?:Reuters|AP|AFP|Getty|EPA|Facebook|Twitter|NASA|[A-Z][\w ]{1,30})$")),
    (("Getty Images", "AFP via Getty"), re.compile(r"\b(?:Getty Images|AFP via Getty)\b")),
]


def _caption(t: str) -> bool:
    """_CAPTION.search, piece by piece behind cheap substring tests (same answer, a fraction of the time)."""
    for keys, pat in _CAPTION_PARTS:
        for k in keys:
            if k in t:
                if pat.search(t):
                    return True
                break
    return False


@lru_cache(maxsize=256)
def _proper_count(text: str) -> int:
    found = _PROPER.findall(text)
    propers = set(found)
    first = _PROPER.match(text)  # the sentence's first word: "Speaking", "Finally", "Three" are not names
    if first is not None:
        w = first.group(0)
        if (w.endswith(("ing", "ly")) or w.lower() in _NUMBER_WORDS) and found.count(w) == 1:
            propers.discard(w)
    propers -= _FUNCTION_CAPS
    return min(len(propers), 3)


def _specific(text: str, numbers: list[dict[str, Any]]) -> int:
    """How much in a sentence can be looked up: figures, names, places, dates."""
    weight = sum(2 if figure_is_claim(text, [n]) else 1 for n in numbers[:2])
    return weight + _proper_count(text)


def specificity(text: str, numbers: list[dict[str, Any]]) -> int:
    return _specific(text, numbers)


_FIRST_VERB = re.compile(r"\b(?:will|would|could|may|might|should|can|expected|forecast|likely|set|due|"
                         r"is|are|was|were|has|have|had|do|does|did|didn’t|didn't|doesn't|doesn’t|"
                         r"don't|don’t|\w{3,}ed)\b")  # a word of 5+ letters ending in -ed
_EXPECTED_TO = re.compile(r"\s+(?:now |also |still |currently )?(?:expected|forecast|likely|set|due|going) to\b")
_IT_IS_TIME = re.compile(r"^(?:it[’']s|it is) (?:mid|early|late|now|\d)", re.IGNORECASE)
_ING_WORD = re.compile(r"\b\w+ing\b")


@lru_cache(maxsize=64)  # asked of one sentence up to three times (furniture, reporter claim, score)
def is_forecast(text: str) -> bool:
    """The sentence's first verb is a modal or an expectation: 'The storm is expected to weaken'."""
    for m in _FIRST_VERB.finditer(text):
        w = m.group(0).lower()
        if w in ("is", "are", "was", "were"):
            nxt = text[m.end(): m.end() + 25].lower()
            if _EXPECTED_TO.match(nxt):
                return True
            continue
        return w in {"will", "would", "could", "may", "might", "should", "can", "expected", "forecast", "likely"}
    return False


def _event(text: str) -> bool:
    return EVENT.hit(text) or MOTION.hit(text)


def reporter_claim(masked: str, numbers: list[dict[str, Any]], raw: str | None = None) -> bool:
    """A sentence in the outlet's own voice that states something checkable.

    `masked` has quoted words blanked (a quoted "we" is not the reporter's); names
    inside a short quoted phrase still count as specific, so they are read from `raw`.
    """
    t = masked.strip()
    words = t.split()
    if len(words) < 5 or is_furniture(t):
        return False
    low_runs = lexicon_runs(t)
    if not _PERSONAL_RUNS.isdisjoint(low_runs) and _PERSONAL.search(t) or _OWN_NEWSGATHERING.match(t) \
            or "asked" in low_runs and _ASKED.search(t):
        return False
    if _IT_IS_TIME.match(t):
        return False  # "It's mid-afternoon in Kyiv."
    finite = bool(_FINITE.search(t))
    if not finite and not (len(words) >= 8 and _ING_WORD.search(t) and _PROPER.search(t)):
        return False
    spec = _specific((raw or t).strip(), numbers)
    if _event(t) or ALLEGE.search(t):
        spec += 1
    if SCENE.search(t):
        spec -= 1
    if OPINION.search(t):
        spec -= 1
    if is_forecast(t):
        spec -= 2
    return spec >= 2


def score(kind: str, text: str, numbers: list[dict[str, Any]], speaker: str | None,
          named: bool, background: bool) -> float:
    s = 0.12
    kinds = {n.get("kind") for n in numbers}
    worthy = [n for n in numbers if figure_is_claim("", [n])]
    if not worthy and kinds <= {"count"}:
        s += 0.05 if numbers else 0.0  # "two senior MPs": a small count is not a figure to check
    elif kinds & {"count", "approximate", "money", "percent"}:  # "hundreds of homes" is a figure too
        s += 0.25
        if any(n.get("unit") in HARM_UNITS for n in numbers) or "money" in kinds:
            s += 0.1
        if any(n.get("qualifier") in ("at least", "more than", "up to", "nearly", "almost") for n in numbers):
            s += 0.02
    elif kinds:
        s += 0.08
    if kind == "quote":
        s += 0.18 if named else 0.12
    elif speaker:
        s += 0.2 if named else 0.15
    else:
        s += 0.05  # the outlet's own narration ranks below attributed claims
    n_words = len(text.split())
    hits = lexicon_hits(text)  # every lexicon the text hits, looked up once
    if EVENT in hits:
        s += 0.12
    if ALLEGE in hits:
        s += 0.12
    if OPINION in hits:
        s -= 0.12
    if SCENE in hits:
        s -= 0.12
    if is_forecast(text):
        s -= 0.06
    if SPECULATION in hits:
        s -= 0.06
    if ADVICE in hits:
        s -= 0.1
    if _OWN_NEWSGATHERING.match(text):
        s -= 0.15  # the outlet's own eyewitness colour
    if MOTION in hits and EVENT not in hits:
        s -= 0.04
    if kind == "statement" and speaker and not numbers and n_words < 14 and not _COMPLEMENT.search(text):
        s -= 0.08  # "Lavrov also dismissed the approach of the West": a stance with no checkable content
    if background:
        s -= 0.3
    if n_words < 6:
        s -= 0.15
    # A small, graded specificity term breaks ties: more figures and names, higher.
    s += 0.015 * _specific(text, numbers) + min(n_words, 40) * 0.0005
    return round(min(0.99, max(0.02, s)), 3)


def figure_is_claim(text: str, numbers: list[dict[str, Any]]) -> bool:
    """A sentence with figures is a claim when the figures carry a fact worth checking."""
    for n in numbers:
        kind = n.get("kind")
        if kind in ("money", "percent", "ordinal"):
            return True
        if kind in ("count", "approximate") and (n["value"] >= 10 or (n.get("qualifier") and n["value"] >= 2)):
            return True
    return bool(numbers) and bool(EVENT.search(text))
