"""`verifier factchecks ...`: the library of published fact-checks, and "checked before" matches.

    verifier factchecks add FILE...        read ClaimReview JSON-LD, CSV, CLEF TSV/JSONL, verifier exports
    verifier factchecks list | remove REF...
    verifier factchecks search TEXT [--speaker NAME] [--date DATE] [--top K] [--json]
    verifier factchecks search --queries FILE.tsv --top 5 --format trec   (a TREC run file, for evaluation)
    verifier factchecks match              re-match every claim (after verdicts changed)
    verifier factchecks matches [--checked-before]
    verifier factchecks adopt CLAIM_ID MATCH
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from verifier.errors import InputError
from verifier.text import one_line

if TYPE_CHECKING:  # the store is imported by the commands that open it, not by the parser
    from verifier.store.interface import ClaimStore


def _rematch(store: ClaimStore) -> None:
    from verifier.factchecks.library import match_claims

    n = match_claims(store)
    print(f"claims checked before: {n} of {len(store.live_claims())}")


def cmd_add(db: str, args: argparse.Namespace) -> int:
    from verifier.factchecks.library import open_matcher
    from verifier.factchecks.readers import read_factchecks
    from verifier.store import open_store
    from verifier.store.database import now_iso

    per_file = [(p, read_factchecks(p)) for p in args.files]  # every file read before anything is stored
    with open_store(db) as store:
        for path, found in per_file:
            added = updated = same = 0
            batch = []
            for e in found:
                e.origin = os.path.abspath(path)
                old = store.factcheck_map().get(e.key)
                if old is not None:
                    e.added_at = old.get("added_at")
                    if {**old, "origin": ""} == {**e.to_dict(), "origin": ""}:
                        same += 1
                        continue
                    updated += 1
                else:
                    e.added_at = now_iso()
                    added += 1
                batch.append(e.to_dict())
            if batch:
                store.put_factchecks(batch)
            print(f"{path}: {added} added, {updated} updated, {same} unchanged")
        open_matcher(store)  # index the library now, once
        _rematch(store)
        store.save()
    print(f"library: {len(store.factcheck_map())} fact-checks", file=sys.stderr)
    return 0


def cmd_list(db: str, args: argparse.Namespace) -> int:
    from verifier.store import open_store

    store = open_store(db, readonly=True)
    rows = sorted(store.factcheck_map().values(), key=lambda d: (d.get("publisher") or "", d.get("date") or "", d["id"]))
    if args.limit is not None:
        rows = rows[: args.limit]
    for d in rows:
        if args.json:
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{d['key'][:10]}  {one_line(d.get('publisher') or '-', 14):<14}  "
                             f"{one_line(d.get('rating') or '-', 14):<14}  {d.get('date') or '-':<10}  "
                             f"{one_line(d['claim'], 90)}\n")
    print(f"{len(store.factcheck_map())} fact-checks", file=sys.stderr)
    return 0


def _resolve(store: ClaimStore, ref: str) -> list[str]:
    """Keys of the entries a REF names: a key or key prefix, an entry's own id, or the file they came from."""
    if ref in store.factcheck_map():
        return [ref]
    path = os.path.abspath(ref)
    by_file = [k for k, d in store.factcheck_map().items() if d.get("origin") == path]
    if by_file:
        return by_file
    by_id = [k for k, d in store.factcheck_map().items() if d.get("id") == ref]
    if by_id:
        return by_id
    by_prefix = [k for k in store.factcheck_map() if len(ref) >= 4 and k.startswith(ref.lower())]
    if len(by_prefix) > 1:
        raise InputError(f"fact-check '{ref}' is ambiguous: {len(by_prefix)} keys start with it")
    if not by_prefix:
        raise InputError(f"no fact-check or library file '{ref}' (see: verifier factchecks list)")
    return by_prefix


def cmd_remove(db: str, args: argparse.Namespace) -> int:
    from verifier.store import open_store

    with open_store(db) as store:
        keys = [k for ref in args.refs for k in _resolve(store, ref)]  # all resolved before any is removed
        store.remove_factchecks(keys)
        print(f"removed {len(set(keys))} fact-checks")
        _rematch(store)
        store.save()
    return 0


def _hit_dict(h) -> dict:
    from verifier.factchecks.matcher import CHECKED_BEFORE

    return {**h.entry.to_dict(), "score": round(h.score, 4), "checked_before": h.score >= CHECKED_BEFORE}


def cmd_search(db: str, args: argparse.Namespace) -> int:
    from verifier.factchecks.library import search
    from verifier.factchecks.matcher import CHECKED_BEFORE
    from verifier.factchecks.text import parse_date
    from verifier.store import open_store

    if args.top < 1:
        raise InputError("--top must be at least 1")
    when = parse_date(args.date) if args.date else None
    if args.date and not when:
        raise InputError(f"--date '{args.date}': not a date (use YYYY-MM-DD)")
    store = open_store(db, readonly=True)
    if args.queries:
        if args.text:
            raise InputError("give TEXT or --queries FILE, not both")
        return _batch(store, args, when)
    if not args.text or not args.text.strip():
        raise InputError("search needs TEXT or --queries FILE")
    hits = search(store, args.text, speaker=args.speaker, when=when, k=args.top)
    if args.json:
        print(json.dumps([_hit_dict(h) for h in hits], ensure_ascii=False, indent=2))
        return 0
    for h in hits:
        e = h.entry
        mark = "checked before" if h.score >= CHECKED_BEFORE else "possible"
        print(f"{h.score:.2f}  {mark:<14}  {one_line(e.publisher or '-', 14):<14}  {one_line(e.rating or '-', 16):<16}"
              f"  {e.date or '-':<10}  {one_line(e.claim, 80)}")
        extra = "  ".join(x for x in (f"claimant: {one_line(e.claimant)}" if e.claimant else "",
                                      e.url or "", f"id: {one_line(e.id, 60)}") if x)
        print(f"      {extra}")
    if not hits:
        print("no fact-check in the library shares words with this claim", file=sys.stderr)
    return 0


def _batch(store: ClaimStore, args: argparse.Namespace, when: str | None) -> int:
    from verifier.factchecks.evaluate import read_queries
    from verifier.factchecks.library import search
    from verifier.ingest.files import read_text

    read_text(args.queries)  # the usual one-line refusals: missing, binary, empty
    queries = read_queries(args.queries)
    out = sys.stdout
    for qid, text, speaker in queries:
        hits = search(store, text, speaker=speaker, when=when, k=args.top)
        for rank, h in enumerate(hits, 1):
            if args.format == "trec":
                out.write(f"{qid}\tQ0\t{h.entry.id}\t{rank}\t{h.rank_score:.6f}\t{args.tag}\n")
            else:
                out.write(json.dumps({"query": qid, "rank": rank, **_hit_dict(h)}, ensure_ascii=False) + "\n")
    print(f"{len(queries)} queries", file=sys.stderr)
    return 0


def cmd_match(db: str, args: argparse.Namespace) -> int:
    from verifier.store import open_store

    with open_store(db) as store:
        _rematch(store)
        store.save()
    return 0


def cmd_matches(db: str, args: argparse.Namespace) -> int:
    from verifier.factchecks.library import matches_for
    from verifier.store import open_store

    store = open_store(db, readonly=True)
    shown = 0
    for c in sorted(store.live_claims(), key=lambda c: (-c.checkworthiness, c.id)):
        ms = matches_for(store, c.id)
        if not ms or (args.checked_before and not ms[0].checked_before):
            continue
        shown += 1
        best = ms[0]
        if args.json:
            sys.stdout.write(json.dumps({"claim_id": c.id, "text": c.text, "matches": [
                {**m.entry.to_dict(), "score": m.score, "checked_before": m.checked_before} for m in ms]},
                ensure_ascii=False) + "\n")
            continue
        mark = "checked before" if best.checked_before else "possible"
        print(f"{c.id[:10]}  {mark:<14}  {one_line(c.text, 90)}")
        for m in ms[: args.top]:
            e = m.entry
            print(f"    {m.score:.2f}  {e.key[:10]}  {one_line(e.publisher or '-', 14):<14}  "
                  f"{one_line(e.rating or '-', 14):<14}  {one_line(e.claim, 70)}  {e.url or ''}")
    print(f"{shown} claims with matches", file=sys.stderr)
    return 0


def cmd_adopt(db: str, args: argparse.Namespace) -> int:
    from verifier.factchecks.library import adopt
    from verifier.store import open_store

    with open_store(db) as store:
        v = adopt(store, args.claim_id, args.match)
        claim = store.resolve_claim(args.claim_id)
    print(f"{claim.id}  {v.status}  note and evidence now cite the prior check")
    return 0


def run(db: str, args: argparse.Namespace) -> int:
    return {"add": cmd_add, "list": cmd_list, "remove": cmd_remove, "search": cmd_search, "match": cmd_match,
            "matches": cmd_matches, "adopt": cmd_adopt}[args.action](db, args)


def add_parsers(sub: argparse._SubParsersAction, db_option, parser_class) -> None:
    p = sub.add_parser("factchecks", help="published fact-checks: add, list, remove, search; claims checked before")
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=parser_class)
    a = acts.add_parser("add", help="add fact-checks: ClaimReview JSON-LD (object, list, @graph, DataFeed, HTML), "
                                    "CSV, CLEF Snopes TSV / PolitiFact JSONL, verifier JSON exports")
    a.add_argument("files", nargs="+", metavar="FILE")
    db_option(a)
    a = acts.add_parser("list", help="list the library")
    a.add_argument("--limit", type=int, default=None, metavar="N")
    a.add_argument("--json", action="store_true", help="one JSON object per line")
    db_option(a)
    a = acts.add_parser("remove", help="remove fact-checks (by key, key prefix, own id, or the file they came from)")
    a.add_argument("refs", nargs="+", metavar="REF")
    db_option(a)
    a = acts.add_parser("search", help="the fact-checks a text repeats (or a TSV of queries: --queries)")
    a.add_argument("text", nargs="?", metavar="TEXT")
    a.add_argument("--speaker", metavar="NAME", help="who made the claim (a matching claimant counts)")
    a.add_argument("--date", metavar="DATE", help="when the claim was made (a near date counts)")
    a.add_argument("--top", type=int, default=5, metavar="K")
    a.add_argument("--json", action="store_true")
    a.add_argument("--queries", metavar="FILE.tsv", help="TSV of id, text and an optional speaker column")
    a.add_argument("--format", choices=("trec", "jsonl"), default="trec", help="batch output (default trec)")
    a.add_argument("--tag", default="verifier", help="run tag in the TREC file")
    db_option(a)
    a = acts.add_parser("match", help="re-match every claim against the library and the desk's verdicts")
    db_option(a)
    a = acts.add_parser("matches", help="claims with matches in the library, best first")
    a.add_argument("--checked-before", action="store_true", help="only claims whose best match clears the threshold")
    a.add_argument("--top", type=int, default=3, metavar="K", help="matches shown per claim")
    a.add_argument("--json", action="store_true")
    db_option(a)
    a = acts.add_parser("adopt", help="put a match's rating and URL into a claim's note and evidence")
    a.add_argument("claim_id", metavar="CLAIM_ID")
    a.add_argument("match", metavar="MATCH", help="the match's key (or a prefix of it)")
    db_option(a)
    db_option(p)
