"""A whole `verifier verify-quote` command, start to exit (issue 17): p50/p95 wall and CPU.

Run: python benchmarks/bench_cli.py [--runs 30] [--transcript PATH] [--no-bytecode] [--against REV] [--venv]

Each round starts, one after the other (so that the neighbours' load falls on all alike):
  - a bare interpreter, `python -c pass` (the floor no command can go under);
  - `python -m verifier verify-quote QUOTE --source TRANSCRIPT` against one real CLEF
    transcript (the longest, ../shared/claim-matching/clef2022-task2b/transcripts/);
  - the `verifier` console script, the same command, when installed for this interpreter
    (pip's script in the interpreter's scripts folder; a pyenv shim on PATH is timed too,
    as it adds its own start-up);
  - `python -m verifier verify-quote --help` (the parser alone);
  - with --against REV (a git revision, e.g. the commit before a change), the same
    verify-quote run from that revision's code: before and after under the same load;
  - with --venv, verifier as a user installs it (the README's `python -m pip install .`, not
    editable) into a throw-away venv of its own: its console script and its bare interpreter.
    This interpreter's site-packages may hold start-up hooks (an editable install's finder,
    a sandbox's .pth files) that a user's venv has not.
The quotes rotate over verbatim, changed, cut and not-found ones taken from the transcript.
The first command builds the transcript's quote index, which later runs read from the
cache (VERIFIER_CACHE, a temporary folder): that first run is reported on its own.

Modules are compiled once, as an installed package runs (PYTHONPYCACHEPREFIX: a temporary
folder; the source tree is not written to). --no-bytecode measures every module compiled
from source on every start instead (PYTHONDONTWRITEBYTECODE=1 and no cache: how a checkout
runs when bytecode is never written).

Target (issue 17): the whole verify-quote command p95 <= 150 ms wall.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import pct  # noqa: E402

TARGET_MS = 150


def shared() -> Path | None:
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared")):
        if (base / "claim-matching").is_dir():
            return base
    return None


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall ms, CPU ms (the child's user + system) and exit code of one process. It runs in
    VERIFIER_CACHE's folder: `python -m` reads modules from the working folder first, so a
    checkout there would win over PYTHONPATH."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          cwd=os.path.dirname(env["VERIFIER_CACHE"]))
    wall = (time.perf_counter() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    if proc.returncode not in (0, 1):  # 1: the quote was not found, an answer too
        raise SystemExit(f"{' '.join(cmd[:4])}...: exit {proc.returncode}: {proc.stderr.decode()[-300:]}")
    return wall, cpu, proc.returncode


def quotes_from(path: Path) -> list[str]:
    """Verbatim, changed, cut and not-found quotes from the transcript's longer sentences."""
    lines = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()]
    said = [parts[-1] for parts in lines if len(parts) >= 3 and len(parts[-1].split()) >= 14]
    picks = said[:: max(1, len(said) // 8)][:8]
    out = []
    for i, s in enumerate(picks):
        words = s.split()
        if i % 4 == 0:
            out.append(s)  # verbatim
        elif i % 4 == 1:
            out.append(" ".join(words[:5] + ["never"] + words[6:]))  # a changed word
        elif i % 4 == 2:
            out.append(" ".join(words[:4]) + " ... " + " ".join(words[-5:]))  # a marked cut
        else:
            out.append("The committee adjourned after the vote on the harbour tunnel budget late on Tuesday.")
    return out


def console_scripts() -> list[tuple[str, str]]:
    """(label, path) of the `verifier` script: the interpreter's own, and any other on PATH
    (a pyenv shim, which adds its own start-up before the interpreter's)."""
    found = []
    own = Path(sysconfig.get_path("scripts")) / "verifier"
    if own.exists():
        found.append(("verifier (console script)", str(own)))
    seen = {os.path.realpath(own)}
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        p = shutil.which("verifier", path=folder) if folder else None
        if p and os.path.realpath(p) not in seen:
            seen.add(os.path.realpath(p))
            found.append((f"verifier on PATH{' (pyenv shim)' if 'shims' in p else ''}", p))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--transcript", type=Path, default=None)
    ap.add_argument("--no-bytecode", action="store_true", help="compile every module on every start")
    ap.add_argument("--against", metavar="REV", help="also time this git revision's code (e.g. main, HEAD~3)")
    ap.add_argument("--venv", action="store_true", help="also time a `pip install .` in a venv of its own")
    a = ap.parse_args()
    path = a.transcript
    if path is None:
        base = shared()
        if base is None:
            raise SystemExit("../shared/claim-matching not found: give --transcript PATH")
        folder = base / "claim-matching" / "clef2022-task2b" / "transcripts"
        path = max(folder.glob("*.tsv"), key=lambda p: p.stat().st_size)
    quotes = quotes_from(path)
    scripts = console_scripts()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(ROOT), VERIFIER_CACHE=os.path.join(tmp, "cache"),
                   VERIFIER_DB=os.path.join(tmp, "claims.json"))
        if a.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pyc")
        module = [sys.executable, "-m", "verifier", "verify-quote"]
        other = None
        if a.against:  # that revision's files, exported to a folder of their own
            tree = subprocess.run(["git", "-C", str(ROOT), "archive", a.against, "verifier"],
                                  capture_output=True, check=True).stdout
            with tarfile.open(fileobj=io.BytesIO(tree)) as tar:
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                tar.extractall(os.path.join(tmp, "against"), **safe)
            other = dict(env, PYTHONPATH=os.path.join(tmp, "against"),
                         VERIFIER_CACHE=os.path.join(tmp, "cache-against"))
            _run(module + [quotes[0], "--source", str(path)], other)
        venv: list[tuple[str, list[str]]] = []
        venv_env = dict(env)
        if a.venv:  # as a user installs it: not editable, in a venv of its own
            where = os.path.join(tmp, "venv")
            subprocess.run([sys.executable, "-m", "venv", where], check=True)
            py = os.path.join(where, "bin", "python")
            subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                           check=True, stdout=subprocess.DEVNULL)
            venv_env.pop("PYTHONPATH")
            venv = [("venv: python -c pass (its bare interpreter)", [py, "-c", "pass"]),
                    ("venv: verifier verify-quote (pip install .)", [os.path.join(where, "bin", "verifier"),
                                                                    "verify-quote"])]
            _run(venv[1][1] + [quotes[0], "--source", str(path)], venv_env)
        first = _run(module + [quotes[0], "--source", str(path)], env)  # builds the index (and the bytecode)
        for label, script in scripts:  # each started once before timing, as the module was
            _run([script, "verify-quote", quotes[0], "--source", str(path)], env)
        _run(module + ["--help"], env)
        rows: dict[str, list[tuple[float, float, int]]] = {"python -c pass (bare interpreter)": []}
        rows["python -m verifier verify-quote"] = []
        for label, _ in scripts:
            rows[label + " verify-quote"] = []
        rows["python -m verifier verify-quote --help"] = []
        against = f"python -m verifier verify-quote, at {a.against}"
        if other is not None:
            rows[against] = []
        for label, _ in venv:
            rows[label] = []
        for i in range(a.runs):
            q = quotes[i % len(quotes)]
            rows["python -c pass (bare interpreter)"].append(_run([sys.executable, "-c", "pass"], env))
            rows["python -m verifier verify-quote"].append(_run(module + [q, "--source", str(path)], env))
            for label, script in scripts:
                rows[label + " verify-quote"].append(_run([script, "verify-quote", q, "--source", str(path)], env))
            rows["python -m verifier verify-quote --help"].append(_run(module + ["--help"], env))
            if other is not None:
                rows[against].append(_run(module + [q, "--source", str(path)], other))
            for label, cmd in venv:
                rows[label].append(_run(cmd + ([q, "--source", str(path)] if "verify-quote" in cmd else []),
                                        venv_env))
    bare = statistics.median(w for w, _, _ in rows["python -c pass (bare interpreter)"])
    mode = "every module compiled on each start" if a.no_bytecode else "bytecode compiled once"
    print(f"whole command, {a.runs} runs each, interleaved; {mode}; Python {sys.version.split()[0]}")
    print(f"transcript {path.name} ({path.stat().st_size // 1000} kB), {len(quotes)} quotes rotating "
          f"(found {sum(1 for _, _, rc in rows['python -m verifier verify-quote'] if rc == 0)} of {a.runs} runs)")
    print(f"first verify-quote (index built and cached): wall {first[0]:.0f} ms, CPU {first[1]:.0f} ms")
    print()
    print(f"{'command':<48} {'wall p50':>9} {'wall p95':>9} {'CPU p50':>8} {'CPU p95':>8} {'p95 - bare':>10}")
    for label, got in rows.items():
        wall, cpu = [g[0] for g in got], [g[1] for g in got]
        print(f"{label:<48} {statistics.median(wall):>6.0f} ms {pct(wall, .95):>6.0f} ms "
              f"{statistics.median(cpu):>5.0f} ms {pct(cpu, .95):>5.0f} ms {pct(wall, .95) - bare:>7.0f} ms")
    p95 = pct([g[0] for g in rows["python -m verifier verify-quote"]], .95)
    print()
    print(f"target: whole verify-quote p95 <= {TARGET_MS} ms wall: {p95:.0f} ms, "
          f"{'met' if p95 <= TARGET_MS else 'MISSED'} (the bare interpreter alone takes {bare:.0f} ms here)")
    if venv:
        p95 = pct([g[0] for g in rows[venv[1][0]]], .95)
        print(f"        as installed by a user (pip install ., own venv): {p95:.0f} ms, "
              f"{'met' if p95 <= TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
