"""Realistic synthetic corpora built from the sample live blog's own sentences.

Names, places and figures are varied so claims differ the way a season of
live blogs does, without any data we may not ship.
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "cnn-ukraine-2023-02-02.txt"

PLACES = ["Kramatorsk", "Kherson", "Bakhmut", "Odesa", "Kharkiv", "Zaporizhzhia", "Dnipro", "Lviv",
          "Mykolaiv", "Sumy", "Chernihiv", "Poltava", "Izium", "Avdiivka", "Vuhledar", "Soledar"]
PEOPLE = ["Pavlo Kyrylenko", "Oleksandr Honcharenko", "Sergey Lavrov", "Josep Borrell",
          "Andriy Yermak", "Dmytro Kuleba", "Olena Petrenko", "Ivan Fedorov", "Maria Zakharova",
          "Oleh Syniehubov", "Vitali Klitschko", "Serhiy Haidai", "Yurii Malashko", "Anna Novak"]


def sample_paragraphs() -> list[str]:
    from verifier.ingest import read_document

    doc = read_document(str(SAMPLE))
    return [p for post in doc.posts for p in post.paragraphs]


def vary(paragraph: str, rng: random.Random) -> str:
    out = paragraph
    for place in ("Kramatorsk", "Kherson", "Komyshany", "Melitopol"):
        out = out.replace(place, rng.choice(PLACES))
    for person in ("Pavlo Kyrylenko", "Oleksandr Honcharenko", "Josep Borrell"):
        out = out.replace(person, rng.choice(PEOPLE))
    for n in ("15,000", "30,000", "13", "five", "eight", "three", "25", "44"):
        out = out.replace(n, str(rng.randint(2, 40000)), 1)
    return out


def liveblog_text(posts: int, seed: int = 1) -> str:
    """A live blog of `posts` posts in the sample's page layout."""
    rng = random.Random(seed)
    paras = sample_paragraphs()
    lines = ["Synthetic live updates By Bench Writer, CNN", "Updated 10:42 a.m. ET, February 2, 2023",
             f"{posts} Posts", "Sort by"]
    for i in range(posts):
        lines.append(f"{i // 60} hr {i % 60} min ago" if i % 60 else f"{i // 60 + 1} hr ago")
        lines.append(f"Update {i} from {rng.choice(PLACES)}: {rng.choice(PEOPLE)} speaks")
        lines.append("From CNN's Bench Writer")
        for _ in range(rng.randint(3, 7)):
            lines.append(vary(rng.choice(paras), rng))
    return "\n".join(lines) + "\n"


def _pseudo_words(n: int, rng: random.Random, capital: bool = False) -> list[str]:
    syll = ["ka", "ro", "vin", "sa", "lo", "mer", "ta", "shi", "no", "ve", "dar", "ul", "pe", "zor",
            "ban", "te", "ki", "mo", "ra", "len", "go", "sti", "hu", "bel", "na", "cor", "di", "fa"]
    out = set()
    while len(out) < n:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        out.add(w.capitalize() if capital else w)
    return sorted(out)


def claim_texts(n: int, seed: int = 3, dup_share: float = 0.2) -> list[tuple[str, int]]:
    """About n claim sentences as (text, post number); some restated in later posts with edits.

    Skeletons are the sample's sentences; capitalised words become names from a
    pool of 30,000, figures change, and most of the other words are drawn
    from a Zipf-distributed vocabulary, so rare words are as rare as in news
    and unrelated claims share no more than their function words.
    """
    import re

    from verifier.extract.sentences import split

    rng = random.Random(seed)
    skeletons = []
    for p in sample_paragraphs():
        skeletons += [p[a:b] for a, b in split(p) if len(p[a:b].split()) >= 8]
    names = _pseudo_words(30000, rng, capital=True)
    vocab = _pseudo_words(20000, rng)
    weights = [1 / (i + 1) for i in range(len(vocab))]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    import bisect

    def zipf_word() -> str:
        return vocab[bisect.bisect_left(cum, rng.random() * total)]

    def fresh(skel: str) -> str:
        out = []
        for w in skel.split():
            core = w.strip(".,“”\"'’()")
            if core[:1].isupper() and len(core) > 2:
                out.append(w.replace(core, rng.choice(names)))
            elif re.fullmatch(r"[\d,.]+", core) and core[:1].isdigit():
                out.append(w.replace(core, f"{rng.randint(2, 90000):,}"))
            elif len(core) > 3 and rng.random() < 0.7:
                out.append(w.replace(core, zipf_word()))
            else:
                out.append(w)
        return " ".join(out)

    def restate(text: str) -> str:
        words = text.split()
        edit = rng.random()
        if edit < 0.3 and len(words) > 12:
            cut = rng.randint(len(words) * 3 // 4, len(words) - 1)
            return " ".join(words[:cut]) + "."
        if edit < 0.55:
            i = rng.randrange(len(words))
            words[i] = zipf_word()
            return " ".join(words)
        if edit < 0.8:
            return text.rstrip(".") + f", according to {rng.choice(names)} {rng.choice(names)}."
        return re.sub(r"\d[\d,]*", lambda m: f"{rng.randint(2, 90000):,}", text, count=1)

    out: list[tuple[str, int]] = []
    post = 0
    while len(out) < n:
        post += 1
        for _ in range(rng.randint(3, 8)):
            text = fresh(rng.choice(skeletons))
            out.append((text, post))
            if rng.random() < dup_share:
                for k in range(rng.randint(1, 3)):
                    out.append((restate(text), post + 1 + k))
    return out[:n]
