"""Quote cases built from real transcripts (CLEF CheckThat! 2022 task 2B debates and speeches).

One general generator for tests and benchmarks/bench_quotes.py: every case takes
a real sentence said by a real speaker and does to it what a journalist (or a
misquoter) does, with the expected answer known by construction:

  verbatim      the sentence (or two of one turn), case and quote marks changed
  filler        the transcript's fillers and stutters left out           -> minor
  contraction   contractions written out or made ("we'd"/"we would")       -> minor
  number        a number in another format (5/five, 2,500/2500, 9%/9 percent) -> minor
  common        a short sentence of common words only                    -> verbatim
  partial       words cut from the start and/or end of a sentence        -> partial
  marked cut    a run of words replaced by "...", "…" or "[...]"           -> partial, omitted words shown
  unmarked cut  a clause or run of words dropped silently                -> altered, the dropped words named
  changed       a word replaced, a figure changed, "not" added           -> altered, the change named
  speaker       a verbatim sentence attributed to another speaker        -> verbatim, flagged
  elsewhere     a sentence from another transcript                       -> not found

The generator's own tables (contractions, number words) are independent of
verifier.quotecheck.words, so a case never agrees with the checker by sharing
its code.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

NON_SPEAKERS = {"SYSTEM", "QUESTION", "UNKNOWN", "AUDIENCE", "UNIDENTIFIED", "CROWD"}
_FILLER = re.compile(r"(?:,\s*)?\b(?:uh|um|you know(?=,))\b,?\s*", re.I)
_CONTRACT = {
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "cannot", "won't": "will not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "haven't": "have not", "wouldn't": "would not",
    "it's": "it is", "that's": "that is", "we're": "we are", "they're": "they are", "you're": "you are",
    "I'm": "I am", "we've": "we have", "I've": "I have", "you've": "you have", "they've": "they have",
    "I'll": "I will", "we'll": "we will", "you'll": "you will", "there's": "there is", "what's": "what is",
    "let's": "let us", "he's": "he is", "she's": "she is", "I'd": "I would", "we'd": "we would",
    "you'd": "you would", "they'd": "they would", "who's": "who is",
}
_UNCONTRACT = {v.lower(): k for k, v in _CONTRACT.items() if v not in ("cannot",)}
_SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
         "sixteen seventeen eighteen nineteen twenty".split()
_STOP = set("the a an and or but of to in on at for with by from as is are was were be been it this that these "
            "those i you he she we they them us our your his her their my me not no so if then than there here "
            "what which who whom when where why how all any some very just also do does did have has had will "
            "would can could should may might must".split())


@dataclass
class Row:
    line: int
    speaker: str
    text: str


@dataclass
class Case:
    kind: str
    transcript: Path
    quote: str
    expect: str  # one of the five classes
    speaker: str | None = None  # who the quote is attributed to
    flag: bool = False  # True when the source gives the words to someone else
    dropped: list[str] = field(default_factory=list)  # words a cut left out (marked or not)
    said: str = ""  # changed: the words as said
    quoted: str = ""  # changed: the words as quoted


def read_rows(path: Path) -> list[Row]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cols = line.split("\t")
        if len(cols) >= 3:
            rows.append(Row(n, cols[1].strip(), " ".join("\t".join(cols[2:]).split())))
    return rows


def _key(s: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", s.lower().replace("’", "'").replace("'", "")))


def _plain_words(s: str) -> list[str]:
    return s.split()


def _clean_gap(a: str, b: str) -> bool:
    """A cut between two words is a plain cut: no punctuation either side."""
    return bool(re.fullmatch(r"[\w'’]+", a)) and bool(re.fullmatch(r"[\w'’]+", b))


def _restyle(s: str, rng: random.Random) -> str:
    """What a printed quote does to the words without changing them: case, quote marks."""
    s = s.replace("'", "’") if rng.random() < 0.5 else s
    if rng.random() < 0.3:
        s = s[0].lower() + s[1:]
    return s


def generate(transcripts: list[Path], per_kind: int = 3, seed: int = 0) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    texts = {p: read_rows(p) for p in transcripts}
    keys = {p: _key(" ".join(r.text for r in rows)) for p, rows in texts.items()}
    for path, rows in texts.items():
        speakers = sorted({r.speaker for r in rows if r.speaker.upper() not in NON_SPEAKERS})
        counts: dict[str, int] = {}
        for r in rows:
            counts[_key(r.text)] = counts.get(_key(r.text), 0) + 1
        whole = keys[path]
        # sentences said once, by a person, long enough to be quoted
        good = [i for i, r in enumerate(rows) if r.speaker.upper() not in NON_SPEAKERS
                and 8 <= len(r.text.split()) <= 45 and counts[_key(r.text)] == 1
                and whole.count(_key(r.text)) == 1]
        if len(good) < 10:
            continue
        rng.shuffle(good)
        made: dict[str, int] = {}

        def add(c: Case) -> None:
            if made.get(c.kind, 0) < per_kind:
                made[c.kind] = made.get(c.kind, 0) + 1
                cases.append(c)

        for i in good:
            r = rows[i]
            words = _plain_words(r.text)
            base = dict(transcript=path, speaker=r.speaker)
            add(Case("verbatim", quote=_restyle(r.text, rng), expect="verbatim", **base))
            if i + 1 < len(rows) and rows[i + 1].speaker == r.speaker and len(rows[i + 1].text.split()) >= 3:
                add(Case("verbatim", quote=r.text + " " + rows[i + 1].text, expect="verbatim", **base))
            if _FILLER.search(r.text):
                q = _FILLER.sub(" ", r.text)
                q = " ".join(q.split())
                if len(q.split()) >= 6:
                    add(Case("filler", quote=q, expect="minor", **base))
            q = _contraction(r.text, rng)
            if q:
                add(Case("contraction", quote=q, expect="minor", **base))
            q = _number(r.text, rng)
            if q:
                add(Case("number", quote=q, expect="minor", **base))
            # partial: cut at plain word gaps only
            n = len(words)
            a = rng.randint(1, max(1, n // 3)) if rng.random() < 0.7 else 0
            b = n - (rng.randint(1, max(1, n // 3)) if a == 0 or rng.random() < 0.5 else 0)
            if b - a >= 6 and (a == 0 or _clean_gap(words[a - 1], words[a])) and \
                    (b == n or _clean_gap(words[b - 1], words[b])):
                add(Case("partial", quote=" ".join(words[a:b]), expect="partial", **base))
            # marked cut: a run of 2-8 words in the middle
            if n >= 12:
                x = rng.randint(3, n - 6)
                y = min(n - 3, x + rng.randint(2, 8))
                if _clean_gap(words[x - 1], words[x]) and _clean_gap(words[y - 1], words[y]):
                    mark = rng.choice([" ... ", " … ", " [...] ", "... "])
                    add(Case("marked cut", quote=" ".join(words[:x]) + mark + " ".join(words[y:]),
                             expect="partial", dropped=words[x:y], **base))
            # unmarked cut: a clause between commas, or a run of words
            q, gone = _drop(words, rng)
            if q:
                add(Case("unmarked cut", quote=q, expect="altered", dropped=gone, **base))
            got = _change(words, rows, rng)
            if got:
                q, said, quoted = got
                add(Case("changed", quote=q, expect="altered", said=said, quoted=quoted, **base))
            others = [s for s in speakers if _last(s) != _last(r.speaker)]
            if others:
                add(Case("speaker", quote=r.text, expect="verbatim", transcript=path,
                         speaker=rng.choice(others), flag=True))
            if min(made.get(k, 0) for k in ("verbatim", "partial", "marked cut", "unmarked cut", "changed")) >= per_kind:
                break
        # common words: a short sentence made only of the transcript's frequent words
        freq: dict[str, int] = {}
        for w in whole.split():
            freq[w] = freq.get(w, 0) + 1
        top = {w for w, _ in sorted(freq.items(), key=lambda x: -x[1])[:150]}
        commons = [r for r in rows if r.speaker.upper() not in NON_SPEAKERS and 5 <= len(r.text.split()) <= 10
                   and set(_key(r.text).split()) <= top and counts[_key(r.text)] == 1
                   and whole.count(_key(r.text)) == 1]
        for r in rng.sample(commons, min(per_kind, len(commons))):
            cases.append(Case("common", transcript=path, quote=r.text, expect="verbatim", speaker=r.speaker))
        # elsewhere: sentences of other transcripts, absent here
        pool = [p for p in texts if p != path]
        for _ in range(per_kind):
            if not pool:
                break
            other = texts[rng.choice(pool)]
            cand = [r for r in other if 10 <= len(r.text.split()) <= 40 and _key(r.text) not in whole]
            if cand:
                r = rng.choice(cand)
                cases.append(Case("elsewhere", transcript=path, quote=r.text, expect="not found", speaker=r.speaker))
    return cases


def _last(name: str) -> str:
    """A speaker's surname: "O'MALLEY (?)", "SEN. BERNIE SANDERS (I), VERMONT" are O'Malley, Sanders."""
    name = re.sub(r"\([^)]*\)?", " ", name).split(",")[0]
    parts = name.replace(".", " ").split()
    return parts[-1].lower() if parts else ""


def _contraction(text: str, rng: random.Random) -> str | None:
    words = text.split()
    spots = []
    for i, w in enumerate(words):
        core = w.strip(".,;:?!\"")
        if core.replace("’", "'") in _CONTRACT:
            spots.append(("expand", i, core))
        if i + 1 < len(words) and re.fullmatch(r"[\w']+", w) and re.fullmatch(r"[\w']+[.,;:?!]?", words[i + 1]):
            pair = f"{w} {words[i + 1].rstrip('.,;:?!')}".lower()
            if pair in _UNCONTRACT:
                spots.append(("make", i, pair))
    if not spots:
        return None
    how, i, core = rng.choice(spots)
    if how == "expand":
        full = _CONTRACT[core.replace("’", "'")]
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if core.endswith("'s") and (nxt in ("been", "got", "had") or nxt.endswith("ed")):
            full = full.replace(" is", " has")
        if core.endswith("'d") and (nxt in ("been", "had") or nxt.endswith("ed")):
            full = full.replace(" would", " had")
        if core[0].isupper():
            full = full[0].upper() + full[1:]
        words[i] = words[i].replace(core, full)
    else:
        made = _UNCONTRACT[core]
        if words[i][0].isupper():
            made = made[0].upper() + made[1:]
        tail = words[i + 1][len(words[i + 1].rstrip(".,;:?!")):]
        words[i:i + 2] = [made + tail]
    return " ".join(words)


def _number(text: str, rng: random.Random) -> str | None:
    spots = []
    for m in re.finditer(r"(?<![\w.,$])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.,]?\d)(?![^\W\d])", text):
        v = int(m.group(1).replace(",", ""))
        if "," in m.group(1):
            spots.append((m.span(1), str(v)))
        elif v >= 10000:
            spots.append((m.span(1), f"{v:,}"))
        elif v <= 20:
            spots.append((m.span(1), _SMALL[v]))
    for m in re.finditer(r"\b(\d+(?:\.\d+)?) percent\b", text):
        spots.append((m.span(), m.group(1) + "%"))
    for m in re.finditer(r"\b(\d+(?:\.\d+)?)%", text):
        spots.append((m.span(), m.group(1) + " percent"))
    for m in re.finditer(r"\$(\d+(?:\.\d+)?) (million|billion)\b", text):
        v = float(m.group(1)) * (10 ** 6 if m.group(2) == "million" else 10 ** 9)
        spots.append((m.span(), f"{int(v):,} dollars"))
    for m in re.finditer(r"\b(" + "|".join(_SMALL[2:]) + r")\b", text):
        spots.append((m.span(), str(_SMALL.index(m.group(1)))))
    if not spots:
        return None
    (a, b), new = rng.choice(spots)
    return text[:a] + new + text[b:]


def _drop(words: list[str], rng: random.Random) -> tuple[str | None, list[str]]:
    n = len(words)
    # a clause between two commas (the first word after the comma to the next comma)
    commas = [i for i, w in enumerate(words) if w.endswith(",")]
    pairs = [(commas[k] + 1, commas[k + 1] + 1) for k in range(len(commas) - 1)
             if 2 <= commas[k + 1] - commas[k] <= 8 and commas[k + 1] + 1 < n]
    if pairs and rng.random() < 0.6:
        a, b = rng.choice(pairs)
    else:
        if n < 10:
            return None, []
        a = rng.randint(2, n - 5)
        b = min(n - 2, a + rng.randint(2, 5))
        if not (_clean_gap(words[a - 1], words[a]) and _clean_gap(words[b - 1], words[b])):
            return None, []
    gone = words[a:b]
    kept = words[:a] + words[b:]
    left, right = _key(words[a - 1]) if a else "", _key(words[b]) if b < n else ""
    if left == right or _key(" ".join(kept)) in _key(" ".join(words)) or \
            set(_key(" ".join(gone)).split()) <= {"uh", "um", "you", "know", "i", "mean"}:
        return None, []  # a cut that makes a stutter, leaves a run said as it is, or drops a filler
    # the cut must leave the quote telling: at least 6 words, and not a copy of another place
    if len(kept) < 6 or len(gone) * 3 > n or " ".join(gone).lower() in " ".join(kept).lower():
        return None, []
    return " ".join(kept), gone


def _change(words: list[str], rows: list[Row], rng: random.Random) -> tuple[str, str, str] | None:
    n = len(words)
    how = rng.random()
    spots = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Za-z]{4,}", w) and w.lower() not in _STOP]
    nums = [i for i, w in enumerate(words) if re.fullmatch(r"\d{2,}", w.strip(".,;:"))]
    if nums and how < 0.3:
        i = rng.choice(nums)
        core = words[i].strip(".,;:")
        new = str(int(core) + rng.choice([1, 2, 3, 7, 10]))
        q = words[:i] + [words[i].replace(core, new)] + words[i + 1:]
        return " ".join(q), core, new
    if how < 0.45:
        verbs = [i for i in range(1, n - 1) if words[i].lower() in ("is", "are", "was", "were", "will", "can")
                 and _clean_gap(words[i], words[i + 1]) and words[i + 1].lower() != "not"]
        if verbs:
            i = rng.choice(verbs)
            return " ".join(words[:i + 1] + ["not"] + words[i + 1:]), "", "not"
    if not spots:
        return None
    i = rng.choice(spots)
    core = re.sub(r"\W+$", "", words[i])
    pool = [w for r in rng.sample(rows, min(40, len(rows))) for w in r.text.split()
            if re.fullmatch(r"[a-z]{5,}", w) and w not in _STOP and w != core.lower()
            and w not in (x.lower().strip(".,;:") for x in words)]
    if not pool:
        return None
    new = rng.choice(pool)
    q = words[:i] + [words[i].replace(core, new, 1)] + words[i + 1:]
    return " ".join(q), core, new


def key_words(s: str) -> str:
    """Words compared without case, punctuation or quote marks (for judging a diff)."""
    return _key(s)


def _rotation(a: list[str], b: list[str]) -> bool:
    """Whether run ``a`` is run ``b`` slid along repeated words ("the giving of" / "giving of
    the" dropped from "the giving of the money"): the same cut, told at another place."""
    return len(a) == len(b) and any(a == b[k:] + b[:k] for k in range(len(b) or 1))


def judge(case: Case, m) -> dict[str, bool | None]:
    """How the checker's answer ``m`` (a QuoteMatch) fares on ``case``: class right; for
    cuts, the omitted or dropped words named; for changes, the change named as said
    and as quoted; for speakers, a flag exactly when the words are someone else's."""
    from verifier.quotecheck.align import same_person

    out: dict[str, bool | None] = {"class": m.status == case.expect, "cut": None, "change": None, "flag": None}
    if case.kind == "marked cut":
        omitted = [d for d in m.diff if d["op"] == "omit"]
        out["cut"] = m.status == "partial" and len(omitted) == 1 and _key(omitted[0]["source"]) == _key(
            " ".join(case.dropped))
    elif case.kind == "unmarked cut":
        ops = [d for d in m.diff if d["op"] != "equal"]
        out["cut"] = m.status == "altered" and len(ops) == 1 and ops[0]["op"] == "delete" and _rotation(
            _key(ops[0]["source"]).split(), _key(" ".join(case.dropped)).split())
    elif case.kind == "changed":
        ops = m.diff
        out["change"] = m.status == "altered" and len(ops) == 1 and _key(ops[0]["source"]) == _key(case.said) \
            and _key(ops[0]["quote"]) == _key(case.quoted)
    if m.found and case.speaker:
        flagged = same_person(case.speaker, m.speaker) is False
        out["flag"] = flagged == case.flag
    return out
