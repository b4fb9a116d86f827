"""A word index over one or many texts, for finding where a quote sits.

Built once per text (a 1 MB transcript: ~180,000 words), then each quote
costs a few postings lookups: no pass over the text per quote.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from verifier.quotecheck.words import tokens

# "LAVROV:" or "Sergey Lavrov:" opening a line: a speaker turn in a transcript.
_TURN = re.compile(r"^[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]", re.M)
COMMON_POSTING = 5000  # words more frequent than this are no use as seeds (the, of, and)


@dataclass
class Doc:
    key: str  # ("reference", id) or ("post", id), flattened to "kind:id"
    label: str  # what to show: a title, a headline
    text: str
    start: int  # first word's index in the index's word list
    turns: list[tuple[int, str | None]] = field(default_factory=list)  # (char offset, speaker)
    speaker: str | None = None  # the whole text's speaker, when one person's

    def speaker_at(self, offset: int) -> str | None:
        i = bisect.bisect_right([t[0] for t in self.turns], offset) - 1
        return self.turns[i][1] if i >= 0 else self.speaker


class TextIndex:
    def __init__(self) -> None:
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self.doc_of: list[int] = []  # word index -> doc index
        self.docs: list[Doc] = []
        self.postings: dict[str, list[int]] = {}

    def add(self, key: str, label: str, text: str, speaker: str | None = None,
            turns: list[tuple[int, str | None]] | None = None) -> None:
        """Index ``text``. Speakers come from ``turns`` (offset, speaker) when given (a
        post's claims), else from "NAME:" turns in the text, else ``speaker``."""
        words, spans = tokens(text)
        doc_no = len(self.docs)
        start = len(self.words)
        if turns is None:
            turns = [(m.start(1), m.group(1).strip()) for m in _TURN.finditer(text)]
        self.docs.append(Doc(key, label, text, start, turns, speaker))
        post = self.postings
        for i, w in enumerate(words, start):
            lst = post.get(w)
            if lst is None:
                post[w] = [i]
            else:
                lst.append(i)
        self.words += words
        self.spans += spans
        self.doc_of += [doc_no] * len(words)

    def __len__(self) -> int:
        return len(self.docs)

    def seeds(self, qwords: list[str], exclude: set[str] = frozenset(), top: int = 8) -> list[tuple[int, int]]:
        """Candidate (doc, first word index) where the quote may start, best first.

        Every shared word votes for the diagonal (position in text - position in
        quote); a band of 4 words tolerates insertions and deletions.
        """
        usable = [(i, w) for i, w in enumerate(qwords) if 0 < len(self.postings.get(w, ())) <= COMMON_POSTING]
        if not usable:  # a quote of only common words: its 3 rarest still anchor it
            usable = sorted(((i, w) for i, w in enumerate(qwords) if w in self.postings),
                            key=lambda iw: len(self.postings[iw[1]]))[:3]
        votes: Counter[tuple[int, int]] = Counter()
        for i, w in usable:
            for p in self.postings[w]:
                votes[(self.doc_of[p], (p - i) // 4)] += 1
        # A band and its better neighbour: an inserted word must not split the vote.
        scored = [(n + max(votes.get((doc, band - 1), 0), votes.get((doc, band + 1), 0)), doc, band)
                  for (doc, band), n in votes.items()]
        scored.sort(reverse=True)
        need = max(2, len(usable) // 4) if len(qwords) > 3 else 1
        out: list[tuple[int, int]] = []
        for n, doc, band in scored:
            if n < need or len(out) >= top:
                break
            if self.docs[doc].key in exclude or any(d == doc and abs(s - band * 4) < 8 for d, s in out):
                continue
            out.append((doc, max(self.docs[doc].start, band * 4)))
        return out

    def doc_end(self, doc: int) -> int:
        return self.docs[doc + 1].start if doc + 1 < len(self.docs) else len(self.words)
