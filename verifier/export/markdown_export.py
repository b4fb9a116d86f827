"""A readable report: reviewed claims grouped by verdict, with notes, evidence and appearances.

Claim text is escaped: a post's own Markdown or HTML must not become the
report's formatting or links.
"""

from __future__ import annotations

import re

from verifier.export.records import REPORT_ORDER, claim_words, records
from verifier.models import NOT_A_CLAIM
from verifier.quotecheck.align import QuoteMatch
from verifier.store.database import now_iso
from verifier.store.interface import ClaimStore
from verifier.text import is_web_url, one_line

# Inline characters that format anywhere in a line; word-internal _ stays (snake_case, URLs).
_INLINE = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w))")
# Characters that format only at the start of a line (a heading, a list, a quote).
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")
HEADINGS = {"disputed": "Disputed", "unverified": "Unverified", "sourced": "Sourced", "unreviewed": "Not reviewed"}


def md(text: str | None) -> str:
    """Literal text in Markdown: characters that would format are escaped, and no others
    (a date stays 2023-02-02, a sentence ends with a plain full stop)."""
    s = _INLINE.sub(r"\\\1", one_line(text or ""))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                           else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], s)


def dumps(store: ClaimStore, include_unreviewed: bool = False) -> str:
    order = REPORT_ORDER if include_unreviewed else REPORT_ORDER[:-1]
    recs = records(store, order)
    total = sum(1 for c in store.live_claims() if store.status(c.id) != NOT_A_CLAIM)
    lines = ["# Verification report", "",
             f"{len(recs)} claims reviewed of {total}; generated {now_iso()}.", ""]
    for status in order:
        group = [r for r in recs if r.verdict.status == status]
        if not group:
            continue
        lines += [f"## {HEADINGS[status]} ({len(group)})", ""]
        for r in group:
            c, v = r.claim, r.verdict
            who = f"**{md(c.speaker)}**" + (f" ({md(c.role)})" if c.role else "") + ": " if c.speaker else ""
            lines.append(f"### {who}{md(claim_words(c))}".rstrip())
            lines.append("")
            if c.kind == "quote" and c.quote:
                lines.append(f"> {md(c.text)}")
                lines.append("")
            if v.note:
                lines.append(f"- **Note:** {md(v.note)}")
            for e in v.evidence:
                lines.append(f"- **Evidence:** {_link(e)}")
            for x in r.conflicts:
                lines.append(f"- **Conflict:** {md(x.describe())}")
            qc = r.quote_check
            if qc is not None:
                m = QuoteMatch.from_dict(qc.decisive())
                where = f" in {md(m.label)}" if m.found and m.label else ""
                lines.append(f"- **Quote check:** {md(qc.status)}{where}")
            for a in r.appearances:
                when = md((a.published or "")[:16].replace("T", " "))
                head = md(a.headline or "(no headline)")
                link = f" <{a.url}>" if a.url and _is_url(a.url) else ""
                lines.append(f"- Appeared: {when} {head}{link}".rstrip())
            by = f" by {md(v.by)}" if v.by else ""
            lines.append(f"- Reviewed{by} {md((v.updated_at or '')[:16].replace('T', ' '))} · claim `{c.id}`")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _is_url(s: str) -> bool:
    return is_web_url(s)


def _link(e: str) -> str:
    return f"<{e}>" if _is_url(e) else md(e)
