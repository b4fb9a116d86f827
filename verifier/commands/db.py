"""`verifier db ...` (a desk's PostgreSQL database), `verifier assign` and `verifier disagreements`."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from verifier.errors import InputError
from verifier.text import one_line


def add_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None], parser_class: type) -> None:
    p = sub.add_parser("db", help="a desk's database: create/migrate a PostgreSQL schema, copy between backends")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION", parser_class=parser_class, required=True)
    q = dsub.add_parser("init", help="create or migrate the schema of a postgresql:// database")
    db_option(q)
    q = dsub.add_parser("copy", help="copy a whole database (file or postgresql://) into a new, empty one")
    q.add_argument("source", metavar="SOURCE")
    q.add_argument("dest", metavar="DEST")
    q = dsub.add_parser("status", help="schema version and counts of a database")
    db_option(q)

    p = sub.add_parser("assign", help="give a claim or a cluster to a fact-checker (desk database)")
    p.add_argument("target", metavar="CLAIM_OR_CLUSTER_ID")
    p.add_argument("assignee", metavar="NAME", nargs="?", help="who (default: you); --clear to unassign")
    p.add_argument("--clear", action="store_true", help="unassign")
    db_option(p)

    p = sub.add_parser("disagreements", help="claims two fact-checkers gave different verdicts (desk database)")
    db_option(p)


def _need_postgres(db: str, what: str) -> None:
    from verifier.store.postgres import is_postgres_url

    if not is_postgres_url(db):
        raise InputError(f"{what} needs a desk database: give --db postgresql://… or set VERIFIER_DB")


def run(db: str, args: argparse.Namespace) -> int:
    from verifier.store.postgres import PostgresStore, migrate

    if args.command == "db":
        if args.db_command == "init":
            _need_postgres(db, "db init")
            applied = migrate(db)
            print(f"schema migrations applied: {', '.join(map(str, applied))}" if applied
                  else "schema up to date")
            return 0
        if args.db_command == "copy":
            from verifier.store.copy import copy_database

            counts = copy_database(args.source, args.dest)
            print(f"copied {counts['claims']} claims, {counts['posts']} posts, {counts['history']} verdict "
                  f"events, {counts['decisions']} decisions, {counts['references']} references, "
                  f"{counts['factchecks']} fact-checks, {counts['suggestions']} suggested links, "
                  f"{counts['follows']} followed sources")
            return 0
        _need_postgres(db, "db status")
        with PostgresStore(db, readonly=True) as store:
            print(f"claims {store.claim_count(include_retired=True)}  verdict events {len(store.verdict_history())}  "
                  f"decisions {len(store.decision_list())}  assignments {len(store.assignments)}")
        return 0
    if args.command == "assign":
        _need_postgres(db, "assign")
        with PostgresStore(db) as store:
            target = args.target.strip().lower()
            if store.cluster(target) is None:
                target = store.resolve_claim(target).id
            who = None if args.clear else (args.assignee or store.actor)
            store.assign(target, who)
            print(f"{target[:12]} {'unassigned' if who is None else 'assigned to ' + one_line(who)}")
        return 0
    _need_postgres(db, "disagreements")
    with PostgresStore(db, readonly=True) as store:
        rows = store.disagreements()
        for d in rows:
            c = store.claim(d["claim_id"])
            print(f"{d['claim_id'][:12]}  {one_line(d['first']['by'])}: {d['first']['status']}  vs  "
                  f"{one_line(d['second']['by'])}: {d['second']['status']}  {one_line(c.text if c else '')[:70]}")
        if not rows:
            print("no disagreements", file=sys.stderr)
    return 0
