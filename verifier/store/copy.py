"""`verifier db copy`: a whole database from one backend to the other.

Everything moves: sources, posts, claims, clusters, references, quote checks,
every verdict event with who and when (the history, not only the current
state), the person's decisions and assignments, the fact-check library and its
matches, the suggested links awaiting a person, and the followed sources (a
followed file is kept relative to a database file's folder, by its full path on
a server). The destination must be empty, so a copy never mixes two desks' work.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from verifier.errors import InputError, StoreError
from verifier.follow.targets import db_folder, moved
from verifier.models import Verdict
from verifier.store.postgres import PostgresStore, is_postgres_url, migrate

Progress = Callable[[str, int, int], None]


def _open_source(path: str) -> Any:
    if is_postgres_url(path):
        return PostgresStore(path, readonly=True)
    from verifier.store.database import Store

    if not os.path.exists(path):
        raise InputError(f"{path}: no such database")
    return Store(path, readonly=True)


def copy_database(source: str, dest: str, progress: Progress | None = None) -> dict[str, int]:
    if source == dest:
        raise InputError("source and destination are the same database")
    src = _open_source(source)
    bases = (db_folder(source), db_folder(dest))
    try:
        if is_postgres_url(dest):
            return _to_postgres(src, dest, progress, bases)
        return _to_file(src, dest, progress, bases)
    finally:
        src.close()


def _copy_library(src: Any, dst: Any, bases: tuple[str | None, str | None]) -> None:
    """What the desk has gathered beside the claims: fact-checks, their matches, suggested links,
    followed sources."""
    dst.put_factchecks([dict(e) for e in src.factcheck_map().values()])
    matches = {k: dict(v) for k, v in src.factcheck_match_map().items()}
    if matches:
        dst.set_factcheck_matches(matches, replace=True)
    dst.set_suggestions([dict(x) for x in src.suggestion_list()])
    for f in src.follow_map().values():
        dst.put_follow(moved(f, *bases))


def _counts(src: Any) -> dict[str, int]:
    return {"sources": len(src._sources), "posts": len(src._posts), "claims": len(src._claims),
            "clusters": len(src._clusters), "references": len(src._references),
            "quote_checks": len(src._quote_checks), "history": len(src._history),
            "decisions": len(src._decisions), "verdicts": len(src._verdicts),
            "factchecks": len(src.factcheck_map()), "suggestions": len(src.suggestion_list()),
            "follows": len(src.follow_map())}


def _to_postgres(src: Any, url: str, progress: Progress | None,
                 bases: tuple[str | None, str | None]) -> dict[str, int]:
    from psycopg.types.json import Jsonb

    migrate(url)
    dst = PostgresStore(url)
    try:
        n = dst.conn.execute("SELECT (SELECT count(*) FROM claims) + (SELECT count(*) FROM verdict_events)"
                             ).fetchone()
        if n and n[0]:
            raise InputError(f"{dst.path.split('@')[-1]}: destination is not empty; copy into a new database")
        dst.put_claims(src._claims.values())
        dst.put_posts(src._posts.values())
        for s in src._sources.values():
            dst.put_source(s)
        for r in src._references.values():
            dst.put_reference(r)
        dst.set_quote_checks(dict(src._quote_checks))
        dst.set_clusters(src._clusters.values())
        _copy_library(src, dst, bases)
        dst.save()
        if progress:
            progress("corpus", 1, 2)
        with dst.conn.transaction():
            cur = dst.conn.cursor()
            history = sorted(src._history, key=lambda h: h.get("seq", 0))
            seen: set[str] = set()
            rows = []
            for h in history:
                new = h.get("new") or {}
                seen.add(h["claim_id"])
                rows.append((h["claim_id"], new.get("status", "unreviewed"), new.get("note"),
                             Jsonb(list(new.get("evidence") or [])), h.get("by") or "unknown",
                             h.get("at"), h.get("origin") or "copy", Jsonb(h.get("old")),
                             bool(h.get("undo"))))
            # A verdict with no history (an imported one) still moves, as one event.
            for cid, v in src._verdicts.items():
                if cid not in seen:
                    rows.append((cid, v.status, v.note, Jsonb(list(v.evidence)), v.by or "unknown",
                                 v.updated_at, "copy", Jsonb(None), False))
            cur.executemany(
                "INSERT INTO verdict_events (claim_id, status, note, evidence, actor, at, origin, old, undo) "
                "VALUES (%s, %s, %s, %s, %s, coalesce(%s::timestamptz, clock_timestamp()), %s, %s, %s)",
                rows)
            cur.executemany(
                "INSERT INTO decisions (actor, at, doc) VALUES (%s, coalesce(%s::timestamptz, clock_timestamp()), %s)",
                [(d.get("by") or "unknown", d.get("at"),
                  Jsonb({k: v for k, v in d.items() if k not in ("seq", "at", "by")}))
                 for d in sorted(src._decisions, key=lambda d: d.get("seq", 0))])
            for target, a in getattr(src, "assignments", {}).items():
                cur.execute("INSERT INTO assignments (target, target_kind, assignee, actor, at) "
                            "VALUES (%s, %s, %s, %s, %s)",
                            (target, a["kind"], a["assignee"], a.get("by") or "unknown", a.get("at")))
        if progress:
            progress("history", 2, 2)
        dst.refresh()
        return _counts(dst)
    finally:
        dst.close()


def _to_file(src: Any, path: str, progress: Progress | None,
             bases: tuple[str | None, str | None]) -> dict[str, int]:
    from verifier.store.database import Store

    if os.path.exists(path) and os.path.getsize(path) > 0:
        raise InputError(f"{path}: destination exists; copy into a new file")
    dst = Store(path)
    try:
        for s in src._sources.values():
            dst.put_source(s)
        dst.put_posts(src._posts.values())
        dst.put_claims(src._claims.values())
        for r in src._references.values():
            dst.put_reference(r)
        dst.set_quote_checks(dict(src._quote_checks))
        dst.set_clusters(src._clusters.values())
        _copy_library(src, dst, bases)
        # History and decisions keep their order, authors and times: written as
        # the file store keeps them, then folded in one atomic save.
        history = sorted(src._history, key=lambda h: h.get("seq", 0))
        for n, h in enumerate(history, 1):
            dst._history.append({**{k: v for k, v in h.items() if k not in ("origin", "undo", "part")}, "seq": n})
        dst._verdicts = {cid: Verdict.from_dict(v.to_dict()) for cid, v in src._verdicts.items()}
        base = len(history)
        for n, d in enumerate(sorted(src._decisions, key=lambda d: d.get("seq", 0)), base + 1):
            dst._decisions.append({**d, "seq": n})
        dst._seq = base + len(src._decisions)
        dst._journal_dirty = True  # verdicts, history and decisions are written by the save below
        if getattr(src, "assignments", None):
            dst._meta["assignments"] = dict(src.assignments)
        dst.save()
        if progress:
            progress("copied", 1, 1)
        return _counts(dst)
    except StoreError:
        raise
    finally:
        dst.close()
