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
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from verifier.errors import CorruptDatabaseError, InputError, StoreError
from verifier.models import STATUSES, Claim, Cluster, Post, Reference, Source, Verdict
from verifier.store.pg_schema import CHANNEL, LATEST, MIGRATIONS

try:  # psycopg is needed only for a desk database
    import psycopg
    from psycopg.types.json import Jsonb
except ImportError:  # pragma: no cover - reported when a postgresql:// address is used
    psycopg = None  # type: ignore[assignment]


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


class PostgresStore:
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
        self.meta: dict[str, Any] = {k: v for k, v in cur.execute("SELECT key, value FROM meta")}
        if self.lazy:
            self.sources, self.posts, self.claims, self.clusters = {}, {}, {}, {}
            self.references, self.quote_checks, self.verdicts = {}, {}, {}
            self.history, self.decisions, self.assignments = [], [], {}
            row = cur.execute("SELECT coalesce(max(id), 0) FROM verdict_events").fetchone()
            self._last_event = int(row[0]) if row else 0
            self._last_decision = 0
            return
        self.sources = {k: Source.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM sources")}
        self.posts = {k: Post.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM posts")}
        self.claims = {k: Claim.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM claims")}
        self.clusters = {k: Cluster.from_dict(d) for k, d in cur.execute("SELECT id, doc FROM clusters")}
        self.references = {k: Reference.from_dict(d) for k, d in
                           cur.execute("SELECT id, doc FROM reference_texts")}
        self.quote_checks: dict[str, dict[str, Any]] = {
            k: d for k, d in cur.execute("SELECT claim_id, doc FROM quote_checks")}
        self.verdicts: dict[str, Verdict] = {}
        self.history: list[dict[str, Any]] = []
        self._last_event = 0
        self._apply_events(0)
        self.decisions: list[dict[str, Any]] = []
        self._last_decision = 0
        self._load_decisions()
        self.assignments: dict[str, dict[str, Any]] = {}
        self._load_assignments()

    def _apply_events(self, after: int) -> list[str]:
        """Fold verdict events after `after` into the in-memory view; returns the claims touched."""
        touched: list[str] = []
        rows = self.conn.execute(
            "SELECT id, claim_id, status, note, evidence, actor, at, origin, old, undo "
            "FROM verdict_events WHERE id > %s ORDER BY id", (after,))
        for eid, cid, status, note, evidence, actor, at, origin, old, undo in rows:
            new = {"claim_id": cid, "status": status, "note": note, "evidence": list(evidence or [])}
            at_s = _iso(at)
            self.verdicts[cid] = Verdict(claim_id=cid, status=status, note=note,
                                         evidence=list(evidence or []), updated_at=at_s, by=actor)
            self.history.append({"seq": eid, "claim_id": cid, "at": at_s, "by": actor, "old": old,
                                 "new": new, "origin": origin, **({"undo": True} if undo else {})})
            self._last_event = eid
            touched.append(cid)
        return touched

    def _load_decisions(self) -> None:
        rows = self.conn.execute("SELECT id, actor, at, doc FROM decisions WHERE id > %s ORDER BY id",
                                 (self._last_decision,))
        for did, actor, at, doc in rows:
            self.decisions.append({"seq": did, "at": _iso(at), "by": actor, **doc})
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
        before = len(self.decisions)
        self._load_decisions()
        self._load_assignments()
        known = set(self.claims)
        new_claims = [Claim.from_dict(d) for cid, d in
                      self.conn.execute("SELECT id, doc FROM claims") if cid not in known]
        for c in new_claims:
            self.claims[c.id] = c
        return {"verdicts": touched, "decisions": len(self.decisions) - before,
                "claims": [c.id for c in new_claims]}

    # ---- reading (as the file store) -------------------------------------
    def verdict(self, claim_id: str) -> Verdict:
        return self.verdicts.get(claim_id) or Verdict(claim_id=claim_id)

    def status(self, claim_id: str) -> str:
        v = self.verdicts.get(claim_id)
        return v.status if v is not None else "unreviewed"

    def live_claims(self) -> list[Claim]:
        return [c for c in self.claims.values() if not c.retired]

    def resolve_claim(self, ref: str) -> Claim:
        from verifier.store.database import Store

        return Store.resolve_claim(self, ref)  # type: ignore[arg-type]

    def resolve_reference(self, ref: str) -> Reference:
        from verifier.store.database import Store

        return Store.resolve_reference(self, ref)  # type: ignore[arg-type]

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
        """Claim ids for one page of the list, filtered and ordered by the server's indexes.

        Text is found as a substring (any case) and, when nothing holds it, by
        trigram word similarity (typos), both served by the pg_trgm index.
        """
        where, args = ["NOT c.retired"], []  # type: list[str], list[Any]
        if status == "unreviewed":
            where.append("(v.status IS NULL OR v.status = 'unreviewed')")
        elif status:
            where.append("v.status = %s")
            args.append(status)
        if assignee:
            where.append("coalesce(a.assignee, ca.assignee) = %s")
            args.append(assignee)
        if unassigned:
            where.append("a.assignee IS NULL AND ca.assignee IS NULL")
        base = ("SELECT c.id FROM claims c LEFT JOIN verdicts v ON v.claim_id = c.id "
                "LEFT JOIN assignments a ON a.target = c.id "
                "LEFT JOIN assignments ca ON ca.target = c.cluster_id WHERE ")
        order = " ORDER BY c.checkworthiness DESC, c.id LIMIT %s OFFSET %s"
        if not text:
            return [r[0] for r in self.conn.execute(base + " AND ".join(where) + order, [*args, limit, offset])]
        needle = text.lower()
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.conn.execute(base + " AND ".join([*where, "lower(c.text) LIKE %s"]) + order,
                                 [*args, like, limit, offset]).fetchall()
        if rows or offset:
            return [r[0] for r in rows]
        rows = self.conn.execute(base + " AND ".join([*where, "%s <%% lower(c.text)"]) + order,
                                 [*args, needle, limit, offset]).fetchall()
        return [r[0] for r in rows]

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
                self.claims[c.id] = c
                if status:
                    self.verdicts[c.id] = v
        return [got[i] for i in ids if i in got]

    def count_claims(self, *, status: str | None = None) -> int:
        """Claims in the list with this status: from the small verdicts table, never a join of every claim."""
        live = self.conn.execute("SELECT count(*) FROM claims WHERE NOT retired").fetchone()
        total = int(live[0]) if live else 0
        if not status:
            return total
        rows = dict(self.conn.execute(
            "SELECT v.status, count(*) FROM verdicts v JOIN claims c ON c.id = v.claim_id "
            "WHERE NOT c.retired AND v.status <> 'unreviewed' GROUP BY v.status").fetchall())
        if status == "unreviewed":
            return total - sum(rows.values())
        return int(rows.get(status, 0))

    # ---- verdicts: one committed event each ------------------------------
    def _insert_event(self, claim_id: str, new: Verdict, old: Verdict, *, by: str | None,
                      origin: str, undo: bool = False) -> Verdict:
        if self.readonly:
            raise StoreError(f"{_redact(self.path)}: opened read-only")
        try:
            row = self.conn.execute(
                "INSERT INTO verdict_events (claim_id, status, note, evidence, actor, origin, old, undo) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id, at",
                (claim_id, new.status, new.note, Jsonb(list(new.evidence)), by or self.actor, origin,
                 Jsonb(old.to_dict()), undo)).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"verdict not saved: {str(exc).strip().splitlines()[0]}") from None
        assert row is not None
        # Colleagues' events that came in before ours are folded first, so ours is the last one.
        self._apply_events(self._last_event)
        return self.verdicts[claim_id]

    def set_verdict(self, claim_id: str, *, status: str | None = None, note: str | None = None,
                    evidence: list[str] | None = None, by: str | None = None,
                    origin: str = "workbench") -> Verdict:
        if claim_id not in self.claims and not (self.lazy and self.page([claim_id])):
            raise InputError(f"no claim with id '{claim_id}'")
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status '{status}': choose one of {', '.join(STATUSES)}")
        old = self.verdict(claim_id)
        new = Verdict(claim_id=claim_id,
                      status=status if status is not None else old.status,
                      note=note if note is not None else old.note,
                      evidence=list(evidence) if evidence is not None else list(old.evidence))
        return self._insert_event(claim_id, new, old, by=by, origin=origin)

    def restore_verdict(self, verdict: Verdict) -> Verdict:
        return self._insert_event(verdict.claim_id, verdict, self.verdict(verdict.claim_id),
                                  by=None, origin="undo", undo=True)

    def record_decision(self, decision: dict[str, Any]) -> None:
        if self.readonly:
            raise StoreError(f"{_redact(self.path)}: opened read-only")
        self.conn.execute("INSERT INTO decisions (actor, doc) VALUES (%s, %s)", (self.actor, Jsonb(decision)))
        self._load_decisions()

    # ---- assignment ------------------------------------------------------
    def assign(self, target: str, assignee: str | None, *, by: str | None = None) -> None:
        """Give a claim or a whole cluster to a fact-checker (None: unassign)."""
        if self.readonly:
            raise StoreError(f"{_redact(self.path)}: opened read-only")
        if target in self.claims:
            kind = "claim"
        elif target in self.clusters:
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
            c = self.claims.get(claim_id)
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
        self.sources[source.id] = source
        self._dirty_ids["sources"].add(source.id)

    def put_posts(self, posts: Iterable[Post]) -> None:
        for p in posts:
            self.posts[p.id] = p
            self._dirty_ids["posts"].add(p.id)

    def put_claims(self, claims: Iterable[Claim]) -> None:
        for c in claims:
            self.claims[c.id] = c
            self._dirty_ids["claims"].add(c.id)

    def put_reference(self, ref: Reference) -> None:
        self.references[ref.id] = ref
        self._dirty_ids["references"].add(ref.id)
        self._removed_refs.discard(ref.id)

    def remove_reference(self, ref_id: str) -> None:
        del self.references[ref_id]
        self._dirty_ids["references"].discard(ref_id)
        self._removed_refs.add(ref_id)

    def set_quote_checks(self, checks: dict[str, dict[str, Any]]) -> None:
        self.quote_checks.update(checks)
        self._dirty_ids["quote_checks"].update(checks)

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        self.clusters = {c.id: c for c in clusters}
        self._clusters_dirty = True
        # Cluster ids live on the claims too: every claim may have moved.
        self._dirty_ids["claims"].update(self.claims)

    def save(self) -> None:
        """Write every buffered corpus change in one transaction."""
        if self.readonly:
            raise StoreError(f"{_redact(self.path)}: opened read-only")
        d = self._dirty_ids
        if not any(d.values()) and not self._removed_refs and not self._clusters_dirty:
            return
        try:
            with self.conn.transaction():
                cur = self.conn.cursor()
                if d["sources"]:
                    cur.executemany(
                        "INSERT INTO sources (id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                        [(i, Jsonb(self.sources[i].to_dict())) for i in d["sources"]])
                if d["posts"]:
                    cur.executemany(
                        "INSERT INTO posts (id, source_id, doc) VALUES (%s, %s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET source_id = EXCLUDED.source_id, doc = EXCLUDED.doc",
                        [(i, self.posts[i].source_id, Jsonb(self.posts[i].to_dict())) for i in d["posts"]])
                if d["claims"]:
                    self._write_claims(cur, [self.claims[i] for i in d["claims"] if i in self.claims])
                if self._clusters_dirty:
                    cur.execute("DELETE FROM clusters")
                    with cur.copy("COPY clusters (id, doc) FROM STDIN") as copy:
                        for c in self.clusters.values():
                            copy.write_row((c.id, json.dumps(c.to_dict())))
                if d["references"]:
                    cur.executemany(
                        "INSERT INTO reference_texts (id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                        [(i, Jsonb(self.references[i].to_dict())) for i in d["references"]])
                if self._removed_refs:
                    cur.execute("DELETE FROM reference_texts WHERE id = ANY(%s)", (list(self._removed_refs),))
                if d["quote_checks"]:
                    cur.executemany(
                        "INSERT INTO quote_checks (claim_id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (claim_id) DO UPDATE SET doc = EXCLUDED.doc",
                        [(i, Jsonb(self.quote_checks[i])) for i in d["quote_checks"]
                         if i in self.quote_checks])
                cur.execute("INSERT INTO meta (key, value) VALUES ('saved_at', %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                            (Jsonb(datetime.now(timezone.utc).isoformat(timespec="seconds")),))
        except psycopg.Error as exc:
            raise StoreError(f"{_redact(self.path)}: not saved: {str(exc).strip().splitlines()[0]}") from None
        for v in d.values():
            v.clear()
        self._removed_refs.clear()
        self._clusters_dirty = False

    @staticmethod
    def _write_claims(cur: Any, claims: list[Claim]) -> None:
        # Through a temporary table and COPY: an executemany of 100,000 upserts is minutes.
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS claims_in (LIKE claims) ON COMMIT DROP")
        with cur.copy("COPY claims_in (id, post_id, kind, text, speaker, cluster_id, retired, "
                      "checkworthiness, doc) FROM STDIN") as copy:
            for c in claims:
                copy.write_row((c.id, c.post_id, c.kind, c.text, c.speaker, c.cluster_id, c.retired,
                                float(c.checkworthiness or 0.0), json.dumps(c.to_dict())))
        cur.execute(
            "INSERT INTO claims SELECT * FROM claims_in ON CONFLICT (id) DO UPDATE SET "
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
