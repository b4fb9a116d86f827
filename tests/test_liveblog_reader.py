from datetime import datetime

from verifier.ingest import read_document
from verifier.ingest import liveblog


def test_sample_posts_headlines_bylines_and_times(sample_path):
    doc = read_document(str(sample_path))
    assert doc.kind == "liveblog"
    assert doc.updated == "2023-02-02T10:42:00-05:00"
    # The capture holds nine time-stamped posts (the page header counts 20 on the full page).
    assert len(doc.posts) == 9
    first = doc.posts[0]
    assert first.headline.startswith("There have been attacks in Kramatorsk today")
    assert first.byline == "CNN's Tim Lister, Fred Pleitgen and Sana Noor Haq"
    assert first.timestamp_raw == "2 hr 6 min ago"
    assert first.published == "2023-02-02T08:36:00-05:00"
    # curly apostrophe bylines are recognised as bylines, not paragraphs
    assert doc.posts[1].byline == "CNN\u2019s Anna Chernova"
    assert doc.posts[1].paragraphs[0].startswith("Moscow \u201cwill do everything\u201d")
    for post in doc.posts:
        when = datetime.fromisoformat(post.published)
        assert when.date().isoformat() == "2023-02-02"
        assert post.headline and post.byline and post.paragraphs
    assert [p.timestamp_raw for p in doc.posts][-1] == "5 hr 6 min ago"
    assert doc.posts[-1].published == "2023-02-02T05:36:00-05:00"


def test_header_and_furniture_are_not_content(sample_path):
    doc = read_document(str(sample_path))
    text = "\n".join(p.body for p in doc.posts)
    assert "Sort by" not in text
    assert "20 Posts" not in text
    assert "Updated 10:42" not in text
    assert "Tara Subramaniam" in doc.bylines


LIVEBLOG = """Storm live updates By Ann Example and Bob Sample, Example News
Updated 7:30 p.m. ET, March 4, 2022
12 Posts
Sort by
What we covered here
• The storm killed at least 12 people, officials said.
• About 40,000 homes lost power.
Just now
Governor declares emergency
From Example News' Ann Example
The governor declared a state of emergency on Friday, her office said.
Want to help? Here's how you can support storm victims.
Flooded street in Dover.
Flooded street in Dover.
Crews worked through the night.
7:27 p.m. ET, March 4, 2022
Power cuts spread
By Bob Sample
About 40,000 homes lost power, the utility said.
1 hr 5 min ago
First warnings issued
From Example News’ Bob Sample
Forecasters warned of winds up to 90 mph.
"""


def test_written_liveblog_with_summary_furniture_and_absolute_stamps(tmp_path):
    path = tmp_path / "storm.txt"
    path.write_text(LIVEBLOG)
    doc = read_document(str(path))
    assert doc.kind == "liveblog"
    assert doc.title == "Storm live updates"
    assert doc.bylines == ["Ann Example", "Bob Sample", "Example News"]
    summary, emergency, power, warnings = doc.posts
    assert summary.is_summary and summary.published is None
    assert summary.headline == "What we covered here"
    assert summary.paragraphs == ["The storm killed at least 12 people, officials said.",
                                  "About 40,000 homes lost power."]
    assert emergency.published == "2022-03-04T19:30:00-05:00"
    # promo line and the caption copied twice are furniture
    assert emergency.paragraphs == [
        "The governor declared a state of emergency on Friday, her office said.",
        "Crews worked through the night.",
    ]
    assert power.published == "2022-03-04T19:27:00-05:00" and power.byline == "Bob Sample"
    assert warnings.published == "2022-03-04T18:25:00-05:00"
    assert warnings.byline == "Example News’ Bob Sample"


def test_plain_article_is_not_mistaken_for_a_liveblog():
    assert not liveblog.looks_like_liveblog("A title\n\nSome text about 3 days ago.\n")
