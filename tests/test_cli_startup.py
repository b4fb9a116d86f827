"""The CLI starts light: a command's parser and modules are loaded only when that command
runs, `verify-quote --source FILE` touches neither the database nor the exporters, and
every command still has its help, its one-line errors and its place in `verifier --help`.
(What this buys in milliseconds is measured in benchmarks/bench_cli.py, not here.)"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent


def _transcripts() -> Path | None:
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        folder = base / "claim-matching" / "clef2022-task2b" / "transcripts"
        if folder.is_dir():
            return folder
    return None


TRANSCRIPTS = _transcripts()

# Never needed to check a quote against a file: the database and its backends, the exporters,
# the other commands' machinery, the terminal UI.
NEVER_FOR_A_FILE = ("verifier.store", "verifier.export", "verifier.follow", "verifier.link", "verifier.factchecks",
                    "verifier.pipeline", "verifier.tui", "tinydb", "msgspec", "orjson", "psycopg", "textual", "rich",
                    "httpx", "feedparser", "bm25s", "numpy")

_REPORT = """
import json, sys
from verifier.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def run_reporting(args, env):
    """Run the CLI in a fresh interpreter; its exit code, output and the modules it had loaded."""
    proc = subprocess.run([sys.executable, "-c", _REPORT, *args], capture_output=True, text=True, env=env,
                          cwd=str(ROOT))
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], proc.stdout, set(report["modules"])


def loaded(modules: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in modules)


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ, PYTHONPATH=str(ROOT), VERIFIER_CACHE=str(tmp_path / "cache"),
             VERIFIER_DB=str(tmp_path / "claims.json"))
    e.pop("VERIFIER_DEBUG", None)
    return e


@pytest.mark.skipif(TRANSCRIPTS is None, reason="shared CLEF transcripts not found")
def test_verify_quote_against_a_transcript_loads_no_database(env, tmp_path):
    path = TRANSCRIPTS / "20121023_third_presidential_debate.tsv"
    line = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if len(ln.split("\t")[-1].split()) > 15)
    number, speaker, said = line.split("\t")
    args = ["verify-quote", said, "--source", str(path), "--speaker", speaker.title()]
    for attempt in ("index built", "index from the cache"):
        code, out, modules = run_reporting(args, env)
        assert code == 0, (attempt, out)
        assert out.startswith("verbatim") and f"line {int(number)}" in out, (attempt, out)
        for name in NEVER_FOR_A_FILE:
            assert not loaded(modules, name), f"{attempt}: verify-quote --source imported {name}"
    # read from the cache, the transcript needs neither the readers nor the record types
    assert not loaded(modules, "verifier.ingest") and not loaded(modules, "verifier.models")
    assert not (tmp_path / "claims.json").exists()  # no database opened, none created


@pytest.mark.skipif(TRANSCRIPTS is None, reason="shared CLEF transcripts not found")
def test_verify_quote_leaves_quickly_and_cleanly_whatever_its_output_is(env):
    """verify-quote leaves without the interpreter's teardown: its answer is still whole
    through a pipe, and a closed or missing stdout is no traceback."""
    path = TRANSCRIPTS / "20121023_third_presidential_debate.tsv"
    said = next(ln.split("\t")[-1] for ln in path.read_text(encoding="utf-8").splitlines()
                if len(ln.split("\t")[-1].split()) > 15)
    cmd = [sys.executable, "-m", "verifier", "verify-quote", said, "--source", str(path), "--json"]
    got = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert got.returncode == 0 and json.loads(got.stdout)["status"] == "verbatim", got.stderr
    for stdout in (subprocess.DEVNULL, None):
        closed = subprocess.run(cmd[:-1], env=env, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                **({} if stdout is not None else {"preexec_fn": lambda: os.close(1)}))
        assert closed.returncode == 0 and closed.stderr == "", closed.stderr


def test_a_commands_help_builds_only_its_parser(env):
    code, out, modules = run_reporting(["verify-quote", "--help"], env)
    assert code == 0 and "--source" in out
    for name in NEVER_FOR_A_FILE + ("rapidfuzz", "verifier.quotecheck.align", "verifier.models"):
        assert not loaded(modules, name), f"verify-quote --help imported {name}"


def test_top_level_help_lists_every_command(capsys):
    for argv in (["--help"], ["-h", "stats"], ["--db", "x.json", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
        out = capsys.readouterr().out
        listed = set(re.findall(r"^ {4}(\S+)", out, re.M))
        assert listed == set(COMMANDS), (argv, set(COMMANDS) ^ listed)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: verifier " + command)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_flag_is_one_line_and_exit_2(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--no-such-flag"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "error:" in err, err
    assert "Traceback" not in err


def test_db_option_abbreviated_before_the_command(sample_db, capsys):
    assert main(["--d", sample_db, "stats"]) == 0  # `--d` is argparse's abbreviation of --db
    assert capsys.readouterr().out.startswith("database")


def test_help_is_as_wide_as_the_terminal_whatever_columns_says(monkeypatch):
    from verifier.cli import _columns

    for bad in ("0", "-5", "wide"):
        monkeypatch.setenv("COLUMNS", bad)
        assert _columns() >= 20  # as shutil.get_terminal_size: not a width of zero
    monkeypatch.setenv("COLUMNS", "100")
    assert _columns() == 100


def test_the_lazy_numpy_of_a_session_copes_with_probes():
    import copy

    import verifier.triage as triage

    probe = triage._Later("json", "_json_for_the_probe_test")
    copy.copy(probe)  # no recursion on a copy that has none of its fields
    assert probe.dumps([1]) == "[1]"  # imported on first use, then bound in its place
    assert getattr(triage, "_json_for_the_probe_test").__name__ == "json"
