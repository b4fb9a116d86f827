"""Live-blog time stamps in the forms outlets print them.

A stamp is read token by token (clock time, zone, weekday, month, day, year,
numeric date, filler words such as "published at"), so every order outlets use
is read by one parser: ``14:32 GMT``, ``14.32 GMT``, ``published at 19:01
Greenwich Mean Time 29 March``, ``2:15 p.m. ET, May 4, 2023``,
``3/16/2016 1:01:45 PM``, ``Sat March 5, 2022``, ``6th Mar 2024, 11:14 GMT``;
relative stamps (``3 min ago``, ``2 hr 6 min ago``, ``Just now``) count back
from the page's "Updated" time. ``resolve_page`` completes stamps that lack a
year or a day from the header and the neighbouring posts; a time keeps the
zone it was printed in (or the page's zone when it has none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

ZONES = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC", "BST": "Europe/London", "WET": "Europe/Lisbon",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Kyiv", "EEST": "Europe/Kyiv",
    "MSK": "Europe/Moscow", "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore", "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul", "IST": "Asia/Kolkata", "PKT": "Asia/Karachi",
    "AEDT": "Australia/Sydney", "AEST": "Australia/Sydney", "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide", "AWST": "Australia/Perth", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland", "SAST": "Africa/Johannesburg", "WAT": "Africa/Lagos",
    "EAT": "Africa/Nairobi",
}
LONG_ZONES = {
    "greenwich mean time": "GMT", "coordinated universal time": "UTC", "universal time": "UTC",
    "british summer time": "BST", "uk time": "BST", "eastern time": "ET", "eastern standard time": "ET",
    "eastern daylight time": "ET", "central time": "CT", "pacific time": "PT", "mountain time": "MT",
    "central european time": "CET", "central european summer time": "CET", "eastern european time": "EET",
    "moscow time": "MSK", "australian eastern standard time": "AEST", "australian eastern daylight time": "AEDT",
    "australian eastern time": "AEST",
}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?"
_AMPM = r"(?:a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
_LONG = "|".join(sorted((re.escape(k) for k in LONG_ZONES), key=len, reverse=True))

# One token at a time; named groups say what it was.
_TOKEN = re.compile(
    rf"(?P<time>(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:[:.](?P<s>\d{{2}}))?(?:\s*(?P<ap>{_AMPM}))?)"
    rf"|(?P<htime>(?P<h2>\d{{1,2}})\s*(?P<ap2>{_AMPM}))"
    r"|(?P<hhmm>(?P<h3>[01]\d|2[0-3])(?P<mi3>[0-5]\d))(?=\s*(?:GMT|UTC|BST|ET|EST|EDT|CET|CEST|Z)\b)"
    rf"|(?P<numdate>(?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})/(?P<n3>\d{{4}}|\d{{2}}))(?!\d)"
    rf"|(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))(?!\d)"
    rf"|(?P<lzone>{_LONG})\b"
    rf"|(?P<offset>(?:gmt|utc)\s?[+-]\s?\d{{1,2}}(?::?\d{{2}})?)(?!\d)"
    rf"|(?P<weekday>{_WEEKDAY})(?![a-z])"
    rf"|(?P<month>{_MONTH})(?![a-z])"
    rf"|(?P<year>(?:19|20)\d{{2}})(?!\d)"
    rf"|(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
    r"|(?P<filler>(?:first |last )?(?:published|updated|posted|edited|at|on|of|the|local time|today)(?![a-z]))"
    rf"|(?P<zone>[A-Z]{{1,4}})(?![A-Za-z])"
    r"|(?P<punct>[,|•·–—\-/()\[\]:;]+)",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"^(?:(?:updated|posted|published)\s+)?(?:(?P<d>\d+|an?|one)\s*(?:d|days?)\s*)?"
    r"(?:(?P<h>\d+|an?|one)\s*(?:hr|hrs|hours?|h)\s*)?"
    r"(?:(?P<m>\d+|an?|one)\s*(?:min|mins|minutes?|m)\s*)?(?:(?P<s>\d+)\s*(?:sec|secs|seconds?|s)\s*)?ago$",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")
JUST_NOW = re.compile(r"^(?:just now|moments ago|a moment ago|now)$", re.IGNORECASE)


@dataclass(frozen=True)
class Stamp:
    """What a stamp says; parts it does not print are None."""
    raw: str
    hour: int | None = None
    minute: int | None = None
    second: int = 0
    zone: str | None = None  # an IANA name, or a fixed offset "+05:30"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    ago: timedelta | None = None  # relative stamps ("3 min ago", "Just now" = 0)

    @property
    def has_time(self) -> bool:
        return self.hour is not None or self.ago is not None

    @property
    def has_date(self) -> bool:
        return self.month is not None and self.day is not None


def _num(s: str | None) -> int:
    if not s:
        return 0
    return 1 if s.lower() in ("a", "an", "one") else int(s)


def _relative(text: str) -> Stamp | None:
    if JUST_NOW.match(text):
        return Stamp(text, ago=timedelta(0))
    m = RELATIVE.match(text)
    if not m or not any(m.group(g) for g in ("d", "h", "m", "s")):
        return None
    return Stamp(text, ago=timedelta(days=_num(m["d"]), hours=_num(m["h"]), minutes=_num(m["m"]),
                                     seconds=_num(m["s"])))


def _epoch(text: str) -> Stamp | None:
    """A Unix time printed as the stamp (seconds or milliseconds), as some pages' text copies show."""
    if not re.fullmatch(r"\d{10}|\d{13}", text):
        return None
    secs = int(text) / (1000 if len(text) == 13 else 1)
    if not 946684800 <= secs < 4102444800:  # 2000-2100
        return None
    from datetime import timezone
    dt = datetime.fromtimestamp(secs, tz=timezone.utc)
    return Stamp(text, hour=dt.hour, minute=dt.minute, second=dt.second, zone="UTC",
                 year=dt.year, month=dt.month, day=dt.day)


def _zone_of(abbrev: str) -> str | None:
    return ZONES.get(abbrev.upper()) if abbrev.upper() in ZONES else None


def parse_stamp(text: str) -> Stamp | None:
    """The stamp when the whole of ``text`` is one (filler words allowed), else None.

    A stamp needs a clock time, a relative time, or a month with its day."""
    text = text.strip()
    if not text or len(text) > 90:
        return None
    if not _HAS_DIGIT.search(text):
        low = text.lower()
        if "ago" not in low and "now" not in low and "moment" not in low:
            return None  # every stamp prints a number, or says "ago" / "just now"
    rel = _relative(text.rstrip("."))
    if rel is not None:
        return rel
    epoch = _epoch(text)
    if epoch is not None:
        return epoch
    both = re.match(r"^(.{1,30}?\bago)\s+(\S.*)$", text, re.IGNORECASE)
    if both and _relative(both.group(1)) is not None:
        # "1 hour ago 14:32": the clock time printed beside the relative one wins
        later = parse_stamp(both.group(2))
        return replace(later, raw=text) if later is not None and later.has_time else None
    parts: dict[str, int | str | None] = {}
    pos, n = 0, len(text)
    loose_days: list[int] = []
    words = 0
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            return None
        if m.group("time"):
            if "hour" in parts:
                return None
            h, mi = int(m["h"]), int(m["mi"])
            ap = (m["ap"] or "").replace(".", "").replace(" ", "").lower()
            if m.group(0)[len(m["h"])] == "." and not ap and not re.search(
                    r"\b(?:[A-Z]{2,4}|gmt|utc|bst)\b|time", text[m.end():], re.IGNORECASE):
                # "14.32" is a time only beside a zone; else it may be a figure
                return None
            parts.update(hour=_hour(h, ap), minute=mi, second=int(m["s"] or 0))
        elif m.group("htime"):
            if "hour" in parts:
                return None
            ap = m["ap2"].replace(".", "").replace(" ", "").lower()
            parts.update(hour=_hour(int(m["h2"]), ap), minute=0)
        elif m.group("hhmm"):  # wire style "0932 GMT"
            if "hour" in parts:
                return None
            parts.update(hour=int(m["h3"]), minute=int(m["mi3"]))
        elif m.group("numdate"):
            a, b, y = int(m["n1"]), int(m["n2"]), int(m["n3"])
            month, day = (b, a) if a > 12 else (a, b)  # US order unless the first cannot be a month
            parts.update(year=y + 2000 if y < 100 else y, month=month, day=day)
        elif m.group("iso"):
            parts.update(year=int(m["iy"]), month=int(m["im"]), day=int(m["id"]))
        elif m.group("lzone"):
            parts["zone"] = ZONES[LONG_ZONES[m["lzone"].lower()]]
        elif m.group("offset"):
            off = re.sub(r"^(?:gmt|utc)\s?", "", m["offset"], flags=re.IGNORECASE).replace(" ", "")
            sign, rest = off[0], off[1:].replace(":", "")
            hh, mm = (rest[:-2], rest[-2:]) if len(rest) > 2 else (rest, "00")
            parts["zone"] = f"{sign}{int(hh):02d}:{mm}"
        elif m.group("weekday"):
            pass
        elif m.group("month"):
            parts["month"] = _MONTHS[m["month"].rstrip(".").lower()[:3]]
        elif m.group("year"):
            parts["year"] = int(m["year"])
        elif m.group("day"):
            loose_days.append(int(m["day"]))
        elif m.group("zone"):
            z = _zone_of(m["zone"])
            if z is None:
                return None
            parts["zone"] = z
        elif m.group("filler"):
            words += 1
        pos = m.end()
    if loose_days:
        if "month" not in parts or "day" in parts or len(loose_days) > 1:
            return None
        parts["day"] = loose_days[0]
    hour = parts.get("hour")
    if hour is not None and (hour > 23 or (parts.get("minute") or 0) > 59):
        return None
    has_date = "month" in parts and "day" in parts
    if hour is None and not has_date:
        return None
    if has_date and not 1 <= int(parts["day"]) <= 31:  # type: ignore[arg-type]
        return None
    if words > 3:
        return None
    return Stamp(text, **parts)  # type: ignore[arg-type]


def _hour(h: int, ap: str) -> int:
    if ap == "pm" and h != 12:
        return h + 12
    if ap == "am" and h == 12:
        return 0
    return h if not ap or h <= 12 else 99


def is_timestamp(line: str) -> bool:
    """A line that is a post's time stamp: a clock time or a relative time."""
    s = parse_stamp(line)
    return s is not None and s.has_time


# A stamp printed at the end of a line after a byline:
# "by Jo Bloggs edited by Sam Sample 5/21/2022 9:38:14 AM", "Posted by Jo at 14:32 GMT".
_TRAILING_PREFIX = re.compile(
    r"^(?:(?:posted|written|edited|updated|published|reporting|filed)\s+)?by\s+\S.{0,100}$"
    r"|^(?:posted|updated|published|edited|filed)\b.{0,60}$",
    re.IGNORECASE,
)


_STAMP_THEN_NAME = re.compile(r"^(?P<stamp>.{3,60}?)\s*[,|–—]\s*(?P<name>(?:[A-Z][\w.'’-]+\s?){1,4})$")


def split_stamp_and_name(line: str) -> tuple[Stamp, str] | None:
    """(stamp, name) for a stamp line that carries its author: "14:32 , Jane Roe"."""
    m = _STAMP_THEN_NAME.match(line.strip())
    if not m:
        return None
    stamp = parse_stamp(m["stamp"])
    if stamp is None or not stamp.has_time:
        return None
    return stamp, m["name"].strip()


def split_trailing_stamp(line: str) -> tuple[str, Stamp] | None:
    """(byline, stamp) for a byline line that ends with a full stamp (a date and a time)."""
    line = line.strip()
    if len(line) > 160 or not _TRAILING_PREFIX.match(line):
        return None
    words = [m.start() for m in re.finditer(r"\S+", line)]
    for start in words[1:]:
        stamp = parse_stamp(line[start:])
        if stamp is not None and stamp.hour is not None and stamp.has_date:
            return line[:start].strip(), stamp
    return None


_LEADING_DATE = re.compile(
    rf"^(?P<date>(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d{{2}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?=\s*[:;|–—-])))"
    r"\s*(?:[:;|–—-]\s*)?(?P<rest>[\"'“‘A-Z0-9].*)$",
    re.IGNORECASE,
)


def split_leading_date(line: str) -> tuple[Stamp, str] | None:
    """(date, headline) for a headline that opens with its date: "Nov. 17, 2014; Surgeon dies"."""
    m = _LEADING_DATE.match(line.strip())
    if not m or not m["rest"][:1].isupper() and not m["rest"][:1] in "\"'“‘0123456789":
        return None
    stamp = parse_stamp(m["date"])
    if stamp is None or not stamp.has_date:
        return None
    return stamp, m["rest"].strip()


def _tz(zone: str | None) -> tzinfo | None:
    if zone is None:
        return None
    if zone[:1] in "+-":
        from datetime import timezone
        sign = 1 if zone[0] == "+" else -1
        hh, mm = zone[1:].split(":")
        return timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
    try:
        return ZoneInfo(zone)
    except Exception:  # noqa: BLE001 - an unknown zone name: keep the wall time
        return None


def to_datetime(stamp: Stamp, zone: str | None = None) -> datetime | None:
    """A full stamp (date and time) as a datetime in its own zone (else ``zone``)."""
    if stamp.hour is None or not stamp.has_date or stamp.year is None:
        return None
    try:
        return datetime(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute or 0,  # type: ignore[arg-type]
                        stamp.second, tzinfo=_tz(stamp.zone or zone))
    except ValueError:
        return None


def parse_absolute(line: str) -> datetime | None:
    """A line holding a full date and time (any order, with zone), else None."""
    stamp = parse_stamp(line)
    return to_datetime(stamp) if stamp is not None else None


def _wall(dt: datetime) -> datetime:
    return dt.replace(tzinfo=None)


def resolve(stamp: str, updated: datetime | None) -> datetime | None:
    """One stamp alone: absolute ones as printed, relative ones back from the page's Updated time."""
    s = parse_stamp(stamp)
    if s is None:
        return None
    if s.ago is not None:
        return updated - s.ago if updated is not None else None
    return to_datetime(s)


def resolve_page(stamps: list[Stamp | None], header: Stamp | None) -> list[str | None]:
    """ISO times for a page's post stamps, in page order.

    Missing parts come from the neighbouring posts and the header's Updated
    line: a time without a day takes the day of the post above it (a day
    earlier when it is later than that post on a newest-first page), a date
    without a year takes the neighbour's year. Relative stamps count back from
    the header. A stamp with no zone takes the page's zone when one is printed
    anywhere; a date without a time is given as a date."""
    zones = [s.zone for s in stamps if s is not None and s.zone]
    page_zone = (header.zone if header is not None and header.zone else None) or (
        max(set(zones), key=zones.count) if zones else None)
    head_dt = to_datetime(header, page_zone) if header is not None else None
    # newest first unless the clock times mostly rise down the page
    clocks = [s.hour * 60 + (s.minute or 0) for s in stamps
              if s is not None and s.hour is not None and s.ago is None]
    down = sum(1 for a, b in zip(clocks, clocks[1:]) if b < a)
    up = sum(1 for a, b in zip(clocks, clocks[1:]) if b > a)
    order = list(range(len(stamps)))
    if up > down:
        order.reverse()  # oldest first: walk from the newest (bottom) post up
    out: list[str | None] = [None] * len(stamps)
    ref: datetime | None = None  # the last dated post walked, as wall time
    ref_is_header = False
    if head_dt is not None:
        ref, ref_is_header = _wall(head_dt), True
    elif header is not None and header.has_date and header.year:
        ref, ref_is_header = datetime(header.year, header.month, header.day, 23, 59), True  # type: ignore[arg-type]
    for i in order:
        s = stamps[i]
        if s is None:
            continue
        zone = s.zone or page_zone
        if s.ago is not None:
            if head_dt is not None:
                out[i] = (head_dt - s.ago).isoformat()
            continue
        year = s.year
        if s.has_date and year is None and ref is not None:
            year = ref.year
            if date(year, s.month, min(s.day, 28)) > ref.date() + timedelta(days=1):  # type: ignore[arg-type]
                year -= 1
        if s.has_date and year is not None and s.hour is None:
            try:
                d = date(year, s.month, s.day)  # type: ignore[arg-type]
            except ValueError:
                continue
            out[i] = d.isoformat()
            ref, ref_is_header = datetime(d.year, d.month, d.day, 23, 59), False
            continue
        if s.hour is None:
            continue
        if s.has_date and year is not None:
            full = to_datetime(replace(s, year=year), zone)
            if full is None:
                continue
        elif ref is not None:
            wall = datetime.combine(ref.date(), time(s.hour, s.minute or 0, s.second))
            slack = timedelta(hours=6) if ref_is_header else timedelta(minutes=1)
            if wall > ref + slack:
                wall -= timedelta(days=1)
            full = wall.replace(tzinfo=_tz(zone))
        else:
            continue
        out[i] = full.isoformat()
        ref, ref_is_header = _wall(full), False
    # a relative stamp kept from an older capture ("3 min ago" under a later "Updated" line)
    # contradicts the dated posts around it: its time is unknown
    dated = [(i, _wall(datetime.fromisoformat(v))) for i, v in enumerate(out)
             if v and "T" in v and stamps[i] is not None and stamps[i].ago is None]  # type: ignore[union-attr]
    newest_first = up <= down
    for i, s in enumerate(stamps):
        if s is None or s.ago is None or not out[i]:
            continue
        t = _wall(datetime.fromisoformat(out[i]))  # type: ignore[arg-type]
        above = [d for j, d in dated if j < i]
        below = [d for j, d in dated if j > i]
        if newest_first and ((above and t > above[-1]) or (below and t < below[0])):
            out[i] = None
        elif not newest_first and ((above and t < above[-1]) or (below and t > below[0])):
            out[i] = None
    return out
