import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CANDIDATES = [
    ROOT / "tests" / "data" / "cnn-ukraine-2023-02-02.txt",
    ROOT.parent / "shared" / "samples" / "cnn-ukraine-2023-02-02.txt",
]


@pytest.fixture(scope="session")
def sample_path() -> Path:
    for p in SAMPLE_CANDIDATES:
        if p.exists():
            return p
    pytest.fail("sample live blog not found")


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """A fresh database path; VERIFIER_DB points at it so nothing touches claims.json."""
    path = str(tmp_path / "claims.json")
    monkeypatch.setenv("VERIFIER_DB", path)
    monkeypatch.setenv("VERIFIER_USER", "tester")
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "cache"))  # transcript word indexes: never ~/.cache
    return path


@pytest.fixture
def sample_db(db, sample_path) -> str:
    from verifier.cli import main

    assert main(["ingest", str(sample_path)]) == 0
    return db


@pytest.fixture(autouse=True)
def _no_writes_to_shipped_db():
    shipped = ROOT / "claims.json"
    before = shipped.stat().st_mtime_ns if shipped.exists() else None
    yield
    after = shipped.stat().st_mtime_ns if shipped.exists() else None
    assert before == after, "a test wrote to the shipped claims.json"


@pytest.fixture
def pg_url() -> str:
    """A new, empty PostgreSQL database for one test, dropped after it.

    `.ci/run` starts a throw-away server and sets VERIFIER_TEST_PG. Without it
    (a machine with no server) PostgreSQL tests are skipped; in CI (CI set) a
    missing server fails them instead of skipping silently.
    """
    base = os.environ.get("VERIFIER_TEST_PG")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI: VERIFIER_TEST_PG is not set (.ci/run starts PostgreSQL)")
        pytest.skip("no PostgreSQL server (VERIFIER_TEST_PG unset)")
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield base.replace("/verifier_test?", f"/{name}?")
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
