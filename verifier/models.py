"""Plain records passed between ingest, extract, link, store and export.

Every record round-trips through ``to_dict``/``from_dict`` so the store and
the export can hold it as JSON without knowing its Python shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

STATUSES = ("unreviewed", "sourced", "unverified", "disputed", "not-a-claim")
VERDICTS = ("sourced", "unverified", "disputed")  # the decisions that are published
# Noise (a caption, a fragment): decided, but kept out of progress counts and reports.
NOT_A_CLAIM = "not-a-claim"
# What a person may correct on a claim; corrections outlive re-ingest and re-link.
CORRECTABLE = ("speaker", "role", "kind")
CLAIM_KINDS = ("quote", "statement", "figure")


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        try:
            return cls(**data)  # the common case; called 100,000s of times on open
        except TypeError:  # a field from another version: keep the ones we know
            names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
            return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class Source(_Record):
    id: str
    key: str  # what makes two captures "the same" source (url, or title + date)
    kind: str  # liveblog | json | text | markdown | html
    path: str
    title: str | None = None
    url: str | None = None
    bylines: list[str] = field(default_factory=list)
    updated: str | None = None  # ISO 8601, the page's own "Updated" time
    ingested_at: str | None = None


@dataclass(slots=True)
class Post(_Record):
    id: str
    source_id: str
    seq: int  # order on the page, top first
    headline: str | None
    body: str  # paragraphs joined by blank lines; claim spans index into it
    byline: str | None = None
    published: str | None = None  # ISO 8601 with offset, None when unknown
    timestamp_raw: str | None = None
    url: str | None = None
    content_hash: str = ""
    is_summary: bool = False
    # Earlier versions, oldest first: {"at", "summary" ("three → five killed"), "headline", "body"}.
    edits: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Number(_Record):
    value: float
    unit: str | None
    text: str
    qualifier: str | None = None


@dataclass(slots=True)
class Claim(_Record):
    id: str
    post_id: str
    kind: str  # quote | statement | figure
    text: str  # the whole sentence(s) the claim stands in
    span: list[int]  # [start, end) into the post body
    quote: str | None = None
    speaker: str | None = None
    role: str | None = None
    channel: str | None = None
    numbers: list[dict[str, Any]] = field(default_factory=list)
    checkworthiness: float = 0.0
    cluster_id: str | None = None
    retired: bool = False  # the post was edited and this claim is gone from it


@dataclass(slots=True)
class Verdict(_Record):
    claim_id: str
    status: str = "unreviewed"
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    updated_at: str | None = None
    by: str | None = None


@dataclass(slots=True)
class Reference(_Record):
    """A text quotes are checked against (a transcript, a statement), kept apart from posts."""

    id: str  # content id of the text
    path: str
    kind: str
    title: str
    text: str
    speaker: str | None = None  # whose words these are, when the whole text is one person's
    url: str | None = None
    added_at: str | None = None


@dataclass(slots=True)
class Cluster(_Record):
    id: str
    claim_ids: list[str]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
