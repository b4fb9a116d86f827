"""Normalised text, tokens, named entities and clauses for comparing claims.

Quotebank's rule: two quotes are the same when they match after lowercasing
and removing punctuation. Figures are kept as tokens so "15,000" and
"15000" agree; for scoring they are masked (a changed figure is the same
claim with a conflict, flagged apart).

Named entities here are capitalised words (and acronyms) that are not a
sentence's first word: "Kherson", "Kharkiv", "NATO", "Zelensky". They are
what tells "two killed in Kherson" from "two killed in Kharkiv".
"""

from __future__ import annotations

import re

STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as into about over after before
is are was were be been being has have had do does did will would can could should may
might must shall this that these those it its he she they them his her their we our you
i me my not no than then there here which who whom whose what when where why how all any
both each few more most other some such only own same so too very just also said says
says told according added while during since until up down out off again further once
""".split())
NEGATIONS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor",
                       "without", "denied", "denies", "deny", "false"})
FLIP_WORDS = 3  # a negation inserted with this few words negates the statement; with more, it is another clause
REPLACED_WORDS = 6  # a negation in a replaced phrase this short negates it
SLOT_WORDS = 4  # a replaced phrase this short holding a name on each side is one slot filled differently
# Capitalised at the start of a sentence without naming anything; a first word not listed here
# ("Zelensky said", "Russian forces") counts as a name.
STARTERS = frozenset("""
earlier later meanwhile however officials authorities police residents now today yesterday tomorrow
tonight also still yet so then according speaking asked breaking update updates watch read
many several every one two three four five six seven eight nine ten there's it's that's here's
what's we're they're i'm i've we've don't didn't doesn't isn't wasn't aren't can't won't
people experts analysts critics sources reports witnesses doctors scientists researchers
separately additionally overall instead indeed still despite although though because once
last next first second third finally previously recently currently meanwhile elsewhere
please thank thanks yes well oh
""".split()) | STOPWORDS
# Capitalised words that name a role or a title, not who holds it: "President X" vs "President Y"
# differ by X and Y.
TITLES = frozenset("""
mr mrs ms dr prof sir dame lord lady president prime minister secretary general chief mayor governor
senator rep representative judge justice king queen prince princess pope chancellor premier
ambassador spokesman spokeswoman spokesperson commander colonel major captain lieutenant sergeant
foreign defense defence interior state deputy vice head director officer official
""".split())

_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# A capitalised word, with what stands before it when that makes it a sentence's first word.
_CAP = re.compile(r"([.!?:;\"'\u201c\u2018(\[\u2014\u2013\n*\u2022]\s*)?"
                  r"(?<![\w'\u2019-])([A-Z\u00c0-\u00d6\u00d8-\u00de][\w'\u2019-]*)")
# Where one sentence holds two statements: semicolons, dashes, ", and/but/while/after ...".
_CLAUSE = re.compile(r"\s*(?:;|\u2014|\u2013|\s--?\s|,\s+(?:and|but|while|whereas|after|as)\s)\s*", re.I)


_COMMA_SPLIT = re.compile(r",\s+")
_PARAGRAPH = re.compile(r"\n\s*\n")


def first_paragraph(text: str) -> str:
    """What a claim states: its text up to the first blank line. Text that runs on into the next
    paragraphs is spill-over (an unclosed quotation mark carries the extractor past the paragraph)."""
    m = _PARAGRAPH.search(text)
    if m is None:
        return text
    head = text[:m.start()]
    return head if len(head.split()) >= 4 else text


def normalise(text: str) -> str:
    """Lower case, straight quotes, no punctuation, numbers without separators."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    if "," in text:
        text = _COMMA.sub("", text)
    text = text.replace("n't", " not")
    return " ".join(_WORD.findall(text))


_FIGURE = re.compile(r"(?<!\S)\d\S*")


def mask_numbers(norm: str) -> str:
    """Figures as one placeholder: scoring sees the sentence, conflicts see the figures."""
    return _FIGURE.sub("#", norm)


def words(text: str) -> list[str]:
    return normalise(text).split()


def content_tokens(norm: str) -> set[str]:
    return {w for w in norm.split() if w not in STOPWORDS and (len(w) > 2 or w.isdigit())}


def negations(norm: str) -> set[str]:
    return {w for w in norm.split() if w in NEGATIONS}


def negation_flip(a: str, b: str, negs_a: "frozenset[str] | set[str] | None" = None,
                  negs_b: "frozenset[str] | set[str] | None" = None) -> bool:
    """Whether one side negates what both say: a negation added in a short insertion ("was killed" /
    "was not killed") or inside a replaced phrase ("caused damage" / "has not sustained any critical
    damage"), not one inside a whole clause only one side has (a dropped ", while ... have not ...")."""
    na = negations(a) if negs_a is None else negs_a  # (the words' negations, when known already)
    nb = negations(b) if negs_b is None else negs_b
    if bool(na) == bool(nb):
        return False
    from rapidfuzz.distance import Levenshtein

    wa, wb = a.split(), b.split()
    for op in Levenshtein.opcodes(wa, wb):
        if op.tag == "equal":
            continue
        old, new = wa[op.src_start:op.src_end], wb[op.dest_start:op.dest_end]
        limit = FLIP_WORDS if op.tag != "replace" else REPLACED_WORDS
        if (len(old) <= limit and NEGATIONS.intersection(old)) or \
           (len(new) <= limit and NEGATIONS.intersection(new)):
            return True
    return False


def substituted(wa: list[str], wb: list[str], names_a: frozenset[str], names_b: frozenset[str],
                all_a: frozenset[str] = frozenset(), all_b: frozenset[str] = frozenset()) -> bool:
    """Whether a name stands where the other side has another name: a short replaced phrase with a
    name on one side that the other side's phrase lacks, and vice versa ("in Kherson" / "in Kharkiv";
    "from Fresno back to Jaffna" / "from Jaffna back to Kigali"). Names in a clause only one side has
    (an attribution, a headline's lead-in) are additions, not substitutions. all_a, all_b: every
    word of each side."""
    from rapidfuzz.distance import Levenshtein

    for op in Levenshtein.opcodes(wa, wb):
        if op.tag != "replace":
            continue
        old, new = wa[op.src_start:op.src_end], wb[op.dest_start:op.dest_end]
        if len(old) > SLOT_WORDS or len(new) > SLOT_WORDS:
            continue
        xs, ys = names_a.difference(new).intersection(old), names_b.difference(old).intersection(new)
        # and one of them is missing from the other side altogether (two names swapping places in a
        # reworded sentence are not a substitution)
        if xs and ys and (xs - all_b or ys - all_a):
            return True
    return False


def _bare(word: str) -> str:
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'")


def word_set(norm: str) -> frozenset[str]:
    """Every word of a normalised text, possessives without their 's."""
    return frozenset(w[:-2] if w.endswith("'s") else w for w in norm.split())


def entities(text: str) -> frozenset[str]:
    """Capitalised names in a text, lower-cased: places, people, organisations, days, months."""
    out: set[str] = set()
    for before, token in _CAP.findall(". " + text):  # the full stop makes the first word initial
        initial = bool(before)
        for part in (token.split("-") if "-" in token else (token,)):
            if not part or not part[0].isupper():
                continue
            w = part.lower()
            if w.endswith(("'s", "\u2019s")):
                w = w[:-2]
            w = w.strip("'\u2019")
            if not w:
                continue
            if len(part) >= 2 and part.isupper():
                out.add(w)  # an acronym: NATO, EU, UN
            elif not (w in TITLES or (w in STARTERS if initial else w in STOPWORDS)):
                out.add(w)
            initial = False
    return frozenset(out)


def clauses(text: str) -> list[tuple[str, bool]]:
    """A sentence's statements, each with whether it stands on its own: split at semicolons, dashes
    and ', and/but/while/after' (strong), then at any other comma (weak: "Laura, now a dangerous
    Category 4 storm, is heading ..." holds "now a dangerous Category 4 storm")."""
    out: list[tuple[str, bool]] = []
    for part in _CLAUSE.split(text):
        if not part or not part.strip():
            continue
        out.append((part, True))
        if "," in part:
            pieces = [p for p in _COMMA_SPLIT.split(part) if p.strip()]
            if len(pieces) > 1:
                out.extend((p, False) for p in pieces)
    return out if len(out) > 1 else []
