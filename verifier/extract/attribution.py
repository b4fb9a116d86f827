"""Who said it, and where: speaker noun phrases and channels around speech verbs.

Runs on sentences whose quoted words are masked, so a "said" inside a quote
never counts. Three forms, tried in order: the verb after a quote or comma
with the speaker after it (`," said Borrell`), the speaker before the verb
(`Borrell also said`), and `according to X`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.extract.names import DOCUMENTS, INSTITUTION_HEADS, PRONOUNS, is_institution, split_role

# "according to preliminary information": neither a speaker nor a channel
NOT_SPEAKERS = DOCUMENTS | {"information", "estimates", "data", "figures", "reports", "media",
                            "footage", "images", "video", "polls", "records", "sources"}

VERBS = (
    "said|says|told|tells|added|adds|tweeted|wrote|writes|posted|stated|announced|"
    "announces|confirmed|confirms|claimed|claims|alleged|alleges|insisted|insists|warned|warns|"
    "noted|notes|explained|argued|argues|acknowledged|admitted|stressed|emphasized|emphasised|"
    "underlined|urged|declared|reported|replied|responded|denied|denies|revealed|suggested|"
    "predicted|promised|vowed|pledged|accused|asserted|maintained|recalled|concluded|commented|"
    "thanked|estimated|estimates|disclosed|indicated|testified|according"
)
ALLEGATION = re.compile(r"\b(?:alleg\w*|claim(?:ed|s|ing)?|accus\w*|den(?:ied|ies|y)|without (?:any )?evidence)\b", re.I)
_ADVERBS = {"also", "later", "earlier", "previously", "then", "has", "had", "have", "would",
            "will", "again", "further", "separately", "recently", "now", "had", "once", "himself",
            "herself", "publicly", "repeatedly", "reportedly", "officially", "just", "already"}
_AFTER_VERB = re.compile(
    rf"(?:^|[,\u201d\"_]\s*)(?:{VERBS})\s+(?P<np>(?:the |a |an )?[A-Z][^,.;:!?]{{0,60}}?"
    r"(?:,\s+(?:\d{1,3},\s+)?(?P<appos>(?:the |a |an )?[a-z][^,.;:!?]{0,80}?)(?=[,.;:!?]|$))?)(?=[,.;:!?]|\s+(?:on|in|at|to|via|during|after|before)\b|$)"
)
_BEFORE_VERB = re.compile(rf"\b(?:{VERBS})\b(?!\s+to\b)")
_ACCORDING = re.compile(
    r"\baccording to\s+(?P<np>[^,;:.!?]{2,90}?(?:,\s+(?:the |a |an )?[a-z][^,;:.!?]{2,80}?)?)"
    r"(?=[,;:!?]|\.(?:\s|$)|$)", re.I)
_CLAUSE_BREAK = re.compile(r"(?:[;:(\u2014\u2013]|\b(?:that|and|but|while|when|as|because|after|before|if|who|which)\b|[\u201d\"]\s*_+|_+[\u201d\"])")

CHANNELS = [
    (re.compile(r"\bon (?:the )?(?:messaging app |social media platform |platform )?(Telegram|Facebook|Twitter|X|Instagram|YouTube|TikTok|Truth Social|VKontakte|Weibo|LinkedIn|Threads|Bluesky)\b"), None),
    (re.compile(r"\b[Ii]n (?:an?|his|her|their|its) (?:(?:nightly|daily|evening|weekly|late-night) )?((?:Facebook|Telegram|Instagram|YouTube|video|televised|radio|TV|social media) (?:post|address|message|statement|video|speech|interview))\b"), None),
    (re.compile(r"\bin an? (?:exclusive |televised |phone |radio |TV )?interview (?:to|with) ((?:state |national )?[^,.;]{2,60}?)(?=[,.;]|\s+(?:on|that|about)\b|$)"), None),
    (re.compile(r"\btold ((?:the )?[A-Z][\w.-]*(?: [A-Z][\w.-]*)*|reporters|journalists)\b"), None),
    (re.compile(r"\b(tweet(?:ed|s)?)\b"), "Twitter"),
    (re.compile(r"\b(?:[Ii]n|[Aa]t) (?:an?|his|her|their|its) (?:(?:written|joint|televised|weekly|daily) )?(statement|briefing|press conference|news conference|press release|speech|address|readout|rally)\b"), None),
]


@dataclass(slots=True)
class Attribution:
    phrase: str  # the noun phrase as written
    name: str | None
    role: str | None
    form: str  # after | before | according
    pronoun: bool = False

    @property
    def speaker(self) -> str:
        return self.name or self.role or self.phrase


def _clean_np(np: str) -> str:
    words = [w for w in np.split() if w.lower() not in _ADVERBS]
    np = " ".join(words).strip(" ,")
    np = re.sub(r"^(?:The|A|An)\b", lambda m: m.group(0).lower(), np)
    if " " not in np and np.lower() in INSTITUTION_HEADS:  # sentence-initial "Police"
        np = np.lower()
    return np


def _valid(np: str) -> bool:
    if not np or len(np.split()) > 12 or "_" in np:
        return False
    low = np.lower()
    if low in PRONOUNS or re.fullmatch(r"(?:the|this) (?:official|spokesperson|spokesman|spokeswoman|ministry|office|agency|mayor|governor|president|minister|source|officials|military|army|police|administration)", low):
        return True
    if re.search(r"\b(?:is|are|was|were|been|be|will|would|could|should|may|might|not)\b", low):
        return False
    words = np.split()
    first, last = words[0], words[-1].lower()
    if first.endswith("ing") or last in {"the", "a", "an", "of", "to", "and", "for"} or last.endswith(("'s", "’s")):
        return False
    has_cap = any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and words[0].lower() not in {"the", "a", "an", "it", "this"})
    return has_cap or is_institution(np)


def _make(np: str, form: str) -> Attribution | None:
    np = _clean_np(np)
    if not _valid(np):
        return None
    if np.lower() in PRONOUNS:
        return Attribution(np, None, None, form, pronoun=True)
    name, role = split_role(np)
    if name and (name.lower() in {"it", "he", "she"} or is_institution(name)):
        name, role = None, np
    if name is None:
        return Attribution(np, None, None, form)
    return Attribution(np, name, role, form)


def is_document(att: Attribution) -> bool:
    """'the Ukrainian readout said': a document speaks for whoever issued it."""
    return att.name is None and att.phrase.lower().split()[-1] in DOCUMENTS


_DASH_SIGNOFF = re.compile(r"[\u201d\"]\s*[\u2014\u2013-]{1,2}\s*(?P<np>[A-Z][^.;!?\u201c\"]{2,80}?)\.?$")


def find(masked: str) -> Attribution | None:
    """The attribution in a sentence whose quotes are masked, or None."""
    m = _DASH_SIGNOFF.search(masked)  # "…" — Volodymyr Zelensky
    if m:
        att = _make(m["np"], "after")
        if att:
            return att
    m = _AFTER_VERB.search(masked)
    if m and not masked[m.start():m.end()].lower().lstrip(",\u201d\"_ ").startswith("according"):
        att = _make(m["np"], "after")
        if att:
            return att
    for m in _BEFORE_VERB.finditer(masked):
        if m.group(0).lower() == "according":
            continue
        head = masked[: m.start()]
        cut = 0
        for b in _CLAUSE_BREAK.finditer(head):
            cut = b.end()
        segment = head[cut:]
        if "," in segment:
            pieces = segment.split(",")
            tail = pieces[-1].strip()
            if not tail or all(w.lower() in _ADVERBS for w in tail.split()):
                # "The city's mayor, Oleksandr Honcharenko, confirmed": keep the appositive
                segment = ",".join(pieces[-3:-1]) if len(pieces) >= 3 else pieces[-2]
            else:
                segment = tail
        segment = segment.strip(" ,_\u201c\u201d\"")
        att = _make(segment, "before")
        if att:
            return att
    m = _ACCORDING.search(masked)
    if m:
        np = m["np"].strip()
        if np.lower().split()[-1] in NOT_SPEAKERS:
            return None
        return _make(np, "according")
    return None


def according_document(masked: str) -> str | None:
    """'according to the readout': a document, which is a channel rather than a speaker."""
    m = _ACCORDING.search(masked)
    if m:
        np = m["np"].strip()
        last = np.lower().split()[-1]
        if last in DOCUMENTS:
            return re.sub(r"^(?:the|a|an)\s+", "", np, flags=re.I)
    return None


def channel(masked: str) -> str | None:
    for pat, fixed in CHANNELS:
        m = pat.search(masked)
        if m:
            return fixed or m.group(1).strip()
    return according_document(masked)
