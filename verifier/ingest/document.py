"""What every reader returns: a source and its posts, before ids are assigned."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawPost:
    headline: str | None
    paragraphs: list[str]
    byline: str | None = None
    published: str | None = None  # ISO 8601
    timestamp_raw: str | None = None
    url: str | None = None
    is_summary: bool = False

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(slots=True)
class RawDocument:
    kind: str
    path: str
    posts: list[RawPost]
    title: str | None = None
    url: str | None = None
    bylines: list[str] = field(default_factory=list)
    updated: str | None = None
    description: str | None = None  # a live blog's standfirst, under its title
