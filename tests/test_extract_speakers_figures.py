"""Speakers that must stay noun phrases, title holders, and vague quantities (issue 10, second pass).

Every sentence is written for these tests in a news house style (UK budget-day
live copy, US wire copy, weather desk copy), never copied from the dev corpus.
"""

import pytest

from verifier.extract import extract, full_names, numbers


def claims_of(text):
    return extract(text, full_names(text))


def with_text(text, fragment):
    found = [c for c in claims_of(text) if fragment in c.text]
    assert found, (fragment, [(c.kind, c.speaker, c.text) for c in claims_of(text)])
    return found[0]


# ---- a speaker is a noun phrase, never a verb phrase or a clause --------------

@pytest.mark.parametrize("text, fragment", [
    # a plural noun read as a verb ("states") after a comma: the words before it are a verb phrase
    ("The remnants are forecast to cross Tennessee on Friday night, then drift into the Ohio Valley on "
     "Saturday and the Appalachian states on Sunday.", "Tennessee"),
    ("Forecasters expect the front to stall over Kansas, then push the heaviest rain into the Ozark "
     "Plateau by Tuesday and the southern Plains states by Wednesday.", "Kansas"),
])
def test_a_verb_phrase_before_a_noun_read_as_verb_is_not_a_speaker(text, fragment):
    claims = [c for c in claims_of(text) if fragment in c.text]
    assert all(c.speaker is None for c in claims), [(c.speaker, c.text) for c in claims]


@pytest.mark.parametrize("text, wrong", [
    ("So far the Home Secretary has mocked the Greens, criticised the Liberal Democrats for backing Labour "
     "in a hung parliament, and praised the Kent countryside.", ("Labour", "Greens", "Liberal Democrats")),
    ("Until now Governor Dana Ortiz has praised the union, condemned the strike organisers for misleading "
     "members, and thanked nurses across Albany.", ("Albany", "members")),
])
def test_the_object_of_a_stance_verb_is_never_its_speaker(text, wrong):
    c = claims_of(text)
    assert c, text
    for claim in c:
        assert claim.speaker is None or not any(w in claim.speaker for w in wrong), (claim.speaker, claim.text)


def test_a_clause_with_its_own_verb_and_object_is_not_a_speaker():
    text = "The Environment Agency has issued a flood warning for the River Severn at Shrewsbury until Sunday."
    claim = with_text(text, "flood warning")
    assert claim.speaker is None or "issued" not in claim.speaker


@pytest.mark.parametrize("text, speaker", [
    ("Cybersecurity researchers said the breach exposed 2 million records.", "cybersecurity researchers"),
    ("Local officials said 14 homes were destroyed.", "local officials"),
    ('"The water came up in minutes," ministry spokesperson Alina Dorosh said.', "Alina Dorosh"),
    ("A woman who has lived on the street for 30 years said the river had never risen so fast.",
     "a woman who lived on the street for 30 years"),
])
def test_described_and_lowercase_speakers_still_speak(text, speaker):
    claim = claims_of(text)[0]
    assert claim.speaker == speaker, (claim.speaker, claim.role)


# ---- titles: the holder the page names, never another office's holder ----------

@pytest.mark.parametrize("text", [
    "Priya Nandakumar, the Chancellor, rose at 12:31 to open her statement.\n\n"
    "The Chancellor said borrowing would fall to 2.4% of GDP by 2028.",
    "The Chancellor, Priya Nandakumar, told MPs the deficit would halve.\n\n"
    "The Chancellor said borrowing would fall to 2.4% of GDP by 2028.",
])
def test_an_appositive_names_the_title_holder(text):
    claim = with_text(text, "2.4%")
    assert claim.speaker == "Priya Nandakumar" and claim.role == "the Chancellor"


@pytest.mark.parametrize("text", [
    # the shadow chancellor speaks first, then the Chancellor (never named): not the shadow's words
    "Shadow Chancellor Gareth Lowe said the package was a con.\n\n"
    "The Chancellor said 40,000 homes would be built by 2027.",
    "Former Chancellor Gareth Lowe said the package was a con.\n\n"
    "The Chancellor said 40,000 homes would be built by 2027.",
    "Deputy Prime Minister Gareth Lowe toured the site.\n\n"
    "The Prime Minister said 40,000 homes would be built by 2027.",
    "Gareth Lowe, the vice-chancellor of the university, said fees would rise.\n\n"
    "The chancellor said 40,000 homes would be built by 2027.",
])
def test_another_office_holder_never_answers_a_bare_title(text):
    claim = with_text(text, "40,000 homes")
    assert claim.speaker != "Gareth Lowe" and claim.speaker is not None, (claim.speaker, claim.role)
    assert claim.speaker.lower() in ("the chancellor", "the prime minister")


def test_a_pronoun_after_an_unnamed_title_stays_with_the_title():
    text = ("Loud scenes in the chamber, with the Chancellor jeered from the benches opposite. "
            'She fires back: "They have no plan, so they may as well borrow ours."')
    quote = [c for c in claims_of(text) if c.kind == "quote"][0]
    assert quote.speaker == "the Chancellor"


# ---- vague quantities are approximate figures ---------------------------------

@pytest.mark.parametrize("text, value, word", [
    ("Hundreds of residents queued for sandbags in Carlisle.", 200, "Hundreds"),
    ("Thousands of commuters were stranded at Waterloo.", 2000, "Thousands"),
    ("Dozens of flights were cancelled at Schiphol.", 24, "Dozens"),
    ("Tens of thousands of homes lost power overnight.", 20000, "Tens of thousands"),
    ("Hundreds of thousands of people joined the march.", 200000, "Hundreds of thousands"),
])
def test_vague_quantities_are_approximate_not_exact(text, value, word):
    found = numbers.find(text)
    assert len(found) == 1, found
    n = found[0]
    assert n["kind"] == "approximate" and n["value"] == value and n["text"] == word and n["qualifier"] == "at least"


def test_exact_and_vague_figures_keep_their_kinds():
    found = numbers.find("About 300 people were evacuated, and hundreds more spent the night in shelters.")
    assert [(n["kind"], n["value"]) for n in found] == [("count", 300), ("approximate", 200)]
    assert numbers.find("A hundred volunteers and a dozen boats")[0]["kind"] == "count"


def test_hundreds_against_300_is_no_figure_conflict():
    from verifier.link.conflicts import figures
    from verifier.models import Claim

    def claim(cid, text):
        return Claim(id=cid, post_id="p", kind="figure", text=text, span=[0, len(text)],
                     numbers=[{k: v for k, v in n.items() if k != "span"} for n in numbers.find(text)])

    a = claim("a", "Hundreds of people were evacuated from the coast.")
    b = claim("b", "300 people were evacuated from the coast.")
    assert figures(a, b) == []
    c = claim("c", "200 people were evacuated from the coast.")
    assert figures(b, c)  # two exact counts that differ still conflict


def test_a_sentence_with_only_a_vague_quantity_is_still_a_figure_claim():
    claim = claims_of("Thousands of people were evacuated from low-lying areas of Dhaka.")[0]
    assert claim.kind == "figure" and claim.numbers[0]["kind"] == "approximate"
