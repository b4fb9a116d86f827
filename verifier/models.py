"""Plain records passed between ingest, extract, link, store and export.

Every record round-trips through ``to_dict``/``from_dict`` so the store and
the export can hold it as JSON without knowing its Python shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, TypeVar

from verifier.validate import Checker

Status = Literal["unreviewed", "sourced", "unverified", "disputed", "not-a-claim"]
ClaimKind = Literal["quote", "statement", "figure"]
STATUSES: tuple[Status, ...] = ("unreviewed", "sourced", "unverified", "disputed", "not-a-claim")
VERDICTS: tuple[Status, ...] = ("sourced", "unverified", "disputed")  # the decisions that are published
# Noise (a caption, a fragment): decided, but kept out of progress counts and reports.
NOT_A_CLAIM: Status = "not-a-claim"
# What a person may correct on a claim; corrections outlive re-ingest and re-link.
CORRECTABLE = ("speaker", "role", "kind")
CLAIM_KINDS: tuple[ClaimKind, ...] = ("quote", "statement", "figure")

R = TypeVar("R", bound="_Record")


class _Record:
    # Built on first use from the dataclass's annotations (see validate.py).
    _checker: Checker | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[R], data: dict[str, Any]) -> R:
        """The record from its stored dict. Types are not checked here: see ``problems``."""
        try:
            return cls(**data)  # the common case; called 100,000s of times on open
        except TypeError:  # a field from another version: keep the ones we know
            names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
            return cls(**{k: v for k, v in data.items() if k in names})

    @classmethod
    def checker(cls) -> Checker:
        c = cls.__dict__.get("_checker")
        if c is None:
            c = Checker(cls)
            type.__setattr__(cls, "_checker", c)
        return c

    @classmethod
    def problems(cls, data: object, where: str) -> list[str]:
        """One line per field whose type or value is wrong ("claims/ab12.text: expected text, got 3")."""
        return cls.checker().problems(data, where)

    @classmethod
    def checked(cls: type[R], data: object, where: str) -> R:
        """``from_dict`` after checking every field; ValueError naming the first bad field otherwise."""
        if not cls.checker().ok(data):
            raise ValueError(cls.problems(data, where)[0])
        assert isinstance(data, dict)
        return cls.from_dict(data)


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
    """A figure in a claim. Claims hold them as dicts (``Claim.numbers``); ``Claim.figures()`` types them."""

    value: float
    unit: str | None
    text: str
    qualifier: str | None = None
    kind: str | None = None  # count | approximate ("hundreds": value is the least meant) | money | percent | ordinal | age | duration


@dataclass(slots=True)
class Claim(_Record):
    id: str
    post_id: str
    kind: ClaimKind
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

    def figures(self) -> list[Number]:
        return [Number.from_dict(n) for n in self.numbers]


@dataclass(slots=True)
class Verdict(_Record):
    claim_id: str
    status: Status = "unreviewed"
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    updated_at: str | None = None
    by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # asdict's deep copy cost ~0.1 ms a verdict: a 500-claim cluster tag writes 1,000 of them
        return {"claim_id": self.claim_id, "status": self.status, "note": self.note,
                "evidence": list(self.evidence), "updated_at": self.updated_at, "by": self.by}


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


LINK_TIERS = ("auto", "suggested", "confirmed", "merged")


@dataclass(slots=True)
class Link(_Record):
    """One claim's link to another: a cluster member to the claim it matched, or a suggestion.

    Stored as a plain dict inside Cluster.links and the suggestions table."""

    a: str  # the member (or the suggested claim)
    b: str  # the claim it was matched to: its group's representative, or the one a person named
    score: float  # 0-100
    matched: str  # which scorer decided, in words ("same words", "clause (token_sort 92)", ...)
    tier: str = "auto"  # auto | suggested | confirmed | merged
    reason: str = ""  # why only suggested: score, short, negation

    def to_dict(self) -> dict[str, Any]:  # asdict() is slow, and this runs once per clustered claim
        return {"a": self.a, "b": self.b, "score": self.score, "matched": self.matched,
                "tier": self.tier, "reason": self.reason}


@dataclass(slots=True)
class Cluster(_Record):
    """Claims that state the same thing. Linear in its members: one link per member (not per pair),
    and conflicts between each member and the representative."""

    id: str
    claim_ids: list[str]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)  # Link.to_dict() per member but the rep
    rep: str | None = None  # the representative claim new claims are compared with

    def conflict_records(self) -> list[Conflict]:
        return [Conflict.from_dict(c) for c in self.conflicts]

    def link_records(self) -> list[Link]:
        return [Link.from_dict(link) for link in self.links]


@dataclass(slots=True)
class Conflict(_Record):
    """Where two linked claims disagree. ``describe`` is the one way to put it in words."""

    type: str  # figure | speaker | quote | negation
    claims: list[str]
    unit: str | None = None  # figure
    values: list[float] = field(default_factory=list)  # figure
    texts: list[str] = field(default_factory=list)  # figure: the figures as written
    speakers: list[str] = field(default_factory=list)  # speaker
    diff: list[dict[str, Any]] = field(default_factory=list)  # quote: word ops
    words: list[str] = field(default_factory=list)  # negation: the words on one side only

    def describe(self) -> str:
        """One plain line (untrusted parts not escaped: pass it through text.one_line to show it)."""
        if self.type == "figure" and len(self.texts) == 2:
            unit = f" ({self.unit})" if self.unit else ""
            return f"figure differs: {self.texts[0]} vs {self.texts[1]}{unit}"
        if self.type == "speaker" and len(self.speakers) == 2:
            return f"quote credited to {self.speakers[0]} and to {self.speakers[1]}"
        if self.type == "quote":
            parts = [f"-{d.get('old')}" if d.get("op") == "delete" else f"+{d.get('new')}"
                     if d.get("op") == "insert" else f"{d.get('old')} -> {d.get('new')}" for d in self.diff]
            return "quote wording differs: " + "; ".join(parts)
        if self.type == "negation":
            return "negation differs: " + ", ".join(self.words)
        return f"{self.type} differs"


@dataclass(slots=True)
class Decision(_Record):
    """A person's decision, replayed after every re-link and re-ingest: a split (one claim out of
    its cluster), a merge (two claims' clusters together), a confirmed / rejected suggestion
    (pairs), a correction of a claim's speaker, role or kind, or an undo (a linking decision taken
    back with z: the replay leaves out the decision numbered ``undoes``)."""

    op: Literal["split", "merge", "confirm", "reject", "correct", "undo"]
    claim_id: str | None = None  # split, correct
    claim_ids: list[str] = field(default_factory=list)  # merge: two ids
    pairs: list[list[str]] = field(default_factory=list)  # confirm / reject: suggested pairs [a, b]
    field: str | None = None  # correct: speaker | role | kind
    value: str | None = None  # correct: the person's value
    was: str | None = None  # correct: what extraction said
    seq: int | None = None  # journal sequence number, set by the store
    at: str | None = None
    by: str | None = None
    undoes: int | None = None  # undo: the seq of the linking decision taken back

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"op": self.op}
        if self.op == "split":
            d["claim_id"] = self.claim_id
        elif self.op == "merge":
            d["claim_ids"] = list(self.claim_ids)
        elif self.op == "correct":
            d.update(claim_id=self.claim_id, field=self.field, value=self.value, was=self.was)
        elif self.op == "undo":
            d["undoes"] = self.undoes
        else:
            d["pairs"] = [list(p) for p in self.pairs]
        for k in ("seq", "at", "by"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        return d


@dataclass(slots=True)
class HistoryEntry(_Record):
    """One verdict change, as the journal recorded it."""

    seq: int
    claim_id: str
    at: str | None = None
    by: str | None = None
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    part: int | None = None  # its place in a bulk write (one journal entry for many verdicts)


@dataclass(slots=True)
class QuoteCheck(_Record):
    """A quote claim checked against reference texts and other posts (derived, recomputed)."""

    claim_id: str
    status: str  # verbatim | minor | partial | altered | not found
    reference: dict[str, Any] = field(default_factory=dict)  # the best reference match (QuoteMatch dict)
    post: dict[str, Any] = field(default_factory=dict)  # the best match in another post
    references_searched: int = 0
    posts_searched: int = 0
    checked_at: str | None = None

    def decisive(self) -> dict[str, Any]:
        """The match that decided the class: the reference when it has the quote, else the other post."""
        return self.reference if self.reference.get("status", "not found") != "not found" else self.post


@dataclass(slots=True)
class VerdictChange:
    """One verdict in a bulk write (``set_verdicts``). None leaves a field as it was."""

    claim_id: str
    status: Status | None = None
    note: str | None = None
    evidence: list[str] | None = None
    by: str | None = None
