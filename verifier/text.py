"""Showing untrusted text: control characters and escape sequences made visible."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Escape sequences and other control characters shown as the characters they are (\\x1b)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def one_line(text: str, width: int | None = None) -> str:
    s = " ".join(printable(text).split())
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s
