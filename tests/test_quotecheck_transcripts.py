"""Quote checks on real transcribed speech (CLEF CheckThat! 2022 debate and interview
transcripts): every transcript form, journalists' cuts, speech's repeats and
contractions, interruptions, and misattribution; plus the generated cases of
tests/quotecases.py scored against the issue's targets."""

import json
import sys
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.quotecheck import TextIndex, align, same_person
from verifier.quotecheck.index import one_text
from verifier.quotecheck.references import file_index, read_reference

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from quotecases import generate, judge, read_rows  # noqa: E402


def _shared() -> Path | None:
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (base / "claim-matching" / "clef2022-task2b" / "transcripts").is_dir():
            return base / "claim-matching" / "clef2022-task2b" / "transcripts"
    return None


TRANSCRIPTS = _shared()
pytestmark = pytest.mark.skipif(TRANSCRIPTS is None, reason="shared CLEF transcripts not found")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "cache"))


def index_of(name: str) -> TextIndex:
    ref = read_reference(str(TRANSCRIPTS / name))
    idx = TextIndex()
    idx.add("reference:t", name, ref.text)
    return idx


# -- CLEF form: line TAB speaker TAB sentence -------------------------------------------------

def test_tsv_rows_are_speaker_turns_and_labels_are_never_words():
    ref = read_reference(str(TRANSCRIPTS / "20151028_GOP_boulder.tsv"))
    assert ref.kind == "transcript"
    lines = ref.text.split("\n")
    assert lines[761] == "CHRISTIE: We went after companies that were ripping off shareholders."
    idx = index_of("20151028_GOP_boulder.tsv")
    said = sum(r.text.lower().count("christie") for r in read_rows(TRANSCRIPTS / "20151028_GOP_boulder.tsv"))
    assert idx.words.count("christie") == said  # labels are not something anyone said
    m = align("We went after companies that were ripping off shareholders. We went after companies that were "
              "doing things that were against the law.", idx, speaker="Chris Christie")
    assert m.status == "verbatim" and m.line == 762 and m.speaker == "CHRISTIE"
    assert same_person("Chris Christie", m.speaker)


def test_a_repeated_phrase_is_placed_where_every_word_fits():
    idx = index_of("20151028_GOP_boulder.tsv")
    # "We went after companies" opens two sentences in a row: the second is the quote
    m = align("We went after companies that were doing things that were against the law.", idx)
    assert m.status == "verbatim" and m.line == 763 and not m.diff
    m = align("We went after companies that were doing things that were against the rules.", idx)
    assert m.status == "altered" and m.line == 763
    assert m.diff == [{"op": "replace", "source": "law", "quote": "rules"}]


def test_speaker_label_is_not_read_into_the_quote():
    idx = index_of("20160204_democrats_new_Hampshire.tsv")
    m = align("We'll be right back.", idx, speaker="Chuck Todd")  # common words only, said once
    assert m.status == "verbatim" and m.matched == "We'll be right back" and m.speaker == "TODD"


def test_unmarked_omission_is_a_dropped_clause_not_a_replacement():
    idx = index_of("20181015_60_min.tsv")
    m = align("Russia wanted it, we wanted it.", idx)
    assert m.status == "altered"
    assert m.diff == [{"op": "delete", "source": "China wanted it", "quote": "", "clause": True}]


def test_marked_cut_is_partial_with_the_omitted_words():
    idx = index_of("20160529_Sanders_MeetThePress.tsv")
    for cut in ("...", "…", "[...]", "(…)"):
        m = align(f"My point was {cut} that for Democrats to win, they're going to have to address the needs "
                  "of working people.", idx)
        assert m.status == "partial", cut
        assert [d for d in m.diff if d["op"] == "omit"] == [{"op": "omit", "source": "and let me repeat it",
                                                             "quote": "…"}]
    # a cut piece with a word changed is altered, the cut still shown
    m = align("My point was ... that for Republicans to win", idx)
    assert m.status == "altered"
    assert {"op": "replace", "source": "Democrats", "quote": "Republicans"} in m.diff


def test_contractions_fillers_and_number_formats_are_minor():
    rows = {p.name: read_rows(p) for p in TRANSCRIPTS.glob("*.tsv")}
    name = next(n for n, rs in rows.items() if any("I vetoed 2,500 separate" in r.text for r in rs))
    idx = index_of(name)
    for q in ("Because I vetoed 2500 separate lineitems in the budget.",
              "Because I vetoed two thousand five hundred separate lineitems in the budget."):
        assert align(q, idx).status == "minor", q
    m = align("Because I vetoed 2,600 separate lineitems in the budget.", idx)
    assert m.status == "altered" and m.diff == [{"op": "replace", "source": "2,500", "quote": "2,600"}]
    # "we've", "I'd", "he's" written out, and a filler the transcript has and the quote drops
    name, row = next((n, r) for n, rs in rows.items() for r in rs if "uh, superdelegates" in r.text)
    idx = index_of(name)
    assert align(row.text.replace("uh, ", ""), idx).status == "minor"
    assert align(row.text, idx).status == "verbatim"
    name, row = next((n, r) for n, rs in rows.items() for r in rs
                     if r.text.startswith("I think it’s time that we ask those at the very top"))
    idx = index_of(name)
    assert align(row.text.replace("it’s", "it is"), idx).status == "minor"


def test_an_interrupted_utterance_ends_at_the_dash():
    rows = {p.name: read_rows(p) for p in TRANSCRIPTS.glob("*.tsv")}
    name, row = next((n, r) for n, rs in rows.items() for r in rs
                     if r.text.startswith("I think it’s time that we ask those at the very top"))
    assert row.text.endswith("gets-")
    idx = index_of(name)
    m = align(row.text[:-1], idx, speaker="Elizabeth Warren")  # quoted up to where she was cut off
    assert m.status == "verbatim" and same_person("Elizabeth Warren", m.speaker)
    m = align(row.text[:-len(" gets-")], idx)  # a word short of it: a cut
    assert m.status == "partial"


def test_misattribution_is_flagged_and_only_then():
    idx = index_of("20181015_60_min.tsv")
    q = "Russia wanted it, China wanted it, we wanted it."
    m = align(q, idx, speaker="Lesley Stahl")
    assert m.status == "verbatim" and same_person("Lesley Stahl", m.speaker) is False
    assert same_person("Donald Trump", m.speaker)


def test_other_transcripts_words_are_not_found():
    idx = index_of("20181015_60_min.tsv")
    assert align("My point was, and let me repeat it, that for Democrats to win, they're going to have to address "
                 "the needs of working people.", idx).status == "not found"


def test_partial_from_a_sentence_whose_first_word_ends_the_sentence_before():
    # issue 11's case: "Vaccination" also ends the sentence before
    text = ("The health ministry defended the country's vaccination record. Vaccination rates among children under "
            "five have fallen to 89 percent, the lowest in a decade.")
    idx = TextIndex()
    idx.add("post:x", "x", text)
    m = align("vaccination rates among children under five have fallen", idx)
    assert m.status == "partial" and not m.diff and m.start == text.index("Vaccination rates")
    assert align("Vaccination rates among children under 5 have fallen to 89 percent, the lowest in a decade.",
                 idx).status == "minor"


# -- captions: SRT and WebVTT -------------------------------------------------------------------

def _captions(rows, vtt: bool) -> tuple[str, list[tuple[str, str, str]]]:
    """Rows as captions of at most 8 words, sentences split across cues as captioning does;
    returns the file text and (time, speaker, words) per cue."""
    cues, t = [], 0.0
    last = None
    for r in rows:
        words = r.text.split()
        for k in range(0, len(words), 8):
            who = r.speaker if r.speaker != last else None
            last = r.speaker
            cues.append((t, who, " ".join(words[k:k + 8])))
            t += 2.5
    out = ["WEBVTT", ""] if vtt else []

    def stamp(x: float, sep: str) -> str:
        ms = int(x * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"

    for n, (x, who, words) in enumerate(cues, 1):
        sep = "." if vtt else ","
        if not vtt:
            out.append(str(n))
        out.append(f"{stamp(x, sep)} --> {stamp(x + 2.4, sep)}")
        if vtt:
            out.append(f"<v {who or last_voice(cues, n)}>{words}</v>")
        else:
            out.append(f"{who.upper()}: {words}" if who else words)
        out.append("")
    return "\n".join(out), [(stamp(x, "."), who, w) for x, who, w in cues]


def last_voice(cues, n):
    for x, who, w in reversed(cues[:n]):
        if who:
            return who
    return ""


@pytest.mark.parametrize("vtt", [False, True], ids=["srt", "webvtt"])
def test_captions_report_the_time_code(tmp_path, vtt, capsys):
    rows = read_rows(TRANSCRIPTS / "20181015_60_min.tsv")[50:80]
    text, cues = _captions(rows, vtt)
    path = tmp_path / ("talk.vtt" if vtt else "talk.srt")
    path.write_text(text, encoding="utf-8")
    ref = read_reference(str(path))
    assert ref.kind == "captions"
    idx = one_text("reference:c", "talk", ref.text)
    q = "Russia wanted it, China wanted it, we wanted it."
    where = next(i for i, (_, _, w) in enumerate(cues) if w.startswith("Russia wanted it"))
    m = align(q, idx, speaker="Donald Trump")
    assert m.status == "verbatim" and m.time == cues[where][0]
    assert same_person("Donald Trump", m.speaker)
    # a sentence split over two cues is still one sentence, said where its first word is
    long = next(r for r in rows if 10 < len(r.text.split()) <= 16 and r.speaker.lower() != "system")
    m = align(long.text, idx)
    start = next(i for i, (_, _, w) in enumerate(cues) if long.text.startswith(w))
    assert m.status == "verbatim" and m.time == cues[start][0]
    assert "[" not in (m.matched or "")  # time codes are not words either
    m = align(" ".join(long.text.split()[2:]), idx)
    assert m.status == "partial"
    # the command says where in the video
    assert main(["verify-quote", q, "--source", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verbatim") and f"at {cues[where][0]}" in out


def test_bad_captions_are_one_line(tmp_path, capsys, db):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> nonsense\nhello\n\n2\nxx\n", encoding="utf-8")
    assert main(["sources", "add", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.srt" in err
    bad = tmp_path / "bad.vtt"
    bad.write_text("WEBVTT\n\nthis is not a cue\n", encoding="utf-8")
    assert main(["verify-quote", "hello there", "--source", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.vtt" in err


# -- the command, on the CLEF form ------------------------------------------------------------

def test_cli_names_the_dropped_clause_and_the_cut(capsys, db):
    path = str(TRANSCRIPTS / "20181015_60_min.tsv")
    assert main(["verify-quote", "Russia wanted it, we wanted it.", "--source", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith("altered") and "dropped clause: 'China wanted it'" in out and "changed" not in out
    assert main(["sources", "add", str(TRANSCRIPTS / "20160529_Sanders_MeetThePress.tsv")]) == 0
    capsys.readouterr()
    assert main(["verify-quote", "My point was ... that for Democrats to win", "--speaker", "Bernie Sanders",
                 "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["status"] == "partial" and got["speaker_matches"] is True
    assert got["diff"] == [{"op": "omit", "source": "and let me repeat it", "quote": "…"}]


# -- generated cases, scored against the issue's targets --------------------------------------

def test_generated_cases_meet_the_targets():
    paths = sorted(TRANSCRIPTS.glob("*.tsv"))[::8]  # ten transcripts, debates to interviews
    cases = generate(paths, per_kind=2, seed=11)
    assert len(cases) > 150
    indexes = {p: index_of(p.name) for p in paths}
    verdicts = [(c, judge(c, align(c.quote, indexes[c.transcript], speaker=c.speaker))) for c in cases]
    right = sum(v["class"] for _, v in verdicts) / len(verdicts)
    cuts = [v["cut"] for _, v in verdicts if v["cut"] is not None]
    flags = [v["flag"] for _, v in verdicts if v["flag"] is not None]
    assert right >= 0.97
    assert sum(cuts) / len(cuts) >= 0.95
    assert all(flags)  # every misattribution flagged, no correct attribution flagged
    assert sum(1 for c, _ in verdicts if c.kind == "speaker") >= 10


def test_s_and_d_read_as_has_and_had_and_gonna_as_going_to():
    rows = {p.name: read_rows(p) for p in TRANSCRIPTS.glob("*.tsv")}
    name = next(n for n, rs in rows.items() if any(r.text == "I'd been mayor of my city." for r in rs))
    idx = index_of(name)
    assert align("I had been mayor of my city.", idx).status == "minor"
    assert align("I would been mayor of my city.", idx).status == "minor"  # 'd stands for either
    assert align("I have been mayor of my city.", idx).status == "altered"
    name, row = next((n, r) for n, rs in rows.items() for r in rs
                     if r.text.startswith("It's important to be qualified, but if this election is a resume"))
    idx = index_of(name)
    q = row.text.replace("Clinton's gonna", "Clinton's going to").replace("she's been", "she has been")
    assert align(q, idx).status == "minor"


def test_a_quote_of_common_words_with_a_word_changed_is_still_placed():
    idx = index_of("20160204_democrats_new_Hampshire.tsv")
    m = align("We'll be right back here.", idx)  # only common words, one added
    assert m.status == "altered" and m.speaker == "TODD"
    assert m.diff == [{"op": "insert", "source": "", "quote": "here"}]


def test_a_transcript_index_is_read_into_words_once(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "c"))
    text = read_reference(str(TRANSCRIPTS / "20181015_60_min.tsv")).text
    first = one_text("reference:a", "60 minutes", text, "x")
    stored = list((tmp_path / "c" / "quote-index").glob("*.marshal"))
    assert len(stored) == 1
    again = one_text("reference:b", "again", text)
    assert again.words == first.words and again.docs[0].turns == first.docs[0].turns
    assert again.docs[0].key == "reference:b" and again.docs[0].speaker is None
    stored[0].write_bytes(b"\x00garbage")  # a damaged cache file is built anew, never trusted
    m = align("Russia wanted it, China wanted it, we wanted it.", one_text("reference:c", "c", text))
    assert m.status == "verbatim" and m.source == "reference:c"


def test_an_index_read_from_the_cache_answers_as_the_one_built(tmp_path, monkeypatch):
    """The cache stores a word index compactly (spans as one array, places found on first
    use): every kind of quote gets the same answer from it as from the index just built."""
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "c"))
    path = str(TRANSCRIPTS / "20160204_democrats_new_Hampshire.tsv")
    built = file_index(path)  # built, and stored
    loaded = file_index(path)  # read back
    assert loaded is not built and loaded.words == built.words and loaded.string == built.string
    assert [loaded.spans[i] for i in range(len(loaded.spans))] == [built.spans[i] for i in range(len(built.spans))]
    rows = [r.text for r in read_rows(TRANSCRIPTS / "20160204_democrats_new_Hampshire.tsv") if len(r.text.split()) > 12]
    quotes = ["We'll be right back here.", "the economy is doing great and everybody knows it"]
    for text in rows[::25]:
        w = text.split()
        quotes += [text, " ".join(w[2:-2]), " ".join(w[:4] + ["never"] + w[5:]), " ".join(w[:4]) + " ... " + " ".join(w[-4:])]
    for q in quotes:
        a, b = align(q, built), align(q, loaded)
        assert (a.status, a.start, a.end, a.diff, a.speaker) == (b.status, b.start, b.end, b.diff, b.speaker), q


def test_a_cached_index_is_never_taken_for_another_file(tmp_path, monkeypatch):
    """The cache key is a short checksum; the index keeps what it was built from, so two
    files whose keys collide each get their own words."""
    monkeypatch.setenv("VERIFIER_CACHE", str(tmp_path / "c"))
    import verifier.quotecheck.index as qindex

    monkeypatch.setattr(qindex, "digest", lambda stamp: "same-key-for-all")  # force a collision
    one = file_index(str(TRANSCRIPTS / "20160204_democrats_new_Hampshire.tsv"))
    other = file_index(str(TRANSCRIPTS / "20181015_60_min.tsv"))
    assert other.docs[0].text != one.docs[0].text
    assert align("Russia wanted it, China wanted it, we wanted it.", other).status == "verbatim"
    assert align("Russia wanted it, China wanted it, we wanted it.",
                 file_index(str(TRANSCRIPTS / "20160204_democrats_new_Hampshire.tsv"))).status != "verbatim"


def _row(start: str) -> tuple[str, str]:
    for p in sorted(TRANSCRIPTS.glob("*.tsv")):
        for r in read_rows(p):
            if r.text.startswith(start):
                return p.name, r.text
    raise AssertionError(start)


def test_an_utterance_also_ends_at_a_double_dash_and_an_ellipsis():
    for start, end in (("You have the European Union and they're benefited in a lot more by", " --"),
                       ("Now, second of all, in terms of Republicans, let me say", "…")):
        name, text = _row(start)
        assert text.endswith(end)
        idx = index_of(name)
        assert align(text[:-len(end)], idx).status == "verbatim", start  # up to where it broke off
        assert align(" ".join(text.split()[1:-2]), idx).status == "partial", start


def test_money_in_words_and_in_figures_is_minor():
    name, _ = _row("I cut taxes every year, totaling $19 billion.")
    idx = index_of(name)
    assert align("I cut taxes every year, totaling 19,000,000,000 dollars.", idx).status == "minor"
    assert align("I cut taxes every year, totaling nineteen billion dollars.", idx).status == "minor"
    m = align("I cut taxes every year, totaling $9 billion.", idx)
    assert m.status == "altered" and m.diff == [{"op": "replace", "source": "$19 billion", "quote": "$9 billion"}]


def test_a_transcript_without_apostrophes_reads_its_contractions():
    name, text = _row("You know Ivanka very well, youve had her on your show, and shes a star.")
    idx = index_of(name)
    assert align(text, idx).status == "verbatim"
    assert align("You know Ivanka very well, you've had her on your show, and she's a star.", idx).status == "minor"
    assert align("You know Ivanka very well, you have had her on your show, and she is a star.",
                 idx).status == "minor"


def test_a_changed_file_is_read_anew(tmp_path, capsys, db):
    path = tmp_path / "t.tsv"
    rows = (TRANSCRIPTS / "20181015_60_min.tsv").read_text(encoding="utf-8")
    path.write_text(rows, encoding="utf-8")
    q = "Russia wanted it, China wanted it, we wanted it."
    assert main(["verify-quote", q, "--source", str(path)]) == 0
    assert capsys.readouterr().out.startswith("verbatim")
    path.write_text(rows.replace("China wanted it", "India wanted it"), encoding="utf-8")
    assert main(["verify-quote", q, "--source", str(path)]) == 0
    assert "said 'India', quoted 'China'" in capsys.readouterr().out


def test_context_around_a_cut_is_the_speakers_words_only():
    idx = index_of("20160529_Sanders_MeetThePress.tsv")
    m = align("that for Democrats to win", idx)
    assert m.status == "partial"
    assert m.before == "My point was, and let me repeat it, "  # no "SEN. BERNIE SANDERS:" label
    assert m.after.startswith(", they're going to have to address")
