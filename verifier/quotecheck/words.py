"""Words as quote comparison sees them, normalised before any alignment.

Speech and the quotes printed from it differ in ways that never change what was
said. All of them are taken out here, on both sides, before a match is looked for:
case and quote marks; contractions (``we'd`` is "we would", ``he's`` "he is" with
"he has" kept as an alternative); fillers (um, uh, you know) and stutters ("we-
we went", "the the"); number formats (``2,500``, ``2500`` and "two thousand five
hundred" are one word ``2500``; ``$2.5 million`` and "2,500,000 dollars" are
``2500000 dollars``; ``%`` is "percent").

Each normalised word keeps the character span of the words it came from, so a
match is shown in place and a diff quotes both sides as written.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Ordinals, numbers (2,500 / 2.5 / 2500), words with inner apostrophes (don't,
# Ukraine's), and the symbols that read as words ($, %).
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)(?P<ord>st|nd|rd|th)?(?![\w])"
    r"|(?P<word>\w+(?:['’‘]\w+)*)"
    r"|(?P<sym>[$£€%])"
)
# what marks a cut in a printed quote: ..., …, [...], (…)
CUT = re.compile(r"\s*(?:[\[(]\s*(?:\.\s?){2,}\.?\s*[\])]|[\[(]\s*…\s*[\])]|(?:\.\s?){2,}\.|…)\s*")

FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "eh", "hmm", "mm", "mhm"})
FILLER_PHRASES = {("you", "know"), ("i", "mean")}  # set off by punctuation; not "sort of": a hedge can matter
# 's after these is "is" (or "has"); after any other word it is a possessive
_S_BASES = frozenset(
    "he she it that what who where there here how when why this everybody everyone somebody someone "
    "nobody nothing something everything anybody anyone".split())
_D_BASES = frozenset("i you he she it we they that who there what where how".split())
_IRREGULAR = {
    "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"], "shan't": ["shall", "not"],
    "let's": ["let", "us"], "y'all": ["you", "all"], "gonna": ["going", "to"], "wanna": ["want", "to"],
    "gotta": ["got", "to"], "gimme": ["give", "me"], "ain't": ["is", "not"],
}
# Transcripts that drop apostrophes ("dont", "youve", "shes"): read as the contraction,
# except where the bare form is a word too (its, lets, well, were, hell, shell, ill, id, wed).
_BARE = {c.replace("'", ""): c for c in (
    "don't didn't doesn't can't won't isn't aren't wasn't weren't haven't hasn't hadn't wouldn't "
    "shouldn't couldn't mustn't you've we've they've i've i'm you're they're you'll they'll that's "
    "what's there's here's he's she's who's you'd they'd").split()}
_SUFFIXES = (("n't", "not"), ("'ve", "have"), ("'ll", "will"), ("'re", "are"), ("'m", "am"))
_ALT = {"is": "has", "would": "had"}  # what an 's or a 'd may also stand for

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
_ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()) if i}
_ORDINALS.update({w: 10 * i for i, w in enumerate(
    "_ _ twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()) if i > 1})
_ORDINALS.update({"hundredth": 100, "thousandth": 1000, "millionth": 10 ** 6})
_CURRENCY = {"$": "dollars", "£": "pounds", "€": "euros"}
_CURRENCY_WORDS = {"dollar": "dollars", "dollars": "dollars", "pound": "pounds", "pounds": "pounds",
                   "euro": "euros", "euros": "euros", "bucks": "dollars"}
_NUMBERISH = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES) | {"hundred"}


class Words:
    """Normalised words of a text, each with the [start, end) span it was read from.
    (A plain class: a dataclass costs milliseconds to create at import, on every command.)"""

    __slots__ = ("words", "spans", "alts", "raw")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self.alts: dict[int, str] = {}  # word index -> the other reading of an 's / 'd
        self.raw: list[str] = []  # the words as written, lower-cased, fillers included

    def __len__(self) -> int:
        return len(self.words)


def _plain(word: str) -> str:
    return word.lower().replace("’", "'").replace("‘", "'")


def _decimal(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _fmt(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _expand(w: str) -> tuple[list[str], str | None]:
    """A contraction as its words; the second value names the reading kept as alternative."""
    if "'" not in w:
        got = _IRREGULAR.get(w)
        if got:
            return got, None
        if w in _BARE:
            return _expand(_BARE[w])
        return [w], None
    got = _IRREGULAR.get(w)
    if got:
        return got, None
    for suf, full in _SUFFIXES:
        if w.endswith(suf) and len(w) > len(suf):
            return [w[: -len(suf)], full], None
    if w.endswith("'s") and w[:-2] in _S_BASES:
        return [w[:-2], "is"], "is"
    if w.endswith("'d") and w[:-2] in _D_BASES:
        return [w[:-2], "would"], "would"
    return [w], None


# A first cut at tokens, fast: runs of word characters joined by ' . , (don't, 2,500, 2.5);
# a run that is not a plain word or number is cut again by _TOKEN (U.S, 13point, 10,15).
_FAST = re.compile(r"\w+(?:['’‘.,]\w+)*|[$£€%]")
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_PLAIN = re.compile(r"[^\W\d_]+(?:['’‘][^\W\d_]+)*")
_SPLIT = ("", (), False, "split")
_CACHE: dict[str, tuple[str, tuple[str, ...], bool, str | None]] = {}  # token -> (plain, parts, alt, kind)


def _entry(tok: str) -> tuple[str, tuple[str, ...], bool, str | None]:
    if _PLAIN.fullmatch(tok):
        w = _plain(tok)
        parts, alt = _expand(w)
        e: tuple[str, tuple[str, ...], bool, str | None] = (w, tuple(parts), bool(alt), None)
    elif tok in "$£€%":
        e = (tok, (tok,), False, "sym")
    elif _NUMBER.fullmatch(tok):
        e = (tok.lower(), (tok,), False, "num")
    elif (m := _ORDINAL.fullmatch(tok.lower())) is not None:
        e = (tok.lower(), (m.group(1),), False, "ord")
    else:
        e = _SPLIT
    if len(_CACHE) < 500_000:
        _CACHE[tok] = e
    return e


def normalise(text: str, start: int = 0, end: int | None = None) -> Words:
    """The normalised words of ``text[start:end]``, spans in ``text``'s offsets."""
    out = Words()
    end = len(text) if end is None else end
    # pass 1: surface tokens, contractions expanded; stutter fragments ("we- we") dropped
    toks: list[tuple[str, int, int, str | None]] = []  # (word, start, end, kind)
    raw = out.raw
    push_tok, push_raw = toks.append, raw.append
    cache = _CACHE
    for m in _FAST.finditer(text, start, end):
        tok = m.group()
        e = cache.get(tok) or _entry(tok)
        a, b = m.span()
        kind = e[3]
        if kind is None:
            w, parts = e[0], e[1]
            push_raw(w)
            if text.startswith("-", b) and _restarts(text, w, b, end):
                continue
            push_tok((parts[0], a, b, None))
            if len(parts) > 1:
                push_tok((parts[1], a, b, "alt" if e[2] else None))
        elif kind == "split":
            _slow_tokens(text, a, b, end, push_tok, push_raw)
        else:
            push_raw(e[0])
            push_tok((e[1][0], a, b, kind))
    # pass 2: fillers, numbers, currencies, stutters
    words, spans, alts = out.words, out.spans, out.alts
    special = _SPECIAL
    i, n = 0, len(toks)
    while i < n:
        w, a, b, kind = toks[i]
        if kind is None and w not in special:  # most words: nothing to do but drop a stutter
            if words and words[-1] == w:  # "the the"
                spans[-1] = (spans[-1][0], b)
            else:
                words.append(w)
                spans.append((a, b))
            i += 1
            continue
        if w in FILLERS:
            i += 1
            continue
        if i + 1 < n and (w, toks[i + 1][0]) in FILLER_PHRASES and _set_off(text, toks, i, start, end):
            i += 2
            continue
        if kind == "sym":
            if w == "%":
                _push(words, spans, "percent", a, b)
                i += 1
                continue
            # "$2.5 million": the number first, then its currency
            if i + 1 < n and (toks[i + 1][3] == "num" or toks[i + 1][0] in _NUMBERISH):
                j, value, b2 = _number(toks, i + 1)
                if value is not None:
                    _push(words, spans, value, a, b2)
                    _push(words, spans, _CURRENCY[w], a, b2)
                    i = j
                    continue
            i += 1  # a lone symbol is punctuation
            continue
        if kind == "num" or w in _NUMBERISH:
            j, value, b2 = _number(toks, i)
            if value is not None:
                _push(words, spans, value, a, b2)
                i = j
                continue
        if kind == "ord":
            w = _fmt(_decimal(w) or Decimal(0)) + "th"
        elif w in _ORDINALS:
            w = f"{_ORDINALS[w]}th"
        elif w in _CURRENCY_WORDS:
            w = _CURRENCY_WORDS[w]
        elif w == "per" and i + 1 < n and toks[i + 1][0] == "cent":
            _push(words, spans, "percent", a, toks[i + 1][2])
            i += 2
            continue
        if words and words[-1] == w and kind is None:  # "the the": a stutter
            spans[-1] = (spans[-1][0], b)
            i += 1
            continue
        if kind == "alt":
            alts[len(words)] = _ALT[w]
        _push(words, spans, w, a, b)
        i += 1
    return out


def _restarts(text: str, w: str, b: int, end: int) -> bool:
    """"we- we went": a word cut off by "-" and taken up by the next is a restart."""
    if b + 1 < end and text[b + 1] not in " \t\n":
        return False
    rest = text[b + 1:min(end, b + 80)]
    nxt = _TOKEN.match(text, b + 1 + len(rest) - len(rest.lstrip()), end)
    return bool(nxt and nxt.lastgroup == "word" and _plain(nxt.group()).startswith(w))


def _slow_tokens(text: str, a: int, b: int, end: int, push_tok, push_raw) -> None:
    for m in _TOKEN.finditer(text, a, b):
        g = m.lastgroup
        x, y = m.span()
        if g == "word":
            w = _plain(m.group())
            push_raw(w)
            if y == b and text.startswith("-", y) and _restarts(text, w, y, end):
                continue
            parts, alt = _expand(w)
            for i, p in enumerate(parts):
                push_tok((p, x, y, "alt" if alt and i == 1 else None))
        elif g == "sym":
            push_tok((m.group(), x, y, "sym"))
            push_raw(m.group())
        else:
            push_tok((m.group("num"), x, y, "ord" if g == "ord" else "num"))
            push_raw(m.group().lower())


def _set_off(text: str, toks: list, i: int, start: int, end: int) -> bool:
    """Whether "you know" / "I mean" at toks[i] stands apart (", you know," / "I mean, …"):
    a filler then, not words of the sentence ("you know what they'll do")."""
    before = text[toks[i - 1][2]:toks[i][1]] if i > 0 else text[start:toks[i][1]]
    after = text[toks[i + 1][2]:toks[i + 2][1]] if i + 2 < len(toks) else text[toks[i + 1][2]:end]
    return bool(_PUNCT.search(before)) or bool(_PUNCT.search(after))


_HAS_WORD = re.compile(r"\w")
_PUNCT = re.compile(r"[,.;:!?…—–-]")
# words the fast path of normalise() leaves to the slow one
_SPECIAL = FILLERS | {a for a, _ in FILLER_PHRASES} | _NUMBERISH | frozenset(_ORDINALS) | \
    frozenset(_CURRENCY_WORDS) | {"per"}


def _push(words: list[str], spans: list[tuple[int, int]], w: str, a: int, b: int) -> None:
    words.append(w)
    spans.append((a, b))


def _number(toks: list[tuple[str, int, int, str | None]], i: int) -> tuple[int, str | None, int]:
    """Read a number at ``toks[i]``: digits (2,500 / 2.5) or words (two thousand five
    hundred), with a scale word after (2.5 million). Returns (next index, digits, end)."""
    n = len(toks)
    w, _, b, kind = toks[i]
    if kind == "num":
        value = _decimal(w)
        if value is None:
            return i + 1, None, b
        j = i + 1
        while j < n and toks[j][0] in _SCALES:
            value *= _SCALES[toks[j][0]]
            b = toks[j][2]
            j += 1
        return j, _fmt(value), b
    total, current, j, seen = 0, 0, i, False
    while j < n:
        t = toks[j][0]
        if t in _UNITS:
            current += _UNITS[t]
        elif t in _TENS:
            current += _TENS[t]
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in _ORDINALS and seen:  # "twenty-first", "one hundredth": the number ends here
            b = toks[j][2]
            return j + 1, f"{total + current + _ORDINALS[t] if _ORDINALS[t] < 100 else (total + (current or 1)) * _ORDINALS[t]}th", b
        elif t in _SCALES:
            if not seen:
                break  # "million" alone is a word
            total += (current or 1) * _SCALES[t]
            current = 0
        elif t == "and" and seen and j + 1 < n and (toks[j + 1][0] in _UNITS or toks[j + 1][0] in _TENS) \
                and (toks[j - 1][0] == "hundred" or toks[j - 1][0] in _SCALES):
            j += 1
            continue
        else:
            break
        seen = True
        b = toks[j][2]
        j += 1
    if not seen:
        return i + 1, None, b
    return j, str(total + current), b


def surface(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words as written (lower-cased, quote marks unified): verbatim means these agree."""
    return normalise(text, start, end).raw


def split_cuts(quote: str) -> tuple[list[str], bool, bool]:
    """A printed quote at its marked cuts: (pieces, cut before the first, cut after the last)."""
    pieces = CUT.split(quote)
    lead = bool(pieces) and not pieces[0].strip(" \t\"'“”‘’«»")
    trail = len(pieces) > 1 and not pieces[-1].strip(" \t\"'“”‘’«».,;:!?")
    kept = [p for p in pieces if _HAS_WORD.search(p)]
    return kept, lead, trail
