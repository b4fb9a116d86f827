"""The follower: which sources are due, fetch them, read what changed into the store.

Three steps, so a workbench can run the slow ones off its event loop:

- ``fetch_due()`` touches the network and the disk only (no store): one
  ``Pending`` per due source, with the parsed document, or "unchanged", or
  the one-line error;
- ``prepare(store, pending)`` only reads the store (staging.py): ingests the
  changed documents as re-ingest does (posts matched by URL anchor, else
  headline, else stamp; an edited post keeps every earlier version with a
  line saying what changed; claims gone from it retired with their
  verdicts) and links the new claims (linking.py), on private copies, at
  the cost of what changed, not of the database;
- ``commit(store, prepared)`` writes that in one short step; then the
  quotes of the sources that changed are checked (``check``: reads only;
  ``commit_checks``: writes) and ``finish`` saves.

A failed or unreadable fetch stores nothing and leaves the source's
validators as they were, so the next poll fetches it whole again. Followed
sources live in the store's ``follows`` table and are resumed on reopen.
``poll_once()`` runs the three with a store it opens (and closes) only when
something changed, so following an unchanged source never loads the
database.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from verifier.errors import InputError, VerifierError
from verifier.follow.changes import edit_line
from verifier.follow.targets import db_folder, follow_id, is_url, portable_target, resolve_target  # noqa: F401
from verifier.ingest import RawDocument
from verifier.text import one_line

DEFAULT_EVERY = 60.0
MAX_BACKOFF = 300.0


def new_follow(target: str, every: float, base: str | None = None) -> dict[str, Any]:
    """A follow record for a URL or a local file (checked now: a bad one is refused).

    ``base``: the database's folder; a file is stored relative to it."""
    from verifier.follow.fetch import check_url
    from verifier.store.database import now_iso

    if is_url(target):
        check_url(target)
        kind = "url"
    else:
        if not os.path.isfile(target):
            raise InputError(f"{target}: no such file" if not os.path.exists(target)
                             else f"{target}: is not a file")
        target = portable_target(target, base)
        kind = "file"
    if not every > 0:
        raise InputError("--every must be a positive number of seconds")
    return {"id": follow_id(target), "target": target, "kind": kind, "every": float(every),
            "added_at": now_iso(), "active": True, "etag": None, "last_modified": None,
            "digest": None, "source_id": None, "last_ok": None}


@dataclass
class Pending:
    follow: dict[str, Any]
    changed: bool = False
    doc: RawDocument | None = None
    error: str | None = None
    validators: dict[str, Any] = field(default_factory=dict)  # etag, last_modified, digest, stat
    at: float | None = None  # when the fetch started (the follower's clock): the next one is due `every` after


@dataclass
class Prepared:
    pending: list[Pending]
    changed: list[Pending]
    staged: Any  # verifier.follow.staging.Staged, or None when nothing changed


@dataclass
class FollowResult:
    check: Any = None  # verifier.follow.staging.CheckJob: quotes to check after the commit
    stored: bool = False  # something was written (posts, claims or a follow record): worth a save
    new_claim_ids: list[str] = field(default_factory=list)
    edited_post_ids: list[str] = field(default_factory=list)
    retired_claim_ids: list[str] = field(default_factory=list)
    updated_claim_ids: list[str] = field(default_factory=list)  # re-extracted (same id, new record)
    log: list[str] = field(default_factory=list)  # one line per event, failures included
    failures: int = 0
    fetched: int = 0  # sources asked this time (unchanged ones included)

    @property
    def changed(self) -> bool:
        return bool(self.new_claim_ids or self.edited_post_ids or self.retired_claim_ids)

    def summary(self) -> str:
        """'3 new claims, 1 post edited, 1 claim retired' (empty when nothing changed)."""
        def n(k: int, what: str) -> str:
            return f"{k} {what}" if k == 1 else f"{k} {what.replace('claim', 'claims').replace('post ', 'posts ')}"
        parts = [n(len(self.new_claim_ids), "new claim") if self.new_claim_ids else "",
                 n(len(self.edited_post_ids), "post edited") if self.edited_post_ids else "",
                 n(len(self.retired_claim_ids), "claim retired") if self.retired_claim_ids else ""]
        return ", ".join(p for p in parts if p)


def _stamp() -> str:
    return datetime.now().strftime("%H:%M:%S")


def _file_stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


class Follower:
    """Follows the sources in ``follows`` (records as stored in the database).

    ``open_store`` gives a context manager yielding a writable Store; the CLI
    opens the database file for each write, the workbench hands its own open
    store (``lambda: nullcontext(store)``) and saves through it.
    """

    def __init__(self, follows: list[dict[str, Any]], open_store: Callable[[], AbstractContextManager],
                 *, fetcher=None, clock: Callable[[], float] = time.monotonic, save: bool = True,
                 base: str | None = None) -> None:
        self.follows: dict[str, dict[str, Any]] = {f["id"]: dict(f) for f in follows}
        self.open_store = open_store
        self._fetcher = fetcher
        self.clock = clock
        self._next: dict[str, float] = {}
        self._fails: dict[str, int] = {}
        self._stat: dict[str, list[int] | None] = {}
        # False: the caller saves (the workbench, at its own pace). Posts and the follow
        # records' validators are saved together, so a crash before the save only means
        # the next run fetches those pages whole again.
        self.save = save
        # The linking index (linking.LinkState) and the posts-by-source index, kept warm between
        # polls (each checked against the store every time: a store reopened by the CLI or
        # changed by another command is safe).
        self._linker: Any = None
        self._index: Any = None
        self._unlinked: tuple[list[str], list[str]] = ([], [])  # claims a commit stored unlinked
        self.keep_linker = True
        self.base = base  # the database's folder: followed files are stored relative to it

    @classmethod
    def for_store(cls, store, **kw) -> "Follower":
        """A follower sharing an open store (the workbench's)."""
        kw.setdefault("base", db_folder(store.path))
        return cls(list(store.follow_map().values()), lambda: nullcontext(store), **kw)

    def path_of(self, follow: dict[str, Any]) -> str:
        """A followed file's path on this machine."""
        return resolve_target(follow["target"], self.base)

    def warm(self, store) -> None:
        """Build the linking index now (in a worker, before the first new post needs it)."""
        # The link index is kept beside the database (<db>.link) and read by the first link.
        return None

    @property
    def fetcher(self):
        if self._fetcher is None:
            from verifier.follow.fetch import Fetcher

            self._fetcher = Fetcher()
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # ---- which sources -------------------------------------------------
    def add(self, store, target: str, every: float = DEFAULT_EVERY) -> dict[str, Any]:
        """Follow a new source (or change an existing one's interval); kept in the store."""
        if self.base is None:
            self.base = db_folder(store.path)
        rec = new_follow(target, every, self.base)
        old = store.follow_map().get(rec["id"]) or self.follows.get(rec["id"])
        legacy = follow_id(os.path.abspath(target)) if rec["kind"] == "file" else rec["id"]
        if old is None and legacy != rec["id"] and legacy in store.follow_map():
            old = {**store.follow_map()[legacy], "id": rec["id"], "target": rec["target"]}
            store.remove_follow(legacy)  # stored before targets were relative: moved to the new form
            self.follows.pop(legacy, None)
        if old is not None:
            rec = {**old, "every": rec["every"], "active": True}
        store.put_follow(rec)
        self.follows[rec["id"]] = dict(rec)
        self._next.pop(rec["id"], None)
        return rec

    def stop(self, store, follow_id_: str) -> None:
        rec = store.follow_map().get(follow_id_)
        if rec is not None:
            store.put_follow({**rec, "active": False})
        self.follows.pop(follow_id_, None)

    def active(self) -> list[dict[str, Any]]:
        return [f for f in list(self.follows.values()) if f.get("active", True)]  # a copy: the UI may add

    def due(self, now: float | None = None) -> list[dict[str, Any]]:
        now = self.clock() if now is None else now
        out = []
        for f in self.active():
            if f["kind"] == "file":
                # A file is due when it changed on disk (a stat: cheap) or was never read.
                stat = _file_stat(self.path_of(f))
                if f["id"] not in self._stat or stat != self._stat[f["id"]]:
                    if now >= self._next.get(f["id"], 0.0) or f["id"] not in self._stat:
                        out.append(f)
                continue
            if now >= self._next.get(f["id"], 0.0):
                out.append(f)
        return out

    def seconds_to_next(self, now: float | None = None) -> float:
        now = self.clock() if now is None else now
        urls = [self._next.get(f["id"], 0.0) - now for f in self.active() if f["kind"] == "url"]
        files = [f["every"] for f in self.active() if f["kind"] == "file"]
        return max(0.0, min(urls + files, default=DEFAULT_EVERY))

    # ---- the network / disk half ---------------------------------------
    def fetch(self, follow: dict[str, Any]) -> Pending:
        at = self.clock()
        pending = self._fetch(follow)
        pending.at = at
        return pending

    def _fetch(self, follow: dict[str, Any]) -> Pending:
        if follow["kind"] == "file":
            return self._read_file(follow)
        from verifier.follow.fetch import FetchError
        from verifier.follow.read import read_text

        try:
            got = self.fetcher.fetch(follow["target"], etag=follow.get("etag"),
                                     last_modified=follow.get("last_modified"), digest=follow.get("digest"))
        except (FetchError, InputError) as exc:
            return Pending(follow, error=str(exc))
        validators = {"etag": got.etag, "last_modified": got.last_modified, "digest": got.digest}
        if not got.changed:
            return Pending(follow, validators=validators)
        try:
            doc = read_text(got.text, follow["target"], got.content_type)
        except InputError as exc:
            return Pending(follow, error=str(exc))
        except Exception as exc:  # text from the web is untrusted: a reader's crash is a failed fetch
            return Pending(follow, error=f"{follow['target']}: unreadable page ({type(exc).__name__}: {exc})")
        return Pending(follow, changed=True, doc=doc, validators=validators)

    def _read_file(self, follow: dict[str, Any]) -> Pending:
        from verifier.follow.read import read_file

        path = self.path_of(follow)
        stat = _file_stat(path)
        try:
            with open(path, "rb") as fh:
                digest = hashlib.sha1(fh.read()).hexdigest()
        except OSError as exc:
            return Pending(follow, error=f"{path}: cannot read: {exc.strerror}", validators={"stat": stat})
        if digest == follow.get("digest"):
            return Pending(follow, validators={"digest": digest, "stat": stat})
        try:
            doc = read_file(path)
        except InputError as exc:
            return Pending(follow, error=str(exc), validators={"stat": stat})
        return Pending(follow, changed=True, doc=doc, validators={"digest": digest, "stat": stat})

    def fetch_due(self, now: float | None = None, *, force: bool = False) -> list[Pending]:
        if force:  # the first fetch: worth a progress bar on a terminal
            from verifier.progress import track

            return [self.fetch(f) for f in track(self.active(), "fetching")]
        return [self.fetch(f) for f in self.due(now)]

    # ---- the store half ------------------------------------------------
    def prepare(self, store, pending: list[Pending]) -> "Prepared":
        """Read the changed documents into staged posts, claims and links.

        Only reads ``store``: safe in a worker thread while the UI uses the store."""
        from verifier.follow.staging import SourceIndex, stage

        changed = [p for p in pending if p.error is None and p.changed]
        if not changed and not any(self._unlinked):
            return Prepared(pending, [], None)
        if self._index is None or not self._index.fresh(store):
            self._index = SourceIndex(store)
        try:
            staged = stage(store, [p.doc for p in changed if p.doc is not None],
                           self._linker if self.keep_linker else None, self._index, self._unlinked)
        except BaseException:
            self._linker = None  # it may hold claims that will never be stored
            raise
        return Prepared(pending, changed, staged)

    def commit(self, store, prepared: "Prepared") -> FollowResult:
        """Write what ``prepare`` staged (the UI thread's half); failures are only logged.

        Saves nothing: ``finish`` does (after the quote checks, in ``apply``)."""
        from verifier.follow.staging import check_job, commit
        from verifier.store.database import now_iso

        pending, staged = prepared.pending, prepared.staged
        result = FollowResult(fetched=len(pending))
        now = self.clock()
        for p in pending:
            fid = p.follow["id"]
            if "stat" in p.validators:
                self._stat[fid] = p.validators["stat"]
            if p.error is not None:
                fails = self._fails[fid] = self._fails.get(fid, 0) + 1
                wait = min(p.follow["every"] * 2 ** (fails - 1), max(MAX_BACKOFF, p.follow["every"]))
                self._next[fid] = now + wait
                result.failures += 1
                result.log.append(f"{_stamp()} failed: {one_line(p.error, 300)}; next try in {wait:.3g} s")
                continue
            self._fails.pop(fid, None)
            # A URL is fetched every `every` seconds from the start of the last fetch (reading and
            # linking a big page do not stretch the interval); a file as soon as it changes.
            start = p.at if p.at is not None else now
            self._next[fid] = start + p.follow["every"] if p.follow["kind"] == "url" else now
            if not p.changed and fid in self.follows:
                self.follows[fid].update({k: v for k, v in p.validators.items() if k != "stat"})
        if staged is None:
            return result
        result.stored = True
        try:
            commit(store, staged, self._linker, self._index)
        except BaseException:
            self._linker = None
            raise
        self._linker = staged.linker if self.keep_linker else None  # the link index stays warm
        self._unlinked = staged.unlinked or ([], [])
        stamp = now_iso()
        for p, report in zip(prepared.changed, staged.reports):
            posts = report.posts
            result.log.append(f"{_stamp()} {one_line(p.follow['target'], 120)}: posts {posts['added']} new, "
                              f"{posts['updated']} edited; claims {report.claims['added']} new, "
                              f"{report.claims['retired']} retired")
            for pid in report.edited_post_ids:
                post = store.post(pid)
                if post is not None and post.edits:
                    result.log.append(f"  {one_line(post.headline or '', 60)}: "
                                      f"{one_line(edit_line(post.edits[-1]), 200)}")
            result.new_claim_ids += report.new_claim_ids
            result.edited_post_ids += report.edited_post_ids
            result.retired_claim_ids += report.retired_claim_ids
            rec = {**store.follow_map().get(p.follow["id"], p.follow),
                   **{k: v for k, v in p.validators.items() if k != "stat"},
                   "source_id": report.source_id, "last_ok": stamp}
            store.put_follow(rec)
            self.follows[rec["id"]] = dict(rec)
        known = set(result.new_claim_ids) | set(result.retired_claim_ids)
        result.updated_claim_ids = [cid for cid in staged.claims if cid not in known]
        if self._index is not None and staged.claims:
            result.check = check_job(store, staged, self._index)
        return result

    def check(self, store, job) -> dict[str, Any]:
        """Check the quotes a commit left to check (reads the store only: a worker may run it)."""
        from verifier.follow.staging import stage_checks

        return stage_checks(store, job) if job is not None else {}

    def commit_checks(self, store, checks: dict[str, Any]) -> list[str]:
        from verifier.follow.staging import commit_checks

        return commit_checks(store, checks) if checks else []

    def finish(self, store, result: FollowResult) -> None:
        """Save (one atomic write: every change of this poll, or none), when this follower saves."""
        if self.save and result.stored:
            store.save()
            if self._linker is not None:
                self._linker.save_index()  # after the save: the index names the saved state

    def apply(self, store, pending: list[Pending]) -> FollowResult:
        """Every step, one after the other (the CLI)."""
        result = self.commit(store, self.prepare(store, pending))
        if result.check is not None:
            self.commit_checks(store, self.check(store, result.check))
        self.finish(store, result)
        return result

    def poll_once(self, *, force: bool = False) -> FollowResult:
        """Fetch what is due; open the store only when something changed."""
        pending = self.fetch_due(force=force)
        if not any(p.changed for p in pending):
            return self.apply(_NoStore(), pending)
        try:
            with self.open_store() as store:
                return self.apply(store, pending)
        except VerifierError as exc:  # the database is busy (a workbench holds it) or unwritable
            reason = str(exc)
        except Exception as exc:  # a reader's bug on strange input: this poll is dropped, unsaved
            if os.environ.get("VERIFIER_DEBUG"):
                raise
            reason = f"internal error: {type(exc).__name__}: {exc}"
        return self.dropped(pending, reason)

    def dropped(self, pending: list[Pending], reason: str) -> FollowResult:
        """A poll that could not be stored: one line; its sources are fetched whole next time."""
        result = FollowResult(fetched=len(pending), failures=1)
        result.log.append(f"{_stamp()} not stored: {one_line(reason, 300)}; will fetch again")
        for p in pending:
            self._next[p.follow["id"]] = self.clock() + p.follow["every"]
            self._stat.pop(p.follow["id"], None)
        return result


class _NoStore:
    """Stands in for the store when nothing changed: apply must not write."""

    def __getattr__(self, name: str):
        raise AssertionError(f"store.{name} used although nothing changed")
