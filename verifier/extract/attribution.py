"""Who said it, and where: speaker noun phrases and channels around speech verbs.

Runs on sentences whose quoted words are masked, so a "said" inside a quote
never counts. The attribution clause is chosen by structure, not by the
nearest verb, in this order:

1. a dash sign-off (`"…" — Olena Shevchenko, a medic`);
2. an inverted clause (`," said Borrell`, `said ministry spokesperson Wang Wenbin`);
3. a final clause after the last comma (`…, the ministry warned on Thursday.`),
   which beats verbs inside the reported content;
4. a subject before a reporting or stance verb, left to right, skipping an
   opening subordinate clause ("After Biden spoke, …"), taking the inner
   speaker of a nested report ("CNN has reported that one source said"),
   carrying a shared subject across "and said" / ", saying";
5. `according to X`.

A subject with appositives ("Josh Morgerman, a storm chaser in Sulphur,
Louisiana, told CNN") is read as a chain: the person named in it speaks, the
other pieces are the role, and the listener after "told" is never the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verifier.extract.lexicon import runs, trie
from verifier.extract.names import (
    DOCUMENTS,
    INSTITUTION_HEADS,
    NOT_NAME,
    PRONOUNS,
    ROLE_WORDS,
    is_institution,
    looks_person,
    split_role,
)

# Module-level patterns of the helpers below, compiled once (re.* calls look them up every time).
_FROM_BY_NAME = re.compile(r"\b(?:from|by)\s+[A-Z]")
_ARTICLE_I = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


# "according to preliminary information": neither a speaker nor a channel
NOT_SPEAKERS = {"information", "estimates", "data", "figures", "media", "footage", "images",
                "video", "polls", "records", "sources", "plan", "plans", "law", "rules", "schedule",
                "calculations", "count", "tally", "reporting"}

_FORMS = {
    # reporting verbs
    "say": "say says said saying", "tell": "tells told telling", "claim": "claim claims claimed claiming",
    "warn": "warn warns warned warning", "deny": "deny denies denied denying",
    "insist": "insist insists insisted insisting", "add": "adds added adding",
    "write": "writes wrote writing", "post": "posted posting", "tweet": "tweeted tweets tweeting",
    "state": "stated states", "announce": "announce announces announced announcing",
    "confirm": "confirm confirms confirmed confirming", "allege": "allege alleges alleged alleging",
    "note": "notes noted noting", "explain": "explains explained explaining",
    "argue": "argue argues argued arguing", "acknowledge": "acknowledges acknowledged acknowledging",
    "admit": "admits admitted admitting", "stress": "stresses stressed stressing",
    "emphasise": "emphasized emphasised emphasizes emphasises", "underline": "underlined underlines",
    "declare": "declares declared declaring", "report": "reported reports",
    "reply": "replied replies", "reveal": "revealed reveals", "suggest": "suggested suggests",
    "predict": "predict predicts predicted predicting", "recall": "recalled recalls",
    "assert": "asserted asserts", "maintain": "maintained maintains", "conclude": "concluded",
    "comment": "commented", "thank": "thanked", "estimate": "estimate estimates estimated",
    "disclose": "disclosed", "indicate": "indicated", "testify": "testified testifies",
    "assure": "assured assures", "project": "projects projecting", "believe": "believe believes",
    "signal": "signaled signalled", "forecast": "forecasts", "cite": "cited", "answer": "answered",
    # stance verbs
    "condemn": "condemn condemns condemned condemning", "denounce": "denounce denounces denounced",
    "defend": "defended defends", "dismiss": "dismissed dismisses", "reject": "reject rejects rejected",
    "call": "called calls calling", "accuse": "accuse accuses accused accusing",
    "urge": "urge urges urged urging", "vow": "vow vows vowed vowing", "pledge": "pledged pledges",
    "promise": "promised promises", "express": "expressed expresses", "respond": "responded responds",
    "reiterate": "reiterated reiterates", "clarify": "clarified clarifies", "repeat": "repeated repeats", "criticise": "criticised criticized criticises criticizes",
    "blame": "blamed blames", "question": "questioned", "threaten": "threatened threatens",
}
_ALL = sorted({w for forms in _FORMS.values() for w in forms.split()}, key=len, reverse=True)
# Verbs whose next noun phrase is their object: "said Borrell" inverts, "criticised the Lib Dems" does not
_OBJECT_VERBS = {w for v in ("condemn", "denounce", "defend", "dismiss", "reject", "call", "accuse", "urge", "vow",
                             "pledge", "promise", "express", "criticise", "blame", "question", "threaten", "thank",
                             "cite", "reiterate", "repeat", "clarify", "reveal", "disclose", "estimate", "project",
                             "signal", "forecast", "assure", "acknowledge", "admit", "indicate", "predict")
                 for w in _FORMS[v].split()}
VERBS = trie(_ALL + ["according"])
_VERB_WORDS = frozenset(_ALL + ["according"])
_ING = {w for w in _ALL if w.endswith("ing")}
_BASE = {forms.split()[0] for forms in _FORMS.values() if not forms.split()[0].endswith(("s", "d"))}
MAX_VERBS = 12  # reporting verbs tried per sentence
HEAD_WINDOW = 400  # characters before a verb searched for its subject
_NESTING = {"reported", "reports", "cited"}  # "CNN has reported that one source said"

ALLEGATION = re.compile(r"\b(?:alleg\w*|claim(?:ed|s|ing)?|accus\w*|den(?:ied|ies|y)|without (?:any )?evidence)\b", re.IGNORECASE)
_ADVERBS = {"also", "later", "earlier", "previously", "then", "has", "had", "have", "would",
            "will", "again", "further", "separately", "recently", "now", "once", "himself",
            "herself", "publicly", "repeatedly", "reportedly", "officially", "just", "already",
            "did", "does", "do", "last", "first", "initially",
            "privately", "openly", "swiftly", "quickly", "strongly", "firmly", "flatly"}
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.")
_TEMPORAL = re.compile(
    rf"(?:\s+(?:on|late|early|earlier|later|last|this|next|since|by|from|in|on the)?\s*"
    rf"(?:(?:{_WEEKDAYS})(?:\s+(?:morning|afternoon|evening|night))?|today|tonight|yesterday|tomorrow|"
    rf"morning|afternoon|evening|overnight|(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})))+$")
_TEMPORAL_ONLY = re.compile(rf"^(?:(?:on|late|early|earlier|last|this)\s+)?(?:{_WEEKDAYS}|today|tonight|yesterday|"
                            rf"(?:{_MONTHS})(?:\s+\d{{1,2}})?)$", re.IGNORECASE)
_SUBORDINATORS = {"after", "when", "as", "while", "before", "although", "though", "if", "because",
                  "since", "once", "until", "despite", "whereas", "unless", "whether"}

_NP_AFTER = r"(?:the |a |an )?(?:[a-z][\w’'-]* ){0,4}?[A-Z][^,.;:!?]{0,60}?"
_AFTER_VERB = re.compile(
    rf"(?:^|[,\u201d\"_]\s*|['\u2019]\s+)(?P<verb>{VERBS})\s+(?P<np>{_NP_AFTER}"
    r"(?:,\s+(?:\d{1,3},\s+)?(?P<appos>(?:the |a |an )?[a-z][^,.;:!?]{0,80}?)(?=[,.;:!?]|$))?)"
    r"(?=[,.;:!?]|\s+(?:on|in|at|to|via|during|after|before|late|early|earlier|last|this)\b|$)"
)
# '," said police.' / '," local officials said': lowercase bodies need no capital
_AFTER_LOWER = re.compile(
    rf"(?:^|[,\u201d\"_]\s*)(?:{VERBS})\s+(?P<np>(?:the |local |state |regional |federal |military |city |"
    rf"health |security |government |police |emergency |rescue |border )*(?:{trie(sorted(INSTITUTION_HEADS))}))"
    r"(?=[,.;:!?]|\s+(?:on|in|at|to|via|during|after|before)\b|$)")
_BEFORE_VERB = re.compile(rf"\b(?:{VERBS})\b")
# "is said to have", "was told to leave", "is believed to be": a passive with "to" names no speaker
_PASSIVE_TO = re.compile(r"\s+to\b(?! (?:the|reporters|journalists|CNN|a|an)\b)")
_PASSIVE_TO_VERBS = {"said", "told", "believed", "alleged", "estimated", "reported", "claimed", "thought",
                     "rumored", "rumoured", "understood", "known", "expected"}
_ACCORDING = re.compile(
    r"\baccording to\s+(?P<np>[^,;:.!?]{2,90}?(?:,\s+(?:the |a |an )?[a-z][^,;:.!?]{2,80}?)?)"
    r"(?=[,;:!?]|\.(?:\s|$)|$)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"(?:[;:(\u2014\u2013]|\s--\s|\b(?:that|and|but|while|when|as|because|after|before|if|who|which|where|then|whom|so|or)\b|[\u201d\"]\s*_+|_+[\u201d\"])")
_DOC_ISSUER = re.compile(r"^(?:the |a |an )?(?P<issuer>.+?)(?:'s|’s)\s+(?:[\w-]+\s+){0,3}(?P<doc>\w+)$|"
                         r"^(?:the |a |an )?(?:[\w-]+\s+){0,3}(?P<doc2>\w+)\s+(?:from|by|of|issued by)\s+(?P<issuer2>.+)$", re.IGNORECASE)

CHANNELS = [
    (re.compile(r"\bon (?:the )?(?:messaging app |social media platform |platform )?(Telegram|Facebook|Twitter|X|Instagram|YouTube|TikTok|Truth Social|VKontakte|Weibo|LinkedIn|Threads|Bluesky)\b"), None),
    (re.compile(r"\b[Ii]n (?:an?|his|her|their|its) (?:(?:nightly|daily|evening|weekly|late-night) )?((?:Facebook|Telegram|Instagram|YouTube|video|televised|radio|TV|social media) (?:post|address|message|statement|video|speech|interview))\b"), None),
    (re.compile(r"\bin an? (?:exclusive |televised |phone |radio |TV )?interview (?:to|with) ((?:state |national )?[^,.;]{2,60}?)(?=[,.;]|\s+(?:on|that|about)\b|$)"), None),
    (re.compile(r"\b(?:told|tells|telling) ((?:the )?[A-Z][\w.-]*(?: [A-Z][\w.-]*)*|reporters|journalists)\b"), None),
    (re.compile(r"\b(tweet(?:ed|s)?)\b"), "Twitter"),
    (re.compile(r"\b(?:[Ii]n|[Aa]t) (?:an?|his|her|their|its) (?:(?:written|joint|televised|weekly|daily|news) )?(statement|briefing|press conference|news conference|press release|news release|release|speech|address|readout|rally|letter|op-ed|email|memo|filing)\b"), None),
]


@dataclass(slots=True)
class Attribution:
    phrase: str  # the noun phrase as written
    name: str | None
    role: str | None
    form: str  # after | before | final | according | shared
    pronoun: bool = False
    document: bool = False  # "the statement added", "according to local reports"

    @property
    def speaker(self) -> str:
        return self.name or self.role or self.phrase


# One of these is in every text _TEMPORAL can match: a cheap first test
_TEMPORAL_KEYS = ("day", "night", "morning", "afternoon", "evening", "morrow", "Jan", "Feb", "Mar", "Apr", "May",
                  "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TEMPORAL_KEY = re.compile(trie(sorted(_TEMPORAL_KEYS)))  # one scan instead of a test per key
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\b")


def _lower(m: re.Match[str]) -> str:
    return m.group(0).lower()


# The noun-phrase checks are pure and asked of one phrase several times per sentence (a chain's
# pieces, then the piece chosen): cached, and the caches cleared with the others (clear_caches).
@lru_cache(maxsize=256)
def _clean_np(np: str) -> str:
    np = np.strip(" ,")
    if _TEMPORAL_KEY.search(np):  # a weekday, a date or a part of the day can end the phrase
        np = _TEMPORAL.sub("", np)
    words = [w for w in np.split() if w.lower() not in _ADVERBS]
    np = " ".join(words).strip(" ,")
    np = _LEADING_ARTICLE.sub(_lower, np)
    if " " not in np and np.lower() in INSTITUTION_HEADS:  # sentence-initial "Police"
        np = np.lower()
    elif np[:1].isupper() and " " in np and not any(w[:1].isupper() for w in np.split()[1:]) \
            and np.split()[0].lower() not in NOT_NAME and not np.split()[0].endswith(("'s", "’s")) \
            and (is_institution(np) or _described(np)):
        np = np[0].lower() + np[1:]  # sentence-initial "Local officials", "Cybersecurity researchers"
    return np


_DEFINITE = re.compile(r"(?:the|this|that|one|a|an|another|two|three|several|some|many) (?:(?:senior|top|second|former|local|other|\w+-level) )?"
                       r"(?:official|officials|spokesperson|spokesman|spokeswoman|ministry|office|agency|mayor|"
                       r"governor|president|minister|source|sources|military|army|police|administration|"
                       r"group|company|organization|organisation|department|chancellor|premier|leader|"
                       r"commander|chief|secretary|general|prosecutor|prosecutors|witness|witnesses|resident|"
                       r"residents|researchers|experts|analysts|doctor|doctors|lawyer|lawyers|diplomat|diplomats|"
                       r"aide|aides|adviser|advisers|advisor|court|judge|utility|airline|embassy|charity|service)")


_DOC_NP = re.compile(r"(?:(?:the|a|an|this|that|its|their|his|her) )?(?:[\w-]+ ){0,3}(?:" + "|".join(DOCUMENTS) + ")")


_NOT_NP_WORD = re.compile(r"\b(?:is|are|was|were|been|be|will|would|could|should|may|might|not|can|did|does|do|"
                          r"has|have|had|it|there|here|what|how|why)\b")


@lru_cache(maxsize=256)
def _valid(np: str) -> bool:
    if not np or len(np.split()) > 14 or "_" in np:
        return False
    low = np.lower()
    if low in PRONOUNS or _DEFINITE.fullmatch(low):
        return True
    if _DOC_NP.fullmatch(low):
        return True  # "the advisory", "a Ukrainian readout"
    if _TEMPORAL_ONLY.match(np):
        return False
    if _NOT_NP_WORD.search(low):
        return False
    words = np.split()
    first, last = words[0], words[-1].lower()
    participle = first.endswith("ing") and (len(words) == 1 or not words[1][:1].isupper())  # not "Downing Street"
    if participle or last in {"the", "a", "an", "of", "to", "and", "for", "in", "on", "at", "with"} \
            or last.endswith(("'s", "’s")):
        return False
    if first.lower() in _SUBORDINATORS or first.lower() in {"in", "on", "at", "with", "for", "by", "from", "to", "of"}:
        return False
    if first[:1].islower() and first.lower() not in _NP_OPENERS and not _headed(words):
        return False  # "reach the mid-Mississippi Valley …": a verb phrase, not a speaker
    has_cap = any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and words[0].lower() not in {"the", "a", "an", "it", "this"})
    return has_cap or is_institution(np) or _described(np)


# Words that open a noun phrase without being its head: determiners, quantifiers, possessives.
_NP_OPENERS = {"the", "a", "an", "this", "that", "these", "those", "one", "two", "three", "four", "five", "six",
               "several", "some", "many", "most", "both", "all", "other", "another", "each", "every", "few",
               "his", "her", "their", "its", "our", "my", "your", "no", "any", "such"}
# People and bodies a lowercase description can be headed by, beyond the described and institution heads.
_PEOPLE_HEADS = {"mourners", "demonstrators", "supporters", "fans", "onlookers", "passengers", "locals",
                 "citizens", "villagers", "victims", "shoppers", "guests", "patients", "crew", "reporters",
                 "journalists", "correspondents", "officers", "spokespeople", "representatives", "delegates",
                 "candidates", "campaigners", "insiders", "allies", "aides", "staffers", "staff", "owners"}


_ROLE_NOUNS = ROLE_WORDS - {"the", "of", "for", "and", "state", "national", "white", "house", "press", "top",
                            "senior", "interior", "foreign", "health", "finance", "economy", "homeland", "regional",
                            "military", "city", "region", "district", "security", "policy", "affairs", "joint"}


def _headed(words: list[str]) -> bool:
    """A phrase opening with a lowercase word speaks only when headed by a person, body or role word
    ("cybersecurity researchers", "ministry spokesperson Wang Wenbin") or naming a person."""
    low = [w.lower().strip(",.") for w in words]
    if any(w in _DESCRIBED_HEADS or w in INSTITUTION_HEADS or w in _ROLE_NOUNS or w in _PEOPLE_HEADS
           or w in DOCUMENTS for w in low[:6]):
        return True
    name, _ = split_role(" ".join(words))
    return name is not None and len(name.split()) >= 2 and looks_person(name)


_DESCRIBED_HEADS = {"source", "sources", "researchers", "experts", "analysts", "witnesses", "witness",
                    "resident", "residents", "officials", "official", "doctors", "doctor", "lawyers",
                    "lawyer", "diplomats", "diplomat", "aides", "aide", "adviser", "advisers", "advisor",
                    "scientists", "economists", "investigators", "activists", "protesters", "organizers",
                    "organisers", "volunteers", "survivors", "rescuers", "commanders", "commander",
                    "spokesperson", "spokesman", "spokeswoman", "observers", "monitors", "critics",
                    "authorities", "people", "families", "relatives", "nurses", "teachers", "students",
                    "workers", "employees", "farmers", "soldiers", "troops", "medics", "paramedics",
                    "firefighters", "police", "prosecutors", "judge", "lawmakers", "senators", "members",
                    "leaders", "voters", "parents", "neighbors", "neighbours", "eyewitnesses", "types",
                    "chaser", "meteorologist", "forecasters", "negotiators", "executives", "insiders",
                    "mayor", "governor", "minister", "chief", "head", "director", "manager", "owner",
                    "operator", "driver", "pilot", "officer", "officers", "man", "woman", "boy", "girl"}


@lru_cache(maxsize=256)
def _described(np: str) -> bool:
    """'a source familiar with the matter', 'cybersecurity researchers', 'the local resident'."""
    words = [w.lower().strip(",.") for w in np.split()]
    head = next((w for w in words if w in _DESCRIBED_HEADS or w in INSTITUTION_HEADS), None)
    if head is None:
        return False
    # the head comes early: "a spokesperson for the power plant", "researchers at the firm"
    return words.index(head) <= 4


def _person(piece: str) -> str | None:
    name, _ = split_role(piece)
    if name and looks_person(name) and (len(name.split()) >= 2 or piece.strip() == name):
        return name
    return None


_CLAUSE_INSIDE = re.compile(r"^(?:(?!\b(?:who|whom|whose|which|that)\b).)*?\S\s+(?:has|have|had)\s+(?:\w+ly\s+)?"
                            r"[a-z]+(?:ed|en|wn|ne|ht|ck|ld)\s+\S")


def _make(np: str, form: str) -> Attribution | None:
    parts = _make_parts(np)
    if parts is None:
        return None
    phrase, name, role, pronoun, document = parts
    return Attribution(phrase, name, role, form, pronoun=pronoun, document=document)


@lru_cache(maxsize=256)  # a new Attribution each call (callers amend theirs); the reading is cached
def _make_parts(np: str) -> tuple[str, str | None, str | None, bool, bool] | None:
    if ("has" in np or "have" in np or "had" in np) and _CLAUSE_INSIDE.match(np):
        return None  # "Jeremy Hunt has mocked Ed Davey": a clause with its own verb and object, no speaker NP
    np = _clean_np(np)
    if not _valid(np):
        return None
    low = np.lower()
    if low in PRONOUNS:
        return np, None, None, True, False
    if low.split()[-1] in DOCUMENTS:
        return np, None, None, False, True
    name, role = split_role(np)
    if name and (name.lower() in {"it", "he", "she"} or is_institution(name) or not looks_person(name)):
        name, role = None, np
    if name is None:
        return np, None, None, False, False
    return np, name, role, False, False


_AGE = re.compile(r"\d{1,3}")
_LOWER_PIECE = re.compile(r"(?:the |a |an )?[a-z][\w\s.'’-]*")
_FINITE_AUX = re.compile(r"\b(?:is|are|was|were|will|would|has|have|had)\b")


def _chain(head: str, form: str) -> Attribution | None:
    """The speaker in 'X, chair of Y, of Z,' before a verb: a person named in the chain, else its first piece."""
    pieces = [p.strip(" _\u201c\u201d\"") for p in head.split(",")]
    while pieces and not pieces[-1]:
        pieces.pop()
    if not pieces:
        return None
    if len(pieces) == 1:
        return _make(pieces[0], form)
    chain: list[str] = []
    for p in reversed(pieces):
        c = _clean_np(p)
        if _AGE.fullmatch(c) or _RELATIVE.match(c):  # an age; "which is run by Hamas"
            chain.insert(0, c)
            continue
        if not _valid(c) and not (_LOWER_PIECE.fullmatch(c) and len(c.split()) <= 14 and not _FINITE_AUX.search(c)):
            break
        chain.insert(0, p)
    while chain and not _valid(_clean_np(chain[0])):
        chain.pop(0)  # an appositive describes a speaker named before it
    while chain and _ADVERBIAL_PIECE.match(chain[0].strip()):
        chain.pop(0)  # "However, the AEC assures": an opening adverb is not part of the speaker
    if not chain:
        return None
    # The tail piece alone when it is a full NP the others do not describe ("In Kyiv, officials said").
    named = [(i, _person(p)) for i, p in enumerate(chain)]
    for i, name in named:
        if name:
            rest = ", ".join(_clean_np(p) for j, p in enumerate(chain) if j != i and not p.strip().isdigit()) or None
            first = _make(chain[i], form)
            if first is None:
                continue
            role = first.role
            return Attribution(", ".join(chain).strip(), first.name or name, ", ".join(x for x in (role, rest) if x) or None, form)
    return _make(chain[0], form)


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those)\s+$", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:who|whom|whose|which|where)\b")
_ADVERBIAL_PIECE = re.compile(
    r"^(?:however|meanwhile|separately|earlier|later|also|still|yet|and|but|so|now|today|tonight|overnight|"
    r"instead|indeed|nonetheless|nevertheless|furthermore|moreover|additionally|in addition|in response|"
    r"in a \w+(?: \w+)?|on \w+(?: \w+)?|at the \w+|for (?:his|her|their|its) part|"
    r"(?:in|on|at|after|before|during|since|by|from|with|for|of|to)\b.*)$", re.IGNORECASE)
_SUBJECT_SKIP = re.compile(r"^(?:(?:However|Meanwhile|Separately|Earlier|Later|Also|Still|Yet|And|But|So|Now|Today|"
                           r"Tonight|Overnight|In a [^,]{2,40}|On [^,]{2,30}|At [^,]{2,40}|Speaking [^,]{2,60}|"
                           r"Asked [^,]{2,60}|When asked [^,]{2,80}),\s+)+")


def subject(masked: str) -> Attribution | None:
    """The subject NP at the start of a sentence, for a shared subject ('She refused, but insisted')."""
    s = _SUBJECT_SKIP.sub("", masked.strip())
    toks = s.split()
    out: list[str] = []
    for i, t in enumerate(toks[:16]):
        bare = t.strip(",").lower()
        if i == 0 and bare in PRONOUNS:
            return Attribution(t.strip(","), None, None, "shared", pronoun=True)
        if t[:1].isupper() or bare in {"the", "a", "an", "of", "for", "and", "de", "von", "der", "van", "al"} \
                or bare in ROLE_WORDS or bare in INSTITUTION_HEADS or bare in _DESCRIBED_HEADS:
            if bare in _SUBORDINATORS and i == 0:
                return None
            out.append(t.strip(","))
            if t.endswith(","):
                break
            continue
        break
    if not out:
        return None
    return _make(" ".join(out), "shared")


def _content_attribution(masked: str, depth: int) -> Attribution | None:
    """A nested report: the speaker inside the reported content."""
    if depth >= 3:
        return None
    inner = find(masked, depth + 1)
    if inner is not None and not inner.pronoun:
        return inner
    return None


_ADV_CLAUSE = re.compile(r"\b(?:that|and|but|which|who)\b")
_ADV_OK = re.compile(r"\s*(?:on|in|at|to|via|during|after|before|late|early|earlier|last|this|"
                     r"yesterday|today|tonight|overnight|Monday|Tuesday|Wednesday|Thursday|"
                     r"Friday|Saturday|Sunday|also|separately|later|earlier|recently|previously|"
                     r"told|from|through|by|while|without|as|of|about|against|over|,)\b")


class _Breaks:
    """_CLAUSE_BREAK's matches in a sentence, scanned once, left to right, as far as asked.

    The breaks ending by a position p are those of a scan of masked[lo:p] whenever masked[p] opens a
    word (a verb) or is a comma and lo is 0 or just past a comma: no break holds a comma, or a letter
    right after a word, so none straddles p or lo, and the word boundaries agree."""

    __slots__ = ("masked", "found", "to")

    def __init__(self, masked: str) -> None:
        self.masked = masked
        self.found: list[re.Match[str]] = []
        self.to = 0

    def upto(self, p: int) -> list[re.Match[str]]:
        if p > self.to:
            self.found.extend(_CLAUSE_BREAK.finditer(self.masked, self.to, p))
            self.to = p
        return self.found


def _final(masked: str, breaks: _Breaks | None = None) -> Attribution | None:
    """'…, the ministry warned on Thursday.': the attribution closing a sentence."""
    s = masked.rstrip(" .!?\u201d\"_")
    cut = s.rfind(",")
    if cut < 0:
        return None
    tail = s[cut + 1:]
    m = _FINAL_TAIL.match(tail)
    if not m or m["verb"] == "according" or m["verb"] in _ING or m["verb"] in _BASE and m["verb"] not in {
            "say", "claim", "warn", "deny", "insist", "believe", "estimate", "predict", "allege", "confirm"}:
        return None
    adv = m["adv"]
    if m["verb"] in _NOUN_LIKE and adv.strip():
        return None  # "…, then into the Plains states on Sunday": a plural noun
    if len(adv.split()) > 9 or _ADV_CLAUSE.search(adv) or _BEFORE_VERB.search(adv):
        return None
    if adv.strip() and not _ADV_OK.match(adv):
        return None
    np = m["np"].strip()
    if np:
        return _chain(np, "final") if _valid(_clean_np(np)) else None
    # ", Pavlo Kyrylenko, head of the administration, said": the chain before the last comma
    before = s[:cut]
    cut2 = 0
    if breaks is None:
        for b in _CLAUSE_BREAK.finditer(before):
            cut2 = b.end()
    else:
        for b in breaks.upto(cut):
            if b.end() > cut:
                break
            cut2 = b.end()
    return _chain(before[cut2:], "final")


_STUDY_BY = re.compile(
    r"^(?:(?:An?|The|New|A new|Fresh|Latest|The latest) )?(?:analysis|study|report|survey|poll|research|data|"
    r"investigation|review|audit|modelling|modeling|assessment|figures) (?:by|from|of|for) (?P<who>[^,;:]{2,70}?) "
    r"(?:shows?|showed|finds|found|suggests?|suggested|reveals?|revealed|indicates?|indicated|estimates?|estimated)\b", re.IGNORECASE)
_WITH_ING = re.compile(r"\bwith (?P<np>(?:the|a|an) [\w\s'’-]{2,60}?) (?:warning|saying|adding|noting|stating|reporting)\b")
_DASH_SIGNOFF = re.compile(r"[\u201d\"]\s*[\u2014\u2013-]{1,2}\s*(?P<np>[A-Z][^.;!?\u201c\"]{2,80}?)\.?$")
_FINAL_TAIL = re.compile(rf"\s*(?P<np>[^;:]*?)\s*\b(?P<verb>{VERBS})\b(?P<adv>[^;:]*)$")
_SUBORDINATE_OPEN = re.compile(r"^(?:" + "|".join(w.capitalize() for w in _SUBORDINATORS) + r")\b[^,]*,")


def _lowercase_prefix_ok(np: str) -> bool:
    words = np.split()
    lower = []
    for w in words:
        if w[:1].isupper():
            break
        lower.append(w.lower())
    lower = [w for w in lower if w not in {"the", "a", "an"}]
    return all(w in ROLE_WORDS or w in INSTITUTION_HEADS or w in _DESCRIBED_HEADS for w in lower)


# The cues one of which a sentence needs to hold an attribution (besides a reporting verb, found by the one
# scan for them). Tried one by one: an alternation of them all loses the regex engine's literal-prefix scan.
_DASH_CUE = re.compile(r"\s-\s")
_ACCORDING_CUE = re.compile(r"\bAccording\b")
_WITH_CUE = re.compile(r"\bwith (?:the|a|an) ")
_STUDY_CUE = re.compile(r"\b(?:[Aa]nalysis|[Ss]tudy|[Rr]eport|[Ss]urvey|[Pp]oll|[Rr]esearch|[Dd]ata|[Ii]nvestigation|"
                        r"[Rr]eview|[Aa]udit|[Mm]odell?ing|[Aa]ssessment|[Ff]igures) (?:by|from|of|for)\b")
_STUDY_STEMS = ("nalysis", "tudy", "eport", "urvey", "oll", "esearch", "ata", "nvestigation", "eview", "udit",
                "odel", "ssessment", "igures")


def _any_cue(masked: str, verbs: list[re.Match[str]]) -> bool:
    """A reporting verb, 'According', a dash, 'with the …', 'a study by': else nothing to attribute."""
    if verbs or "According" in masked and _ACCORDING_CUE.search(masked):
        return True
    if "\u2014" in masked or "\u2013" in masked or "-" in masked and _DASH_CUE.search(masked):
        return True
    if "with " in masked and _WITH_CUE.search(masked):
        return True
    return any(k in masked for k in _STUDY_STEMS) and bool(_STUDY_CUE.search(masked))


# Gates for the inverted clauses, read off the sentence's verbs instead of two more scans of it: each
# returns True whenever its pattern can match (a superset), so the patterns decide as before.
_AFTER_MARKS = ",\u201d\"_'\u2019"  # what may stand (with spaces) before an inverted verb
_LOWER_MARKS = ",\u201d\"_"
_LOWER_NEXT = re.compile(r"\s+(?:the |local |state )*[a-z]")
_GLUED_VERB = re.compile(rf"_(?:{VERBS})\s")  # a verb right after a masked quote's last character


def _gates(masked: str, verbs: list[re.Match[str]]) -> tuple[bool, bool]:
    """(can _AFTER_VERB match, can _AFTER_LOWER match): a verb followed by a space and preceded, past
    any spaces, by the sentence start or a comma, closing mark or masked quote."""
    after = lower = False
    for m in verbs:
        q = m.end()
        if not masked[q:q + 1].isspace():
            continue
        j = m.start()
        while j and masked[j - 1].isspace():
            j -= 1
        c = masked[j - 1] if j else ""
        if j == 0 or c in _AFTER_MARKS:
            after = True
            if (j == 0 or c in _LOWER_MARKS) and _LOWER_NEXT.match(masked, q):
                lower = True
                break
    if not lower and "_" in masked and _GLUED_VERB.search(masked):
        return True, True
    return after, lower


# Reporting-verb forms that are far more often plural nouns: a verb only before "that" or a colon
_NOUN_LIKE = {"states"}
_THAT_OR_COLON = re.compile(r"\s*(?:that\b|:)")
_ACCORDING_BEFORE = re.compile(r"\baccording to(?: [\w'’-]+){0,4} $")
_PROGRESSIVE = re.compile(r"\s+(?:is|are|was|were|now|also|still)\s*$")
_PROGRESSIVE_AUX = re.compile(r"(?:\s+(?:is|are|was|were|now|also|still))+\s*$")
_PLURAL_END = re.compile(r"(?:s|people|police|they|we|I|you)$", re.IGNORECASE)
_PLURAL_BODY_END = re.compile(r"\b(?:officials|authorities|sources|experts|researchers|analysts|residents|"
                              r"witnesses|critics|types|leaders|members|forces|lawmakers)$", re.IGNORECASE)


def find(masked: str, depth: int = 0) -> Attribution | None:
    """The attribution in a sentence whose quotes are masked, or None."""
    # Every reporting verb, found once: the cue, the gates, the subjects. A sentence with no quote has its
    # words listed anyway (figures and scoring read them): none of them a verb form, no verb to scan for.
    if "_" not in masked and _VERB_WORDS.isdisjoint(runs(masked)):
        verbs: list[re.Match[str]] = []
    else:
        verbs = list(_BEFORE_VERB.finditer(masked))
    if not _any_cue(masked, verbs):
        return None  # no reporting verb, no sign-off dash, no "according to": nothing to attribute
    m = _DASH_SIGNOFF.search(masked) if ("\u2014" in masked or "\u2013" in masked or "-" in masked) else None
    if m:  # "…" — Volodymyr Zelensky
        att = _make(m["np"], "after")
        if att:
            return att
    gate_after, gate_lower = _gates(masked, verbs) if verbs or "_" in masked else (False, False)
    after = _AFTER_VERB.finditer(masked) if gate_after else ()
    for m in after:
        verb = m["verb"]
        if verb in {"told", "tells", "telling", "according"} or verb in _ING or verb in _BASE:
            continue  # "told CNN": the listener, never the speaker
        if verb in _OBJECT_VERBS:
            continue  # ", criticised the Lib Dems for …": a verb's object, never an inverted speaker
        if not _lowercase_prefix_ok(m["np"]):
            continue
        att = _make(m["np"], "after")
        if att is None and "," in m["np"]:
            # '," said Amal Saleh, 41, whose house was destroyed': the name, the rest describes her
            head, rest = m["np"].split(",", 1)
            att = _make(head, "after")
            if att is not None and att.name:
                att.role = ", ".join(p.strip() for p in rest.split(",") if p.strip() and not p.strip().isdigit()) or att.role
        if att and not _TEMPORAL_ONLY.match(att.phrase):
            return att
    m = _AFTER_LOWER.search(masked) if gate_lower else None
    if m:
        att = _make(m["np"], "after")
        if att:
            return att
    breaks = _Breaks(masked)  # the sentence's clause breaks, each looked for once
    att = _final(masked, breaks)
    if att:
        return att
    skip_to = 0
    sub = _SUBORDINATE_OPEN.match(masked)
    if sub:
        skip_to = sub.end()  # "After Biden spoke, the ministry warned …": not Biden
    for tried, m in enumerate(v for v in verbs if v.start() >= skip_to):
        if tried >= MAX_VERBS:
            break  # untrusted text: a "sentence" of a thousand verbs is not news prose
        verb = m.group(0)
        if verb == "according":
            continue
        if verb in _NOUN_LIKE and not _THAT_OR_COLON.match(masked, m.end()):
            continue  # "the Gulf states on Sunday", "EU member states said": a plural noun, not "states that"
        if verb in _PASSIVE_TO_VERBS and _PASSIVE_TO.match(masked, m.end()):
            continue
        if _DETERMINER_BEFORE.search(masked, max(0, m.start() - 8), m.start()):
            continue  # "repeated his claim", "the warning": a noun, not a verb
        if "ccording to" in masked and _ACCORDING_BEFORE.search(masked[max(0, m.start() - 60): m.start()]):
            continue  # "according to local reports": a noun
        lo = max(skip_to, m.start() - HEAD_WINDOW)
        head = masked[lo: m.start()]  # a speaker NP is never longer
        cut, brk = 0, ""
        if lo == skip_to:  # the sentence's clause breaks, scanned once, are the head's
            for b in breaks.upto(m.start()):
                if b.end() > m.start():
                    break
                if b.start() >= lo:
                    cut, brk = b.end() - lo, b.group(0)
        else:
            for b in _CLAUSE_BREAK.finditer(head):
                cut, brk = b.end(), b.group(0)
        if brk.strip() in {"who", "whom", "which"}:
            # "a doctor who recovered from Ebola said": the relative clause belongs to the speaker
            rel = head.rfind(brk, 0, cut)
            cut, brk = 0, ""
            for b in _CLAUSE_BREAK.finditer(head[:rel]):
                if b.group(0).strip() not in {"who", "whom", "which"}:
                    cut, brk = b.end(), b.group(0)
        segment = head[cut:]
        if verb in _ING:
            prog = _PROGRESSIVE.search(segment)
            if prog or (cut == 0 and "," not in segment and verb != "saying"):
                # "The ABC is projecting …", "The Chancellor now insisting …"
                np = _PROGRESSIVE_AUX.sub("", segment)
                att = _chain(np, "before")
                if att:
                    return att
            # "…, saying it was over": the subject of the main clause
            if head.rstrip().endswith(","):
                att = subject(masked[skip_to:])
                if att:
                    att.form = "shared"
                    return att
            continue
        if not segment.strip(" ,_\u201c\u201d\"") and brk.strip() in {"and", "but", "then", "or"}:
            att = subject(masked[skip_to:])  # "She refused to clarify, but insisted …"
            if att:
                return att
            continue
        segment = segment.strip(" _\u201c\u201d\"")
        if verb in _BASE and not _PLURAL_END.search(segment.strip(" ,")) and not _PLURAL_BODY_END.search(segment.strip(" ,")):
            continue  # a base form needs a plural subject: "authorities say"
        att = _chain(segment, "before")
        if att:
            if verb in _NESTING:
                inner = _content_attribution(masked[m.end():], depth)
                if inner is not None:
                    return inner
            return att
    m = _STUDY_BY.search(masked) if (" by " in masked or " from " in masked or " of " in masked or " for " in masked) else None
    if m:  # "Analysis by political reporter Matthew Doran shows …"
        att = _make(m["who"], "before")
        if att:
            return att
    m = _ACCORDING.search(masked) if "ccording to" in masked else None
    if m:
        np = m["np"].strip()
        last = np.lower().split()[-1]
        if last in NOT_SPEAKERS and not _FROM_BY_NAME.search(np):
            return None
        return _make(np, "according")
    m = _WITH_ING.search(masked) if "with " in masked else None
    if m:  # "…, with the advisory warning, "…""
        return _make(m["np"], "after")
    return None


def issuer(att: Attribution) -> str | None:
    """'the National Hurricane Center's advisory' → the National Hurricane Center; 'a readout of the call' → None."""
    m = _DOC_ISSUER.match(att.phrase)
    if not m:
        return None
    who = (m["issuer"] or m["issuer2"] or "").strip()
    if not who or not (who[:1].isupper() or is_institution(who)) or who.lower() in NOT_NAME:
        return None
    if who.lower().split()[-1] in DOCUMENTS:
        return None
    return _ARTICLE_I.sub("", who) if who[:1].isupper() else who


def is_document(att: Attribution) -> bool:
    """'the Ukrainian readout said': a document speaks for whoever issued it."""
    return att.document or (att.name is None and att.phrase.lower().split()[-1] in DOCUMENTS)


def according_document(masked: str) -> str | None:
    """'according to the readout': a document, which is a channel rather than a speaker."""
    m = _ACCORDING.search(masked) if "ccording to" in masked else None
    if m:
        np = m["np"].strip()
        last = np.lower().split()[-1]
        if last in DOCUMENTS:
            return _ARTICLE_I.sub("", np)
    return None


# Words one of which must be in a sentence for each channel pattern to have a chance: a cheap first test.
_CHANNEL_KEYS = [
    ("Telegram", "Facebook", "Twitter", " X", "Instagram", "YouTube", "TikTok", "Truth Social", "VKontakte",
     "Weibo", "LinkedIn", "Threads", "Bluesky"),
    ("post", "address", "message", "statement", "video", "speech", "interview"),
    ("interview",),
    ("told", "tells", "telling"),
    ("tweet",),
    ("statement", "briefing", "conference", "release", "speech", "address", "readout", "rally", "letter", "op-ed",
     "email", "memo", "filing"),
]


def channel(masked: str) -> str | None:
    for (pat, fixed), keys in zip(CHANNELS, _CHANNEL_KEYS):
        for k in keys:
            if k in masked:
                break
        else:
            continue  # none of the pattern's words: it cannot match
        m = pat.search(masked)
        if m:
            return fixed or m.group(1).strip()
    return according_document(masked)
