"""The database behind one typed interface (``ClaimStore``); today's backend is the ``claims.json`` file."""

from verifier.store.database import Store, TinyDBStore, default_db_path
from verifier.store.interface import ClaimStore


def open_store(path: str | None = None, *, readonly: bool = False, create: bool = True) -> ClaimStore:
    """The store at ``path`` (a ``claims.json`` file today; the backend is chosen here, nowhere else)."""
    return Store(path, readonly=readonly, create=create)


__all__ = ["ClaimStore", "Store", "TinyDBStore", "default_db_path", "open_store"]
