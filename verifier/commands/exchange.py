"""`verifier export` and `verifier import`: verdicts out to publishable formats, and in from colleagues."""

from __future__ import annotations

import argparse
import os
import sys

from verifier.errors import InputError
from verifier.text import one_line, printable


def cmd_export(db: str, args: argparse.Namespace) -> int:
    from verifier.config import load_config
    from verifier.export import render
    from verifier.store import open_store
    from verifier.store.atomic import atomic_write
    from verifier.store.database import check_output_path

    config = load_config(db, args.config)
    if args.output:
        if os.path.exists(args.output) and not args.force:
            raise InputError(f"{args.output} exists: give --force to replace it")
        check_output_path(args.output)  # a missing or read-only folder: refused before any work
    store = open_store(db, readonly=True)
    text = render(store, args.format, config)
    if args.format == "claimreview" and config.is_placeholder:
        print(f"verifier: warning: ClaimReview author is the placeholder {config.org_url}; "
              "set [organization] in verifier.toml", file=sys.stderr)
    if args.output:
        atomic_write(args.output, text.encode("utf-8"))
        print(f"wrote {printable(args.output)}", file=sys.stderr)
    else:
        sys.stdout.write(text.lstrip("\ufeff") if args.format == "csv" else text)
    return 0


def cmd_import(db: str, args: argparse.Namespace) -> int:
    from verifier.export.json_import import merge, read_export
    from verifier.store import open_store

    verdicts = read_export(args.file)  # the whole file checked before anything is written
    with open_store(db, create=False) as store:
        report = merge(store, verdicts)
    print(f"{printable(args.file)}: {len(report.applied)} verdicts taken, {report.same} already the same, "
          f"{len(report.conflicts)} conflicts kept as ours, {len(report.unknown)} claims not in this database")
    for c in report.conflicts:
        theirs = f"{c['theirs']}" + (f" ({one_line(c['theirs_note'], 40)})" if c["theirs_note"] else "")
        ours = f"{c['ours']}" + (f" ({one_line(c['ours_note'], 40)})" if c["ours_note"] else "")
        print(f"  conflict {printable(c['claim_id'][:10])}  ours: {ours}  theirs: {theirs}  {one_line(c['text'], 60)}")
    return 0


def add_parsers(sub: argparse._SubParsersAction, db_option) -> None:
    from verifier.export import FORMATS

    p = sub.add_parser("export", help="write verdicts: json, claimreview (schema.org JSON-LD), csv, markdown")
    p.add_argument("--format", default="json", choices=list(FORMATS))
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--config", metavar="TOML", help="organization settings (default: verifier.toml)")
    db_option(p)

    p = sub.add_parser("import", help="merge verdicts from a colleague's JSON export (conflicts are listed)")
    p.add_argument("file", metavar="FILE")
    db_option(p)
