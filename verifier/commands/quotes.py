"""`verifier sources ...`, `verify-quote` and `check-quotes`.

Imports are made where used: `verify-quote --source FILE` is a command a desk
runs often, and it needs neither the database nor the exporters.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

from verifier.errors import InputError
from verifier.text import one_line


def cmd_sources(db: str, args: argparse.Namespace) -> int:
    from verifier.quotecheck.check import check_claims
    from verifier.quotecheck.references import add_references
    from verifier.store import open_store

    if args.action == "list":
        refs = sorted(open_store(db, readonly=True).iter_references(), key=lambda r: r.added_at or "")
        for r in refs:
            who = f"  speaker: {one_line(r.speaker)}" if r.speaker else ""
            print(f"{r.id[:10]}  {r.kind:<10}  {len(r.text):>9,} chars  {one_line(r.title, 50)}  {r.path}{who}")
        print(f"{len(refs)} reference texts", file=sys.stderr)
        return 0
    with open_store(db) as store:
        if args.action == "add":
            for ref, new in add_references(store, args.files, args.speaker):
                print(f"{'added' if new else 'already there'}  {ref.id[:10]}  {one_line(ref.title, 60)}")
        else:
            refs = [store.resolve_reference(x) for x in args.refs]  # all resolved before any is removed
            for ref in refs:
                store.remove_reference(ref.id)
                print(f"removed  {ref.id[:10]}  {one_line(ref.title, 60)}")
        counts = check_claims(store)  # the reference set changed: every quote's answer may too
        store.save()
    print("quotes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) if counts else "quotes: none")
    return 0


def cmd_check_quotes(db: str) -> int:
    from verifier.quotecheck.check import check_claims
    from verifier.store import open_store

    with open_store(db) as store:
        counts = check_claims(store)
        store.save()
    print("quotes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) if counts else "quotes: none")
    return 0


MAX_QUOTE_CHARS = 5_000  # a quote, not a document: alignment time grows with its length


def cmd_verify_quote(db: str | Callable[[], str], args: argparse.Namespace) -> int:
    """``db`` may be a function giving the path: with --source the database is never looked at."""
    from verifier.quotecheck.align import align, same_person
    from verifier.quotecheck.index import TextIndex

    if not args.text.strip():
        raise InputError("verify-quote needs the quote's text")
    if len(args.text) > MAX_QUOTE_CHARS:
        raise InputError(f"verify-quote: the quote is {len(args.text):,} characters; at most "
                         f"{MAX_QUOTE_CHARS:,} (a quote, not a document: use sources add for texts)")
    if args.source:
        from verifier.quotecheck.references import file_index, read_reference

        if len(args.source) == 1:  # one transcript: its index comes from the cache when read before
            index = file_index(args.source[0])
        else:
            index = TextIndex()
            for path in args.source:
                index.add(f"file:{path}", path, read_reference(path).text)
        matches = [align(args.text, index, speaker=args.speaker)]
    else:
        from verifier.quotecheck.check import all_posts_index, reference_index
        from verifier.store import open_store

        with open_store(db() if callable(db) else db, readonly=True) as store:  # closed before the quick exit
            matches = [align(args.text, reference_index(store), speaker=args.speaker),
                       align(args.text, all_posts_index(store), speaker=args.speaker)]
    found = [m for m in matches if m.found]
    best = found[0] if found else matches[-1]
    if args.json:
        import json

        out = best.to_dict()
        out["speaker_matches"] = same_person(args.speaker, best.speaker)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_match(best, args.speaker)
    return 0 if best.found else 1


def print_match(m, speaker: str | None) -> None:
    from verifier.quotecheck.align import same_person

    if not m.found:
        print("not found: no reference text or post holds these words (closest similarity "
              f"{m.score:.0f}); it may be misquoted, paraphrased or from a source not added")
        return
    where = f"at {m.time}" if m.time else f"line {m.line}"
    who = f"  speaker {one_line(m.speaker)}" if m.speaker else ""
    print(f"{m.status}  score {m.score:.0f}  in {one_line(m.label or m.source or '', 70)}  {where}{who}")
    print(f"  source: …{one_line(m.before[-80:])} [{one_line(m.matched or '')}] {one_line(m.after[:80])}…")
    for d in m.diff:
        if d["op"] == "replace":
            print(f"  changed: said {one_line(d['source'])!r}, quoted {one_line(d['quote'])!r}")
        elif d["op"] == "delete":
            what = "dropped clause" if d.get("clause") else "dropped"
            print(f"  {what}: {one_line(d['source'])!r}")
        elif d["op"] == "omit":
            print(f"  cut (marked): {one_line(d['source'])!r}")
        else:
            print(f"  added:   {one_line(d['quote'])!r}")
    agree = same_person(speaker, m.speaker)
    if agree is False:
        print(f"  warning: the source gives these words to {one_line(m.speaker or '')}, not {one_line(speaker or '')}")


def add_parsers(sub: argparse._SubParsersAction, db_option, parser_class) -> None:
    p = sub.add_parser("sources", help="reference texts quotes are checked against: add, list, remove")
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=parser_class)
    a = acts.add_parser("add", help="store transcripts (NAME: turns, CLEF TSV, SRT, WebVTT), statements "
                                    "(text, Markdown, HTML, JSON)")
    a.add_argument("files", nargs="+", metavar="FILE")
    a.add_argument("--speaker", metavar="NAME", help="whose words these are")
    db_option(a)
    db_option(acts.add_parser("list", help="list reference texts"))
    r = acts.add_parser("remove", help="remove reference texts (by id, id prefix or path)")
    r.add_argument("refs", nargs="+", metavar="REF")
    db_option(r)
    db_option(p)

    p = sub.add_parser("verify-quote", help="find a quote in the reference texts and posts; exit 0 when found")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--speaker", metavar="NAME", help="who it is attributed to (warns when the source says otherwise)")
    p.add_argument("--source", nargs="+", metavar="FILE", help="check against these files only")
    p.add_argument("--json", action="store_true")
    db_option(p)

    p = sub.add_parser("check-quotes", help="re-check every quote against reference texts and other posts")
    db_option(p)
