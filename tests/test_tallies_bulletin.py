"""The bulletin parser (``ceasefire.tallies.bulletin``) on the issue's two examples and on
the shapes real bulletins take, as news agencies relayed them.

Each text is a bulletin's sentences as one relay printed them (its address beside it);
the expected tallies were read off the text by hand, not from the parser. Dates are the
relays' publication dates. ``provinces`` is checked on names no bulletin here uses
(every governorate, Russian case endings made by rule)."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire.tallies import provinces
from ceasefire.tallies.bulletin import draft_bulletin, language_of

RU, TR = "Russian part", "Turkish part"


def parsed(text: str, published: str, reporter: str = "Russian Centre for Reconciliation"):
    return draft_bulletin(text, reporter=reporter, published=date.fromisoformat(published))


def provinces_of(draft: dict) -> dict:
    """{side: {governorate: count}} of the governorate tallies."""
    out: dict = {}
    for t in draft["tallies"]:
        if t["kind"] == "governorate":
            out.setdefault(t["side"], {})[t["governorate"]] = t["count"]
    return out


def totals_of(draft: dict) -> dict:
    return {t["side"]: t["count"] for t in draft["totals"]}


def checks_of(draft: dict) -> dict:
    return {t["side"]: t["check"] for t in draft["totals"]}


def assert_spans(draft: dict, text: str) -> None:
    """Every proposal's span holds its words, and the words hold its count's digits."""
    for t in draft["tallies"]:
        a, b = t["span"]
        assert text[a:b] == t["words"]
        if t["governorate"]:
            assert provinces.lookup(provinces.find(t["words"])[0].words).name == t["governorate"]


# --- the examples -------------------------------------------------------------

# The May 2019 example as the issue quotes it, with the sentence around it as Sputnik's
# relays print it (e.g. noticiabrasil.net.br/amp/20190510/...-13847689.html, in Portuguese).
MAY_2019 = (
    "Over the last 24 hours, the Russian party of the Russia-Turkey Commission on violations "
    "of the Joint Agreement has registered 5 cases of firing in the provinces of Aleppo (1) "
    "and Latakia (4). The Turkish side has registered 15 cases of ceasefire violations in the "
    'provinces of Aleppo (8), Idlib (4), Latakia (2) and Hama (1)," the centre said in its '
    "daily bulletin."
)


def test_the_may_2019_english_example():
    d = parsed(MAY_2019, "2019-05-10")
    assert provinces_of(d) == {
        RU: {"Aleppo": 1, "Lattakia": 4},
        TR: {"Aleppo": 8, "Idleb": 4, "Lattakia": 2, "Hama": 1},
    }
    assert totals_of(d) == {RU: 5, TR: 15}
    assert checks_of(d) == {RU: "matches", TR: "matches"}
    reporters = {t["side"]: t["reporter"] for t in d["tallies"]}
    assert reporters == {
        RU: "Russian Centre for Reconciliation (Russian part of the joint commission)",
        TR: "Turkish part of the joint commission",
    }
    units = {t["side"]: t["unit"] for t in d["tallies"]}
    assert units == {RU: "cases of firing", TR: "cases of ceasefire violations"}
    # the 24 hours before publication are dated the day before it
    assert {(t["period_start"], t["period_end"]) for t in d["tallies"]} == {
        ("2019-05-09", "2019-05-09")
    }
    pcodes = {t["governorate"]: t["governorate_pcode"] for t in d["tallies"] if t["governorate"]}
    assert pcodes == {"Aleppo": "SY02", "Lattakia": "SY06", "Idleb": "SY07", "Hama": "SY05"}
    assert_spans(d, MAY_2019)
    aleppo = next(t for t in d["tallies"] if t["side"] == TR and t["governorate"] == "Aleppo")
    assert aleppo["words"] == "Aleppo (8)"
    assert d["review"] == []


RUSSIAN_EXAMPLE = (
    "«Российской частью представительства совместной российско-турецкой комиссии по "
    "рассмотрению вопросов, связанных с фактами нарушений режима прекращения боевых "
    "действий, за сутки зафиксировано 9 случаев стрельбы в провинциях: Хама – 6, Алеппо – 3. "
    "Турецкой частью представительства зафиксирован 21 случай стрельбы», – говорится в "
    "бюллетене."
)


def test_the_russian_example_and_an_area_less_total():
    d = parsed(RUSSIAN_EXAMPLE, "2019-05-20")
    assert provinces_of(d) == {RU: {"Hama": 6, "Aleppo": 3}}
    assert totals_of(d) == {RU: 9, TR: 21}
    turkish = [t for t in d["tallies"] if t["side"] == TR]
    assert len(turkish) == 1 and turkish[0]["governorate"] is None  # an area-less tally
    assert turkish[0]["kind"] == "total" and turkish[0]["words"] == "21 случай стрельбы"
    # «21 случай» (a numeral's case) and «9 случаев» are the same unit
    assert {t["unit"] for t in d["tallies"]} == {"случаи стрельбы"}
    assert checks_of(d) == {RU: "matches", TR: "no breakdown"}
    assert d["bulletin"]["language"] == "ru"
    assert_spans(d, RUSSIAN_EXAMPLE)


# --- shapes found in real bulletins ------------------------------------------------


def test_provinces_listed_with_no_count():
    # mk-turkey.ru/politics/2019/02/08/mot-turciya-zafiksirovala-devyat-narushenij-peremiriya.html
    text = (
        "«Российской частью представительства совместной российско-турецкой комиссии... "
        "зафиксировано шесть случаев стрельбы в провинциях Алеппо, Идлиб, Латакия. Турецкой "
        "частью представительства зафиксировано девять случаев стрельбы в провинциях Идлиб, "
        "Латакия, Хама», – говорится в документе Минобороны РФ, передаёт ТАСС."
    )
    d = parsed(text, "2019-02-08")
    assert provinces_of(d) == {
        RU: {"Aleppo": None, "Idleb": None, "Lattakia": None},
        TR: {"Idleb": None, "Lattakia": None, "Hama": None},
    }  # a missing count is None, never 0, and the list's number is not its first item's
    assert totals_of(d) == {RU: 6, TR: 9}
    assert checks_of(d) == {RU: "incomplete", TR: "incomplete"}
    assert any("3 province(s) named without a count" in r for r in d["review"])


def test_no_violations_recorded_in_english_and_russian():
    # tass.com/politics/965973 (16 Sep 2017)
    english = (
        '"Over the last 24 hours, the Russian party of the Russia-Turkey Commission on '
        'violations of the Joint Agreement has registered no cases of firing," the bulletin '
        'reads. "The Turkish party has registered 5 cases of ceasefire violations in the '
        'provinces of Idlib (1), Latakia (1), and Damascus (3)."'
    )
    d = parsed(english, "2017-09-16")
    assert totals_of(d) == {RU: 0, TR: 5}
    assert provinces_of(d) == {TR: {"Idleb": 1, "Lattakia": 1, "Damascus": 3}}
    zero = next(t for t in d["tallies"] if t["side"] == RU)
    assert zero["words"] == "no cases of firing" and zero["unit"] == "cases of firing"
    # en.news-front.su/2020/07/23/fire-was-opened-6-times-in-syria-over-the-past-day
    also = (
        "The Russian part of the representative office of the joint Russian-Turkish commission "
        "to consider issues related to the facts of violations of the cessation of hostilities "
        "recorded 6 cases of violation of the ceasefire: 4 in Idlib and 1 each in Latakia and "
        "Aleppo.\nAt the same time, the Turkish part of the mission did not record any cases "
        "of violation of the ceasefire."
    )
    d = parsed(also, "2020-07-23")
    assert provinces_of(d) == {RU: {"Idleb": 4, "Lattakia": 1, "Aleppo": 1}}  # "1 each"
    assert totals_of(d) == {RU: 6, TR: 0}
    # mk-turkey.ru/politics/2019/01/15/mot-turciya-zafiksirovala-12-narushenij-peremiriya.html
    russian = (
        "Турция зафиксировала 12 нарушений перемирия в Сирии за сутки, Россия – ни одного\n"
        "«Российской частью представительства совместной российско-турецкой комиссии... "
        "нарушений не зафиксировано. Турецкой частью представительства зафиксировано 12 "
        "случаев стрельбы в провинциях Идлиб, Хама, Латакия», – говорится в бюллетене."
    )
    d = parsed(russian, "2019-01-15")
    assert totals_of(d) == {RU: 0, TR: 12}  # «ни одного» is none, not one
    assert provinces_of(d) == {TR: {"Idleb": None, "Hama": None, "Lattakia": None}}


def test_a_total_with_no_breakdown():
    # urdupoint.com/en/world/russia-records-38-ceasefire-violations-in-syr-1123283.html
    text = (
        '"The Russian part of the representative office of the joint Russian-Turkish Commission '
        "for consideration of issues related to violations of the cessation of hostilities "
        "recorded 38 cases of opening fire (36 of them according to the Syrian side) in the "
        "provinces of Idlib-21, Aleppo-2, Latakia-9, Hama-6.\nThe Turkish part of the "
        "representation stated 4 facts of opening fire (the Russian part of the representation "
        'confirmed - 0)," the ministry said in its daily bulletin.'
    )
    d = parsed(text, "2020-12-24")
    assert provinces_of(d) == {RU: {"Idleb": 21, "Aleppo": 2, "Lattakia": 9, "Hama": 6}}
    # the Syrian side's 36 and the confirmed 0 are other measures, not these parts' totals
    assert totals_of(d) == {RU: 38, TR: 4}
    assert checks_of(d) == {RU: "matches", TR: "no breakdown"}


def test_both_parts_in_one_sentence():
    # ria.ru/amp/20190913/1558641751.html: the lead names both, the quote each
    text = (
        "МОСКВА, 13 сен - РИА Новости. Россия в рамках работы комиссии по перемирию в Сирии за "
        "сутки зафиксировала 37 случаев нарушения режима прекращения огня, Турция - 25, "
        'сообщается в информационном бюллетене Минобороны РФ.\n"Российской частью '
        "представительства совместной российско-турецкой комиссии по рассмотрению вопросов, "
        "связанных с фактами нарушений режима прекращения боевых действий, зафиксировано 37 "
        "фактов открытия огня в провинциях: Алеппо – 11, Латакия – 11, Идлиб – 10, Хама – пять. "
        "Турецкой частью представительства зафиксировано 25 фактов открытия огня в провинциях: "
        'Идлиб – 13, Хама – девять, Алеппо – два, Латакия – один", - говорится в сообщении.'
    )
    d = parsed(text, "2019-09-13")
    assert totals_of(d) == {RU: 37, TR: 25}
    assert provinces_of(d) == {
        RU: {"Aleppo": 11, "Lattakia": 11, "Idleb": 10, "Hama": 5},
        TR: {"Idleb": 13, "Hama": 9, "Aleppo": 2, "Lattakia": 1},
    }
    stated = {t["side"]: [s["words"] for s in t["stated"]] for t in d["totals"]}
    assert "Турция - 25" in stated[TR]  # the lead's elided unit
    # "The sides ... have each recorded one": each part's; its own statement wins
    sides = (
        "The sides of the Russian-Turkish commission monitoring the implementation of the "
        "Syrian truce have each recorded one ceasefire violation over the past 24 hours, the "
        'Russian Defense Ministry said in its daily bulletin on Monday.\n"The Russian part '
        "recorded one fact of opening fire in Idlib province. The Turkish part of the mission "
        'recorded one fact of opening fire in the province of Latakia," the bulletin said.'
    )
    d = parsed(sides, "2020-04-13")
    assert provinces_of(d) == {RU: {"Idleb": 1}, TR: {"Lattakia": 1}}
    assert totals_of(d) == {RU: 1, TR: 1}
    # two parts as one subject without "each": their sum, never proposed as a tally
    summed = "Russia and Turkey have committed a total of 17 ceasefire violations in 24 hours."
    d = parsed(summed, "2017-05-06")
    assert d["tallies"] == []
    assert any("both parts together" in r for r in d["review"])


def test_the_2020_wording_facts_of_opening_fire():
    # interkomitet.ru/blog/2020/04/01/rossiya-zafiksirovala-dva-narusheniya-peremiriya-v-sirii-za-sutki-2/
    text = (
        "Россия в комиссии по фактам нарушений режима прекращения боевых действий в Сирии за "
        "сутки зафиксировала два нарушения, Турция — одно, сообщается в бюллетене.\n«Российской "
        "частью представительства совместной российско-турецкой комиссии по рассмотрению "
        "вопросов, связанных с фактами нарушений режима прекращения боевых действий, "
        "зафиксировано два факта открытия огня: в провинции Латакия – один, Идлиб – один. "
        "Турецкой частью представительства зафиксирован один факт открытия огня в провинции "
        "Идлиб», — говорится в тексте бюллетеня."
    )
    d = parsed(text, "2020-04-01")
    assert provinces_of(d) == {RU: {"Lattakia": 1, "Idleb": 1}, TR: {"Idleb": 1}}
    assert totals_of(d) == {RU: 2, TR: 1}
    assert {t["unit"] for t in d["tallies"]} == {"факты открытия огня"}
    assert d["bulletin"]["period_start"] == "2020-03-31"


def test_a_mismatch_is_shown_not_hidden():
    # tass.com/world/983941 (3 Jan 2018): the Turkish provinces add up to 10, not 11
    text = (
        '"Over the last 24 hours, the Russian party of the Russia-Turkey Commission on '
        "violations of the Joint Agreement has registered ten cases of firing in the provinces "
        'of Aleppo (8), and Latakia (2)."\n"The Turkish side has registered 11 cases of '
        "ceasefire violation in the provinces of Damascus (2), Aleppo (4), Idlib (2), Latakia "
        '(2)," the bulletin reads.'
    )
    d = parsed(text, "2018-01-03")
    assert provinces_of(d)[TR] == {"Damascus": 2, "Aleppo": 4, "Idleb": 2, "Lattakia": 2}
    turkish = next(t for t in d["totals"] if t["side"] == TR)
    assert (turkish["count"], turkish["sum_of_governorates"], turkish["check"]) == (
        11,
        10,
        "mismatch",
    )
    assert "Turkish part: the provinces add up to 10, the stated total is 11" in d["review"]
    assert checks_of(d)[RU] == "matches"


def test_a_list_across_sentences_and_counts_before_provinces():
    # news-front.su/2019/05/08/situatsiya-v-sirii-8-maya-boeviki-23-raza-...
    text = (
        "В зонах деэскалации за прошедшие сутки было зафиксировано 23 случая нарушения режима "
        "прекращения огня.\n«Российской частью представительства совместной российско-турецкой "
        "комиссии ... зафиксировано 9 случаев стрельбы», – сообщают в ведомстве.\nТри из них "
        "зафиксированы в провинции Латакия, 6 – в Хама.\nКроме того, турецкой частью "
        "представительства зафиксированы 4 случая стрельбы в провинции Идлиб, 7 – в Хама и 3 – "
        "в Алеппо."
    )
    d = parsed(text, "2019-05-08")
    assert provinces_of(d) == {
        RU: {"Lattakia": 3, "Hama": 6},
        TR: {"Idleb": 4, "Hama": 7, "Aleppo": 3},
    }
    # the 23 names no part (it is both parts' sum) and the Turkish part states no total
    assert totals_of(d) == {RU: 9, TR: None}
    assert checks_of(d) == {RU: "matches", TR: "no total stated"}


def test_a_partial_list_and_one_count_for_two_provinces():
    # rossaprimavera.ru/news/2c2e7a8c: «в том числе» lists part of the 32
    text = (
        "По данным российской стороны совместной российско-турецкой комиссии, за прошедшие "
        "сутки зафиксировано 32 обстрела, в том числе в провинции Идлиб — 6, Алеппо — 2. По "
        "данным турецкой комиссии было 7 нарушений: в Идлибе — 1, в Алеппо — 6."
    )
    d = parsed(text, "2020-02-02")
    assert provinces_of(d) == {RU: {"Idleb": 6, "Aleppo": 2}, TR: {"Idleb": 1, "Aleppo": 6}}
    assert checks_of(d) == {RU: "partial", TR: "matches"}
    # true-news.info (TASS, 25 Mar 2017): "one in the provinces of HOMS and Idlib"
    text = (
        "Turkey has recorded 19 violations: eight in the province of Hama, six in the Damascus "
        "province, three in Aleppo, one in the provinces of HOMS and Idlib ."
    )
    d = parsed(text, "2017-03-25")
    assert provinces_of(d) == {
        TR: {"Hama": 8, "Damascus": 6, "Aleppo": 3, "Homs": None, "Idleb": None}
    }
    assert any("one count for several provinces" in r for r in d["review"])


def test_a_passive_agent_an_other_day_and_a_monitors_own_tally():
    # komnews.org: counts "observed by Russia" (the part after its count)
    text = (
        "In the last 24 hours, a total of six ceasefire violations were observed by Russia, 1 in "
        "Aleppo, 3 in Damascus, 1 in Lattakia, and 1 in Hama. Within the same time frame, Turkey "
        "committed a total of eleven violations, 3 in Damascus, 4 in Daraa, 1 in Homs, 2 in "
        "Hama and 1 in Idlib."
    )
    d = parsed(text, "2017-05-06")
    assert totals_of(d) == {RU: 6, TR: 11}
    assert provinces_of(d)[TR] == {"Damascus": 3, "Dar'a": 4, "Homs": 1, "Hama": 2, "Idleb": 1}
    # «Накануне» (the day before): another bulletin's count, not proposed
    text = (
        "«Турецкой частью представительства за сутки зафиксировано 6 фактов открытия огня в "
        "провинциях: Хама — 5, Идлиб — 1», — следует из документа.\nНакануне российские военные "
        "в Сирии зафиксировали два случая стрельбы в провинциях Алеппо и Латакия."
    )
    d = parsed(text, "2019-07-11")
    assert provinces_of(d) == {TR: {"Hama": 5, "Idleb": 1}}
    assert any("another day" in r for r in d["review"])
    # sn4hr.org/blog/2017/01/01/30740/: no part named, the reporter's own tally
    text = (
        "The report monitors 51 breaches in the first 48 hours. Most of the breaches occurred "
        "in Damascus suburbs governorate that saw 14 breaches followed by Homs governorate with "
        "11 breaches, and then Daraa governorate with 10 breaches, Hama governorate with nine "
        "breaches, and lastly Idlib with 7 breaches."
    )
    d = parsed(text, "2017-01-01", reporter="SNHR")
    assert provinces_of(d) == {
        None: {"Rural Damascus": 14, "Homs": 11, "Dar'a": 10, "Hama": 9, "Idleb": 7}
    }
    assert {t["reporter"] for t in d["tallies"]} == {"SNHR"}
    assert totals_of(d) == {None: 51} and checks_of(d) == {None: "matches"}
    assert (d["bulletin"]["period_start"], d["bulletin"]["period_end"]) == (
        "2016-12-30",
        "2016-12-31",
    )  # 48 hours: the two days before


def test_nothing_found_and_no_period_are_said():
    d = parsed("Humanitarian aid: 500 food packages were delivered to Aleppo.", "2019-01-01")
    assert d["tallies"] == [] and d["totals"] == []
    assert any("no tally found" in r for r in d["review"])
    assert any("no period" in r for r in d["review"])
    d = draft_bulletin(MAY_2019, reporter="x", published=None)
    assert d["tallies"][0]["period_start"] is None
    assert any("no publication date" in r for r in d["review"])


# --- province names by rule -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "pcode"),
    [
        ("Тартусе", "SY10"),  # -е: prepositional of a consonant stem
        ("Эр-Ракке", "SY11"),  # article, -а stem
        ("Сувейды", "SY13"),  # genitive of -а
        ("Латакией", "SY06"),  # instrumental of -ия
        ("Дейр-эз-Зоре", "SY09"),  # only the last word declines
        ("Эль-Кунейтре", "SY14"),
        ("Алеппо", "SY02"),  # indeclinable
        ("Deir ez Zor", "SY09"),
        ("al-Hasakah", "SY08"),
        ("As-Suwayda", "SY13"),
        ("Dar’a", "SY12"),
        ("Rif Dimashq", "SY03"),
        ("HOMS", "SY04"),
        ("Tartus", "SY10"),
        ("القنيطرة", "SY14"),
    ],
)
def test_every_governorate_is_found_in_any_spelling(written, pcode):
    found = provinces.find(f"в {written}, ")
    assert [m.governorate.pcode for m in found] == [pcode]


def test_a_province_inside_a_longer_word_is_not_one():
    assert provinces.find("в Идлибской зоне деэскалации; Hamas; Homsk") == []
    assert len(provinces.governorates()) == 14
    assert provinces.lookup("Idlib Governorate").name == "Idleb"
    assert provinces.lookup("Atlantis") is None


def test_language():
    assert language_of(MAY_2019) == "en" and language_of(RUSSIAN_EXAMPLE) == "ru"


def test_a_part_named_after_its_counts_and_a_named_area():
    # en.news-front.info/2021/05/14/55-silence-violations-recorded-in-syria/: the part
    # comes after its list ("according to"), the Turkish count after "more"
    text = (
        "We have identified 23 violations in Idlib, 9 in Latakia, 5 in Hama, and 2 in Aleppo, "
        "according to the Russian component of the Joint Russian-Turkish commission which "
        "examined the facts of the violations of the cessation of hostilities.\nThe Turkish "
        "part of the mission detected 16 more shooting incidents."
    )
    d = parsed(text, "2021-05-14")
    assert provinces_of(d) == {RU: {"Idleb": 23, "Lattakia": 9, "Hama": 5, "Aleppo": 2}}
    assert totals_of(d) == {RU: None, TR: 16}
    # urdupoint.com/en/world/russian-military-reports-17-ceasefire-violati-1130479.html:
    # "confirmed by the Russian side" inside the Turkish part's sentence is not the
    # Russian part's count
    text = (
        "The Russian side of the Russian-Turkish joint commission has registered 17 instances "
        "of firing, including two in the province of Aleppo, one in Latakia, 10 in Idlib and "
        "four in Hama. The Turkish side has registered four instances of firing (neither of "
        "which has been confirmed by the Russian side)."
    )
    d = parsed(text, "2021-01-02")
    assert totals_of(d) == {RU: 17, TR: 4}
    assert provinces_of(d) == {RU: {"Aleppo": 2, "Lattakia": 1, "Idleb": 10, "Hama": 4}}
    # urdupoint.com/en/world/terrorists-continue-shelling-settlements-in-s-983406.html:
    # the de-escalation zone is a named area, not the governorate of Idleb
    text = (
        "The Russian military specified that no firing was recorded in the Idlib "
        "de-escalation zone by Turkish-controlled armed groups over the past 24 hours."
    )
    d = parsed(text, "2020-07-24")
    (total,) = d["tallies"]
    assert (total["kind"], total["governorate"], total["area"], total["count"]) == (
        "total",
        None,
        "Idlib de-escalation zone",
        0,
    )
