"""Plain text (one post) and Markdown (one post per heading) articles."""

from __future__ import annotations

import re

from verifier.ingest.document import RawDocument, RawPost

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _paragraphs(lines: list[str], markdown: bool) -> list[str]:
    paras: list[str] = []
    buf: list[str] = []
    for ln in lines + [""]:
        s = ln.strip()
        if markdown:
            s = re.sub(r"^(?:>\s*|[-*+]\s+|\d+\.\s+)", "", s)
            for pat, rep in _INLINE:
                s = pat.sub(rep, s)
            if re.fullmatch(r"[-*_]{3,}", s):
                s = ""
        bullet = markdown and re.match(r"^\s*(?:[-*+]|\d+\.)\s+", ln)
        if not s or bullet:
            if buf:
                paras.append(" ".join(buf))
                buf = []
            if s:
                buf.append(s)
            continue
        buf.append(s)
    if buf:
        paras.append(" ".join(buf))
    return paras


def parse_text(text: str, path: str) -> RawDocument:
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    head = lines[first].strip()
    # A short first line without closing punctuation, followed by a blank line, is a title.
    is_title = (
        len(head) < 150 and not head.endswith((".", '"', "\u201d", ":"))
        and first + 1 < len(lines) and not lines[first + 1].strip()
    )
    paras = _paragraphs(lines[first + 1:] if is_title else lines[first:], markdown=False)
    post = RawPost(headline=head if is_title else None, paragraphs=paras)
    return RawDocument(kind="text", path=path, posts=[post], title=post.headline)


def parse_markdown(text: str, path: str) -> RawDocument:
    sections: list[tuple[int, str | None, list[str]]] = [(0, None, [])]
    for ln in text.split("\n"):
        m = HEADING.match(ln.strip())
        if m:
            sections.append((len(m.group(1)), m.group(2), []))
        else:
            sections[-1][2].append(ln)
    title = None
    levels = [lvl for lvl, _, _ in sections if lvl]
    # A single top-level heading over lower ones is the document title.
    if levels and levels.count(min(levels)) == 1 and len(levels) > 1:
        idx = next(i for i, s in enumerate(sections) if s[0] == min(levels))
        title = sections[idx][1]
        lvl, _, body = sections[idx]
        sections[idx] = (lvl, None, body)
    posts = []
    for _, heading, body in sections:
        paras = _paragraphs(body, markdown=True)
        if paras:
            posts.append(RawPost(headline=heading, paragraphs=paras))
    if not posts:
        posts = [RawPost(headline=title, paragraphs=[title or ""])]
    return RawDocument(kind="markdown", path=path, posts=posts, title=title)
