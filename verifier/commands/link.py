"""`verifier suggestions`, `confirm` and `reject`: the suggested links a person decides."""

from __future__ import annotations

import argparse
import json
import sys

from verifier.errors import InputError
from verifier.text import one_line


def add_parsers(sub, db_option) -> None:
    p = sub.add_parser("suggestions", help="suggested duplicate links waiting for confirm or reject")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    db_option(p)

    for name, verb in (("confirm", "confirm: the claims are one claim (linked, kept across re-linking)"),
                       ("reject", "reject: not the same claim (never suggested again)")):
        p = sub.add_parser(name, help=f"{verb}; for every suggestion touching CLAIM_ID")
        p.add_argument("claim_ids", nargs="*", metavar="CLAIM_ID", help="an id or a unique prefix of one")
        p.add_argument("--all", action="store_true", help="every suggestion")
        db_option(p)


def cmd_suggestions(db: str, args: argparse.Namespace) -> int:
    from verifier.link.decide import pending
    from verifier.store import open_store

    if args.limit is not None and args.limit < 0:
        raise InputError("--limit must be 0 or more")
    store = open_store(db, readonly=True)
    links = pending(store)
    shown = links if args.limit is None else links[: args.limit]
    out = sys.stdout
    for l in shown:
        a, b = store.claim(l.a), store.claim(l.b)
        if a is None or b is None:
            continue
        if args.json:
            out.write(json.dumps({**l.to_dict(), "text_a": a.text, "text_b": b.text}, ensure_ascii=False) + "\n")
        else:
            why = {"short": "short", "negation": "negation on one side", "ambiguous": "matches two claims",
                   "group": "matches one wording", "clause": "part of a sentence"}.get(l.reason, "")
            out.write(f"{l.a[:10]}  {l.score:5.1f}  {why}\n  {one_line(a.text, 110)}\n"
                      f"  {l.b[:10]}  {one_line(b.text, 98)}\n")
    if not args.json:
        print(f"{len(links)} suggested links (verifier confirm ID / verifier reject ID)", file=sys.stderr)
    return 0


def cmd_decide(db: str, args: argparse.Namespace) -> int:
    from verifier.link.decide import confirm_all, reject_all
    from verifier.store import open_store

    if not args.all and not args.claim_ids:
        raise InputError(f"{args.command} needs CLAIM_ID(s) or --all")
    if args.all and args.claim_ids:
        raise InputError(f"{args.command}: give CLAIM_IDs or --all, not both")
    with open_store(db) as store:
        ids = None if args.all else [store.resolve_claim(x).id for x in args.claim_ids]  # all resolved first
        done = (confirm_all if args.command == "confirm" else reject_all)(store, ids)
        if done:
            store.save()
    verb = "confirmed" if args.command == "confirm" else "rejected"
    for l in done:
        print(f"{verb}  {l.a[:10]}  {l.b[:10]}")
    if not done:
        if not args.all:
            raise InputError(f"no suggested link touches {', '.join(args.claim_ids)} (see: verifier suggestions)")
        print(f"no suggested link to {args.command}", file=sys.stderr)
    return 0
