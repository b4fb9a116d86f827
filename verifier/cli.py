"""The `verifier` command: subcommands over the core library.

Starting is cheap, as `verify-quote` runs often and should answer at once: this
module imports only light modules; only the parser of the command being run is
built (all of them for `verifier --help`); and a command's modules (the store, the
exporters, rapidfuzz, ...) are imported when it runs, inside its handler.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from typing import Callable

from verifier import __version__
from verifier.commands.progress_bar import progress_bar
from verifier.errors import InputError, VerifierError
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


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size gives it ($COLUMNS, then the
    terminal, then 80), without importing shutil (and bz2 and lzma with it) on every start."""
    try:
        columns = int(os.environ["COLUMNS"])
        if columns > 0:
            return columns
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

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


def _add_open(sub) -> None:
    p = sub.add_parser("open", help="open the triage workbench (the default), ingesting FILEs first")
    p.add_argument("files", nargs="*", metavar="FILE")
    _db_option(p)


def _add_ingest(sub) -> None:
    p = sub.add_parser("ingest", help="read live blogs and other texts into posts and claims")
    p.add_argument("files", nargs="+", metavar="FILE")
    _db_option(p)


def _add_claims(sub) -> None:
    from verifier.models import CLAIM_KINDS, STATUSES
    from verifier.quotecheck.classes import CLASSES as QUOTE_CLASSES

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


def _add_tag(sub) -> None:
    from verifier.models import STATUSES

    p = sub.add_parser("tag", help="set the verdict of one or more claims",
                       usage="verifier tag CLAIM_ID [CLAIM_ID ...] STATUS [--note TEXT] [--evidence URL]...")
    p.add_argument("targets", nargs="*", metavar="CLAIM_ID... STATUS",
                   help="ids (or unique prefixes), then one of: " + ", ".join(STATUSES))
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--evidence", nargs="+", action="extend", metavar="URL", default=None,
                   help="add evidence (URLs or text); claim ids and the status after it are still read as such")
    _db_option(p)


def _add_simple(name: str, help: str) -> Callable[[object], None]:
    def add(sub) -> None:
        _db_option(sub.add_parser(name, help=help))
    return add


def _add_clusters(sub) -> None:
    p = sub.add_parser("clusters", help="list clusters of duplicate claims, conflicts first")
    p.add_argument("--conflicts", action="store_true", help="only clusters whose claims disagree")
    _db_option(p)


def _add_split(sub) -> None:
    p = sub.add_parser("split", help="take a claim out of its cluster (kept across re-linking)")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    _db_option(p)


def _add_merge(sub) -> None:
    p = sub.add_parser("merge", help="put two claims' clusters together (kept across re-linking)")
    p.add_argument("claim_a", metavar="CLAIM_ID")
    p.add_argument("claim_b", metavar="CLAIM_ID")
    _db_option(p)


def _add_module(name: str, parser_class: bool = False) -> Callable[[object], None]:
    """verifier/commands/<name>.py's add_parsers(sub, db_option[, parser_class]): imported when needed."""
    def add(sub) -> None:
        module = import_module(f"verifier.commands.{name}")
        if parser_class:
            module.add_parsers(sub, _db_option, _Parser)
        else:
            module.add_parsers(sub, _db_option)
    return add


# Every command, in the order `verifier --help` lists them, with what builds its parser
# (one builder may add several commands).
_PARSERS: list[tuple[tuple[str, ...], Callable[[object], None]]] = [
    (("open",), _add_open),
    (("ingest",), _add_ingest),
    (("claims",), _add_claims),
    (("tag",), _add_tag),
    (("stats",), _add_simple("stats", "counts of posts, claims and verdicts")),
    (("link",), _add_simple("link", "(re)build the clusters of duplicate claims")),
    (("clusters",), _add_clusters),
    (("split",), _add_split),
    (("merge",), _add_merge),
    (("sources", "verify-quote", "check-quotes"), _add_module("quotes", parser_class=True)),
    (("suggestions", "confirm", "reject"), _add_module("link")),
    (("export", "import"), _add_module("exchange")),
    (("db", "assign", "disagreements"), _add_module("db", parser_class=True)),
    (("factchecks",), _add_module("factchecks", parser_class=True)),
    (("follow",), _add_module("follow")),
]

COMMANDS = tuple(name for names, _ in _PARSERS for name in names)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only that command's parser is built under it (argparse
    parsers cost a third of a millisecond each, and some need their module's constants)."""
    parser = _Parser(prog="verifier", description="Claim and quote verification workbench.")
    parser.add_argument("--version", action="version", version=f"verifier {__version__}")
    _db_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = [add for names, add in _PARSERS if command in names] or [add for _, add in _PARSERS]
    for add in wanted:
        add(sub)
    return parser


def _command_at(argv: list[str]) -> int | None:
    """Where the command word is: the first argument that is neither an option nor the
    value of --db (the only top-level option that takes one; `--d` abbreviates it)."""
    return next((i for i, a in enumerate(argv) if not a.startswith("-")
                 and (i == 0 or argv[i - 1] not in ("--db", "--d"))), None)


def main(argv: list[str] | None = None) -> int:
    argv_given = argv
    argv = list(sys.argv[1:] if argv is None else argv)
    # `verifier FILE` ingests FILE and opens the workbench: route it to `open`.
    first = _command_at(argv)
    if first is not None and argv[first] not in COMMANDS:
        argv.insert(first, "open")
    # Only the command's own parser, unless the top-level help is asked for (before the command).
    top_help = any(a in ("-h", "--h", "--he", "--hel", "--help") for a in argv[:first])
    parser = build_parser(None if first is None or top_help else argv[first])
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) == "tag" and not any(x.startswith("-") for x in extra):
        args.targets += extra  # ids and status after an option: `tag ID --evidence URL ID2 STATUS`
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        with progress_bar(args.command):  # a Rich bar on a terminal, nothing when piped
            code = _run(args)
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
    if argv_given is None and args.command in QUICK_EXIT:
        _quick_exit(code)
    return code


# Commands that write nothing: run as a program, they leave without the interpreter's
# teardown (freeing a transcript's word index and every module costs a third of a
# `verify-quote`). Their output is flushed first; nothing else is pending.
QUICK_EXIT = frozenset({"verify-quote"})


def _quick_exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass  # a closed pipe or no stream at all: what could be written was
    os._exit(code)


def _db(args: argparse.Namespace) -> str:
    """--db, else $VERIFIER_DB, else the default file (the store module is imported only here)."""
    given = getattr(args, "db", None)
    if given:
        return given
    from verifier.store.database import default_db_path

    return default_db_path()


def _run(args: argparse.Namespace) -> int:
    command = args.command
    if command == "verify-quote":  # with --source FILE it needs no database: opened only when used
        from verifier.commands import quotes

        return quotes.cmd_verify_quote(lambda: _db(args), args)
    db = _db(args)
    if command == "ingest":
        return cmd_ingest(db, args.files)
    if command == "claims":
        return cmd_claims(db, args)
    if command == "tag":
        return cmd_tag(db, args)
    if command in ("export", "import"):
        from verifier.commands import exchange

        return (exchange.cmd_export if command == "export" else exchange.cmd_import)(db, args)
    if command in ("sources", "check-quotes"):
        from verifier.commands import quotes

        return quotes.cmd_sources(db, args) if command == "sources" else quotes.cmd_check_quotes(db)
    if command in ("db", "assign", "disagreements"):
        from verifier.commands import db as dbcmd

        return dbcmd.run(db, args)
    if command == "factchecks":
        from verifier.commands import factchecks

        return factchecks.run(db, args)
    if command == "follow":
        from verifier.commands import follow

        return follow.cmd_follow(db, args)
    if command == "link":
        return cmd_link(db)
    if command in (None, "open"):
        return cmd_open(db, getattr(args, "files", []))
    if command == "clusters":
        return cmd_clusters(db, args)
    if command in ("split", "merge"):
        return cmd_decide(db, args)
    if command in ("suggestions", "confirm", "reject"):
        from verifier.commands import link as link_commands

        return (link_commands.cmd_suggestions if command == "suggestions" else link_commands.cmd_decide)(db, args)
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
    from verifier.store import open_store

    with open_store(db) as store:
        reports = ingest_files(store, files)
    for r in reports:
        p, c = r.posts, r.claims
        print(f"{printable(r.path)}: posts {p['added']} added, {p['updated']} updated, {p['unchanged']} unchanged; "
              f"claims {c['added']} added, {c['unchanged']} unchanged, {c['retired']} retired")
    return 0


def cmd_claims(db: str, args: argparse.Namespace) -> int:
    import json

    from verifier.store import open_store

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


def _split_evidence(args: argparse.Namespace) -> None:
    """`--evidence A B ID STATUS`: argparse gives --evidence everything after it. A claim id
    (hex) or a status ends the evidence: it and what follows are ids and the status again."""
    import re

    from verifier.models import STATUSES

    ev = args.evidence or []
    is_status = _choice(STATUSES, "status")
    for i, x in enumerate(ev):
        looks_status = True
        try:
            is_status(x)
        except argparse.ArgumentTypeError:
            looks_status = False
        if re.fullmatch(r"[0-9a-f]{4,40}", x.strip().lower()) or looks_status:
            args.targets = list(args.targets) + ev[i:]
            args.evidence = ev[:i]
            return


def cmd_tag(db: str, args: argparse.Namespace) -> int:
    _split_evidence(args)
    if len(args.targets) < 2:
        raise InputError("tag needs at least one claim id and a status")
    *ids, raw_status = args.targets
    from verifier.models import STATUSES, VerdictChange
    from verifier.store import open_store

    try:
        status = _choice(STATUSES, "status")(raw_status)
    except argparse.ArgumentTypeError as exc:
        raise InputError(str(exc)) from None

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
    from verifier.store import open_store

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
    from verifier.store import open_store

    with open_store(db, create=False) as store:
        linked = relink(store)
        store.save()
        linked.save_index()
    conflicted = sum(1 for c in linked.clusters if c.conflicts)
    print(f"{plural(len(linked.clusters), 'cluster')} of duplicate claims, {conflicted} with conflicts, "
          f"{plural(linked.suggestions, 'suggested link')} (see: verifier suggestions)")
    return 0


def cmd_clusters(db: str, args: argparse.Namespace) -> int:
    from verifier.store import open_store

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
    from verifier.models import Conflict

    return one_line(Conflict.from_dict(c).describe(), 160)


def cmd_decide(db: str, args: argparse.Namespace) -> int:
    from verifier.link.decide import merge, split
    from verifier.store import open_store

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
