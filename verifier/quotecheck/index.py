"""A word index over one or many texts, for finding where a quote sits.

Every text is normalised once (verifier.quotecheck.words) and each distinct
word becomes one character, so a text is a string of words: an exact match of
a quote is a ``str.find`` and an alignment compares short strings in C.
Speaker labels ("TRUMP:", "Sen. Warren:") and caption time codes are read as
turns and cues, never as words of the text.
"""

from __future__ import annotations

import bisect
import gc
import marshal
import os
import re
import zlib
from array import array
import sys
from collections import Counter
from typing import Any

from verifier.cache import cache_dir
from verifier.quotecheck.words import Words, normalise

# A line opening with a time code "[00:01:02.500]" (captions) and/or a speaker
# label: "LAVROV:", "Sergey Lavrov:", "MR. ROMNEY:".
_LABEL = re.compile(
    r"^[ \t]*(?:\[(?P<time>\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)\][ \t]*)?"
    r"(?:(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:(?=[ \t]|$))?", re.M)
MEMO_ENTRIES = 600_000  # answers an index remembers, then it starts again (a 25,000-post check asks ~500,000)
COMMON_POSTING = 400  # a word more frequent than this votes only when nothing rarer does
VOTERS = 8  # the rarest quote words that vote for where the quote starts
VOTE_BUDGET = 800  # places those words may vote for, all together
_FIRST, _LAST = 0x10000, 0x10FFFF  # word characters: astral code points, never in the text


class Doc:
    """One text of an index. (A plain class: a dataclass costs milliseconds at import.)"""

    __slots__ = ("key", "label", "text", "start", "end", "turns", "turn_words", "cues", "speaker")

    def __init__(self, key: str, label: str, text: str, start: int, end: int = 0,
                 turns: list[tuple[int, str | None]] | None = None, turn_words: list[int] | None = None,
                 cues: list[tuple[int, str]] | None = None, speaker: str | None = None) -> None:
        self.key = key  # "reference:<id>", "post:<id>", "file:<path>"
        self.label = label  # what to show: a title, a headline
        self.text = text
        self.start = start  # first word's index in the index's word list
        self.end = end
        self.turns = turns if turns is not None else []  # (char offset, speaker) where the speaker changes
        self.turn_words = turn_words if turn_words is not None else []  # word index where each turn starts
        self.cues = cues if cues is not None else []  # (char offset, time code) of captions
        self.speaker = speaker  # the whole text's speaker, when one person's

    @property
    def captions(self) -> bool:
        return bool(self.cues)

    def speaker_at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.turns, (offset, "\uffff")) - 1
        return self.turns[i][1] if i >= 0 and self.turns[i][1] else self.speaker

    def turn_of(self, word: int) -> int:
        return bisect.bisect_right(self.turn_words, word) - 1

    def time_at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.cues, (offset, "\uffff")) - 1
        return self.cues[i][1] if i >= 0 else None


class Spans:
    """Each word's [start, end) in its text, as one flat array of integers: a cached index
    loads it in microseconds, where a list of tuples costs milliseconds to load and to free."""

    __slots__ = ("flat",)

    def __init__(self, flat: array | None = None) -> None:
        self.flat = flat if flat is not None else array("q")

    def __len__(self) -> int:
        return len(self.flat) >> 1

    def __getitem__(self, i: int) -> tuple[int, int]:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.flat[2 * i], self.flat[2 * i + 1]

    def starts(self, lo: int, hi: int) -> list[int]:
        return self.flat[2 * lo:2 * hi:2].tolist()

    def extend(self, spans: list[tuple[int, int]]) -> None:
        self.flat.extend(x for span in spans for x in span)


class Postings(dict):
    """Word character -> the word indexes where it occurs. A loaded index finds a word's
    places in its string on first use, so opening a cached index reads no posting lists;
    past a few dozen words asked for (a batch of checks), every list is built in one pass."""

    ONE_BY_ONE = 48  # words found one scan each before the rest are built at once

    def __init__(self, index: "TextIndex") -> None:
        super().__init__()
        self._index = index
        self._scans = 0
        self._whole = False

    def __missing__(self, c: str) -> list[int]:
        if self._whole or c not in self._index.chars:
            raise KeyError(c)  # no word of the index: never a scan
        self._scans += 1
        if self._scans > self.ONE_BY_ONE:
            self._build_all()
            return dict.__getitem__(self, c)
        s = self._index.string
        out: list[int] = []
        at = s.find(c)
        while at >= 0:
            out.append(at)
            at = s.find(c, at + 1)
        self[c] = out
        return out

    def _build_all(self) -> None:
        found: dict[str, list[int]] = {}
        for i, c in enumerate(self._index.string):
            got = found.get(c)
            if got is None:
                found[c] = [i]
            else:
                got.append(i)
        self.update(found)
        self._whole = True

    def __contains__(self, c: object) -> bool:
        return dict.__contains__(self, c) or (not self._whole and isinstance(c, str) and c in self._index.chars)

    def get(self, c: str, default=None):  # type: ignore[override]
        try:
            return self[c]
        except KeyError:
            return default


class TextIndex:
    def __init__(self) -> None:
        self.words: list[str] = []
        self.spans = Spans()
        self.alts: dict[int, str] = {}
        self.docs: list[Doc] = []
        self._starts: list[int] = []
        self.vocab: dict[str, str] = {}
        self.postings: dict[str, list[int]] = {}  # built as texts are added; a Postings when loaded
        self._parts: list[str] = []  # each text's words as characters
        self._string: str | None = None
        self._chars: frozenset[str] | None = None
        # answers already worked out on this index (exact places, votes, alignments), by question:
        # a quote repeated across posts (wire copy) asks the same ones; emptied when a text is added
        self.memo: dict[tuple, object] = {}

    def remember(self, key: tuple, value: object) -> None:
        if len(self.memo) >= MEMO_ENTRIES:
            self.memo.clear()
        self.memo[key] = value

    def add(self, key: str, label: str, text: str, speaker: str | None = None,
            turns: list[tuple[int, str | None]] | None = None, words: Words | None = None) -> None:
        """Index ``text``. Speakers come from ``turns`` (offset, speaker) when given (a
        post's claims), else from "NAME:" labels in the text, else ``speaker``. With ``turns``,
        ``words`` may be the text's normalise() already done (in another process)."""
        base = len(self.words)
        doc = Doc(key, label, text, base, speaker=speaker)
        segments: list[tuple[int, int]] = []
        at = 0
        found: list[tuple[int, str | None]] = []
        if turns is None:
            for m in _LABEL.finditer(text):
                if m.end() == m.start():
                    continue
                if m.group("time"):
                    doc.cues.append((m.start("time") - 1, m.group("time").replace(",", ".")))
                if m.start() > at:
                    segments.append((at, m.start()))
                at = m.end()
                if m.group("name"):
                    found.append((m.start("name"), m.group("name").strip()))
        segments.append((at, len(text)))
        if words is not None and turns is not None:
            parts: list[Words] = [words] if text else []
        else:
            parts = [normalise(text, a, b) for a, b in segments if b > a]
        for w in parts:
            off = len(self.words)
            self.words += w.words
            self.spans.extend(w.spans)
            for k, v in w.alts.items():
                self.alts[off + k] = v
        doc.end = len(self.words)
        # turns: where the speaker changes, in characters and in words
        spoken = turns if turns is not None else found
        last: object = object()
        for off, who in spoken:
            if who != last:
                doc.turns.append((off, who))
                last = who
        starts = self.spans.starts(base, doc.end)
        doc.turn_words = [base + bisect.bisect_left(starts, off) for off, _ in doc.turns]
        self.docs.append(doc)
        self._starts.append(base)
        if isinstance(self.postings, Postings):  # a loaded index: its places are found when asked for
            self.postings = Postings(self)
        vocab, post = self.vocab, self.postings
        lazy = isinstance(post, Postings)
        chars = []
        for i in range(base, doc.end):
            word = self.words[i]
            c = vocab.get(word)
            if c is None:
                c = vocab[word] = chr(min(_FIRST + len(vocab), _LAST - 1_000))
                if not lazy:
                    post[c] = [i]
            elif not lazy:
                post[c].append(i)
            chars.append(c)
        self._parts.append("".join(chars))
        self._string = None
        self._chars = None
        if self.memo:
            self.memo.clear()

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def string(self) -> str:
        """The whole index as one string, a character per word."""
        if self._string is None:
            self._string = "".join(self._parts)
            self._parts = [self._string]
        return self._string

    @property
    def chars(self) -> frozenset[str]:
        """The characters of the index's words."""
        if self._chars is None:
            self._chars = frozenset(self.vocab.values())
        return self._chars

    def encode(self, words: list[str]) -> str:
        """A quote's words as characters; a word the index lacks gets one no text has."""
        unknown: dict[str, str] = {}
        out = []
        for w in words:
            c = self.vocab.get(w)
            if c is None:
                c = unknown.setdefault(w, chr(_LAST - len(unknown) % 1000))
            out.append(c)
        return "".join(out)

    def doc_at(self, word: int) -> int:
        return bisect.bisect_right(self._starts, word) - 1

    def exact(self, q: str, lo: int = 0, hi: int | None = None, limit: int = 200) -> list[int]:
        """Word indexes where ``q`` (encoded) occurs whole inside one text, in ``[lo, hi)``."""
        if not q:
            return []
        key = ("exact", q, lo, hi, limit)
        got = self.memo.get(key)
        if got is not None:
            return got  # type: ignore[return-value]
        found = self._exact(q, lo, hi, limit)
        self.remember(key, found)
        return found

    def _exact(self, q: str, lo: int, hi: int | None, limit: int) -> list[int]:
        s = self.string
        hi = len(s) if hi is None else hi
        n = len(q)
        rare = min(set(q), key=lambda c: len(self.postings.get(c, ())))
        plist = self.postings.get(rare)
        if not plist:
            return []
        out: list[int] = []
        if len(plist) <= 64:  # few places to try: compare there
            offs = [i for i, c in enumerate(q) if c == rare]
            seen = set()
            for p in plist:
                for k in offs:
                    at = p - k
                    if lo <= at and at + n <= hi and at not in seen and s.startswith(q, at):
                        seen.add(at)
                        out.append(at)
            out.sort()
        else:  # every place in order, as str.find would meet them, without reading the whole string:
            # each place holds the rare word at its offset k, so the rare word's postings name them all
            k = q.index(rare)
            cap = limit * 4
            i0, i1 = bisect.bisect_left(plist, lo + k), bisect.bisect_right(plist, hi - n + k)
            np = sys.modules.get("numpy")  # loaded by a batch of checks: the same places, compared in C
            if np is not None and i1 - i0 > 256:
                return self._whole(self._places_np(np, rare, q, k, i0, i1)[:cap], n, limit)
            startswith = s.startswith
            for i in range(i0, i1):
                p = plist[i]
                if startswith(q, p - k):
                    out.append(p - k)
                    if len(out) >= cap:
                        break
        return self._whole(out, n, limit)

    def _whole(self, out: list[int], n: int, limit: int) -> list[int]:
        """The places whose n words lie inside one text, the first ``limit``."""
        return [a for a in out if self.doc_at(a) == self.doc_at(a + n - 1)][:limit]

    def _array(self, np, key: object, make) -> object:
        got = self.memo.get(("array", key))
        if got is None:
            got = make()
            self.remember(("array", key), got)
        return got

    def _places_np(self, np, rare: str, q: str, k: int, i0: int, i1: int) -> list[int]:
        """Every a = (a posting of ``rare``, numbers i0..i1) - k where the words ``q`` start, in order."""
        chars = self._array(np, "string", lambda: np.frombuffer(self.string.encode("utf-32-le"), dtype=np.uint32))
        places = self._array(np, rare, lambda: np.asarray(self.postings[rare], dtype=np.int64))
        at = places[i0:i1] - k  # type: ignore[index]
        for j, c in enumerate(q):
            if j != k and len(at):
                at = at[chars[at + j] == ord(c)]  # type: ignore[index]
        return at.tolist()

    def seeds(self, q: str, exclude: frozenset[str] | set[str] = frozenset(), top: int = 6) -> list[tuple[int, int]]:
        """Candidate (doc, word index where the quote would start), best first.

        The rarest quote words vote for the diagonal (position in text - position
        in quote); a band of 8 words tolerates insertions and deletions.
        """
        scored: list[Any] | None = self.memo.get(("votes", q, top))  # type: ignore[assignment]
        if scored is None:
            scored = self._votes(q, top)
            self.remember(("votes", q, top), scored)
        out: list[tuple[int, int]] = []
        need = scored[0] if scored else 0
        for v, band in scored[1:]:
            if v < need or len(out) >= top:
                break
            at = max(0, band * 8)
            doc = self.doc_at(min(at + min(len(q), 8), len(self.words) - 1))
            if self.docs[doc].key in exclude or any(d == doc and abs(s - at) < 8 for d, s in out):
                continue
            out.append((doc, max(self.docs[doc].start, at)))
        return out

    def _votes(self, q: str, top: int) -> list:
        """[votes needed, then (votes, band) best first]: where the quote's words point, for seeds()."""
        post = self.postings
        present = [(len(post[c]), i, c) for i, c in enumerate(q) if c in post]
        if not present:
            return []
        present.sort()
        usable: list[tuple[int, int, str]] = []
        budget = 0
        for x in present:  # the rarest words, within a budget of places to vote for
            if len(usable) >= VOTERS or (len(usable) >= 2 and budget + x[0] > VOTE_BUDGET) or x[0] > COMMON_POSTING:
                break
            usable.append(x)
            budget += x[0]
        voters: list[tuple[list[int], int]] = []  # (places, the word's place in the quote)
        words: list[str] = []
        if usable or len(q) < 4:
            usable = usable or present[:3]
            voters = [(post[c], i) for _, i, c in usable]
            words = [c for _, _, c in usable]
            need = max(2, len(usable) // 3) if len(q) > 3 else 1
        else:
            # only common words ("we are going to do it"): a phrase search, each run of
            # three quote words voting where it occurs as it is
            voters = [(self.exact(q[i:i + 3], limit=COMMON_POSTING), i) for i in range(len(q) - 2)]
            need = 1
        np = sys.modules.get("numpy")  # loaded by a batch of checks; a single verify-quote does without
        if np is not None and sum(len(v) for v, _ in voters) > 512:
            arrays = [self._array(np, c, lambda c=c: np.asarray(post[c], dtype=np.int64)) for c in words] \
                if words else [np.asarray(v, dtype=np.int64) for v, _ in voters]
            return [need] + _tally(np, [(a, i) for a, (_, i) in zip(arrays, voters)], top * 3)
        bands: list[int] = []
        for places, i in voters:
            bands += [(p - i) >> 3 for p in places]
        return [need] + [(v, b) for b, v in Counter(bands).most_common(top * 3)]

    def doc_end(self, doc: int) -> int:
        return self.docs[doc].end

    FORM = 2

    def dump(self, check: str = "") -> bytes:
        """The index as bytes for the cache; ``check`` names what it was built from (read back
        by ``load``, so that a cache key that collides is never taken for another text)."""
        docs = [(d.key, d.label, d.text, d.start, d.end, d.turns, d.turn_words, d.cues, d.speaker) for d in self.docs]
        return marshal.dumps((self.FORM, check, self.words, self.spans.flat.tobytes(), self.alts, docs,
                              "\n".join(self.vocab), "".join(self.vocab.values()), self.string))

    @classmethod
    def load(cls, data: bytes, check: str = "") -> "TextIndex":
        form, built_from, words, spans, alts, docs, vocab_words, vocab_chars, string = marshal.loads(data)
        if form != cls.FORM or built_from != check:
            raise ValueError("not this index")
        index = cls()
        flat = array("q")
        flat.frombytes(spans)
        index.words, index.spans, index.alts = words, Spans(flat), alts
        index.vocab = dict(zip(vocab_words.split("\n"), vocab_chars)) if vocab_words else {}
        index._string, index._parts = string, [string]
        index.postings = Postings(index)
        for key, label, text, start, end, turns, turn_words, cues, speaker in docs:
            index.docs.append(Doc(key, label, text, start, end, [tuple(t) for t in turns], turn_words,
                                  [tuple(c) for c in cues], speaker))
            index._starts.append(start)
        return index


def _tally(np, voters: list[tuple[Any, int]], k: int) -> list[tuple[int, int]]:
    """Counter(bands).most_common(k) as (votes, band) for voters (an array of places, the word's
    place in the quote), in C: the most votes first, a tie in
    the order the bands were first voted for (as Counter's order is)."""
    bands = np.concatenate([(places - i) >> 3 for places, i in voters])
    values, first, counts = np.unique(bands, return_index=True, return_counts=True)
    best = np.lexsort((first, -counts))[:k]
    return [(int(counts[j]), int(values[j])) for j in best]


# -- a built index kept on disk, so a transcript is read into words once ---------------------

def _code_version() -> str:
    """Changes whenever the code that builds an index does: a cached index never outlives it."""
    h = TextIndex.FORM
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("index.py", "words.py"):
        try:
            with open(os.path.join(here, name), "rb") as fh:
                h = zlib.crc32(fh.read(), h)
        except OSError:
            return ""
    return f"{h:08x}"


def digest(text: str) -> str:
    """A short cache key for ``text`` (zlib's checksums: hashlib costs milliseconds to import
    on every `verify-quote`). A key two texts share is harmless: the index stores what it was
    built from, and ``cached`` rebuilds when that differs."""
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def one_text(key: str, label: str, text: str, speaker: str | None = None) -> TextIndex:
    """An index of one text, loaded from the cache when it was built before (a 2,000-line
    transcript: a few ms instead of ~100 ms), built and stored otherwise."""
    def build() -> TextIndex:
        index = TextIndex()
        index.add(key, label, text, speaker)
        return index
    index = cached(digest(text), build)
    if len(index.docs) != 1 or index.docs[0].text != text:
        return build()
    index.docs[0].key, index.docs[0].label, index.docs[0].speaker = key, label, speaker
    return index


def cached(key: str, build, check: str = "") -> TextIndex:
    """The index stored under ``key`` (a digest of what it was built from), or ``build()``
    stored there. ``check``, when given, is stored with it and must match on reading."""
    d = cache_dir()
    version = _code_version()
    path = os.path.join(d, "quote-index", f"{key}.{version}.marshal") if d and version else None
    if path and os.path.exists(path):
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            paused = gc.isenabled()
            gc.disable()  # tens of thousands of tuples, none of them cyclic garbage
            try:
                return TextIndex.load(data, check)
            finally:
                if paused:
                    gc.enable()
        except (OSError, ValueError, EOFError, TypeError, IndexError):
            pass  # a damaged cache file: build anew
    index = build()
    if path:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(index.dump(check))
            os.replace(tmp, path)
            _prune(os.path.dirname(path))
        except OSError:
            pass  # no cache to write to: fine, only slower next time
    return index


CACHE_FILES, CACHE_BYTES = 64, 1 << 30


def _prune(d: str) -> None:
    """Keep the cache within CACHE_FILES files and CACHE_BYTES bytes, newest kept."""
    files = []
    for name in os.listdir(d):
        try:
            st = os.stat(os.path.join(d, name))
        except OSError:
            continue
        files.append((st.st_mtime, st.st_size, name))
    files.sort(reverse=True)
    total = 0
    for k, (_, size, name) in enumerate(files):
        total += size
        if k >= CACHE_FILES or total > CACHE_BYTES:
            try:
                os.remove(os.path.join(d, name))
            except OSError:
                pass
