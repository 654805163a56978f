"""The drafter's rules, one short passage each (issue 24): attribution in reported
speech, dates, places, acts and figures. Each passage is written for its rule; the
expected values are read off the passage by hand, never from the code under test.

Pure text: no store, no browser; about 40 drafts of a few sentences (a few seconds).
"""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire import draft

SUN, MON, TUE, WED = date(2023, 6, 25), date(2023, 6, 26), date(2023, 6, 27), date(2023, 6, 28)


def run(text: str, outlet: str = "Associated Press", published: date = MON) -> dict:
    return draft.draft_article(text, outlet=outlet, published=published)


def value(field):
    return field["value"] if isinstance(field, dict) and "value" in field else field


def claims(p: dict) -> dict[str, dict]:
    return {value(c["source_name"]): c for c in p["claims"]}


def actors(c: dict) -> set[str]:
    """The canonical actors a claim names as perpetrators."""
    out = {c["alleged_actor"].get("actor")} | set(value(c.get("also_named")) or [])
    out.discard(None)
    return out


def figure(c: dict, name: str) -> tuple:
    return (value(c.get(f"{name}_min")), value(c.get(f"{name}_max")))


# --- attribution in reported speech ---------------------------------------------------


def test_a_headline_x_says_is_x_s_claim_not_the_outlet_s():
    p = run(
        "Russian centre says militants' rocket barrage killed five\n\n"
        "Militants fired rockets at the town of Jurin in Hama province on Monday, killing "
        "five civilians, the Russian Centre for Reconciliation said.",
        outlet="TASS",
    )
    got = claims(p)
    assert set(got) == {"Russian Centre for Reconciliation"}
    assert not actors(got["Russian Centre for Reconciliation"])
    assert figure(got["Russian Centre for Reconciliation"], "killed") == (5, 5)


def test_an_identifying_phrase_names_no_perpetrator():
    p = run(
        "Activists said the strike on the town of Ariha on Monday was carried out by Russia, "
        "a leading backer of President Bashar Assad's government."
    )
    (claim,) = p["claims"]
    assert value(claim["source_name"]) == "Associated Press"
    assert actors(claim) == {"Russia"}
    assert value(p["incident"]["verification"]) == "reported"


def test_ally_and_backer_before_a_name_are_descriptions():
    p = run(
        "Regime shelling killed eight civilians in Iblin on Monday, a war monitor said, in one "
        "of the deadliest days since a truce brokered by regime ally Russia and rebel backer "
        "Turkey came into force."
    )
    assert all(actors(c) <= {"Syrian government"} for c in p["claims"])


def test_each_source_keeps_its_own_figures():
    p = run(
        "Shelling hit the hospital in Atareb on Monday, killing six patients and wounding 15, "
        "a medical charity said.\n\nTurkey's defence ministry said five people were killed "
        "and 10 wounded, and blamed Syrian government forces."
    )
    got = claims(p)
    ministry = got["Turkish Ministry of National Defence"]
    assert figure(ministry, "killed") == (5, 5) and figure(ministry, "wounded") == (10, 10)
    assert actors(ministry) == {"Syrian government"}
    outlet = got["Associated Press"]
    assert figure(outlet, "killed") == (6, 6) and figure(outlet, "wounded") == (15, 15)
    assert "charity" in value(outlet["source_detail"])


def test_an_officer_speaks_for_his_office_not_his_country():
    p = run(
        "Militants shelled Jurin on Monday, killing three civilians, Major General Alexei "
        "Bakin, the chief of the Russian Center for Reconciliation of the Opposing Sides in "
        "Syria, told reporters.",
        outlet="TASS",
    )
    (claim,) = p["claims"]
    assert value(claim["source_name"]) == "Russian Centre for Reconciliation"
    assert "Alexei Bakin" in value(claim["source_detail"])
    assert value(claim["source_kind"]) == "military"


def test_a_chain_gives_the_claim_to_the_innermost_speaker():
    p = run(
        "The White Helmets said 10 people were injured in Russian raids on the town of Kafr "
        "Ruma on Monday, Anadolu Agency reported.",
        outlet="Baladi News",
    )
    (claim,) = p["claims"]
    assert value(claim["source_name"]) == "Syria Civil Defence"
    assert "Anadolu Agency" in value(claim["source_detail"])
    assert figure(claim, "wounded") == (10, 10) and actors(claim) == {"Russia"}


def test_an_unnamed_source_inside_a_named_one_is_relayed_by_it():
    p = run(
        "According to Kupchishin, the head of the Russian Centre for Reconciliation, local "
        "residents reported that a rocket hit a church in Suqaylabiyah on Sunday, killing "
        "five children.",
        outlet="RIA Novosti",
    )
    (claim,) = p["claims"]
    assert value(claim["source_name"]) == "Russian Centre for Reconciliation"
    assert "local residents" in value(claim["source_detail"])
    assert figure(claim, "killed") == (5, 5)


def test_a_description_refers_to_the_named_source_of_its_kind():
    p = run(
        "Air strikes on a market in Maaret al-Numan killed 12 civilians on Monday, a war "
        "monitor said.\n\nThe Syrian Observatory for Human Rights said Russian jets carried "
        "out the strikes.",
        outlet="AFP",
    )
    (claim,) = p["claims"]
    assert value(claim["source_name"]) == "Syrian Observatory for Human Rights"
    assert figure(claim, "killed") == (12, 12) and actors(claim) == {"Russia"}


def test_a_denial_is_a_claim_without_an_actor():
    p = run(
        "Air strikes hit the market in Maaret al-Numan on Monday, the Syrian Observatory for "
        "Human Rights said.\n\nRussian aircraft did not carry out strikes in the area, the "
        "Russian Defence Ministry said."
    )
    got = claims(p)
    assert not actors(got["Russian Ministry of Defence"])


def test_a_claim_quoted_inside_a_denial_is_its_author_s():
    p = run(
        "Claims by the White Helmets of a strike by Russian aircraft on the market in Maaret "
        "al-Numan on Monday are false, the Russian Defence Ministry said."
    )
    got = claims(p)
    assert actors(got["Syria Civil Defence"]) == {"Russia"}
    assert not actors(got["Russian Ministry of Defence"])
    assert value(p["incident"]["verification"]) == "reported"


def test_a_country_speaks_through_its_channel_or_its_named_office():
    p = run(
        "Russian jets struck Binnish on Monday, the Observatory said. Moscow denied its planes "
        "were involved. The Russian Defence Ministry said the reports were false.",
        outlet="AFP",
    )
    assert "Russia" not in claims(p) and "Russian Ministry of Defence" in claims(p)
    p = run(
        "Moscow disavowed the raids on Binnish through Sputnik. A news article reported that "
        "the regime's warplanes killed 7 people on Monday.",
        outlet="The Syrian Observer",
    )
    assert actors(claims(p)["Sputnik"]) == {"Syrian government"}


def test_a_headline_attribution_fills_the_claim_of_its_source():
    p = run(
        "Russian jets kill nine civilians in Idlib camps - rescuers\n\n"
        "Strikes on camps for displaced people west of Idlib killed nine civilians on Monday. "
        "The civil defence service said three children were among the dead.",
        outlet="Reuters",
    )
    got = claims(p)
    assert actors(got["Syria Civil Defence"]) == {"Russia"}
    assert figure(got["Syria Civil Defence"], "killed") == (9, 9)
    assert not actors(got["Reuters"]) and figure(got["Reuters"], "killed") == (9, 9)


@pytest.mark.parametrize(
    "text",
    [
        "Mortars hit the positions of the Russian forces near Saraqib on Monday, killing two.",
        "Shelling killed two in Jisr al-Shughur on Monday. The area is held by Hayat Tahrir "
        "al-Sham and by Turkish-backed forces.",
        "Shelling killed two in Sarmada on Monday, in the Turkish-controlled part of Idlib.",
    ],
)
def test_a_force_named_as_target_owner_or_backer_is_not_blamed(text):
    p = run(text)
    assert all(not actors(c) for c in p["claims"])


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        ("Russian warplanes", "Russian and Syrian warplanes", "reported"),
        ("Russian warplanes", "regime warplanes", "disputed"),
        ("Russian warplanes", "unidentified aircraft", "reported"),
    ],
)
def test_disputed_only_when_two_sources_blame_disjoint_actors(a, b, want):
    p = run(
        f"The Syrian Observatory for Human Rights said {a} struck Binnish on Monday, killing "
        f"four.\n\nSANA said {b} struck Binnish on Monday."
    )
    assert value(p["incident"]["verification"]) == want


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "published", "want"),
    [
        ("early Sunday", SUN, "2023-06-25"),
        ("on Sunday", SUN, "2023-06-25"),
        ("Sunday's", SUN, "2023-06-25"),
        ("late on Sunday", MON, "2023-06-25"),
        ("on Monday", TUE, "2023-06-26"),
        ("at dawn", TUE, "2023-06-27"),
    ],
)
def test_a_weekday_equal_to_the_publication_day_is_that_day(words, published, want):
    text = (
        f"{words[0].upper()}{words[1:]} shelling hit Ariha, killing three."
        if words.endswith("'s")
        else f"An airstrike {words} hit Ariha, killing three."
    )
    p = run(text, published=published)
    assert value(p["incident"]["occurred_on"]) == want


def test_said_on_a_day_dates_the_statement_not_the_act():
    p = run(
        "Militants shelled Jurin on Friday, killing three civilians, the Russian Centre for "
        "Reconciliation said on Sunday.",
        published=MON,
    )
    assert value(p["incident"]["occurred_on"]) == "2023-06-23"


def test_a_statement_s_day_dates_the_act_only_when_nothing_else_does_and_says_so():
    p = run(
        "Militants shelled Jurin, killing three civilians, the Russian Centre for "
        "Reconciliation said on Sunday.",
        published=MON,
    )
    when = p["incident"]["occurred_on"]
    assert value(when) == "2023-06-25"
    assert "statement" in when["note"]
    assert any("statement" in r for r in p["review"])


def test_an_agreement_s_date_is_not_the_act_s():
    p = run(
        "Shelling killed two civilians in Sarja on Saturday. The truce agreed by Russia and "
        "Turkey took effect on March 6, 2020.",
        published=date(2021, 7, 17),
    )
    assert value(p["incident"]["occurred_on"]) == "2021-07-17"


@pytest.mark.parametrize(
    ("words", "want"),
    [("overnight", "2023-06-27"), ("overnight, around midnight on Monday", "2023-06-26")],
)
def test_overnight_is_the_night_before_unless_a_weekday_says(words, want):
    p = run(f"Warplanes hit Maaret al-Numan {words}, killing 12.", published=WED)
    assert value(p["incident"]["occurred_on"]) == want


def test_a_dateline_s_day_is_the_publication_s():
    p = run(
        "MOSCOW, June 28. /TASS/. Militants shelled Kafr Battikh, wounding two soldiers, the "
        "Russian Centre for Reconciliation said at a briefing on Tuesday night.",
        outlet="TASS",
        published=WED,
    )
    assert value(p["incident"]["occurred_on"]) == "2023-06-27"


# --- places -----------------------------------------------------------------------------


def test_the_gazetteer_decides_the_governorate_and_the_text_s_province_is_noted():
    p = run("Shelling hit the hospital in the town of Atareb in Idlib province on Monday.")
    inc = p["incident"]
    assert value(inc["governorate"]) == "Aleppo" and value(inc["district"]) == "Jebel Saman"
    assert "Idlib" in inc["governorate"]["note"]
    assert any("Atarib" in r or "Atareb" in r for r in p["review"])


def test_a_fuzzy_match_in_another_province_than_the_text_s_is_dropped():
    p = run("Missiles hit the village of Birnas in Idlib on Monday, killing two civilians.")
    inc = p["incident"]
    assert value(inc["place_name"]) == "Birnas" and value(inc["governorate"]) == "Idleb"


def test_where_fire_came_from_is_not_the_place_hit():
    p = run("Regime forces stationed in Maarat al-Numan shelled the town of Kafr Nabl on Monday.")
    assert value(p["incident"]["place_name"]) == "Kafr Nabl"


def test_a_name_held_twice_is_the_one_near_the_article_s_places():
    p = run("Regime forces shelled the village of Ziyadiyah, west of Hama, on Monday.")
    assert value(p["incident"]["governorate"]) == "Idleb"


# --- acts -------------------------------------------------------------------------------


def test_acts_at_other_places_are_other_incidents():
    p = run(
        "Regime air strikes on the city of Idlib killed seven civilians on Monday, the "
        "Observatory said.\n\nRegime air strikes hit a market in the town of Binnish, killing "
        "five, it said.\n\nSouth of Idlib city, raids on the area of al-Nayrab killed four."
    )
    places = [value(p["incident"]["place_name"])] + [
        value(o["incident"]["place_name"]) for o in p["other_incidents"]
    ]
    assert places == ["Idlib", "Binnish", "al-Nayrab"]
    assert [value(o["incident"]["occurred_on"]) for o in p["other_incidents"]] == [
        "2023-06-26",
        "2023-06-26",
    ]


def test_a_sentence_referring_back_to_the_act_stays_in_it():
    p = run(
        "Regime shelling of Jabal al-Zawiya killed eight civilians on Monday, a monitor said. "
        "It killed five members of one family in Iblin and two children in Balyun."
    )
    assert p["other_incidents"] == []


def test_a_marked_act_on_another_day_is_another_incident():
    p = run(
        "Rockets hit Suqaylabiyah on Sunday, killing six. The town came under fire again on "
        "Monday: one civilian was killed."
    )
    assert value(p["incident"]["occurred_on"]) == "2023-06-25"
    (other,) = p["other_incidents"]
    assert value(other["incident"]["occurred_on"]) == "2023-06-26"


# --- figures ----------------------------------------------------------------------------


def test_a_revised_toll_supersedes_the_first():
    p = run(
        "Regime warplanes struck the market in Idlib city on Monday. The Observatory had "
        "earlier reported nine civilians killed; the toll has now reached 18.",
        outlet="Syrian Observatory for Human Rights",
    )
    (claim,) = p["claims"]
    assert figure(claim, "killed") == (18, 18) and figure(claim, "civilians_killed") == (18, 18)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "At least seven civilians, four of them children, were killed in Ariha on Monday.",
            (7, None),
        ),
        ("Shelling hit Ariha on Monday. Six children were among the dead.", (None, None)),
        ("Raids on two towns near Ariha killed 11 people on Monday.", (11, 11)),
        (
            "At least 16 civilians were among the dead when shelling hit Ariha on Monday.",
            (16, None),
        ),
    ],
)
def test_parts_and_counts_of_things_are_not_totals(text, want):
    p = run(text)
    got = figure(p["claims"][0], "killed") if p["claims"] else (None, None)
    assert got == want


def test_no_deaths_is_zero_and_no_reports_is_nothing():
    p = run(
        "Russian warplanes struck the outskirts of Idlib city on Monday. The Syrian Civil "
        "Defence said the raids caused no deaths or injuries."
    )
    wh = claims(p)["Syria Civil Defence"]
    assert figure(wh, "killed") == (0, 0) and figure(wh, "wounded") == (0, 0)
    p = run(
        "A guided missile hit a car near Kafr Nouran on Monday, with no casualties reported so far."
    )
    assert all(figure(c, "killed") == (None, None) for c in p["claims"])


# --- rules added after the first held-out run (tests/drafting/SCORES.md) ---------------


def test_a_sentence_pointing_back_into_reported_words_goes_on_with_their_speaker():
    p = run(
        "Militants fired three rockets at Suqaylabiyah on Sunday, the Russian Centre for "
        "Reconciliation said. Two of them struck a house, killing four civilians.",
        outlet="Reuters",
    )
    got = claims(p)
    assert figure(got["Russian Centre for Reconciliation"], "killed") == (4, 4)
    assert "Reuters" not in got or figure(got["Reuters"], "killed") == (None, None)


def test_a_smaller_figure_after_a_total_is_a_part_of_it():
    p = run(
        "Shelling killed nine people in Ariha on Monday, the Observatory said. The "
        "Observatory said shells that hit the market killed five.",
    )
    got = claims(p)["Syrian Observatory for Human Rights"]
    assert figure(got, "killed") == (9, 9)


def test_a_country_without_an_office_or_channel_is_no_one_s_claim():
    p = run(
        "Russian warplanes struck Binnish on Monday, killing four, the White Helmets said. "
        "Moscow said its aircraft had hit only terrorist positions and killed 30 militants.",
        outlet="Reuters",
    )
    got = claims(p)
    assert "Russia" not in got
    assert all(figure(c, "killed") != (30, 30) for c in got.values())


def test_the_subject_of_a_relative_clause_is_the_author_of_its_verb():
    p = run(
        "The Observatory said it was regime forces that fired the rockets at Ariha on "
        "Monday, killing three."
    )
    assert actors(claims(p)["Syrian Observatory for Human Rights"]) == {"Syrian government"}


@pytest.mark.parametrize(
    "text",
    [
        "Hayat Tahrir al-Sham condemned the attack on Ariha on Monday, which killed three.",
        "Hayat Tahrir al-Sham had agreed to cease fire. Shelling killed three in Ariha on Monday.",
    ],
)
def test_a_noun_after_its_article_and_cease_fire_are_no_attack_verbs(text):
    p = run(text)
    assert all("Hayat Tahrir al-Sham" not in actors(c) for c in p["claims"])


def test_a_parenthetical_designation_is_an_identifying_phrase():
    p = run(
        "Militants of Hayat Tahrir al-Sham (a terrorist group banned in Russia) shelled Jurin "
        "on Monday, killing two, the Russian Centre for Reconciliation said.",
        outlet="TASS",
    )
    assert actors(claims(p)["Russian Centre for Reconciliation"]) == {"Hayat Tahrir al-Sham"}


def test_a_name_after_a_verb_of_arrival_is_a_destination_not_a_target():
    p = run(
        "Russian jets struck the town of Binnish on Monday, killing two. The wounded "
        "arrived at a hospital in Idlib city."
    )
    assert value(p["incident"]["target_type"]) != "medical"


def test_an_act_named_after_a_temporal_preposition_does_not_refer_back():
    p = run(
        "Regime shelling killed two people in Ariha on Monday. After the shelling, Russian "
        "jets struck the town of Binnish, killing three."
    )
    assert [value(o["incident"]["place_name"]) for o in p["other_incidents"]] == ["Binnish"]


def test_the_object_of_an_attack_verb_is_the_place_hit():
    p = run("Rockets hit Suqaylabiyah on Monday, killing six.")
    assert value(p["incident"]["place_name"]) == "Suqaylabiyah"
    assert value(p["incident"]["governorate"]) == "Hama"
    p = run("Turkish drones struck Russian positions on Monday.")
    assert not value(p["incident"].get("place_name"))


def test_a_district_s_name_used_as_a_place_is_its_town():
    p = run(
        "Shelling killed two people in Ariha on Monday. Separately, shelling killed three "
        "people in Jisr al-Shughur."
    )
    assert [value(o["incident"]["place_name"]) for o in p["other_incidents"]] == ["Jisr al-Shughur"]


def test_a_marked_act_in_another_province_is_another_incident():
    p = run(
        "Regime shelling killed two people in Ariha in Idlib province on Monday. Meanwhile "
        "in Hama province, regime shelling killed one civilian."
    )
    (other,) = p["other_incidents"]
    assert value(other["incident"]["governorate"]) == "Hama"


def test_another_author_with_other_means_is_another_act():
    p = run(
        "Russian warplanes bombed Ariha on Monday, killing two civilians. Hayat Tahrir "
        "al-Sham fighters fired rockets at army positions, killing one soldier."
    )
    assert len(p["other_incidents"]) == 1


def test_an_act_whose_opener_names_no_place_is_where_the_act_before_was():
    p = run(
        "Rockets hit Suqaylabiyah in Hama province on Sunday, killing six. The town came "
        "under fire again on Monday, he said. Militants also shelled several settlements in "
        "Latakia province."
    )
    (other,) = p["other_incidents"]
    assert value(other["incident"]["place_name"]) == value(p["incident"]["place_name"])


def test_casualties_after_an_act_with_none_go_to_the_act_before_it():
    p = run(
        "Regime warplanes struck the town of Ariha on Monday. Hours later a second raid hit "
        "farmland near Kafr Nabl, causing no casualties. The health directorate said six "
        "people were killed in Ariha."
    )
    main = p["claims"]
    assert any(figure(c, "killed") == (6, 6) for c in main)


# --- rules added after the second held-out run (tests/drafting/SCORES.md) --------------


def test_said_and_a_weekday_names_no_outlet():
    p = run(
        "Shelling killed five people in Ariha overnight, a war monitor and rescuers said Thursday.",
        outlet="AFP",
        published=date(2023, 6, 29),
    )
    assert not any("Thursday" in r for r in p["review"])
    assert "AFP" in claims(p)


def test_an_inverted_attribution_with_an_appositive_is_the_office_s():
    p = run(
        "Shelling killed five people in Ariha on Monday. Two children were among the dead, "
        "said Rami Abdel Rahman, the head of the Syrian Observatory for Human Rights.",
        outlet="AFP",
    )
    assert "Syrian Observatory for Human Rights" in claims(p)


def test_an_earlier_toll_gives_way_to_the_current_one():
    p = run(
        "Air strikes killed at least 44 people in Zardana on Monday, the Syrian Observatory "
        "for Human Rights said. The Britain-based monitor had earlier given a toll of 18.",
        outlet="AFP",
    )
    got = claims(p)
    assert figure(got["Syrian Observatory for Human Rights"], "killed") == (44, None)
    assert "AFP" not in got


def test_the_deaths_refer_back_to_the_act():
    p = run(
        "Air strikes killed 44 people in Zardana on Monday, the Observatory said. Russia's "
        "defence ministry said the deaths were the result of fighting between two armed "
        "groups."
    )
    assert p["other_incidents"] == []


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        (
            "Shelling hit a house in Ariha on Monday, killing two and wounding another woman.",
            0,
        ),
        (
            "Militants attacked an army post on Mount Nabi Yunis in Latakia on Monday, killing "
            "four soldiers. Hours before the attack, Russian warplanes struck a headquarters "
            "of Hayat Tahrir al-Sham west of Idlib city.",
            1,
        ),
    ],
)
def test_another_of_a_person_is_no_marker_and_hours_before_the_attack_is(text, acts):
    assert len(run(text)["other_incidents"]) == acts


def test_a_mountain_the_gazetteer_lacks_is_kept_as_written():
    p = run(
        "Militants attacked an army post on Mount Nabi Yunis in the northern countryside of "
        "Latakia on Monday, killing four soldiers."
    )
    assert value(p["incident"]["place_name"]) == "Mount Nabi Yunis"
    assert value(p["incident"]["governorate"]) == "Lattakia"


def test_a_marked_act_by_another_perpetrator_at_the_same_place_is_another_act():
    p = run(
        "Russian warplanes struck the town of Kafr Nabl on Monday, killing two civilians. "
        "Regime warplanes, meanwhile, targeted a hospital in Kafr Nabl."
    )
    (other,) = p["other_incidents"]
    assert actors(other["claims"][0]) == {"Syrian government"}


@pytest.mark.parametrize(
    ("text", "field", "want"),
    [
        ("Russian jets struck Ariha on Monday, killing a two-year-old child.", "killed", (1, 1)),
        (
            "A rebel fighter travelling with the convoy was killed in Ariha on Monday.",
            "killed",
            (1, 1),
        ),
        (
            "Rockets hit Saraqeb on Monday, injuring the media activist Asmar Aslan.",
            "wounded",
            (1, 1),
        ),
        (
            "An elderly woman and four of her children were killed in shelling on Ariha on Monday.",
            "killed",
            (5, 5),
        ),
        ("Shelling on Ariha on Monday killed two women and three children.", "killed", (5, 5)),
        (
            "Regime shelling killed six civilians, two women and two children among them, in Ariha on Monday.",
            "killed",
            (6, 6),
        ),
        (
            "Shelling hit Ariha on Monday: a young woman was seriously injured and four children were lightly hurt.",
            "wounded",
            (5, 5),
        ),
    ],
)
def test_single_victims_count_one_and_coordinated_counts_add_up(text, field, want):
    p = run(text)
    assert figure(p["claims"][0], field) == want


@pytest.mark.parametrize(
    "text",
    [
        "An air strike hit a Turkish military convoy near Maarat al-Numan on Monday, killing three.",
        "Militants used drones to attack Syrian government troops near Kabani on Monday, killing three.",
        "An air strike hit a convoy heading to one of Turkey's observation posts near Maarat al-Numan on Monday, killing three.",
    ],
)
def test_the_object_or_a_possessor_of_the_target_is_not_blamed(text):
    p = run(text)
    assert all(not ({"Turkey", "Syrian government"} & actors(c)) for c in p["claims"])


def test_the_owner_of_the_weapon_and_staged_by_blame():
    p = run(
        "The regime's surface-to-surface missiles hit the village of Birnas on Monday, killing two."
    )
    assert actors(p["claims"][0]) == {"Syrian government"}
    p = run(
        '"We condemn this attack staged by the regime on Taftanaz on Monday," the Turkish '
        "defence ministry said."
    )
    assert actors(claims(p)["Turkish Ministry of National Defence"]) == {"Syrian government"}


def test_a_hedge_about_who_struck_blames_no_one():
    p = run(
        "An air strike hit a convoy near Maarat al-Numan on Monday, killing three, Turkey's "
        "defence ministry said. It was not immediately clear whether Syrian government or "
        "Russian warplanes carried out the strike.",
        outlet="Reuters",
    )
    assert all(not actors(c) for c in p["claims"])


def test_a_state_s_ministry_is_named_by_country_and_portfolio():
    p = run(
        "An air strike hit a Turkish convoy near Maarat al-Numan on Monday, killing three. "
        "Syria's foreign ministry said the convoy had been carrying ammunition to insurgents.",
        outlet="Reuters",
    )
    assert "Syrian Ministry of Foreign Affairs" in claims(p)


def test_that_after_a_verb_of_speech_is_no_back_reference():
    p = run(
        "Regime shelling killed six civilians in Maarat al-Naasan on Monday, the Observatory "
        "said. The Observatory also reported that regime rocket fire killed one person in "
        "the town of Taqad."
    )
    assert [value(o["incident"]["place_name"]) for o in p["other_incidents"]] == ["Taqad"]


def test_a_trend_since_a_day_is_background():
    p = run(
        "Regime shelling killed four civilians in Idlib city on Monday. The bombardment has "
        "intensified since Thursday, when drones struck a ceremony in Homs, killing dozens."
    )
    assert p["other_incidents"] == []


def test_a_lead_naming_several_perpetrators_does_not_say_which_struck_where():
    p = run(
        "As many as 10 civilians were killed on Monday in attacks by Syrian regime and Russian "
        "forces on northwest Syria. Russian warplanes bombed the town of Khan Sheikhoun, "
        "killing two. Four civilians were killed in air strikes on farms near Binnish.",
        outlet="Middle East Monitor",
    )
    assert actors(p["claims"][0]) == {"Russia"}
    (other,) = p["other_incidents"]
    assert not actors(other["claims"][0])


def test_two_acts_in_one_sentence_joined_by_while():
    p = run(
        "Russian warplanes bombed the town of Khan Sheikhoun on Monday, killing two. Two "
        "other civilians were killed by regime air strikes on the southern countryside of "
        "Idlib, while two more were killed and five wounded in a rocket attack on the western "
        "countryside of Idlib."
    )
    assert len(p["other_incidents"]) == 2


def test_a_town_far_from_the_province_the_text_names_is_another_place():
    p = run(
        "Drone strikes hit army positions near the settlement of Safsafa in the Latakia "
        "governorate on Monday, killing three servicemen."
    )
    assert value(p["incident"]["governorate"]) == "Lattakia"
    p = run("Shelling hit the town of Atareb in Idlib province on Monday, killing two.")
    assert value(p["incident"]["governorate"]) == "Aleppo"


# --- rules added after the third held-out run (tests/drafting/SCORES.md) ---------------


def test_a_pronoun_after_an_unnamed_source_is_still_unnamed():
    p = run(
        "Shelling hit the town of Ariha on Monday, the Syrian Civil Defense said. Activists "
        "said the shelling was carried out by Assad forces. It killed two young men, they said.",
        outlet="Syrian Coalition",
    )
    got = claims(p)
    assert figure(got["Syrian Coalition"], "killed") == (2, 2)
    assert figure(got["Syria Civil Defence"], "killed") == (None, None)


def test_the_act_a_retaliation_answered_is_its_own_act_with_its_own_author():
    p = run(
        "Fighters of Hayat Tahrir al-Sham killed five soldiers in an attack near Kabani on "
        "Monday, the Observatory said. It said the HTS attack came in retaliation for "
        "government shelling of neighbourhoods of Idlib city, which wounded 14 civilians."
    )
    (other,) = p["other_incidents"]
    assert actors(other["claims"][0]) == {"Syrian government"}
    assert figure(other["claims"][0], "wounded") == (14, 14)


@pytest.mark.parametrize(
    "second",
    [
        "The attacks by the Assad regime and Russia on civilians in northwest Syria are a "
        "systematic assault on life.",
        "On Sunday, the regime had shelled villages of Jabal al-Zawiya and Russian jets had "
        "struck Binnish.",
        "On June 12, Russian warplanes hit a camp near Sarmin, killing two civilians.",
    ],
)
def test_general_statements_and_earlier_attacks_are_no_act_and_blame_no_one(second):
    p = run(
        "Regime rockets hit the town of Sarmin on Monday, killing a girl, the White Helmets "
        "said. " + second
    )
    assert p["other_incidents"] == []
    assert all(actors(c) <= {"Syrian government"} for c in p["claims"])
    assert value(p["incident"]["occurred_on"]) == "2023-06-26"


@pytest.mark.parametrize(
    "second",
    [
        "The centre carried out two humanitarian operations in Zama.",
        "Regime forces also shelled several towns in the Hama countryside.",
        "Rescuers said the area was also struck with cluster munitions.",
    ],
)
def test_aid_a_summary_and_the_act_s_own_place_make_no_new_act(second):
    p = run("Regime shelling killed two people in Ariha on Monday. " + second)
    assert p["other_incidents"] == []


def test_a_fuzzy_name_far_from_the_places_named_exactly_is_dropped():
    p = run(
        "Regime forces also fired rockets at a house in the Wadi al-Zuhur area on the "
        "outskirts of the city of Binnish on Monday, without causing any casualties."
    )
    assert value(p["incident"]["governorate"]) == "Idleb"


def test_condemned_speaks_and_an_outlet_naming_itself_is_the_outlet():
    p = run(
        "Regime shelling hit Kokfin on Monday. Meanwhile, the National Coalition of Syrian "
        'Revolution and Opposition Forces condemned the attack by "Assad\'s forces".'
    )
    assert actors(claims(p)["National Coalition of Syrian Revolution and Opposition Forces"]) == {
        "Syrian government"
    }
    p = run(
        "Regime shelling killed two in al-Tih on Monday. The Syrian Coalition condemned the "
        "shelling of populated areas.",
        outlet="Syrian Coalition",
    )
    assert [value(c["source_name"]) for c in p["claims"]] == ["Syrian Coalition"]


def test_a_ministry_named_in_lower_case_and_crimes_of_two_governments():
    p = run(
        "Air strikes hit Idlib city overnight, the Observatory said. The Turkish foreign "
        "ministry said the strikes had killed more than 60 civilians and condemned the crimes "
        "of the Russian and Syrian governments.",
        outlet="Reuters",
        published=TUE,
    )
    got = claims(p)["Turkish Ministry of Foreign Affairs"]
    assert actors(got) == {"Russia", "Syrian government"}
    assert figure(got, "killed") == (61, None)


def test_in_the_north_of_a_province_is_inside_it():
    p = run(
        "Shelling killed six civilians in Darat Izza on Monday, the Observatory said. Before "
        "the shelling, fighters of Hayat Tahrir al-Sham killed five soldiers in an attack in "
        "the north of Latakia province, the Observatory said."
    )
    (other,) = p["other_incidents"]
    assert value(other["incident"]["governorate"]) == "Lattakia"


def test_an_age_is_no_count_and_army_units_are_the_government_s():
    p = run(
        '"The house was destroyed; a six-year-old boy was killed," the Observatory said on Monday.'
    )
    assert figure(p["claims"][0], "killed") == (1, 1)
    p = run(
        "Rockets hit Mhardeh on Monday. Army artillery units responded to the attack by "
        "targeting the sources of fire.",
        outlet="SANA",
    )
    (other,) = p["other_incidents"]
    assert actors(other["claims"][0]) == {"Syrian government"}


# --- rules changed after run 4 (tests/drafting/SCORES.md) ------------------------------


def test_an_abbreviated_rank_ends_no_sentence():
    p = run(
        "MOSCOW (Sputnik) - Two soldiers were wounded when militants shelled the village of "
        "Jurin on Monday, Vice Adm. Ivan Petrov of the Russian Centre for Reconciliation said.",
        outlet="Sputnik",
    )
    assert set(claims(p)) == {"Russian Centre for Reconciliation"}
    assert figure(p["claims"][0], "wounded") == (2, 2)


def test_a_quotation_of_two_sentences_is_the_speaker_s_from_its_first():
    p = run(
        "Shelling hit Ariha on Monday.\n\n"
        '"Three civilians were killed by regime shelling on Ariha. The toll may rise," the '
        "Observatory said."
    )
    got = claims(p)
    assert set(got) == {"Syrian Observatory for Human Rights"}
    assert actors(got["Syrian Observatory for Human Rights"]) == {"Syrian government"}
    assert figure(got["Syrian Observatory for Human Rights"], "killed") == (3, 3)


def test_a_person_of_an_organisation_after_said_speaks_for_it():
    p = run(
        "Five civilians were killed in Saraqib on Monday, said Rami Abdel-Rahman of the "
        "Britain-based Syrian Observatory for Human Rights."
    )
    assert set(claims(p)) == {"Syrian Observatory for Human Rights"}


def test_a_phrase_of_place_after_said_is_no_reported_speech():
    p = run(
        "Two Turkish soldiers were killed by Syrian government shelling in Idlib on Monday, "
        "the ministry said. Turkish forces destroyed 20 targets, the Turkish defence ministry "
        "said in a series of tweets.",
        outlet="Trend",
    )
    assert "Trend" not in claims(p)


def test_a_phrasal_verb_of_retaliation_is_its_own_act():
    p = run(
        "Three Turkish soldiers were killed by Syrian government shelling in Idlib on Monday, "
        "Turkey's defence ministry said. Turkey struck back at government positions, the "
        "ministry said.",
        outlet="Trend",
    )
    (other,) = p["other_incidents"]
    assert actors(other["claims"][0]) == {"Turkey"}
    assert p["incident"]["verification"]["value"] == "reported"


def test_an_attack_in_retaliation_by_our_troops_is_the_office_s_state():
    p = run(
        "Syrian government forces shelled a Turkish post in Idlib on Monday, killing a soldier, "
        "Turkey's defence ministry said.\n\n"
        '"Our forces are shelling government positions in retaliation," the ministry said.',
        outlet="Anadolu Agency",
    )
    (other,) = p["other_incidents"]
    assert actors(other["claims"][0]) == {"Turkey"}


def test_the_counter_fire_is_the_retaliation_told_before():
    p = run(
        "Four Turkish soldiers were killed in an attack in northwest Syria's Idlib region on "
        "Monday, Turkey's defence ministry said. The ministry said its forces hit back at "
        "government targets. The counter-fire destroyed several tanks, the ministry said.",
        outlet="Newsopi",
    )
    assert value(p["incident"]["place_name"]) == "Idlib"
    (other,) = p["other_incidents"]
    assert actors(other["claims"][0]) == {"Turkey"}


def test_the_attacks_were_carried_out_by_is_no_count_of_attacks():
    p = run(
        "A missile killed two fighters in Iblin on Monday. A local agency also reported the "
        "deaths, saying the attacks were carried out by the Syrian regime.",
        outlet="Rudaw",
    )
    assert "Syrian government" in {a for c in p["claims"] for a in actors(c)}


def test_an_older_attack_at_places_of_its_own_quoted_from_a_source_is_an_act():
    p = run(
        "The White Helmets said regime shelling killed a child in Sarmin on Monday.\n\n"
        '"Two civilians were killed on Monday, June 12, in regime shelling on the town of '
        'Atarib," they added.',
        outlet="Middle East Monitor",
    )
    (other,) = p["other_incidents"]
    assert value(other["incident"]["occurred_on"]) == "2023-06-12"


def test_an_older_attack_told_after_a_retaliation_in_the_outlet_s_words_is_background():
    p = run(
        "Syrian government shelling killed a Turkish soldier in Idlib, Turkey's defence "
        "ministry said on Monday. Turkish forces struck back at government positions, the "
        "ministry said. On Saturday, 30 Turkish soldiers were killed in an air strike in "
        "Balyun.",
        outlet="ILKHA",
    )
    (other,) = p["other_incidents"]  # the retaliation only
    assert value(other["incident"].get("place_name")) != "Balyun"
    assert all(figure(c, "killed") != (30, 30) for o in [p, other] for c in o["claims"])


# --- rules added after run 5 (heldout5/ seen) -------------------------------------------


def test_the_victims_counted_after_a_verb_of_killing_are_not_its_authors():
    p = run(
        "Government troops killed seven HTS fighters in attacks on the town of Sarmin "
        "on Monday, the Syrian Observatory for Human Rights said.",
        outlet="dpa",
    )
    got = claims(p)["Syrian Observatory for Human Rights"]
    assert actors(got) == {"Syrian government"}


def test_a_count_since_a_ceasefire_began_is_background_not_the_act():
    p = run(
        "The Syrian Network for Human Rights said at least 87 civilians have been killed "
        "since the Russian-Turkish ceasefire agreement began on January 12. Its report "
        "documents an air attack by regime warplanes on the town of Ariha on Monday, June 19.",
        outlet="Syrian Network for Human Rights",
    )
    assert value(p["incident"]["place_name"]) == "Ariha"
    assert all(figure(c, "killed") != (87, None) for c in p["claims"])


def test_the_deadliest_attack_since_a_ceasefire_is_a_comparison_not_a_period():
    p = run(
        "Insurgents on Monday launched the deadliest attack since the March 6 ceasefire "
        "against the army in the town of Kafr Nabudah, killing 30 soldiers.",
        outlet="EFE",
    )
    assert value(p["incident"]["place_name"]) == "Kafr Nabudah"
    assert figure(claims(p)["EFE"], "killed") == (30, 30)


def test_an_author_described_before_its_name_is_blamed():
    p = run(
        "The Syrian Observatory for Human Rights said the attack on the town of Kafr Nabudah "
        "on Monday was carried out by the jihadist group Hurras al-Din.",
        outlet="EFE",
    )
    assert actors(claims(p)["Syrian Observatory for Human Rights"]) == {"Hurras al-Din"}


def test_troops_shooting_down_drones_defend_and_are_not_blamed():
    p = run(
        "Syrian government troops shot down two drones launched by militants near the "
        "village of Kbana in Latakia province on Monday, the Russian Centre for "
        "Reconciliation said.",
        outlet="TASS",
    )
    assert "Syrian government" not in actors(claims(p)["Russian Centre for Reconciliation"])


def test_the_organisation_of_the_attackers_is_the_author():
    p = run(
        "The Russian Centre for Reconciliation said on Monday that the army had repelled an "
        "attack by about 250 gunmen organised by Hayat Tahrir al-Sham on government "
        "positions near the town of Saraqib.",
        outlet="Syrializm",
    )
    assert actors(claims(p)["Russian Centre for Reconciliation"]) == {"Hayat Tahrir al-Sham"}
    p = run(
        "The Syrian Observatory for Human Rights said an assault by fighters of Hayat Tahrir "
        "al-Sham on army positions near the town of Saraqib on Monday killed five soldiers.",
        outlet="dpa",
    )
    assert actors(claims(p)["Syrian Observatory for Human Rights"]) == {"Hayat Tahrir al-Sham"}


def test_a_speaker_s_base_is_part_of_its_name_before_the_verb():
    p = run(
        "Militants shelled the town of Jurin in Hama province on Monday.\n\n"
        "The Russian Centre for Reconciliation at Hmeimim said the attack was organised by "
        "Hayat Tahrir al-Sham.",
        outlet="Syrializm",
    )
    got = claims(p)
    assert "Russian Centre for Reconciliation" in got
    assert actors(got["Russian Centre for Reconciliation"]) == {"Hayat Tahrir al-Sham"}
    assert not actors(got.get("Syrializm", {"alleged_actor": {}, "also_named": None}))


def test_a_statement_made_before_the_act_s_day_tells_an_earlier_act():
    p = run(
        "On Monday the army shelled positions of armed factions in the village of Mansoura "
        "in Hama province.\n\n"
        "The Russian Centre for Reconciliation said on Sunday evening that the army had "
        "repelled an attack by about 250 gunmen organised by Hayat Tahrir al-Sham on "
        "government positions in Idlib province.",
        outlet="Syrializm",
    )
    assert value(p["incident"]["occurred_on"]) == "2023-06-26"
    (other,) = p["other_incidents"]
    assert value(other["incident"]["occurred_on"]) == "2023-06-25"
    assert actors(claims(other)["Russian Centre for Reconciliation"]) == {"Hayat Tahrir al-Sham"}


def test_an_attack_and_the_retaliation_joined_by_and_that_are_two_acts():
    p = run(
        "Turkey said Syrian government forces deliberately attacked a Turkish observation "
        "post in Idlib on Monday, and that Turkish troops hit back with heavy weapons.\n\n"
        "In a statement, the defense ministry said the artillery attack on the post was "
        "deliberate. The Turkish military said Russian officials were contacted.",
    )
    got = claims(p)
    assert actors(got["Turkish Ministry of National Defence"]) == {"Syrian government"}
    (other,) = p["other_incidents"]
    assert actors(claims(other)["Turkish Ministry of National Defence"]) == {"Turkey"}


def test_a_group_s_movements_are_a_target_and_its_other_name_a_gloss():
    p = run(
        "A field source said army units targeted the movements of the Hayat Tahrir al-Sham "
        '("Jabhat al-Nusra") terrorist groups in the village of Mansoura on Monday, scoring '
        "direct hits.",
        outlet="Syrializm",
    )
    got = claims(p)["Syrializm"]
    assert "Hayat Tahrir al-Sham" not in actors(got)
    assert "Syrian government" in actors(got)


def test_a_second_missile_at_the_scene_and_also_reported_stay_in_the_act():
    p = run(
        "At least eight people were killed in a Syrian regime missile strike near the "
        "village of Iblin on Monday, according to the Syrian Observatory for Human Rights.\n\n"
        "When HTS fighters reached the scene, a second guided missile struck them, the "
        "Observatory said. Local outlet North Press Agency also reported the deaths of two "
        "HTS officials.",
        outlet="Rudaw",
    )
    assert p["other_incidents"] == []
    assert actors(claims(p)["Syrian Observatory for Human Rights"]) == {"Syrian government"}


def test_a_group_named_with_its_abbreviation_among_the_dead_is_no_author():
    p = run(
        "The spokesperson of Hayat Tahrir al-Sham (HTS) was among eight people killed in a "
        "missile strike near the village of Iblin on Monday, according to the Syrian "
        "Observatory for Human Rights.",
        outlet="Rudaw",
    )
    assert "Hayat Tahrir al-Sham" not in actors(claims(p)["Syrian Observatory for Human Rights"])
