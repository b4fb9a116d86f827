"""Person names, roles and institutions in news noun phrases.

"Russian Foreign Minister Sergey Lavrov" → name "Sergey Lavrov", role
"Russian Foreign Minister"; a surname alone resolves to the full name used
elsewhere on the page.
"""

from __future__ import annotations

import re
from functools import lru_cache

ROLE_WORDS = {
    "president", "prime", "minister", "foreign", "defense", "defence", "secretary", "general",
    "gen", "gen.", "mayor", "governor", "gov.", "chief", "commander", "spokesman",
    "spokeswoman", "spokesperson", "senator", "sen.", "rep.", "representative", "chairman",
    "chairwoman", "chair", "director", "head", "ambassador", "chancellor", "king", "queen",
    "prince", "pope", "judge", "justice", "col.", "lt.", "maj.", "capt.", "sgt.", "adm.", "mr.",
    "mrs.", "ms.", "dr.", "prof.", "deputy", "vice", "acting", "former", "interior", "state",
    "senior", "top", "national", "security", "advisor", "adviser", "ceo", "leader", "speaker",
    "commissioner", "attorney", "officer", "inspector", "premier", "patriarch", "envoy",
    "diplomat", "lawmaker", "mp", "official", "analyst", "economist", "professor", "coach",
    "captain", "sheriff", "lieutenant", "colonel", "major", "sergeant", "admiral", "marshal",
    "rev.", "father", "bishop", "cardinal", "founder", "owner", "executive", "manager",
    "health", "finance", "economy", "homeland", "white", "house", "press",
    "chief-of-staff", "commander-in-chief", "regional", "military", "administration", "of",
    "the", "for", "and", "affairs", "policy", "intelligence", "staff", "joint", "chiefs",
    "council", "member", "opposition", "party", "city", "region", "district",
    "secretary-general", "director-general", "attorney-general", "governor-general",
    "vice-president", "co-founder", "chief-executive", "dr", "mr", "mrs", "ms", "prof", "sen", "rep",
    "gov", "col", "lt", "maj", "capt", "sgt", "adm", "rev", "dame", "sir", "lord", "lady", "baroness",
}
PARTICLES = {"von", "der", "van", "de", "del", "da", "di", "la", "le", "bin", "al", "ibn", "dos"}
# Capitalised words that are not names: demonyms, places and bodies seen in news copy.
NOT_NAME = {
    "the", "a", "an", "russian", "ukrainian", "american", "us", "u.s.", "eu", "european",
    "british", "uk", "u.k.", "chinese", "french", "german", "israeli", "palestinian", "iranian",
    "nato", "un", "u.n.", "kremlin", "pentagon", "white", "house", "union", "commission",
    "ministry", "office", "army", "forces", "police", "government", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "cnn", "bbc", "reuters", "ap", "afp", "he", "she", "it", "they", "we", "i", "when", "while",
    "after", "before", "however", "meanwhile", "in", "on", "at", "but", "and", "his", "her",
    "their", "its", "this", "that", "these", "those", "some", "top", "state", "tv", "news",
}
PRONOUNS = {"he", "she", "it", "they", "we", "i"}
INSTITUTION_HEADS = {
    "office", "administration", "ministry", "officials", "official", "police", "military",
    "army", "government", "spokesperson", "spokesman", "spokeswoman", "agency", "council",
    "committee", "service", "department", "court", "team", "authorities", "forces", "command",
    "kremlin", "pentagon", "commission", "company", "group", "party", "organization",
    "organisation", "prosecutor", "prosecutors", "investigators", "witnesses", "residents",
    "sources", "source", "statement", "readout", "report", "embassy", "staff", "operator",
    "nato", "union", "un", "eu", "house", "board", "bureau", "institute", "watchdog",
    "regulator", "hospital", "guard", "navy", "corps", "directorate", "cabinet",
    "parliament", "congress", "senate", "mission", "media", "outlet", "headquarters",
    "utility", "firm", "airline", "broadcaster", "network", "insurer", "bank", "carrier",
    "manufacturer", "retailer", "university", "school", "charity", "club", "league", "federation",
    "facility", "plant", "center", "centre", "clinic", "station", "authority", "campaign", "coalition",
    "association", "foundation", "newspaper", "channel", "observatory", "monitor",
    "opposition", "leadership", "junta", "regime", "rebels", "militants", "insurgents", "campaigners",
}
DOCUMENTS = {"readout", "statement", "report", "document", "filing", "transcript", "release",
             "post", "communique", "communiqué", "decree", "letter", "memo", "advisory", "bulletin",
             "update", "notice", "order", "ruling", "indictment", "complaint", "lawsuit", "study",
             "survey", "analysis", "poll", "assessment", "findings", "reports", "warning", "alert",
             "tweet", "message", "briefing", "announcement", "forecast"}
# First words of capitalised runs that name places, storms and things, never people.
NOT_PERSON_FIRST = {
    "hurricane", "storm", "typhoon", "cyclone", "tropical", "lake", "mount", "mt.", "port", "fort",
    "camp", "cape", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "new", "san", "santa", "los", "las", "saint", "st.", "gulf", "bay", "river", "island",
    "operation", "covid-19", "covid", "great", "united", "upper", "lower", "greater", "old",
    "royal", "federal", "supreme", "high", "district", "county", "city", "state",
}
# Last words of capitalised runs that name organisations, places and things.
NOT_PERSON_LAST = {
    "cross", "center", "centre", "service", "services", "protection", "association", "foundation",
    "agency", "institute", "administration", "department", "ministry", "office", "council",
    "committee", "commission", "court", "hospital", "university", "college", "school", "party",
    "league", "union", "bank", "fund", "group", "company", "corporation", "inc", "ltd", "news",
    "times", "post", "journal", "press", "radio", "tv", "television", "network", "channel",
    "square", "street", "avenue", "road", "bridge", "park", "plaza", "station", "airport", "port",
    "plant", "unit", "base", "city", "county", "state", "states", "province", "region", "republic",
    "kingdom", "island", "islands", "valley", "coast", "sea", "ocean", "river", "lake", "mountains",
    "forces", "army", "navy", "guard", "police", "government", "parliament", "senate", "congress",
    "house", "assembly", "cabinet", "embassy", "mission", "command", "authority", "board",
    "program", "programme", "project", "act", "bill", "treaty", "agreement", "accord", "summit",
    "museum", "church", "cathedral", "stadium", "arena", "hall", "tower", "building", "center's",
    "watch", "international", "organization", "organisation", "alliance", "coalition", "movement",
}
_GROUP_PLURAL = re.compile(r"(?:ians|eans|cans|ists|ites|crats|ives|erals)$")
PREPOSITIONS = {"of", "for", "in", "at", "from", "to", "on", "with", "by"}

_TOKEN = re.compile(r"[A-Za-z][\w.'’-]*")


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


@lru_cache(maxsize=1024)
def split_role(np: str) -> tuple[str | None, str | None]:
    """(name, role) from a noun phrase; name None when no person is named."""
    np = np.strip().strip(",").strip()
    # Appositive: "The city's mayor, Oleksandr Honcharenko" / "Pavlo Kyrylenko, head of …"
    if "," in np:
        parts = [p.strip() for p in np.split(",") if p.strip()]
        for i, part in enumerate(parts):
            name, role = split_role(part)
            if name and not role:
                rest = ", ".join(p for j, p in enumerate(parts) if j != i and not p.isdigit()) or None
                return name, rest
        np = parts[0] if parts else np
    toks = np.split()
    i = len(toks)
    while i > 0:
        t = toks[i - 1]
        bare = t.rstrip(".,").lower()
        if _is_cap(t) and bare not in ROLE_WORDS and bare not in NOT_NAME and "'" not in t and "’" not in t or bare in PARTICLES and i < len(toks):
            i -= 1
        else:
            break
    while i < len(toks) and toks[i].lower() in PARTICLES:
        i += 1
    name_toks = toks[i:]
    if not name_toks:
        return None, np or None
    if i > 0 and toks[i - 1].lower() in PREPOSITIONS:
        # "the mayor of Mariupol": the capitalised words complete the role, they name no one;
        # "Minister of Healthcare Viktor Lyashko": the role's complement, then the name.
        if len(name_toks) <= 2:
            return None, np
        i = len(toks) - 2
        name_toks = toks[i:]
    role = " ".join(toks[:i]).strip() or None
    return " ".join(name_toks), role


@lru_cache(maxsize=1024)
def looks_person(name: str | None) -> bool:
    """A capitalised run that can name a person: not a storm, a place or a body."""
    if not name:
        return False
    words = name.split()
    first, last = words[0].lower(), words[-1].lower().strip(".,")
    if first in NOT_PERSON_FIRST or last in NOT_PERSON_LAST or last in INSTITUTION_HEADS:
        return False
    if any(w.lower().strip(".,") in NOT_NAME for w in words):
        return False
    if len(words) == 1 and _GROUP_PLURAL.search(words[0]):
        return False  # "Democrats", "Ukrainians", "Conservatives": a group, not a person
    return not any(w.isupper() and len(w) > 1 and not w.endswith(".") for w in words)  # "US", "NHC"


@lru_cache(maxsize=1024)
def is_institution(np: str) -> bool:
    words = [w.strip(".,").lower() for w in np.split()]
    if not words:
        return False
    return words[-1] in INSTITUTION_HEADS or words[-1].endswith(("'s office", "ministry"))


def full_names(text: str) -> dict[str, str]:
    """Surname → full name, for every person named with two or more words in text ('' when two people share it),
    and 'the chancellor' → the person the page names with that title ('Chancellor Jeremy Hunt')."""
    out: dict[str, str] = {}
    ambiguous: set[str] = set()
    for m in re.finditer(r"(?:[A-Z][\w’'-]+ +)(?:(?:[A-Z][\w’'-]+|von|der|van|de|bin|al) +)*[A-Z][\w’'-]+", text):
        name, _ = split_role(m.group(0))
        if not name or len(name.split()) < 2:
            continue
        words = name.split()
        if any(w.lower() in NOT_NAME or w.lower() in INSTITUTION_HEADS for w in words):
            continue
        if not looks_person(name):
            continue
        surname = words[-1]
        if out.get(surname, name) != name and not same_person(out[surname], name):
            ambiguous.add(surname)  # two people with one surname: "Biden" alone names neither
        out.setdefault(surname, name)
    for surname in ambiguous:
        out[surname] = ""  # known to be ambiguous: callers must not resolve it
    # "Chancellor Jeremy Hunt", "Jeremy Hunt, the Chancellor," or "the Chancellor, Jeremy Hunt," anywhere on the
    # page: a later "the Chancellor" is Jeremy Hunt (unless two hold it)
    for m in re.finditer(r"(?:[A-Z][\w’'-]+ +)+[A-Z][\w’'-]+", text):
        name, role = split_role(m.group(0))
        if not name or not role or len(name.split()) < 2 or not looks_person(name) or not role[:1].isupper():
            continue
        _hold(out, role, name)
    for m in _ROLE_THEN_NAME.finditer(text):
        _hold(out, m["role"], m["name"])
    for m in _NAME_THEN_ROLE.finditer(text):
        _hold(out, m["role"], m["name"])
    return out


_OFFICE_ALT = "chancellor|president|(?:prime )?minister|premier|governor|mayor|secretary|senator|ambassador|" \
              "commissioner|chairman|chairwoman|chair|speaker|treasurer|attorney-general|secretary-general|pope|" \
              "king|queen|chief|commander|envoy"
_NAME_RUN_2 = r"(?P<name>[A-Z][\w’'-]+(?: +(?:[A-Z][\w’'-]+|von|der|van|de|bin|al))* +[A-Z][\w’'-]+)"
# "the Chancellor, Jeremy Hunt," / "the city's mayor, Eric Adams, said"
_ROLE_THEN_NAME = re.compile(rf"\b[Tt]he (?P<role>(?:[\w’'-]+ ){{0,3}}?(?i:{_OFFICE_ALT}))\b,? {_NAME_RUN_2}"
                             r"(?=,|\s+(?:said|says|told|tells)\b)")
# "Jeremy Hunt, the Chancellor, rose" / "Eric Adams, the mayor."
_NAME_THEN_ROLE = re.compile(rf"{_NAME_RUN_2}, the (?P<role>(?:[\w’'-]+ ){{0,3}}?(?i:{_OFFICE_ALT}))"
                             r"(?=[,.;:]|\s+(?:said|says|told|tells)\b)")
# Words before a title that name another office: "Shadow Chancellor X" is not the Chancellor, "Deputy Prime
# Minister X" not the Prime Minister, "former Chancellor X" not today's. A later bare "the Chancellor" then
# names neither (vague, never the wrong person).
OTHER_OFFICE = {"shadow", "former", "ex", "ex-", "deputy", "vice", "acting", "assistant", "junior", "under",
                 "opposition", "interim", "then", "late", "outgoing", "incoming", "would-be", "future", "past"}


def _hold(out: dict[str, str], role: str, name: str) -> None:
    """Note that name holds role: 'the <role>' and its shorter forms ('the foreign minister', 'the minister')."""
    name = split_role(name)[0] or ""  # "On Wednesday Jeremy Hunt" → Jeremy Hunt
    if len(name.split()) < 2 or not looks_person(name):
        return
    words = [w for w in re.sub(r"^(?:the|a|an)\s+", "", role.strip(), flags=re.IGNORECASE).lower().split() if w]
    if not words or words[-1] not in OFFICES and " ".join(words[-2:]) not in OFFICES:
        return
    other = any(w in OTHER_OFFICE or w.startswith("ex-") or w.startswith("then-") for w in words[:-1])
    for key in {" ".join(words), " ".join(words[-2:]), words[-1]}:
        key = "the " + key
        if other and key != "the " + " ".join(words):
            if key in out and out[key]:
                out[key] = ""  # a holder and someone of another office share the bare title: vague
            else:
                out.setdefault(key, "")
            continue
        if out.get(key, name) != name and not same_person(out[key], name):
            out[key] = ""
        elif key not in out:
            out[key] = name


OFFICES = {"chancellor", "president", "minister", "premier", "governor", "mayor", "secretary", "senator",
           "ambassador", "commissioner", "chairman", "chairwoman", "chair", "speaker", "treasurer",
           "attorney-general", "secretary-general", "pope", "king", "queen", "chief", "commander", "envoy"}


def same_person(a: str, b: str) -> bool:
    """'Dr. Craig Spencer' and 'Craig Spencer'; 'Joe Biden' and 'Joseph R. Biden'."""
    wa = [w.strip(".").lower() for w in a.split() if w.lower().strip(".") not in {"dr", "mr", "mrs", "ms", "prof"}]
    wb = [w.strip(".").lower() for w in b.split() if w.lower().strip(".") not in {"dr", "mr", "mrs", "ms", "prof"}]
    return wa == wb or (wa[-1:] == wb[-1:] and (wa[0] in wb[0] or wb[0] in wa[0]))
