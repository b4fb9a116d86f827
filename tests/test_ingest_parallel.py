"""Two cores for ingest: the forked half gives the answer one process gives, in the same order."""

import os

import pytest

from verifier.ingest import read_document
from verifier.ingest.parallel import halves, may_fork
from verifier.pipeline import ingest_document, ingest_documents
from verifier.store import Store

needs_fork = pytest.mark.skipif(not may_fork(), reason="this platform or process does not fork")
_PARENT = os.getpid()


def _square(part):
    return [x * x for x in part]


def _fails_in_the_child(part):
    if os.getpid() != _PARENT:
        raise RuntimeError("the worker fails")
    return [x + 1 for x in part]


@needs_fork
def test_the_forked_half_comes_back_in_order_and_a_failed_child_leaves_its_half_to_the_parent():
    items = list(range(1001))
    assert halves(_square, items, at_least=2, workers=2) == [x * x for x in items]
    assert halves(_square, items, at_least=2, workers=2, split=10) == [x * x for x in items]
    assert halves(_fails_in_the_child, items, at_least=2, workers=2) == [x + 1 for x in items]


@needs_fork
def test_an_error_in_the_parents_half_is_raised_at_once():
    def boom(part):
        if part and part[0] == 0:
            raise ValueError("bad post")
        return list(part)

    with pytest.raises(ValueError, match="bad post"):
        halves(boom, list(range(100)), at_least=2, workers=2)


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
