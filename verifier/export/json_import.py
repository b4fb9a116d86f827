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
from verifier.models import STATUSES, Verdict
from verifier.store.database import Store

IMPORTED = "import:"  # prefix of `by` on verdicts that came from a file


@dataclass
class ImportReport:
    applied: list[str] = field(default_factory=list)
    same: int = 0
    unknown: list[str] = field(default_factory=list)  # claim ids this database does not have
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def read_export(path: str) -> list[dict[str, Any]]:
    """The verdicts in an export file, checked enough that merging cannot fail half-way."""
    try:
        doc = orjson.loads(read_text(path))
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA_ID:
        raise InputError(f"{path}: not a verifier export (expected \"schema\": \"{SCHEMA_ID}\")")
    out = []
    for i, c in enumerate(doc.get("claims") or []):
        v = c.get("verdict") if isinstance(c, dict) else None
        if not isinstance(v, dict) or not isinstance(c.get("id"), str) or v.get("status") not in STATUSES \
                or not isinstance(v.get("evidence", []), list):
            raise InputError(f"{path}: claim {i + 1} has no valid id and verdict")
        out.append({"claim_id": c["id"], "text": c.get("text") or "", "status": v["status"],
                    "note": v.get("note"), "evidence": [str(e) for e in v.get("evidence") or []],
                    "by": v.get("by")})
    return out


def _blank(v: Verdict) -> bool:
    return v.status == "unreviewed" and not v.note and not v.evidence


def _same(v: Verdict, theirs: dict[str, Any]) -> bool:
    return v.status == theirs["status"] and (v.note or None) == (theirs["note"] or None) \
        and list(v.evidence) == theirs["evidence"]


def merge(store: Store, verdicts: list[dict[str, Any]]) -> ImportReport:
    report = ImportReport()
    for t in verdicts:
        cid = t["claim_id"]
        if t["status"] == "unreviewed" and not t["note"] and not t["evidence"]:
            continue  # nothing decided over there
        if cid not in store.claims:
            report.unknown.append(cid)
            continue
        ours = store.verdict(cid)
        if _same(ours, t):
            report.same += 1
        elif _blank(ours) or (ours.by or "").startswith(IMPORTED):
            store.set_verdict(cid, status=t["status"], note=t["note"] or "", evidence=t["evidence"],
                              by=IMPORTED + (t["by"] or "unknown"))
            report.applied.append(cid)
        else:
            report.conflicts.append({"claim_id": cid, "text": t["text"], "ours": ours.status,
                                     "ours_note": ours.note, "theirs": t["status"], "theirs_note": t["note"],
                                     "theirs_by": t["by"]})
    return report
