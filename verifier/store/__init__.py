from verifier.store.database import Store, default_db_path

__all__ = ["Store", "default_db_path"]
