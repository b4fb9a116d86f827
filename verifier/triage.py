"""A triage session: which claims are in view, in what order, and undoable decisions.

Plain Python over the store, so the TUI stays a thin layer and this logic is
testable without a terminal. Every write goes through the store (journalled
and fsync'd) before this returns; each change is one undo step and can be redone.
"""

from __future__ import annotations

import re
import threading
from operator import attrgetter
from dataclasses import dataclass, field
from collections.abc import Sequence, Set
from typing import TYPE_CHECKING, Any

from verifier.models import CLAIM_KINDS, NOT_A_CLAIM, STATUSES, Claim, Post, Verdict, VerdictChange
from verifier.quotecheck.classes import CLASSES as QUOTE_CLASSES

if TYPE_CHECKING:
    import numpy as np
    from rapidfuzz import fuzz, process

    from verifier.store.database import Store
else:
    class _Later:
        """A module imported on first use, then bound in its place: a desk's workbench (a lazy
        server session) starts without numpy and rapidfuzz, which only a file session needs."""

        def __init__(self, module: str, name: str) -> None:
            self._module, self._name = module, name

        def __getattr__(self, attr: str) -> Any:
            if attr.startswith("_"):  # its own fields, copy's and pickle's probes: never an import
                raise AttributeError(attr)
            import importlib

            module = importlib.import_module(self._module)
            globals()[self._name] = module
            return getattr(module, attr)

    np = _Later("numpy", "np")
    fuzz = _Later("rapidfuzz.fuzz", "fuzz")
    process = _Later("rapidfuzz.process", "process")

SORTS = ("checkworthiness", "time", "speaker")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|\x00")  # words, and the separator between claims
FUZZY_CUTOFF = 80  # rapidfuzz ratio for a word to count as the same word with a typo
STATUS_CODE: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}  # "unreviewed" is 0
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(CLAIM_KINDS)}
QUOTE_CODE: dict[str, int] = {q: i for i, q in enumerate(QUOTE_CLASSES)}


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


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


class _Postings:
    """Which claims hold each word: the vocabulary (word -> code) and, for each code, its
    claim rows, sorted. Built once off the UI thread (~1-2 s of CPU at 100,000 claims, in
    chunks so the word lists never all live at once); a search then reads a few slices
    instead of scanning 19 MB of text (~50-70 ms a query at 100,000 claims)."""

    CHUNK = 20_000

    def __init__(self, hay: list[str]) -> None:
        # Split in C on white space, then words (\w+) out of the distinct tokens only: a
        # token ("minister," "u.s.") is cut into words once, not at each of its occurrences.
        vocab: dict[str, int] = {"\x00": 0}  # word -> code; code 0: the separator, never a word
        token_code: dict[str, int] = {" \x00 ".strip(): 0}  # white-space token -> its index below
        first: list[int] = [0]  # each token's first word code (-1: no word in it)
        more: list[tuple[int, ...]] = [()]  # each token's further word codes (rare: "u.s.", "don't")
        code_parts, row_parts = [], []
        for base in range(0, len(hay), self.CHUNK):
            tokens = " \x00 ".join(hay[base:base + self.CHUNK]).split()
            for t in dict.fromkeys(tokens):
                if t not in token_code:
                    token_code[t] = len(first)
                    words = [vocab.setdefault(w, len(vocab)) for w in _WORD.findall(t)]
                    first.append(words[0] if words else -1)
                    more.append(tuple(words[1:]))
            tc = np.fromiter(map(token_code.__getitem__, tokens), dtype=np.int64, count=len(tokens))
            rows = base + np.cumsum(tc == 0)
            firsts = np.asarray(first, dtype=np.int64)[tc]
            word = firsts > 0
            code_parts.append(firsts[word])
            row_parts.append(rows[word])
            extra = [i for i in np.flatnonzero(np.fromiter(map(bool, more), dtype=bool, count=len(more))[tc]).tolist()]
            if extra:
                codes_x = [(c, int(rows[i])) for i in extra for c in more[int(tc[i])]]
                code_parts.append(np.array([c for c, _ in codes_x], dtype=np.int64))
                row_parts.append(np.array([r for _, r in codes_x], dtype=np.int64))
        codes = np.concatenate(code_parts) if code_parts else np.zeros(0, dtype=np.int64)
        rows = np.concatenate(row_parts) if row_parts else np.zeros(0, dtype=np.int64)
        order = np.argsort(codes, kind="stable")  # rows stay in order within each word
        codes, rows = codes[order], rows[order]
        keep = np.ones(len(codes), dtype=bool)  # each (word, claim) once
        keep[1:] = (codes[1:] != codes[:-1]) | (rows[1:] != rows[:-1])
        self.set(vocab, codes[keep].astype(np.int32), rows[keep].astype(np.int32), len(hay))

    def set(self, vocab: dict[str, int], codes: np.ndarray, rows: np.ndarray, n: int) -> None:
        self.vocab, self.codes, self.rows, self.n = vocab, codes, rows, n
        self.start = np.searchsorted(codes, np.arange(len(vocab) + 1))
        self.words = list(vocab)  # by code; words[0] is the separator
        self.joined = "\n".join(self.words)  # for the words holding a piece of a query
        lengths = np.fromiter(map(len, self.words), dtype=np.int64, count=len(self.words)) + 1
        self.word_at = np.zeros(len(self.words), dtype=np.int64)
        np.cumsum(lengths[:-1], out=self.word_at[1:])
        self._by_length: dict[int, list[str]] | None = None

    def dropped(self, keep: np.ndarray) -> "_Postings":
        """The same postings after rows left (``keep``: a mask over the rows, renumbered)."""
        keep = keep[:self.n]
        remap = (np.cumsum(keep) - 1).astype(np.int32)
        kept = keep[self.rows]
        out = _Postings.__new__(_Postings)
        out.set(self.vocab, self.codes[kept], remap[self.rows[kept]], int(keep.sum()))
        return out

    def rows_of(self, codes: list[int] | np.ndarray) -> np.ndarray:
        """A mask over the rows: claims holding any of these words."""
        hit = np.zeros(self.n, dtype=bool)
        if len(codes) > 64:  # many words (a short piece): one pass over every posting
            wanted = np.zeros(len(self.words), dtype=bool)
            wanted[codes] = True
            hit[self.rows[wanted[self.codes]]] = True
        else:
            for c in codes:
                hit[self.rows[self.start[c]:self.start[c + 1]]] = True
        return hit

    def containing(self, piece: str) -> np.ndarray:
        """Codes of the words holding piece."""
        at = [m.start() for m in re.finditer(re.escape(piece), self.joined)]
        if not at:
            return np.zeros(0, dtype=np.int64)
        codes = np.unique(np.searchsorted(self.word_at, np.array(at, dtype=np.int64), side="right") - 1)
        return codes[codes > 0]

    def near(self, word: str) -> list[str]:
        """Words within FUZZY_CUTOFF of word (fuzz.ratio): only words of a length that can reach
        it are scored (ratio = 2·matches / (len a + len b))."""
        if self._by_length is None:
            by: dict[int, list[str]] = {}
            for w in self.words[1:]:
                by.setdefault(len(w), []).append(w)
            self._by_length = by
        n = len(word)
        low = int(np.ceil(n * FUZZY_CUTOFF / (200 - FUZZY_CUTOFF) - 1e-9))
        high = int(n * (200 - FUZZY_CUTOFF) / FUZZY_CUTOFF + 1e-9)
        pool = [w for length in range(low, high + 1) for w in self._by_length.get(length, ())]
        return [x for x, _score, _ in process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                                        limit=None)]


class SearchIndex:
    """Lowercased claim text and speaker, computed once, with word postings (which claims
    hold each word) built off the UI thread: a search reads the postings of the words
    holding its pieces, and checks a multi-word query on those candidates only. Until the
    postings exist (or for a query with no word in it), the texts are joined into one
    string and scanned in C (str.find, a compiled regex), never a Python loop over every claim.

    Claims that come later (a followed source), are corrected or retired are folded in:
    new rows are checked one by one until the next build, corrected rows likewise."""

    SEP = "\x00"  # between claims: never in a query, so no match runs across two claims
    CHECK = 3000  # candidates checked one by one at most; more, and the joined text is scanned

    def __init__(self, claims: list[Claim]) -> None:
        self.ids = [c.id for c in claims]
        self.hay = [f"{c.text}\n{c.speaker or ''}".lower().replace(self.SEP, " ") for c in claims]
        self._joined: tuple[str, np.ndarray] | None = None
        self._vocab: list[str] | None = None
        self._post: _Postings | None = None
        self._dirty: set[int] = set()  # rows corrected since the postings were built
        self._lock = threading.Lock()

    def build(self) -> None:
        """The word postings (off the UI thread: the warm-up)."""
        with self._lock:
            hay = self.hay
        post = _Postings(hay)
        with self._lock:
            if self.hay is hay and not self._dirty:  # nothing changed meanwhile
                self._post = post

    def add(self, claims: list[Claim]) -> None:
        """Claims a followed source brought: appended; the joined text and the vocabulary are
        made again when next asked (the lock is only held while the joined text is built)."""
        hay = [f"{c.text}\n{c.speaker or ''}".lower().replace(self.SEP, " ") for c in claims]
        with self._lock:
            self.ids = self.ids + [c.id for c in claims]  # ids first: a text read by a search always has its id
            self.hay = self.hay + hay  # new lists: a search running holds the old ones
            self._joined = self._vocab = None

    def drop(self, keep: np.ndarray) -> None:
        """Retired claims out (``keep``: a mask over the rows), as the session drops their rows."""
        with self._lock:
            self.ids = [i for i, k in zip(self.ids, keep.tolist()) if k]
            self.hay = [h for h, k in zip(self.hay, keep.tolist()) if k]
            self._joined = self._vocab = None
            if self._post is not None:
                remap = np.cumsum(keep) - 1
                self._dirty = {int(remap[r]) for r in self._dirty if keep[r]}
                self._post = self._post.dropped(keep)

    def update(self, claim: Claim) -> None:
        try:
            i = self.ids.index(claim.id)
        except ValueError:
            return
        with self._lock:
            hay = list(self.hay)
            hay[i] = f"{claim.text}\n{claim.speaker or ''}".lower().replace(self.SEP, " ")
            self.hay = hay
            self._joined = self._vocab = None
            if self._post is not None and i < self._post.n:
                self._dirty = self._dirty | {i}

    def _state(self) -> tuple[list[str], "_Postings | None", set[int]]:
        with self._lock:
            return self.hay, self._post, self._dirty

    def joined(self) -> tuple[str, np.ndarray]:
        """Every claim's text in one string, and where each claim starts in it."""
        with self._lock:
            if self._joined is None:
                lengths = np.fromiter(map(len, self.hay), dtype=np.int64, count=len(self.hay)) + 1
                starts = np.zeros(len(self.hay), dtype=np.int64)
                np.cumsum(lengths[:-1], out=starts[1:])
                self._joined = (self.SEP.join(self.hay), starts)
            return self._joined

    def words(self) -> list[str]:
        """The vocabulary: every word of every claim, once."""
        hay, post, dirty = self._state()
        if post is not None and post.n == len(hay) and not dirty:
            return post.words[1:]
        with self._lock:
            vocab = self._vocab
        if vocab is None:
            text, _ = self.joined()
            # split in C, then words out of the distinct tokens only (far fewer than all of them)
            vocab = list({w for token in set(text.split()) for w in _WORD.findall(token)})
            with self._lock:
                if self._joined is not None and self._joined[0] is text:  # no claim came meanwhile
                    self._vocab = vocab
        return vocab

    def _rows(self, positions: list[int]) -> np.ndarray:
        """Claim rows holding these positions of the joined text (each row once)."""
        _, starts = self.joined()
        if not positions:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.searchsorted(starts, np.array(positions, dtype=np.int64), side="right") - 1)

    @staticmethod
    def _fold(found: np.ndarray, hay: list[str], post: _Postings, dirty: set[int], holds) -> np.ndarray:
        """Rows the postings found, corrected for rows they do not know as they are now:
        rows added since they were built, and corrected rows, are checked one by one."""
        later = [r for r in (*dirty, *range(post.n, len(hay))) if holds(hay[r])]
        if dirty:
            found = found[~np.isin(found, np.fromiter(dirty, dtype=np.int64, count=len(dirty)))]
        if later:
            found = np.union1d(found, np.array(later, dtype=np.int64))
        return found.astype(np.int64)

    def substring_rows(self, q: str) -> np.ndarray:
        q = q.replace(self.SEP, " ")
        if not q:
            return np.zeros(0, dtype=np.int64)
        hay, post, dirty = self._state()
        pieces = set(_WORD.findall(q))
        if post is not None and pieces:
            # a substring's word pieces each lie inside some word of a claim that holds it
            mask = np.ones(post.n, dtype=bool)
            for piece in sorted(pieces, key=len, reverse=True):  # the longest piece: the fewest claims
                mask &= post.rows_of(post.containing(piece))
                if not mask.any():
                    break
            found = np.flatnonzero(mask)
            if _WORD.fullmatch(q) is not None:  # one run of word characters: inside one word, exact
                return self._fold(found, hay, post, dirty, lambda h: q in h)
            if len(found) <= self.CHECK:  # more than one: each candidate checked
                found = np.array([r for r in found.tolist() if q in hay[r]], dtype=np.int64)
                return self._fold(found, hay, post, dirty, lambda h: q in h)
        text, _ = self.joined()  # no word in the query, or candidates by the thousand: one scan in C
        return self._rows([m.start() for m in re.finditer(re.escape(q), text)])

    def _word_rows(self, word: str) -> np.ndarray:
        """Claims holding word as a whole word (a literal scan in C, boundaries checked per hit)."""
        hay, post, dirty = self._state()
        if post is not None:
            code = post.vocab.get(word)
            found = post.rows[post.start[code]:post.start[code + 1]] if code else np.zeros(0, dtype=np.int64)
            return self._fold(np.asarray(found, dtype=np.int64), hay, post, dirty,
                              lambda h: word in _WORD.findall(h))
        text, _ = self.joined()
        end = len(text)
        positions = []
        for m in re.finditer(re.escape(word), text):
            a, b = m.start(), m.end()
            if (a and _is_word(text[a - 1])) or (b < end and _is_word(text[b])):
                continue
            positions.append(a)
        return self._rows(positions)

    def substring(self, q: str) -> set[str]:
        ids = self.ids
        return {ids[i] for i in self.substring_rows(q).tolist()}

    def fuzzy_rows(self, q: str) -> np.ndarray:
        """Claims holding (nearly) every word of q: a typo or a changed word is tolerated."""
        words = [w for w in _WORD.findall(q) if len(w) >= 3]
        if not words:
            return np.zeros(0, dtype=np.int64)
        hay, post, dirty = self._state()
        vocab = None if post is not None and post.n == len(hay) and not dirty else self.words()
        per_word = []
        for w in words:
            if vocab is None:
                assert post is not None
                near = post.near(w)
            else:
                near = [x for x, _score, _ in process.extract(w, vocab, scorer=fuzz.ratio,
                                                                score_cutoff=FUZZY_CUTOFF, limit=None)]
            if not near:
                per_word.append(np.zeros(0, dtype=np.int64))
                continue
            per_word.append(np.unique(np.concatenate([self._word_rows(x) for x in near])))
        need = len(words) if len(words) < 4 else len(words) - len(words) // 4
        counts = np.bincount(np.concatenate(per_word), minlength=len(hay)) if per_word else np.zeros(0)
        return np.flatnonzero(counts >= need)

    def fuzzy(self, q: str) -> set[str]:
        ids = self.ids
        return {ids[i] for i in self.fuzzy_rows(q).tolist()}


class _LazyIds(Set[str]):
    """A search's claim ids, made from its rows only when read (the view needs the rows)."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray) -> None:
        self._src, self._rows = ids, rows
        self._set: set[str] | None = None

    def _ids(self) -> set[str]:
        if self._set is None:
            self._set = set(self._src[self._rows].tolist())
        return self._set

    def __contains__(self, x: object) -> bool:
        return x in self._ids()

    def __iter__(self):
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._rows)


class RowView(Sequence[str]):
    """The claims in view: rows of the session's claim arrays, in order; an id is made only
    when read. A list of 100,000 ids cost 30-50 ms to build on every filter change (one
    reference count touched per claim, scattered in memory); a row array costs a millisecond.
    Immutable, like the list it replaces: the session makes a new one on every change."""

    __slots__ = ("ids", "rows", "_row")

    def __init__(self, ids: np.ndarray, rows: np.ndarray, row_of: dict[str, int]) -> None:
        self.ids, self.rows, self._row = ids, rows, row_of

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.ids[self.rows[i]].tolist()
        return self.ids[self.rows[i]]

    def __iter__(self):
        return iter(self.ids[self.rows].tolist())

    def index(self, claim_id: Any, start: int = 0, stop: int | None = None) -> int:
        """Where the claim is in view: one vectorised comparison, no map of the whole view."""
        row = self._row.get(claim_id) if isinstance(claim_id, str) else None
        if row is not None and row < len(self.ids) and self.ids[row] == claim_id:
            start = max(0, start + len(self.rows) if start < 0 else start)
            at = np.flatnonzero(self.rows[start:stop] == row)
            if len(at):
                return start + int(at[0])
        raise ValueError(f"{claim_id!r} is not in view")

    def __contains__(self, claim_id: object) -> bool:
        try:
            self.index(claim_id)
        except ValueError:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowView) and self.ids is other.ids:
            return np.array_equal(self.rows, other.rows)
        if isinstance(other, (list, tuple, RowView)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RowView({len(self)} claims)"


class Undoable:
    """Undo and redo over a session's steps; the session says how a step is applied (``_swap``)."""

    undo_stack: list[Step]
    redo_stack: list[Step]

    def _swap(self, step: Step, forward: bool) -> None:
        raise NotImplementedError

    def undo(self) -> list[str]:
        """Put back what the last change replaced; returns the claim ids touched."""
        return self._move(self.undo_stack, self.redo_stack, forward=False)

    def redo(self) -> list[str]:
        return self._move(self.redo_stack, self.undo_stack, forward=True)

    def _move(self, take: list[Step], put: list[Step], forward: bool) -> list[str]:
        if not take:
            return []
        step = take.pop()
        self._swap(step, forward=forward)
        put.append(step)
        return step.claim_ids


@dataclass
class TriageSession(Undoable):
    store: Store
    filters: Filters = field(default_factory=Filters)
    sort: str = "checkworthiness"
    view: Sequence[str] = field(default_factory=list)  # a RowView after refresh_view
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
    _text_rows: np.ndarray | None = None
    _times: dict | None = None
    _in_view: tuple[Sequence[str], np.ndarray] | None = None
    _prev_rows: tuple[Sequence[str], np.ndarray | None] | None = None
    _speakers: list[tuple[str, int]] | None = None
    _multi: list | None = None  # clusters of two claims or more (for stats); None after a linking change
    _view_rows: np.ndarray | None = None  # rows of _claims behind view, when view is the list _view_rows_of
    _view_rows_of: Sequence[str] | None = None

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
        self._orders, self._conflicted, self._multi = {}, {}, None
        self._position = self._by_post = self._by_source = self._index = None
        self._hits_for = self._speakers = self.text_hits = self._text_rows = self._times = None
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
        self._conflicted, self._speakers, self._position, self._multi = {}, None, None, None
        if not new:
            if gone:
                self.view = [cid for cid in old if cid in self._row]
                if old_rows is not None:
                    self._view_rows, self._view_rows_of = old_rows[old_rows >= 0], self.view
            return
        self.refresh_view()
        self._keep_places(old, old_rows)

    def _keep_places(self, old: Sequence[str], old_rows: np.ndarray | None = None) -> None:
        """corpus_changed's merge, vectorised: claims of ``old`` still shown keep their order;
        every other shown claim goes in after the kept claim that precedes it in the fresh view."""
        f_rows = self._view_rows
        assert f_rows is not None  # refresh_view just built it
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
        if self._index is not None:  # its rows are the session's rows
            self._index.drop(keep)
        self._text_rows = None  # rows renumbered: the hits' ids answer until the next search
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
            self.text_hits = set(self.text_hits) | {c.id for c in new if q in f"{c.text}\n{c.speaker or ''}".lower()}
            self._text_rows = None  # the ids above answer until the next search

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
        """Every sort order, the search index and the time buckets, off the UI thread,
        before they are asked for."""
        for sort in SORTS:
            self._order(sort)
        self.index.build()  # word postings: a search reads a few of them
        self.index.substring_rows("warm")  # numpy's lazy imports, before the first search
        self._time_codes()
        self.stats()  # and the clusters it counts

    def _time_codes(self) -> dict:
        from verifier.stats import time_codes

        if self._times is None:
            self._times = time_codes([self._published(c) for c in self._claims])
        return self._times

    def stats_ready(self) -> bool:
        """True when stats() is a few milliseconds (the time buckets are coded)."""
        return self._times is not None

    def stats(self) -> Any:
        """What verifier.stats.compute counts, from the session's arrays: a keypress, not a pass."""
        from verifier.stats import compute_from_codes

        if self._multi is None:  # tens of thousands of clusters, most of one claim: kept between keys
            self._multi = [cl for cl in self.store.iter_clusters() if len(cl.claim_ids) > 1]
        return compute_from_codes(self._status, self._kind, self._speaker, self._speaker_names,
                                  self._time_codes(), self._multi)

    def row_of(self, claim_id: str) -> int | None:
        """The claim's row in view, or None. One lookup needs no map of the whole view:
        list.index runs in C (a millisecond at 100,000), the map costs far more to build."""
        if self._position is not None:
            return self._position.get(claim_id)
        try:
            return self.view.index(claim_id)
        except ValueError:
            return None

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
    def search_rows(self, text: str) -> np.ndarray:
        """Rows (of the live claims) whose text, speaker, note or evidence hold text
        (substring, else fuzzy). Safe off the UI thread: reads the index and a snapshot
        of the verdicts."""
        q = text.strip().lower()
        if not q:
            return np.zeros(0, dtype=np.int64)
        index = self.index
        rows = index.substring_rows(q)
        notes = [(cid, v) for cid, v in list(self.store.verdict_map().items()) if v.note or v.evidence]
        extra = [cid for cid, v in notes
                 if q in (v.note or "").lower() or any(q in e.lower() for e in v.evidence)]
        if not len(rows) and not extra and len(q) >= 4:
            rows = index.fuzzy_rows(q)
            for cid, v in notes:  # a typo in a note's words
                words = (v.note or "") + " " + " ".join(v.evidence)
                if fuzz.partial_ratio(q, words.lower()) >= 90:
                    extra.append(cid)
        more = [self._row[c] for c in extra if c in self._row]
        return np.union1d(rows, np.array(more, dtype=np.int64)) if more else rows

    def search(self, text: str) -> set[str]:
        """Claim ids whose text, speaker, note or evidence hold text (substring, else fuzzy)."""
        return set(self._ids[self.search_rows(text)].tolist())

    def set_text(self, text: str, hits: set[str] | None = None, rows: np.ndarray | None = None) -> None:
        """The text filter, with its result when already searched (ids, or rows from search_rows)."""
        self.filters.text = text.strip()
        if rows is not None and hits is None:
            self._text_rows = rows
            hits = _LazyIds(self._ids, rows)  # type: ignore[assignment]  # a Set read like one; ids made on use
        else:
            self._text_rows = None
        self.text_hits = hits
        self._hits_for = self.filters.text if hits is not None else None

    def refresh_view(self) -> None:
        """Recompute the visible ids: vectorised masks over the claims in sort order."""
        f = self.filters
        mask = np.ones(len(self._claims), dtype=bool)
        if f.text:
            if self.text_hits is None or self._hits_for != f.text:
                self.set_text(f.text, rows=self.search_rows(f.text))
            hit = np.zeros(len(self._claims), dtype=bool)
            if self._text_rows is not None:
                hit[self._text_rows] = True
            else:
                hit[[self._row[c] for c in self.text_hits or () if c in self._row]] = True
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
        self._prev_rows = (self.view, self._view_rows if self.view is self._view_rows_of else None)  # for nearest()
        self.view = RowView(self._ids, rows, self._row)
        self._view_rows, self._view_rows_of = rows, self.view  # the rows behind view (for claims_changed)
        self._position = None
        self._in_view = (self.view, mask)  # which rows are shown, for nearest(); valid for this list only

    def nearest(self, old_view: Sequence[str], old_id: str | None) -> int:
        """Row to select after a view change: the same claim if still shown, else the
        closest one to it in the old order (after, then before), else the top."""
        if old_id is None or not self.view:
            return 0
        view_of, mask = self._in_view if self._in_view is not None else (None, None)
        if view_of is not self.view:  # the view was rearranged outside refresh_view: no mask
            mask = None
        if mask is not None:
            row = self._row.get(old_id)
            shown = (lambda cid: (r := self._row.get(cid)) is not None and bool(mask[r]))  # noqa: E731
            if row is not None and not mask[row]:
                prev_view, prev_rows = self._prev_rows or (None, None)
                if prev_view is old_view and prev_rows is not None and len(prev_rows) == len(old_view):
                    # vectorised: the shown claims of the old order, nearest first after, then before
                    try:
                        at = old_view.index(old_id)
                    except ValueError:
                        return 0
                    shown_old = mask[prev_rows]
                    after = np.flatnonzero(shown_old[at + 1:])
                    before = np.flatnonzero(shown_old[:at])
                    d_after = int(after[0]) + 1 if len(after) else None
                    d_before = at - int(before[-1]) if len(before) else None
                    if d_after is None and d_before is None:
                        return 0
                    if d_after is not None and (d_before is None or d_after <= d_before):
                        i = at + d_after
                    else:
                        assert d_before is not None
                        i = at - d_before
                    try:
                        return self.view.index(old_view[i])
                    except ValueError:
                        pass
                return self._nearest_shown(old_view, old_id, shown)
        try:
            return self.view.index(old_id)  # C speed; no map needed for the common case
        except ValueError:
            pass
        return self._nearest_shown(old_view, old_id, set(self.view).__contains__)

    def _nearest_shown(self, old_view: Sequence[str], old_id: str, shown) -> int:
        """The claim nearest old_id in the old order that is shown now: a walk outwards that
        stops at the first one (not a set of the whole view, which cost ~10 ms at 100,000)."""
        try:
            at = old_view.index(old_id)
        except ValueError:
            return 0
        for d in range(1, len(old_view)):
            for i in (at + d, at - d):
                if 0 <= i < len(old_view) and shown(old_view[i]):
                    try:
                        return self.view.index(old_view[i])
                    except ValueError:
                        continue
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

    def _put(self, verdicts: list[Verdict], undo: bool = False, before: list[Verdict] | None = None) -> None:
        """Write verdicts (one journal entry for several) and keep the counters right.
        `before`: the verdicts they replace, when the caller has read them already."""
        if before is None:
            before = [self.store.verdict(v.claim_id) for v in verdicts]
        if undo:  # put back exactly what was there
            self.store.restore_verdicts(verdicts)
        else:
            # None leaves a field as it was: a note taken away is written as an empty one
            self.store.set_verdicts([VerdictChange(
                v.claim_id, status=v.status, evidence=list(v.evidence),
                note=v.note if v.note is not None or not old.note else "")
                for v, old in zip(verdicts, before)])
        for old, v in zip(before, verdicts):
            self._count(v.claim_id, old.status, v.status)

    def _record(self, step: Step) -> None:
        self.undo_stack.append(step)
        self.redo_stack.clear()

    def tag(self, claim_ids: list[str], status: str) -> None:
        """Tag claims; every write is on disk when this returns. One undo step for the lot."""
        if status not in STATUSES:
            raise ValueError(status)
        before = [self.store.verdict(cid) for cid in claim_ids]
        after = [Verdict(v.claim_id, status, v.note, list(v.evidence)) for v in before]
        self._put(after, before=before)
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
        self._conflicted, self._multi = {}, None  # clusters changed
        if link is not None:
            self._record(Step(list(claim_ids), link=link))
        return result

    def _swap(self, step: Step, forward: bool) -> None:
        if step.link is not None:
            self._conflicted, self._multi = {}, None
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

    def progress(self) -> dict[str, int]:
        return dict(self.counts)
