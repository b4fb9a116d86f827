"""Candidates for a new claim without comparing it to every claim: an index of anchors.

An *anchor* is a claim that started a group (it linked to nothing earlier);
a claim that joined a group is reached through its group's anchor, so
linking compares a claim with one representative per earlier claim, not
with every repeat of it.

Two ways in, neither of which drops a frequent key:
- exact: the normalised text of every claim seen (a digest), so a wire
  repeat finds its group at once however common its words are;
- words: every content word of every anchor is posted. A query looks up its
  RAREST words (by posting length, measured at query time, so nothing
  depends on when an anchor was indexed) and reads at most CAP of the newest
  entries of each list: a claim made only of frequent words still finds its
  recent repeats, where dropping long lists lost them.

The index is saved beside the database (``<db>.link``, JSON) with a token
also written into the database, so an ingest loads it instead of re-reading
every claim; a missing or stale file is rebuilt from the database.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from typing import Iterable

from verifier.link.tokens import STOPWORDS

QUERY_WORDS = 5  # the rarest words of a query that are looked up
CAP = 100  # newest entries read from one posting list
MIN_SHARED = 3  # candidates share this many of the query's rare words (generated news: the recall of 2, at half the cost)
TOP = 8  # candidates scored per query, most shared words first
VERSION = 1


def digest(norm: str) -> str:
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def key_words(norm: str) -> list[str]:
    """The words an anchor is posted under: content words, figures left out (they change with the toll)."""
    seen: dict[str, None] = {}
    for w in norm.split():
        if w not in STOPWORDS and len(w) > 2 and not w[:1].isdigit():
            seen[w] = None
    return list(seen)


class AnchorIndex:
    def __init__(self) -> None:
        self.anchors: list[str] = []  # anchor number -> claim id
        self.number: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.exact: dict[str, str] = {}  # digest of normalised text -> first claim id with it

    def __len__(self) -> int:
        return len(self.anchors)

    def add_anchor(self, claim_id: str, norm: str, keys: list[str] | None = None) -> None:
        if claim_id in self.number:
            return
        n = len(self.anchors)
        self.anchors.append(claim_id)
        self.number[claim_id] = n
        postings = self.postings
        for w in (keys if keys is not None else key_words(norm)):
            lst = postings.get(w)
            if lst is None:
                postings[w] = [n]
            else:
                lst.append(n)

    def add_text(self, claim_id: str, norm: str) -> str | None:
        """Remember a claim's exact text; returns the claim first seen with it, if another."""
        d = digest(norm)
        first = self.exact.setdefault(d, claim_id)
        return None if first == claim_id else first

    def same_text(self, norm: str) -> str | None:
        return self.exact.get(digest(norm))

    def candidates(self, norm: str, keys: list[str] | None = None) -> list[str]:
        """Anchors sharing the most of this text's rarest words, best first (at most TOP)."""
        postings = self.postings
        lists = [lst for lst in map(postings.get, keys if keys is not None else key_words(norm)) if lst]
        if not lists:
            return []
        lists.sort(key=len)
        lists = lists[:QUERY_WORDS]
        need = min(MIN_SHARED, len(lists))
        shared: Counter[int] = Counter()
        for lst in lists:
            shared.update(lst[-CAP:] if len(lst) > CAP else lst)
        ranked = [n for n, k in shared.items() if k >= need]
        if len(ranked) > TOP:
            ranked.sort(key=lambda n: (-shared[n], -n))  # most shared words, then the newest
            ranked = ranked[:TOP]
        else:
            ranked.sort(key=lambda n: (-shared[n], -n))
        anchors = self.anchors
        return [anchors[n] for n in ranked]

    # ---- persistence ---------------------------------------------------
    def save(self, path: str, token: str) -> None:
        import orjson

        from verifier.store.atomic import atomic_write

        doc = {"version": VERSION, "token": token, "anchors": self.anchors,
               "postings": self.postings, "exact": self.exact}
        atomic_write(path, orjson.dumps(doc))

    @classmethod
    def load(cls, path: str, token: str) -> "AnchorIndex | None":
        """The saved index when it belongs to this database state, else None (rebuild it)."""
        import orjson

        try:
            with open(path, "rb") as f:
                doc = orjson.loads(f.read())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(doc, dict) or doc.get("version") != VERSION or doc.get("token") != token:
            return None
        anchors, postings, exact = doc.get("anchors"), doc.get("postings"), doc.get("exact")
        if not (isinstance(anchors, list) and isinstance(postings, dict) and isinstance(exact, dict)
                and all(isinstance(a, str) for a in anchors)):
            return None
        n = len(anchors)
        try:  # a damaged file must not index past the anchors
            for lst in postings.values():
                if not isinstance(lst, list) or (lst and (min(lst) < 0 or max(lst) >= n)):
                    return None
        except TypeError:
            return None
        if not all(isinstance(v, str) for v in exact.values()):
            return None
        index = cls()
        index.anchors = anchors
        index.number = {a: i for i, a in enumerate(anchors)}
        index.postings = postings
        index.exact = exact
        return index


def index_path(db_path: str) -> str:
    """Where the link index is kept: beside a database file; for a desk's server database, in
    this machine's cache (under a digest of the address), checked against the server's token
    like any other copy."""
    if "://" not in db_path[:16]:
        return db_path + ".link"
    import hashlib

    from verifier.cache import cache_dir

    folder = cache_dir()
    name = hashlib.sha1(db_path.encode("utf-8", "surrogatepass")).hexdigest()[:20] + ".link"
    if folder is None:
        return os.path.join(os.devnull, name)  # no cache: never written, never read
    try:
        os.makedirs(os.path.join(folder, "link-index"), exist_ok=True)
    except OSError:
        pass  # an unwritable cache: the index is rebuilt on every run
    return os.path.join(folder, "link-index", name)


def remove_index(db_path: str) -> None:
    try:
        os.remove(index_path(db_path))
    except OSError:
        pass


def build(anchor_norms: Iterable[tuple[str, str]], texts: Iterable[tuple[str, str]]) -> AnchorIndex:
    index = AnchorIndex()
    for cid, norm in anchor_norms:
        index.add_anchor(cid, norm)
    for cid, norm in texts:
        index.add_text(cid, norm)
    return index
