"""Has the database changed on disk? For a read-only workbench that refreshes itself.

The writer (a `verifier follow`, a workbench with the lock) folds its work
into the database file and its journal; a reader compares their stat
signatures, which costs two stat calls, and reloads only when they moved.
"""

from __future__ import annotations

import os


def signature(db_path: str) -> tuple:
    out = []
    for path in (db_path, db_path + ".journal"):
        try:
            st = os.stat(path)
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((-1, -1, -1))  # missing: differs from any file that exists
    return tuple(out)


class ChangeWatch:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.last = signature(db_path)

    def changed(self) -> bool:
        now = signature(self.db_path)
        if now == self.last:
            return False
        self.last = now
        return True
