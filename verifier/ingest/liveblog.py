"""Live-blog text as copied from a live-blog page, whatever the outlet's house style.

Posts are found from the page's own structure, in the first of these forms the
page shows:

* a stamp on its own line before each post (``14:32 GMT``, ``2:15 p.m. ET, May 4,
  2023``, ``3 min ago``, ``published at 19:01 Greenwich Mean Time 29 March``),
  then an optional headline, an optional byline and the paragraphs;
* a date opening each headline (``Nov. 17, 2014; Surgeon with Ebola has died``);
* headlines only: a short title-like line between paragraphs starts a post, and a
  byline line ending in a stamp (``by X edited by Y 5/21/2022 9:38:14 AM``) closes
  the post above it and dates it.

The header (title, standfirst, bylines, "Updated …"/"Published …" lines, post
counts) is read before the first post; untimed summary blocks ("Summary", "What
we know", "Key points", "What we covered here", or the header's own paragraphs)
become a summary post. Page furniture (captions and their credits, labels such
as "Key Post", share buttons, video lines, bylines, bare URLs) is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.ingest import timestamps
from verifier.ingest.document import RawDocument, RawPost
from verifier.ingest.timestamps import Stamp

UPDATED = re.compile(
    r"^(?:(?:last |first )?(?:updated|published|posted|modified))\b(?:\s+on|\s+at)?[:\s]*(?P<stamp>.*)$",
    re.IGNORECASE)
POST_COUNT = re.compile(r"^\d+\s+(?:new\s+)?(?:posts?|updates?)$", re.IGNORECASE)
BYLINE = re.compile(
    r"^(?:from|by|reporting by|written by|posted by|edited by|compiled by|words by)\s+\S", re.IGNORECASE)
BULLET = re.compile(r"^\s*[•●▪◦‣·*–-]\s+")
SUMMARY_HEADING = re.compile(
    r"^(?:summary|the summary|in summary|what we know(?: so far)?|what we know now|what you need to know|"
    r"what to know|key points|key developments|key events|what we covered here|catch up|catch-up|"
    r"latest developments|recap|the key points|at a glance)"
    r"(?:\s*(?:so far|today|now|this morning|this afternoon|this evening|tonight))?\s*[:.]?$",
    re.IGNORECASE,
)
# Labels a live-blog page prints above a post: they mark the next line as a headline.
LABEL = re.compile(
    r"^(?:key post|key event|key update|pinned|pinned post|breaking|breaking news|important|result|results|"
    r"post update|update|new|just in|developing|latest|highlight|top post|featured)$",
    re.IGNORECASE,
)
# Lines that say "the posts start here".
LIVE_MARKER = re.compile(
    r"^(?:live|live blog|live updates?|live coverage|live reporting|live feed|latest updates|all updates|"
    r"key events|show key events only|timeline|live blog updates|live news)$",
    re.IGNORECASE,
)
_CREDIT_WORDS = (r"getty images?|reuters|ap|afp|ap photo|pa|pa media|pa wire|epa|epa-efe|cnn|bbc|bloomberg|"
                 r"shutterstock|anadolu agency|anadolu|nurphoto|sipa|xinhua|tass|ria novosti|handout|"
                 r"supplied|courtesy|facebook|telegram|twitter|x|instagram|youtube|social media|file")
_FURNITURE_ANYCASE = (
    r"^sort by.*$",
    r"^(?:newest|oldest|latest)(?: first)?$",
    r"^want to help\?.*$",
    r"^(?:sign up|subscribe)\b.{0,120}$",
    # "Watch:", "Hear more:", "Read more: …", "Related: …"
    r"^(?:watch|listen|hear more|watch more|read more|related|see more|more)\s*(?::.{0,80})?$",
    # buttons
    # embeds and their consent lines
    r"^(?:skip|end of) (?:twitter|x|facebook|instagram|youtube|tiktok|bluesky) (?:post|content|video)\b.{0,80}$",
    r"^allow (?:twitter|x|facebook|instagram|youtube|tiktok|bluesky) content\?.{0,300}$",
    r"^this (?:article|post|page) contains content provided by .{0,300}$",
    r"^.{0,30}is not responsible for the content of external sites\.?$",
    r"^(?:accept and continue|media playback is (?:unsupported|not supported) on your device|"
    r"your device may not support this video|this video can not be played|content is not available)\.?$",
    r"^(?:link copied!?|copy (?:this )?link(?: to (?:this )?post)?|share(?: this(?: post| page| article)?| on \w+)?|"
    r"facebook|twitter|whatsapp|email|print|comments?|skip to .{0,40})$",
    r"^\d+\s?comments?$",
    r"^(?:got a tv licen[cs]e\?|you need one to watch live tv\b.{0,120}|i don['’]t have a tv licen[cs]e\.?|"
    r"find out more\.?)$",
    r"^(?:[\w-]+\s){0,3}(?:reporter|correspondent|editor|producer|journalist|presenter)s?\s+reporting from\s.{1,60}$",
    r"^(?:stay up to date with (?:notifications|alerts)|notifications can be managed|turn on notifications|"
    r"allow notifications|not now|yes please|follow (?:the latest|our live|all the latest|live)\b).{0,80}$",
    r"^(?:advertisement|ad feedback|paid content|show all|show more|load more|loading|"
    r"see all updates|back to top|scroll to top|more from .{1,40}|all times (?:stated )?(?:are|in) .{1,20}|"
    r"get involved|show latest updates?|new updates?|refresh|auto[- ]?update(?: on| off)?|follow|"
    r"view (?:all|more)(?: updates| posts)?|jump to .{1,40}|please (?:turn on|enable) javascript.{0,80})\.?$",
    # captions and credits: "Image caption, …", "Media caption, …", "Image source, Reuters"
    r"^(?:image|media|video|photo|picture) (?:caption|source|credit)s?\s*[,:].*$",
    r"^(?:image|photo|picture|video|graphic|gallery|audio)\s*:.{0,300}$",
    r"^\(?(?:photo|image|video|pictured|credit)s?\s*(?:by|:|credit).{0,160}$",
    r"^credit\b.{0,160}$",
    r"^(?:image|photo|picture|video|audio|graphic|gallery|embed)$",
    r"^(?:play|watch) (?:video|now)\b.{0,120}$",
    r"^video\b.{0,80}$",
    r"^duration\s*[:\d].{0,20}$",
    r"^.{0,120}(?:/|\|)\s*(?:" + _CREDIT_WORDS + r")\)?$",
    r"^.{0,60}\b(?:getty images|ap photo|afp via getty images|reuters)\)?$",
    r"^(?:" + _CREDIT_WORDS + r")$",
    # bylines' role lines: "Live reporter", "Political correspondent in Kyiv"
    r"^(?:(?:live|political|senior|chief|special|foreign|our|economics|business|health|"
    r"home affairs|security|diplomatic|international|north america|europe|world|us|uk)\s+){0,3}"
    r"(?:reporters?|correspondents?|editors?|producers?|journalists?|presenters?|writers?|"
    r"analysts?|team)(?:\s+(?:in|at)\s+\w[\w ]{1,30})?$",
    r"^reporting from\s.{1,60}$",
    # bare URLs, and a short lead-in before one ("Full story here: https://…")
    r"^(?:.{0,40}:\s*)?(?:https?://|www\.)\S+$",
    # "Read the full story here", "Read more from The Example Journal."
    r"^read (?:the )?(?:full|more|whole)\b.{0,60}$",
    r"^(?:you can )?(?:read|find out|see|learn) more\b.{0,80}\bhere\.?$",
    r"^(?:click|tap) here\b.{0,80}$",
    # a video line: title, date and duration run together ("…deathApril 20, 202105:05")
    r"^.{5,200}(?:19|20)\d{2}\s?\d{1,2}:\d{2}$",
)
# Patterns where capitals matter (names and outlets).
_FURNITURE_CASED = (
    # a caption whose credit is glued after its last sentence: "… 2021.Jane Roe / Reuters"
    r"^.{20,400}[.!?\"”]\s?[A-Z][\w.'’ -]{1,40}\s?/\s?[A-Z][\w&.'’ -]{1,30}$",
    # "ABC News: Jane Roe", "Example Herald: Lee Roe" photo credits, a bare outlet name
    r"^(?:[A-Z][\w&.]*\s){0,2}(?:News|Images?|Photos?|Pictures?|Media)\s?:\s?(?:[A-Z][\w.'’-]+\s?){1,4}$",
    r"^(?=.{0,50}$)(?:[A-Z][\w&.]*\s?){1,3}:\s?[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,2}$",
    r"^(?:[A-Z][\w&.]*\s){0,2}(?:News|Images|Media|Photos?)$",
    # "Jane Roe, political correspondent", "Tom Sample, Live reporter"
    r"^(?=.{0,90}$)(?:[A-Z][\w.'’-]+\s){1,3}[A-Z][\w.'’-]+,?\s+(?:(?:[Ll]ive|[Pp]olitical|[Ss]enior|[Cc]hief|"
    r"[Ss]pecial|[Ff]oreign|[Ee]conomics|[Bb]usiness|[Hh]ealth|[Dd]iplomatic|[Ii]nternational|[A-Z][a-z]+)\s+){0,3}"
    r"(?:[Rr]eporter|[Cc]orrespondent|[Ee]ditor|[Pp]roducer|[Jj]ournalist|[Pp]resenter)(?:\s+(?:in|at)\s+[A-Z][\w ]{1,30})?$",
)
FURNITURE = [re.compile(p, re.IGNORECASE) for p in _FURNITURE_ANYCASE] + [re.compile(p) for p in _FURNITURE_CASED]
_ANY_FURNITURE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE_ANYCASE), re.IGNORECASE)
_CASED_FURNITURE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE_CASED))
# Photo credits in parentheses closing a caption: "(WTOP/Jane Roe)", "(Example Plant NPP)", "(…/Facebook)".
_PAREN_CREDIT = re.compile(r"\((?P<c>[^()]{2,60})\)$")
_CREDIT_HINT = re.compile(r"/|\b(?:photo|getty|reuters|ap|afp|epa|handout|courtesy|facebook|telegram|twitter|"
                          r"instagram|supplied|file|via)\b", re.IGNORECASE)

_TERMINAL = (".", "!", "?", ":", ";", ",", "\"", "”", "’", "'", ")", "]", "…")
_FUNCTION_END = re.compile(
    r"\b(?:a|an|the|and|or|but|of|to|in|on|at|by|for|with|from|that|which|who|was|were|is|are|be|been|"
    r"has|have|had|as|his|her|its|their|this|these|those|into|than|not)$", re.IGNORECASE)
_ABBREV_END = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|Gov|Sen|Rep|Gen|Lt|Col|Capt|Prof|Sgt|Rev|Mt|No|Jr|Sr|Va|Md|"
                         r"Ft|Pres|Supt|Insp|Cmdr|Adm|Maj)\.$")


def _is_credit_caption(line: str) -> bool:
    m = _PAREN_CREDIT.search(line)
    if not m or m.start() == 0:
        return False
    credit = m["c"].strip()
    if _CREDIT_HINT.search(credit):
        return True
    words = credit.split()
    return 1 <= len(words) <= 5 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def _is_furniture(line: str) -> bool:
    if len(line) > 500:  # furniture is short; a long line is prose
        return False
    return (bool(POST_COUNT.match(line)) or bool(LIVE_MARKER.match(line))
            or bool(_ANY_FURNITURE.match(line)) or bool(_CASED_FURNITURE.match(line))
            or _is_credit_caption(line))


def _time_like(line: str) -> bool:
    """A short line that looks like a time stamp, recognised or not."""
    return len(line) < 60 and bool(re.search(
        r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s?[ap]\.?m\b|\bago\b|\bjust now\b", line, re.IGNORECASE))


# ---------------------------------------------------------------- lines → units


def _is_wrap(prev: str, nxt: str, open_end: bool = False) -> bool:
    """A hard line break inside a sentence (``open_end``: the line ended in a space)."""
    if not prev or not nxt:
        return False
    if _ABBREV_END.search(prev):
        return True
    if prev.endswith(_TERMINAL):
        return False
    return nxt[:1].islower() or open_end or bool(_FUNCTION_END.search(prev)) or prev.endswith(",")


def _units(text: str) -> list[str]:
    """The text's paragraphs: one per line, hard-wrapped sentences joined again.

    When blank lines separate paragraphs, a block whose lines break inside
    sentences is one paragraph (a short title-like first line stays apart);
    without blank lines only clear wraps are joined."""
    blocks: list[list[tuple[str, bool]]] = []  # (line, ended in a space)
    cur: list[tuple[str, bool]] = []
    for ln in text.replace("\t", "    ").split("\n"):
        if ln.strip():
            cur.append((re.sub(r"\s+", " ", ln.strip()), ln.endswith((" ", "\xa0"))))
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    blank_separated = len(blocks) > 2
    out: list[str] = []
    for block in blocks:
        wrapped = blank_separated and len(block) > 1 and any(
            _is_wrap(a, b, sp) and not _is_furniture(a) for (a, sp), (b, _) in zip(block, block[1:]))
        width = max(len(ln) for ln, _ in block)
        para, open_end = block[0]
        for ln, sp in block[1:]:
            if wrapped:
                join = not (para.endswith((".", "!", "?", "\"", "”")) and not _ABBREV_END.search(para))
                if join and not _is_wrap(para, ln, open_end) and len(para) < 0.6 * width and ln[:1].isupper():
                    join = False  # a title above a wrapped paragraph
            else:  # one paragraph a line: only a line going on in lower case continues a sentence
                join = (ln[:1].islower() and not para.endswith(_TERMINAL) and not _is_furniture(para)
                        and timestamps.parse_stamp(para) is None)
            if join and not BULLET.match(ln):
                para = f"{para} {ln}"
            else:
                out.append(para)
                para = ln
            open_end = sp
        out.append(para)
    return out


# ---------------------------------------------------------------- unit kinds


@dataclass
class _Unit:
    text: str
    kind: str  # stamp, datehead, after, date, label, summary, furniture, byline, text
    stamp: Stamp | None = None
    bullet: bool = False
    author: str | None = None  # a name printed on the stamp's line


HEADER_TIME = re.compile(
    r"^(?:(?:last |first )?(?:updated|modified)\b|(?:first )?published\b(?!\s+at\b)|last updated\b)",
    re.IGNORECASE)


def _classify(line: str) -> _Unit:
    u = _classify_bare(BULLET.sub("", line).strip())
    u.bullet = bool(BULLET.match(line))
    return u


_PAGE_STATE = re.compile(r"^(?:live\s*updated|as it happened\s*ended|ended|live)\s*(?P<t>\d{10}|\d{13})?$", re.I)


def _classify_bare(bare: str) -> _Unit:
    if LABEL.match(bare.rstrip(":")):
        return _Unit(bare, "label")
    state = _PAGE_STATE.match(bare)
    if state and (state["t"] or bare.lower() != "live"):
        # "Liveupdated", "As it happenedended1602188050": the page's state and time
        return _Unit(bare, "updated", timestamps.parse_stamp(state["t"]) if state["t"] else None)
    m = UPDATED.match(bare)
    if m and HEADER_TIME.match(bare) and (
            not m["stamp"].strip() or timestamps.parse_stamp(m["stamp"]) is not None
            or (len(bare) < 90 and re.search(r"\d", bare) and not bare.endswith("."))):
        # an "Updated" line is the page's, never content, even in a form not read
        return _Unit(bare, "updated", timestamps.parse_stamp(m["stamp"]) if m["stamp"].strip() else None)
    stamp = timestamps.parse_stamp(bare)
    if stamp is not None:
        return _Unit(bare, "stamp" if stamp.has_time else "date", stamp)
    named = timestamps.split_stamp_and_name(bare)
    if named is not None and not _is_furniture(bare):
        return _Unit(named[0].raw, "stamp", named[0], author=named[1])
    trailing = timestamps.split_trailing_stamp(bare)
    if trailing is not None:
        return _Unit(trailing[0], "after", trailing[1])
    lead = timestamps.split_leading_date(bare)
    if lead is not None and len(bare) <= 200 and not bare.endswith((".", ",", ";")):
        return _Unit(bare, "datehead", lead[0])
    if BYLINE.match(bare) and len(bare) < 160 and not bare.endswith((".", "?", "!")):
        return _Unit(bare, "byline")
    if _is_furniture(bare):
        return _Unit(bare, "furniture")
    if SUMMARY_HEADING.match(bare) and not bare.endswith(":"):
        return _Unit(bare.rstrip("."), "summary")
    return _Unit(bare, "text")


def _headline_like(text: str, strict: bool = False) -> bool:
    """A title: short, no sentence-final full stop, starts like a title. Strict (no stamp
    marks the post): no exclamation mark either, and not a quotation closing a sentence."""
    if not text or len(text) > 160 or len(text.split()) > 28:
        return False
    end = text.rstrip("\"”’' ")
    if end.endswith((".", ",", ";", ":", "…")) or (strict and end.endswith("!")):
        return False
    if strict and text[:1] in "\"“" and text.rstrip()[-1:] in "\"”" and end[-1:] in ".,!?":
        return False
    first = text[:1]
    return first.isupper() or first.isdigit() or first in "\"'“‘£$€"


_STOP = frozenset("""a an the and or but of to in on at by for with from that this is are was were be been
has have had as it its into than not will would can could says said say after before over under about""".split())


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9'’-]+", text.lower()) if w not in _STOP and len(w) > 2}


# ---------------------------------------------------------------- header


def _split_title(line: str) -> tuple[str | None, list[str]]:
    """'Title By A, B and C, CNN' → ('Title', ['A', 'B', 'C', 'CNN'])."""
    m = re.search(r"(?:^|\s)By\s+(.+)$", line)
    if not m:
        return line.strip() or None, []
    title = line[: m.start()].strip() or None
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+", m.group(1)) if n.strip()]
    return title, names


_ROLE = (r"(?:(?:live|political|senior|chief|special|foreign|local|democracy|economics|business|health|"
         r"diplomatic|international|community|court|crime|education|environment|science|staff|"
         r"investigative|digital|breaking news)\s+){0,3}"
         r"(?:reporter|correspondent|editor|producer|journalist|presenter|writer|analyst)")


def _clean_byline(text: str) -> str:
    """'By local reporter Lee Roe' → 'Lee Roe'; 'Ann Example, senior correspondent' → 'Ann Example'."""
    text = re.sub(r"^(?:from|by|reporting by|written by|posted by)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(rf"^{_ROLE}\s+(?=[A-Z])", "", text, flags=re.IGNORECASE)
    text = re.sub(rf",\s*{_ROLE}(?:\s+(?:in|at)\s+.{{1,40}})?$", "", text, flags=re.IGNORECASE)
    return text.strip()


def _byline_names(line: str) -> list[str]:
    rest = _clean_byline(re.sub(r"^(?:edited by|compiled by|words by)\s+", "", line, flags=re.IGNORECASE))
    return [n.strip() for n in re.split(r",\s*|\s+and\s+", rest) if n.strip()]


@dataclass
class _Header:
    title: str | None = None
    bylines: list[str] | None = None
    updated: Stamp | None = None
    published: Stamp | None = None
    saw_updated_line: bool = False
    description: str | None = None
    summary: list[RawPost] | None = None


def _read_header(units: list[_Unit]) -> _Header:
    h = _Header(bylines=[], summary=[])
    prose: list[str] = []
    heading: str | None = None
    after_meta = False  # a byline, caption or Updated line seen since the title
    for u in units:
        text = u.text
        if u.kind == "updated":
            h.saw_updated_line = True
            stamp = u.stamp
            if stamp is not None and stamp.ago is None:
                if text.lower().startswith(("updated", "last updated", "modified", "last modified")):
                    h.updated = h.updated or stamp
                else:
                    h.published = h.published or stamp
            after_meta = h.title is not None
            continue
        if u.kind in ("stamp", "date") and h.title is not None:
            # "Updated" printed on a line of its own above the time
            if u.stamp is not None and u.stamp.ago is None and h.updated is None:
                h.updated = u.stamp
            after_meta = h.title is not None
            continue
        if h.title is None and u.kind not in ("furniture", "label", "byline"):
            h.title, names = _split_title(text)
            h.bylines.extend(names)  # type: ignore[union-attr]
            continue
        if text == h.title:
            continue
        if u.kind == "byline":
            h.bylines.extend(n for n in _byline_names(text) if n not in h.bylines)  # type: ignore[union-attr]
            after_meta = h.title is not None
            continue
        if u.kind in ("furniture", "label"):
            after_meta = h.title is not None
            continue
        if u.kind == "summary":
            if prose or heading is not None:
                h.summary.append(_summary_post(heading, prose))  # type: ignore[union-attr]
            heading, prose = u.text, []
            continue
        # an author's name printed alone above "By <name>"
        if re.fullmatch(r"(?:[A-Z][\w.'’-]+\s){1,3}[A-Z][\w.'’-]+", text) and any(
                v.kind == "byline" and text in v.text for v in units):
            continue
        if h.description is None and heading is None and not prose and not after_meta:
            h.description = text
            continue
        prose.append(text)
    if prose or heading is not None:
        if prose:
            h.summary.append(_summary_post(heading, prose))  # type: ignore[union-attr]
    return h


def _summary_post(heading: str | None, lines: list[str]) -> RawPost:
    paras = [BULLET.sub("", p) for p in lines]
    return RawPost(headline=heading, paragraphs=paras, is_summary=True)


# ---------------------------------------------------------------- posts


@dataclass
class _Draft:
    stamp: Stamp | None
    raw_stamp: str | None
    units: list[_Unit]
    labelled: bool = False
    headline: str | None = None
    byline: str | None = None
    after_byline: str | None = None
    context: bool = False  # a day divider: dates the posts under it, is not a post


def _drop_repeats(units: list[_Unit]) -> list[_Unit]:
    """Captions are copied twice (alt text and caption, sometimes the second with its
    credit): both copies are furniture. The page title printed twice stays once."""
    out: list[_Unit] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1].kind in ("text", "furniture") and units[i].kind == "text" and (
                units[j + 1].text == units[i].text
                or (len(units[i].text) > 30 and units[j + 1].text.startswith(units[i].text))):
            j += 1
        if j == i or not out:
            out.append(units[i])
        i = j + 1
    return out


def _finish_draft(d: _Draft, stamped_before: bool) -> list[RawPost]:
    """Headline, byline and paragraphs of one post (plus a summary block in its tail)."""
    # "Jane Roe" over "Political correspondent reporting from Kyiv" (or "BBC News"): the post's byline
    for k, u in enumerate(d.units[:4]):
        if u.kind == "text":
            if (d.byline is None and _NAME_LINE.fullmatch(u.text) and k + 1 < len(d.units)
                    and d.units[k + 1].kind == "furniture" and _ROLE_LINE.search(d.units[k + 1].text)):
                d.byline, u.kind = u.text, "furniture"
            break
    units = [u for u in d.units if u.kind not in ("furniture", "updated", "date")]
    if units and units[0].kind == "label":
        d.labelled = True
    units = [u for u in units if u.kind != "label"]
    headline = d.headline
    if headline is None and units and units[0].kind in ("text", "summary", "datehead"):
        first = units[0].text
        follows_byline = len(units) > 1 and units[1].kind == "byline"
        if follows_byline or _headline_like(first) or (not stamped_before and d.labelled):
            headline = first
            units = units[1:]
    byline = d.byline
    paras: list[str] = []
    tail: list[RawPost] = []
    summary_at: int | None = None
    for k, u in enumerate(units):
        if u.kind == "byline" and byline is None and not paras:
            byline = _clean_byline(u.text)
            continue
        if u.kind == "byline" and not paras:
            continue
        if u.kind == "summary" and paras and not u.text.endswith("."):
            summary_at = k
            break
        if u.kind in ("after",):
            continue
        paras.append(u.text)
    if summary_at is not None:
        rest = [u.text for u in units[summary_at + 1:] if u.kind not in ("byline", "after")]
        if rest:
            tail.append(_summary_post(units[summary_at].text, rest))
    if not paras and headline is None:
        return tail
    if byline is None and d.after_byline:
        byline = d.after_byline
    summary = headline is not None and d.stamp is None and bool(SUMMARY_HEADING.match(headline))
    post = RawPost(headline=headline, paragraphs=paras, byline=byline, timestamp_raw=d.raw_stamp,
                   is_summary=summary)
    return [post] + tail


def _headline_starts(units: list[_Unit], start: int) -> list[int]:
    """Where posts start on a page whose posts carry headlines but no stamp before them:
    a title-like line after the end of a paragraph, a label or a stamp line, followed by prose."""
    starts: list[int] = []
    prev = "start"
    for i in range(start, len(units)):
        u = units[i]
        if u.kind in ("furniture", "updated", "date"):
            continue
        if u.kind in ("label", "after", "byline"):
            prev = u.kind
            continue
        if (u.kind in ("text", "summary") and not u.bullet and _headline_like(u.text, strict=True)
                and prev in ("start", "label", "after", "para_end")):
            nxt = next((v for v in units[i + 1:] if v.kind not in ("furniture",)), None)
            if nxt is not None and nxt.kind in ("text", "byline") and not nxt.bullet:
                starts.append(i)
                prev = "headline"
                continue
        ends = u.text.endswith(_TERMINAL) and not u.text.endswith((":", ","))
        prev = "para_end" if ends else "para_open"
    return starts


def _keep_post(headline: str, body: list[_Unit], labelled: bool) -> bool:
    """A headline with one line under it that shares none of its words and has no byline,
    label or stamp is a caption (a photo or video title and its description), not a post."""
    content = [u for u in body if u.kind == "text"]
    if labelled or any(u.kind in ("byline", "after") for u in body) or len(content) >= 2:
        return True
    if not content:
        return False
    return bool(_content_words(headline) & _content_words(content[0].text))


def parse(text: str, path: str) -> RawDocument:
    units = _drop_repeats([_classify(ln) for ln in _units(text)])
    kinds = [u.kind for u in units]
    n_stamp, n_datehead, n_after = kinds.count("stamp"), kinds.count("datehead"), kinds.count("after")

    for i in range(len(units) - 1):
        # "Updated" on a line of its own, its time on the next
        if units[i].kind == "updated" and units[i].stamp is None and units[i + 1].kind in ("stamp", "date"):
            units[i + 1].kind = kinds[i + 1] = "updated"
    _page_byline_and_time(units, kinds)
    n_stamp = kinds.count("stamp")
    drafts: list[_Draft] = []
    header_end: int
    stamped_before = False
    numbered = _numbered_starts(units)
    if len(numbered) >= 2 and n_stamp < len(numbered):
        # posts printed as a numbered list ("1. Headline", "2. Headline", …): the numbers delimit them
        header_end = numbered[0][0]
        starts = {i: head for i, head in numbered}
        for i in range(header_end, len(units)):
            u = units[i]
            if i in starts:
                drafts.append(_Draft(None, None, [], headline=starts[i]))
            elif u.kind == "stamp" and drafts[-1].stamp is None and not any(
                    v.kind == "text" for v in drafts[-1].units):
                drafts[-1].stamp, drafts[-1].raw_stamp = u.stamp, u.text
            else:
                drafts[-1].units.append(u)
    elif n_stamp >= 2 or (n_stamp >= 1 and n_datehead == 0 and n_after == 0):
        stamped_before = True
        first = kinds.index("stamp")
        # a stamp right under the title may be the page's "Updated" time printed alone
        header_end = first
        for i in range(first, len(units)):
            u = units[i]
            if u.kind == "stamp":
                drafts.append(_Draft(u.stamp, u.text, [], byline=u.author))
            elif u.kind == "date" and (i + 1 < len(units) and units[i + 1].kind == "stamp"):
                # a day divider ("Saturday 5 March 2022") above the next posts: their date
                drafts.append(_Draft(u.stamp, u.text, [], context=True))
            elif drafts:
                drafts[-1].units.append(u)
    elif n_datehead >= 2:
        header_end = kinds.index("datehead")
        for i in range(header_end, len(units)):
            u = units[i]
            if u.kind == "datehead":
                drafts.append(_Draft(u.stamp, u.stamp.raw if u.stamp else None, [], headline=u.text))
            elif drafts:
                drafts[-1].units.append(u)
    else:
        header_end = _body_start(units)
        starts = _headline_starts(units, header_end or 1)
        if header_end == 0:
            header_end = starts[0] if starts else len(units)
        pending_label = False
        cur: _Draft | None = None
        start_set = set(starts)
        for i in range(header_end, len(units)):
            u = units[i]
            if i in start_set:
                if cur is not None and not cur.units and cur.headline is None:
                    drafts.remove(cur)
                cur = _Draft(None, None, [], labelled=pending_label, headline=u.text)
                drafts.append(cur)
                pending_label = False
                continue
            if u.kind == "label":
                pending_label = True
                continue
            if cur is None:
                cur = _Draft(None, None, [])
                drafts.append(cur)
            cur.units.append(u)
            if u.kind == "after":
                cur.stamp, cur.raw_stamp = u.stamp, u.stamp.raw if u.stamp else None
                names = _byline_names(re.split(r"\s+(?:edited|updated|posted)\s+by\s+", u.text, flags=re.I)[0])
                cur.after_byline = ", ".join(names) or None
                cur = None  # a stamp printed after a post closes it
        # a title and one unrelated line between posts is a photo or video caption: furniture
        kept: list[_Draft] = []
        for d in drafts:
            if d.headline is not None and kept and not _keep_post(d.headline, d.units, d.labelled):
                kept[-1].units.extend(u for u in d.units if u.kind != "text")
                if d.stamp is not None:
                    kept[-1].stamp, kept[-1].raw_stamp = d.stamp, d.raw_stamp
            else:
                kept.append(d)
        drafts = kept

    header = _read_header(units[:header_end])
    posts: list[RawPost] = list(header.summary or [])
    made: list[tuple[RawPost | None, Stamp | None]] = []
    for d in drafts:
        if d.context:
            made.append((None, d.stamp))
            continue
        for k, p in enumerate(_finish_draft(d, stamped_before)):
            made.append((p, d.stamp if k == 0 and not p.is_summary else None))
            posts.append(p)

    # times: missing year/day from the header and the neighbours, zones kept
    stamped = [(p, s) for p, s in made if s is not None]
    head_stamp = header.updated or header.published
    full = [timestamps.to_datetime(s) for _, s in stamped if s.ago is None]
    full = [f for f in full if f is not None]
    head_dt = timestamps.to_datetime(head_stamp) if head_stamp is not None else None
    if head_dt is not None and full and all(
            (f.replace(tzinfo=None) - head_dt.replace(tzinfo=None)).days >= 2 for f in full):
        head_stamp = None  # an "Updated" line older than every post is not the blog's time
    times = timestamps.resolve_page([s for _, s in stamped], head_stamp)
    for (p, s), when in zip(stamped, times):
        if p is None:
            continue
        p.published = when
        p.timestamp_raw = p.timestamp_raw or s.raw
    updated = None
    if head_stamp is not None:
        upd = timestamps.resolve_page([head_stamp], None)[0]
        updated = upd if upd and "T" in upd else None

    return RawDocument(
        kind="liveblog",
        path=path,
        posts=[p for p in posts if p.paragraphs or p.headline],
        title=header.title,
        bylines=header.bylines or [],
        updated=updated,
        description=header.description,
    )


_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")


def _numbered_starts(units: list[_Unit]) -> list[tuple[int, str]]:
    """(index, headline) of posts printed as one numbered list running through the page:
    title-like items numbered n, n+1, n+2 … (lists inside posts restart, so they do not qualify)."""
    items = []
    for i, u in enumerate(units):
        m = _NUMBERED.match(u.text) if u.kind in ("text", "summary") and not u.bullet else None
        if m and _headline_like(m[2].strip()):  # a list inside a post holds sentences
            items.append((i, int(m[1]), m[2].strip()))
    if len(items) < 2 or any(b[1] != a[1] + 1 for a, b in zip(items, items[1:])):
        return []
    return [(i, head) for i, _, head in items]


_ROLE_LINE = re.compile(r"\b(?:reporter|correspondent|editor|producer|journalist|presenter|reporting from)\b|"
                        r"^(?:[A-Z][\w&.]*\s){0,2}News$", re.IGNORECASE)
_NAME_LINE = re.compile(r"(?:[A-Z][\w.'’-]+\s){1,3}[A-Z][\w.'’-]+")


def _page_byline_and_time(units: list[_Unit], kinds: list[str]) -> None:
    """An author's name alone above a full date and time, before any post: the page's byline and
    time (not the first post's stamp) when posts are stamped after it."""
    first = next((i for i, k in enumerate(kinds) if k == "stamp"), None)
    if first is None or first == 0 or kinds.count("stamp") < 3:
        return
    u, name = units[first], units[first - 1]
    others = [v.stamp for v in units[first + 1:] if v.kind == "stamp" and v.stamp is not None]
    if any(o.ago is None and o.year is not None for o in others):
        return  # the posts' stamps are dated like this one: it is the first post's
    if (u.stamp is not None and u.stamp.has_date and u.stamp.hour is not None and u.stamp.ago is None
            and name.kind == "text" and _NAME_LINE.fullmatch(name.text)):
        u.kind = kinds[first] = "updated"
        name.text, name.kind = "By " + name.text, "byline"
        kinds[first - 1] = "byline"


def _body_start(units: list[_Unit]) -> int:
    """Where the posts of a stamp-less page start: after a "Live" marker line, else at
    the first label; 0 when the page shows neither (the posts start at the first headline)."""
    limit = max(1, int(len(units) * 0.6))
    for i, u in enumerate(units[:limit]):
        if u.kind == "furniture" and LIVE_MARKER.match(u.text):
            i += 1
            while i < len(units) and units[i].kind in ("byline", "furniture", "updated", "label"):
                i += 1  # the marker's own lines: "Edited by …", "All times stated are UK"
            return i
    for i, u in enumerate(units):
        if u.kind == "label":
            return i
    return 0


_LIVE_TITLE = re.compile(
    r"\blive\s*(?:updates?|blog|coverage|reporting|news|text|feed)\b|\blive\s*[:|–—-]|[:|–—-]\s*live\b|"
    r"\blive\s*$|\bas it happened\b|\blatest updates\b|\brolling coverage\b", re.IGNORECASE)


def looks_like_liveblog(text: str) -> bool:
    """A live blog: two post stamps of any form, or one stamp beside an "Updated" line,
    or a page that calls itself live and has headline-delimited posts."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    stamps = 0
    for ln in lines:
        bare = BULLET.sub("", ln)
        if len(bare) < 100 and timestamps.is_timestamp(bare):
            stamps += 1
        elif timestamps.split_trailing_stamp(bare) or (
                len(bare) <= 200 and timestamps.split_leading_date(bare)):
            stamps += 1
        if stamps >= 2:
            return True
    if stamps >= 1 and any(UPDATED.match(ln) for ln in lines[:12]):
        return True
    head = lines[:1]
    live_title = bool(head) and bool(_LIVE_TITLE.search(head[0]))
    marker = any(LIVE_MARKER.match(BULLET.sub("", ln)) or LABEL.match(BULLET.sub("", ln)) for ln in lines[:200])
    if live_title and (marker or len(lines) > 8):
        return True
    if not marker:
        return False
    # a "Live Reporting"-style line over posts that carry headlines (numbered or not)
    return sum(1 for p in parse(text, "").posts if not p.is_summary) >= 2


def time_like_lines(text: str) -> int:
    """How many short lines look like time stamps (recognised or not), and an Updated line."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    n = sum(1 for ln in lines if _time_like(ln))
    if any(UPDATED.match(ln) for ln in lines[:12]):
        n += 2
    return n
