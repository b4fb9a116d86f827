"""A saved live-blog page read from its schema.org LiveBlogPosting (liveBlogUpdate)."""

from pathlib import Path

from verifier.ingest import jsonld, read_document

DATA = Path(__file__).resolve().parent / "data"
PAGE = DATA / "liveblog-jsonld.html"


def test_liveblog_updates_become_posts_in_page_order():
    doc = read_document(str(PAGE))
    assert doc.kind == "html"
    assert doc.title == "Flood live: river peaks in Harbourtown"
    assert doc.url == "https://courier.example/news/flood-live"
    assert doc.bylines == ["Rita Example", "Sam Sample"]
    assert doc.updated == "2025-03-14T16:40:00+00:00"
    first, second, third = doc.posts
    assert first.headline == "River reaches record 6.2 metres"
    assert first.paragraphs == [
        "The river peaked at 6.2 metres on Friday afternoon, the highest level since records began, "
        "the environment agency said.",
        "About 300 homes were evacuated, according to the council.",
    ]
    assert first.published == "2025-03-14T16:35:00+00:00"
    assert first.url == "https://courier.example/news/flood-live#post-3"
    assert first.byline == "Rita Example"
    # an articleBody carrying HTML keeps its paragraph breaks; a relative anchor is resolved
    assert second.paragraphs == ["Network Rail said the line between Harbourtown and Millbridge "
                                 "would stay closed until Monday.", "Replacement buses are running."]
    assert second.url == "https://courier.example/news/flood-live#post-2"
    # an update without a headline is still a post
    assert third.headline is None and third.paragraphs[0].startswith("Good afternoon")
    # the page's body text is not read when the structured data carries the posts
    assert not any("should not need" in p.body for p in doc.posts)


def test_function_takes_html_text_and_base_url():
    html = PAGE.read_text().replace('<link rel="canonical" href="https://courier.example/news/flood-live">', "")
    html = html.replace('"url": "https://courier.example/news/flood-live",', "")
    doc = jsonld.read_liveblog(html, "https://mirror.example/flood")
    assert doc is not None and doc.url == "https://mirror.example/flood"
    assert doc.posts[1].url == "https://mirror.example/flood#post-2"


def test_pages_without_liveblog_data_or_without_bodies_fall_back():
    plain = "<html><head><title>t</title></head><body><p>Just an article.</p></body></html>"
    assert jsonld.read_liveblog(plain, "https://e.example/a") is None
    stripped = ('<html><head><script type="application/ld+json">{"@type": "LiveBlogPosting", '
                '"liveBlogUpdate": [{"@type": "BlogPosting", "headline": "Only a title"}]}'
                "</script></head><body><p>x</p></body></html>")
    assert jsonld.read_liveblog(stripped, None) is None


def test_microdata_liveblog_is_read_too():
    html = """<html><body><div itemscope itemtype="https://schema.org/LiveBlogPosting">
    <h1 itemprop="headline">Count live</h1>
    <div itemprop="liveBlogUpdate" itemscope itemtype="https://schema.org/BlogPosting">
      <h2 itemprop="headline">Turnout at 61%</h2>
      <time itemprop="datePublished" datetime="2024-07-04T21:10:00+01:00">21:10</time>
      <div itemprop="articleBody">Turnout reached 61% by 9pm, the returning officer said.</div>
    </div></div></body></html>"""
    doc = jsonld.read_liveblog(html, "https://e.example/count")
    assert doc is not None and doc.title == "Count live"
    (post,) = doc.posts
    assert post.headline == "Turnout at 61%"
    assert post.published == "2024-07-04T21:10:00+01:00"
    assert post.paragraphs == ["Turnout reached 61% by 9pm, the returning officer said."]
