"""The `verifier` command: subcommands over the core library."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

from verifier import __version__
from verifier.commands import db as dbcmd
from verifier.commands import exchange, factchecks, quotes
from verifier.commands import link as link_commands
from verifier.commands import follow
from verifier.commands.progress_bar import progress_bar
from verifier.errors import InputError, VerifierError
from verifier.models import CLAIM_KINDS, STATUSES, Conflict
from verifier.quotecheck.align import CLASSES as QUOTE_CLASSES
from verifier.store import open_store
from verifier.store.database import default_db_path
from verifier.text import json_safe, one_line, printable


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 claim", "2 claims", "1 conflict(s)" never."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def _choice(values: tuple[str, ...], what: str):
    """An argparse type: any case, and '-' or '_' for a space ('not-found', 'Not_A_Claim')."""
    def norm(s: str) -> str:
        return " ".join(s.strip().lower().replace("-", " ").replace("_", " ").split())

    table = {norm(v): v for v in values}

    def parse(value: str) -> str:
        got = table.get(norm(value)) or table.get(norm(value).replace(" ", ""))
        if got is None:
            squashed = {k.replace(" ", ""): v for k, v in table.items()}
            got = squashed.get(norm(value).replace(" ", ""))
        if got is None:
            raise argparse.ArgumentTypeError(f"unknown {what} '{value}': choose one of {', '.join(values)}")
        return got

    parse.__name__ = what  # argparse names the type in its messages
    return parse


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # one line, not usage + error
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")
        raise SystemExit(2)


def count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {n}")
    return n


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                   help="database file (default: $VERIFIER_DB or claims.json)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="verifier", description="Claim and quote verification workbench.")
    parser.add_argument("--version", action="version", version=f"verifier {__version__}")
    _db_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("open", help="open the triage workbench (the default), ingesting FILEs first")
    p.add_argument("files", nargs="*", metavar="FILE")
    _db_option(p)

    p = sub.add_parser("ingest", help="read live blogs and other texts into posts and claims")
    p.add_argument("files", nargs="+", metavar="FILE")
    _db_option(p)

    p = sub.add_parser("claims", help="list claims")
    p.add_argument("--status", type=_choice(STATUSES, "status"), metavar="STATUS",
                   help="one of: " + ", ".join(STATUSES))
    p.add_argument("--kind", type=_choice(CLAIM_KINDS, "kind"), metavar="KIND", help="one of: " + ", ".join(CLAIM_KINDS))
    p.add_argument("--speaker", metavar="NAME", help="speaker contains NAME (any case)")
    p.add_argument("--quote-check", type=_choice(QUOTE_CLASSES, "quote check"), metavar="CLASS",
                   help="quotes checked as: " + ", ".join(QUOTE_CLASSES) + " (not-found works too)")
    p.add_argument("--limit", type=count, default=None, metavar="N")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    _db_option(p)

    p = sub.add_parser("tag", help="set the verdict of one or more claims",
                       usage="verifier tag CLAIM_ID [CLAIM_ID ...] STATUS [--note TEXT] [--evidence URL]...")
    p.add_argument("targets", nargs="*", metavar="CLAIM_ID... STATUS",
                   help="ids (or unique prefixes), then one of: " + ", ".join(STATUSES))
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--evidence", nargs="+", action="extend", metavar="URL", default=None,
                   help="add evidence (URLs or text); claim ids and the status after it are still read as such")
    _db_option(p)

    p = sub.add_parser("stats", help="counts of posts, claims and verdicts")
    _db_option(p)

    p = sub.add_parser("link", help="(re)build the clusters of duplicate claims")
    _db_option(p)

    p = sub.add_parser("clusters", help="list clusters of duplicate claims, conflicts first")
    p.add_argument("--conflicts", action="store_true", help="only clusters whose claims disagree")
    _db_option(p)

    p = sub.add_parser("split", help="take a claim out of its cluster (kept across re-linking)")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    _db_option(p)

    p = sub.add_parser("merge", help="put two claims' clusters together (kept across re-linking)")
    p.add_argument("claim_a", metavar="CLAIM_ID")
    p.add_argument("claim_b", metavar="CLAIM_ID")
    _db_option(p)

    quotes.add_parsers(sub, _db_option, _Parser)
    link_commands.add_parsers(sub, _db_option)
    exchange.add_parsers(sub, _db_option)
    dbcmd.add_parsers(sub, _db_option, _Parser)
    factchecks.add_parsers(sub, _db_option, _Parser)
    follow.add_parsers(sub, _db_option)
    return parser


COMMANDS = ("open", "ingest", "claims", "tag", "stats", "link", "clusters", "split", "merge", "export", "import",
            "sources", "verify-quote", "check-quotes", "db", "assign", "disagreements", "factchecks",
            "suggestions", "confirm", "reject", "follow")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `verifier FILE` ingests FILE and opens the workbench: route it to `open`.
    first = next((i for i, a in enumerate(argv) if not a.startswith("-")
                  and (i == 0 or argv[i - 1] != "--db")), None)
    if first is not None and argv[first] not in COMMANDS:
        argv.insert(first, "open")
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) == "tag" and not any(x.startswith("-") for x in extra):
        args.targets += extra  # ids and status after an option: `tag ID --evidence URL ID2 STATUS`
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    db = getattr(args, "db", None) or default_db_path()
    try:
        with progress_bar(args.command):  # a Rich bar on a terminal, nothing when piped
            return _run(args, db)
    except VerifierError as exc:
        for line in str(exc).splitlines() or [""]:  # one line per problem, each shown safely
            print(f"verifier: {one_line(line)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback in front of the user
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        print(f"verifier: internal error: {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, db: str) -> int:
    command = args.command
    if command == "ingest":
        return cmd_ingest(db, args.files)
    if command == "claims":
        return cmd_claims(db, args)
    if command == "tag":
        return cmd_tag(db, args)
    if command == "export":
        return exchange.cmd_export(db, args)
    if command == "import":
        return exchange.cmd_import(db, args)
    if command == "sources":
        return quotes.cmd_sources(db, args)
    if command == "verify-quote":
        return quotes.cmd_verify_quote(db, args)
    if command == "check-quotes":
        return quotes.cmd_check_quotes(db)
    if command in ("db", "assign", "disagreements"):
        return dbcmd.run(db, args)
    if command == "factchecks":
        return factchecks.run(db, args)
    if command == "follow":
        return follow.cmd_follow(db, args)
    if command == "link":
        return cmd_link(db)
    if command in (None, "open"):
        return cmd_open(db, getattr(args, "files", []))
    if command == "clusters":
        return cmd_clusters(db, args)
    if command in ("split", "merge"):
        return cmd_decide(db, args)
    if command == "suggestions":
        return link_commands.cmd_suggestions(db, args)
    if command in ("confirm", "reject"):
        return link_commands.cmd_decide(db, args)
    return cmd_stats(db)


def cmd_open(db: str, files: list[str]) -> int:
    if files:
        cmd_ingest(db, files)
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        return cmd_stats(db)  # no terminal to draw on (a pipe, CI): show the numbers instead
    from verifier.tui.app import VerifierApp

    app = VerifierApp(db)
    app.run()
    if app.error is not None:  # the database could not be opened: one line, not a screen
        raise app.error
    return 0


def cmd_ingest(db: str, files: list[str]) -> int:
    from verifier.pipeline import ingest_files

    with open_store(db) as store:
        reports = ingest_files(store, files)
    for r in reports:
        p, c = r.posts, r.claims
        print(f"{printable(r.path)}: posts {p['added']} added, {p['updated']} updated, {p['unchanged']} unchanged; "
              f"claims {c['added']} added, {c['unchanged']} unchanged, {c['retired']} retired")
    return 0


def cmd_claims(db: str, args: argparse.Namespace) -> int:
    store = open_store(db, readonly=True)
    rows = []
    for c in store.live_claims():
        v = store.verdict(c.id)
        if args.status and v.status != args.status:
            continue
        if args.kind and c.kind != args.kind:
            continue
        if args.speaker and args.speaker.lower() not in (c.speaker or "").lower():
            continue
        if args.quote_check:
            qc = store.quote_check(c.id)
            if qc is None or qc.status != args.quote_check:
                continue
        rows.append((c, v))
    rows.sort(key=lambda cv: (-cv[0].checkworthiness, cv[0].id))
    if args.limit is not None:
        rows = rows[: args.limit]
    out = sys.stdout
    for c, v in rows:
        if args.json:
            d = c.to_dict()
            d["verdict"] = v.to_dict()
            out.write(json_safe(json.dumps(d, ensure_ascii=False)) + "\n")
        else:
            speaker = one_line(c.speaker or "-", 24)
            out.write(f"{c.id[:10]}  {v.status:<10}  {c.kind:<9}  {c.checkworthiness:.2f}  "
                      f"{speaker:<24}  {one_line(c.text, 100)}\n")
    if not args.json:
        print(plural(len(rows), "claim"), file=sys.stderr)
    return 0


_CLAIM_ID = re.compile(r"[0-9a-f]{4,40}")


def _split_evidence(args: argparse.Namespace) -> None:
    """`--evidence A B ID STATUS`: argparse gives --evidence everything after it. A claim id
    (hex) or a status ends the evidence: it and what follows are ids and the status again."""
    ev = args.evidence or []
    is_status = _choice(STATUSES, "status")
    for i, x in enumerate(ev):
        looks_status = True
        try:
            is_status(x)
        except argparse.ArgumentTypeError:
            looks_status = False
        if _CLAIM_ID.fullmatch(x.strip().lower()) or looks_status:
            args.targets = list(args.targets) + ev[i:]
            args.evidence = ev[:i]
            return


def cmd_tag(db: str, args: argparse.Namespace) -> int:
    _split_evidence(args)
    if len(args.targets) < 2:
        raise InputError("tag needs at least one claim id and a status")
    *ids, raw_status = args.targets
    try:
        status = _choice(STATUSES, "status")(raw_status)
    except argparse.ArgumentTypeError as exc:
        raise InputError(str(exc)) from None
    from verifier.models import VerdictChange

    with open_store(db, create=False) as store:
        claims = list({c.id: c for c in (store.resolve_claim(i) for i in ids)}.values())  # all resolve first
        new = []
        for claim in claims:
            old = store.verdict(claim.id)
            evidence = list(old.evidence) + [e for e in (args.evidence or []) if e not in old.evidence]
            new.append(VerdictChange(claim.id, status=status, note=args.note, evidence=evidence))
        store.set_verdicts(new)  # one journal entry for the lot
    for claim in claims:
        print(f"{printable(claim.id)}  {status}  {one_line(claim.text, 80)}")
    if len(claims) > 1:
        print(f"{plural(len(claims), 'claim')} tagged {status}", file=sys.stderr)
    return 0


def cmd_stats(db: str) -> int:
    from verifier.stats import compute

    store = open_store(db, readonly=True)
    st = compute(store)
    print(f"database   {printable(store.path)}")
    print(f"sources    {store.source_count()}")
    print(f"posts      {store.post_count()}")
    print(f"claims     {st.total}  ({', '.join(f'{k} {n}' for k, n in st.by_kind.items())})")
    print(f"clusters   {st.clusters}  ({st.conflicted} with conflicts)")
    print(f"reviewed   {st.reviewed} of {st.total}")
    for s, n in st.by_status.items():
        print(f"  {s:<11}{n}")
    return 0


def cmd_link(db: str) -> int:
    from verifier.link import relink

    with open_store(db, create=False) as store:
        linked = relink(store)
        store.save()
        linked.save_index()
    conflicted = sum(1 for c in linked.clusters if c.conflicts)
    print(f"{plural(len(linked.clusters), 'cluster')} of duplicate claims, {conflicted} with conflicts, "
          f"{plural(linked.suggestions, 'suggested link')} (see: verifier suggestions)")
    return 0


def cmd_clusters(db: str, args: argparse.Namespace) -> int:
    store = open_store(db, readonly=True)
    clusters = sorted(store.iter_clusters(), key=lambda c: (not c.conflicts, -len(c.claim_ids), c.id))
    for cl in clusters:
        if args.conflicts and not cl.conflicts:
            continue
        mark = f"  {plural(len(cl.conflicts), 'conflict')}" if cl.conflicts else ""
        print(f"{printable(cl.id)}  {plural(len(cl.claim_ids), 'claim')}{mark}")
        link_of = {link["a"]: link for link in cl.links}
        for cid in cl.claim_ids:
            c = store.claim(cid)
            if c is not None:
                lk = link_of.get(cid)
                how = "  rep" if cid == cl.rep else f"{lk['score']:5.0f}" if lk else "     "
                print(f"  {printable(cid[:10])}{how}  {one_line(c.text, 100)}")
        for conflict in cl.conflicts:
            print(f"  ! {describe_conflict(conflict)}")
    return 0


def describe_conflict(c: dict) -> str:
    """A stored conflict in one safe line (see models.Conflict.describe)."""
    return one_line(Conflict.from_dict(c).describe(), 160)


def cmd_decide(db: str, args: argparse.Namespace) -> int:
    from verifier.link.decide import merge, split

    with open_store(db, create=False) as store:
        if args.command == "split":
            claim = store.resolve_claim(args.claim_id)
            split(store, claim.id)  # conflicts of the clusters it leaves are recomputed
            done = f"{claim.id} split out of its cluster"
        else:
            a, b = store.resolve_claim(args.claim_a), store.resolve_claim(args.claim_b)
            if a.id == b.id:
                raise InputError("merge needs two different claims")
            merge(store, a.id, b.id)
            done = f"{a.id} and {b.id} merged"
        store.save()
    print(done)
    return 0
