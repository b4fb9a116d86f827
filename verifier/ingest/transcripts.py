"""Transcripts as fact-checkers get them, read into one text of speaker turns.

- ``NAME: text`` turns (a plain text file): kept as they are.
- ``line TAB SPEAKER TAB sentence`` (the CLEF CheckThat! debate transcripts):
  one line ``SPEAKER: sentence`` per row, so line numbers stay the rows'.
- SRT and WebVTT captions (read with the ``srt`` and ``webvtt-py`` parsers):
  one line per cue, opened by its time code ``[00:01:02.500]`` and the speaker
  when the cue names one (``<v Name>``, ``NAME:``), so a match reports where in
  the video the words are.

The quote index (verifier.quotecheck.index) reads labels and time codes as
turns and cues, never as words.
"""

from __future__ import annotations

from typing import Any

import io
import os
import re

from verifier.errors import InputError

_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")  # <i>, <font ...>, {\an8}
_NAME_PART = re.compile(r"[^\W\d_][\w.'’-]*")
_TSV_ROW = re.compile(r"^[^\t\n]*\t[^\t\n]+\t[^\n]*$")
_SRT_TIME = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.M)


class Transcript:
    __slots__ = ("text", "kind")

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.kind = kind  # "transcript" or "captions"


def label(name: str) -> str:
    """A speaker's name as a label the index reads: at most four words, each capitalised."""
    name = re.sub(r"\([^)]*\)?", " ", name).split(",")[0]  # "SEN. SANDERS (I), VERMONT": the name
    parts = _NAME_PART.findall(name)[:4]
    return " ".join(p[0].upper() + p[1:] for p in parts)


def looks_like_tsv(text: str) -> bool:
    rows = [r for r in text.splitlines()[:50] if r.strip()]
    return bool(rows) and sum(1 for r in rows if _TSV_ROW.match(r)) >= 0.8 * len(rows)


def read_tsv(text: str, path: str = "") -> Transcript:
    """CLEF form: ``line TAB SPEAKER TAB sentence`` per row."""
    out = []
    for n, row in enumerate(text.splitlines(), 1):
        if not row.strip():
            out.append("")
            continue
        cols = row.split("\t")
        if len(cols) < 3:
            raise InputError(f"{path}:{n}: expected 'line TAB speaker TAB sentence'")
        who, said = label(cols[1]), " ".join("\t".join(cols[2:]).split())
        out.append(f"{who}: {said}" if who else said)
    return Transcript("\n".join(out), "transcript")


def _stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _cue(stamp: str, voice: str | None, content: str) -> str:
    body = " ".join(_TAG.sub("", content).split())
    who = label(voice) if voice else ""
    return f"[{stamp}] {who + ': ' if who else ''}{body}"


def read_srt(text: str, path: str = "") -> Transcript:
    import srt

    try:
        cues = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as e:
        raise InputError(f"{path}: not readable as SRT captions ({str(e).splitlines()[0][:80]})") from None
    lines = [_cue(_stamp(c.start.total_seconds()), None, c.content) for c in cues if c.content.strip()]
    if not lines:
        raise InputError(f"{path}: no captions found")
    return Transcript("\n".join(lines), "captions")


def read_vtt(text: str, path: str = "") -> Transcript:
    import webvtt

    try:
        parsed: Any = (webvtt.from_buffer(io.StringIO(text)) if hasattr(webvtt, "from_buffer")
                       else webvtt.WebVTT.from_string(text))
        captions = list(parsed)
    except Exception as e:  # webvtt-py raises its own MalformedFileError and others: one line either way
        raise InputError(f"{path}: not readable as WebVTT captions ({str(e).splitlines()[0][:80] if str(e) else type(e).__name__})") from None
    lines = []
    for c in captions:
        voice = getattr(c, "voice", None)
        raw = c.raw_text if voice else c.text
        if raw.strip():
            lines.append(_cue(c.start.replace(",", "."), voice, raw))
    if not lines:
        raise InputError(f"{path}: no captions found")
    return Transcript("\n".join(lines), "captions")


def read_transcript(text: str, path: str) -> Transcript | None:
    """The transcript in ``text`` by extension, then by content; None when it is none of these."""
    ext = os.path.splitext(path)[1].lower()
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if ext == ".vtt" or head.startswith("WEBVTT"):
        return read_vtt(text, path)
    if ext == ".srt" or _SRT_TIME.match(head):
        return read_srt(text, path)
    if ext in (".tsv", ".tab") or looks_like_tsv(text):
        return read_tsv(text, path)
    return None
