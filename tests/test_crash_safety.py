"""SIGKILL at random moments never leaves a database that fails to load."""

import os
import random
import signal
import subprocess
import sys
import time

from verifier.store import Store


def test_kill_tag_fifty_times(sample_db):
    ids = [c.id for c in Store(sample_db, readonly=True).iter_claims()]
    env = dict(os.environ, VERIFIER_FOLD_AFTER="1")  # every tag also rewrites the whole file
    rng = random.Random(20230202)
    statuses = ["sourced", "unverified", "disputed", "unreviewed"]
    completed = 0
    for i in range(50):
        proc = subprocess.Popen(
            [sys.executable, "-m", "verifier", "--db", sample_db, "tag", rng.choice(ids),
             rng.choice(statuses), "--note", f"attempt {i}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        if proc.wait() == 0:
            completed += 1
        store = Store(sample_db, readonly=True)  # raises if the file or journal is damaged
        assert store.claim_count(include_retired=True) == len(ids)
    store = Store(sample_db)  # and a writer can take over after each kill
    store.close()
    assert completed < 50  # some kills really landed mid-run
