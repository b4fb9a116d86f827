"""Real news sentences and what must come out of each.

Written in the house styles of several outlets (AP's "said Tuesday",
Reuters' "said on Tuesday", the BBC's "told the BBC", curly and straight
quotes, Guardian-style dashes), covering the attribution forms that
extraction tools are known to miss.
"""

import pytest

from verifier.extract import extract, full_names


def claims_of(text):
    return extract(text, full_names(text))


def one(text, **where):
    found = claims_of(text)
    for key, want in where.items():
        found = [c for c in found if want in (getattr(c, key) or "")]
    assert found, f"no claim matching {where} in {[(c.kind, c.speaker, c.text) for c in claims_of(text)]}"
    return found[0]


def nums(claim):
    return [(n["value"], n["unit"], n["qualifier"]) for n in claim.numbers]


CASES = [
    # text, kind, speaker, role, channel, quote contains, numbers (value, unit, qualifier) subset
    ('"We will not back down," Ukrainian President Volodymyr Zelensky said in his nightly video address.',
     "quote", "Volodymyr Zelensky", "Ukrainian President", "video address", "We will not back down", []),
    ('“Prices will rise further this year,” said Bank of England Governor Andrew Bailey.',
     "quote", "Andrew Bailey", "Bank of England Governor", None, "Prices will rise", []),
    ('The Pentagon said in a statement: "Two US service members were wounded in the attack."',
     "quote", "the Pentagon", None, "statement", "Two US service members", [(2.0, None, None)]),
    ("At least 12 people were killed and 40 wounded in the strike, according to Ukraine's Interior Ministry.",
     "statement", "Ukraine's Interior Ministry", None, None, None,
     [(12.0, "people", "at least"), (40.0, "wounded", None)]),
    ("Police said more than 200 people had been arrested.",
     "statement", "police", None, None, None, [(200.0, "people", "more than")]),
    ("Health Minister Viktor Liashko told reporters that 3 million doses had been delivered.",
     "statement", "Viktor Liashko", "Health Minister", "reporters", None, [(3e6, "doses", None)]),
    ('"This is a war crime," Amnesty International\'s Agnès Callamard tweeted.',
     "quote", "Agnès Callamard", "Amnesty International's", "Twitter", "war crime", []),
    ("In a Facebook post, Kyiv Mayor Vitali Klitschko said two people were injured.",
     "statement", "Vitali Klitschko", "Kyiv Mayor", "Facebook post", None, [(2.0, "people", None)]),
    ("Russia's Defense Ministry claimed its forces had destroyed 12 Ukrainian drones overnight, "
     "a claim CNN could not independently verify.",
     "statement", "Russia's Defense Ministry", None, None, None, [(12.0, "drones", None)]),
    ('Former President Donald Trump wrote on Truth Social that the charges were "a witch hunt against me."',
     "quote", "Donald Trump", "Former President", "Truth Social", "witch hunt", []),
    ('"It\'s a tragedy," said Maria Lopez, 54, a teacher who lost her home.',
     "quote", "Maria Lopez", "a teacher who lost her home", None, "tragedy", [(54.0, "years old", None)]),
    ("The storm left 1.2 million homes without power, utility officials said Tuesday.",
     "statement", "utility officials", None, None, None, [(1.2e6, "homes", None)]),
    ("Speaking at a press conference in Brussels, NATO Secretary General Jens Stoltenberg said the "
     "alliance would send more air defenses.",
     "statement", "Jens Stoltenberg", "NATO Secretary General", "press conference", None, []),
    ("A spokesperson for the Israeli military told CNN that 150 targets were struck overnight.",
     "statement", "a spokesperson for the Israeli military", None, "CNN", None, [(150.0, "targets", None)]),
    ("The company announced it would cut 1,500 jobs, about 10% of its workforce.",
     "statement", "the company", None, None, None, [(1500.0, "jobs", None), (10.0, "percent", "about")]),
    ('“We must act now,” the Secretary-General said, urging members to fund the $4 billion appeal.',
     "quote", "the Secretary-General", None, None, "We must act now", [(4e9, "USD", None)]),
    ('"Nobody is safe here." — Olena Shevchenko, a volunteer medic in Bakhmut',
     "quote", "Olena Shevchenko", "a volunteer medic in Bakhmut", None, "Nobody is safe", []),
    ("The UN refugee agency estimates that 8 million people have fled the country.",
     "statement", "the UN refugee agency", None, None, None, [(8e6, "people", None)]),
    ("The utility said 40,000 homes lost power after the storm.",
     "statement", "the utility", None, None, None, [(40000.0, "homes", None)]),
    ("Konstantin Yefremov told the BBC in an exclusive interview that he witnessed torture.",
     "statement", "Konstantin Yefremov", None, "the BBC", None, []),
]


@pytest.mark.parametrize("text, kind, speaker, role, channel, quote, numbers", CASES,
                         ids=[c[0][:40] for c in CASES])
def test_sentence_table(text, kind, speaker, role, channel, quote, numbers):
    found = claims_of(text)
    assert len(found) == 1, [(c.kind, c.text) for c in found]
    c = found[0]
    assert c.kind == kind
    assert c.speaker == speaker
    assert c.role == role
    assert c.channel == channel
    if quote:
        assert quote in c.quote
    else:
        assert c.quote is None
    for n in numbers:
        if n[1] is None:
            assert n[0] in [x[0] for x in nums(c)]
        else:
            assert n in nums(c)
    assert c.text == text.strip()


def test_quote_split_by_attribution_is_one_claim_with_pronoun_resolved():
    text = ('Ukrainian President Volodymyr Zelensky spoke late Monday.\n\n'
            '"The situation is difficult," he said. "But we are holding the line."')
    [c] = claims_of(text)
    assert c.kind == "quote" and c.speaker == "Volodymyr Zelensky"
    assert c.quote == "The situation is difficult, … But we are holding the line."
    assert c.text.endswith('holding the line."')


def test_quote_continues_into_next_paragraph():
    text = ('“We are rebuilding schools and hospitals,” Deputy Prime Minister Oleksandr Kubrakov said. '
            '“We have repaired 40 bridges since spring.\n\n“But the winter will be hard.”')
    [c] = claims_of(text)
    assert c.speaker == "Oleksandr Kubrakov" and c.role == "Deputy Prime Minister"
    assert "winter will be hard" in c.quote and (40.0, "bridges", None) in nums(c)
    assert text[c.span[0]:c.span[1]] == c.text


def test_surname_resolves_to_full_name_and_role_carries():
    text = ("Treasury Secretary Janet Yellen said the package was worth $1.7 billion.\n\n"
            "“This is about security,” Yellen added.")
    first, second = claims_of(text)
    assert first.speaker == second.speaker == "Janet Yellen"
    assert second.role == "Treasury Secretary"
    assert (1.7e9, "USD", None) in nums(first)


def test_pronoun_resolves_to_last_named_person_even_without_a_speaker():
    text = "Treasury Secretary Janet Yellen met her counterparts.\n\nShe added that the aid was worth $1.7 billion."
    [c] = [c for c in claims_of(text) if c.text.startswith("She added")]
    assert c.speaker == "Janet Yellen" and c.kind == "statement"


def test_it_added_resolves_to_institution():
    text = ('“Residents woke up to explosions,” the regional military administration said on Telegram.\n\n'
            '"Medics could do nothing to help," it added.')
    a, b = claims_of(text)
    assert a.speaker == b.speaker == "the regional military administration"
    assert a.channel == "Telegram"


def test_scare_quotes_are_part_of_the_sentence_not_a_quote():
    text = "Moscow calls the invasion a “special military operation” and says 300,000 reservists were called up."
    [c] = claims_of(text)
    assert c.quote is None
    assert c.kind == "statement" and c.speaker == "Moscow"  # the subject is shared across "and says"


def test_document_is_channel_not_speaker():
    text = ('Top generals spoke by phone, the president\'s office said Thursday. '
            '“The parties exchanged views on the situation at the front,” the readout said.')
    a, b = claims_of(text)
    assert a.speaker == "the president's office"
    assert b.speaker == "the president's office" and b.channel == "readout"


def test_scene_setting_and_captions_yield_no_claims():
    assert claims_of("Two women jumped from their car and ran, yelling.") == []
    assert claims_of("Here are some visuals from the ground following the first attack:") == []
    assert claims_of("Some background: The members of the bloc include Russia, Belarus and Armenia.") == []


def test_checkworthiness_ranks_figures_and_allegations_above_opinion():
    fig = one("Russian shelling killed at least 14 civilians in Kherson, regional officials said.")
    opinion = one("“I think we will come out of this stronger,” the minister said.")
    assert fig.checkworthiness > 0.7 > opinion.checkworthiness


# ---- the sample live blog -------------------------------------------------

@pytest.fixture(scope="module")
def sample_claims(sample_path):
    from verifier.ingest import read_document
    doc = read_document(str(sample_path))
    names: dict[str, str] = {}
    for p in doc.posts:
        for k, v in full_names((p.headline or "") + "\n\n" + p.body).items():
            names.setdefault(k, v)
    out = []
    for p in doc.posts:
        out.extend(extract(p.body, names))
    return out


def find(claims, fragment):
    found = [c for c in claims if fragment in c.text]
    assert found, fragment
    return found


def test_sample_lavrov_nord_stream_allegation(sample_claims):
    c = find(sample_claims, "direct participation")[0]
    assert c.speaker == "Sergey Lavrov"
    assert c.checkworthiness >= 0.6


def test_sample_kyrylenko_damage_counts(sample_claims):
    c = find(sample_claims, "wounding at least five people")[0]
    assert c.speaker == "Pavlo Kyrylenko"
    assert c.role == "the head of the Donetsk region military administration"
    assert {(5.0, "people", "at least"), (13.0, "buildings", None), (3.0, "buildings", None)} <= set(nums(c))
    assert "children's clinic and school" in c.text


def test_sample_borrell_figures(sample_claims):
    trained = [c for c in find(sample_claims, "15,000") if c.kind == "statement"]
    assert trained and all(c.speaker == "Josep Borrell" for c in trained)
    assert trained[0].role == "the bloc's foreign policy chief"
    tweet = find(sample_claims, "taking the total number of EUMAM")[0]
    assert tweet.kind == "quote" and tweet.speaker == "Josep Borrell"
    assert {15000.0, 30000.0} <= {n[0] for n in nums(tweet)}
    money = find(sample_claims, "€25 million")
    assert all(c.speaker == "Josep Borrell" for c in money)
    assert {(25e6, "EUR", None), (27.5e6, "USD", None)} <= set(nums(money[0]))


def test_sample_honcharenko_eight_wounded(sample_claims):
    c = find(sample_claims, "eight people wounded")[0]
    assert c.speaker == "Oleksandr Honcharenko"
    assert (8.0, "people", None) in nums(c) and 2.0 in [n[0] for n in nums(c)]


def test_sample_kherson_administration_telegram_quotes(sample_claims):
    first = find(sample_claims, "woke up to explosions")[0]
    second = find(sample_claims, "fragment of a Russian shell")[0]
    assert first.kind == second.kind == "quote"
    assert first.speaker == second.speaker == "the Kherson regional civil-military administration"
    assert first.channel == "Telegram"
    # the three-sentence quote is one claim
    assert second.text.startswith('"Despite the danger') and second.text.endswith("it added.")


def test_sample_yermak_quotes_from_generals_call(sample_claims):
    thanked = find(sample_claims, "for its powerful support")[0]
    underlined = find(sample_claims, "cleansing the authorities")[0]
    assert thanked.speaker == underlined.speaker == "Andriy Yermak"
    assert thanked.channel == "readout"


def test_sample_lavrov_multi_sentence_quotes(sample_claims):
    peace = find(sample_claims, "I am definitely for peace")[0]
    assert peace.speaker == "Sergey Lavrov" and "prepare for war" in peace.quote
    nato = find(sample_claims, "whole of NATO")[0]
    assert nato.speaker == "Sergey Lavrov" and "ridiculous" in nato.text
    stronger = [c for c in find(sample_claims, "come out of the current situation stronger")]
    assert all(c.speaker == "Sergey Lavrov" and c.channel == "state TV Rossiya-24" for c in stronger)


def test_sample_spans_point_into_post_text(sample_path):
    from verifier.ingest import read_document
    doc = read_document(str(sample_path))
    for p in doc.posts:
        for c in extract(p.body):
            assert p.body[c.span[0]:c.span[1]] == c.text
