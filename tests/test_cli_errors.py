"""Bad input: a non-zero exit, one line on stderr, no traceback, the database unchanged."""

import json
import subprocess
import sys

import pytest

from verifier.cli import main


def run(*args, env_db):
    proc = subprocess.run([sys.executable, "-m", "verifier", "--db", env_db, *args],
                          capture_output=True, text=True)
    return proc


def snapshot(path):
    with open(path, "rb") as fh:
        return fh.read()


@pytest.fixture
def bad_files(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    bad_json = tmp_path / "posts.json"
    bad_json.write_text('{"posts": [ {"body": "x"}, ]}')
    return {"missing": str(tmp_path / "nope.txt"), "directory": str(tmp_path),
            "binary": str(binary), "empty": str(empty), "malformed": str(bad_json)}


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "empty", "malformed"])
def test_bad_ingest_input(sample_db, bad_files, kind):
    before = snapshot(sample_db)
    proc = run("ingest", bad_files[kind], env_db=sample_db)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(sample_db) == before


def test_bad_file_among_good_ones_stores_nothing(sample_db, sample_path, bad_files, tmp_path):
    before = snapshot(sample_db)
    other = tmp_path / "other.txt"
    other.write_text("Report\n\nThe army said 30 soldiers were killed.\n")
    proc = run("ingest", str(other), bad_files["binary"], env_db=sample_db)
    assert proc.returncode == 2 and snapshot(sample_db) == before


@pytest.mark.parametrize("args, code", [
    (["tag", "ffffffffff", "sourced"], 2),
    (["tag", "PLACEHOLDER", "bogus"], 2),
    (["claims", "--status", "maybe"], 2),
    (["export", "--format", "pdf"], 2),
    (["frobnicate"], 2),
])
def test_bad_ids_statuses_and_flags(sample_db, args, code):
    from verifier.store import Store
    store = Store(sample_db, readonly=True)
    some_id = next(store.iter_claims()).id
    args = [some_id if a == "PLACEHOLDER" else a for a in args]
    before = snapshot(sample_db)
    proc = run(*args, env_db=sample_db)
    assert proc.returncode == code
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(sample_db) == before


@pytest.mark.parametrize("content", [b"this is not json", b"\x00\x01\x02binary", b'["a list"]'])
def test_database_that_is_not_ours(tmp_path, sample_path, content):
    dbfile = tmp_path / "claims.json"
    dbfile.write_bytes(content)
    for args in (["stats"], ["ingest", str(sample_path)], ["claims"]):
        proc = run(*args, env_db=str(dbfile))
        assert proc.returncode == 2, args
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "not a verifier database" in proc.stderr
        assert dbfile.read_bytes() == content


def test_newer_schema_is_refused(tmp_path):
    dbfile = tmp_path / "claims.json"
    dbfile.write_text(json.dumps({"meta": {"meta": {"schema_version": 99}}, "claims": {}}))
    assert main(["--db", str(dbfile), "stats"]) == 2


def test_help_lists_subcommands():
    proc = subprocess.run([sys.executable, "-m", "verifier", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for cmd in ("ingest", "claims", "tag", "stats", "export"):
        assert cmd in proc.stdout
