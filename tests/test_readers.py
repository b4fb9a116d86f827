import json

import pytest

from verifier.errors import InputError
from verifier.ingest import read_document


def test_json_list_and_object_and_jsonl(tmp_path):
    posts = [
        {"headline": "Blast in port", "body": "At least 40 people were hurt, the mayor said.",
         "published": "2023-02-02T10:00:00Z", "url": "https://example.org/1", "byline": "A. Writer"},
        {"headline": "Second post", "body": ["Para one.", "Para two, 3 people said."]},
    ]
    p1 = tmp_path / "posts.json"
    p1.write_text(json.dumps(posts))
    d1 = read_document(str(p1))
    assert d1.kind == "json" and len(d1.posts) == 2
    assert d1.posts[0].url == "https://example.org/1"
    assert d1.posts[0].published == "2023-02-02T10:00:00Z"
    assert d1.posts[1].paragraphs == ["Para one.", "Para two, 3 people said."]

    p2 = tmp_path / "feed.json"
    p2.write_text(json.dumps({"title": "Feed", "url": "https://example.org/feed", "posts": posts}))
    d2 = read_document(str(p2))
    assert d2.title == "Feed" and d2.url == "https://example.org/feed"

    p3 = tmp_path / "posts.jsonl"
    p3.write_text("\n".join(json.dumps(p) for p in posts) + "\n")
    d3 = read_document(str(p3))
    assert [p.headline for p in d3.posts] == ["Blast in port", "Second post"]


def test_malformed_json_is_one_clear_error(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('[{"headline": "x", "body": }]')
    with pytest.raises(InputError, match="malformed JSON at line 1"):
        read_document(str(p))


def test_markdown_one_post_per_heading(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("# Storm report\n\n## Damage\n\nThe storm damaged **300 homes**, officials said.\n\n"
                 "## Aid\n\n- The EU pledged €5 million.\n- [Red Cross](https://x.org) sent 20 trucks.\n")
    d = read_document(str(p))
    assert d.title == "Storm report"
    assert [x.headline for x in d.posts] == ["Damage", "Aid"]
    assert d.posts[0].paragraphs == ["The storm damaged 300 homes, officials said."]
    assert d.posts[1].paragraphs == ["The EU pledged €5 million.", "Red Cross sent 20 trucks."]


def test_plain_text_article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Mayor warns of cuts\n\nThe city will cut 200 jobs, the mayor said.\n\nMore later.\n")
    d = read_document(str(p))
    assert d.kind == "text" and d.posts[0].headline == "Mayor warns of cuts"
    assert d.posts[0].paragraphs == ["The city will cut 200 jobs, the mayor said.", "More later."]


def test_html_readable_text(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Mayor says 40 hurt</title></head><body><nav>Home | News | Sport</nav>"
        "<article><h1>Mayor says 40 hurt</h1><p>At least 40 people were hurt in the blast, the mayor "
        "said on Tuesday, according to a statement from the city.</p><p>\"We will rebuild,\" Mayor Jane "
        "Doe told reporters. She said the city would spend $3 million on repairs over the year.</p>"
        "</article><footer>Copyright 2023</footer></body></html>")
    d = read_document(str(p))
    assert d.kind == "html"
    body = d.posts[0].body
    assert "At least 40 people were hurt" in body and "$3 million" in body
    assert "Copyright" not in body and "Home | News" not in body


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
])
def test_unreadable_inputs(tmp_path, content, message):
    p = tmp_path / "input.txt"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(str(p))


def test_directory_is_refused(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_document(str(tmp_path))
