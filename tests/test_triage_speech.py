"""Signs read as people say them: regional words, a denial inside a sign's words, things
that break down, sights watched from outside. Wording of our own; each kind has a
counterpart where the sign is real and must still count."""

from __future__ import annotations

import pytest

from rag.models import LEVEL_RANK
from rag.safety.normalise import as_spoken

from .triage_helpers import level, rules_reach, rules_verdict, verdict


def test_regional_words_and_dropped_gs_read_as_the_standard_ones() -> None:
    assert as_spoken("ma heid's been sair an' nae better") == "ma head is been sore and no better"
    assert as_spoken("been achin' and throbbin'") == "been aching and throbbing"
    assert as_spoken("wi-fi is down") == "wi-fi is down"  # a word's part is not a word
    # "An" before a consonant is "and" as many say it; before a vowel, an "h" or an
    # initialism it stays the article.
    assert as_spoken("up an down the stairs wi an ache for an hour") == \
        "up and down the stairs with an ache for an hour"
    assert as_spoken("i had an mri scan") == "i had an mri scan"


def test_many_regions_spellings_are_read_and_english_words_are_left_alone(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    """`data/dialect.json`: a region's or a chat spelling read as the standard word, so
    the rules (not only the learned layer) read the sign told with it."""
    assert as_spoken("ah wisnae sure, nuffin aroond here") == "ah wasn't sure, nothing around here"
    assert as_spoken("the swelling went down and the lump is small") == \
        "the swelling went down and the lump is small"
    res = pipeline.safety.assess("my arm has gone ded since last night, can I still work on "
                                 "the knot?", [])
    assert "nerve_sensory" in res.flags, res.flags


def test_pins_and_needles_said_with_a_regional_and_while_pressing_means_stop(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    res = pipeline.safety.assess("when the wife leans on the knot ma hand goes pins an "
                                 "needles, keep at it?", [])
    assert res.press_check is not None and res.press_check.verdict == "stop"
    # The rules' own sign (pins and needles in the hand), not only a stop read from pressing.
    assert LEVEL_RANK[res.triage.level] >= LEVEL_RANK["urgent"], res.triage.level


@pytest.mark.parametrize(("text", "least"), [
    ("The heid's been sair maist days since Easter, on and off. Knot or something else?",
     "see_doctor"),
    ("Feeling seriously, scarily unwell today and my neck won't bend forward at all",
     "emergency"),
    ("she slip off the chair to the floor this morning and now she keep rubbing her neck",
     "emergency"),
    ("I thought the bump by my collarbone was a knot, but it's clearly larger than it was "
     "at Christmas", "urgent"),
])
def test_signs_told_in_dialect_or_loose_grammar_still_count(pipeline, text: str, least: str
                                                          ) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


@pytest.mark.parametrize("text", [
    "The bump over my shoulder blade is not getting any bigger, it's the same old knot. Roller?",
    "Bright light does not hurt my eyes at all, I'm just stiff from the long drive. Stretches?",
    "Nae dizziness, nae sickness, just a knot fae lifting creels. Heat or ice?",
])
def test_a_denial_inside_a_signs_words_denies_it(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "the painkillers are not touching it after ten days and the neck pain is worse",
    "I cannot turn my neck at all since it locked an hour ago",
])
def test_a_negation_that_is_the_signs_own_wording_still_counts(pipeline, text: str
                                                             ) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]


@pytest.mark.parametrize("text", [
    "The tractor broke down in the lane and I had to tow it home, shoulders in knots. Heat?",
    "Two lorries crashed into each other on the bypass while I was watching from the "
    "footbridge. Unrelated, but my traps are knotted from work. Massage?",
    "My sister calls me a walking heart attack because of my takeaways. Knot in my trap, "
    "what stretch?",
    "wasn't in an accident or anything, just slept on it funny. Neck knot, heat?",
    "Games controller went dead mid-match (flat batteries) and I sat hunched for ages. "
    "Neck knot, stretch?",
    "My physio says my form collapses when I get tired. Is that why my traps knot up?",
])
def test_a_thing_that_breaks_down_a_sight_or_an_idiom_is_not_a_sign(pipeline, text: str
                                                                   ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "the tractor rolled over on the slope with me in it and my neck is sore",
    "we crashed into a wall while we were on the way home and my neck aches",
    "I crashed the van into a post while I was watching the satnav and my neck hurts",
])
def test_a_crash_the_writer_was_in_still_counts(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


def test_a_learned_flag_needs_a_segment_around_it_to_lean_the_same_way() -> None:
    import numpy as np

    from rag.safety.learned import _supported

    keys = ["the swing snapped. knot in my back, heat?", "the swing snapped.",
            "knot in my back, heat?"]
    assert not _supported(1, keys, np.array([0.2, 0.95, 0.1]))  # its message reads plain
    assert _supported(1, keys, np.array([0.7, 0.95, 0.1]))  # its message leans to a sign
    assert _supported(0, ["one sentence alone"], np.array([0.95]))  # nothing around it


def test_a_bone_that_broke_told_with_a_verb_forbids_pressing(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("my collarbone cracked three weeks ago and is still mending. can I press the "
            "knot above it?")
    check = pipeline.safety.assess(text, []).press_check
    assert check is not None and check.verdict == "do_not_press"


def test_pidgin_english_is_read_as_meant(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert as_spoken("e no gree go, i no fit turn am") == "it will not go, i cannot turn it"
    assert as_spoken("e no dey move, i am tired") == "it does not move, i am tired"
    assert as_spoken("the place don turn blue") == "the place has turn blue"
    text = ("My neck don dey pain me two weeks now. I don try heat, balm and tablets, e no "
            "gree go. Wetin I fit do?")
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]


@pytest.mark.parametrize("text", [
    "Some people crashed on the ring road this morning, not me, I wasn't inside. Sat in the "
    "jam for two hours and now my traps are knotted. Heat?",
    "The whole week was a total train wreck at work. Shoulders in knots, what stretch?",
    "Got a blowout on the van tyre and changed it in the rain. Upper back knotted, heat?",
])
def test_a_crash_the_writer_was_not_in_or_a_bad_week_is_not_a_sign(pipeline, text: str
                                                                  ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "some lads ran into my car from behind at the roundabout and my neck is killing me",
    "they hit us from the side at the junction this morning and my neck hurts",
])
def test_a_knock_told_by_where_it_came_from_still_counts(pipeline, text: str
                                                       ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


def test_caribbean_creole_is_read_as_meant_only_where_it_is_spoken() -> None:
    assert as_spoken("mi han a shake an mi cyaan hold di cup") == \
        "my hand shaking and i cannot hold the cup"
    assert as_spoken("i have a drop of water and mi amigo") == "i have a drop of water and mi amigo"


@pytest.mark.parametrize(("text", "meant"), [
    # "waan" wants a thing before a determiner, and to do something before a verb.
    ("mi cyaan turn mi neck an mi waan a massage", "i cannot turn my neck and i want a massage"),
    ("mi cyaan turn mi neck an mi nuh waan di pickney fi worry",
     "i cannot turn my neck and i does not want the child to worry"),
    ("mi cyaan sleep, mi waan fi stretch mi neck", "i cannot sleep, i want to stretch my neck"),
    ("mi cyaan turn mi neck, mi waan rub it", "i cannot turn my neck, i want to rub it"),
])
def test_creole_want_takes_a_thing_or_a_deed(text: str, meant: str) -> None:
    assert as_spoken(text) == meant


@pytest.mark.parametrize(("text", "least"), [
    ("mi han a shake an mi cyaan hold di cup, it keep a drop, an mi neck tight. rub it?",
     "urgent"),
    ("Got shunted on the roundabout this morning, only a small bump, and now my neck aches "
     "down the back. Heat?", "emergency"),
    ("a van reversed into the back of us in the car park yesterday and my neck's been sore "
     "since", "emergency"),
])
def test_creole_and_everyday_collision_words_count(pipeline, text: str, least: str
                                                  ) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


def test_creole_consonants_left_unsaid_are_read_as_meant() -> None:
    """A final consonant left unsaid and "t" for "th" (session 37): "mi lef foot" is my
    left foot, "hol" is hold, "mout" is mouth."""
    assert as_spoken("mi lef foot cyaan hol di weight an mi mout twis") == \
        "my left foot cannot hold the weight and my mouth twis"


@pytest.mark.parametrize("text", [
    # One side of the face told by how it feels, in Creole and in plain English (session 37).
    "Mi granny seh her mout feel strange pon one side since she wake, an her neck stiff. Rub it?",
    "since I woke up my tongue feels thick on one side and my neck is sore, should I stretch?",
    "her cheek went all tingly down the left side an hour ago, and the knot in her neck aches",
])
def test_one_side_of_the_face_told_by_how_it_feels_is_a_stroke_sign(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert rules_reach(pipeline, text, "emergency")


@pytest.mark.parametrize("text", [
    "Mi go gym every day, mi shoulder dem tight. Wah stretch?",
])
def test_an_ordinary_creole_question_raises_no_alarm(pipeline, text: str
                                                                     ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


def test_double_vision_told_of_the_eyes_and_a_sharp_pain_with_a_word_between(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, "since breakfast my eyesight's gone double, neck stiff") == "emergency"
    check = pipeline.safety.assess("My husband was kneading the knot when I felt a sharp "
                                   "sudden pain shoot up. Should he keep pressing?", []).press_check
    assert check is not None and check.verdict in ("stop", "do_not_press")


@pytest.mark.parametrize(("text", "least"), [
    # Walking like someone drunk, told by what they drank.
    ("my dad's been walking like he'd had a skinful, stone cold sober, and his neck's "
     "been bad for weeks. Knots?", "urgent"),
    # Unsteady on the legs by a slang name for them, the walk said well after it.
    ("bit unsteady on my pegs lately, and a sore knotted neck since the summer. Related?",
     "urgent"),
    # A spot on a place is no idiom ("spot on": just right).
    ("there's a hot red spot on the back of my neck where the knot is, can I rub it?",
     "see_doctor"),
    # Inflamed told as a list with commas.
    ("a red, warm patch over the knot since Tuesday, roller ok?", "see_doctor"),
])
def test_signs_told_by_comparison_slang_or_a_list_count_by_the_rules_alone(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    """The rules read them themselves, not only the learned layer beside them."""
    assert rules_reach(pipeline, text, least)
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


@pytest.mark.parametrize("text", [
    "your stretches were spot on, my neck knot is easing. What next?",
    "the physio's diagnosis was spot on: a knot from the desk. Which stretch first?",
])
def test_the_idiom_spot_on_raises_no_alarm(pipeline, text: str
                                           ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


def test_southern_er_for_ow_and_negations_read_as_the_standard_ones() -> None:
    assert as_spoken("my piller's too high an the winder's open") == \
        "my pillow's too high and the window's open"
    assert as_spoken("holler if the smaller one hurts") == "holler if the smaller one hurts"


@pytest.mark.parametrize(("text", "least"), [
    # A Southern US spelling of a sign's words: "swaller" for swallow.
    ("mama's throat is so sore she can barely swaller a sip of tea, neck knots too", "emergency"),
    # ... and of its negation.
    ("for two days now she cain't feel her fingertips, an a knot in her neck", "see_doctor"),
    # Breathing told as turning into a sound it should not make.
    ("her breathing has turned squeaky tonight, and her neck knot aches", "emergency"),
])
def test_regional_spellings_and_breathing_sounds_count_by_the_rules_alone(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert rules_reach(pipeline, text, least)


@pytest.mark.parametrize(("text", "least"), [
    # A clinician's or a sports scientist's words for a stiff neck and lost movement.
    ("febrile at 38.9 since last night and I can't touch chin to breastbone, foam roller?",
     "emergency"),
    ("fever of 39 with cervical flexion severely limited today, is it my traps?", "emergency"),
    ("woke with zero neck rotation, out of the blue, no knock at all. Mobilise it?", "urgent"),
])
def test_clinical_words_for_a_stiff_or_locked_neck_count_by_the_rules_alone(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert rules_reach(pipeline, text, least)


def test_a_pain_that_hurts_sharp_while_pressing_means_stop_by_the_rules_alone(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "when the ball digs into my trap it hurts real sharp, carry on?"
    assert rules_verdict(pipeline, text) == "stop"


@pytest.mark.parametrize("text", [
    "My nan likes me kneading the knot on her shoulder. She's not on any anticoagulants. "
    "Can I go a bit firmer?",
    "I'm not taking clopidogrel or anything, so can I press the knot under my shoulder blade?",
])
def test_a_denied_contraindication_leaves_pressing_gentle(pipeline, text: str
                                                         ) -> None:  # type: ignore[no-untyped-def]
    check = pipeline.safety.assess(text, []).press_check
    assert check is not None and check.verdict == "gently", check


def test_a_contraindication_that_is_said_still_forbids_pressing(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    said = pipeline.safety.assess("I'm on clopidogrel, can I press the knot?", []).press_check
    assert said is not None and said.verdict == "do_not_press"


@pytest.mark.parametrize(("text", "least"), [
    # A sudden headache told with its qualifier after the noun.
    ("Lifting the shopping out of the boot I got a headache, instant and vicious, I had to "
     "crouch. Heat pack for my neck?", "emergency"),
    ("my dad's headache came on that suddenly he dropped his mug, then his neck went sore",
     "emergency"),
    # A face pulled to one side, told by the direction it goes.
    ("Mum's neck has been tight all week and tonight her mouth is pulling over to the left "
     "a little. Which stretch?", "emergency"),
    ("his smile's slipping down on one side since lunch, he says it's only his neck knot",
     "emergency"),
    # A neck that cannot move in two ways at once, with no "at all".
    ("Since I reached for the top shelf an hour ago I can't turn or tilt my neck. Rub it "
     "out?", "urgent"),
    ("she is unable to bend or rotate her neck since the morning, she says no fever",
     "urgent"),
])
def test_signs_told_after_the_noun_or_by_direction_count_by_the_rules_alone(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert rules_reach(pipeline, text, least)


@pytest.mark.parametrize("text", [
    "my headache suddenly went away after a coffee, can I massage my neck now?",
    "I can't turn or tilt my head very far without a pull in the knot, which stretch?",
])
def test_the_same_words_told_as_ordinary_stay_self_care(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


def test_a_locked_neck_is_not_cleared_by_a_denied_fever(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    # "No fever" sets a merely stiff neck aside; a neck that cannot move is not one.
    text = ("Stood up from the car seat an hour ago and my neck set like stone. I honestly "
            "cannot swivel or nod it now. No fever, no knock. What's the self-fix?")
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["urgent"]


@pytest.mark.parametrize("text", [
    # A swear word between the words of a sign must not hide it.
    "digging my thumb in the knot and it's like a fucking needle going in, keep at it?",
    "kneading the knot, feels like a bloody hot knife, should I carry on?",
])
def test_a_swear_word_inside_a_sharp_feeling_still_means_stop(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert rules_verdict(pipeline, text) == "stop"


@pytest.mark.parametrize("text", [
    # Dictation's mishearings of the topic's words: "message" for massage, "soldier" for
    # shoulder, read as meant where only that fits.
    "is it safe to put the message gun on the top of my soldier",
    "can my wife message the knot under my soldier blade with her elbow",
])
def test_dictated_mishearings_of_massage_and_shoulder_get_a_press_verdict(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert rules_verdict(pipeline, text) == "gently"
    assert pipeline.safety.assess(text, []).scope == "in_scope"


@pytest.mark.parametrize(("text", "least"), [
    # North-east Scots: every day for two months, and it will not shift.
    ("the knot atween ma shooder blades has been that sair ilka day for twa month an it "
     "disna shift wi onything", "see_doctor"),
    # Clinical shorthand: two weeks of headache, a poor response to painkillers.
    ("Pt is me lol. HA most days x 2/52, poor response to ibuprofen. Knot in L trap.",
     "see_doctor"),
    # "Since this am" is new today: weak legs that began this morning are an emergency.
    ("my legs have been wobbly and weak since this am, can I roll my traps?", "emergency"),
    # A sign someone tries to make go away is not told as over.
    ("my son's arm tingles now and then and he flaps it about to make it go away, he's got "
     "a knot by his shoulder blade", "see_doctor"),
])
def test_scots_and_clinical_shorthand_and_a_sign_shaken_off_still_count(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


def test_scots_words_and_laughter_in_capitals_raise_nothing_of_their_own(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "is it awright tae lean intae the knot at the tap o ma shooder wi a lacrosse ba?"
    assert verdict(pipeline, text) == "gently"
    # "HA" in capitals is a headache; laughing is not.
    assert level(pipeline, "HA HA my mate says my knot looks like a golf ball") == "self_care"


@pytest.mark.parametrize(("text", "least"), [
    # Scots words for the body and its troubles: an arm gone weak since this morning, hands
    # without strength, light that hurts beside a fever and a stiff neck.
    ("since the back o seven this mornin ma richt airm's been fushionless, an ma neck's "
     "sair", "urgent"),
    ("ma hauns are that wabbit, ah cannae grip the kettle, the knot's still there",
     "see_doctor"),
    ("the bairn's roastin, greetin that the licht hurts her heid, an she'll no bend her "
     "neck", "emergency"),
])
def test_scots_words_for_the_body_and_its_troubles_still_count(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


def test_a_scots_question_is_answered_not_declined_on_its_words(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("whit should ah dae if the knot's mair sair efter a week?")
    assert ans.citations and "don't cover" not in ans.answer, ans.answer
