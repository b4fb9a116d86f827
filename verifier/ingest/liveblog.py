"""Live-blog text as copied from a live-blog page.

Shape: a header (title and "By …" bylines, "Updated …", "N Posts", "Sort by"),
then posts, each a time stamp line, a headline, a byline ("From CNN's …") and
paragraphs. Page furniture is dropped; a summary block with no time stamp
("What we covered here") becomes a post of its own.
"""

from __future__ import annotations

import re

from verifier.ingest import timestamps
from verifier.ingest.document import RawDocument, RawPost

UPDATED = re.compile(r"^(?:Updated|Last updated)\s+(?P<stamp>.+)$", re.IGNORECASE)
POST_COUNT = re.compile(r"^\d+\s+(?:new\s+)?posts?$", re.IGNORECASE)
BYLINE = re.compile(r"^(?:From|By|Reporting by)\s+\S", re.IGNORECASE)
SUMMARY_HEADING = re.compile(
    r"^(?:what we covered here|what you need to know|what to know|key developments|"
    r"catch up|the latest|here'?s the latest|key points)\b.*$",
    re.IGNORECASE,
)
FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^sort by\b.*$",
        r"^(?:newest|oldest)(?: first)?$",
        r"^want to help\?.*$",
        r"^(?:sign up|subscribe)\b.{0,120}$",
        r"^(?:watch|listen|read more|related|see more|link copied!?|copy link|share)\s*[:!]?.{0,80}$",
        r"^(?:advertisement|ad feedback|paid content|show all|load more|loading)$",
        # photo credits: "(Photo by …)", "Photo: …", "… /Getty Images", "AP Photo"
        r"^\(?(?:photo|image|video|pictured|credit)s?\s*(?:by|:|credit).{0,160}$",
        r"^.{0,120}(?:/|\|)\s*(?:getty images|reuters|ap|afp|ap photo|cnn|bloomberg|shutterstock|anadolu agency)\)?$",
        r"^.{0,60}\b(?:getty images|ap photo|afp via getty images|reuters)\)?$",
    )
]


def _is_furniture(line: str) -> bool:
    return bool(POST_COUNT.match(line)) or any(p.match(line) for p in FURNITURE)


def looks_like_liveblog(text: str) -> bool:
    """At least two time-stamp lines, each followed by a headline: a live blog."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    stamps = sum(1 for ln in lines if len(ln) < 60 and timestamps.is_timestamp(ln))
    return stamps >= 2 or (stamps >= 1 and any(UPDATED.match(ln) for ln in lines[:10]))


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """Captions copy twice (alt text and caption): a line equal to its neighbour is furniture."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[i]:
            j += 1
        if j == i:
            out.append(lines[i])
        i = j + 1
    return out


def _split_title(line: str) -> tuple[str | None, list[str]]:
    """'Title By A, B and C, CNN' → ('Title', ['A', 'B', 'C', 'CNN'])."""
    m = re.search(r"(?:^|\s)By\s+(.+)$", line)
    if not m:
        return line.strip() or None, []
    title = line[: m.start()].strip() or None
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+", m.group(1)) if n.strip()]
    return title, names


def parse(text: str, path: str) -> RawDocument:
    lines = [ln.strip() for ln in text.split("\n")]
    lines = _drop_repeated_lines([ln for ln in lines if ln])

    first_stamp = next((i for i, ln in enumerate(lines) if timestamps.is_timestamp(ln)), len(lines))
    header, body = lines[:first_stamp], lines[first_stamp:]

    title: str | None = None
    bylines: list[str] = []
    updated = None
    summary_lines: list[str] = []
    for ln in header:
        m = UPDATED.match(ln)
        if m and updated is None and timestamps.parse_absolute(m["stamp"]):
            updated = timestamps.parse_absolute(m["stamp"])
        elif _is_furniture(ln):
            continue
        elif title is None and not bylines and not summary_lines:
            title, bylines = _split_title(ln)
        elif BYLINE.match(ln) and not bylines and not summary_lines:
            bylines = _split_title(ln)[1]
        else:
            summary_lines.append(ln)

    posts: list[RawPost] = []
    if summary_lines:
        posts.append(_summary_post(summary_lines))

    current: list[str] | None = None
    blocks: list[list[str]] = []
    for ln in body:
        if timestamps.is_timestamp(ln):
            current = [ln]
            blocks.append(current)
        elif current is not None:
            current.append(ln)

    for block in blocks:
        stamp, rest = block[0], [ln for ln in block[1:] if not _is_furniture(ln)]
        # A summary heading inside a post's tail starts an untimed summary post.
        cut = next((i for i, ln in enumerate(rest) if i > 1 and SUMMARY_HEADING.match(ln)
                    and not ln.endswith(".")), None)
        tail: list[str] = []
        if cut is not None:
            rest, tail = rest[:cut], rest[cut:]
        headline = rest[0] if rest else None
        rest = rest[1:]
        byline = None
        if rest and BYLINE.match(rest[0]):
            byline = re.sub(r"^(?:From|By)\s+", "", rest[0], flags=re.IGNORECASE)
            rest = rest[1:]
        when = timestamps.resolve(stamp, updated)
        posts.append(RawPost(
            headline=headline,
            paragraphs=rest,
            byline=byline,
            published=when.isoformat() if when else None,
            timestamp_raw=stamp,
        ))
        if tail:
            posts.append(_summary_post(tail))

    return RawDocument(
        kind="liveblog",
        path=path,
        posts=posts,
        title=title,
        bylines=bylines,
        updated=updated.isoformat() if updated else None,
    )


def _summary_post(lines: list[str]) -> RawPost:
    headline = lines[0] if SUMMARY_HEADING.match(lines[0]) or len(lines) == 1 else None
    paras = lines[1:] if headline else lines
    paras = [re.sub(r"^[•\-*–]\s*", "", p) for p in paras]
    return RawPost(headline=headline, paragraphs=paras, is_summary=True)
