"""The database behind one typed interface (``ClaimStore``): the ``claims.json`` file for one person,
or a desk's PostgreSQL database."""

from verifier.store.database import Store, TinyDBStore, default_db_path
from verifier.store.interface import ClaimStore


def open_store(path: str | None = None, *, readonly: bool = False, create: bool = True) -> ClaimStore:
    """The store at ``path``: a ``postgresql://`` address opens the desk database, anything else a file
    (the backend is chosen here, nowhere else)."""
    from verifier.store.postgres import PostgresStore, is_postgres_url

    path = path or default_db_path()
    if is_postgres_url(path):
        return PostgresStore(path, readonly=readonly)
    return Store(path, readonly=readonly, create=create)


__all__ = ["ClaimStore", "Store", "TinyDBStore", "default_db_path", "open_store"]
