"""How a followed source is named in a database: its id, and a file's path kept relative to the
database file's folder (a database names no folder of the machine that built it), or whole on a
desk's server. Plain functions of paths: the follower, the CLI and `db copy` share them."""

from __future__ import annotations

import os

from verifier.ids import content_id


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://")) or "://" in target[:12]


def follow_id(target: str) -> str:
    return content_id("follow", target)


def portable_target(path: str, base: str | None) -> str:
    """A followed file as stored: relative to the database's folder (issue 12: a database names
    no folder of the machine that built it); outside that folder, relative with "..", so the
    same layout elsewhere resumes it; the file name alone where no relative path exists."""
    full = os.path.abspath(path)
    if base is None:
        return full
    try:
        return os.path.relpath(full, base)
    except ValueError:  # another drive (Windows)
        return os.path.basename(full)


def resolve_target(target: str, base: str | None) -> str:
    """A stored file target as a path on this machine (relative ones from the database's folder)."""
    if os.path.isabs(target) or base is None:
        return target
    return os.path.normpath(os.path.join(base, target))


def db_folder(db_path: str) -> str | None:
    """The database file's folder, where followed files are stored relative to; None for a
    desk's server database (a file followed into it is stored by its full path)."""
    if "://" in db_path[:16]:
        return None
    return os.path.dirname(os.path.abspath(db_path))


def moved(follow: dict, src_base: str | None, dst_base: str | None) -> dict:
    """A follow record as a database in ``dst_base`` keeps it (``db copy``): a file's target
    from that folder, and its id following its target."""
    if follow.get("kind") != "file":
        return dict(follow)
    target = portable_target(resolve_target(follow["target"], src_base), dst_base)
    return {**follow, "target": target, "id": follow_id(target)}
