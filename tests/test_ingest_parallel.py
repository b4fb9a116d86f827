"""Two cores for ingest: the forked half gives the answer one process gives, in the same order."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.ingest import read_document
from verifier.ingest.parallel import may_fork
from verifier.pipeline import ingest_document, ingest_documents
from verifier.store import Store

needs_fork = pytest.mark.skipif(not may_fork(), reason="this platform or process does not fork")
ROOT = Path(__file__).resolve().parent.parent

# Run in an interpreter of their own: pytest's process has threads by then (workbench tests,
# database listeners), and a fork from a threaded process may deadlock the child.
_FORKED = """
import os, sys
from verifier.ingest.parallel import halves, may_fork
assert may_fork()
PARENT = os.getpid()

def square(part):
    return [x * x for x in part]

def fails_in_the_child(part):
    if os.getpid() != PARENT:
        raise RuntimeError("the worker fails")
    return [x + 1 for x in part]

def boom(part):
    if part and part[0] == 0:
        raise ValueError("bad post")
    return list(part)

items = list(range(1001))
assert halves(square, items, at_least=2, workers=2) == [x * x for x in items]
assert halves(square, items, at_least=2, workers=2, split=10) == [x * x for x in items]
assert halves(fails_in_the_child, items, at_least=2, workers=2) == [x + 1 for x in items]
try:
    halves(boom, list(range(100)), at_least=2, workers=2)
except ValueError as exc:
    assert "bad post" in str(exc)
else:
    raise AssertionError("the parent's error was not raised")
print("ok")
"""


@needs_fork
def test_the_forked_half_comes_back_in_order_a_failed_child_leaves_its_half_and_a_parents_error_is_raised():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    got = subprocess.run([sys.executable, "-c", _FORKED], env=env, capture_output=True, text=True, timeout=120)
    assert got.returncode == 0 and got.stdout.strip() == "ok", got.stderr[-2000:]


@needs_fork
def test_claims_extracted_on_two_cores_are_the_claims_of_one(tmp_path, sample_path, monkeypatch):
    import verifier.pipeline as pipeline

    def claims(db, parallel):
        monkeypatch.setattr(pipeline, "EXTRACT_PARALLEL_FROM", 2 if parallel else 10**9)
        doc = read_document(str(sample_path))
        with Store(str(db)) as store:
            if parallel:
                ingest_documents(store, [doc])
            else:
                ingest_document(store, doc)
            return sorted((c.id, c.text, c.kind, c.speaker, tuple(c.span)) for c in store.iter_claims())

    one = claims(tmp_path / "one.json", False)
    two = claims(tmp_path / "two.json", True)
    assert one and one == two
