"""Showing untrusted text: control characters, bidi overrides and invisible characters made visible.

Text from the web may carry escape sequences (which retitle or redraw a
terminal), bidi overrides (which reorder what is shown: "Trojan source") and
zero-width characters (which hide a difference between two strings). Anything
that reaches a terminal, a CSV cell or a report goes through ``printable``.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates; zero-width and other invisible format characters.
INVISIBLE = (
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; LRM, RLM
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # zero-width no-break space (BOM)
)
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}]")


def _show(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ord(ch) < 0xA0:
        return f"\\x{ord(ch):02x}"
    return f"⟨U+{ord(ch):04X}⟩"


def printable(text: str) -> str:
    """Control characters shown as escapes (\\x1b), bidi and zero-width characters as ⟨U+202E⟩.

    Tab and newline are kept; everything else is shown as the characters it is,
    so what a person reads is what the source holds.
    """
    if not _UNSAFE.search(text):  # the common case: nothing to do
        return text
    return _UNSAFE.sub(_show, text)


def visible(text: str) -> str:
    """Only bidi and zero-width characters made visible (for a widget that escapes controls itself)."""
    return _INVISIBLE.sub(_show, text)


def cell(text: str) -> str:
    """A CSV cell: printable (a cell may hold newlines, CSV quotes them; a lone CR would redraw a line)."""
    return printable(text)


def one_line(text: str, width: int | None = None) -> str:
    s = " ".join(printable(text).split())
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def json_safe(text: str) -> str:
    """JSON text with C1 controls, bidi and zero-width characters written as \\uXXXX escapes.

    Still the same JSON value (a reader decodes it back exactly), but nothing in
    it can reorder or redraw a terminal it is printed to.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def is_web_url(url: object) -> bool:
    """An http(s) URL with a host and nothing a browser or terminal would act on."""
    return (isinstance(url, str) and re.fullmatch(r"https?://[^\s<>\"'\\\x00-\x1f\x7f-\x9f]+", url, re.I) is not None
            and not _INVISIBLE.search(url) and len(url.split("://", 1)[1]) > 0)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s); None otherwise (javascript:, data:, file: ... are never published)."""
    return url if url is not None and is_web_url(url) else None


def url_scheme(text: str) -> str | None:
    """The scheme a string starts with ("javascript" for "javascript:alert(1)"), else None."""
    m = _SCHEME.match(text)
    return m.group(1).lower() if m else None
