"""The PostgreSQL backend: one database for a desk of fact-checkers.

Selected by a ``postgresql://`` (or ``postgres://``) address for ``--db`` or
``$VERIFIER_DB``. Verdicts are append-only events committed one transaction
each before the call returns (so a kill -9 of a writer loses nothing it
acknowledged); the current verdict is derived from them by a trigger (see
pg_schema.py). Corpus changes (ingest, link) are buffered in memory and written
by ``save()`` in one transaction, as the file backend folds them.

Many writers share the database: there is no writer lock. A person's view of
colleagues' work is refreshed by ``refresh()`` (cheap: only events after the
last one seen) and announced by ``listen()``.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable, Iterator, cast

from verifier.errors import CorruptDatabaseError, InputError, StoreError
from verifier.models import (
    STATUSES,
    Claim,
    Cluster,
    Decision,
    Post,
    QuoteCheck,
    Reference,
    Source,
    Status,
    Verdict,
    VerdictChange,
)
from verifier.store.memory import InMemoryReads
from verifier.store.pg_schema import CHANNEL, LATEST, MIGRATIONS

if TYPE_CHECKING:
    from verifier.stats import Stats

try:  # psycopg is needed only for a desk database
    import psycopg
    from psycopg.types.json import Jsonb
except ImportError:  # pragma: no cover - reported when a postgresql:// address is used
    psycopg = None  # type: ignore[assignment]


def _checked(table: str, records: Iterable[Any]) -> list[Any]:
    """Every field's type checked before it is stored, as the file backend does."""
    from verifier.store.database import Store

    return Store._checked(table, records)


@dataclass(frozen=True)
class ClaimQuery:
    """What a page of the workbench's list is filtered by (see PostgresStore.query_claims)."""

    status: str | None = None
    kind: str | None = None
    speaker: str | None = None  # a substring of the speaker's name, any case
    quote: str | None = None  # a quote check class
    text: str | None = None
    fuzzy: bool = False  # text by trigram word similarity (nothing holds it as a substring)
    words: tuple[tuple[str, ...], ...] = ()  # a typo's correction: per word of the text, the words meant
    also: tuple[str, ...] = ()  # claims found by their note or evidence
    assignee: str | None = None
    unassigned: bool = False
    todo_first: bool = False  # undecided claims first, as the workbench lists them

    def with_mode(self, fuzzy: bool, also: Iterable[str] = (),
                  words: tuple[tuple[str, ...], ...] = ()) -> "ClaimQuery":
        return replace(self, fuzzy=fuzzy, also=tuple(also), words=words)


def is_postgres_url(path: str | None) -> bool:
    return bool(path) and str(path).startswith(("postgresql://", "postgres://"))


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat(timespec="seconds")
    return str(value)


def _redact(url: str) -> str:
    """The address without a password, for messages: in the user part (``user:pw@``), as a
    query parameter (``?password=pw``) or in a keyword string (``password=pw host=...``)."""
    import re

    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        head, tail = url.split("@", 1)
        scheme, userpass = head.split("//", 1)
        url = f"{scheme}//{userpass.split(':', 1)[0]}:***@{tail}"
    return re.sub(r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)", r"\1***", url)


redacted = _redact  # the public name, for the screen


def connect(url: str, *, autocommit: bool = True) -> "psycopg.Connection[Any]":
    if psycopg is None:
        raise StoreError("a PostgreSQL database needs psycopg: pip install 'psycopg[binary]'")
    try:
        # prepare_threshold=None: never a server-side prepared statement, whose generic plan does not
        # see a search's pattern (a LIKE planned without it walks every claim: seconds, not ms)
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10,
                               application_name="verifier", prepare_threshold=None)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"{_redact(url)}: cannot connect ({first})") from None


def schema_version(conn: "psycopg.Connection[Any]") -> int:
    row = conn.execute("SELECT to_regclass('schema_migrations')").fetchone()
    if not row or row[0] is None:
        return 0
    got = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(got[0]) if got else 0


def migrate(url: str) -> list[int]:
    """Create or bring the schema up to date; returns the migrations applied."""
    applied: list[int] = []
    with connect(url, autocommit=False) as conn:
        # One migrator at a time, whatever else runs.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('verifier.migrate'))")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version int PRIMARY KEY, name text NOT NULL, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
        have = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        if have and max(have) > LATEST:
            conn.rollback()
            raise CorruptDatabaseError(f"database schema {max(have)} is newer than this verifier's ({LATEST})")
        for version, name, sql in MIGRATIONS:
            if version in have:
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
            applied.append(version)
        conn.commit()
    return applied


# A search's existence check, count or whole list goes through the trigram indexes: planned without
# a seq scan or a plain index walk, both of which read every claim when the text is in none of them
# (a LIMIT makes the planner hope for an early hit; a phrase in no claim took 6 s).
TRIGRAMS_ONLY = ("enable_seqscan", "enable_indexscan")


def trigram_plan(*texts: str | None) -> tuple[str, ...]:
    """TRIGRAMS_ONLY when the trigram indexes can serve these texts (a run of three letters or more:
    "xq" has no trigram, and its LIKE would read every claim through a bitmap), else no setting."""
    import re

    given = [t for t in texts if t]
    if given and all(re.search(r"[^\W_]{3}", t.lower()) for t in given):
        return TRIGRAMS_ONLY
    return ()


class Cancelled(StoreError):
    """A worker's query was stopped by PostgresStore.cancel (nobody waits for its answer)."""


class PostgresStore(InMemoryReads):
    """The Store's reads and writes over PostgreSQL (same surface as the file store)."""

    backend = "postgresql"

    def __init__(self, url: str, *, readonly: bool = False, actor: str | None = None,
                 lazy: bool = False) -> None:
        """`lazy`: load nothing of the corpus; read it a page at a time (`page`, `claims_by_id`),
        as a workbench over millions of claims must."""
        from verifier.store.database import current_user

        self.path = url
        self.readonly = readonly
        self.actor = actor or current_user()
        self._conn = connect(url)
        self._local = threading.local()
        self._bgs: dict[str, Any] = {}  # workers' connections, by purpose (see background())
        # Typos in a search ("missle") score about 0.55 against the word meant. No JIT: it compiles
        # for tens of milliseconds before a count over many rows, more than it ever saves here.
        self.conn.execute("SET pg_trgm.word_similarity_threshold = 0.5; SET jit = off")
        version = schema_version(self.conn)
        if version == 0:
            self.conn.close()
            raise StoreError(f"{_redact(url)}: no verifier schema here: run `verifier db init --db URL` first")
        if version > LATEST:
            self.conn.close()
            raise CorruptDatabaseError(f"{_redact(url)}: database schema {version} is newer than this verifier's")
        if version < LATEST:
            self.conn.close()
            raise StoreError(f"{_redact(url)}: schema {version} is older than {LATEST}: run `verifier db init`")
        self._dirty_ids: dict[str, set[str]] = {k: set() for k in
                                                ("sources", "posts", "claims", "references", "quote_checks")}
        self._removed_refs: set[str] = set()
        self._clusters_dirty = False
        self._cluster_puts: set[str] = set()
        self._cluster_drops: set[str] = set()
        self.lazy = lazy
        self._load()

    # ---- connections: the screen's, and one for workers ---------------------------
    @property
    def conn(self) -> "psycopg.Connection[Any]":
        """This thread's connection: the store's, or the workers' inside `background()`."""
        return getattr(self._local, "conn", None) or self._conn

    @contextmanager
    def background(self, purpose: str = "work") -> Iterator[None]:
        """Reads from a worker thread go through a connection of their own (one per `purpose`), so a
        search or a count never holds the screen's (tags and polls go on), nor one another's (a
        new search does not wait behind the last one's count), nor shares a transaction with it."""
        conn = self._bgs.get(purpose)
        if conn is None:
            conn = self._bgs[purpose] = connect(self.path)
            for setting in ("SET pg_trgm.word_similarity_threshold = 0.5", "SET jit = off", "SET enable_seqscan = off",
                            "SET enable_hashjoin = off", "SET enable_mergejoin = off"):
                conn.execute(setting)  # what _planned sets per query on the screen's connection
        self._local.conn = conn
        try:
            yield
        except psycopg.errors.QueryCanceled:
            raise Cancelled(purpose) from None
        finally:
            self._local.conn = None

    def cancel(self, purpose: str) -> None:
        """Stop what a worker's connection is running (a count nobody waits for any more): its
        worker gets Cancelled. Safe from any thread."""
        conn = self._bgs.get(purpose)
        if conn is not None and not conn.closed:
            try:
                conn.cancel_safe(timeout=2.0)
            except psycopg.Error:
                pass

    @contextmanager
    def _planned(self, *off: str) -> Iterator[None]:
        """Plan the next queries without these methods (a seq scan of a million claims, a hash join
        over them, a walk of a whole index in search of a word that is not there): SET LOCAL in a
        transaction (the workers' connections have seq scans and hash joins off for good)."""
        if not off:
            yield
            return
        with self.conn.transaction():
            for name in off:
                self.conn.execute(f"SET LOCAL {name} = off")
            yield

    # ---- loading ---------------------------------------------------------
    def _load(self) -> None:
        cur = self.conn.cursor()
        self._meta: dict[str, Any] = {k: v for k, v in cur.execute("SELECT key, value FROM meta")}
        self._sources: dict[str, Source] = {}
        self._posts: dict[str, Post] = {}
        self._claims: dict[str, Claim] = {}
        self._clusters: dict[str, Cluster] = {}
        self._references: dict[str, Reference] = {}
        self._quote_checks: dict[str, dict[str, Any]] = {}
        self._verdicts: dict[str, Verdict] = {}
        self._history: list[dict[str, Any]] = []
        self._decisions: list[dict[str, Any]] = []
        self._corrected: dict[str, list[dict[str, Any]]] = {}  # claim id -> its corrections, oldest first
        self.assignments: dict[str, dict[str, Any]] = {}
        self._assign_known: set[str] = set()  # a lazy store: targets whose assignment (or none) is known
        self._factchecks: dict[str, dict[str, Any]] = {}
        self._factcheck_matches: dict[str, dict[str, Any]] = {}
        self._suggestions: list[dict[str, Any]] = []
        self._follows: dict[str, dict[str, Any]] = {}
        self._aux_dirty: dict[str, set[str]] = {"factchecks": set(), "factcheck_matches": set(), "follows": set()}
        self._aux_replaced: set[str] = set()
        self._meta_dirty = False
        self._last_event = 0
        self._seen_events: set[int] = set()  # event numbers folded in, near the last one (see _apply_events)
        self._event_of: dict[str, int] = {}  # claim -> the event its verdict here comes from
        self._last_decision = 0
        # where the next looks for colleagues' work start: one round trip
        row = cur.execute("SELECT (SELECT coalesce(max(n), 0) FROM claims), "
                          "(SELECT coalesce(max(id), 0) FROM verdict_events), "
                          "(SELECT coalesce(max(seq), 0) FROM assignments)").fetchone()
        self._last_claim_n = int(row[0]) if row else 0
        self.transitions: list[tuple[str, str, str, str]] = []  # (claim, old status, new, actor) as events fold in
        self._assign_seq = 0
        if self.lazy:  # the list is read a page at a time
            self._last_event = int(row[1]) if row else 0
            self._assign_seq = int(row[2]) if row else 0
            self._load_decisions()  # a person's corrections apply to each claim as its page is read
            return
        self._sources = {k: Source.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM sources ORDER BY n")}
        self._posts = {k: Post.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM posts ORDER BY n")}
        self._claims = {k: Claim.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM claims ORDER BY n")}
        self._clusters = {k: Cluster.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM clusters ORDER BY n")}
        self._references = {k: Reference.from_dict(d) for k, d in
                           cur.execute("SELECT id, doc FROM reference_texts ORDER BY n")}
        self._quote_checks = {k: d for k, d in cur.execute("SELECT claim_id, doc FROM quote_checks")}
        for tbl, key, doc in cur.execute("SELECT tbl, key, doc FROM aux ORDER BY tbl, key"):
            if tbl in self._aux_dirty:
                getattr(self, "_" + tbl)[key] = doc
            elif tbl == "suggestions":
                self._suggestions.append(doc)
        self._apply_events(0)
        self._load_decisions()
        self._load_assignments()
        for d in self._decisions:  # a person's corrections win over extraction
            if d.get("op") == "correct":
                self._apply_correction(d)

    _EVENT_COLS = "id, claim_id, status, note, evidence, actor, at, origin, old, undo"
    LATE = 64  # events looked at again below the last one seen: numbers are taken before commits

    def _recent_seen(self, after: int) -> list[int]:
        """The events already folded among those a look at `after` reads again (not sent twice)."""
        floor = after - self.LATE
        return [e for e in self._seen_events if e > floor]

    def _apply_events(self, after: int, rows: Iterable[Any] | None = None) -> list[str]:
        """Fold verdict events after `after` into the in-memory view; returns the claims touched.

        An event number is taken when its INSERT starts and becomes visible when it commits, so a
        colleague's event can appear after a higher one was seen: the look goes back LATE numbers
        and skips the events already folded; a claim's verdict only moves to a later event."""
        touched: list[str] = []
        seen, last = self._seen_events, self._event_of
        if rows is None:
            rows = self.conn.execute(
                f"SELECT {self._EVENT_COLS} FROM verdict_events WHERE id > %s AND id <> ALL(%s) ORDER BY id",
                (max(0, after - self.LATE), self._recent_seen(after)))
        for eid, cid, status, note, evidence, actor, at, origin, old, undo in rows:
            if eid in seen:
                continue
            seen.add(eid)
            self.transitions.append((cid, str((old or {}).get("status") or "unreviewed"), status, actor))
            new = {"claim_id": cid, "status": status, "note": note, "evidence": list(evidence or [])}
            at_s = _iso(at)
            if eid > last.get(cid, 0):
                last[cid] = eid
                self._verdicts[cid] = Verdict(claim_id=cid, status=status, note=note,
                                             evidence=list(evidence or []), updated_at=at_s, by=actor)
            self._history.append({"seq": eid, "claim_id": cid, "at": at_s, "by": actor, "old": old,
                                 "new": new, "origin": origin, **({"undo": True} if undo else {})})
            self._last_event = max(self._last_event, eid)
            touched.append(cid)
        if len(seen) > 4 * self.LATE:  # only the numbers near the last one are ever looked at again
            floor = self._last_event - 2 * self.LATE
            self._seen_events = {e for e in seen if e > floor}
        return touched

    def _load_decisions(self) -> None:
        rows = self.conn.execute("SELECT id, actor, at, doc FROM decisions WHERE id > %s ORDER BY id",
                                 (self._last_decision,))
        for did, actor, at, doc in rows:
            self._decisions.append({"seq": did, "at": _iso(at), "by": actor, **doc})
            self._last_decision = did
            if doc.get("op") == "correct" and doc.get("claim_id"):
                self._corrected.setdefault(doc["claim_id"], []).append(self._decisions[-1])

    def _load_assignments(self) -> None:
        self.assignments = {
            t: {"target": t, "kind": k, "assignee": a, "by": by, "at": _iso(at)}
            for t, k, a, by, at in self.conn.execute(
                "SELECT target, target_kind, assignee, actor, at FROM assignments")
            if a is not None}

    def refresh(self) -> dict[str, Any]:
        """Take in colleagues' work since the last look: verdicts, decisions, assignments, new claims."""
        if self.lazy:
            return self._refresh_lazy()
        touched = self._apply_events(self._last_event)
        before = len(self._decisions)
        self._load_decisions()
        self._load_assignments()
        new_claims = [Claim.from_dict(d) for n, d in self.conn.execute(
            "SELECT n, doc FROM claims WHERE n > %s ORDER BY n", (self._last_claim_n,))]
        row = self.conn.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()
        self._last_claim_n = int(row[0]) if row else self._last_claim_n
        new_claims = [c for c in new_claims if c.id not in self._claims]
        if new_claims:  # their posts come with them
            wanted = list({c.post_id for c in new_claims} - set(self._posts))
            for pid, d in self.conn.execute("SELECT id, doc FROM posts WHERE id = ANY(%s)", (wanted,)):
                self._posts[pid] = Post.from_dict(d)
        for c in new_claims:
            self._claims[c.id] = c
        return {"verdicts": touched, "decisions": len(self._decisions) - before,
                "claims": [c.id for c in new_claims]}

    def _refresh_lazy(self) -> dict[str, Any]:
        """A lazy store's look: only what changed since the last one, each by an index
        (a few milliseconds whatever the size of the database)."""
        touched = self._apply_events(self._last_event)
        before = len(self._decisions)
        self._load_decisions()
        for d in self._decisions[before:]:
            if d.get("op") == "correct":
                self._apply_correction(d)
        assigned: list[str] = []
        rows = self.conn.execute(
            "SELECT target, target_kind, assignee, actor, at, seq FROM assignments WHERE seq > %s ORDER BY seq",
            (self._assign_seq - 50,)).fetchall()  # a little overlap: a number taken just before ours commits late
        for t, k, a, by, at, seq in rows:
            rec = {"target": t, "kind": k, "assignee": a, "by": by, "at": _iso(at)} if a is not None else None
            if self.assignments.get(t) != rec and (rec is not None or t in self.assignments):
                assigned.append(t)
            if rec is None:
                self.assignments.pop(t, None)
            else:
                self.assignments[t] = rec
            self._assign_known.add(t)
            self._assign_seq = max(self._assign_seq, seq)
        new_ids = [r[0] for r in self.conn.execute(
            "SELECT id, n FROM claims WHERE n > %s ORDER BY n", (self._last_claim_n,)).fetchall()]
        if new_ids:
            row = self.conn.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()
            self._last_claim_n = int(row[0]) if row else self._last_claim_n
        return {"verdicts": touched, "decisions": len(self._decisions) - before, "claims": new_ids,
                "assignments": assigned}

    # ---- reading (the ClaimStore interface) --------------------------------
    def claim(self, claim_id: str) -> Claim | None:
        c = self._claims.get(claim_id)
        if c is None and self.lazy:
            got = self.page([claim_id])
            c = got[0][0] if got else None
        return c

    def claim_count(self, *, include_retired: bool = False) -> int:
        if self.lazy:
            return self.count_claims() if not include_retired else int(
                self.conn.execute("SELECT count(*) FROM claims").fetchone()[0])  # type: ignore[index]
        if include_retired:
            return len(self._claims)
        return sum(1 for c in self._claims.values() if not c.retired)

    def post(self, post_id: str) -> Post | None:
        p = self._posts.get(post_id)
        if p is None and self.lazy:
            row = self.conn.execute("SELECT doc FROM posts WHERE id = %s", (post_id,)).fetchone()
            if row:
                p = self._posts[post_id] = Post.from_dict(row[0])
        return p

    def posts_of_source(self, source_id: str) -> list[Post]:
        """A source's posts as its page shows them, top first (the posts view): one indexed query."""
        out = []
        for post_id, doc in self.conn.execute("SELECT id, doc FROM posts WHERE source_id = %s", (source_id,)):
            p = self._posts.get(post_id)
            if p is None:
                p = Post.from_dict(doc)
                if self.lazy:
                    self._posts[post_id] = p
            out.append(p)
        out.sort(key=lambda p: p.seq)
        return out

    def claims_of_post(self, post_id: str) -> list[Claim]:
        """A post's live claims in reading order; a lazy store reads the ones it lacks."""
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM claims WHERE post_id = %s AND NOT retired", (post_id,))]
        missing = [i for i in ids if i not in self._claims]
        if missing and self.lazy:
            self.page(missing)
        out = [self._claims[i] for i in ids if i in self._claims]
        out.sort(key=lambda c: c.span[0])
        return out

    def resolve_claim(self, ref: str) -> Claim:
        """A claim by id or unique id prefix (the server finds prefixes in a lazy store)."""
        ref = ref.strip().lower()
        if ref in self._claims:
            return self._claims[ref]
        if len(ref) < 4:
            raise InputError(f"claim id '{ref}' is too short: give at least 4 characters")
        like = ref.replace("\\", "").replace("%", "").replace("_", "") + "%"
        ids = [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE id LIKE %s LIMIT 2", (like,))]
        if not ids:
            raise InputError(f"no claim with id '{ref}'")
        if len(ids) > 1:
            raise InputError(f"claim id '{ref}' is ambiguous: several claims start with it")
        c = self.claim(ids[0])
        assert c is not None
        return c

    def resolve_reference(self, ref: str) -> Reference:
        if ref in self._references:
            return self._references[ref]
        found = [r for r in self._references.values() if r.path == ref or os.path.basename(ref) == r.path]
        found = found or ([r for r in self._references.values() if r.id.startswith(ref.lower())]
                          if len(ref) >= 4 else [])
        if not found:
            raise InputError(f"no reference text '{ref}' (see: verifier sources list)")
        if len(found) > 1:
            raise InputError(f"reference '{ref}' is ambiguous: {len(found)} match")
        return found[0]

    def stats(self, top_speakers: int = 10) -> "Stats":
        """The stats view's counts, counted by the server (verifier/store/pg_stats.py)."""
        from verifier.store.pg_stats import desk_stats

        return desk_stats(self, top_speakers)

    def disagreements(self) -> list[dict[str, Any]]:
        """Claims two checkers gave different verdicts within a short window, not yet settled."""
        rows = self.conn.execute(
            "SELECT claim_id, first_actor, first_status, second_actor, second_status, at "
            "FROM disagreements ORDER BY at")
        return [{"claim_id": c, "first": {"by": a1, "status": s1}, "second": {"by": a2, "status": s2},
                 "at": _iso(at)} for c, a1, s1, a2, s2, at in rows]

    # ---- the workbench's pages: filters and search as indexed queries ------------
    @staticmethod
    def _like(text: str) -> str:
        return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def _conditions(self, q: "ClaimQuery", *, text: bool = True) -> tuple[list[str], list[Any]]:
        where, args = ["NOT c.retired"], []  # type: list[str], list[Any]
        if q.status:
            where.append("c.status = %s")
            args.append(q.status)
        if q.kind:
            where.append("c.kind = %s")
            args.append(q.kind)
        if q.speaker:
            where.append("lower(coalesce(c.speaker, '')) LIKE %s")
            args.append(self._like(q.speaker))
        if q.quote:
            where.append("EXISTS (SELECT 1 FROM quote_checks qc WHERE qc.claim_id = c.id AND qc.doc->>'status' = %s)")
            args.append(q.quote)
        if q.assignee:
            # the claim's own assignee, else its cluster's: kept on the claim (migration 10)
            where.append("c.assignee = %s")
            args.append(q.assignee)
        elif q.unassigned:
            where.append("c.assignee IS NULL")
        if text and q.text:
            needle = q.text.lower()
            extra: list[Any]
            if q.fuzzy and q.words:  # a typo ("missle"): claims holding the words meant, each by the trigram index
                groups: list[str] = []
                extra = []
                for group in q.words:
                    if not group:
                        groups.append("FALSE")
                        continue
                    alts = []
                    for w in group:
                        alts.append("lower(c.text) LIKE %s OR lower(coalesce(c.speaker, '')) LIKE %s")
                        extra += [self._like(w)] * 2
                    groups.append("(" + " OR ".join(alts) + ")")
                cond = " AND ".join(groups)
            elif q.fuzzy:  # trigram word similarity against the whole text
                cond, extra = "%s <%% lower(c.text)", [needle]
            else:
                like = self._like(needle)
                cond, extra = "lower(c.text) LIKE %s OR lower(coalesce(c.speaker, '')) LIKE %s", [like, like]
            if q.also:  # claims whose note or evidence holds the text (found in the verdicts)
                cond += " OR c.id = ANY(%s)"
                extra.append(list(q.also))
            where.append(f"({cond})")
            args += extra
        return where, args

    @staticmethod
    def _order(q: "ClaimQuery", prefix: str = "c.", reverse: bool = False) -> str:
        """The list's order (`reverse`: from its end, the same index read backwards)."""
        up, down = ("DESC", "") if reverse else ("", "DESC")
        if q.todo_first and not q.status:  # undecided first: the index claims_todo_rank serves it
            return (f" ORDER BY ({prefix}status <> 'unreviewed') {up}, {prefix}checkworthiness {down}, "
                    f"{prefix}id {up}")
        return f" ORDER BY {prefix}checkworthiness {down}, {prefix}id {up}"

    def query_claims(self, query: "ClaimQuery | None" = None, *, status: str | None = None,
                     text: str | None = None, assignee: str | None = None, unassigned: bool = False,
                     limit: int = 200, offset: int = 0) -> list[str]:
        """Claim ids for one page of the list, in rank order, filtered by the server's indexes.

        Text is found as a substring (any case) and, when nothing holds it, by
        trigram word similarity (typos), unless `query` says which. A common word
        is found by walking the rank index until a page is full; a rare one
        through the trigram index.
        """
        q = query or ClaimQuery(status=status, text=text, assignee=assignee, unassigned=unassigned)
        if q.text and query is None:  # decide substring or typo here
            fuzzy = self.text_mode(q.text)
            q = q.with_mode(fuzzy, words=self.words_meant(q.text) if fuzzy else ())
        return [r[0] for r in self.query_rows(q, limit=limit, offset=offset)]

    def query_rows(self, q: "ClaimQuery", *, limit: int, offset: int = 0,
                   after: tuple[bool, float, str] | None = None, walk: bool = True,
                   reverse: bool = False) -> list[tuple[str, bool, float]]:
        """(id, decided, check-worthiness) of one page; `after` a row's key: the page after that row
        as the list is now (a keyset: a page reached by scrolling does not shift when the claims
        above it were decided meanwhile). `reverse`: counted from the list's end, last row first
        (a page near the end of a long list is read from there, not past every row above it)."""
        if reverse:
            return self._rows(q, limit, offset, [], [], walk, reverse=True)
        todo = bool(q.todo_first and not q.status)
        if after is not None and todo:
            done0, cw0, id0 = after
            rows = self._rows(q, limit, 0, ["(c.status <> 'unreviewed') = %s", "c.checkworthiness <= %s",
                                             "(c.checkworthiness < %s OR c.id > %s)"], [done0, cw0, cw0, id0])
            if len(rows) < limit and not done0:  # on into the decided claims
                rows += self._rows(q, limit - len(rows), 0, ["(c.status <> 'unreviewed')"], [])
            return rows
        if after is not None:
            _, cw0, id0 = after
            return self._rows(q, limit, 0, ["c.checkworthiness <= %s", "(c.checkworthiness < %s OR c.id > %s)"],
                              [cw0, cw0, id0])
        return self._rows(q, limit, offset, [], [], walk)

    WALK_MAX = 24_000  # rows of the rank index a page of a search walks at most before asking the trigrams

    def _rows(self, q: "ClaimQuery", limit: int, offset: int, keyset: list[str],
              key_args: list[Any], walk: bool = True, reverse: bool = False) -> list[tuple[str, bool, float]]:
        base, base_args = self._conditions(q, text=False)
        where, args = base + keyset, base_args + key_args
        order = self._order(q, reverse=reverse)
        cols = "c.id, c.status <> 'unreviewed', c.checkworthiness"

        def run(conds: list[str], extra: list[Any]) -> list[tuple[str, bool, float]]:
            sql = f"SELECT {cols} FROM claims c WHERE " + " AND ".join(conds) + order + " LIMIT %s OFFSET %s"
            return [tuple(r) for r in self.conn.execute(sql, [*extra, limit, offset])]  # type: ignore[misc]

        if not q.text:
            return run(where, args)
        full, full_args = self._conditions(q)  # the text's condition comes last
        text_cond, text_args = full[-1], full_args[len(base_args):]
        window = (limit + offset) * 20  # a word in 1 claim of 20 fills a page here
        if walk and (not q.fuzzy or q.words) and window <= self.WALK_MAX:
            # Walk the first rows in rank order: a common word fills the page here.
            head = self.conn.execute(
                "SELECT w.id, w.status <> 'unreviewed', w.checkworthiness FROM (SELECT c.id, c.text, c.speaker, "
                "c.status, c.checkworthiness FROM claims c WHERE " + " AND ".join(where) + order
                + " LIMIT %s) w WHERE " + text_cond.replace("c.", "w.") + self._order(q, "w.", reverse)
                + " LIMIT %s OFFSET %s", [*args, window, *text_args, limit, offset]).fetchall()
            if len(head) == limit:
                return [tuple(r) for r in head]  # type: ignore[misc]
        with self._planned(*trigram_plan(q.text)):  # every hit through the trigram indexes, then the page
            return run([*where, text_cond], [*args, *text_args])

    def text_mode(self, text: str) -> bool:
        """True when nothing holds `text` as a substring, so a search for it is by typo-forgiving similarity."""
        if len(text.strip()) < 4:
            return False
        like = self._like(text)
        with self._planned(*trigram_plan(text)):  # the trigram indexes, never a walk of every claim
            row = self.conn.execute(
                "SELECT 1 FROM claims c WHERE NOT c.retired AND (lower(c.text) LIKE %s "
                "OR lower(coalesce(c.speaker, '')) LIKE %s) LIMIT 1", (like, like)).fetchone()
        return row is None

    def words_meant(self, text: str, per_word: int = 3) -> tuple[tuple[str, ...], ...]:
        """For each word of a search (3 letters or more): itself if some claim holds it, else the
        closest words claims hold (trigram similarity over the table of words; a few ms)."""
        import re

        asked = [w for w in dict.fromkeys(re.findall(r"[^\W_]+", text.lower())) if len(w) >= 3]
        # every word in one statement: itself when the table holds it, else its nearest words
        rows = self.conn.execute(
            "SELECT q.w, CASE WHEN EXISTS (SELECT 1 FROM words WHERE word = q.w) THEN ARRAY[q.w] ELSE "
            "ARRAY(SELECT word FROM words WHERE word %% q.w AND similarity(word, q.w) >= 0.4 "
            "ORDER BY similarity(word, q.w) DESC, word LIMIT %s) END "
            "FROM unnest(%s::text[]) WITH ORDINALITY q(w, o) ORDER BY q.o", (per_word, asked)).fetchall() if asked else []
        out = [tuple(near or ()) for _, near in rows]
        if len(out) >= 4:  # a long search tolerates a word nothing resembles
            out = [g for g in out if g]
        return tuple(out) or ((),)  # an empty group: that word is in no claim, nothing matches

    def text_plan(self, text: str, window: int = 1_200) -> tuple[list[str], bool]:
        """annotated_with and text_mode in one or two round trips: (claims whose note or evidence
        holds `text`, whether the search is by typo-forgiving similarity). A text among the first
        `window` claims of the list is found by walking them (a common word: a millisecond); else
        the trigram indexes say whether any claim holds it."""
        like = self._like(text)
        row = self.conn.execute(
            "SELECT ARRAY(SELECT claim_id FROM verdicts WHERE (note IS NOT NULL OR evidence <> '[]') "
            "AND lower(coalesce(note, '') || ' ' || evidence::text) LIKE %s), "
            "EXISTS (SELECT 1 FROM (SELECT c.text, c.speaker FROM claims c WHERE NOT c.retired"
            + self._order(ClaimQuery(todo_first=True)) + " LIMIT %s) w "
            "WHERE lower(w.text) LIKE %s OR lower(coalesce(w.speaker, '')) LIKE %s)",
            (like, window, like, like)).fetchone()
        also, found = (list(row[0] or []), bool(row[1])) if row else ([], False)
        if found or len(text.strip()) < 4:  # a typo is looked for from 4 letters on
            return also, False
        return also, self.text_mode(text)

    def annotated_with(self, text: str) -> list[str]:
        """Claims whose note or evidence holds `text` (any case)."""
        like = self._like(text)
        return [r[0] for r in self.conn.execute(
            "SELECT claim_id FROM verdicts WHERE (note IS NOT NULL OR evidence <> '[]') "
            "AND lower(coalesce(note, '') || ' ' || evidence::text) LIKE %s", (like,))]

    def count_query(self, q: "ClaimQuery", cap: int | None = None) -> int:
        """How many claims the list holds under `q`: exact, from small tables, when only status
        and assignment filter it; else counted up to `cap` (cap + 1 says "more")."""
        if not (q.text or q.kind or q.speaker or q.quote):
            base = self.count_claims(status=q.status)
            if not q.assignee and not q.unassigned:
                return base
            assigned = self.count_assigned(q.assignee, q.status)
            return assigned if q.assignee else max(0, base - assigned)
        where, args = self._conditions(q)
        limit = f" LIMIT {int(cap) + 1}" if cap else ""
        with self._planned(*trigram_plan(q.text, q.speaker)):  # the trigram indexes
            row = self.conn.execute("SELECT count(*) FROM (SELECT 1 FROM claims c WHERE " + " AND ".join(where)
                                    + limit + ") x", args).fetchone()
        return int(row[0]) if row else 0

    def count_assigned(self, assignee: str | None = None, status: str | None = None) -> int:
        """Live claims assigned (to `assignee`, or to anyone), in `status` if given: one range of a
        small partial index (claims_assignee_todo_rank), a few milliseconds."""
        row = self.conn.execute(
            "SELECT count(*) FROM claims c WHERE NOT c.retired AND c.assignee IS NOT NULL"
            + (" AND c.assignee = %s" if assignee else "") + (" AND c.status = %s" if status else ""),
            [x for x in (assignee, status) if x]).fetchone()
        return int(row[0]) if row else 0

    def estimate_query(self, q: "ClaimQuery") -> int:
        """The planner's guess of how many claims the list holds under `q` (a millisecond or two:
        shown as "about N" while the exact count runs in a worker)."""
        where, args = self._conditions(q)
        with self._planned(*trigram_plan(q.text, q.speaker)):
            row = self.conn.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM claims c WHERE " + " AND ".join(where),
                                    args).fetchone()
        try:
            plan: Any = row[0] if row else None
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return max(0, int(plan[0]["Plan"]["Plan Rows"]))
        except (TypeError, ValueError, KeyError, IndexError):
            return 0

    def window_rows(self, q: "ClaimQuery", window: int) -> tuple[list[tuple[str, bool, float]], int]:
        """The claims under `q` among the first `window` rows of the list's order, and how many rows
        the window held (fewer than `window`: it was the whole list). One walk of the rank index."""
        base, args = self._conditions(replace(q, text=None, kind=None, speaker=None, quote=None,
                                              fuzzy=False, words=(), also=()), text=False)
        full, full_args = self._conditions(replace(q, assignee=None, unassigned=False, status=None))
        cond = " AND ".join(full[1:]) or "TRUE"
        rows = self.conn.execute(
            f"SELECT c.id, c.status <> 'unreviewed', c.checkworthiness, ({cond}) FROM claims c WHERE "
            + " AND ".join(base) + self._order(q) + " LIMIT %s", [*full_args, *args, window]).fetchall()
        return [(r[0], r[1], r[2]) for r in rows if r[3]], len(rows)

    def capped_rows(self, q: "ClaimQuery", cap: int) -> list[tuple[str, bool, float]]:
        """Up to cap + 1 claims under `q`, found through the indexes (any cap + 1 of them when there
        are more; all of them, in list order, when not): a search's whole list in one query."""
        where, args = self._conditions(q)
        with self._planned(*trigram_plan(q.text, q.speaker)):  # the trigram indexes
            rows = self.conn.execute(
                "SELECT h.id, h.done, h.checkworthiness FROM (SELECT c.id, c.status <> 'unreviewed' AS done, "
                "c.status, c.checkworthiness FROM claims c WHERE " + " AND ".join(where)
                + f" LIMIT {int(cap) + 1}) h" + self._order(q, "h.").replace("(h.status <> 'unreviewed')", "h.done"),
                args).fetchall()
        return [tuple(r) for r in rows]  # type: ignore[misc]

    # One statement reads a screenful: the claims with their verdicts, the first members of their
    # clusters (the detail pane shows them), and for all of those their posts, clusters, quote checks
    # and assignments, as rows tagged by kind. One round trip, not six: on a loaded machine each
    # round trip waits for the server process to be scheduled.
    _PAGE_SQL = """
WITH asked AS (SELECT DISTINCT x AS id FROM unnest(%(ids)s::text[]) x),
c0 AS (SELECT c.id, c.post_id, c.cluster_id, c.doc FROM claims c JOIN asked USING (id)),
cl AS (SELECT k.id, k.doc FROM clusters k WHERE k.id IN (SELECT cluster_id FROM c0)),
mem AS (SELECT DISTINCT e.id FROM cl, jsonb_array_elements_text(cl.doc->'claim_ids') WITH ORDINALITY e(id, o)
        WHERE e.o <= %(members)s AND cl.id <> ALL(%(known_clusters)s) AND e.id NOT IN (SELECT id FROM asked)
),
c1 AS (SELECT * FROM c0 UNION ALL SELECT m.id, m.post_id, m.cluster_id, m.doc FROM claims m JOIN mem USING (id)),
cl1 AS (SELECT * FROM cl UNION
        SELECT k.id, k.doc FROM clusters k WHERE k.id IN (SELECT cluster_id FROM c1 WHERE cluster_id IS NOT NULL))
SELECT 'c', c1.id, c1.doc, v.status, v.note, v.evidence, v.actor, v.at, v.event_id::text
  FROM c1 LEFT JOIN verdicts v ON v.claim_id = c1.id
UNION ALL SELECT 'p', p.id, p.doc, NULL, NULL, NULL, NULL, NULL, NULL FROM posts p
  WHERE p.id IN (SELECT post_id FROM c1) AND p.id <> ALL(%(known_posts)s)
UNION ALL SELECT 'k', cl1.id, cl1.doc, NULL, NULL, NULL, NULL, NULL, NULL FROM cl1
  WHERE cl1.id <> ALL(%(known_clusters)s)
UNION ALL SELECT 'q', q.claim_id, q.doc, NULL, NULL, NULL, NULL, NULL, NULL FROM quote_checks q
  WHERE q.claim_id = ANY(ARRAY(SELECT id FROM c1))
UNION ALL SELECT 'a', a.target, NULL, NULL, NULL, NULL, a.actor, a.at, a.assignee || chr(31) || a.target_kind
  FROM assignments a WHERE a.target = ANY(ARRAY(SELECT id FROM c1 UNION SELECT id FROM cl1))
"""

    def page(self, ids: list[str]) -> list[tuple[Claim, Verdict]]:
        """The claims of one screenful with their current verdicts, in the order given.

        A lazy store keeps them, and reads at once, in the same statement, what
        their rows and the detail pane show: their posts, clusters (with a few
        members), quote checks and assignments, so drawing the screen asks the
        server nothing more."""
        if not ids:
            return []
        lazy = self.lazy
        # what this store already holds is not sent again (a lazy store only: it keeps what it reads)
        near = {c.cluster_id for i in ids if (c := self._claims.get(i)) is not None and c.cluster_id}
        known_clusters = [k for k in near if k in self._clusters] if lazy else []
        near_posts = {c.post_id for i in ids if (c := self._claims.get(i)) is not None}
        known_posts = [p for p in near_posts if p in self._posts] if lazy else []
        rows = self.conn.execute(self._PAGE_SQL, {
            "ids": list(ids), "members": 30 if lazy else 0, "known_clusters": known_clusters,
            "known_posts": known_posts}).fetchall()
        got: dict[str, tuple[Claim, Verdict]] = {}
        seen_targets: list[str] = []
        for kind, key, doc, status, note, evidence, actor, at, extra in rows:
            if kind == "c":
                c = Claim.from_dict(doc)
                v = (Verdict(claim_id=c.id, status=status, note=note, evidence=list(evidence or []),
                             updated_at=_iso(at), by=actor) if status else Verdict(claim_id=c.id))
                got[c.id] = (c, v)
                if lazy:
                    self._claims[c.id] = c
                    if status:
                        event = int(extra)
                        if event >= self._event_of.get(c.id, 0):  # never back to an older verdict
                            self._verdicts[c.id] = v
                            self._event_of[c.id] = event
                    elif c.id not in self._event_of:
                        self._verdicts.pop(c.id, None)
                    got[c.id] = (c, self._verdicts.get(c.id) or v)
                    seen_targets.append(c.id)
                    if c.cluster_id:
                        seen_targets.append(c.cluster_id)
            elif not lazy:
                continue
            elif kind == "p":
                self._posts[key] = Post.from_dict(doc)
            elif kind == "k":
                self._clusters[key] = Cluster.from_dict(doc)
            elif kind == "q":
                self._quote_checks[key] = doc
            elif kind == "a":
                assignee, _, target_kind = extra.partition(chr(31)) if extra else (None, "", "")
                if assignee:
                    self.assignments[key] = {"target": key, "kind": target_kind, "assignee": assignee,
                                             "by": actor, "at": _iso(at)}
                else:
                    self.assignments.pop(key, None)
        if lazy and got:
            self._assign_known.update(seen_targets)
            if self._corrected:  # a person's corrections win over extraction
                for cid in got:
                    for d in self._corrected.get(cid, ()):
                        self._apply_correction(d)
                got = {cid: (self._claims[cid], v) for cid, (_, v) in got.items()}
        return [got[i] for i in ids if i in got]

    def load_assignments(self, targets: list[str]) -> None:
        """A lazy store: the assignments of these claims and clusters, read once."""
        want = [t for t in targets if t not in self._assign_known]
        if not want:
            return
        for t, k, a, by, at in self.conn.execute(
                "SELECT target, target_kind, assignee, actor, at FROM assignments WHERE target = ANY(%s)", (want,)):
            if a is not None:
                self.assignments[t] = {"target": t, "kind": k, "assignee": a, "by": by, "at": _iso(at)}
        self._assign_known.update(want)

    def cluster(self, cluster_id: str) -> Cluster | None:
        cl = self._clusters.get(cluster_id)
        if cl is None and self.lazy and cluster_id:
            row = self.conn.execute("SELECT doc FROM clusters WHERE id = %s", (cluster_id,)).fetchone()
            if row:
                cl = self._clusters[cluster_id] = Cluster.from_dict(row[0])
        return cl

    def verdict(self, claim_id: str) -> Verdict:
        v = self._verdicts.get(claim_id)
        if v is None and self.lazy and claim_id not in self._claims:
            got = self.page([claim_id])
            return got[0][1] if got else Verdict(claim_id=claim_id)
        return v or Verdict(claim_id=claim_id)

    def history_of(self, claim_id: str) -> list[dict[str, Any]]:
        if not self.lazy:
            return super().history_of(claim_id)
        return [{"seq": eid, "claim_id": cid, "at": _iso(at), "by": actor, "old": old,
                 "new": {"claim_id": cid, "status": status, "note": note, "evidence": list(evidence or [])},
                 "origin": origin, **({"undo": True} if undo else {})}
                for eid, cid, status, note, evidence, actor, at, origin, old, undo in self.conn.execute(
                    "SELECT id, claim_id, status, note, evidence, actor, at, origin, old, undo "
                    "FROM verdict_events WHERE claim_id = %s ORDER BY id", (claim_id,))]

    def speaker_counts(self, limit: int = 200) -> list[tuple[str, int]]:
        """Speakers by number of live claims, most quoted first (the speaker picker)."""
        return [(s, int(n)) for s, n in self.conn.execute(
            "SELECT speaker, count(*) FROM claims WHERE NOT retired AND speaker IS NOT NULL AND speaker <> '' "
            "GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT %s", (limit,))]

    def status_counts(self) -> dict[str, int]:
        """Live claims by status: the progress line's counters."""
        total = self.count_claims()
        counts: dict[str, int] = {s: 0 for s in STATUSES}
        for status, n in self.conn.execute(  # as count_claims: a retired claim's verdict still counts
                "SELECT status, count(*) FROM verdicts WHERE status <> 'unreviewed' GROUP BY status"):
            if status in counts:
                counts[status] = int(n)
        counts["unreviewed"] = max(0, total - sum(counts.values()))
        return counts

    def count_claims(self, *, status: str | None = None) -> int:
        """Claims in the list, by status, without counting a million rows on every screen.

        The number of live claims is kept in ``meta`` by ``save()`` (saves are
        serialised); reviewed claims are counted in the verdicts table, which
        holds only claims someone decided (a retired claim's verdict still counts).
        """
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'live_claims'").fetchone()
        if row is None or not isinstance(row[0], int):
            got = self.conn.execute("SELECT count(*) FROM claims WHERE NOT retired").fetchone()
            total = int(got[0]) if got else 0
        else:
            total = int(row[0])
        if not status:
            return total
        counts = dict(self.conn.execute(
            "SELECT status, count(*) FROM verdicts WHERE status <> 'unreviewed' GROUP BY status").fetchall())
        if status == "unreviewed":
            return max(0, total - sum(int(n) for n in counts.values()))
        return int(counts.get(status, 0))

    # ---- verdicts: committed events ------------------------------------
    def _refuse_readonly(self) -> None:
        if self.readonly:
            raise StoreError(f"{_redact(self.path)}: opened read-only")

    def _plan(self, claim_id: str, status: str | None, note: str | None,
              evidence: list[str] | None, old: Verdict | None = None) -> tuple[Verdict, Verdict]:
        if self.claim(claim_id) is None:
            raise InputError(f"no claim with id '{claim_id}'")
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status '{status}': choose one of {', '.join(STATUSES)}")
        if note is not None and not isinstance(note, str):
            raise InputError(f"claim {claim_id}: note must be text")
        if evidence is not None and not (isinstance(evidence, list) and all(isinstance(e, str) for e in evidence)):
            raise InputError(f"claim {claim_id}: evidence must be a list of texts")
        old = old or self.verdict(claim_id)
        new = Verdict(claim_id=claim_id,
                      status=cast(Status, status if status is not None else old.status),
                      note=note if note is not None else old.note,
                      evidence=list(evidence) if evidence is not None else list(old.evidence))
        return old, new

    ONE_STATEMENT = 2_000  # events inserted by one statement (its own transaction); more: one transaction

    def _insert_events(self, rows: list[tuple[Verdict, Verdict, str | None]], *, origin: str,
                       undo: bool = False) -> None:
        """(old, new, by) rows as events in ONE transaction: all are committed when this returns, or none.

        Up to ONE_STATEMENT events are one statement, which is its own transaction (autocommit):
        one round trip inserts them, commits them durably (synchronous_commit is left on) and
        brings back, in the same answer, colleagues' events committed meanwhile, so ours fold in
        last, as the server ordered them."""
        self._refuse_readonly()
        values = [(new.claim_id, new.status, new.note, Jsonb(list(new.evidence)), by or self.actor, origin,
                   Jsonb(old.to_dict()), undo) for old, new, by in rows]
        cols = self._EVENT_COLS
        try:
            if len(values) <= self.ONE_STATEMENT and not self.conn.info.transaction_status:
                marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(values))
                got = self.conn.execute(
                    f"WITH ins AS (INSERT INTO verdict_events (claim_id, status, note, evidence, actor, origin, "
                    f"old, undo) VALUES {marks} RETURNING {cols}) "
                    f"SELECT {cols} FROM verdict_events WHERE id > %s AND id <> ALL(%s) "
                    f"UNION ALL SELECT {cols} FROM ins ORDER BY id",
                    [x for row in values for x in row] + [max(0, self._last_event - self.LATE),
                                                          self._recent_seen(self._last_event)]).fetchall()
            else:
                with self.conn.transaction():
                    self.conn.cursor().executemany(
                        "INSERT INTO verdict_events (claim_id, status, note, evidence, actor, origin, old, undo) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", values)
                got = None
        except psycopg.Error as exc:
            raise StoreError(f"verdict not saved: {str(exc).strip().splitlines()[0]}") from None
        # Colleagues' events that came in before ours are folded too, so ours are the last ones.
        self._apply_events(self._last_event, got)

    def set_verdict(self, claim_id: str, *, status: str | None = None, note: str | None = None,
                    evidence: list[str] | None = None, by: str | None = None,
                    origin: str = "workbench") -> Verdict:
        """Change a verdict; returns it once it is committed. None leaves a field as it was."""
        self._refuse_readonly()
        old, new = self._plan(claim_id, status, note, evidence)
        self._insert_events([(old, new, by)], origin=origin)
        return self._verdicts[claim_id]

    def set_verdicts(self, changes: list[VerdictChange]) -> list[Verdict]:
        """Many verdicts in one transaction: all committed when this returns, or none."""
        self._refuse_readonly()
        planned: dict[str, Verdict] = {}
        rows = []
        for ch in changes:
            old, new = self._plan(ch.claim_id, ch.status, ch.note, ch.evidence, planned.get(ch.claim_id))
            planned[ch.claim_id] = new
            rows.append((old, new, ch.by))
        if rows:
            self._insert_events(rows, origin="bulk")
        return [self._verdicts[old.claim_id] for old, _, _ in rows]

    def restore_verdict(self, verdict: Verdict) -> Verdict:
        """Put back an earlier verdict exactly (undo): one more event, history is never rewritten."""
        return self.restore_verdicts([verdict])[0]

    def restore_verdicts(self, verdicts: list[Verdict]) -> list[Verdict]:
        self._refuse_readonly()
        rows = []
        for v in verdicts:
            old, new = self._plan(v.claim_id, v.status, v.note, list(v.evidence))
            new.note = v.note  # exactly as it was, None included
            rows.append((old, new, cast("str | None", None)))
        if rows:
            self._insert_events(rows, origin="undo", undo=True)
        return [self._verdicts[v.claim_id] for v in verdicts]

    def add_decision(self, decision: Decision) -> Decision:
        """A person's split or merge of clusters; it outlives re-linking."""
        self._refuse_readonly()
        d = decision.to_dict()
        for k in ("seq", "at", "by"):
            d.pop(k, None)
        problems = Decision.problems(d, "decision")
        if problems:
            raise InputError(problems[0])
        self.conn.execute("INSERT INTO decisions (actor, doc) VALUES (%s, %s)", (self.actor, Jsonb(d)))
        self._load_decisions()
        return Decision.from_dict(self._decisions[-1])

    def record_decision(self, decision: dict[str, Any]) -> None:
        self.add_decision(Decision.from_dict(decision))

    # ---- assignment ------------------------------------------------------
    def assign(self, target: str, assignee: str | None, *, by: str | None = None) -> None:
        """Give a claim or a whole cluster to a fact-checker (None: unassign)."""
        if self.readonly:
            raise StoreError(f"{_redact(self.path)}: opened read-only")
        if target in self._claims:
            kind = "claim"
        elif target in self._clusters:
            kind = "cluster"
        elif self.lazy and self.conn.execute("SELECT 1 FROM claims WHERE id = %s", (target,)).fetchone():
            kind = "claim"
        elif self.lazy and self.conn.execute("SELECT 1 FROM clusters WHERE id = %s", (target,)).fetchone():
            kind = "cluster"
        else:
            raise InputError(f"no claim or cluster with id '{target}'")
        try:
            row = self.conn.execute(
                "INSERT INTO assignments (target, target_kind, assignee, actor) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (target) DO UPDATE SET assignee = EXCLUDED.assignee, actor = EXCLUDED.actor, "
                "at = clock_timestamp() RETURNING actor, at", (target, kind, assignee, by or self.actor)).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"assignment not saved: {str(exc).strip().splitlines()[0]}") from None
        if not self.lazy:
            self._load_assignments()
            return
        self._assign_known.add(target)
        if assignee is None:
            self.assignments.pop(target, None)
        else:
            self.assignments[target] = {"target": target, "kind": kind, "assignee": assignee,
                                        "by": row[0] if row else by, "at": _iso(row[1]) if row else None}

    def assignee(self, claim_id: str) -> str | None:
        """Who the claim is assigned to: itself, else its cluster (None: nobody)."""
        a = self.assignments.get(claim_id)
        if a is None:
            c = self._claims.get(claim_id)
            a = self.assignments.get(c.cluster_id) if c is not None and c.cluster_id else None
        return a["assignee"] if a else None

    # ---- live ------------------------------------------------------------
    def listen(self, timeout: float = 1.0) -> Iterator[dict[str, Any]]:
        """Wait up to `timeout` seconds for colleagues' changes; yields their notices.

        Uses its own connection, so a workbench can listen in a worker thread
        while the main connection serves the screen.
        """
        conn = getattr(self, "_listen_conn", None)
        if conn is None:
            conn = self._listen_conn = connect(self.path)
            conn.execute(f"LISTEN {CHANNEL}")
        for note in conn.notifies(timeout=timeout, stop_after=None):
            try:
                yield json.loads(note.payload)
            except ValueError:
                continue

    # ---- corpus: buffered, written by save() -----------------------------
    def put_source(self, source: Source) -> None:
        self._refuse_readonly()
        _checked("sources", [source])
        self._sources[source.id] = source
        self._dirty_ids["sources"].add(source.id)

    def put_posts(self, posts: Iterable[Post]) -> None:
        self._refuse_readonly()
        for p in _checked("posts", posts):
            self._posts[p.id] = p
            self._dirty_ids["posts"].add(p.id)

    def put_claims(self, claims: Iterable[Claim]) -> None:
        self._refuse_readonly()
        for c in _checked("claims", claims):
            self._claims[c.id] = c
            self._dirty_ids["claims"].add(c.id)

    def put_reference(self, ref: Reference) -> None:
        self._refuse_readonly()
        self._references[ref.id] = ref
        self._dirty_ids["references"].add(ref.id)
        self._removed_refs.discard(ref.id)

    def remove_reference(self, ref_id: str) -> None:
        self._refuse_readonly()
        del self._references[ref_id]
        self._dirty_ids["references"].discard(ref_id)
        self._removed_refs.add(ref_id)

    def put_quote_checks(self, checks: Iterable[QuoteCheck]) -> None:
        self._refuse_readonly()
        self.set_quote_checks({q.claim_id: q.to_dict() for q in checks})

    def set_quote_checks(self, checks: dict[str, dict[str, Any]]) -> None:
        self._quote_checks.update(checks)
        self._dirty_ids["quote_checks"].update(checks)

    # ---- corrections and followed sources (as the file backend) ----
    def put_follow(self, follow: dict[str, Any]) -> None:
        self._refuse_readonly()
        self._follows[follow["id"]] = dict(follow)
        self._aux_dirty["follows"].add(follow["id"])

    def remove_follow(self, follow_id: str) -> None:
        self._refuse_readonly()
        self._follows.pop(follow_id, None)
        self._aux_dirty["follows"].add(follow_id)

    def set_suggestions(self, suggestions: Iterable[dict[str, Any]]) -> None:
        self._refuse_readonly()
        self._suggestions = list(suggestions)
        self._aux_replaced.add("suggestions")

    def set_link_token(self, token: str) -> None:
        """The saved link index (``<db>.link``) is a file beside a file database; a desk database
        has no such file, so its index is rebuilt when needed: the token is kept for the record."""
        self._refuse_readonly()
        self._meta["link_index"] = token
        self._meta_dirty = True

    def put_factchecks(self, entries: Iterable[dict[str, Any]]) -> None:
        self._refuse_readonly()
        for e in entries:
            self._factchecks[e["key"]] = e
            self._aux_dirty["factchecks"].add(e["key"])

    def remove_factchecks(self, keys: Iterable[str]) -> None:
        self._refuse_readonly()
        for k in keys:
            self._factchecks.pop(k, None)
            self._aux_dirty["factchecks"].add(k)

    def set_factcheck_matches(self, matches: dict[str, dict[str, Any]], *, replace: bool = False) -> None:
        self._refuse_readonly()
        if replace:
            self._factcheck_matches = {}
            self._aux_replaced.add("factcheck_matches")
        self._factcheck_matches.update(matches)
        self._aux_dirty["factcheck_matches"].update(matches)

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        self._refuse_readonly()
        given = list(clusters)
        _checked("clusters", [c for c in given if self._clusters.get(c.id) is not c])  # new or changed
        self._clusters = {c.id: c for c in given}
        self._clusters_dirty = True
        self._cluster_puts.clear()
        self._cluster_drops.clear()
        # Cluster ids live on the claims too: every claim follows (None for a claim in none).
        member_of = {cid: cl.id for cl in self._clusters.values() for cid in cl.claim_ids}
        for c in self._claims.values():
            if c.cluster_id != member_of.get(c.id):
                c.cluster_id = member_of.get(c.id)
                self._dirty_ids["claims"].add(c.id)

    def update_clusters(self, clusters: Iterable[Cluster], removed: Iterable[str] = ()) -> None:
        """Put these clusters and drop the removed ones; their members' cluster_id follows.
        Written on save as row upserts and deletes, not a rewrite of every cluster."""
        self._refuse_readonly()
        checked = _checked("clusters", clusters)
        for cid in [*removed, *(cl.id for cl in checked)]:
            old = self._clusters.pop(cid, None)
            self._cluster_puts.discard(cid)
            self._cluster_drops.add(cid)
            for m in (old.claim_ids if old is not None else ()):
                c = self._claims.get(m)
                if c is not None and c.cluster_id == cid:
                    c.cluster_id = None
                    self._dirty_ids["claims"].add(m)
        for cl in checked:
            self._clusters[cl.id] = cl
            self._cluster_drops.discard(cl.id)
            self._cluster_puts.add(cl.id)
            for m in cl.claim_ids:
                c = self._claims.get(m)
                if c is not None and c.cluster_id != cl.id:
                    c.cluster_id = cl.id
                    self._dirty_ids["claims"].add(m)

    def save(self) -> None:
        """Write every buffered corpus change in one transaction."""
        self._refuse_readonly()
        d = self._dirty_ids
        if (not any(d.values()) and not self._removed_refs and not self._clusters_dirty
                and not self._cluster_puts and not self._cluster_drops
                and not any(self._aux_dirty.values()) and not self._aux_replaced and not self._meta_dirty):
            return
        try:
            with self.conn.transaction():
                cur = self.conn.cursor()
                # One corpus writer at a time, so the count kept in meta is exact.
                cur.execute("SELECT pg_advisory_xact_lock(hashtext('verifier.save'))")
                if d["sources"]:
                    cur.executemany(
                        "INSERT INTO sources (id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                        [(i, Jsonb(v.to_dict())) for i, v in self._sources.items() if i in d["sources"]])
                if d["posts"]:
                    cur.executemany(
                        "INSERT INTO posts (id, source_id, doc) VALUES (%s, %s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET source_id = EXCLUDED.source_id, doc = EXCLUDED.doc",
                        [(i, p.source_id, Jsonb(p.to_dict())) for i, p in self._posts.items() if i in d["posts"]])
                if d["claims"]:
                    self._write_claims(cur, [c for i, c in self._claims.items() if i in d["claims"]])
                if self._clusters_dirty:
                    cur.execute("TRUNCATE clusters")
                    with cur.copy("COPY clusters (id, doc) FROM STDIN") as copy:
                        for c in self._clusters.values():
                            copy.write_row((c.id, json.dumps(c.to_dict())))
                else:
                    if self._cluster_drops:
                        cur.execute("DELETE FROM clusters WHERE id = ANY(%s)", (list(self._cluster_drops),))
                    if self._cluster_puts:
                        cur.executemany(
                            "INSERT INTO clusters (id, doc) VALUES (%s, %s) "
                            "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                            [(i, Jsonb(self._clusters[i].to_dict())) for i in self._cluster_puts
                             if i in self._clusters])
                if d["references"]:
                    cur.executemany(
                        "INSERT INTO reference_texts (id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                        [(i, Jsonb(r.to_dict())) for i, r in self._references.items() if i in d["references"]])
                if self._removed_refs:
                    cur.execute("DELETE FROM reference_texts WHERE id = ANY(%s)", (list(self._removed_refs),))
                if d["quote_checks"]:
                    cur.executemany(
                        "INSERT INTO quote_checks (claim_id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (claim_id) DO UPDATE SET doc = EXCLUDED.doc",
                        [(i, Jsonb(self._quote_checks[i])) for i in d["quote_checks"]
                         if i in self._quote_checks])
                for tbl in self._aux_replaced:
                    cur.execute("DELETE FROM aux WHERE tbl = %s", (tbl,))
                if "suggestions" in self._aux_replaced:
                    cur.executemany("INSERT INTO aux (tbl, key, doc) VALUES ('suggestions', %s, %s)",
                                    [(f"{i:09d}", Jsonb(v)) for i, v in enumerate(self._suggestions)])
                if self._meta_dirty:
                    cur.executemany("INSERT INTO meta (key, value) VALUES (%s, %s) "
                                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                                    [(k, Jsonb(v)) for k, v in self._meta.items() if k == "link_index"])
                for tbl, keys in self._aux_dirty.items():
                    table = getattr(self, "_" + tbl)
                    gone = [k for k in keys if k not in table]
                    if gone:
                        cur.execute("DELETE FROM aux WHERE tbl = %s AND key = ANY(%s)", (tbl, gone))
                    cur.executemany(
                        "INSERT INTO aux (tbl, key, doc) VALUES (%s, %s, %s) "
                        "ON CONFLICT (tbl, key) DO UPDATE SET doc = EXCLUDED.doc",
                        [(tbl, k, Jsonb(table[k])) for k in keys if k in table])
                if d["claims"]:
                    cur.execute("INSERT INTO meta (key, value) SELECT 'live_claims', to_jsonb(count(*)) "
                                "FROM claims WHERE NOT retired "
                                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
                cur.execute("INSERT INTO meta (key, value) VALUES ('saved_at', %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                            (Jsonb(datetime.now(timezone.utc).isoformat(timespec="seconds")),))
        except psycopg.Error as exc:
            raise StoreError(f"{_redact(self.path)}: not saved: {str(exc).strip().splitlines()[0]}") from None
        for v in d.values():
            v.clear()
        for v in self._aux_dirty.values():
            v.clear()
        self._aux_replaced.clear()
        self._meta_dirty = False
        self._removed_refs.clear()
        self._clusters_dirty = False
        self._cluster_puts.clear()
        self._cluster_drops.clear()

    @staticmethod
    def _write_claims(cur: Any, claims: list[Claim]) -> None:
        # Through a temporary table and COPY: an executemany of 100,000 upserts is minutes.
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS claims_in (LIKE claims) ON COMMIT DROP")
        cur.execute("ALTER TABLE claims_in DROP COLUMN status, DROP COLUMN n")
        with cur.copy("COPY claims_in (id, post_id, kind, text, speaker, cluster_id, retired, "
                      "checkworthiness, doc) FROM STDIN") as copy:
            for c in claims:
                copy.write_row((c.id, c.post_id, c.kind, c.text, c.speaker, c.cluster_id, c.retired,
                                float(c.checkworthiness or 0.0), json.dumps(c.to_dict())))
        cur.execute(
            "INSERT INTO claims (id, post_id, kind, text, speaker, cluster_id, retired, checkworthiness, doc) "
            "SELECT id, post_id, kind, text, speaker, cluster_id, retired, checkworthiness, doc FROM claims_in "
            "ON CONFLICT (id) DO UPDATE SET "
            "post_id = EXCLUDED.post_id, kind = EXCLUDED.kind, text = EXCLUDED.text, "
            "speaker = EXCLUDED.speaker, cluster_id = EXCLUDED.cluster_id, retired = EXCLUDED.retired, "
            "checkworthiness = EXCLUDED.checkworthiness, doc = EXCLUDED.doc")
        cur.execute(  # the words a typo in a search is corrected against
            "INSERT INTO words SELECT DISTINCT w FROM claims_in c, "
            "regexp_split_to_table(lower(c.text || ' ' || coalesce(c.speaker, '')), '[^[:alnum:]]+') w "
            "WHERE length(w) >= 3 ON CONFLICT DO NOTHING")
        cur.execute("DROP TABLE claims_in")

    def close(self) -> None:
        for conn in (getattr(self, "_listen_conn", None), *getattr(self, "_bgs", {}).values(), self._conn):
            if conn is not None and not conn.closed:
                conn.close()

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
