"""A triage session over a desk's PostgreSQL database, a page at a time.

The same surface as ``verifier.triage.TriageSession`` (the workbench cannot
tell them apart), but nothing is loaded at open: the list is a lazy sequence
whose pages of claim ids come from indexed queries as they scroll into view
(the claims of a page, their posts, clusters, quote checks and assignments in
the same step), filters and `/` search are server queries, the counters come
from the server and follow every verdict event, and colleagues' verdicts,
assignments and new claims are taken in by ``poll()`` (a few indexed queries).

Chosen for a ``postgresql://`` database by ``open_desk``; the file backend
keeps its in-memory TriageSession.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from verifier.models import NOT_A_CLAIM, STATUSES, Verdict, VerdictChange
from verifier.triage import Filters, Step, Undoable

if TYPE_CHECKING:
    from verifier.store.postgres import ClaimQuery, PostgresStore

PAGE = 60  # claims fetched at once as the list scrolls
COUNT_CAP = 2_000  # a search with this many hits or fewer is read whole when counted; more are paged
WINDOW = 20  # pages of the list's top a search looks through before asking the indexes
ASSIGNED = ("mine", "unassigned")  # the assignment filter's values


def is_desk(path: str | None) -> bool:
    # as verifier.store.postgres.is_postgres_url, without importing the driver: a file workbench
    # never loads psycopg, and a desk workbench loads it in the worker that opens the database
    return bool(path) and str(path).startswith(("postgresql://", "postgres://"))


def open_desk(url: str, filters: Filters | None = None, sort: str = "checkworthiness",
              actor: str | None = None) -> tuple[PostgresStore, "DeskSession"]:
    """The desk database opened lazily (nothing of the corpus read) and its session."""
    from verifier.store.postgres import PostgresStore

    store = PostgresStore(url, lazy=True, actor=actor)
    try:
        return store, DeskSession(store, filters=filters or Filters(), sort=sort)
    except BaseException:
        store.close()
        raise


def state_path(url: str) -> str:
    """Where the workbench keeps its filters and cursor for a desk database (not beside it: it is no file)."""
    base = os.environ.get("VERIFIER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "verifier")
    os.makedirs(base, exist_ok=True)
    return os.path.join(base, "desk-" + hashlib.sha1(url.encode()).hexdigest()[:16] + ".ui.json")


class LazyView(Sequence[str]):
    """The list's claim ids: its length from the server, its rows fetched a page at a time.

    A page reached from the one above it continues after that page's last row
    (a keyset), so claims decided meanwhile do not shift it; a page jumped to is
    read by its offset."""

    def __init__(self, session: "DeskSession", query: ClaimQuery, total: int, more: bool = False,
                 first: list[tuple[str, bool, float]] | None = None) -> None:
        self.session = session
        self.query = query
        self.total = total
        self.more = more  # kept for callers: a list is never cut short now (every hit can be scrolled to)
        self.uncounted = False  # the length is provisional (the planner's estimate) until count_later
        self.estimate = 0  # the planner's estimate, when the length is one
        self.exact = False  # the length was counted over the list itself: pages can be read from its end
        self._pages: dict[int, list[tuple[str, bool, float]]] = {}
        self._at: dict[str, int] = {}
        if first is not None:
            self._keep(0, first)

    def _keep(self, k: int, rows: list[tuple[str, bool, float]]) -> None:
        self._pages[k] = rows
        for i, r in enumerate(rows):
            self._at.setdefault(r[0], k * PAGE + i)

    def load(self, k: int) -> list[tuple[str, bool, float]]:
        rows = self._pages.get(k)
        if rows is not None:
            return rows
        store = self.session.store
        prev = self._pages.get(k - 1)
        behind = self.total - (k + 1) * PAGE  # rows after this page
        if k > 0 and prev and len(prev) == PAGE:
            last = prev[-1]
            rows = store.query_rows(self.query, limit=PAGE, after=(last[1], last[2], last[0]))
        elif self.exact and not self.uncounted and k * PAGE > behind + PAGE:
            # nearer the end than the top (a jump there): read from the end, past fewer rows
            rows = store.query_rows(self.query, limit=PAGE + min(0, behind), offset=max(0, behind),
                                    reverse=True)[::-1]
        else:
            rows = store.query_rows(self.query, limit=PAGE, offset=k * PAGE)
        store.page([r[0] for r in rows])  # the claims, verdicts, posts... of the page, in one step
        self._keep(k, rows)
        return rows

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.total))]
        if i < 0:
            i += self.total
        if not 0 <= i < self.total:
            raise IndexError(i)
        rows = self.load(i // PAGE)
        if i % PAGE < len(rows):
            return rows[i % PAGE][0]
        # fewer rows than counted (claims left the filter meanwhile): the list ends here
        self.total = (i // PAGE) * PAGE + len(rows)
        if not rows:
            raise IndexError(i)
        return rows[-1][0]

    def __iter__(self) -> Iterator[str]:
        for k in range((self.total + PAGE - 1) // PAGE):
            rows = self.load(k)
            yield from (r[0] for r in rows)
            if len(rows) < PAGE:
                return

    def __contains__(self, cid: object) -> bool:
        return cid in self._at

    def index(self, cid: Any, *args: Any) -> int:
        """The row of a claim among the pages read so far (ValueError when not read)."""
        try:
            return self._at[cid]
        except KeyError:
            raise ValueError(cid) from None

    def loaded(self) -> Mapping[str, int]:
        return self._at


@dataclass
class DeskSession(Undoable):
    """TriageSession's surface over a lazy PostgresStore (see the module's doc)."""

    store: PostgresStore
    filters: Filters = field(default_factory=Filters)
    sort: str = "checkworthiness"
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)
    text_hits: Any = None
    assigned: str | None = None  # "mine", "unassigned" or None
    desk = True  # the workbench asks this to tell a desk session from a file one
    # what a desk workbench does not offer yet (they need the whole corpus in memory): use the CLI
    unavailable = frozenset({"link", "adopt", "follow", "cycle_sort", "mark_all"})

    def stats_ready(self) -> bool:
        """The stats view's counts are the server's grouped queries: always in a worker."""
        return False

    def stats(self) -> Any:
        with self.store.background():  # a worker's own connection: tags and polls go on meanwhile
            return self.store.stats()

    def __post_init__(self) -> None:
        from verifier.store.postgres import ClaimQuery

        self.sort = "checkworthiness"  # the one order the server's indexes serve
        self.me = self.store.actor
        self._prepared: tuple[ClaimQuery, LazyView] | None = None
        self._conflicted: dict[str, frozenset[str]] = {}
        self._speakers: list[tuple[str, int]] | None = None
        self._read: dict[tuple[str, str], list[Any]] = {}  # the posts view's posts and claims
        self.store.transitions.clear()
        self.recount()
        self.view: LazyView = LazyView(self, ClaimQuery(), 0)
        self.refresh_view()

    # ---- counters -----------------------------------------------------------------
    def recount(self) -> None:
        counts = self.store.status_counts()
        self.counts = {"total": sum(counts.values()) - counts[NOT_A_CLAIM], **counts}
        self.store.transitions.clear()

    def _take_transitions(self) -> list[str]:
        """Fold the verdict events the store has taken in (ours and colleagues') into the counters."""
        touched = []
        for cid, old, new, _actor in self.store.transitions:
            if old == new or old not in self.counts or new not in self.counts:
                continue
            self.counts[old] -= 1
            self.counts[new] += 1
            if old == NOT_A_CLAIM:
                self.counts["total"] += 1
            if new == NOT_A_CLAIM:
                self.counts["total"] -= 1
            touched.append(cid)
        self.store.transitions.clear()
        return touched

    def progress(self) -> dict[str, int]:
        return dict(self.counts)

    # ---- the view ---------------------------------------------------------------------
    def query(self, text: str | None = None, hits: "TextHits | None" = None) -> ClaimQuery:
        """The server query for the current filters (with `text` and `hits`: for that search)."""
        from verifier.store.postgres import ClaimQuery

        f = self.filters
        text = f.text if text is None else text.strip()
        q = ClaimQuery(status=f.status, kind=f.kind, speaker=f.speaker, quote=f.quote,
                       assignee=self.me if self.assigned == "mine" else None,
                       unassigned=self.assigned == "unassigned", todo_first=True)
        if text:
            if hits is None:
                known = self.text_hits
                hits = known if isinstance(known, TextHits) and known.text == text else self.search(text)
                self.text_hits = hits
            q = replace(q, text=text, fuzzy=hits.fuzzy, also=hits.also, words=hits.words)
        return q

    def _counted(self, q: ClaimQuery) -> int | None:
        """The list's length under `q` from the counters the session keeps (no query), when only
        the status filters it."""
        if q.text or q.kind or q.speaker or q.quote or q.assignee or q.unassigned:
            return None
        if q.status:
            return self.counts.get(q.status, 0)
        return sum(n for s, n in self.counts.items() if s in STATUSES)

    def build(self, q: ClaimQuery) -> LazyView:
        """The list for a query: its length (or a provisional one, counted later by count_later)
        and its first page (safe off the UI thread)."""
        if q.text or q.kind or q.speaker or q.quote:
            # First the top of the list: a common word fills pages there; a rare one is found
            # (and listed whole) through the indexes.
            window = PAGE * WINDOW
            hits, scanned = self.store.window_rows(q, window)
            if scanned == window and 0 < len(hits) < PAGE:
                # a word of middling frequency: as far down as its frequency here says a page is
                # filled, if that is not too far (a walk of the rank index beats every hit sorted)
                further = window * PAGE * 3 // (2 * len(hits))
                if further <= self.store.WALK_MAX:
                    window = further
                    hits, scanned = self.store.window_rows(q, window)
            if scanned < window or len(hits) >= PAGE:
                whole = scanned < window
                kept = len(hits) if whole else len(hits) - len(hits) % PAGE  # whole pages: the rest by keyset
                view = LazyView(self, q, len(hits))
                for k in range(0, kept, PAGE):
                    view._keep(k // PAGE, hits[k:k + PAGE])
                if not whole:  # about this many; the exact count follows (count_later, in a worker)
                    view.estimate = self.store.estimate_query(q)
                    view.total = max(view.estimate, kept + PAGE)
                    view.uncounted = True
                self.store.page([r[0] for r in hits[:PAGE]])
                return view
            # Neither: the first page now, through the indexes; the count follows.
            first = self.store.query_rows(q, limit=PAGE, walk=False)
            self.store.page([r[0] for r in first])
            view = LazyView(self, q, len(first), False, first)
            if len(first) == PAGE:
                view.estimate = self.store.estimate_query(q)
                view.total = max(view.estimate, 2 * PAGE)
                view.uncounted = True
            return view
        if q.assignee or q.unassigned:
            # the assigned claims are counted in a small index; the unassigned are the rest
            assigned = self.store.count_assigned(q.assignee, q.status)
            base = self._counted(replace(q, assignee=None, unassigned=False))
            total = assigned if q.assignee or base is None else max(0, base - assigned)
            first = self.store.query_rows(q, limit=PAGE) if total else []
            self.store.page([r[0] for r in first])
            view = LazyView(self, q, total if len(first) == PAGE else len(first), False, first)
            view.exact = bool(q.assignee)  # the unassigned are the counters' total less the assigned
            return view
        known = self._counted(q)
        total = known if known is not None else self.store.count_query(q)
        first = self.store.query_rows(q, limit=PAGE) if total else []
        self.store.page([r[0] for r in first])
        if len(first) < PAGE:
            total = len(first)
        return LazyView(self, q, total, False, first)

    def count_later(self, view: LazyView) -> None:
        """Count a view whose first page was shown before its length was known (safe off the UI
        thread). A search with at most COUNT_CAP hits is read whole; a longer one is counted
        exactly through the trigram indexes, and its pages are read as they scroll into view."""
        q = view.query
        if not (q.text or q.kind or q.speaker or q.quote):
            view.total, view.uncounted = self.store.count_query(q), False
            return
        # the planner seldom errs tenfold: a search it expects many more hits of is only counted
        rows = self.store.capped_rows(q, COUNT_CAP) if view.estimate <= 10 * COUNT_CAP else []
        if rows and len(rows) <= COUNT_CAP:
            pages = {k // PAGE: rows[k:k + PAGE] for k in range(0, len(rows), PAGE)}
            for k, page in pages.items():
                if k not in view._pages:
                    view._keep(k, page)
            view.total = len(rows)
        else:
            view.total = self.store.count_query(q)
        view.more = False
        view.uncounted = False
        view.exact = True

    def offer(self, q: ClaimQuery, view: LazyView) -> None:
        """A view a worker built; refresh_view takes it if the filters still ask for it."""
        self._prepared = (q, view)

    def refresh_view(self) -> None:
        q = self.query()
        if self._prepared is not None and self._prepared[0] == q:
            self.view = self._prepared[1]
        else:
            self.view = self.build(q)
        self._prepared = None

    @property
    def position(self) -> Mapping[str, int]:
        return self.view.loaded()

    def row_of(self, claim_id: str) -> int | None:
        """The claim's row among the list's pages read so far, or None."""
        return self.view.loaded().get(claim_id)

    def nearest(self, old_view: Sequence[str], old_id: str | None) -> int:
        """The same claim if it is among the rows read, else the top (rows of a new filter are
        read from the top; a claim's row further down is not worth a count of a million rows)."""
        if old_id is None or not len(self.view):
            return 0
        return self.view.loaded().get(old_id, 0)

    def search(self, text: str) -> "TextHits":
        """How the server finds `text`: as a substring (claim text, speaker, and notes or evidence
        holding it), else by typo-forgiving trigram similarity. Safe off the UI thread."""
        q = text.strip()
        if not q:
            return TextHits(q)
        found, fuzzy = self.store.text_plan(q)  # one round trip: notes and evidence, substring or typo
        also = tuple(found)
        fuzzy = fuzzy and not also
        return TextHits(q, fuzzy=fuzzy, also=also, words=self.store.words_meant(q) if fuzzy else ())

    def set_text(self, text: str, hits: Any = None) -> None:
        self.filters.text = text.strip()
        self.text_hits = hits if isinstance(hits, TextHits) else None

    def set_assigned(self, value: str | None) -> None:
        self.assigned = value if value in ASSIGNED else None

    def warm(self) -> None:
        """Nothing to build ahead: the server's indexes are the session's."""

    # ---- what rows and panes ask -------------------------------------------------------
    def speakers(self) -> list[tuple[str, int]]:
        if self._speakers is None:
            self._speakers = self.store.speaker_counts()
        return self._speakers

    def conflicted(self, cluster_id: str | None) -> frozenset[str]:
        if not cluster_id:
            return frozenset()
        got = self._conflicted.get(cluster_id)
        if got is None:
            cl = self.store.cluster(cluster_id)
            got = frozenset(x for c in (cl.conflicts if cl else ()) for x in c.get("claims", ()))
            self._conflicted[cluster_id] = got
        return got

    def assignee(self, claim_id: str) -> str | None:
        return self.store.assignee(claim_id)

    def cluster_of(self, claim_id: str) -> list[str]:
        c = self.store.claim(claim_id)
        cl = self.store.cluster(c.cluster_id) if c is not None and c.cluster_id else None
        if cl is None:
            return [claim_id]
        missing = [x for x in cl.claim_ids if x not in self.store.claim_map()]
        if missing:
            self.store.page(missing)
        return [x for x in cl.claim_ids if x in self.store.claim_map() and not self.store.claim_map()[x].retired]

    def cluster_plan(self, claim_id: str) -> dict[str, Any]:
        status = self.store.status(claim_id)
        members = self.cluster_of(claim_id)
        change = [m for m in members if self.store.status(m) != status]
        overwrite = [m for m in change if self.store.status(m) != "unreviewed"]
        c = self.store.claim(claim_id)
        cl = self.store.cluster(c.cluster_id or "") if c else None
        return {"status": status, "members": members, "change": change, "overwrite": overwrite,
                "conflicts": list(cl.conflicts) if cl else []}

    def post_claims(self, post_id: str) -> list[Any]:
        """A post's live claims in reading order (the posts view), read from the server once
        (until new claims come in)."""
        got = self._read.get(("post", post_id))
        if got is None:
            got = self._read[("post", post_id)] = self.store.claims_of_post(post_id)
        return got

    def source_posts(self, source_id: str) -> list[Any]:
        """A source's posts, top first (the posts view), read from the server once (until new
        claims come in)."""
        got = self._read.get(("source", source_id))
        if got is None:
            got = self._read[("source", source_id)] = self.store.posts_of_source(source_id)
        return got

    # ---- live ------------------------------------------------------------------------------
    def poll(self) -> dict[str, Any]:
        """Colleagues' work since the last look: returns the claims whose rows change, the number
        of new claims, and whether the counters changed."""
        changes = self.store.refresh()
        touched = set(self._take_transitions()) | set(changes.get("verdicts") or ())
        rows = set(touched)
        for target in changes.get("assignments") or ():
            rows.add(target)
            cl = self.store.cluster_map().get(target)
            if cl is not None:
                rows.update(cl.claim_ids)
        new = changes.get("claims") or []
        if new:
            self.recount()
            self._read.clear()  # new posts and claims: the posts view reads them again
        return {"rows": rows, "new": new, "counters": bool(touched or new)}

    # ---- writes ----------------------------------------------------------------------------
    def _put(self, verdicts: list[Verdict], undo: bool = False) -> None:
        if undo:
            self.store.restore_verdicts(verdicts)
        else:
            self.store.set_verdicts([VerdictChange(
                v.claim_id, status=v.status, evidence=list(v.evidence),
                note=v.note if v.note is not None or not self.store.verdict(v.claim_id).note else "")
                for v in verdicts])
        self._take_transitions()

    def _record(self, step: Step) -> None:
        self.undo_stack.append(step)
        self.redo_stack.clear()

    def tag(self, claim_ids: list[str], status: str) -> None:
        """Tag claims: one committed event each, one transaction, before this returns."""
        if status not in STATUSES:
            raise ValueError(status)
        before = [self.store.verdict(cid) for cid in claim_ids]
        after = [Verdict(v.claim_id, status, v.note, list(v.evidence)) for v in before]
        self._put(after)
        self._record(Step(list(claim_ids), before, after))

    def annotate(self, claim_id: str, note: str | None = None, evidence: str | None = None,
                 evidence_list: list[str] | None = None) -> None:
        before = self.store.verdict(claim_id)
        ev = list(before.evidence)
        if evidence and evidence not in ev:
            ev.append(evidence)
        if evidence_list is not None:
            ev = [e.strip() for e in evidence_list if e.strip()]
        after = Verdict(claim_id, before.status, before.note if note is None else (note or None), ev)
        self._put([after])
        self._record(Step([claim_id], [before], [after]))

    def correct(self, claim_id: str, field_name: str, value: str | None) -> None:
        claim = self.store.claim(claim_id)
        assert claim is not None
        was = getattr(claim, field_name)
        self.store.correct_claim(claim_id, field_name, value)
        self._speakers = None
        self._record(Step([claim_id], correction=(field_name, was, getattr(claim, field_name))))

    def assign(self, claim_id: str, assignee: str | None, *, cluster: bool = False) -> str:
        """Give the claim (or its cluster) to someone, None: to nobody. Returns the target's id."""
        target = claim_id
        if cluster:
            c = self.store.claim(claim_id)
            if c is None or not c.cluster_id:
                raise ValueError("this claim is in no cluster")
            target = c.cluster_id
        self.store.assign(target, assignee)
        return target

    def _swap(self, step: Step, forward: bool) -> None:
        if step.correction is not None:
            name, was, value = step.correction
            self.store.correct_claim(step.claim_ids[0], name, value if forward else was)
        else:
            self._put(step.after if forward else step.before, undo=True)



@dataclass(frozen=True)
class TextHits:
    """A search's plan for the server: substring or typo, and the claims its notes matched."""

    text: str
    fuzzy: bool = False
    also: tuple[str, ...] = ()
    words: tuple[tuple[str, ...], ...] = ()  # a typo's correction (see PostgresStore.words_meant)
