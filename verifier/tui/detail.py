"""The detail pane's content: the claim inside its post, who said it, figures, verdict, cluster.

Built as rich Text objects, never markup strings: claim text comes from the
web and is shown literally.
"""

from __future__ import annotations

from rich.text import Text

from verifier.link.diff import changed, word_diff
from verifier.models import Claim
from verifier.quotecheck.check import match_of, same_person
from verifier.store.database import Store
from verifier.text import printable

STATUS_STYLE = {"unreviewed": "dim", "sourced": "green", "unverified": "yellow", "disputed": "red"}


def claim_detail(store: Store, claim: Claim) -> tuple[Text, int]:
    """The pane's text, and where in it the claim's highlight starts (to scroll it into view)."""
    out = Text()
    anchor = 0
    post = store.posts.get(claim.post_id)
    v = store.verdict(claim.id)
    out.append(f"{v.status.upper()}", style=f"bold {STATUS_STYLE[v.status]}")
    out.append(f"  {claim.kind}  check-worthiness {claim.checkworthiness:.2f}  id {claim.id}\n")
    if claim.speaker:
        out.append("Speaker  ", style="bold")
        out.append(printable(claim.speaker))
        if claim.role:
            out.append(f"  ({printable(claim.role)})", style="italic")
        out.append("\n")
    if claim.channel:
        out.append("Channel  ", style="bold")
        out.append(printable(claim.channel) + "\n")
    if claim.numbers:
        out.append("Figures  ", style="bold")
        out.append("; ".join(printable(f"{n['text']} = {n['value']:g} {n.get('unit') or ''}".strip())
                             for n in claim.numbers) + "\n")
    out.append_text(quote_check_detail(store, claim))
    if v.note:
        out.append("Note     ", style="bold")
        out.append(printable(v.note) + "\n")
    for ev in v.evidence:
        out.append("Evidence ", style="bold")
        out.append(printable(ev) + "\n")
    if post is not None:
        out.append("\n")
        out.append(printable(post.headline or "(no headline)"), style="bold underline")
        out.append(f"\n{printable(post.published or post.timestamp_raw or '')}  {printable(post.byline or '')}\n\n",
                   style="dim")
        anchor = len(out) + len(printable(post.body[:claim.span[0]]))
        out.append_text(marked_body(post.body, [(claim.span[0], claim.span[1], f"reverse {STATUS_STYLE[v.status]}")]))
        out.append("\n")
    out.append_text(cluster_detail(store, claim))
    return out, anchor


QUOTE_STYLE = {"verbatim": "bold green", "minor": "green", "partial": "yellow", "altered": "bold red",
               "not found": "bold magenta"}


def quote_check_detail(store: Store, claim: Claim) -> Text:
    """The quote's alignment: class, where, and the words that differ or surround it."""
    out = Text()
    record = store.quote_checks.get(claim.id)
    if claim.kind != "quote" or not record:
        return out
    m = match_of(record)
    out.append("Quote    ", style="bold")
    out.append(m.status, style=QUOTE_STYLE.get(m.status, ""))
    if not m.found:
        out.append(f"  in {record.get('references_searched', 0)} reference texts and "
                   f"{record.get('posts_searched', 0)} other posts (closest {m.score:.0f})\n", style="dim")
        return out
    kind = "reference" if (m.source or "").startswith("reference:") else "post"
    out.append(f"  score {m.score:.0f}, {kind} ")
    out.append(printable(m.label or ""), style="italic")
    out.append(f", line {m.line}\n")
    if m.speaker and claim.speaker and same_person(m.speaker, claim.speaker) is False:
        out.append("         the source gives these words to ", style="bold red")
        out.append(printable(m.speaker) + "\n", style="bold red")
    for d in m.diff:
        out.append("         ")
        if d["source"]:
            out.append(f"-{printable(d['source'])}", style="red")
            out.append(" ")
        if d["quote"]:
            out.append(f"+{printable(d['quote'])}", style="green")
        out.append("\n")
    if m.status == "partial":
        out.append("         …" + printable(m.before[-100:]), style="dim")
        out.append(printable(m.matched or ""), style="reverse")
        out.append(printable(m.after[:100]) + "…\n", style="dim")
    return out


def marked_body(body: str, marks: list[tuple[int, int, str]]) -> Text:
    """A post body with spans styled; each piece escaped on its own so spans stay aligned."""
    out = Text()
    at = 0
    for a, b, style in sorted(marks):
        a = max(a, at)  # overlapping spans: the earlier one wins the overlap
        if b <= a:
            continue
        out.append(printable(body[at:a]))
        out.append(printable(body[a:b]), style=style)
        at = b
    out.append(printable(body[at:]))
    return out


def cluster_detail(store: Store, claim: Claim) -> Text:
    out = Text()
    cl = store.clusters.get(claim.cluster_id or "")
    if cl is None:
        return out
    out.append(f"\nCluster {cl.id}: {len(cl.claim_ids)} claims", style="bold")
    if cl.conflicts:
        out.append(f"  {len(cl.conflicts)} conflict(s)", style="bold red")
    out.append("\n")
    links = {frozenset((l["a"], l["b"])): l for l in cl.links}
    others = [store.claims[c] for c in cl.claim_ids if c != claim.id and c in store.claims]
    others.sort(key=lambda o: not any(claim.id in x["claims"] and o.id in x["claims"] for x in cl.conflicts))
    for other in others:
        post = store.posts.get(other.post_id)
        link = links.get(frozenset((claim.id, other.id)))
        score = f"{link['score']:.0f}" if link else "--"
        out.append(f"- [{score}] ", style="bold")
        out.append(printable((post.published or post.timestamp_raw or "") if post else ""), style="dim")
        out.append("  " + printable((post.headline or "")[:60] if post else "") + "\n", style="dim")
        for d in changed(word_diff(claim.text, other.text)):
            if d["old"]:
                out.append(f"  -{printable(d['old'])}", style="red")
            if d["new"]:
                out.append(f"  +{printable(d['new'])}", style="green")
        out.append("\n")
    for c in cl.conflicts:
        if claim.id in c.get("claims", []):
            out.append(f"! {c['type']}: ", style="bold red")
            if c["type"] == "figure":
                out.append(printable(f"{c['texts'][0]} vs {c['texts'][1]}"))
            elif c["type"] == "speaker":
                out.append(printable(f"{c['speakers'][0]} vs {c['speakers'][1]}"))
            elif c["type"] == "negation":
                out.append(printable(", ".join(c.get("words", []))))
            out.append("\n")
    return out
