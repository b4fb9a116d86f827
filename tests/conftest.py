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
