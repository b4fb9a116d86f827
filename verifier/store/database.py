"""The TinyDB backend of ``ClaimStore`` (see interface.py): ``claims.json`` and its journal.

Layout of the TinyDB file: tables ``meta``, ``sources``, ``posts``, ``claims``,
``clusters``, ``verdicts``, ``history``, ``decisions`` (a person's
split/merge choices), ``references`` (texts quotes are checked against) and
``quote_checks`` (derived: each quote's alignment), ``factchecks`` (the library of published
fact-checks, see verifier/factchecks), ``factcheck_matches`` (derived: each claim's best
matches in it), ``suggestions`` (derived: links waiting for a person's confirm or reject) and
``follows`` (sources being followed: URL or file, interval, HTTP validators), all keyed by content ids. The large corpus changes
rarely (ingest, link) and is written in one atomic batch; verdicts and other
small edits go through the journal first (see journal.py), and are folded into
the file when the writer closes, so a closed database is one file.

Every record is type-checked when the file is opened (a hand-edited file with a
number for a claim's text, or an unknown status, is refused with the field
named), and stored source paths are relative to the database.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone
from typing import Any, Iterable

from verifier.errors import CorruptDatabaseError, InputError, StoreError
from verifier.models import (
    STATUSES,
    Claim,
    Cluster,
    Decision,
    Number,
    Post,
    QuoteCheck,
    Reference,
    Source,
    Verdict,
    VerdictChange,
)
from verifier.store.journal import Journal
from verifier.store.memory import InMemoryReads
from verifier.store.lock import WriterLock
from verifier.store.atomic import atomic_write, atomic_write_with
from verifier.store.fileformat import DICT_TABLES, RECORD_TABLES, DatabaseFile, encode, read_file, splice_into

SCHEMA_VERSION = 1
# Journal entries before a running writer (the workbench) folds; closing always folds.
FOLD_AFTER = 500
DEFAULT_DB = "claims.json"
STATE_SUFFIXES = (".journal", ".lock", ".ui.json")  # files kept beside the database

def default_db_path() -> str:
    return os.environ.get("VERIFIER_DB") or DEFAULT_DB


def fold_after() -> int:
    raw = os.environ.get("VERIFIER_FOLD_AFTER")
    if raw is None or raw.strip() == "":
        return FOLD_AFTER
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise InputError(f"VERIFIER_FOLD_AFTER: expected a whole number of at least 1, got {raw!r}")
    return n


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return os.environ.get("VERIFIER_USER") or getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


def writable(path: str) -> bool:
    """Writable for us, and not marked read-only by its mode (root ignores chmod 444: we do not)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(path, os.W_OK)


def check_output_path(path: str) -> None:
    """Refuse, before any work, to write a file into a missing or read-only folder or over a read-only file."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"{path}: folder {folder} does not exist")
    if not writable(folder):
        raise InputError(f"{path}: folder {folder} is read-only")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory")
    if os.path.exists(path) and not os.path.isfile(path):
        raise InputError(f"{path}: not a regular file (a device or a pipe is never replaced)")
    if os.path.exists(path) and not writable(path):
        raise InputError(f"{path}: file is read-only")


# The tables written by save() (batched), as against the journalled ones every write touches.
BATCH_TABLES = ("sources", "posts", "claims", "clusters", "references", "quote_checks", "factchecks",
                "factcheck_matches", "suggestions", "follows")


class Store(InMemoryReads):
    """The ``claims.json`` backend. ``Store(path)`` opens a writer (one at a time: a lock file);
    ``Store(path, readonly=True)`` a reader, which never creates a file and refuses a path where
    no database exists. ``create=False`` makes a writer refuse a missing database too."""

    def __init__(self, path: str | None = None, *, readonly: bool = False, create: bool = True) -> None:
        self.path = path or default_db_path()
        self.readonly = readonly
        self._check_paths(create)
        self._fold_after = fold_after() if not readonly else FOLD_AFTER
        self._lock = WriterLock(self.path)
        self.journal = Journal(self.path)
        if not readonly:
            self._lock.acquire()
        try:
            self._load()
        except BaseException:
            self._lock.release()
            raise

    def _check_paths(self, create: bool) -> None:
        path = self.path
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise StoreError(f"{path}: folder {folder} does not exist")
        if os.path.isdir(path):
            raise CorruptDatabaseError(f"{path}: is a directory, not a database file")
        exists = os.path.exists(path)
        if exists and not os.path.isfile(path):
            raise CorruptDatabaseError(f"{path}: not a regular file, not a database")
        if not exists and (self.readonly or not create):
            raise InputError(f"{path}: no database here (check --db, or ingest a file first)")
        if self.readonly:
            return
        if exists and not writable(path):
            raise StoreError(f"{path}: the database is read-only; nothing changed (make it writable to edit it)")
        if not writable(folder):
            raise StoreError(f"{path}: folder {folder} is read-only; nothing changed")
        for suffix in (".journal", ".lock"):
            state = path + suffix
            if os.path.exists(state) and not writable(state):
                raise StoreError(f"{state}: read-only; nothing changed")

    # ---- loading -------------------------------------------------------
    def _load(self) -> None:
        # Journal first, then the file: a fold that lands between the two reads
        # is then seen whole (see journal.py).
        pending = list(self.journal.entries())
        data = read_file(self.path)
        if data is not None and not data.meta.get("meta") and any(
                getattr(data, name) for name in (*RECORD_TABLES, *DICT_TABLES)):
            raise CorruptDatabaseError(f"{self.path}: not a verifier database (no schema version)")
        meta = (data.meta.get("meta") if data is not None else None) or {
            "schema_version": SCHEMA_VERSION, "journal_seq": 0}
        version = meta.get("schema_version", SCHEMA_VERSION)
        if type(version) is not int or version > SCHEMA_VERSION or version < 1:
            raise CorruptDatabaseError(
                f"{self.path}: database schema {version!r} is newer or unknown; "
                f"this verifier reads schema {SCHEMA_VERSION}"
            )
        if type(meta.get("journal_seq", 0)) is not int:
            raise CorruptDatabaseError(f"{self.path}: meta.journal_seq: expected a whole number")
        self._meta: dict[str, Any] = dict(meta)
        data = data or DatabaseFile()
        self._sources: dict[str, Source] = data.sources
        self._posts: dict[str, Post] = data.posts
        self._claims: dict[str, Claim] = data.claims
        self._clusters: dict[str, Cluster] = data.clusters
        self._verdicts: dict[str, Verdict] = data.verdicts
        self._references: dict[str, Reference] = data.references
        self._history: list[dict[str, Any]] = list(data.history.values())
        self._decisions: list[dict[str, Any]] = list(data.decisions.values())
        self._quote_checks: dict[str, dict[str, Any]] = data.quote_checks
        # Library entries stay plain dicts here (verifier.factchecks makes records of them on
        # use): a large library then costs the other commands no time on open.
        self._factchecks: dict[str, dict[str, Any]] = data.factchecks
        self._factcheck_matches: dict[str, dict[str, Any]] = data.factcheck_matches
        self._suggestions: list[dict[str, Any]] = list(data.suggestions.values())
        self._follows: dict[str, dict[str, Any]] = data.follows
        self._check_numbers()
        for src in self._sources.values():  # databases built before paths were made portable
            src.path = self.portable_path(src.path)
        for r in self._references.values():
            r.path = self.portable_path(r.path)
        self._history.sort(key=lambda h: (h["seq"], h.get("part") or 0))
        self._seq = int(self._meta.get("journal_seq", 0))
        self._unfolded = 0
        self._dirty: set[str] = set()
        self._journal_dirty = False
        for entry in pending:
            if entry["seq"] > self._seq:
                self._apply(entry)
                self._seq = entry["seq"]
                self._unfolded += 1
        for d in self._decisions:  # a person's corrections win over extraction
            if d.get("op") == "correct":
                self._apply_correction(d)

    def _check_numbers(self) -> None:
        ok = Number.checker().ok
        for c in self._claims.values():
            for n in c.numbers:
                if not ok(n):
                    raise CorruptDatabaseError(Number.problems(n, f"{self.path}: claims/{c.id}.numbers[]")[0])

    # ---- paths ---------------------------------------------------------
    def portable_path(self, path: str) -> str:
        """A file's path as stored: relative to the database's folder when inside it, else its name.

        A database is copied, mailed and committed: it never names a folder of
        the machine that built it."""
        if not path:
            return path
        base = os.path.dirname(os.path.abspath(self.path))
        full = os.path.abspath(os.path.join(base, path)) if not os.path.isabs(path) else path
        rel = os.path.relpath(full, base)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return os.path.basename(full)
        return rel

    # ---- reading (the ClaimStore interface) ------------------------------
    def resolve_reference(self, ref: str) -> Reference:
        """A reference text by id, unique id prefix, or the path it was added from."""
        if ref in self._references:
            return self._references[ref]
        here = self.portable_path(os.path.abspath(ref)) if ref else ref
        by_path = [r for r in self._references.values() if r.path in (ref, here)]
        found = by_path or ([r for r in self._references.values() if r.id.startswith(ref.lower())]
                            if len(ref) >= 4 else [])
        if not found:
            raise InputError(f"no reference text '{ref}' (see: verifier sources list)")
        if len(found) > 1:
            raise InputError(f"reference '{ref}' is ambiguous: {len(found)} match")
        return found[0]

    def resolve_claim(self, ref: str) -> Claim:
        """A claim by id or unique id prefix."""
        ref = ref.strip().lower()
        if ref in self._claims:
            return self._claims[ref]
        if len(ref) < 4:
            raise InputError(f"claim id '{ref}' is too short: give at least 4 characters")
        found = [c for cid, c in self._claims.items() if cid.startswith(ref)]
        if not found:
            raise InputError(f"no claim with id '{ref}'")
        if len(found) > 1:
            raise InputError(f"claim id '{ref}' is ambiguous: {len(found)} claims start with it")
        return found[0]

    # ---- small, journalled changes -------------------------------------
    def _refuse_readonly(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")

    def _write_entry(self, entry: dict[str, Any], by: str | None = None) -> None:
        self._refuse_readonly()
        # The number is taken even when the write fails: a later entry never reuses it.
        self._seq += 1
        entry = {"seq": self._seq, "at": now_iso(), "by": by or current_user(), **entry}
        self.journal.append(entry)  # durable before anything in memory changes
        self._apply(entry)
        self._unfolded += 1
        if self._unfolded >= self._fold_after:
            self.fold()

    def _new_verdict(self, claim_id: str, status: str | None, note: str | None,
                     evidence: list[str] | None) -> tuple[Verdict, Verdict]:
        if claim_id not in self._claims:
            raise InputError(f"no claim with id '{claim_id}'")
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status '{status}': choose one of {', '.join(STATUSES)}")
        if note is not None and not isinstance(note, str):
            raise InputError(f"claim {claim_id}: note must be text")
        if evidence is not None and not (isinstance(evidence, list) and all(isinstance(e, str) for e in evidence)):
            raise InputError(f"claim {claim_id}: evidence must be a list of texts")
        old = self.verdict(claim_id)
        new = Verdict(
            claim_id=claim_id,
            status=status if status is not None else old.status,
            note=note if note is not None else old.note,
            evidence=list(evidence) if evidence is not None else list(old.evidence),
        )
        return old, new

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
        self._refuse_readonly()
        old, new = self._new_verdict(claim_id, status, note, evidence)
        self._write_entry({"op": "verdict", "claim_id": claim_id,
                           "old": old.to_dict(), "new": new.to_dict()}, by=by)
        return self._verdicts[claim_id]

    def set_verdicts(self, changes: list[VerdictChange]) -> list[Verdict]:
        """Many verdicts as one journal entry and one fsync: all are on disk when this returns, or none."""
        self._refuse_readonly()
        if not changes:
            return []
        items = []
        planned: dict[str, Verdict] = {}
        for ch in changes:
            old, new = self._new_verdict(ch.claim_id, ch.status, ch.note, ch.evidence)
            old = planned.get(ch.claim_id, old)  # the same claim twice: the second builds on the first
            if ch.claim_id in planned:
                new = Verdict(claim_id=ch.claim_id, status=ch.status or old.status,
                              note=ch.note if ch.note is not None else old.note,
                              evidence=list(ch.evidence) if ch.evidence is not None else list(old.evidence))
            planned[ch.claim_id] = new
            item: dict[str, Any] = {"claim_id": ch.claim_id, "old": old.to_dict(), "new": new.to_dict()}
            if ch.by:
                item["by"] = ch.by
            items.append(item)
        self._write_entry({"op": "verdicts", "changes": items})
        return [self._verdicts[i["claim_id"]] for i in items]

    def restore_verdict(self, verdict: Verdict) -> Verdict:
        """Put back an earlier verdict exactly (undo)."""
        return self.restore_verdicts([verdict])[0]

    def restore_verdicts(self, verdicts: list[Verdict]) -> list[Verdict]:
        """Put back earlier verdicts exactly (undo of a bulk tag): one durable write."""
        self._refuse_readonly()
        if not verdicts:
            return []
        if len(verdicts) == 1:
            v = verdicts[0]
            old = self.verdict(v.claim_id)
            self._write_entry({"op": "verdict", "claim_id": v.claim_id,
                               "old": old.to_dict(), "new": v.to_dict(), "undo": True})
            return [self._verdicts[v.claim_id]]
        items = [{"claim_id": v.claim_id, "old": self.verdict(v.claim_id).to_dict(), "new": v.to_dict()}
                 for v in verdicts]
        self._write_entry({"op": "verdicts", "changes": items, "undo": True})
        return [self._verdicts[v.claim_id] for v in verdicts]

    def add_decision(self, decision: Decision) -> Decision:
        """A person's split or merge of clusters; it outlives re-linking."""
        d = decision.to_dict()
        for k in ("seq", "at", "by"):
            d.pop(k, None)
        problems = Decision.problems(d, "decision")
        if problems:
            raise InputError(problems[0])
        self._write_entry({"op": "decision", "decision": d})
        return Decision.from_dict(self._decisions[-1])

    def record_decision(self, decision: dict[str, Any]) -> None:
        """The dict form of ``add_decision`` (kept while callers move to the typed one)."""
        self.add_decision(Decision.from_dict(decision))

    def _apply(self, entry: dict[str, Any]) -> None:
        op = entry.get("op")
        if op == "verdict":
            self._apply_verdict(entry, entry, None)
        elif op == "verdicts":
            for part, item in enumerate(entry["changes"]):
                self._apply_verdict(entry, item, part)
        elif op == "decision":
            decision = {**entry["decision"], "seq": entry["seq"], "at": entry.get("at"), "by": entry.get("by")}
            self._decisions.append(decision)
            self._journal_dirty = True
            if decision.get("op") == "correct" and hasattr(self, "_claims"):
                self._apply_correction(decision)

    def _apply_verdict(self, entry: dict[str, Any], item: dict[str, Any], part: int | None) -> None:
        by = item.get("by") or entry.get("by")
        new = dict(item["new"])
        new["updated_at"] = entry.get("at")
        new["by"] = by
        self._verdicts[item["claim_id"]] = Verdict.from_dict(new)
        h: dict[str, Any] = {"seq": entry["seq"], "claim_id": item["claim_id"], "at": entry.get("at"),
                             "by": by, "old": item.get("old"), "new": item["new"]}
        if part is not None:
            h["part"] = part
        self._history.append(h)
        self._journal_dirty = True

    # ---- large, batched changes ----------------------------------------
    @staticmethod
    def _checked(table: str, records: Iterable[Any]) -> list[Any]:
        """Records about to be stored, each field's type checked (text from the web decides them)."""
        out = list(records)
        for r in out:
            d = r.to_dict()
            if not r.checker().ok(d):
                raise InputError(r.problems(d, f"{table}/{getattr(r, 'id', None) or getattr(r, 'claim_id', '?')}")[0])
        return out

    def put_source(self, source: Source) -> None:
        self._checked("sources", [source])
        source.path = self.portable_path(source.path)
        self._sources[source.id] = source
        self._dirty.add("sources")

    def put_posts(self, posts: Iterable[Post]) -> None:
        for p in self._checked("posts", posts):
            self._posts[p.id] = p
        self._dirty.add("posts")

    def put_claims(self, claims: Iterable[Claim]) -> None:
        corrected = {d.get("claim_id") for d in self._decisions if d.get("op") == "correct"}
        for c in self._checked("claims", claims):
            self._claims[c.id] = c
            if c.id in corrected:  # re-extracted: the person's corrections still stand
                for d in self._decisions:
                    if d.get("op") == "correct" and d.get("claim_id") == c.id:
                        self._apply_correction(d)
        self._dirty.add("claims")

    # ---- a person's corrections of extraction (decisions, replayed on every re-ingest) ----
    # ---- followed sources (verifier/follow) ----
    def put_follow(self, follow: dict[str, Any]) -> None:
        """A followed source's record (see verifier.follow), keyed by its "id"."""
        self._refuse_readonly()
        self._follows[follow["id"]] = dict(follow)
        self._dirty.add("follows")

    def remove_follow(self, follow_id: str) -> None:
        self._refuse_readonly()
        self._follows.pop(follow_id, None)
        self._dirty.add("follows")

    def put_reference(self, ref: Reference) -> None:
        self._checked("references", [ref])
        ref.path = self.portable_path(ref.path)
        self._references[ref.id] = ref
        self._dirty.add("references")

    def remove_reference(self, ref_id: str) -> None:
        del self._references[ref_id]
        self._dirty.add("references")

    def put_quote_checks(self, checks: Iterable[QuoteCheck]) -> None:
        """Replace the checks of these claims (derived data: recomputed, not journalled). Each is
        type-checked, then kept as given, like claims and posts: its match records are not
        copied (``asdict``'s deep copy cost more than the check itself)."""
        names = QuoteCheck.__dataclass_fields__
        checker = QuoteCheck.checker()
        rows = []
        for qc in checks:
            d = {k: getattr(qc, k) for k in names}
            if not checker.ok(d):
                raise InputError(QuoteCheck.problems(d, f"quote_checks/{qc.claim_id}")[0])
            rows.append(d)
        for d in rows:
            self._quote_checks[d["claim_id"]] = d
        self._dirty.add("quote_checks")

    def set_quote_checks(self, checks: dict[str, dict[str, Any]]) -> None:
        """The dict form of ``put_quote_checks`` (kept while callers move to the typed one)."""
        self._quote_checks.update(checks)
        self._dirty.add("quote_checks")

    def set_suggestions(self, suggestions: Iterable[dict[str, Any]]) -> None:
        """Suggested links waiting for a person (derived: recomputed by linking, not journalled)."""
        self._refuse_readonly()
        self._suggestions = list(suggestions)
        self._dirty.add("suggestions")

    def set_link_token(self, token: str) -> None:
        """Which saved link index (``<db>.link``) matches this database's claims and clusters."""
        self._refuse_readonly()
        self._meta["link_index"] = token
        self._dirty.add("clusters")

    def put_factchecks(self, entries: Iterable[dict[str, Any]]) -> None:
        """Add or replace library entries (dicts with a "key")."""
        self._refuse_readonly()
        for e in entries:
            self._factchecks[e["key"]] = e
        self._dirty.add("factchecks")

    def remove_factchecks(self, keys: Iterable[str]) -> None:
        self._refuse_readonly()
        for k in keys:
            self._factchecks.pop(k, None)
        self._dirty.add("factchecks")

    def set_factcheck_matches(self, matches: dict[str, dict[str, Any]], *, replace: bool = False) -> None:
        """Each claim's matches in the library (derived data: recomputed, not journalled)."""
        self._refuse_readonly()
        if replace:
            self._factcheck_matches = {}
        self._factcheck_matches.update(matches)
        self._dirty.add("factcheck_matches")

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        """Replace every cluster; each claim's cluster_id follows (None for a claim in none)."""
        given = list(clusters)
        self._checked("clusters", [c for c in given if self._clusters.get(c.id) is not c])  # new or changed
        self._clusters = {c.id: c for c in given}
        member_of = {cid: cl.id for cl in self._clusters.values() for cid in cl.claim_ids}
        for c in self._claims.values():
            c.cluster_id = member_of.get(c.id)
        self._dirty.update(("clusters", "claims"))

    def update_clusters(self, clusters: Iterable[Cluster], removed: Iterable[str] = ()) -> None:
        """Put these clusters and drop the removed ones; their members' cluster_id follows.
        The cost of the change, not of the database (a followed source's poll)."""
        self._refuse_readonly()
        checked = self._checked("clusters", clusters)
        self._drop_clusters([*removed, *(cl.id for cl in checked)])
        for cl in checked:
            self._clusters[cl.id] = cl
            for m in cl.claim_ids:
                c = self._claims.get(m)
                if c is not None:
                    c.cluster_id = cl.id
        self._dirty.update(("clusters", "claims"))

    def _drop_clusters(self, ids: Iterable[str]) -> None:
        for cid in ids:
            old = self._clusters.pop(cid, None)
            for m in (old.claim_ids if old is not None else ()):
                c = self._claims.get(m)
                if c is not None and c.cluster_id == cid:
                    c.cluster_id = None

    # ---- writing the file ----------------------------------------------
    def _history_table(self) -> dict[str, Any]:
        return {(f"{h['seq']}.{h['part']}" if h.get("part") is not None else str(h["seq"])): h
                for h in self._history}

    def _table(self, name: str) -> Any:
        if name == "suggestions":
            return {str(i): v for i, v in enumerate(self._suggestions)}
        return getattr(self, "_" + name)

    def _write(self, with_batch: bool) -> None:
        """Write the database atomically: every table from memory (``with_batch``), or the journalled
        ones from memory and every other as it is on disk (a fold; a pending batch is left out)."""
        meta = dict(self._meta, schema_version=SCHEMA_VERSION, journal_seq=self._seq, saved_at=now_iso())
        journalled: dict[str, Any] = {"meta": {"meta": meta}, "verdicts": self._verdicts, "history": self._history_table(),
                      "decisions": {str(d["seq"]): d for d in self._decisions}}
        if not os.path.exists(self.path) or os.path.getsize(self.path) == 0:
            atomic_write(self.path, encode(DatabaseFile(**{name: self._table(name) for name in BATCH_TABLES},
                                                        **journalled)))
        else:
            # Only what changed is encoded; every other table's bytes are copied from the old file.
            tables = {name: encode(table) for name, table in journalled.items()}
            if with_batch:
                tables.update((name, encode(self._table(name))) for name in self._dirty)
            atomic_write_with(self.path, lambda fd: splice_into(self.path, tables, fd))
        self._meta = meta
        self.journal.clear()
        self._unfolded = 0
        self._journal_dirty = False

    def fold(self) -> None:
        """Move the journal's changes into the file (nothing of a pending batch)."""
        self._refuse_readonly()
        if self._unfolded or self._journal_dirty:
            self._write(with_batch=False)

    def save(self) -> None:
        """Fold the journal and every batched change into the file, atomically."""
        self._refuse_readonly()
        if not self._dirty and not self._unfolded and not self._journal_dirty and os.path.exists(self.path):
            return
        self._write(with_batch=True)
        self._dirty.clear()

    def close(self) -> None:
        """Fold the journal (the database alone then holds every verdict) and release the lock.

        A batch never saved is dropped: a command that failed half-way leaves the file as it was."""
        try:
            if not self.readonly and (self._unfolded or self._journal_dirty):
                try:
                    self._write(with_batch=False)
                except StoreError as exc:
                    raise StoreError(f"every change is kept in {self.journal.path}, but {exc}") from None
        finally:
            self.journal.close()
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
            return
        try:
            self.close()
        except StoreError:
            pass  # the error already on its way matters more; the journal holds every change


TinyDBStore = Store
