"""Live blogs in other outlets' house styles: stamp forms, header lines, furniture, summaries.

Every text here was written for these tests (tests/data/liveblogs/), in the styles of
BBC-like, US-network-like, ScribbleLive-like, radio-station-like and NBC-like pages."""

from pathlib import Path

import pytest

from verifier.ingest import liveblog, read_document, timestamps

DATA = Path(__file__).resolve().parent / "data" / "liveblogs"


def read(name):
    return read_document(str(DATA / name))


def posts(doc):
    return [p for p in doc.posts if not p.is_summary]


def all_text(doc):
    return "\n".join([p.headline or "" for p in doc.posts] + [p.body for p in doc.posts])


# ---------------------------------------------------------------- stamp forms, one by one

@pytest.mark.parametrize("text, want", [
    ("14:32 GMT", dict(hour=14, minute=32, zone="UTC")),
    ("14.32 GMT", dict(hour=14, minute=32, zone="UTC")),
    ("published at 19:01 Greenwich Mean Time 29 March", dict(hour=19, minute=1, zone="UTC", month=3, day=29)),
    ("2:15 p.m. ET, May 4, 2023", dict(hour=14, minute=15, zone="America/New_York", year=2023, month=5, day=4)),
    ("3/16/2016 1:01:45 PM", dict(hour=13, minute=1, second=45, year=2016, month=3, day=16)),
    ("12:12 AM ET, Sat March 5, 2022", dict(hour=0, minute=12, year=2022, month=3, day=5)),
    ("6th Mar 2024, 11:14 GMT", dict(hour=11, minute=14, year=2024, month=3, day=6, zone="UTC")),
    ("Posted at 09:15 BST", dict(hour=9, minute=15, zone="Europe/London")),
    ("0932 GMT", dict(hour=9, minute=32, zone="UTC")),
    ("10.32am BST", dict(hour=10, minute=32, zone="Europe/London")),
    ("Dec. 5, 2022, 10:14 a.m. ET", dict(hour=10, minute=14, year=2022, month=12, day=5)),
    ("1 hour ago 14:32", dict(hour=14, minute=32)),
    ("1602181899", dict(year=2020, month=10, day=8, hour=18, minute=31, zone="UTC")),
])
def test_absolute_and_partial_stamps(text, want):
    s = timestamps.parse_stamp(text)
    assert s is not None and s.has_time
    for k, v in want.items():
        assert getattr(s, k) == v, k


@pytest.mark.parametrize("text, minutes", [("3 min ago", 3), ("2 hr 6 min ago", 126), ("Just now", 0),
                                           ("an hour ago", 60)])
def test_relative_stamps(text, minutes):
    s = timestamps.parse_stamp(text)
    assert s is not None and s.ago.total_seconds() == minutes * 60


@pytest.mark.parametrize("text", ["The 14.5 figure", "Up is down", "May", "At 5", "14.32 per cent rise",
                                  "Nurses strike over pay", "Polls closed at 10pm and counting began."])
def test_prose_is_not_a_stamp(text):
    assert not timestamps.is_timestamp(text)


def test_stamp_after_the_post_and_date_inside_the_headline():
    byline, stamp = timestamps.split_trailing_stamp("by Priya Example edited by Sam Sample 6/14/2024 11:42:08 PM")
    assert byline == "by Priya Example edited by Sam Sample"
    assert (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second) == (2024, 6, 14, 23, 42, 8)
    for line, head in [("Feb. 18, 2019; Second school closes", "Second school closes"),
                       ("Feb. 12, 2019: Clinics extend hours", "Clinics extend hours"),
                       ("Feb. 4, 2019 Health officials confirm first case", "Health officials confirm first case")]:
        stamp, rest = timestamps.split_leading_date(line)
        assert rest == head and stamp.year == 2019 and stamp.month == 2
    # a sentence that merely opens with a date is not a dated headline
    assert timestamps.split_leading_date("Feb. 4, 2019, was the day the first case was confirmed.") is None \
        or liveblog._classify("Feb. 4, 2019, was the day the first case was confirmed.").kind == "text"


# ---------------------------------------------------------------- whole pages

def test_bbc_style_clock_stamps_take_the_day_from_the_neighbours_and_keep_gmt():
    doc = read("bbc-style-floods.txt")
    assert doc.kind == "liveblog"
    assert doc.title.startswith("Floods latest")
    summary, *rest = doc.posts
    assert summary.is_summary and summary.headline == "Summary" and summary.published is None
    assert summary.paragraphs[1].startswith("About 200 homes have been evacuated")
    barriers, met, minister = rest
    assert barriers.headline == "Barriers holding in Bewdley"
    assert barriers.published == "2025-03-29T19:01:00+00:00"
    # "14:32 GMT" and "14.05 GMT" carry no day: they take the day of the post above
    assert met.published == "2025-03-29T14:32:00+00:00" and met.timestamp_raw == "14:32 GMT"
    assert minister.published == "2025-03-29T14:05:00+00:00" and minister.timestamp_raw == "14.05 GMT"
    # a post with no headline is a post ("Post update" is a label, not its headline)
    assert met.headline is None
    assert met.paragraphs == ["The Met Office has issued an amber warning for rain covering much of mid Wales "
                              "until midnight."]
    assert barriers.paragraphs == ["Temporary flood barriers in Bewdley are holding, the Environment Agency says.",
                                   "The agency says river levels there rose by 40cm in three hours."]
    text = all_text(doc)
    for furniture in ("Image caption", "Media caption", "Image source", "Share", "Copy link", "Live reporter",
                      "Live Reporting", "Media playback", "twitter post", "Twitter content", "Accept and continue",
                      "content provided by", "Copy this link"):
        assert furniture not in text


def test_us_style_relative_stamps_count_back_from_the_updated_line():
    doc = read("us-style-wildfire.txt")
    assert doc.updated == "2022-03-05T00:12:00-05:00"
    assert doc.bylines == ["Ann Example", "Bob Sample", "Example Network"]
    now, three, burned, cause = doc.posts
    assert now.published == "2022-03-05T00:12:00-05:00" and now.timestamp_raw == "Just now"
    assert three.published == "2022-03-05T00:09:00-05:00"
    assert burned.published == "2022-03-04T23:48:00-05:00"
    # "What we know about …" under a stamp is that post's headline, not a summary block
    assert cause.headline == "What we know about the fire's cause" and not cause.is_summary
    assert now.byline == "Example Network's Ann Example"
    assert "Watch more" not in all_text(doc) and "37 Posts" not in all_text(doc)


def test_scribble_style_stamps_after_posts_and_headline_only_posts():
    doc = read("scribble-style-count.txt")
    ps = posts(doc)
    assert [p.headline for p in ps] == ["Greens take Northfield ward", "Labour holds Eastgate",
                                        "Turnout lower than four years ago", "Mayor candidates arrive",
                                        "Polls have now closed"]
    greens, labour, turnout, mayor, polls = ps
    # the stamp printed after a post dates it; no zone printed, so none is invented
    assert greens.published == "2024-06-14T23:42:08" and greens.byline == "Priya Example"
    assert polls.published == "2024-06-14T21:01:45"
    assert turnout.published is None and mayor.published is None
    assert turnout.byline == "Lee Roe"
    assert turnout.paragraphs[0].startswith("Turnout across the city stood at 28 per cent")
    # a page "Updated" line older than every post is not the blog's time
    assert doc.updated is None
    text = all_text(doc)
    assert "Key Post" not in text and "Result" not in text.split() and "Example Herald: Lee Roe" not in text
    assert "edited by" not in text


def test_dates_inside_headlines_and_hard_wrapped_paragraphs():
    doc = read("dated-headlines-outbreak.txt")
    assert doc.title == "Tracking the measles outbreak"
    school, clinics, first = posts(doc)
    assert school.headline == "Feb. 18, 2019; Second school closes for cleaning"
    assert (school.published, clinics.published, first.published) == ("2019-02-18", "2019-02-12", "2019-02-04")
    # lines broken inside a sentence are one paragraph again
    assert school.paragraphs == [
        "A second primary school in the county closed on Monday after a pupil was diagnosed with measles, "
        "the health department said.",
        "The department said 14 cases have now been confirmed in the county.",
    ]
    # "(Example Radio/Jo Roe)" closes a photo caption; "Read the full story here" is a link
    assert clinics.paragraphs == ["Three clinics will stay open until 8 p.m. to offer vaccinations, the county "
                                  "said on Tuesday."]
    assert "Read the full story" not in all_text(doc)


def test_headline_only_posts_with_captions_credits_and_a_video_line():
    doc = read("headline-only-verdict.txt")
    summary, *ps = doc.posts
    assert summary.is_summary and summary.headline is None
    assert summary.paragraphs == ["The former mayor of Lakeside has been found guilty on four counts of fraud."]
    assert doc.description.startswith("The jury took two days")
    assert [p.headline for p in ps] == ["Crowd outside the courthouse reacts to verdict",
                                        "Sentencing date set for August", "Defense says it will appeal",
                                        "What did the prosecution argue?"]
    assert all(p.published is None for p in ps)
    crowd, sentencing = ps[0], ps[1]
    assert crowd.paragraphs[0].startswith("About 150 people gathered")
    assert sentencing.paragraphs == ["The judge set sentencing for Aug. 12, court records show.",
                                     "Each count carries a maximum sentence of 10 years in prison."]
    text = all_text(doc)
    for furniture in ("Image:", "Example Wire", "Live Blog", "02:41"):
        assert furniture not in text


def test_furniture_and_summary_blocks():
    doc = read("furniture-forms.txt")
    covered, inspectors, operator, key_points = doc.posts
    assert covered.is_summary and covered.headline == "What we covered here"
    assert covered.paragraphs == ["Inspectors from the atomic agency arrived at the plant on Thursday.",
                                  "The plant's operator says one reactor remains shut down."]
    assert inspectors.byline == "Ann Example"
    assert inspectors.paragraphs == [
        "Inspectors from the atomic agency reached the plant on Thursday, the agency's director said.",
        "The director said the inspectors would stay at the site for at least a week.",
    ]
    assert operator.published == "2022-02-25T07:41:00-05:00"
    assert key_points.is_summary and key_points.headline == "Key points" and key_points.published is None
    text = all_text(doc)
    for furniture in ("Key Post", "(Example Plant NPP)", "/Facebook)", "convoy.", "https://", "Video:",
                      "Live reporter", "Share", "Copy link"):
        assert furniture not in text


def test_header_updated_forms():
    for line, iso in [("Updated 12:12 AM ET, Sat March 5, 2022", "2022-03-05T00:12:00-05:00"),
                      ("Updated 8:06 a.m. ET, February 25, 2022", "2022-02-25T08:06:00-05:00"),
                      ("Last updated 6th Mar 2024, 11:14 GMT", "2024-03-06T11:14:00+00:00")]:
        text = f"Budget live\n\n{line}\n\n11:02 GMT\n\nFirst post\n\nThe minister spoke.\n\n10:40 GMT\n\nSecond\n\nMore.\n"
        doc = liveblog.parse(text, "x.txt")
        assert doc.updated == iso, line
        assert len(doc.posts) == 2 and line not in all_text(doc)
    # "Last updated" with no time is header too, never a post's text
    doc = liveblog.parse("Budget live\nLast updated\n11:02 GMT\nFirst post\nThe minister spoke.\n"
                         "10:40 GMT\nSecond\nMore.\n", "x.txt")
    assert doc.updated is None and "Last updated" not in all_text(doc)


# ---------------------------------------------------------------- the warning

def test_a_live_blog_read_as_one_post_says_so(tmp_path, capsys):
    path = tmp_path / "unknown-stamps.txt"
    path.write_text("Storm blog\n\nUpdated 14h40\n\n14h32\n\nRoads closed\n\nThe A1 is closed northbound.\n\n"
                    "13h58\n\nSchools shut\n\nAll schools in the district are closed today.\n")
    doc = read_document(str(path))
    assert len(doc.posts) == 1
    err = capsys.readouterr().err
    assert err.count("read as one post: no post stamps recognised") == 1 and str(path) in err
    # an ordinary article says nothing
    article = tmp_path / "article.txt"
    article.write_text("A title\n\nThe council met on Tuesday and approved the budget.\n")
    read_document(str(article))
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("heading", ["Summary", "What we know", "Key points", "What we covered here"])
def test_summary_headings_make_the_untimed_summary_post(heading):
    text = (f"Port strike live: dockers walk out\n\nUpdated 9:15 a.m. ET, June 2, 2023\n\n{heading}\n\n"
            "• Dockers at 14 ports walked out at midnight, their union said.\n"
            "• Talks are due to resume on Monday.\n\n"
            "9:10 a.m. ET, June 2, 2023\n\nShipping lines divert vessels\n\n"
            "Two shipping lines said they had diverted vessels to other ports.\n")
    summary, post = liveblog.parse(text, "x.txt").posts
    assert summary.is_summary and summary.headline == heading and summary.published is None
    assert summary.paragraphs == ["Dockers at 14 ports walked out at midnight, their union said.",
                                  "Talks are due to resume on Monday."]
    assert post.headline == "Shipping lines divert vessels" and not post.is_summary


@pytest.mark.parametrize("title, live", [("Federal election live: polls close", True),
                                         ("Storm latest: live updates", True),
                                         ("Live music returns to the city's parks", False)])
def test_live_titles(title, live):
    body = "\n\n".join(["Headline one", "Some text here.", "Headline two", "More text here.", "Headline three",
                        "Even more text.", "Headline four", "Last text."])
    assert liveblog.looks_like_liveblog(f"{title}\n\n{body}\n") is live


def test_unix_time_stamps_and_a_page_time_glued_to_its_label():
    doc = liveblog.parse("Talks live: negotiators meet again\nAs it happenedended1602188050\n"
                         "Negotiators from both sides said the gap had narrowed.\n"
                         "1602181899\nFishing rights still the sticking point\n"
                         "Fishing rights remain unresolved, officials said.\n"
                         "1602180000\nTalks resume\nThe talks resumed at 6pm.\n", "x.txt")
    assert doc.updated == "2020-10-08T20:14:10+00:00"
    summary, fishing, resume = doc.posts
    assert summary.is_summary and fishing.headline == "Fishing rights still the sticking point"
    assert fishing.published == "2020-10-08T18:31:39+00:00" and resume.published == "2020-10-08T18:00:00+00:00"
    assert "happened" not in all_text(doc)


def test_author_and_full_date_above_relative_post_stamps_are_the_pages():
    doc = liveblog.parse("Stay up to date with notifications from Example News\nLiveupdated\n14 hours ago\n"
                         "Politics live: minister says nothing is off the table\n"
                         "The chancellor is expected to blame global conditions.\nHolly Example\n"
                         "Friday 21 March 2025 15:47 GMT\n0Comments\n"
                         "1 day ago\nProtesters disrupt the Lords\nProtesters disrupted a debate on Thursday.\n"
                         "1 day ago\nBorrowing above forecast\nBorrowing rose above forecasts, the ONS said.\n", "x.txt")
    assert doc.title == "Politics live: minister says nothing is off the table"
    assert doc.bylines == ["Holly Example"] and doc.updated == "2025-03-21T15:47:00+00:00"
    assert doc.description == "The chancellor is expected to blame global conditions."
    assert [p.headline for p in doc.posts] == ["Protesters disrupt the Lords", "Borrowing above forecast"]
    assert doc.posts[0].published == "2025-03-20T15:47:00+00:00"
    assert "Comments" not in all_text(doc) and "notifications" not in all_text(doc)


def test_posts_printed_as_a_numbered_list_without_stamps():
    doc = read("numbered-posts.txt")
    assert doc.kind == "liveblog" and doc.bylines == ["Jane Roe"]
    pausing, fans, council = doc.posts
    assert pausing.headline == "Pausing our live coverage"
    assert fans.headline == "Fans react outside the ground" and fans.byline == "Joe Bloggs"
    assert council.byline == "Sam Example"
    # a numbered list inside a post is the post's text, not more posts
    assert council.paragraphs[-2:] == ["1. Councillors backed a freeze on parking charges.",
                                       "2. They rejected a rise in council tax."]
    text = all_text(doc)
    for furniture in ("TV Licence", "Find out more", "Live Reporting", "All times stated", "reporting from",
                      "Image caption"):
        assert furniture not in text


def test_headline_posts_under_a_live_reporting_line_with_a_plain_title(tmp_path):
    path = tmp_path / "protest.txt"
    path.write_text("Capital: crowds defy protest ban - Example News\n\nLive Reporting\n\nEdited by Jane Roe\n\n"
                    "All times stated are UK\n\nCrowds gather in the main square\n\n"
                    "Thousands of people gathered in the square on Monday, witnesses said.\n\n"
                    "Police fire warning shots\n\nPolice fired warning shots in the north of the city, "
                    "local media reported.\n\nThe army has not commented.\n")
    doc = read_document(str(path))
    assert doc.kind == "liveblog" and doc.bylines == ["Jane Roe"]
    assert [p.headline for p in doc.posts] == ["Crowds gather in the main square", "Police fire warning shots"]
