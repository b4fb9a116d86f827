"""What an edit changed, said in a line: the words that differ, with a word of context."""

from verifier.follow.changes import describe_change, edit_line, edit_record


def test_a_changed_figure_reads_old_to_new_with_context():
    old = "One day after a strike there left at least three people dead, according to a CNN team in the city."
    new = "One day after a strike there left at least five people dead, according to a CNN team in the city."
    assert describe_change(old, new) == "three → five people"


def test_added_and_removed_words_are_marked():
    old = "Russian shelling has killed two people in Ukraine’s Kherson region overnight, officials said."
    new = "Russian shelling has killed two people in Ukraine’s Kherson region, regional officials said on Friday."
    assert describe_change(old, new) == "−overnight; +regional; +on Friday"


def test_many_changes_are_cut_to_three_and_counted():
    old = "a b c d e f g h i j k l m n o p"
    new = "a X c d Y f g Z i j W l m V o p"
    said = describe_change(old, new)
    assert said.count("→") == 3 and said.endswith("and 2 more changes")


def test_an_edit_record_keeps_the_earlier_version_and_a_line_with_its_time():
    rec = edit_record("Kherson shelling", "Two people were killed.", "Kherson shelling kills three",
                      "Three people were killed.", "2026-11-25T10:42:07+00:00")
    assert rec["body"] == "Two people were killed." and rec["headline"] == "Kherson shelling"
    assert edit_line(rec) == "edited 10:42: headline: +kills three; Two → Three people"
