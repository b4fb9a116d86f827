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
