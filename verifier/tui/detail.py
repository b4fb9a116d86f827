"""The detail pane's content: a header that stays in view (the decision and what it rests on)
and the post beneath it, with the claim highlighted, then the rest of its cluster.

Built as rich Text objects, never markup strings: claim text comes from the
web and is shown literally. Styles are passed in by name (the widgets take them
from the theme, see app.tcss); DEFAULT_STYLES serves plain use.
"""

from __future__ import annotations

from collections import OrderedDict
from itertools import islice
from typing import Callable, Mapping

from rich.style import Style
from rich.text import Text

from verifier.link.diff import changed, word_diff
from verifier.models import Claim, Cluster
from verifier.store.database import Store
from verifier.text import printable

StyleMap = Mapping[str, "Style | str"]
DEFAULT_STYLES: dict[str, Style | str] = {
    "unreviewed": "dim", "sourced": "green", "unverified": "yellow", "disputed": "red", "not-a-claim": "dim",
    "label": "bold", "dim": "dim", "good": "green", "bad": "red", "warn": "yellow", "strong-bad": "bold red",
    "highlight": "reverse", "heading": "bold underline", "italic": "italic",
}
STATUS_STYLE = {k: DEFAULT_STYLES[k] for k in ("unreviewed", "sourced", "unverified", "disputed", "not-a-claim")}
MAX_MEMBERS = 12  # cluster members listed under the post (with word diffs); a 20,000-claim cluster shows its count
MAX_HISTORY = 5


_CONFLICTS: "OrderedDict[tuple, dict[str, list[dict]]]" = OrderedDict()


def conflicts_of(cl: Cluster, claim_id: str) -> list[dict]:
    """The cluster's conflicts naming this claim. Indexed once per cluster (a 20,000-claim
    cluster holds thousands of conflicts: one pass each time the cursor moved cost milliseconds)."""
    key = (cl.id, id(cl.conflicts), len(cl.conflicts))
    index = _CONFLICTS.get(key)
    if index is None:
        index = {}
        for c in cl.conflicts:
            for x in dict.fromkeys(c.get("claims", ())):
                index.setdefault(x, []).append(c)
        _CONFLICTS[key] = index
        if len(_CONFLICTS) > 64:
            _CONFLICTS.popitem(last=False)
    else:
        _CONFLICTS.move_to_end(key)
    return index.get(claim_id, [])


def _links_of(cl: Cluster) -> dict[frozenset, dict]:
    """The cluster's links by pair, indexed once per cluster (like its conflicts)."""
    key = ("links", cl.id, id(cl.links), len(cl.links))
    index = _CONFLICTS.get(key)
    if index is None:
        index = _CONFLICTS[key] = {frozenset((lk["a"], lk["b"])): lk for lk in cl.links}  # type: ignore[assignment]
        if len(_CONFLICTS) > 64:
            _CONFLICTS.popitem(last=False)
    return index  # type: ignore[return-value]


def _label(status: str) -> str:
    return {"not-a-claim": "not a claim"}.get(status, status)


def claim_header(store: Store, claim: Claim, styles: StyleMap = DEFAULT_STYLES,
                 label: Callable[[str], str] = _label, conflicted: frozenset[str] | None = None) -> Text:
    """Status, who decided and when, speaker, role, kind, figures, quote check, note,
    evidence, the verdict's history and the cluster in one line."""
    out = Text()
    v = store.verdict(claim.id)
    out.append(label(v.status).upper(), style=Style.combine([Style(bold=True), _s(styles, v.status)]))
    if v.by or v.updated_at:
        out.append(f"  by {printable(v.by or '?')} {printable((v.updated_at or '')[:16].replace('T', ' '))}",
                   style=styles["dim"])
    out.append(f"  {claim.kind}", style=styles["label"])
    out.append(f"  check-worthiness {claim.checkworthiness:.2f}  id {claim.id}\n", style=styles["dim"])
    corrected = store.corrections(claim.id)
    out.append("Speaker  ", style=styles["label"])
    out.append(printable(claim.speaker or "-"))
    if claim.role:
        out.append(f"  ({printable(claim.role)})", style=styles["italic"])
    if corrected:
        out.append(f"  corrected: {', '.join(sorted(corrected))}", style=styles["dim"])
    out.append("\n")
    if claim.channel:
        out.append("Channel  ", style=styles["label"])
        out.append(printable(claim.channel) + "\n")
    if claim.numbers:
        out.append("Figures  ", style=styles["label"])
        out.append("; ".join(printable(f"{n['text']} = {n['value']:g} {n.get('unit') or ''}".strip())
                             for n in claim.numbers) + "\n")
    out.append_text(quote_check_detail(store, claim, styles))
    if claim.id in store.factcheck_match_map():
        from verifier.factchecks.library import matches_for

        for i, m in enumerate(matches_for(store, claim.id)[:3]):
            e = m.entry
            out.append("Checked  " if i == 0 else "         ", style=styles["label"])
            out.append(f"{m.score:.2f} ", style=styles["strong-bad"] if m.checked_before else styles["dim"])
            out.append(printable(" · ".join(x for x in (e.publisher, e.rating and f"rated {e.rating}", e.date,
                                                          e.claimant) if x)))
            if e.url:
                out.append(f"  {printable(e.url)}", style=styles["dim"])
            out.append("\n")
    if v.note:
        out.append("Note     ", style=styles["label"])
        lines = printable(v.note).splitlines() or [""]
        out.append(lines[0] + "\n")
        for line in lines[1:]:
            out.append("         " + line + "\n")
    for i, ev in enumerate(v.evidence, 1):
        out.append("Evidence " if i == 1 else "         ", style=styles["label"])
        out.append(f"{i}. {printable(ev)}\n")
    history = store.history_of(claim.id)
    if history:
        out.append("History  ", style=styles["label"])
        shown = history[-MAX_HISTORY:]
        if len(history) > len(shown):
            out.append(f"({len(history) - len(shown)} earlier) ", style=styles["dim"])
        parts = []
        for h in shown:
            old = (h.get("old") or {}).get("status", "unreviewed")
            new = (h.get("new") or {}).get("status", "unreviewed")
            what = f"{label(old)}→{label(new)}" if old != new else "note/evidence"
            parts.append(f"{printable(h.get('by') or '?')} {(h.get('at') or '')[5:16].replace('T', ' ')} {what}")
        out.append("; ".join(parts) + "\n", style=styles["dim"])
    cl = store.cluster(claim.cluster_id or "")
    if cl is not None and len(cl.claim_ids) > 1:
        out.append("Cluster  ", style=styles["label"])
        out.append(f"{len(cl.claim_ids)} claims")
        mine = conflicts_of(cl, claim.id) if conflicted is None or claim.id in conflicted else []
        if cl.conflicts:
            out.append(f"  {len(cl.conflicts)} conflict{'s' if len(cl.conflicts) != 1 else ''}",
                       style=styles["strong-bad"])
            if mine:
                out.append(f", {len(mine)} on this claim", style=styles["strong-bad"])
        out.append("\n")
    post = store.post(claim.post_id)
    if post is not None and post.edits:  # the post changed while followed (or re-ingested)
        from verifier.follow.changes import edit_line

        out.append("Post     ", style=styles["label"])
        out.append(printable(edit_line(post.edits[-1])))
        if len(post.edits) > 1:
            out.append(f"  ({len(post.edits) - 1} earlier edits)", style=styles["dim"])
        out.append("\n")
    out.rstrip()
    return out


def _s(styles: StyleMap, name: str) -> Style:
    s = styles[name]
    return s if isinstance(s, Style) else Style.parse(s)


def claim_body(store: Store, claim: Claim, styles: StyleMap = DEFAULT_STYLES,
               conflicted: frozenset[str] | None = None) -> tuple[Text, int]:
    """The post with the claim highlighted, then its cluster; and where the highlight starts."""
    out = Text()
    anchor = 0
    post = store.post(claim.post_id)
    status = store.status(claim.id)
    if post is not None:
        out.append(printable(post.headline or "(no headline)"), style=styles["heading"])
        out.append(f"\n{printable(post.published or post.timestamp_raw or '')}  {printable(post.byline or '')}\n\n",
                   style=styles["dim"])
        anchor = len(out) + len(printable(post.body[:claim.span[0]]))
        mark = Style.combine([_s(styles, "highlight"), _s(styles, status)])
        out.append_text(marked_body(post.body, [(claim.span[0], claim.span[1], mark)]))
        out.append("\n")
    out.append_text(cluster_detail(store, claim, styles, conflicted))
    return out, anchor


def claim_detail(store: Store, claim: Claim) -> tuple[Text, int]:
    """Header and body as one text (for plain use and tests)."""
    head = claim_header(store, claim)
    body, anchor = claim_body(store, claim)
    out = Text()
    out.append_text(head)
    out.append("\n\n")
    at = len(out)
    out.append_text(body)
    return out, at + anchor


QUOTE_STYLE = {"verbatim": "good", "minor": "good", "partial": "warn", "altered": "strong-bad",
               "not found": "strong-bad"}


def quote_check_detail(store: Store, claim: Claim, styles: StyleMap = DEFAULT_STYLES) -> Text:
    """The quote's alignment: class, where, and the words that differ or surround it."""
    out = Text()
    record = store.quote_check_record(claim.id)
    if claim.kind != "quote" or not record:
        return out
    from verifier.quotecheck.check import match_of, same_person  # the alignment code: when a check is shown

    m = match_of(record)
    out.append("Quote    ", style=styles["label"])
    out.append(m.status, style=styles[QUOTE_STYLE.get(m.status, "dim")])
    if not m.found:
        out.append(f"  in {record.get('references_searched', 0)} reference texts and "
                   f"{record.get('posts_searched', 0)} other posts (closest {m.score:.0f})\n", style=styles["dim"])
        return out
    kind = "reference" if (m.source or "").startswith("reference:") else "post"
    out.append(f"  score {m.score:.0f}, {kind} ")
    out.append(printable(m.label or ""), style=styles["italic"])
    out.append(f", line {m.line}\n")
    if m.speaker and claim.speaker and same_person(m.speaker, claim.speaker) is False:
        out.append("         the source gives these words to ", style=styles["strong-bad"])
        out.append(printable(m.speaker) + "\n", style=styles["strong-bad"])
    for d in m.diff:
        out.append("         ")
        if d["source"]:
            out.append(f"-{printable(d['source'])}", style=styles["bad"])
            out.append(" ")
        if d["quote"]:
            out.append(f"+{printable(d['quote'])}", style=styles["good"])
        out.append("\n")
    if m.status == "partial":
        out.append("         …" + printable(m.before[-100:]), style=styles["dim"])
        out.append(printable(m.matched or ""), style=styles["highlight"])
        out.append(printable(m.after[:100]) + "…\n", style=styles["dim"])
    return out


def marked_body(body: str, marks: list[tuple[int, int, Style | str]]) -> Text:
    """A post body with spans styled; each piece escaped on its own so spans stay aligned."""
    out = Text()
    at = 0
    for a, b, style in sorted(marks, key=lambda m: (m[0], m[1])):
        a = max(a, at)  # overlapping spans: the earlier one wins the overlap
        if b <= a:
            continue
        out.append(printable(body[at:a]))
        out.append(printable(body[a:b]), style=style)
        at = b
    out.append(printable(body[at:]))
    return out


def cluster_detail(store: Store, claim: Claim, styles: StyleMap = DEFAULT_STYLES,
                   conflicted: frozenset[str] | None = None) -> Text:
    """Other members with word diffs, those in a conflict with this claim first; at most
    MAX_MEMBERS of them, so a huge cluster costs no more than a small one."""
    out = Text()
    cl = store.cluster(claim.cluster_id or "")
    if cl is None or len(cl.claim_ids) < 2:
        return out
    out.append(f"\nCluster {cl.id}: {len(cl.claim_ids)} claims", style=styles["label"])
    if cl.conflicts:
        out.append(f"  {len(cl.conflicts)} conflict(s)", style=styles["strong-bad"])
    out.append("\n")
    mine = conflicts_of(cl, claim.id) if conflicted is None or claim.id in conflicted else []
    against = {x for c in mine for x in c.get("claims", ()) if x != claim.id}
    claims = store.claim_map()
    first = [x for x in cl.claim_ids if x in against and x in claims][:MAX_MEMBERS]
    rest = list(islice((x for x in cl.claim_ids if x != claim.id and x not in against and x in claims),
                       MAX_MEMBERS - len(first)))  # stop once the list is full
    shown = first + rest
    links = _links_of(cl) if len(cl.links) < 5000 else {}
    for oid in shown:
        other = claims[oid]
        post = store.post(other.post_id)
        link = links.get(frozenset((claim.id, other.id)))
        score = f"{link['score']:.0f}" if link else "--"
        out.append(f"- [{score}] ", style=styles["label"])
        out.append(printable((post.published or post.timestamp_raw or "") if post else ""), style=styles["dim"])
        out.append("  " + printable((post.headline or "")[:60] if post else "") + "\n", style=styles["dim"])
        for d in changed(word_diff(claim.text, other.text)):
            if d["old"]:
                out.append(f"  -{printable(d['old'])}", style=styles["bad"])
            if d["new"]:
                out.append(f"  +{printable(d['new'])}", style=styles["good"])
        out.append("\n")
    if len(cl.claim_ids) - 1 > len(shown):
        out.append(f"… and {len(cl.claim_ids) - 1 - len(shown)} more\n", style=styles["dim"])
    for c in mine[:MAX_MEMBERS]:
        out.append(f"! {c['type']}: ", style=styles["strong-bad"])
        if c["type"] == "figure":
            out.append(printable(f"{c['texts'][0]} vs {c['texts'][1]}"))
        elif c["type"] == "speaker":
            out.append(printable(f"{c['speakers'][0]} vs {c['speakers'][1]}"))
        elif c["type"] == "negation":
            out.append(printable(", ".join(c.get("words", []))))
        out.append("\n")
    return out
