"""Whether two claims are the same claim, how alike they are, and why.

Same claim only when both state the same thing about the same people,
places and objects:
- a named entity on each side that the other side lacks ("in Kherson" /
  "in Kharkiv", "Russian" / "Ukrainian") makes them different claims,
  however many words they share (the speakers' own names excepted: the same
  words credited to someone else are a speaker conflict, not another claim);
- figures are masked before scoring, so a changed toll is the same claim
  (the conflict is flagged apart, see conflicts.py);
- a negation on one side only never links automatically.

The score (0-100) is the best of: the whole sentences (token_sort, and
token_set when the shorter side holds at least half the longer's words:
token_set alone returns 100 for any subset, "Russia said" against anything),
the best pair of clauses (sentences split at semicolons, dashes and ", and /
but / while / after"), and the quoted words. Shared specifics (a figure, two
named entities) lift a score just under the threshold.

Two tiers, as Meedan Check runs them: LINK_AT and above links automatically;
SUGGEST_AT to LINK_AT is a *suggested* link a person confirms or rejects.
A match resting on fewer than SHORT_WORDS words, or with a negation on one
side, is only ever suggested. Thresholds measured in benchmarks/bench_newsgen.py
and on the dev corpus (README, "Duplicate linking").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from verifier.link.tokens import (clauses, entities, first_paragraph, mask_numbers, negation_flip, negations,
                                  normalise, substituted, word_set)
from verifier.link.tokens import TITLES

LINK_AT = 85.0  # an automatic link (Meedan Check: 0.875 on its own scale)
SUGGEST_AT = 80.0  # a suggested link, down to here (Meedan Check: 0.70; measured here, see the README)
SHORT_WORDS = 8  # a match resting on fewer words is only suggested
MIN_QUOTE_WORDS = 4
MIN_CLAUSE_WORDS = 5
CLAUSES_FROM = 55.0  # whole sentences scoring under this share too little for a clause pair to matter (the dev
# corpus pairs found only by clauses score 64 as whole sentences)
PASSAGE_WORDS = 10  # a shorter text this long found whole inside a longer one states part of it
NEAR = 8.0  # how far under LINK_AT shared specifics can lift a score
SPECIFIC_BONUS = 4.0  # per shared specific (a figure, two named entities), at most two
CONTEXT_CHARS = 300  # the words before a claim in its paragraph that other_context compares
CONTEXT_ALIKE = 70.0  # contexts this alike (token_sort, figures masked) are the same words, names compared


class Features:
    """What the scorers need of one claim; the costlier parts are computed on first use."""

    __slots__ = ("text", "norm", "masked", "n_words", "_words", "_ents", "speaker", "quote", "n_quote_words",
                 "quote_raw", "_negs", "_clauses", "_keys", "role", "_bare", "context", "_ctx")

    def __init__(self, text: str, quote: str | None = None, speaker: str | None = None,
                 role: str | None = None, context: str = "") -> None:
        text = first_paragraph(text)
        if quote:
            quote = first_paragraph(quote)
        self.text = text
        self.norm = normalise(text)
        self.masked = mask_numbers(self.norm)
        self.n_words = self.norm.count(" ") + 1 if self.norm else 0
        self.quote_raw = quote
        self.speaker = speaker_name(speaker)
        self.role = role
        self._words: frozenset[str] | None = None
        self._ents: frozenset[str] | None = None
        q = mask_numbers(normalise(quote)) if quote else ""
        self.quote = q  # masked normalised quoted words, "" when none
        self.n_quote_words = q.count(" ") + 1 if q else 0
        self._keys: list[str] | None = None
        self._bare: list[str] | None = None
        self._negs: frozenset[str] | None = None
        self._clauses: tuple[tuple[str, int, bool], ...] | None = None
        self.context = context  # the words before the claim in its paragraph (see other_context)
        self._ctx: Features | None = None

    @property
    def context_features(self) -> "Features | None":
        if self._ctx is None and self.context:
            self._ctx = Features(self.context)
        return self._ctx

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = word_set(self.norm)
        return self._words

    @property
    def ents(self) -> frozenset[str]:
        if self._ents is None:
            self._ents = entities(self.text)
        return self._ents

    @property
    def negs(self) -> frozenset[str]:
        if self._negs is None:
            self._negs = frozenset(negations(self.norm))
        return self._negs

    @property
    def figures(self) -> frozenset[str]:
        return frozenset(w for w in self.norm.split() if w[:1].isdigit())

    @property
    def bare(self) -> list[str]:
        """The masked words, possessives without their 's (for aligning names)."""
        if self._bare is None:
            self._bare = [w[:-2] if w.endswith("'s") else w for w in self.masked.split()]
        return self._bare

    @property
    def attribution(self) -> frozenset[str]:
        """The words naming who speaks: the speaker and their role."""
        words = set(self.speaker)
        if self.role:
            words.update(normalise(self.role).split())
        return frozenset(words)

    @property
    def keys(self) -> list[str]:
        """The words the blocking index posts this claim under."""
        if self._keys is None:
            from verifier.link.blocking import key_words

            self._keys = key_words(self.norm)
        return self._keys

    @property
    def clauses(self) -> tuple[tuple[str, int, bool], ...]:
        """(masked clause, words, stands on its own) when the sentence holds more than one statement."""
        if self._clauses is None:
            out = []
            for part, strong in clauses(self.text):
                if _ATTRIBUTION.match(part):
                    continue  # "according to the National Hurricane Center": who says, not what
                m = mask_numbers(normalise(part))
                n = m.count(" ") + 1 if m else 0
                if n >= MIN_CLAUSE_WORDS:
                    out.append((m, n, strong))
            self._clauses = tuple(out)
        return self._clauses


_ATTRIBUTION = re.compile(r"\s*(?:according to|citing|as reported by|\S+(?:\s+\S+){0,5}\s+(?:said|says|told|added|"
                          r"reported|announced|wrote|tweeted)\W*$)", re.I)


def speaker_name(speaker: str | None) -> tuple[str, ...]:
    """A speaker as normalised words, titles left out ("Foreign Minister Lavrov" -> ("lavrov",))."""
    if not speaker:
        return ()
    return tuple(w for w in normalise(speaker).split() if w not in TITLES)


def other_speakers(a: "Features", b: "Features") -> bool:
    """Two speakers who are not one person ("Lavrov" / "Sergey Lavrov" are one)."""
    x, y = a.speaker, b.speaker
    if not x or not y:
        return False
    return x[-1] != y[-1] and not (set(x) <= set(y) or set(y) <= set(x))


def features(text: str, quote: str | None = None, speaker: str | None = None, role: str | None = None) -> Features:
    return Features(text, quote, speaker, role)


def claim_features(c, post=None) -> Features:
    """A claim's features; with its post, the words before it in its paragraph (its context)."""
    return Features(c.text, c.quote, c.speaker, c.role, context_of(c, post))


def context_of(c, post) -> str:
    """The words before a claim in its paragraph, at most CONTEXT_CHARS: the start of a sentence the
    claim was cut from (a line break inside a sentence), or the sentence before it."""
    if post is None or not c.span or not post.body:
        return ""
    start = c.span[0]
    if not 0 < start <= len(post.body):
        return ""
    body = post.body
    para = body.rfind("\n\n", 0, start)
    if para >= 0 and not body[para:start].strip():  # the claim starts its paragraph: a line break
        before = body[:para].rstrip()  # inside a sentence leaves the sentence's start in the one before
        if before and before[-1] not in _SENTENCE_END:
            return before[max(0, before.rfind("\n\n") + 2, len(before) - CONTEXT_CHARS):].strip()
        return ""
    lo = max(para + 2 if para >= 0 else 0, start - CONTEXT_CHARS)
    return body[lo:start].strip()


_SENTENCE_END = frozenset(".!?:;\"'\u201d\u2019)]")


def other_context(a: Features, b: Features) -> bool:
    """Claims whose own words match, but whose paragraphs say just before them the same thing about
    other names ("... a beach in Geelong isn't from after the government / reopened the beach ..."
    against the same about Galway; "... of the votes cast in Vilnius. N ballots came from dead
    voters." against Basra): the claims are about those names, so not one claim automatically."""
    ca, cb = a.context_features, b.context_features
    if ca is None or cb is None or not (ca.ents and cb.ents) or ca.ents == cb.ents:
        return False
    if fuzz.token_sort_ratio(ca.masked, cb.masked) < CONTEXT_ALIKE:
        return False  # other sentences before them: nothing to compare
    return different_things(ca, cb)


def compared_names(a: Features, b: Features) -> tuple[frozenset[str], frozenset[str]]:
    """The names that tell two claims apart. When the same words (a quote of SHORT_WORDS or more)
    are credited to two speakers, the attributions (names and roles) are left out: who said them is
    a speaker conflict, not another claim."""
    na, nb = a.ents, b.ents
    if a.quote and b.quote and other_speakers(a, b) and min(a.n_quote_words, b.n_quote_words) >= SHORT_WORDS:
        names = a.attribution | b.attribution
        na, nb = na - names, nb - names
    return na, nb


def other_entities(a: Features, b: Features) -> tuple[frozenset[str], frozenset[str]]:
    """Names each side holds that the other does not mention at all."""
    na, nb = compared_names(a, b)
    return na - b.words, nb - a.words


def different_things(a: Features, b: Features) -> bool:
    """Another place, person or organisation in the same place of the sentence: not the same claim."""
    if a.ents == b.ents:
        return False
    na, nb = compared_names(a, b)
    if na == nb or not (na - b.words or nb - a.words):
        return False  # every name of each side is somewhere on the other: nothing was replaced
    return substituted(a.bare, b.bare, na, nb, a.words, b.words)


@dataclass(slots=True)
class Match:
    score: float  # 0-100
    how: str  # which scorer decided, in words
    tier: str | None  # "auto", "suggested" or None (no link)
    reason: str = ""  # why only suggested: "short", "negation", "score"


def _text_score(a: Features, b: Features) -> tuple[float, str, int]:
    short, long = sorted((a.n_words, b.n_words))
    sort = fuzz.token_sort_ratio(a.masked, b.masked)
    if sort >= 99.5:
        return sort, "same words", short
    tset = fuzz.token_set_ratio(a.masked, b.masked)
    cover = short / long if long else 0.0
    if short < SHORT_WORDS:
        s = sort if sort >= 95 else min(sort, tset) * 0.9
    elif cover >= 0.5:
        s = max(sort, tset)
    elif short >= PASSAGE_WORDS and tset >= LINK_AT and fuzz.partial_ratio(a.masked, b.masked) >= 95:
        s = tset  # the shorter is one passage of the longer: the same statement, continued further
    else:
        s = max(sort, tset * 0.8)
    return s, f"text (token_set {tset:.0f}, token_sort {sort:.0f})", short


def _clause_score(a: Features, b: Features) -> tuple[float, str, int, bool]:
    """The best pair of clauses: (score, how, words, whether both clauses stand on their own)."""
    ca = a.clauses or ((a.masked, a.n_words, True),)
    cb = b.clauses or ((b.masked, b.n_words, True),)
    best, words, strong = 0.0, 0, True
    for x, nx, sx in ca:
        for y, ny, sy in cb:
            if min(nx, ny) < MIN_CLAUSE_WORDS or min(nx, ny) < 0.5 * max(nx, ny):
                continue
            s = max(fuzz.token_sort_ratio(x, y), fuzz.token_set_ratio(x, y))
            if s > best or (s == best and sx and sy and not strong):
                best, words, strong = s, min(nx, ny), sx and sy
    return best, f"clause ({best:.0f})", words, strong


def _quote_score(a: Features, b: Features) -> tuple[float, str, int]:
    n = min(a.n_quote_words, b.n_quote_words)
    if not a.quote or not b.quote or n < MIN_QUOTE_WORDS:
        return 0.0, "", 0
    q = fuzz.ratio(a.quote, b.quote)
    if q < 95 and n >= 6:
        q = max(q, fuzz.partial_ratio(a.quote, b.quote))
    return q, f"quote (ratio {q:.0f})", n


def specifics(a: Features, b: Features) -> int:
    """Shared specifics: a figure (not 0-2), two named entities."""
    n = 0
    if any(f not in ("0", "1", "2") for f in a.figures & b.figures):
        n += 1
    if len(a.ents & b.ents) >= 2:
        n += 1
    return n


def judge(a: Features, b: Features) -> Match:
    """The link two claims deserve, if any."""
    best, how, basis = _text_score(a, b)
    quote: tuple[float, str, int] | None = None
    if best < CLAUSES_FROM:  # cheap way out before the names are compared: nothing can reach the band
        quote = _quote_score(a, b) if a.quote and b.quote else (0.0, "", 0)
        if quote[0] < SUGGEST_AT - NEAR:
            return Match(max(best, quote[0]), how, None)
    if different_things(a, b):
        return Match(0.0, "different names", None)
    weak = False
    if CLAUSES_FROM <= best < LINK_AT and (a.clauses or b.clauses):
        s, h, w, strong = _clause_score(a, b)
        if s > best:
            best, how, basis = s, h, w
            weak = not strong
    if best < LINK_AT and a.quote and b.quote:
        s, h, w = quote if quote is not None else _quote_score(a, b)
        if s > best:
            best, how, basis, weak = s, h, w, False
    if LINK_AT - NEAR <= best < LINK_AT:
        n = specifics(a, b)
        if n:
            best = min(100.0, best + SPECIFIC_BONUS * min(n, 2))
            how += f" + {n} shared specific{'s' if n > 1 else ''}"
    if weak and best >= LINK_AT:  # a piece between commas is not a statement on its own: a person decides
        return Match(LINK_AT - 0.1, how, "suggested", "clause")
    if best < SUGGEST_AT:
        return Match(best, how, None)
    if best < LINK_AT:
        return Match(best, how, "suggested", "score")
    if negation_flip(a.norm, b.norm, a.negs, b.negs):
        return Match(best, how, "suggested", "negation")
    if basis < SHORT_WORDS:
        return Match(best, how, "suggested", "short")
    return Match(best, how, "auto")


def hard_veto(a: Features, b: Features) -> bool:
    """Claims that can never be one automatically: other names, or a negation on one side."""
    return different_things(a, b) or negation_flip(a.norm, b.norm, a.negs, b.negs)
