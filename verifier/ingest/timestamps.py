"""Live-blog time stamps: relative ("2 hr 6 min ago") and absolute ("7:27 p.m. ET, March 4, 2022")."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

ZONES = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "GMT": "UTC", "UTC": "UTC", "BST": "Europe/London",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Kyiv", "EEST": "Europe/Kyiv",
    "HKT": "Asia/Hong_Kong", "JST": "Asia/Tokyo", "IST": "Asia/Kolkata", "AEDT": "Australia/Sydney",
    "AEST": "Australia/Sydney",
}

_UNIT = r"(?:(?P<{0}>\d+)\s*{1})"
RELATIVE = re.compile(
    r"^(?:"
    + _UNIT.format("d", r"(?:d|days?)")
    + r"\s*)?(?:"
    + _UNIT.format("h", r"(?:hr|hrs|hours?|h)")
    + r"\s*)?(?:"
    + _UNIT.format("m", r"(?:min|mins|minutes?|m)")
    + r"\s*)?ago$",
    re.IGNORECASE,
)
JUST_NOW = re.compile(r"^just now$", re.IGNORECASE)
_CLOCK = r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?"
_ZONE = r"(?:\s*(?P<zone>[A-Z]{2,4}))?"
_DATE = r"(?P<month>[A-Z][a-z]+\.?)\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
ABSOLUTE = re.compile(rf"^{_CLOCK}{_ZONE},?\s+{_DATE}$")

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def is_timestamp(line: str) -> bool:
    line = line.strip()
    if JUST_NOW.match(line):
        return True
    m = RELATIVE.match(line)
    if m and any(m.group(g) for g in "dhm"):
        return True
    return parse_absolute(line) is not None


def parse_absolute(line: str) -> datetime | None:
    m = ABSOLUTE.match(line.strip())
    if not m:
        return None
    month = _MONTHS.get(m["month"].rstrip(".").lower()[:3])
    if month is None:
        return None
    hour = int(m["hour"])
    minute = int(m["minute"] or 0)
    ampm = (m["ampm"] or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    zone = ZoneInfo(ZONES.get(m["zone"] or "", "UTC"))
    try:
        return datetime(int(m["year"]), month, int(m["day"]), hour, minute, tzinfo=zone)
    except ValueError:
        return None


def resolve(stamp: str, updated: datetime | None) -> datetime | None:
    """The absolute time of a stamp; relative ones count back from the page's Updated time."""
    stamp = stamp.strip()
    absolute = parse_absolute(stamp)
    if absolute is not None:
        return absolute
    if updated is None:
        return None
    if JUST_NOW.match(stamp):
        return updated
    m = RELATIVE.match(stamp)
    if not m:
        return None
    return updated - timedelta(
        days=int(m["d"] or 0), hours=int(m["h"] or 0), minutes=int(m["m"] or 0)
    )
