"""`verifier follow SOURCE... [--every SECONDS]`: keep reading live sources into the database."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from verifier.errors import InputError
from verifier.text import one_line

if TYPE_CHECKING:  # imported by the command when it runs, not by the parser
    from verifier.follow.follower import Follower
    from verifier.store.interface import ClaimStore


def add_parsers(sub: argparse._SubParsersAction, db_option) -> None:
    from verifier.follow.follower import DEFAULT_EVERY

    p = sub.add_parser("follow", help="follow live blogs, RSS/Atom feeds or local files: new posts as they come")
    p.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="a URL (live-blog page, RSS/Atom feed) or a local file; none: resume the followed ones")
    p.add_argument("--every", type=float, default=None, metavar="SECONDS",
                   help=f"seconds between fetches of a URL (default {DEFAULT_EVERY:.0f}); files are read when they change")
    p.add_argument("--once", action="store_true", help="fetch each source once, then stop")
    p.add_argument("--for", dest="duration", type=float, default=None, metavar="SECONDS",
                   help="stop after this many seconds")
    p.add_argument("--list", action="store_true", help="list the followed sources")
    p.add_argument("--stop", action="store_true", help="stop following the SOURCEs (kept, marked inactive)")
    db_option(p)


def _resolve(store: ClaimStore, target: str) -> dict:
    import os

    from verifier.follow.follower import db_folder, follow_id, portable_target

    for key in (target, portable_target(target, db_folder(store.path)), os.path.abspath(target)):
        rec = store.follow_map().get(follow_id(key))
        if rec is not None:
            return rec
    by_id = [f for f in store.follow_map().values() if len(target) >= 4 and f["id"].startswith(target.lower())]
    if len(by_id) == 1:  # an id from `verifier follow --list`
        return by_id[0]
    raise InputError(f"{target}: not followed (see: verifier follow --list)")


def cmd_follow(db: str, args: argparse.Namespace) -> int:
    from verifier.follow.follower import DEFAULT_EVERY, Follower, db_folder
    from verifier.store import open_store

    every = args.every
    if every is not None and not every > 0:
        raise InputError("--every must be a positive number of seconds")
    if args.duration is not None and args.duration < 0:
        raise InputError("--for must be zero or more seconds")
    if args.list:
        store = open_store(db, readonly=True)
        for f in sorted(store.follow_map().values(), key=lambda f: f.get("added_at") or ""):
            state = "following" if f.get("active", True) else "stopped"
            last = f.get("last_ok") or "never"
            print(f"{f['id'][:10]}  {state:<9}  every {f['every']:g} s  last read {last}  {one_line(f['target'], 90)}")
        print(f"{len(store.follow_map())} followed sources", file=sys.stderr)
        return 0
    if args.stop:
        if not args.sources:
            raise InputError("--stop needs the SOURCEs to stop following")
        with open_store(db) as store:
            recs = [_resolve(store, s) for s in args.sources]
            for rec in recs:
                store.put_follow({**rec, "active": False})
            store.save()
        for rec in recs:
            print(f"stopped  {one_line(rec['target'], 100)}")
        return 0

    with open_store(db) as store:
        follower = Follower([], lambda: open_store(db), base=db_folder(db))
        if args.sources:
            for target in args.sources:
                follower.add(store, target, every if every is not None else DEFAULT_EVERY)
        else:
            follower.follows = {f["id"]: dict(f) for f in store.follow_map().values() if f.get("active", True)}
            if every is not None:
                for f in follower.follows.values():
                    f["every"] = every
                    store.put_follow(f)
            if not follower.follows:
                raise InputError("nothing to follow: give a URL or a file (see: verifier follow --help)")
        store.save()
    return run(follower, once=args.once, duration=args.duration)


def run(follower: Follower, *, once: bool = False, duration: float | None = None, out=None, err=None) -> int:
    """Poll until interrupted (or once, or for ``duration`` seconds); one line per event."""
    from verifier.follow.waiting import Waiter

    out = out or sys.stdout
    err = err or sys.stderr
    names = ", ".join(one_line(f["target"], 60) for f in follower.active())
    print(f"following {len(follower.active())} source(s): {names}", file=err)
    end = None if duration is None else time.monotonic() + duration
    waiter = Waiter([follower.path_of(f) for f in follower.active() if f["kind"] == "file"]) if not once else None
    first = True
    try:
        while True:
            result = follower.poll_once(force=first)
            first = False
            for line in result.log:
                print(line, file=err if " failed: " in line or " not stored: " in line else out, flush=True)
            if once:
                return 1 if result.failures and result.failures == result.fetched else 0
            pause = follower.seconds_to_next()
            if end is not None:
                left = end - time.monotonic()
                if left <= 0:
                    return 0
                pause = min(pause, left)
            assert waiter is not None
            waiter.wait(pause)
    except KeyboardInterrupt:
        print("stopped following", file=err)
        return 0
    finally:
        if waiter is not None:
            waiter.close()
        follower.close()
