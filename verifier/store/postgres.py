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
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, cast

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

try:  # psycopg is needed only for a desk database
    import psycopg
    from psycopg.types.json import Jsonb
except ImportError:  # pragma: no cover - reported when a postgresql:// address is used
    psycopg = None  # type: ignore[assignment]


def _checked(table: str, records: Iterable[Any]) -> list[Any]:
    """Every field's type checked before it is stored, as the file backend does."""
    from verifier.store.database import Store

    return Store._checked(table, records)


def is_postgres_url(path: str | None) -> bool:
    return bool(path) and str(path).startswith(("postgresql://", "postgres://"))


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat(timespec="seconds")
    return str(value)


def _redact(url: str) -> str:
    """The address without a password, for messages."""
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        head, tail = url.split("@", 1)
        scheme, userpass = head.split("//", 1)
        return f"{scheme}//{userpass.split(':', 1)[0]}:***@{tail}"
    return url


def connect(url: str, *, autocommit: bool = True) -> "psycopg.Connection[Any]":
    if psycopg is None:
        raise StoreError("a PostgreSQL database needs psycopg: pip install 'psycopg[binary]'")
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10,
                               application_name="verifier")
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
        self.conn = connect(url)
        # Typos in a search ("missle") score about 0.55 against the word meant.
        self.conn.execute("SET pg_trgm.word_similarity_threshold = 0.5")
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
        self.lazy = lazy
        self._load()

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
        self.assignments: dict[str, dict[str, Any]] = {}
        self._factchecks: dict[str, dict[str, Any]] = {}
        self._factcheck_matches: dict[str, dict[str, Any]] = {}
        self._suggestions: list[dict[str, Any]] = []
        self._follows: dict[str, dict[str, Any]] = {}
        self._aux_dirty: dict[str, set[str]] = {"factchecks": set(), "factcheck_matches": set(), "follows": set()}
        self._aux_replaced: set[str] = set()
        self._meta_dirty = False
        self._last_event = 0
        self._last_decision = 0
        row = cur.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()
        self._last_claim_n = int(row[0]) if row else 0
        if self.lazy:  # the list is read a page at a time
            row = cur.execute("SELECT coalesce(max(id), 0) FROM verdict_events").fetchone()
            self._last_event = int(row[0]) if row else 0
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

    def _apply_events(self, after: int) -> list[str]:
        """Fold verdict events after `after` into the in-memory view; returns the claims touched."""
        touched: list[str] = []
        rows = self.conn.execute(
            "SELECT id, claim_id, status, note, evidence, actor, at, origin, old, undo "
            "FROM verdict_events WHERE id > %s ORDER BY id", (after,))
        for eid, cid, status, note, evidence, actor, at, origin, old, undo in rows:
            new = {"claim_id": cid, "status": status, "note": note, "evidence": list(evidence or [])}
            at_s = _iso(at)
            self._verdicts[cid] = Verdict(claim_id=cid, status=status, note=note,
                                         evidence=list(evidence or []), updated_at=at_s, by=actor)
            self._history.append({"seq": eid, "claim_id": cid, "at": at_s, "by": actor, "old": old,
                                 "new": new, "origin": origin, **({"undo": True} if undo else {})})
            self._last_event = eid
            touched.append(cid)
        return touched

    def _load_decisions(self) -> None:
        rows = self.conn.execute("SELECT id, actor, at, doc FROM decisions WHERE id > %s ORDER BY id",
                                 (self._last_decision,))
        for did, actor, at, doc in rows:
            self._decisions.append({"seq": did, "at": _iso(at), "by": actor, **doc})
            self._last_decision = did

    def _load_assignments(self) -> None:
        self.assignments = {
            t: {"target": t, "kind": k, "assignee": a, "by": by, "at": _iso(at)}
            for t, k, a, by, at in self.conn.execute(
                "SELECT target, target_kind, assignee, actor, at FROM assignments")
            if a is not None}

    def refresh(self) -> dict[str, Any]:
        """Take in colleagues' work since the last look: verdicts, decisions, assignments, new claims."""
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

    def disagreements(self) -> list[dict[str, Any]]:
        """Claims two checkers gave different verdicts within a short window, not yet settled."""
        rows = self.conn.execute(
            "SELECT claim_id, first_actor, first_status, second_actor, second_status, at "
            "FROM disagreements ORDER BY at")
        return [{"claim_id": c, "first": {"by": a1, "status": s1}, "second": {"by": a2, "status": s2},
                 "at": _iso(at)} for c, a1, s1, a2, s2, at in rows]

    def query_claims(self, *, status: str | None = None, text: str | None = None,
                     assignee: str | None = None, unassigned: bool = False,
                     limit: int = 200, offset: int = 0) -> list[str]:
        """Claim ids for one page of the list, in rank order, filtered by the server's indexes.

        Text is found as a substring (any case) and, when nothing holds it, by
        trigram word similarity (typos). A common word is found by walking the
        rank index until a page is full; a rare one through the trigram index.
        """
        where, args = ["NOT c.retired"], []  # type: list[str], list[Any]
        if status:
            where.append("c.status = %s")
            args.append(status)
        joins = ""
        if assignee or unassigned:
            joins = ("LEFT JOIN assignments a ON a.target = c.id "
                     "LEFT JOIN assignments ca ON ca.target = c.cluster_id ")
            if assignee:
                where.append("coalesce(a.assignee, ca.assignee) = %s")
                args.append(assignee)
            else:
                where.append("a.assignee IS NULL AND ca.assignee IS NULL")
        base = f"SELECT c.id FROM claims c {joins}WHERE "
        order = " ORDER BY c.checkworthiness DESC, c.id"
        page = " LIMIT %s OFFSET %s"

        def run(conds: list[str], extra: list[Any]) -> list[str]:
            sql = base + " AND ".join(conds) + order + page
            return [r[0] for r in self.conn.execute(sql, [*extra, limit, offset])]

        if not text:
            return run(where, args)
        needle = text.lower()
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # Walk the first rows in rank order: a common word fills the page here.
        window = (limit + offset) * 200
        head = self.conn.execute(
            f"SELECT id FROM (SELECT c.id, c.text, c.checkworthiness FROM claims c {joins}WHERE "
            + " AND ".join(where) + order + " LIMIT %s) w WHERE lower(w.text) LIKE %s"
            " ORDER BY w.checkworthiness DESC, w.id LIMIT %s OFFSET %s",
            [*args, window, like, limit, offset]).fetchall()
        if len(head) == limit:
            return [r[0] for r in head]
        found = run([*where, "lower(c.text) LIKE %s"], [*args, like])
        if found or offset:
            return found
        return run([*where, "%s <%% lower(c.text)"], [*args, needle])

    def page(self, ids: list[str]) -> list[tuple[Claim, Verdict]]:
        """The claims of one screenful with their current verdicts, in the order given."""
        rows = self.conn.execute(
            "SELECT c.doc, v.status, v.note, v.evidence, v.actor, v.at FROM claims c "
            "LEFT JOIN verdicts v ON v.claim_id = c.id WHERE c.id = ANY(%s)", (ids,)).fetchall()
        got: dict[str, tuple[Claim, Verdict]] = {}
        for doc, status, note, evidence, actor, at in rows:
            c = Claim.from_dict(doc)
            v = (Verdict(claim_id=c.id, status=status, note=note, evidence=list(evidence or []),
                         updated_at=_iso(at), by=actor) if status else Verdict(claim_id=c.id))
            got[c.id] = (c, v)
            if self.lazy:
                self._claims[c.id] = c
                if status:
                    self._verdicts[c.id] = v
        return [got[i] for i in ids if i in got]

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

    def _insert_events(self, rows: list[tuple[Verdict, Verdict, str | None]], *, origin: str,
                       undo: bool = False) -> None:
        """(old, new, by) rows as events in ONE transaction: all are committed when this returns, or none."""
        self._refuse_readonly()
        try:
            with self.conn.transaction():
                self.conn.cursor().executemany(
                    "INSERT INTO verdict_events (claim_id, status, note, evidence, actor, origin, old, undo) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [(new.claim_id, new.status, new.note, Jsonb(list(new.evidence)), by or self.actor, origin,
                      Jsonb(old.to_dict()), undo) for old, new, by in rows])
        except psycopg.Error as exc:
            raise StoreError(f"verdict not saved: {str(exc).strip().splitlines()[0]}") from None
        # Colleagues' events that came in before ours are folded too, so ours are the last ones.
        self._apply_events(self._last_event)

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
        else:
            raise InputError(f"no claim or cluster with id '{target}'")
        self.conn.execute(
            "INSERT INTO assignments (target, target_kind, assignee, actor) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (target) DO UPDATE SET assignee = EXCLUDED.assignee, actor = EXCLUDED.actor, "
            "at = clock_timestamp()", (target, kind, assignee, by or self.actor))
        self._load_assignments()

    def assignee(self, claim_id: str) -> str | None:
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
        self._clusters = {c.id: c for c in _checked("clusters", clusters)}
        self._clusters_dirty = True
        # Cluster ids live on the claims too: every claim follows (None for a claim in none).
        member_of = {cid: cl.id for cl in self._clusters.values() for cid in cl.claim_ids}
        for c in self._claims.values():
            if c.cluster_id != member_of.get(c.id):
                c.cluster_id = member_of.get(c.id)
                self._dirty_ids["claims"].add(c.id)

    def save(self) -> None:
        """Write every buffered corpus change in one transaction."""
        self._refuse_readonly()
        d = self._dirty_ids
        if (not any(d.values()) and not self._removed_refs and not self._clusters_dirty
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
        cur.execute("DROP TABLE claims_in")

    def close(self) -> None:
        for conn in (getattr(self, "_listen_conn", None), self.conn):
            if conn is not None and not conn.closed:
                conn.close()

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
