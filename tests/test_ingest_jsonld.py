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


def test_liveblog_page_without_structured_data_is_read_from_its_visible_text():
    doc = read_document(str(DATA / "liveblog-plain.html"))
    assert doc.kind == "html"
    assert doc.title == "Marathon live: record crowds line the route"
    assert doc.updated == "2024-04-21T12:40:00+01:00"
    assert [p.headline for p in doc.posts] == ["Winner breaks course record", "Crowds of 750,000 expected",
                                               "Race under way"]
    assert doc.posts[0].published == "2024-04-21T12:35:00+01:00"  # BST kept, the day from the header
    assert doc.posts[0].paragraphs == ["The men's race was won in 2:03:41, a course record, the organisers said.",
                                       "The previous record had stood since 2019."]
    assert not any("Copyright" in p.body or "Home" in p.body for p in doc.posts)


def test_posts_beyond_the_structured_datas_newest_updates_are_kept():
    doc = read_document(str(DATA / "liveblog-jsonld-partial.html"))
    assert [p.headline for p in doc.posts] == ["New national record of 40.3C", "Rail speed limits imposed",
                                               "Red warning in force"]
    assert doc.posts[0].url == "https://daily.example/heatwave-live#p3"
    older = doc.posts[2]
    assert older.published == "2022-07-19T09:30:00+01:00"
    assert older.paragraphs == ["The forecaster's first red warning for extreme heat came into force at midnight."]
