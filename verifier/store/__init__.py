from typing import Any

from verifier.store.database import Store, default_db_path


def open_store(path: str | None = None, *, readonly: bool = False) -> Any:
    """The store behind a database address: a TinyDB file, or a desk's postgresql:// database."""
    from verifier.store.postgres import PostgresStore, is_postgres_url

    path = path or default_db_path()
    if is_postgres_url(path):
        return PostgresStore(path, readonly=readonly)
    return Store(path, readonly=readonly)


__all__ = ["Store", "default_db_path", "open_store"]
