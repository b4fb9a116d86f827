"""The desk's library of published fact-checks, kept in the store, and each claim's matches in it.

The core API the workbench (and anything else) calls:

- ``matches_for(store, claim_id) -> list[Match]``: a claim's stored matches, best first, as typed
  records (entry: publisher, rating, date, claimant, URL, claim; score 0..1; checked_before flag).
- ``checked_before(store, claim_id) -> bool``: whether its best match clears CHECKED_BEFORE.
- ``adopt(store, claim_id, match_key) -> Verdict``: puts the prior check's rating and URL into the
  claim's note and evidence (journalled like any edit, so it can be undone); the status, the
  verdict, stays the person's.
- ``match_claims(store, claim_ids=None)``: (re)computes matches; run on ingest for new claims and
  for every claim when the library changes (``verifier factchecks add/remove/match``).

Entries live in the store's ``factchecks`` table (the source of truth); a BM25 index of them is kept
in a folder beside the database (``<db>.factchecks/``), rebuilt whenever the library's fingerprint
differs from the saved one. The desk's own reviewed claims are part of the library too: they change
with every verdict, so they have their own small index (`<db>.factchecks.desk/`), rebuilt when they
changed.
"""

from __future__ import annotations

import os
from typing import Mapping, Iterable

from verifier.errors import InputError
from verifier.factchecks.matcher import CHECKED_BEFORE, Hit, Matcher, fingerprint
from verifier.factchecks.models import DESK, FactCheck, Match, entry_key
from verifier.factchecks.text import parse_date
from verifier.models import Claim, Verdict
from verifier.store.interface import ClaimStore

KEEP = 5  # matches kept per claim
FLOOR = 0.05  # below this a candidate is not worth showing
DESK_RATINGS = {"disputed": "Disputed", "unverified": "Unverified", "sourced": "Sourced"}

_cache: dict[str, Matcher] = {}  # index folder -> matcher, while its fingerprint holds


def _claim(store: ClaimStore, claim_id: str) -> Claim | None:
    return store.claim(claim_id)


def _post(store: ClaimStore, post_id: str):
    return store.post(post_id)


def _verdicts(store: ClaimStore) -> Iterable[Verdict]:
    return store.iter_verdicts()


def _library(store: ClaimStore) -> Mapping[str, dict]:
    return store.factcheck_map()


def has_library(store: ClaimStore) -> bool:
    """Whether there is anything to match against: published fact-checks or the desk's own verdicts."""
    return bool(_library(store)) or any(v.status != "unreviewed" for v in _verdicts(store))


def match_new_claims(store: ClaimStore, claim_ids: list[str]) -> None:
    """The ingest hook: new claims get their matches when there is a library to match against."""
    if claim_ids and has_library(store):
        match_claims(store, claim_ids)


def index_folder(store: ClaimStore) -> str:
    return os.path.abspath(store.path) + ".factchecks"


def entries(store: ClaimStore) -> list[FactCheck]:
    return [FactCheck.from_dict(d) for d in store.factcheck_map().values()]


def desk_entry(claim: Claim, verdict: Verdict, *, published: str | None = None, origin: str = DESK,
               publisher: str = "this desk") -> FactCheck:
    """A reviewed claim as a library entry: the desk's own earlier verdict."""
    url = next((e for e in verdict.evidence if e.startswith(("http://", "https://"))), None)
    rating = DESK_RATINGS.get(verdict.status, verdict.status)
    return FactCheck(key=entry_key(publisher, claim.id), id=claim.id, claim=claim.quote or claim.text,
                     title=None, claimant=claim.speaker, date=parse_date(published or verdict.updated_at),
                     publisher=publisher, rating=rating, url=url, origin=origin, added_at=verdict.updated_at)


def desk_entries(store: ClaimStore) -> list[FactCheck]:
    out = []
    for v in _verdicts(store):
        if v.status == "unreviewed":
            continue
        c = _claim(store, v.claim_id)
        if c is None or c.retired:
            continue
        post = _post(store, c.post_id)
        out.append(desk_entry(c, v, published=post.published if post else None))
    return out


def open_matcher(store: ClaimStore) -> Matcher:
    """The library's index: from its folder when it is current, else rebuilt (and saved when writable)."""
    folder = index_folder(store)
    fp = fingerprint(store.factcheck_map())
    m = _cache.get(folder)
    if m is not None and m.fingerprint == fp:
        return m
    m = Matcher.load(folder)
    if m is None or m.fingerprint != fp:
        m = Matcher.build(entries(store))
        if not store.readonly and len(m):
            try:
                m.save(folder)
            except OSError:
                pass  # an index that cannot be kept is rebuilt next time; matching still works
    _cache[folder] = m
    return m


def open_desk_matcher(store: ClaimStore) -> Matcher:
    """The index of the desk's own reviewed claims, kept beside the library's (`<db>.factchecks.desk/`)
    and rebuilt only when a verdict's rating, text or URL changed since."""
    desk = desk_entries(store)
    fp = fingerprint(f"{e.key}\x1f{e.rating}\x1f{e.url}\x1f{e.claim}\x1f{e.date}" for e in desk)
    folder = index_folder(store) + ".desk"
    m = _cache.get(folder)
    if m is not None and m.fingerprint == fp:
        return m
    m = Matcher.load(folder)
    if m is None or m.fingerprint != fp:
        m = Matcher.build(desk)
        m.fingerprint = fp
        if not store.readonly and len(m):
            try:
                m.save(folder)
            except OSError:
                pass
    _cache[folder] = m
    return m


def _when(store: ClaimStore, claim: Claim) -> str | None:
    post = _post(store, claim.post_id)
    return parse_date(post.published) if post and post.published else None


def search(store: ClaimStore, text: str, *, speaker: str | None = None, when: str | None = None, k: int = 5,
           exclude: Iterable[str] = (), desk: Matcher | None = None) -> list[Hit]:
    """The best library entries for a text: the published library and the desk's own verdicts."""
    skip = set(exclude)
    hits = open_matcher(store).search(text, speaker=speaker, when=when, k=k, exclude=skip)
    desk = desk if desk is not None else open_desk_matcher(store)
    if len(desk):
        hits += desk.search(text, speaker=speaker, when=when, k=k, exclude=skip)
        hits.sort(key=lambda h: -h.rank_score)
    return hits[:k]


def match_claims(store: ClaimStore, claim_ids: Iterable[str] | None = None) -> int:
    """Find and store the best matches of these claims (all live claims when None); returns how many
    are now "checked before"."""
    if claim_ids is None:
        targets = store.live_claims()
        replace = True
    else:
        targets = [c for c in (_claim(store, cid) for cid in claim_ids) if c is not None]
        replace = False
    if not has_library(store):
        if replace and store.factcheck_match_map():
            store.set_factcheck_matches({}, replace=True)
        return 0
    desk = open_desk_matcher(store)
    fp = fingerprint(store.factcheck_map())
    out: dict[str, dict] = {}
    for c in targets:
        own = entry_key("this desk", c.id)
        hits = search(store, c.text, speaker=c.speaker, when=_when(store, c), k=KEEP, exclude=[own], desk=desk)
        out[c.id] = {"library": fp, "matches": [
            {"key": h.entry.key, "score": round(h.score, 4)} for h in hits if h.score >= FLOOR]}
    store.set_factcheck_matches(out, replace=replace)
    return sum(1 for v in out.values() if v["matches"] and v["matches"][0]["score"] >= CHECKED_BEFORE)


def _entry(store: ClaimStore, key: str, desk: dict[str, FactCheck] | None = None) -> FactCheck | None:
    d = store.factcheck_map().get(key)
    if d is not None:
        return FactCheck.from_dict(d)
    if desk is None:
        desk = {e.key: e for e in desk_entries(store)}
    return desk.get(key)


def matches_for(store: ClaimStore, claim_id: str, desk: dict[str, FactCheck] | None = None) -> list[Match]:
    """A claim's stored matches, best first; entries since removed from the library are left out.
    `desk` (key -> entry of the desk's own verdicts) saves rebuilding it when asking for many claims."""
    rec = store.factcheck_match_map().get(claim_id) or {}
    out: list[Match] = []
    for m in rec.get("matches") or []:
        if m["key"] not in store.factcheck_map() and desk is None:
            desk = {e.key: e for e in desk_entries(store)}
        e = _entry(store, m["key"], desk)
        if e is not None:
            out.append(Match(claim_id, e, float(m["score"]), float(m["score"]) >= CHECKED_BEFORE, len(out) + 1))
    return out


def checked_before(store: ClaimStore, claim_id: str) -> bool:
    rec = store.factcheck_match_map().get(claim_id) or {}
    ms = rec.get("matches") or []
    return bool(ms) and float(ms[0]["score"]) >= CHECKED_BEFORE


def describe(e: FactCheck) -> str:
    """One line a note can hold: who rated it what, when."""
    who = e.publisher or "a fact-checker"
    said = f" (claim by {e.claimant})" if e.claimant else ""
    when = f" on {e.date}" if e.date else ""
    return f"Checked before: {who} rated it \"{e.rating or 'unrated'}\"{when}{said}"


def adopt(store: ClaimStore, claim_id: str, match_key: str, by: str | None = None) -> Verdict:
    """Take a prior check's rating and URL into the claim's note and evidence; the status is not touched."""
    claim = store.resolve_claim(claim_id)
    found = [m for m in matches_for(store, claim.id) if m.entry.key == match_key or
             (len(match_key) >= 4 and m.entry.key.startswith(match_key))]
    if not found:
        raise InputError(f"claim {claim.id[:10]} has no match '{match_key}' (see: verifier factchecks matches)")
    e = found[0].entry
    v = store.verdict(claim.id)
    line = describe(e) + (f": {e.url}" if e.url else "")
    note = v.note or ""
    if line not in note:
        note = f"{note}\n{line}".strip()
    evidence = list(v.evidence)
    if e.url and e.url not in evidence:
        evidence.append(e.url)
    return store.set_verdict(claim.id, note=note, evidence=evidence, by=by)


def adopted(store: ClaimStore, claim_id: str, desk: dict[str, FactCheck] | None = None) -> list[Match]:
    """Matches a person took into the verdict (their URL is in its evidence)."""
    evidence = set(store.verdict(claim_id).evidence)
    return [m for m in matches_for(store, claim_id, desk) if m.entry.url and m.entry.url in evidence]


def prior_checks(store: ClaimStore, claim_id: str, desk: dict[str, FactCheck] | None = None) -> list[dict]:
    """For exports: the claim's matches that are "checked before" or were adopted, as plain dicts."""
    if not store.factcheck_match_map().get(claim_id):
        return []
    evidence = set(store.verdict(claim_id).evidence)
    out = []
    for m in matches_for(store, claim_id, desk):
        taken = bool(m.entry.url and m.entry.url in evidence)
        if m.checked_before or taken:
            e = m.entry
            out.append({"id": e.id, "claim": e.claim, "claimant": e.claimant, "date": e.date,
                        "publisher": e.publisher, "rating": e.rating, "url": e.url, "score": round(m.score, 4),
                        "checked_before": m.checked_before, "adopted": taken})
    return out
