import pytest

from verifier.extract import numbers, sentences


def split(text):
    return [text[a:b] for a, b in sentences.split(text)]


def test_news_abbreviations_do_not_split():
    text = ("Gen. Mark Milley met U.S. officials at 10 a.m. ET on Jan. 5. The No. 2 official, "
            "Mr. John F. Kennedy Jr., was not there. “We will see,” he said. Then he left.")
    assert split(text) == [
        "Gen. Mark Milley met U.S. officials at 10 a.m. ET on Jan. 5.",
        "The No. 2 official, Mr. John F. Kennedy Jr., was not there.",
        "“We will see,” he said.",
        "Then he left.",
    ]


def test_acronym_can_end_a_sentence():
    assert split("Aid came from the U.S. The EU sent more.") == ["Aid came from the U.S.", "The EU sent more."]
    assert split("It ended at 5 p.m. The crowd left.") == ["It ended at 5 p.m.", "The crowd left."]


def test_quote_ending_a_sentence():
    assert split('He said it was "over." She disagreed!') == ['He said it was "over."', "She disagreed!"]


@pytest.mark.parametrize("text, want", [
    ("at least five people", [(5, "people", "at least", "count")]),
    ("13 two-story buildings, three four-story buildings", [(13, "buildings", None, "count"), (3, "buildings", None, "count")]),
    ("€25 million ($27.5 million)", [(25e6, "EUR", None, "money"), (27.5e6, "USD", None, "money")]),
    ("the 24th summit", [(24, "summit", None, "ordinal")]),
    ("a 25-year-old man", [(25, "years old", None, "age")]),
    ("more than 1.5 million refugees", [(1.5e6, "refugees", "more than", "count")]),
    ("inflation hit 9.1% in June", [(9.1, "percent", None, "percent")]),
    ("up to twenty-one soldiers", [(21, "soldiers", "up to", "count")]),
    ("nearly £3bn in aid", [(3e9, "GBP", "nearly", "money")]),
    ("for three days", [(3, "days", None, "duration")]),
    ("500 dollars", [(500, "USD", None, "money")]),
])
def test_figures(text, want):
    got = [(n["value"], n["unit"], n["qualifier"], n["kind"]) for n in numbers.find(text)]
    assert got == want


@pytest.mark.parametrize("text", [
    "On January 24, 2023, at 6:20 a.m.", "in 2014", "state TV Rossiya-24", "Article 5 of the treaty",
    "one of the buildings", "the two-story house",
])
def test_not_figures(text):
    assert numbers.find(text) == []
