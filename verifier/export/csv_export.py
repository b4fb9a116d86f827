"""One row per claim, for a spreadsheet.

UTF-8 with a byte-order mark, so Excel reads accents and curly quotes right.
Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a
leading apostrophe, and control, bidi and zero-width characters are shown
visibly (\x1b, ⟨U+202E⟩): claim text comes from the web, and a CSV printed to
a terminal must not drive it. Only http(s) URLs are written.
"""

from __future__ import annotations

import csv
import io

from verifier.export.records import claim_words, records
from verifier.models import NOT_A_CLAIM, STATUSES
from verifier.quotecheck.align import QuoteMatch
from verifier.store.interface import ClaimStore
from verifier.text import cell

COLUMNS = ["claim_id", "status", "kind", "speaker", "role", "claim", "quote", "figures", "post_time",
           "post_headline", "source", "url", "cluster_id", "appearances", "conflicts", "quote_check",
           "quote_source", "note", "evidence", "checkworthiness", "updated_at", "by"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    s = cell("" if value is None else str(value))
    return "'" + s if s.startswith(_FORMULA) else s


PUBLISHED = tuple(s for s in STATUSES if s != NOT_A_CLAIM)  # noise is kept out of reports


def dumps(store: ClaimStore, statuses: tuple[str, ...] = PUBLISHED) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in records(store, statuses):
        c, v = r.claim, r.verdict
        qc = r.quote_check
        m = QuoteMatch.from_dict(qc.decisive()) if qc else None
        first = r.appearances[0] if r.appearances else None
        row = [c.id, v.status, c.kind, c.speaker, c.role, c.text, claim_words(c) if c.kind == "quote" else "",
               "; ".join(n.text for n in c.figures()), first.published if first else "",
               first.headline if first else "", r.source.title if r.source else "", first.url if first else "",
               c.cluster_id, len(r.appearances), "; ".join(x.type for x in r.conflicts),
               qc.status if qc else "", m.label if m and m.found else "",
               v.note, " | ".join(v.evidence), f"{c.checkworthiness:.2f}", v.updated_at, v.by]
        w.writerow([_cell(x) for x in row])
    return "\ufeff" + buf.getvalue()
