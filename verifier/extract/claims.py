"""From a post's text to its claims: quotes, attributed statements, figures.

One claim per sentence, or per group of sentences when one quote runs over
several (or a quote is split by its attribution). Speakers named only by a
pronoun, a surname or "the official" are resolved against what the post
said before.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from typing import Any

from verifier.extract import attribution, checkworthiness, numbers, quotes, sentences
from verifier.extract.names import OTHER_OFFICE, is_institution, looks_person, same_person, split_role

# Module-level patterns of the helpers below, compiled once (re.* calls look them up every time).
_DEFINITE_PHRASE = re.compile(r"(?:the|this) ([\w-]+(?: [\w-]+)?)")
_ROLE_WORD = re.compile(r"[a-z’']+")
_WORD_RUN = re.compile(r"\w+")
_POSSESSIVE_END = re.compile(r"(?:’s|'s)$")
_ANY_WORD_CHAR = re.compile(r"\w")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_CONTENT_WORD = re.compile(r"(?<![\w’'-])[a-z]{5,}(?![\w’'-])")
_INDEFINITE_HEAD = re.compile(r"^(?:a|an|one) (?:[\w-]+ ){0,4}?(\w+)\b")
_NAME_THEN_VERB = re.compile(r"((?:[A-Z][\w’'-]+\s?){1,3})\s+(?:also\s+|then\s+|later\s+)?[a-z]+(?:ed|s)\b")


_NAME_RUN = re.compile(r"(?:[A-Z][\w.’'-]+ +)+(?:(?:von|der|van|de|bin|al) +)*[A-Z][\w’'-]+")
LONG_QUOTE = 600  # characters: a longer quote is cut at sentence ends into claims of about half that
MIN_QUOTE_WORDS = 4  # shorter quoted terms are scare quotes, part of the sentence's claim
LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?]{2,80}):\s+(?=[A-Z])")
BACKGROUND = re.compile(r"^(?:some )?(?:background|context|catch up|recap|explainer|analysis)\b", re.IGNORECASE)
_VERB_SOON = re.compile(rf"\s*,?\s*(?:\w+\s+){{0,4}}(?:{attribution.VERBS})\b")


def _word_at(text: str, word: str) -> int:
    """Where word first stands alone in text, or -1."""
    i = text.find(word)
    while i >= 0:
        if (i == 0 or not text[i - 1].isalnum()) and (i + len(word) >= len(text) or not text[i + len(word)].isalnum()):
            return i
        i = text.find(word, i + 1)
    return -1


_SPEECH_AT_END = re.compile(rf"\b(?:{attribution.VERBS})$", re.IGNORECASE)


@dataclass(slots=True)
class Speaker:
    name: str | None
    role: str | None
    phrase: str
    channel: str | None = None

    @property
    def text(self) -> str:
        return self.name or self.phrase

    @property
    def is_person(self) -> bool:
        return self.name is not None


@dataclass(slots=True)
class Draft:
    kind: str
    span: tuple[int, int]
    text: str
    quote: str | None = None
    speaker: str | None = None
    role: str | None = None
    channel: str | None = None
    numbers: list[dict[str, Any]] = field(default_factory=list)
    checkworthiness: float = 0.0
    inherited: bool = False  # the speaker was carried over from an earlier sentence, not named here


@dataclass(slots=True)
class _Context:
    surnames: dict[str, str]
    ambiguous: set[str] = field(default_factory=set)  # surnames two people share: "Harris" alone names neither
    speakers: list[Speaker] = field(default_factory=list)
    last_person: Speaker | None = None  # the person most recently named, speaker or not: read through person()
    pending: list[str] = field(default_factory=list)  # sentences mentioned since, not yet read for a person
    last_org: str | None = None  # the organisation most recently the subject of a sentence
    intro: Speaker | None = None  # "Simon Birmingham is up first:" names the next quote's speaker
    lead: Speaker | None = None  # the source of the last attributed paragraph, for a list that follows
    prev_here: Speaker | None = None  # who was attributed in the paragraph just before
    list_lead: Speaker | None = None  # "…, according to the advisory. Here's the latest:" → the items below
    quiet: int = 0  # paragraphs since the last one with a speaker

    def mention(self, text: str, org: bool = True) -> None:
        """Note the last person named in a sentence, for a later "he said", and an organisation subject.

        The person is looked for only when a pronoun asks (`person()`): most sentences are never asked
        about, and the newest one naming somebody answers. The surname table a sentence is read with is
        the one of its time: the pending sentences are read before the table changes."""
        self.pending.append(text)
        if org:
            self.mention_org(text)

    def person(self) -> Speaker | None:
        """The person most recently named, speaker or not."""
        if self.pending:
            for text in reversed(self.pending):
                best = self._named(text)
                if best is not None:
                    self.last_person = best
                    break
            self.pending.clear()
        return self.last_person

    def set_person(self, sp: Speaker) -> None:
        self.pending.clear()  # named after every pending sentence: the newest
        self.last_person = sp

    def _named(self, text: str) -> Speaker | None:
        best = None
        if self.surnames:  # the last known surname named in the sentence
            for m in reversed(list(_SURNAME.finditer(text))):
                full = self.surnames.get(m.group(0))
                if full and looks_person(full):
                    best = (m.start(), Speaker(full, None, m.group(0)))
                    break
        for m in _NAME_RUN.finditer(text):
            before = text[max(0, m.start() - 6): m.start()]
            if before[-1:].isspace() and _PLACE_PREP.search(before.lower()):
                continue  # "in South Carolina": a place
            name, role = split_role(m.group(0))
            if not name:
                continue
            full = self.surnames.get(name, name) if " " not in name else name
            if " " in full and not is_institution(full) and looks_person(full) \
                    and (best is None or m.start() >= best[0]):
                best = (m.start(), Speaker(full, role, m.group(0)))
        for m in _ROLE_MENTION.finditer(text):
            if best is None or m.start() > best[0] + len(best[1].phrase):
                phrase = m.group(0)[0].lower() + m.group(0)[1:]
                holder = self.surnames.get(phrase.lower())
                best = (m.start(), Speaker(holder or None, phrase, phrase))  # "the Chancellor … He snaps back"
        return best[1] if best is not None else None

    def mention_org(self, text: str) -> None:
        org = _ORG_SUBJECT.match(text)
        if org and not looks_person(org["org"]) and len(org["org"].split()) >= 2:
            self.last_org = org["org"]

    def resolve(self, att: attribution.Attribution) -> Speaker | None:
        low = att.phrase.lower()
        if att.pronoun:
            want_person = low in ("he", "she", "i")
            if want_person and self.person() is not None:
                return self.last_person
            for sp in reversed(self.speakers):
                if want_person == sp.is_person or low in ("they", "we"):
                    return sp
            return None
        definite = _DEFINITE_PHRASE.fullmatch(low)
        if definite and not att.name:
            head = definite.group(1).rstrip("s")
            for sp in reversed(self.speakers) if " " not in head else ():
                if _holds(head, sp.role) or _holds(head, sp.phrase):
                    return sp
            holder = self.surnames.get(low)
            if holder:  # "the Chancellor" when the page names "Chancellor Jeremy Hunt"
                return Speaker(holder, att.phrase, att.phrase)
            if head in _ORG_ANAPHORA and self.last_org:
                return Speaker(None, None, self.last_org)  # "the agency said": the body just named
        name = att.name
        if name and len(name.split()) == 1:
            name = self.surnames.get(name, name)
        elif name:
            # A later "Lavrov" should resolve to this full name too, unless two people share it.
            last = name.split()[-1]
            if last in self.ambiguous:
                pass
            elif self.surnames.get(last, name) != name and not same_person(self.surnames[last], name):
                self.person()  # the pending sentences are read with the table of their time
                self.ambiguous.add(last)
                del self.surnames[last]
            elif last not in self.surnames:
                self.person()
                self.surnames[last] = name
        role = att.role
        if name and not role:
            role = next((sp.role for sp in reversed(self.speakers) if sp.name == name and sp.role), None)
        return Speaker(name, role, att.phrase)


# Patterns open with a character class (word boundaries as lookbehinds after it), so the regex engine
# scans for that character instead of trying the pattern at every position.
_ROLE_MENTION = re.compile(
    r"[Tt](?<!\w[Tt])he (?:[\w-]+(?:’s|'s) )?(?:[Pp]rime [Mm]inister|[Cc]hancellor|[Pp]resident|[Pp]remier|[Gg]overnor|[Mm]ayor|"
    r"[Mm]inister|[Ss]ecretary|[Ss]enator|[Jj]udge|[Cc]ommander|[Ss]pokes(?:man|woman|person)|[Aa]mbassador|"
    r"[Pp]ope|[Cc]oach|[Ss]heriff|[Oo]fficial|[Cc]hief [Ee]xecutive|[Ll]eader)\b")
_PLACE_PREP = re.compile(r"\b(?:in|of|from|to|at|near|across|over|through)\s+$")
_SURNAME = re.compile(r"[A-Z](?<!\w[A-Z])(?<![\w.’'-] [A-Z])[\w’'-]+\b(?! [A-Z])")
_ORG_ANAPHORA = {"agency", "group", "organization", "organisation", "company", "charity", "firm",
                 "department", "body", "service", "center", "centre", "utility", "airline", "network",
                 "ministry", "office", "watchdog", "regulator", "union", "board", "institute", "bank"}
_ORG_SUBJECT = re.compile(r"^(?:The )?(?P<org>(?:[A-Z][\w.’'-]*|and|of|for)(?: (?:[A-Z][\w.’'-]*|and|of|for))*) "
                          r"(?:has |have |had |is |was |also |said|says|sent|announced|deployed|issued|confirmed)")


def _holds(head: str, role: str | None) -> bool:
    """'the Chancellor' names whoever was described with that office word, unless the description names
    another office with it ('Shadow Chancellor', 'former Chancellor', 'Deputy Prime Minister', 'vice-chancellor')."""
    if not role:
        return False
    words = _ROLE_WORD.findall(role.lower())
    if not any(w == head or w.rstrip("s") == head for w in words):
        return False
    return not any(w in OTHER_OFFICE or w == "then" for w in words)


def _paragraphs(body: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for part in body.split("\n\n"):
        if part.strip():
            start = pos + (len(part) - len(part.lstrip()))
            out.append((start, pos + len(part.rstrip())))
        pos += len(part) + 2
    return out


def _words(s: str) -> int:
    return len(_WORD_RUN.findall(s))


def extract(body: str, surnames: dict[str, str] | None = None) -> list[Draft]:
    """Claims in a post body (paragraphs separated by blank lines).

    The cyclic garbage collector is paused while a post is read: extraction makes no reference cycles,
    only many short-lived objects (matches, slices, tuples) whose allocations would trigger collections
    that find nothing; reference counting frees them as before. Its state is restored after."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _extract(body, surnames)
    finally:
        if paused:
            gc.enable()


def _extract(body: str, surnames: dict[str, str] | None) -> list[Draft]:
    given = dict(surnames or {})
    ctx = _Context({k: v for k, v in given.items() if v}, ambiguous={k for k, v in given.items() if not v})
    drafts: list[Draft] = []
    carry: Draft | None = None  # a quote left open at a paragraph's end
    for pstart, pend in _paragraphs(body):
        carry = _paragraph(body, pstart, pend, ctx, drafts, carry)
    _name_described_speakers(body, drafts)
    return drafts


_BULLET = re.compile(r"^[\u2022\u25cf\u25aa*\u2013-]\s+")
_INTRO_NAME = re.compile(r"(?:[A-Z][\w.’'-]+ +)*[A-Z][\w’'-]+?(?=(?:’s|'s)?\b)")
_COLON_QUOTE = re.compile(r"^(?P<head>[^:\u201c\u201d\"]{2,80}?):\s*[\u201c\"]")
_PERSON_HEADS = {"officer", "doctor", "adviser", "advisor", "aide", "official", "source", "resident",
                 "soldier", "nurse", "man", "woman", "witness", "survivor", "lawyer", "diplomat",
                 "commander", "volunteer", "medic", "teacher", "student", "worker", "employee",
                 "spokesperson", "spokesman", "spokeswoman", "analyst", "expert", "researcher",
                 "activist", "executive", "farmer", "pilot", "driver", "defector", "priest", "chaser"}


def _intro_speaker(para: str, ctx: _Context) -> Speaker | None:
    """'Simon Birmingham is up first:' / 'Here's what X had to say:': one person names the quote that follows."""
    people: list[Speaker] = []
    for m in _NAME_RUN.finditer(para):
        name, role = split_role(_POSSESSIVE_END.sub("", m.group(0)))
        if name and looks_person(name):
            full = ctx.surnames.get(name, name) if " " not in name else name
            if full not in [p.name for p in people]:
                people.append(Speaker(full, role, m.group(0)))
    if len(people) == 1:
        return people[0]
    return None


def _paragraph(body: str, pstart: int, pend: int, ctx: _Context, drafts: list[Draft],
               carry: Draft | None) -> Draft | None:
    para = body[pstart:pend]
    background = False
    bullet = bool(_BULLET.match(para))
    para_bullet = bullet
    m = LABEL.match(para)
    if m and _words(m["label"]) <= 8 and "," not in m["label"] and not _SPEECH_AT_END.search(m["label"]):
        background = bool(BACKGROUND.match(m["label"]))
        pstart += m.end()
    qspans = quotes.find(body, pstart, pend)
    masked = quotes.mask(body, qspans)
    sents = sentences.split(body, pstart, pend)
    if not sents:
        return None
    intro, ctx.intro = ctx.intro, None
    if para.rstrip().endswith(":") and not qspans:
        ctx.intro = _intro_speaker(para, ctx)  # names the speaker of the quote paragraph after it
        if ctx.intro is None and ctx.prev_here is not None and not attribution.find(para):
            ctx.list_lead = ctx.prev_here  # the list below comes from the source just cited
            ctx.prev_here = None
            return None
    in_list = ctx.list_lead is not None

    def real(q: quotes.QuoteSpan) -> bool:
        inner = q.inner(body)
        if _words(inner) >= MIN_QUOTE_WORDS:
            return True
        after = masked[q.end: q.end + 40]
        # a short quote counts only when its attribution follows at once: "Never," he said.
        return (_words(inner) >= 2 and (inner.endswith((",", "?", "!")) or after.startswith(","))
                and bool(_VERB_SOON.match(after)))

    real_quotes = [q for q in qspans if real(q)]
    # Group sentences: a quote running over several sentences makes them one claim.
    group_of = list(range(len(sents)))
    for q in real_quotes:
        hit = [i for i, (a, b) in enumerate(sents) if a < q.end and b > q.start]
        for i in hit[1:]:
            old, new = group_of[i], group_of[hit[0]]
            group_of = [new if g == old else g for g in group_of]
    groups: list[list[int]] = []
    for i, g in enumerate(group_of):
        if groups and group_of[groups[-1][0]] == g:
            groups[-1].append(i)
        else:
            groups.append([i])
    # A quote running over many sentences is cut into claims a checker can take one at a time.
    split_groups: list[list[int]] = []
    continued: set[int] = set()
    for grp in groups:
        if sents[grp[-1]][1] - sents[grp[0]][0] <= LONG_QUOTE:
            split_groups.append(grp)
            continue
        cur: list[int] = []
        for i in grp:
            if cur and sents[i][1] - sents[cur[0]][0] > LONG_QUOTE // 2:
                split_groups.append(cur)
                cur = []
                continued.add(len(split_groups))
            cur.append(i)
        split_groups.append(cur)
    groups = split_groups

    def quotes_in(a: int, b: int) -> list[quotes.QuoteSpan]:
        return [q for q in real_quotes if q.start < b and q.end > a]

    def only_quote(a: int, b: int) -> bool:
        rest = masked[a:b]
        for q in quotes_in(a, b):
            rest = rest.replace(masked[q.start:q.end], "")
        return not _ANY_WORD_CHAR.search(rest)

    last_att: Speaker | None = None
    para_speaker: Speaker | None = None  # who speaks in a paragraph that opens with their quote
    previous: Draft | None = None
    lead_before = ctx.lead
    attributed_here = False
    here: Speaker | None = None
    for gi, group in enumerate(groups):
        a, b = sents[group[0]][0], sents[group[-1]][1]
        text, mtext = body[a:b], masked[a:b]
        qs = quotes_in(a, b)
        bullet = bool(_BULLET.match(text))
        # An open quote from the previous paragraph continues here.
        if carry is not None and gi == 0 and qs and qs[0].start <= a:
            last_att = Speaker(carry.speaker, carry.role, carry.speaker or "", carry.channel) if carry.speaker else None
            if b - carry.span[0] <= LONG_QUOTE:
                _extend(carry, body, a, b, qs, masked)
                previous = carry
                carry = None if qs[-1].closed else carry
                continue
            carry = None  # too long for one claim: the same speaker goes on in a new one
        att = attribution.find(mtext)
        chan: str | None = None  # the channel named in the sentence, looked up once a claim is made
        chan_fallback: str | None = None
        speaker: Speaker | None = None
        ctx.mention_org(mtext)
        org_seen = ctx.last_org
        if att is not None and att.pronoun:
            at = _word_at(mtext, att.phrase)
            if at > 0:
                ctx.mention(mtext[:at])  # "Biden sparked backlash when he said"
        carried = False
        if att is not None and attribution.is_document(att):
            # "the statement added", "according to the agency's advisory": the issuer when named
            chan_fallback = _ARTICLE.sub("", att.phrase)
            who = attribution.issuer(att)
            if who:
                name, role = split_role(who)
                speaker = Speaker(name, role, who) if name and looks_person(name) else Speaker(None, None, who)
            else:
                speaker = (here if here and not here.is_person else None) \
                    or (ctx.prev_here if ctx.prev_here and not ctx.prev_here.is_person else None) \
                    or Speaker(None, None, att.phrase)
            att = None
            attributed_here = True
        elif att is None and qs:
            cm = _COLON_QUOTE.match(mtext)
            if cm and _words(cm["head"]) <= 10:
                att = attribution.subject(cm["head"])  # 'He snaps back: "…"'
        if att is not None:
            speaker = ctx.resolve(att)
            attributed_here = attributed_here or speaker is not None
        if speaker is not None:
            here = speaker
        if gi in continued and previous is not None and att is None:
            speaker = Speaker(previous.speaker, previous.role, previous.speaker or "", previous.channel) \
                if previous.speaker else None
        elif qs and att is None and speaker is None and previous is not None and previous.kind == "quote" \
                and only_quote(a, b) and b - previous.span[0] <= LONG_QUOTE:
            # "…," he said. "…": the second half belongs to the first.
            _extend(previous, body, a, b, qs, masked)
            if not qs[-1].closed:
                carry = previous
            continue
        if qs and speaker is None:
            speaker = last_att or (intro if gi == 0 or intro else None) or _subject_before(body, sents, group[0], ctx)
            if speaker is None and ctx.speakers and (ctx.prev_here is not None or ctx.quiet < 2):
                # news style: an unattributed quote continues the last speaker, unless the copy has
                # moved on (two paragraphs of narration since): then vague beats wrong
                speaker = ctx.speakers[-1]
            chan_fallback = chan_fallback or (speaker.channel if speaker else None)
        if not qs and speaker is None and ctx.speakers and attribution.ALLEGATION.search(mtext):
            speaker = ctx.speakers[-1]
        ctx.mention(mtext, org=ctx.last_org is not org_seen)  # the organisation subject, unless read just above
        nums = numbers.find(text)
        if qs:
            kind = "quote"
        elif speaker is not None:
            kind = "statement"
        else:
            # The outlet's own voice: a claim when it states something checkable.
            if checkworthiness.is_furniture(mtext) or background:
                previous = None
                continue
            forecast = checkworthiness.is_forecast(mtext)
            inherited = None
            if para_speaker is not None and not forecast:
                inherited = para_speaker  # "“…,” he said. Then in 2005, Rita hit the same area."
            elif forecast and checkworthiness.specificity(mtext, nums) >= 1 and \
                    (last_att or (ctx.lead if lead_before is ctx.lead or attributed_here else None)):
                inherited = last_att or ctx.lead  # a forecast is the forecaster's, not the reporter's
            elif bullet and ctx.lead is not None:
                inherited = ctx.lead  # a list under "according to the advisory … Here's the latest:"
            elif in_list:
                inherited = ctx.list_lead
            if inherited is not None and (checkworthiness.reporter_claim(mtext, nums, text) or forecast or nums):
                speaker = Speaker(inherited.name, inherited.role, inherited.phrase, inherited.channel)
                kind = "statement"
                carried = True
            elif nums and checkworthiness.figure_is_claim(text, nums) and not checkworthiness.is_furniture(mtext):
                kind = "figure"
            elif checkworthiness.reporter_claim(mtext, nums, text):
                kind = "figure" if nums else "statement"
            else:
                previous = None
                continue
        chan = attribution.channel(mtext) or chan_fallback
        if speaker is not None:
            speaker.channel = speaker.channel or chan
            if kind != "statement" or att is not None or qs:
                ctx.speakers.append(speaker)
            if speaker.is_person:
                ctx.set_person(speaker)
            if att is not None or (qs and gi == 0):
                last_att = speaker
            if qs and gi == 0 and a == pstart:
                para_speaker = speaker
        draft = Draft(
            kind=kind, span=(a, b), text=text,
            quote=" … ".join(q.inner(body) for q in qs) or None,
            speaker=speaker.text if speaker else None,
            role=speaker.role if speaker else None,
            channel=chan,
            numbers=nums,
        )
        draft.inherited = carried
        draft.checkworthiness = checkworthiness.score(
            kind, text, nums, draft.speaker, bool(speaker and speaker.is_person), background)
        drafts.append(draft)
        previous = draft if kind == "quote" else None
        if qs and not qs[-1].closed:
            carry = draft
    ctx.prev_here = here if attributed_here else None
    ctx.quiet = 0 if (attributed_here or here is not None or last_att is not None) else ctx.quiet + 1
    if attributed_here or (not in_list and not para.rstrip().endswith(":")):
        ctx.list_lead = None
    if not para_bullet:
        if attributed_here and here is not None:
            ctx.lead = here
        elif not para.rstrip().endswith(":"):
            ctx.lead = None
    return carry


_TITLE_OF = {"doctor": "dr", "professor": "prof", "senator": "sen", "representative": "rep",
             "governor": "gov", "general": "gen", "colonel": "col", "captain": "capt", "sergeant": "sgt"}


def _content_words(text: str) -> set[str]:
    """Lowercase words of five letters or more: what is said, not who is named."""
    return set(_CONTENT_WORD.findall(text))


def _same_one(described: Draft, named: Draft) -> bool:
    """The named speaker is the described one: a shared role word, or the same thing said twice."""
    desc = set(_WORD_RUN.findall((described.speaker or "").lower()))
    later = set(_WORD_RUN.findall(((named.role or "") + " " + named.text[:200]).lower()))
    heads = desc & _PERSON_HEADS
    if heads & later or {_TITLE_OF[h] for h in desc if h in _TITLE_OF} & later:
        return True
    shared = (_content_words(described.text) & _content_words(named.text)) - _content_words(described.speaker or "")
    return len(shared) >= 2


def _name_described_speakers(body: str, drafts: list[Draft]) -> None:
    """'A former army officer has claimed … Konstantin Yefremov told the BBC …': the described speaker is named."""
    for i, d in enumerate(drafts):
        sp = (d.speaker or "").lower()
        m = _INDEFINITE_HEAD.match(sp)
        if not m or d.role or d.speaker is None or d.inherited:
            continue
        heads = set(sp.split()) & _PERSON_HEADS
        if not heads:
            continue
        for later in drafts[i + 1: i + 4]:
            if later.span[0] - d.span[1] > 700:
                break
            name = later.speaker
            if not name or later.speaker == d.speaker:
                continue
            if len(name.split()) >= 2 and looks_person(name) and name.split()[-1] not in body[:d.span[0]] \
                    and _same_one(d, later):
                d.role, d.speaker = d.speaker, name
            break


def _extend(draft: Draft, body: str, a: int, b: int, qs: list[quotes.QuoteSpan], masked: str) -> None:
    start = draft.span[0]
    draft.span = (start, b)
    draft.text = body[start:b]
    more = " … ".join(q.inner(body) for q in qs)
    draft.quote = f"{draft.quote} … {more}" if draft.quote else more
    draft.numbers = numbers.find(draft.text)


def _subject_before(body: str, sents: list[tuple[int, int]], idx: int, ctx: _Context) -> Speaker | None:
    """'Lavrov also dismissed …. "We see …"': a quote after a sentence whose subject is a known name."""
    if idx == 0:
        return None
    a, b = sents[idx - 1]
    m = _NAME_THEN_VERB.match(body[a:b])
    if not m:
        return None
    name = m.group(1).strip()
    full = ctx.surnames.get(name) or (name if name in ctx.surnames.values() else None)
    if full is None or is_institution(full):
        return None
    for sp in reversed(ctx.speakers):
        if sp.name == full:
            return sp
    return Speaker(full, None, name)
