"""A triage session: which claims are in view, in what order, and undoable decisions.

Plain Python over the store, so the TUI stays a thin layer and this logic is
testable without a terminal. Every write goes through the store (journalled
and fsync'd) before this returns; each change is one undo step and can be redone.
"""

from __future__ import annotations

import re
import threading
from operator import attrgetter
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from verifier.models import CLAIM_KINDS, NOT_A_CLAIM, STATUSES, Claim, Post, Verdict, VerdictChange
from verifier.quotecheck.align import CLASSES as QUOTE_CLASSES
from verifier.store.database import Store

SORTS = ("checkworthiness", "time", "speaker")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_WORD = re.compile(r"\w+")
FUZZY_CUTOFF = 80  # rapidfuzz ratio for a word to count as the same word with a typo
STATUS_CODE: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}  # "unreviewed" is 0
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(CLAIM_KINDS)}
QUOTE_CODE: dict[str, int] = {q: i for i, q in enumerate(QUOTE_CLASSES)}


def speaker_key(name: str | None) -> str:
    """Sort key for a speaker: "a CNN team" files under C, "the Kremlin" under K."""
    return _ARTICLE.sub("", name.strip()).lower() if name else "\uffff"


@dataclass
class Filters:
    text: str = ""
    status: str | None = None
    kind: str | None = None
    speaker: str | None = None
    quote: str | None = None  # a quote check class
    checked: str | None = None  # "checked before": a published fact-check matches the claim

    def active(self) -> bool:
        return bool(self.text or self.status or self.kind or self.speaker or self.quote or self.checked)


@dataclass
class Step:
    """One undoable change: verdicts before and after, or one correction."""

    claim_ids: list[str]
    before: list[Verdict] = field(default_factory=list)
    after: list[Verdict] = field(default_factory=list)
    correction: tuple[str, Any, Any] | None = None  # (field, was, value)
    link: Any = None  # a linking decision (verifier.link.decide.LinkStep)


class SearchIndex:
    """Lowercased claim text and speaker, computed once; a word index for fuzzy search.

    Built off the UI thread (it reads claims, which do not change under the
    workbench except by a correction, which updates its entry).
    """

    def __init__(self, claims: list[Claim]) -> None:
        self.ids = [c.id for c in claims]
        self.hay = [f"{c.text}\n{c.speaker or ''}".lower() for c in claims]
        self._words: dict[str, list[int]] | None = None
        self._words_n = 0  # entries of ids the word index holds
        self._lock = threading.Lock()

    def add(self, claims: list[Claim]) -> None:
        """Claims a followed source brought: appended; ``words`` indexes them when next asked
        (never waits for the lock: the word index may be being built in a worker)."""
        hay = [f"{c.text}\n{c.speaker or ''}".lower() for c in claims]
        self.ids += [c.id for c in claims]  # ids first: a text read by a search always has its id
        self.hay += hay

    def update(self, claim: Claim) -> None:
        try:
            i = self.ids.index(claim.id)
        except ValueError:
            return
        self.hay[i] = f"{claim.text}\n{claim.speaker or ''}".lower()
        self._words = None

    def words(self) -> dict[str, list[int]]:
        with self._lock:
            if self._words is None:
                self._words, self._words_n = {}, 0
            index, hay = self._words, self.hay
            n = len(hay)
            for i in range(self._words_n, n):  # all of them, or those added since
                for w in set(_WORD.findall(hay[i])):
                    index.setdefault(w, []).append(i)
            self._words_n = n
            return index

    def substring(self, q: str) -> set[str]:
        ids = self.ids
        return {ids[i] for i, h in enumerate(self.hay) if q in h}

    def fuzzy(self, q: str) -> set[str]:
        """Claims holding (nearly) every word of q: a typo or a changed word is tolerated."""
        words = [w for w in _WORD.findall(q) if len(w) >= 3]
        if not words:
            return set()
        index = self.words()
        vocab = list(index)
        hits: Counter[int] = Counter()
        for w in words:
            near = process.extract(w, vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
            rows: set[int] = set()
            for word, _score, _ in near:
                rows.update(index[word])
            hits.update(rows)
        need = len(words) if len(words) < 4 else len(words) - len(words) // 4
        return {self.ids[i] for i, n in hits.items() if n >= need}


@dataclass
class TriageSession:
    store: Store
    filters: Filters = field(default_factory=Filters)
    sort: str = "checkworthiness"
    view: list[str] = field(default_factory=list)
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)  # claims picked for a bulk decision
    text_hits: set[str] | None = None  # claims matching filters.text, once searched

    _orders: dict[str, np.ndarray] = field(default_factory=dict)  # sort name -> rows of _claims in order
    _position: dict[str, int] | None = None
    _by_post: dict[str, list[Claim]] | None = None
    _by_source: dict[str, list[Post]] | None = None
    _index: SearchIndex | None = None
    _conflicted: dict[str, frozenset[str]] = field(default_factory=dict)
    _hits_for: str | None = None
    _speakers: list[tuple[str, int]] | None = None
    _view_rows: Any = None  # rows of _claims behind view, when view is the list _view_rows_of
    _view_rows_of: list[str] | None = None

    def __post_init__(self) -> None:
        # The live claims once, and one small array per thing a filter looks at: a filter
        # change is a few vectorised comparisons, not a pass of Python over 100,000 claims.
        # (map + attrgetter: loops in C; a Python loop per array cost ~0.1 s at 100,000 claims)
        self._claims: list[Claim] = self.store.live_claims()
        n = len(self._claims)
        ids = list(map(attrgetter("id"), self._claims))
        self._ids = np.array(ids, dtype=object)
        self._row = dict(zip(ids, range(n)))
        self._status = np.zeros(n, dtype=np.int8)
        for cid, v in list(self.store.verdict_map().items()):
            row = self._row.get(cid)
            if row is not None and v.status != "unreviewed":
                self._status[row] = STATUS_CODE.get(v.status, 0)
        kinds = {k: KIND_CODE.get(k, -1) for k in set(map(attrgetter("kind"), self._claims))}
        self._kind = np.fromiter(map(kinds.__getitem__, map(attrgetter("kind"), self._claims)), dtype=np.int8,
                                 count=n)
        speakers = list(map(attrgetter("speaker"), self._claims))
        self._speaker_names = [s for s in dict.fromkeys(speakers) if s]
        self._speaker_code: dict[str | None, int] = {s: i for i, s in enumerate(self._speaker_names)}
        codes = {**self._speaker_code, None: -1, "": -1}
        self._speaker = np.fromiter(map(codes.__getitem__, speakers), dtype=np.int32, count=n)
        self._quote = np.full(n, -1, dtype=np.int8)
        self._update_quote_codes()
        # Counted once; every write below adjusts them, so a keypress costs O(1), not a pass.
        counts = np.bincount(self._status, minlength=len(STATUSES))
        self.counts = {"total": int(n - counts[STATUS_CODE[NOT_A_CLAIM]]),
                       **{s: int(counts[i]) for s, i in STATUS_CODE.items()}}
        self.refresh_view()

    def corpus_changed(self, keep_order: bool = True) -> None:
        """Posts and claims were added, edited or retired under the session (a followed
        source): rebuild what was derived from them; filters, sort, marks and undo stay.

        With keep_order, claims already shown keep their order (nothing jumps under the
        person reading): each new claim goes in after the shown claim that precedes it in
        the sort; retired claims leave."""
        old = self.view
        self._orders, self._conflicted = {}, {}
        self._position = self._by_post = self._by_source = self._index = None
        self._hits_for = self._speakers = self.text_hits = None
        self.__post_init__()
        self.marked &= set(self._row)
        if keep_order:
            fresh = self.view
            shown = set(fresh)
            kept = [cid for cid in old if cid in shown]
            kept_set = set(kept)
            after: dict[str | None, list[str]] = {}
            anchor: str | None = None
            for cid in fresh:
                if cid in kept_set:
                    anchor = cid
                else:
                    after.setdefault(anchor, []).append(cid)
            view = list(after.get(None, ()))
            for cid in kept:
                view.append(cid)
                view.extend(after.get(cid, ()))
            self.view = view
            self._position = None

    # ---- a followed source's claims, folded in at the cost of the change ----------
    def claims_changed(self, added: list[str] = (), retired: list[str] = (),  # type: ignore[assignment]
                       updated: list[str] = ()) -> None:  # type: ignore[assignment]
        """Claims a followed source added, retired or re-extracted (same id, new record or a
        new quote check), folded into the arrays, counters and orders without rebuilding them
        (``corpus_changed`` rebuilds, O(database)). Shown claims keep their order; each new one
        goes in after the shown claim that precedes it in the sort, as corpus_changed does."""
        old = self.view
        old_rows = self._view_rows if old is self._view_rows_of else None  # the rows behind old, if known
        gone = [cid for cid in dict.fromkeys(retired) if cid in self._row]
        if gone:
            old_rows = self._drop_rows(gone, old_rows)
        claim_map = self.store.claim_map()
        for cid in updated:
            row, c = self._row.get(cid), claim_map.get(cid)
            if row is None or c is None or c.retired:
                continue
            self._claims[row] = c
            self._kind[row] = KIND_CODE.get(c.kind, -1)
            self._speaker[row] = self._code_of(c.speaker)
            status = self.store.status(cid)
            if STATUS_CODE[status] != self._status[row]:
                self._count(cid, STATUSES[int(self._status[row])], status)
            self._quote[row] = QUOTE_CODE.get(str((self.store.quote_check_record(cid) or {}).get("status")), -1)
        if updated and self._by_post is not None:
            for cid in updated:
                record = claim_map.get(cid)
                if record is None or cid not in self._row:
                    continue
                claims = self._by_post.get(record.post_id)
                if claims is not None:
                    claims[:] = sorted([x for x in claims if x.id != cid] + [record], key=lambda x: x.span[0])
        new = [claim_map[cid] for cid in dict.fromkeys(added)
               if cid in claim_map and cid not in self._row and not claim_map[cid].retired]
        if new:
            self._add_rows(new)
        if not (gone or new or updated):
            return
        self._conflicted, self._speakers, self._position = {}, None, None
        if not new:
            if gone:
                self.view = [cid for cid in old if cid in self._row]
                if old_rows is not None:
                    self._view_rows, self._view_rows_of = old_rows[old_rows >= 0], self.view
            return
        self.refresh_view()
        self._keep_places(old, old_rows)

    def _keep_places(self, old: list[str], old_rows: np.ndarray | None = None) -> None:
        """corpus_changed's merge, vectorised: claims of ``old`` still shown keep their order;
        every other shown claim goes in after the kept claim that precedes it in the fresh view."""
        f_rows = self._view_rows
        n = len(self._claims)
        if old_rows is None:
            get = self._row.get
            old_rows = np.fromiter((get(c, -1) for c in old), dtype=np.int64, count=len(old))
        in_fresh = np.zeros(n, dtype=bool)
        in_fresh[f_rows] = True
        valid = old_rows >= 0
        valid[valid] = in_fresh[old_rows[valid]]
        kept_rows = old_rows[valid]
        in_kept = np.zeros(n, dtype=bool)
        in_kept[kept_rows] = True
        is_kept = in_kept[f_rows]
        extra = np.flatnonzero(~is_kept)
        view = self._ids[kept_rows].tolist()
        rows = kept_rows
        if len(extra):
            anchor = np.maximum.accumulate(np.where(is_kept, np.arange(len(f_rows)), -1))
            after: dict[int, list[int]] = {}
            for i in extra.tolist():
                a = int(anchor[i])
                after.setdefault(int(f_rows[a]) if a >= 0 else -1, []).append(int(f_rows[i]))
            where = {-1: 0}
            for r in after:
                if r >= 0:
                    where[r] = int(np.flatnonzero(kept_rows == r)[0]) + 1
            for r in sorted(after, key=where.__getitem__, reverse=True):  # from the end: places stay valid
                at = where[r]
                view[at:at] = self._ids[after[r]].tolist()
                rows = np.insert(rows, at, after[r])
        self.view = view
        self._view_rows, self._view_rows_of = rows, view
        self._position = None

    def _drop_rows(self, gone: list[str], view_rows: np.ndarray | None = None) -> np.ndarray | None:
        """Take retired claims out; returns ``view_rows`` renumbered (-1 for a dropped row)."""
        rows = [self._row[cid] for cid in gone]
        for cid, row in zip(gone, rows):
            status = STATUSES[int(self._status[row])]
            self.counts[status] -= 1
            if status != NOT_A_CLAIM:
                self.counts["total"] -= 1
        keep = np.ones(len(self._claims), dtype=bool)
        keep[rows] = False
        remap = np.cumsum(keep) - 1
        self._claims = [c for c, k in zip(self._claims, keep.tolist()) if k]
        self._ids = self._ids[keep]
        self._row = dict(zip(self._ids.tolist(), range(len(self._claims))))
        self._status, self._kind = self._status[keep], self._kind[keep]
        self._speaker, self._quote = self._speaker[keep], self._quote[keep]
        self._orders = {s: remap[o[keep[o]]] for s, o in self._orders.items()}
        gone_set = set(gone)
        self.marked -= gone_set
        if self._by_post is not None:
            for claims in self._by_post.values():
                claims[:] = [c for c in claims if c.id not in gone_set]
        if view_rows is None:
            return None
        return np.where(keep[view_rows], remap[view_rows], -1)

    def _sort_key(self, sort: str, c: Claim, speaker: int):
        if sort == "time":
            return (self._published(c), c.span[0])
        if sort == "speaker":
            return (speaker_key(self._speaker_names[speaker]) if speaker >= 0 else "\uffff", -c.checkworthiness)
        return -c.checkworthiness

    def _add_rows(self, new: list[Claim]) -> None:
        base = len(self._claims)
        n = len(new)
        self._claims.extend(new)
        ids = [c.id for c in new]
        self._ids = np.concatenate((self._ids, np.array(ids, dtype=object)))
        self._row.update(zip(ids, range(base, base + n)))
        status = np.array([STATUS_CODE.get(self.store.status(cid), 0) for cid in ids], dtype=np.int8)
        self._status = np.concatenate((self._status, status))
        self._kind = np.concatenate((self._kind, np.array([KIND_CODE.get(c.kind, -1) for c in new], dtype=np.int8)))
        speakers = [self._code_of(c.speaker) for c in new]
        self._speaker = np.concatenate((self._speaker, np.array(speakers, dtype=np.int32)))
        quotes = [QUOTE_CODE.get(str((self.store.quote_check_record(cid) or {}).get("status")), -1) for cid in ids]
        self._quote = np.concatenate((self._quote, np.array(quotes, dtype=np.int8)))
        for code in status.tolist():
            self.counts[STATUSES[code]] += 1
            if STATUSES[code] != NOT_A_CLAIM:
                self.counts["total"] += 1
        for sort, order in list(self._orders.items()):  # each new row where a full sort puts it
            claims = self._claims
            spk = self._speaker
            keys = [(self._sort_key(sort, c, int(spk[base + i])), base + i) for i, c in enumerate(new)]
            desc = sort == "time"  # sorted newest first (reverse=True: ties keep row order)
            keys.sort(key=(lambda kr: kr[0]), reverse=desc)
            positions = []
            for key, _ in keys:
                lo, hi = 0, len(order)
                while lo < hi:  # first place whose key sorts after this one (ties: the new row goes last)
                    mid = (lo + hi) // 2
                    r = int(order[mid])
                    other = self._sort_key(sort, claims[r], int(spk[r]))
                    if (other < key) if desc else (other > key):
                        hi = mid
                    else:
                        lo = mid + 1
                positions.append(lo)
            self._orders[sort] = np.insert(order, positions, [r for _, r in keys]).astype(np.int64)
        if self._by_post is not None:
            for c in new:
                self._by_post.setdefault(c.post_id, []).append(c)
                self._by_post[c.post_id].sort(key=lambda x: x.span[0])
        self._by_source = None  # new posts: rebuilt when the detail pane asks
        if self._index is not None:
            self._index.add(new)
        f = self.filters
        if f.text and self.text_hits is not None and self._hits_for == f.text:
            q = f.text.strip().lower()
            self.text_hits |= {c.id for c in new if q in f"{c.text}\n{c.speaker or ''}".lower()}

    def _code_of(self, speaker: str | None) -> int:
        if not speaker:
            return -1
        code = self._speaker_code.get(speaker)
        if code is None:
            code = self._speaker_code[speaker] = len(self._speaker_names)
            self._speaker_names.append(speaker)
        return code

    def _update_quote_codes(self) -> None:
        for cid, record in list(self.store.quote_check_map().items()):
            row = self._row.get(cid)
            if row is not None:
                self._quote[row] = QUOTE_CODE.get(str((record or {}).get("status")), -1)

    # ---- orders and indexes -----------------------------------------------------
    def _published(self, c: Claim) -> str:
        post = self.store.post(c.post_id)
        return (post.published or "") if post else ""

    def _order(self, sort: str) -> np.ndarray:
        """Rows of the live claims in a sort's order, sorted once per session: the corpus
        does not change under the workbench (a speaker correction re-sorts by speaker)."""
        built = self._orders.get(sort)
        if built is None or len(built) != len(self._claims):  # not built, or built while claims arrived
            claims = self._claims
            rows = list(range(len(claims))) if sort in ("time", "speaker") else []
            if sort == "time":
                published = [self._published(c) for c in claims]
                rows.sort(key=lambda i: (published[i], claims[i].span[0]), reverse=True)
            elif sort == "speaker":
                keys = [speaker_key(n) for n in self._speaker_names]
                rows.sort(key=lambda i: (keys[self._speaker[i]] if self._speaker[i] >= 0 else "\uffff",
                                         -claims[i].checkworthiness))
            else:  # most check-worthy first; stable: ties keep page order
                worth = np.fromiter(map(attrgetter("checkworthiness"), claims), dtype=np.float64, count=len(claims))
                self._orders[sort] = np.argsort(-worth, kind="stable")
                return self._orders[sort]
            self._orders[sort] = np.array(rows, dtype=np.int64)
        return self._orders[sort]

    def _ordered(self, sort: str) -> list[Claim]:
        claims = self._claims
        return [claims[i] for i in self._order(sort).tolist()]

    def warm(self) -> None:
        """Every sort order and the search index, off the UI thread, before they are asked for."""
        for sort in SORTS:
            self._order(sort)
        self.index.words()

    @property
    def position(self) -> dict[str, int]:
        """Claim id -> row in view, built when first asked after a view change."""
        if self._position is None:
            self._position = dict(zip(self.view, range(len(self.view))))
        return self._position

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex(self._claims)
        return self._index

    def post_claims(self, post_id: str) -> list[Claim]:
        """A post's live claims in reading order (index built on first use)."""
        if self._by_post is None:
            self._by_post = {}
            for c in self._claims:
                self._by_post.setdefault(c.post_id, []).append(c)
            for claims in self._by_post.values():
                claims.sort(key=lambda c: c.span[0])
        return self._by_post.get(post_id, [])

    def source_posts(self, source_id: str) -> list[Post]:
        """A source's posts as the page shows them, top first."""
        if self._by_source is None:
            self._by_source = {}
            for p in self.store.iter_posts():
                self._by_source.setdefault(p.source_id, []).append(p)
            for posts in self._by_source.values():
                posts.sort(key=lambda p: p.seq)
        return self._by_source.get(source_id, [])

    def speakers(self) -> list[tuple[str, int]]:
        """Speakers by number of live claims, most quoted first (for the speaker picker)."""
        if self._speakers is None:
            codes = self._speaker[self._speaker >= 0]
            counts: Any = np.bincount(codes, minlength=len(self._speaker_names)) if len(codes) else []
            pairs = [(self._speaker_names[i], int(n)) for i, n in enumerate(counts) if n]
            self._speakers = sorted(pairs, key=lambda kv: (-kv[1], speaker_key(kv[0])))
        return self._speakers

    def conflicted(self, cluster_id: str | None) -> frozenset[str]:
        """Claims of a cluster named in one of its conflicts (built once per cluster)."""
        if not cluster_id:
            return frozenset()
        got = self._conflicted.get(cluster_id)
        if got is None:
            cl = self.store.cluster(cluster_id)
            got = frozenset(x for c in (cl.conflicts if cl else ()) for x in c.get("claims", ()))
            self._conflicted[cluster_id] = got
        return got

    # ---- the view ---------------------------------------------------------------
    def search(self, text: str) -> set[str]:
        """Claims whose text, speaker, note or evidence hold text (substring, else fuzzy).

        Safe off the UI thread: reads the index and a snapshot of the verdicts."""
        q = text.strip().lower()
        if not q:
            return set()
        index = self.index
        hits = index.substring(q)
        notes = [(cid, v) for cid, v in list(self.store.verdict_map().items()) if v.note or v.evidence]
        for cid, v in notes:
            if q in (v.note or "").lower() or any(q in e.lower() for e in v.evidence):
                hits.add(cid)
        if not hits and len(q) >= 4:
            hits = index.fuzzy(q)
            for cid, v in notes:  # a typo in a note's words
                words = (v.note or "") + " " + " ".join(v.evidence)
                if fuzz.partial_ratio(q, words.lower()) >= 90:
                    hits.add(cid)
        return hits

    def set_text(self, text: str, hits: set[str] | None = None) -> None:
        self.filters.text = text.strip()
        self.text_hits = hits
        self._hits_for = self.filters.text if hits is not None else None

    def refresh_view(self) -> None:
        """Recompute the visible ids: vectorised masks over the claims in sort order."""
        f = self.filters
        mask = np.ones(len(self._claims), dtype=bool)
        if f.text:
            if self.text_hits is None or self._hits_for != f.text:
                self.set_text(f.text, self.search(f.text))
            hit = np.zeros(len(self._claims), dtype=bool)
            rows = [self._row[c] for c in (self.text_hits or ()) if c in self._row]
            hit[rows] = True
            mask &= hit
        if f.status:
            mask &= self._status == STATUS_CODE.get(f.status, -1)
        if f.kind:
            mask &= self._kind == KIND_CODE.get(f.kind, -1)
        if f.speaker:
            s = f.speaker.lower()
            codes = [i for i, name in enumerate(self._speaker_names) if s in name.lower()]
            mask &= np.isin(self._speaker, codes)
        if f.quote:
            mask &= self._quote == QUOTE_CODE.get(f.quote, -2)
        if f.checked:
            from verifier.factchecks.library import checked_before

            store = self.store
            hits = [cid for cid in store.factcheck_match_map() if checked_before(store, cid)]
            mask &= np.isin(self._ids, np.array(hits, dtype=object)) if hits else False
        order = self._order(self.sort)
        rows = order[mask[order]]
        if self.sort == "checkworthiness" and not f.status:
            # undecided first: a stable partition keeps the order
            done = self._status[rows] != 0
            if done.any():
                rows = np.concatenate((rows[~done], rows[done]))  # type: ignore[assignment]
        self.view = self._ids[rows].tolist()
        self._view_rows, self._view_rows_of = rows, self.view  # the rows behind view (for claims_changed)
        self._position = None

    def nearest(self, old_view: list[str], old_id: str | None) -> int:
        """Row to select after a view change: the same claim if still shown, else the
        closest one to it in the old order (after, then before), else the top."""
        if old_id is None or not self.view:
            return 0
        try:
            return self.view.index(old_id)  # C speed; no map needed for the common case
        except ValueError:
            pass
        try:
            at = old_view.index(old_id)
        except ValueError:
            return 0
        shown = set(self.view)
        for d in range(1, len(old_view)):
            for i in (at + d, at - d):
                if 0 <= i < len(old_view) and old_view[i] in shown:
                    return self.view.index(old_view[i])
        return 0

    def cluster_of(self, claim_id: str) -> list[str]:
        c = self.store.claim_map()[claim_id]
        if c.cluster_id and c.cluster_id in self.store.cluster_map():
            return [x for x in self.store.cluster_map()[c.cluster_id].claim_ids if x in self.store.claim_map()]
        return [claim_id]

    # ---- writes -------------------------------------------------------------------
    def _count(self, claim_id: str, old: str, new: str) -> None:
        row = self._row.get(claim_id)
        if row is not None:
            self._status[row] = STATUS_CODE[new]
        self.counts[old] -= 1
        self.counts[new] += 1
        if old == NOT_A_CLAIM:
            self.counts["total"] += 1
        if new == NOT_A_CLAIM:
            self.counts["total"] -= 1

    def _put(self, verdicts: list[Verdict], undo: bool = False) -> None:
        """Write verdicts (one journal entry for several) and keep the counters right."""
        olds = [self.store.status(v.claim_id) for v in verdicts]
        if undo:  # put back exactly what was there
            self.store.restore_verdicts(verdicts)
        else:
            # None leaves a field as it was: a note taken away is written as an empty one
            self.store.set_verdicts([VerdictChange(
                v.claim_id, status=v.status, evidence=list(v.evidence),
                note=v.note if v.note is not None or not self.store.verdict(v.claim_id).note else "")
                for v in verdicts])
        for old, v in zip(olds, verdicts):
            self._count(v.claim_id, old, v.status)

    def _record(self, step: Step) -> None:
        self.undo_stack.append(step)
        self.redo_stack.clear()

    def tag(self, claim_ids: list[str], status: str) -> None:
        """Tag claims; every write is on disk when this returns. One undo step for the lot."""
        if status not in STATUSES:
            raise ValueError(status)
        before = [self.store.verdict(cid) for cid in claim_ids]
        after = [Verdict(v.claim_id, status, v.note, list(v.evidence)) for v in before]
        self._put(after)
        self._record(Step(list(claim_ids), before, after))

    def cluster_plan(self, claim_id: str) -> dict[str, Any]:
        """What `c` would do: the verdict to spread, the members it changes, those whose
        differing verdict it would overwrite, and the cluster's conflicts."""
        status = self.store.status(claim_id)
        members = self.cluster_of(claim_id)
        change = [m for m in members if self.store.status(m) != status]
        overwrite = [m for m in change if self.store.status(m) != "unreviewed"]
        cl = self.store.cluster(self.store.claim_map()[claim_id].cluster_id or "")
        return {"status": status, "members": members, "change": change, "overwrite": overwrite,
                "conflicts": list(cl.conflicts) if cl else []}

    def annotate(self, claim_id: str, note: str | None = None, evidence: str | None = None,
                 evidence_list: list[str] | None = None) -> None:
        """Change the note, add one piece of evidence, or replace the evidence list."""
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
        """Correct the speaker, role or kind; kept as the person's decision."""
        was = getattr(self.store.claim_map()[claim_id], field_name)
        self.store.correct_claim(claim_id, field_name, value)
        self._after_correction(claim_id, field_name)
        self._record(Step([claim_id], correction=(field_name, was, getattr(self.store.claim_map()[claim_id], field_name))))

    def _after_correction(self, claim_id: str, field_name: str) -> None:
        # the filters' arrays, the order by speaker and the search text follow the correction
        claim, row = self.store.claim_map()[claim_id], self._row.get(claim_id)
        if row is None:
            return
        if field_name == "speaker":
            self._speaker[row] = self._code_of(claim.speaker)
            self._orders.pop("speaker", None)
            self._speakers = None
            if self._index is not None:
                self._index.update(claim)
        elif field_name == "kind":
            self._kind[row] = KIND_CODE.get(claim.kind, -1)

    def link_decision(self, claim_ids: list[str], decide: Any, *args: Any) -> Any:
        """A linking decision (verifier.link.decide's confirm_all, split, merge...) as one undo step."""
        from verifier.link.decide import undoable

        result, link = undoable(self.store, decide, *args)
        if link is not None:
            self._record(Step(list(claim_ids), link=link))
        return result

    def _swap(self, step: Step, forward: bool) -> None:
        if step.link is not None:
            from verifier.link import decide

            if forward:
                step.link = decide.redo(self.store, step.link)
            else:
                decide.undo(self.store, step.link)
        elif step.correction is not None:
            name, was, value = step.correction
            cid = step.claim_ids[0]
            self.store.correct_claim(cid, name, value if forward else was)
            self._after_correction(cid, name)
        else:
            self._put(step.after if forward else step.before, undo=True)

    def undo(self) -> list[str]:
        """Put back what the last change replaced; returns the claim ids touched."""
        if not self.undo_stack:
            return []
        step = self.undo_stack.pop()
        self._swap(step, forward=False)
        self.redo_stack.append(step)
        return step.claim_ids

    def redo(self) -> list[str]:
        if not self.redo_stack:
            return []
        step = self.redo_stack.pop()
        self._swap(step, forward=True)
        self.undo_stack.append(step)
        return step.claim_ids

    def progress(self) -> dict[str, int]:
        return dict(self.counts)
