"""One row per claim, for a spreadsheet.

UTF-8 with a byte-order mark, so Excel reads accents and curly quotes right.
Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a
leading apostrophe: claim text comes from the web.
"""

from __future__ import annotations

import csv
import io

from verifier.export.records import claim_words, records
from verifier.models import NOT_A_CLAIM, STATUSES
from verifier.quotecheck.check import match_of
from verifier.store.database import Store

COLUMNS = ["claim_id", "status", "kind", "speaker", "role", "claim", "quote", "figures", "post_time",
           "post_headline", "source", "url", "cluster_id", "appearances", "conflicts", "quote_check",
           "quote_source", "note", "evidence", "checkworthiness", "updated_at", "by"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA) else s


def dumps(store: Store, statuses: tuple[str, ...] = tuple(s for s in STATUSES if s != NOT_A_CLAIM)) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in records(store, statuses):
        c, v = r.claim, r.verdict
        m = match_of(r.quote_check)
        first = r.appearances[0] if r.appearances else None
        row = [c.id, v.status, c.kind, c.speaker, c.role, c.text, claim_words(c) if c.kind == "quote" else "",
               "; ".join(n["text"] for n in c.numbers), first.published if first else "",
               first.headline if first else "", r.source.title if r.source else "", first.url if first else "",
               c.cluster_id, len(r.appearances), "; ".join(x.get("type", "") for x in r.conflicts),
               r.quote_check["status"] if r.quote_check else "", m.label if m and m.found else "",
               v.note, " | ".join(v.evidence), f"{c.checkworthiness:.2f}", v.updated_at, v.by]
        w.writerow([_cell(x) for x in row])
    return "\ufeff" + buf.getvalue()
