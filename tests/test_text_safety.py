"""Untrusted text shown as the characters it is; only web URLs published."""

from verifier.text import cell, is_web_url, json_safe, one_line, printable, safe_url, url_scheme, visible


def test_controls_bidi_and_zero_width_are_made_visible():
    s = "a\x1b]0;x\x07b\u202ec\u200bd\x9be\rf\tg\nh"
    out = printable(s)
    assert out == "a\\x1b]0;x\\x07b⟨U+202E⟩c⟨U+200B⟩d\\x9be\\x0df\tg\nh"
    assert one_line(s) == "a\\x1b]0;x\\x07b⟨U+202E⟩c⟨U+200B⟩d\\x9be\\x0df g h"
    assert cell("=1\r\n2") == "=1\\x0d\n2"
    assert visible("x\u2066y\x1b") == "x⟨U+2066⟩y\x1b"  # for widgets that escape controls themselves
    plain = "Zelensky said “we will win” — 30 killed, café"
    assert printable(plain) is plain  # nothing to do: the same object back


def test_json_safe_keeps_the_value():
    import json

    text = json.dumps({"t": "x\u202ey\x85z"}, ensure_ascii=False)
    safe = json_safe(text)
    assert "\u202e" not in safe and "\x85" not in safe
    assert json.loads(safe) == json.loads(text)


def test_only_http_urls_are_published():
    assert is_web_url("https://example.org/a?b=1#c")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x", "file:///etc/passwd",
                "https://exa\u202emple.org", "https://a.org/\x1b[2J", "http://", "ftp://x.org", " https://x.org"):
        assert not is_web_url(bad), bad
        assert safe_url(bad) is None
    assert url_scheme("javascript:alert(1)") == "javascript"
    assert url_scheme("no scheme here") is None
