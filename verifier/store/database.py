"""The one object through which everything reads and writes the database.

Layout of the TinyDB file: tables ``meta``, ``sources``, ``posts``, ``claims``,
``clusters``, ``verdicts``, ``history``, ``decisions`` (a person's
split/merge choices), ``references`` (texts quotes are checked against) and
``quote_checks`` (derived: each quote's alignment) and ``follows`` (sources
being followed: URL or file, interval, HTTP validators), all keyed by content ids. The large corpus changes
rarely (ingest, link) and is written in one atomic batch; verdicts and other
small edits go through the journal first (see journal.py).
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone
from typing import Any, Iterable

from tinydb.table import Document

from verifier.errors import CorruptDatabaseError, InputError, StoreError
from verifier.models import CLAIM_KINDS, CORRECTABLE, STATUSES, Claim, Cluster, Post, Reference, Source, Verdict
from verifier.store.journal import Journal
from verifier.store.lock import WriterLock
from verifier.store.tinystorage import BufferedAtomicStorage, gc_paused, open_tinydb

SCHEMA_VERSION = 1
# Journal entries before a fold; folding rewrites the whole file, so batch it.
FOLD_AFTER = int(os.environ.get("VERIFIER_FOLD_AFTER", "500"))
DEFAULT_DB = "claims.json"


def default_db_path() -> str:
    return os.environ.get("VERIFIER_DB") or DEFAULT_DB


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return os.environ.get("VERIFIER_USER") or getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


class Store:
    def __init__(self, path: str | None = None, *, readonly: bool = False) -> None:
        self.path = path or default_db_path()
        self.readonly = readonly
        self._lock = WriterLock(self.path)
        self.journal = Journal(self.path)
        if not readonly:
            self._lock.acquire()
        try:
            self._load()
        except BaseException:
            self._lock.release()
            raise

    # ---- loading -------------------------------------------------------
    def _load(self) -> None:
        # Journal first, then the file: a fold that lands between the two reads
        # is then seen whole (see journal.py).
        pending = list(self.journal.entries())
        self.db = open_tinydb(self.path)
        meta = self.db.table("meta").get(doc_id="meta")
        tables = set(self.db.tables())
        if meta is None and tables - {"meta"}:
            raise CorruptDatabaseError(f"{self.path}: not a verifier database (no schema version)")
        version = (meta or {}).get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION or version < 1:
            raise CorruptDatabaseError(
                f"{self.path}: database schema {version!r} is newer or unknown; "
                f"this verifier reads schema {SCHEMA_VERSION}"
            )
        self.meta: dict[str, Any] = dict(meta or {"schema_version": SCHEMA_VERSION, "journal_seq": 0})

        raw = self.db.storage.read() or {}

        def rows(name: str) -> Iterable[tuple[str, dict[str, Any]]]:
            # The storage's dicts as they are: TinyDB's Table.all() would copy
            # every document once more, a second pass at 100,000 claims.
            table = raw.get(name, {})
            if not all(isinstance(d, dict) for d in table.values()):
                raise CorruptDatabaseError(f"{self.path}: damaged table '{name}'")
            return table.items()

        try:
            with gc_paused():
                self.sources = {k: Source.from_dict(d) for k, d in rows("sources")}
                self.posts = {k: Post.from_dict(d) for k, d in rows("posts")}
                self.claims = {k: Claim.from_dict(d) for k, d in rows("claims")}
                self.clusters = {k: Cluster.from_dict(d) for k, d in rows("clusters")}
                self.verdicts = {k: Verdict.from_dict(d) for k, d in rows("verdicts")}
                self.history: list[dict[str, Any]] = [dict(d) for _, d in rows("history")]
                self.decisions: list[dict[str, Any]] = [dict(d) for _, d in rows("decisions")]
                self.references = {k: Reference.from_dict(d) for k, d in rows("references")}
                self.quote_checks: dict[str, dict[str, Any]] = {k: dict(d) for k, d in rows("quote_checks")}
                self.follows: dict[str, dict[str, Any]] = {k: dict(d) for k, d in rows("follows")}
        except TypeError as exc:
            raise CorruptDatabaseError(f"{self.path}: damaged record ({exc})") from None
        self.history.sort(key=lambda h: (h.get("seq", 0), h.get("sub", 0)))
        self._seq = int(self.meta.get("journal_seq", 0))
        self._unfolded = 0
        self._dirty: set[str] = set()
        self._history_index: dict[str, list[dict[str, Any]]] | None = None
        self._history_indexed = 0
        for d in self.decisions:  # a person's corrections win over extraction
            if d.get("op") == "correct":
                self._apply_correction(d)
        for entry in pending:
            if entry.get("seq", 0) > self._seq:
                self._apply(entry)
                self._seq = entry["seq"]
                self._unfolded += 1

    # ---- reading -------------------------------------------------------
    def verdict(self, claim_id: str) -> Verdict:
        return self.verdicts.get(claim_id) or Verdict(claim_id=claim_id)

    def status(self, claim_id: str) -> str:
        """The verdict's status without building a Verdict (hot in list passes)."""
        v = self.verdicts.get(claim_id)
        return v.status if v is not None else "unreviewed"

    def live_claims(self) -> list[Claim]:
        return [c for c in self.claims.values() if not c.retired]

    def resolve_reference(self, ref: str) -> Reference:
        """A reference text by id, unique id prefix, or the path it was added from."""
        if ref in self.references:
            return self.references[ref]
        by_path = [r for r in self.references.values() if r.path == ref or os.path.abspath(ref) == r.path]
        found = by_path or ([r for r in self.references.values() if r.id.startswith(ref.lower())]
                            if len(ref) >= 4 else [])
        if not found:
            raise InputError(f"no reference text '{ref}' (see: verifier sources list)")
        if len(found) > 1:
            raise InputError(f"reference '{ref}' is ambiguous: {len(found)} match")
        return found[0]

    def resolve_claim(self, ref: str) -> Claim:
        """A claim by id or unique id prefix."""
        ref = ref.strip().lower()
        if ref in self.claims:
            return self.claims[ref]
        if len(ref) < 4:
            raise InputError(f"claim id '{ref}' is too short: give at least 4 characters")
        found = [c for cid, c in self.claims.items() if cid.startswith(ref)]
        if not found:
            raise InputError(f"no claim with id '{ref}'")
        if len(found) > 1:
            raise InputError(f"claim id '{ref}' is ambiguous: {len(found)} claims start with it")
        return found[0]

    # ---- small, journalled changes -------------------------------------
    def _write_entry(self, entry: dict[str, Any], by: str | None = None) -> None:
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        entry = {"seq": self._seq + 1, "at": now_iso(), "by": by or current_user(), **entry}
        self.journal.append(entry)  # durable before anything in memory changes
        self._seq = entry["seq"]
        self._apply(entry)
        self._unfolded += 1

    def set_verdict(
        self,
        claim_id: str,
        *,
        status: str | None = None,
        note: str | None = None,
        evidence: list[str] | None = None,
        by: str | None = None,
    ) -> Verdict:
        """Change a verdict; returns it once it is on disk. None leaves a field as it was."""
        if claim_id not in self.claims:
            raise InputError(f"no claim with id '{claim_id}'")
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status '{status}': choose one of {', '.join(STATUSES)}")
        old = self.verdict(claim_id)
        new = Verdict(
            claim_id=claim_id,
            status=status if status is not None else old.status,
            note=note if note is not None else old.note,
            evidence=list(evidence) if evidence is not None else list(old.evidence),
        )
        self._write_entry({"op": "verdict", "claim_id": claim_id,
                           "old": old.to_dict(), "new": new.to_dict()}, by=by)
        return self.verdicts[claim_id]

    def restore_verdict(self, verdict: Verdict) -> Verdict:
        """Put back an earlier verdict exactly (undo)."""
        old = self.verdict(verdict.claim_id)
        self._write_entry({"op": "verdict", "claim_id": verdict.claim_id,
                           "old": old.to_dict(), "new": verdict.to_dict(), "undo": True})
        return self.verdicts[verdict.claim_id]

    def set_verdicts(self, changes: list[Verdict], *, undo: bool = False, by: str | None = None) -> None:
        """Replace several verdicts at once: one journal entry, one fsync (a cluster or bulk tag)."""
        items = []
        for new in changes:
            if new.claim_id not in self.claims:
                raise InputError(f"no claim with id '{new.claim_id}'")
            if new.status not in STATUSES:
                raise InputError(f"unknown status '{new.status}': choose one of {', '.join(STATUSES)}")
            items.append({"claim_id": new.claim_id, "old": self.verdict(new.claim_id).to_dict(),
                          "new": Verdict(new.claim_id, new.status, new.note, list(new.evidence)).to_dict()})
        if items:
            self._write_entry({"op": "verdicts", "items": items, **({"undo": True} if undo else {})}, by=by)

    def correct_claim(self, claim_id: str, field: str, value: str | None) -> None:
        """A person's correction of a claim's speaker, role or kind, kept as a decision:
        applied again whenever the claim is re-extracted (re-ingest) or re-linked."""
        if claim_id not in self.claims:
            raise InputError(f"no claim with id '{claim_id}'")
        if field not in CORRECTABLE:
            raise InputError(f"cannot correct '{field}': choose one of {', '.join(CORRECTABLE)}")
        if field == "kind" and value not in CLAIM_KINDS:
            raise InputError(f"unknown kind '{value}': choose one of {', '.join(CLAIM_KINDS)}")
        value = (value or "").strip() or None
        was = getattr(self.claims[claim_id], field)
        self.record_decision({"op": "correct", "claim_id": claim_id, "field": field, "value": value, "was": was})

    def corrections(self, claim_id: str) -> dict[str, Any]:
        """The fields a person corrected on this claim, latest value each."""
        out: dict[str, Any] = {}
        for d in self.decisions:
            if d.get("op") == "correct" and d.get("claim_id") == claim_id:
                out[d["field"]] = d.get("value")
        return out

    def _apply_correction(self, d: dict[str, Any]) -> None:
        claim = self.claims.get(d.get("claim_id", ""))
        if claim is not None and d.get("field") in CORRECTABLE:
            setattr(claim, d["field"], d.get("value"))

    def history_of(self, claim_id: str) -> list[dict[str, Any]]:
        """This claim's verdict changes, oldest first (who, when, from what to what)."""
        if self._history_index is None:
            self._history_index = {}
            self._history_indexed = 0
        for h in self.history[self._history_indexed:]:  # only entries since the last call
            self._history_index.setdefault(h["claim_id"], []).append(h)
        self._history_indexed = len(self.history)
        return self._history_index.get(claim_id, [])

    def record_decision(self, decision: dict[str, Any]) -> None:
        """A person's split or merge of clusters; it outlives re-linking."""
        self._write_entry({"op": "decision", "decision": decision})

    def _apply(self, entry: dict[str, Any]) -> None:
        op = entry.get("op")
        if op == "verdict":
            new = dict(entry["new"])
            new["updated_at"] = entry.get("at")
            new["by"] = entry.get("by")
            self.verdicts[entry["claim_id"]] = Verdict.from_dict(new)
            self.history.append({
                "seq": entry["seq"], "claim_id": entry["claim_id"], "at": entry.get("at"),
                "by": entry.get("by"), "old": entry.get("old"), "new": entry["new"],
                **({"sub": entry["sub"]} if "sub" in entry else {}),  # one of a bulk write's items
            })
            self._dirty.update(("verdicts", "history"))
        elif op == "verdicts":
            for sub, item in enumerate(entry["items"]):
                self._apply({"op": "verdict", "seq": entry["seq"], "sub": sub, "at": entry.get("at"),
                             "by": entry.get("by"), **item})
        elif op == "decision":
            decision = {"seq": entry["seq"], "at": entry.get("at"), "by": entry.get("by"), **entry["decision"]}
            self.decisions.append(decision)
            self._dirty.add("decisions")
            if decision.get("op") == "correct":
                self._apply_correction(decision)
                self._dirty.add("claims")

    # ---- large, batched changes ----------------------------------------
    def put_source(self, source: Source) -> None:
        self.sources[source.id] = source
        self._dirty.add("sources")

    def put_posts(self, posts: Iterable[Post]) -> None:
        for p in posts:
            self.posts[p.id] = p
        self._dirty.add("posts")

    def put_claims(self, claims: Iterable[Claim]) -> None:
        corrected = {d.get("claim_id") for d in self.decisions if d.get("op") == "correct"}
        for c in claims:
            self.claims[c.id] = c
            if c.id in corrected:  # re-extracted: the person's corrections still stand
                for d in self.decisions:
                    if d.get("op") == "correct" and d.get("claim_id") == c.id:
                        self._apply_correction(d)
        self._dirty.add("claims")

    def put_reference(self, ref: Reference) -> None:
        self.references[ref.id] = ref
        self._dirty.add("references")

    def remove_reference(self, ref_id: str) -> None:
        del self.references[ref_id]
        self._dirty.add("references")

    def set_quote_checks(self, checks: dict[str, dict[str, Any]]) -> None:
        """Replace the checks of these claims (derived data: recomputed, not journalled)."""
        self.quote_checks.update(checks)
        self._dirty.add("quote_checks")

    def put_follow(self, follow: dict[str, Any]) -> None:
        """A followed source's record (see verifier.follow), keyed by its "id"."""
        self.follows[follow["id"]] = dict(follow)
        self._dirty.add("follows")

    def remove_follow(self, follow_id: str) -> None:
        self.follows.pop(follow_id, None)
        self._dirty.add("follows")

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        self.clusters = {c.id: c for c in clusters}
        self._dirty.update(("clusters", "claims"))

    def save(self) -> None:
        """Fold the journal and every batched change into the file, atomically."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        if not self._dirty and not self._unfolded and os.path.exists(self.path):
            return
        tables: dict[str, Iterable[tuple[str, dict[str, Any]]]] = {
            "sources": ((k, v.to_dict()) for k, v in self.sources.items()),
            "posts": ((k, v.to_dict()) for k, v in self.posts.items()),
            "claims": ((k, v.to_dict()) for k, v in self.claims.items()),
            "clusters": ((k, v.to_dict()) for k, v in self.clusters.items()),
            "verdicts": ((k, v.to_dict()) for k, v in self.verdicts.items()),
            "history": ((f"{h['seq']}.{h['sub']}" if "sub" in h else str(h["seq"]), h) for h in self.history),
            "decisions": ((str(d["seq"]), d) for d in self.decisions),
            "references": ((k, v.to_dict()) for k, v in self.references.items()),
            "quote_checks": ((k, v) for k, v in self.quote_checks.items()),
            "follows": ((k, v) for k, v in self.follows.items()),
        }
        for name, docs in tables.items():
            if name in self._dirty or name not in self.db.tables():
                table = self.db.table(name)
                table.truncate()
                table.insert_multiple(Document(doc, doc_id=key) for key, doc in docs)
        self.meta.update(schema_version=SCHEMA_VERSION, journal_seq=self._seq, saved_at=now_iso())
        self.db.table("meta").upsert(Document(self.meta, doc_id="meta"))
        storage = self.db.storage
        assert isinstance(storage, BufferedAtomicStorage)
        storage.commit()  # atomic: the file is either as before or as now
        self.journal.clear()
        self._dirty.clear()
        self._unfolded = 0

    def close(self) -> None:
        try:
            if not self.readonly and self._unfolded >= FOLD_AFTER:
                self.save()
        finally:
            self.journal.close()
            self._lock.release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
