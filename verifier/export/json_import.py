"""Merge a colleague's verdicts from a verifier-export/1 file into this database.

Verdicts are matched by claim id (content ids: the same sentence in the same
post has the same id on every machine). A verdict is taken when ours is still
untouched, or was itself imported and not changed here since. When both sides
changed it and disagree, ours stays and the conflict is listed: nothing a
person typed is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from verifier.errors import InputError
from verifier.export.json_export import SCHEMA_ID
from verifier.ingest.files import read_text
from verifier.models import STATUSES, Verdict, VerdictChange
from verifier.store.interface import ClaimStore
from verifier.text import is_web_url, url_scheme
from verifier.progress import track

IMPORTED = "import:"  # prefix of `by` on verdicts that came from a file


@dataclass
class ImportReport:
    applied: list[str] = field(default_factory=list)
    same: int = 0
    unknown: list[str] = field(default_factory=list)  # claim ids this database does not have
    conflicts: list[dict[str, Any]] = field(default_factory=list)


MAX_PROBLEMS = 20  # lines listed; the count of the rest follows
_SAFE_SCHEMES = ("http", "https")


def _problems_of(i: int, c: object) -> list[str]:
    where = f"claims[{i}]"
    if not isinstance(c, dict):
        return [f"{where}: expected an object"]
    out = []
    cid = c.get("id")
    if not isinstance(cid, str) or not cid.strip():
        out.append(f"{where}.id: expected a claim id (text)")
    else:
        where = f"claims[{i}] ({cid[:12]})"
    if c.get("text") is not None and not isinstance(c["text"], str):
        out.append(f"{where}.text: expected text")
    v = c.get("verdict")
    if not isinstance(v, dict):
        return out + [f"{where}.verdict: expected an object"]
    if v.get("status") not in STATUSES:
        out.append(f"{where}.verdict.status: expected one of {', '.join(STATUSES)}, got {v.get('status')!r:.40}")
    for k in ("note", "by", "updated_at"):
        if v.get(k) is not None and not isinstance(v[k], str):
            out.append(f"{where}.verdict.{k}: expected text or null")
    ev = v.get("evidence", [])
    if ev is None:
        ev = []
    if not isinstance(ev, list) or not all(isinstance(e, str) for e in ev):
        out.append(f"{where}.verdict.evidence: expected a list of texts")
    else:
        for e in ev:
            scheme = url_scheme(e)
            if scheme and scheme not in _SAFE_SCHEMES and (e.split(":", 1)[1][:2] == "//" or scheme in (
                    "javascript", "data", "vbscript", "file", "blob")):
                out.append(f"{where}.verdict.evidence: a {scheme}: URL (only http and https are taken)")
            elif scheme in _SAFE_SCHEMES and not is_web_url(e):
                out.append(f"{where}.verdict.evidence: malformed URL")
    return out


def read_export(path: str) -> list[dict[str, Any]]:
    """The verdicts in an export file, every field checked before anything is written.

    InputError lists every problem, one line each (the first MAX_PROBLEMS), so a
    file is fixed in one go and a bad 20th verdict never leaves 19 written."""
    try:
        doc = orjson.loads(read_text(path))
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA_ID:
        raise InputError(f"{path}: not a verifier export (expected \"schema\": \"{SCHEMA_ID}\")")
    claims = doc.get("claims")
    if claims is None:
        claims = []
    if not isinstance(claims, list):
        raise InputError(f"{path}: claims: expected a list")
    problems: list[str] = []
    out = []
    for i, c in enumerate(claims):
        found = _problems_of(i, c)
        if found:
            problems += found
            continue
        v = c["verdict"]
        out.append({"claim_id": c["id"].strip().lower(), "text": c.get("text") or "", "status": v["status"],
                    "note": v.get("note"), "evidence": list(v.get("evidence") or []), "by": v.get("by")})
    if problems:
        shown = [f"{path}: {p}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"{path}: and {len(problems) - MAX_PROBLEMS} more problems")
        shown.append(f"{path}: nothing imported ({len(problems)} problems)")
        raise InputError("\n".join(shown))
    return out


def _blank(v: Verdict) -> bool:
    return v.status == "unreviewed" and not v.note and not v.evidence


def _same(v: Verdict, theirs: dict[str, Any]) -> bool:
    return v.status == theirs["status"] and (v.note or None) == (theirs["note"] or None) \
        and list(v.evidence) == theirs["evidence"]


def merge(store: ClaimStore, verdicts: list[dict[str, Any]]) -> ImportReport:
    """Take their verdicts where ours are untouched (or imported): one durable write for all of them."""
    report = ImportReport()
    changes: list[VerdictChange] = []
    taken: dict[str, dict[str, Any]] = {}
    for t in track(verdicts, "importing verdicts"):
        cid = t["claim_id"]
        if t["status"] == "unreviewed" and not t["note"] and not t["evidence"]:
            continue  # nothing decided over there
        if store.claim(cid) is None:
            report.unknown.append(cid)
            continue
        ours = store.verdict(cid)
        if cid in taken:  # listed twice in their file: the later one wins, as it would have
            changes = [ch for ch in changes if ch.claim_id != cid]
            report.applied.remove(cid)
        if _same(ours, t):
            report.same += 1
        elif _blank(ours) or (ours.by or "").startswith(IMPORTED):
            changes.append(VerdictChange(cid, status=t["status"], note=t["note"] or "", evidence=t["evidence"],
                                         by=IMPORTED + (t["by"] or "unknown")))
            taken[cid] = t
            report.applied.append(cid)
        else:
            report.conflicts.append({"claim_id": cid, "text": t["text"], "ours": ours.status,
                                     "ours_note": ours.note, "theirs": t["status"], "theirs_note": t["note"],
                                     "theirs_by": t["by"]})
    store.set_verdicts(changes)  # all or nothing
    return report
