"""Signs told in the shapes people use when they list them or tell them sideways: a checklist
answered no, one arm gone weak this hour, weight lost told apart from its verb, heat told
before the sweat, a trade's own words. Each beside a counterpart where the sign must still
count. Wording of our own."""

from __future__ import annotations

import pytest

from .triage_helpers import level, verdict


@pytest.mark.parametrize("text", [
    # A checklist, each sign asked and answered no.
    "Temperature? No. Pins and needles? Nope. Just a stubborn knot by my shoulder blade, "
    "what should I try?",
    "any dizziness? nah. numb hands? none at all. knot from sleeping on the sofa, tips?",
])
def test_signs_asked_and_answered_no_raise_no_alarm(pipeline, text: str
                                                    ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    # Answered yes, or "no" that is not an answer.
    "Temperature? Yes, 39.5, and my neck is too stiff to bend. Massage?",
    "Could a knot be why my fingers keep going numb? No one at work knows.",
    "Hands numb? No better after a week of stretching.",
])
def test_signs_not_answered_no_still_count(pipeline, text: str
                                           ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) != "self_care"


@pytest.mark.parametrize("text", [
    "My mum's left hand went weak about ten minutes ago and she can't hold her cup. She "
    "has a knot in her neck, could that be it?",
    "Since lunch one of his arms has lost its strength, he can't lift it above his head.",
    "My grip went weak in my right hand just now, out of nowhere. Neck knot too.",
])
def test_one_named_arm_gone_weak_within_hours_is_an_emergency(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"
    assert verdict(pipeline, text) == "do_not_press"


@pytest.mark.parametrize("text", [
    # Weakness of one arm for months, with a "this morning" about something else.
    "My left hand has been weak for about two years since the nerve surgery; I woke with a "
    "sore neck this morning. Heat?",
    # Hurt today, then a little weak when lifting: the injured arm, not a stroke.
    "Pulled my right arm moving boxes this morning and it's a bit weak when I lift. Knot "
    "in my shoulder too.",
])
def test_one_arm_weak_for_long_or_after_a_strain_stays_below_emergency(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "urgent"


@pytest.mark.parametrize("text", [
    # The amount apart from its verb, or after "down"; more than a diet explains.
    "I've been dieting but I've dropped much more than I expected, nearly 8 kilos in "
    "six weeks. Shoulder knot, massage?",
    "I'm down 4 kilos this month and I'm eating as usual. Neck knot, heat or ice?",
    "I'm on a diet but losing more weight than the diet explains. Knot in my neck?",
])
def test_weight_lost_beyond_what_explains_it_is_read(pipeline, text: str
                                                     ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "urgent"


@pytest.mark.parametrize("text", [
    "I'm down 3 kilos since I took up swimming, which was the plan. Knot in my neck, "
    "stretches?",
    "I dropped a 10kg plate on the gym floor and jarred my shoulder, now it's knotted. Rub?",
    "It's thirty-odd degrees on the site and I'm sweating all day. Knot in my traps, any "
    "stretch?",
    "Our office air con is broken so we're all sweating. Neck knot from the desk, tips?",
    "Do knots get worse at the end of the year? Closing time at the shop is murder.",
])
def test_everyday_weight_heat_and_closing_raise_no_alarm(pipeline, text: str
                                                         ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "The office is boiling and I'm sweating, but also this crushing chest pain is going "
    "into my jaw. Neck knot?",
    "My throat feels like it's closing and my neck has swollen up.",
])
def test_signs_beside_heat_and_closing_still_count(pipeline, text: str
                                                   ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


@pytest.mark.parametrize("text", [
    # A trade's shorthand is not a typo of a contraindication ("scap" is not "scab").
    "Can I hold a ball on the knot along my scap for a minute?",
    # A tool's bumps, on a place made for pressing.
    "My knobbly massage cane has bumps all along it. Can I use it on the back of my "
    "shoulder?",
])
def test_trade_words_and_a_tools_bumps_are_pressed_gently(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert verdict(pipeline, text) == "gently"


@pytest.mark.parametrize("text", [
    "There's a scab on my shoulder over the knot, can I press on it?",
    "Can I press on the bony bumps down the back of my neck?",
])
def test_a_scab_and_the_spines_bumps_are_still_not_pressed(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert verdict(pipeline, text) == "do_not_press"


@pytest.mark.parametrize("text", [
    # A past injury whose pain has gone on since: not over.
    "My husband was in a bus collision 5 months ago and his neck has been sore ever "
    "since. Would a massage help?",
    "Got flattened in a rugby tackle two months ago; it still hurts to look over my "
    "shoulder. Foam roller ok?",
])
def test_a_past_injury_still_hurting_since_counts(pipeline, text: str
                                                  ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


@pytest.mark.parametrize("text", [
    "I had whiplash years ago and my neck has been fine ever since. Knot from my new "
    "chair, any stretch?",
    # A fever over a month ago, told as all better.
    "Had a chest infection with a high temperature a month ago, all better now. My "
    "shoulder is still knotted from the coughing, what helps?",
    # A lump told as unchanged for years.
    "There's a pea-sized lump in my trap that's been the same size for years. Sore when I "
    "press it. Is it a knot?",
])
def test_an_injury_healed_a_fever_over_and_an_unchanged_lump_raise_no_alarm(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) in ("self_care", "see_doctor")


def test_an_unchanged_lump_beside_night_sweats_still_counts(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, "The lump in my neck is the same size, but I wake up drenched "
                           "every night. Massage it?") == "urgent"


@pytest.mark.parametrize("text", [
    # Weeks or months ago, with the pain told as now and nothing told as healed.
    "I came off my scooter six weeks ago and my neck is still really sore. Heat pad?",
    "Was rear-ended a couple of months back and my neck is agony now. Which stretch?",
    # A fall told in formal or roundabout words.
    "Yesterday evening I missed my footing on the garden steps, striking the side of my "
    "head on the railing. My neck aches. May I massage it?",
    "My grandad slid down half the stairs on his backside this morning. He's 86 and his "
    "neck hurts now.",
    # An older person found on the floor, who could not get up.
    "Dad is 90. The carer found him on the hallway floor at breakfast and he couldn't get "
    "himself up off the floor. Now his neck is stiff. Heat?",
])
def test_falls_told_roundabout_or_weeks_ago_with_pain_now_count(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


@pytest.mark.parametrize("text", [
    "Came off my scooter 5 months ago, it all healed fine, and now my neck is sore "
    "from the desk. Stretch?",
    "I missed the last train and had to walk home with a heavy bag; now my shoulder is "
    "knotted. Rub?",
    "I do my yoga on the bedroom floor mat each morning. Which pose for a neck knot?",
    "The knot is so tight I can't get the ball onto it properly. Any tips?",
])
def test_healed_falls_missed_trains_and_floors_raise_no_alarm(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "The knot was so sore I couldn't do my paper round this morning. What helps?",
    "Had to phone in sick because of my neck, the knot's that bad. Ideas?",
    "My head's been thumping every afternoon for weeks, with the knot. Any tricks?",
])
def test_pain_that_stops_the_day_or_keeps_coming_back_needs_a_doctor(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "see_doctor"


@pytest.mark.parametrize(("text", "least"), [
    # Months ago, and told as going on: not over.
    ("My hand started tingling about four months ago and it's still there most days. "
     "Knot in my neck, massage?", "urgent"),
    ("The glands under my jaw swelled two months ago and they're still up. Shoulder knot, "
     "rub?", "urgent"),
    ("I noticed a lump above my collarbone a few months ago and it's larger now. Knot?",
     "urgent"),
    ("I had a blackout a fortnight ago and my neck still aches. Knot?", "emergency"),
    # ... or in the next sentence.
    ("Slipped on black ice 3 months ago. Since then my neck has been stiff and sore. "
     "Heat?", "emergency"),
    ("Hit by a cyclist 4 months back. Still painful. Foam roller?", "emergency"),
])
def test_signs_from_months_ago_told_as_going_on_still_count(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == least


def test_a_sign_from_months_ago_told_as_still_fine_is_over(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, "I had pins and needles in my hand 3 months ago, still fine "
                           "since the physio. Knot in my trap, stretch?") == "self_care"


@pytest.mark.parametrize(("text", "least"), [
    # A time compared with is not a time the sign was over.
    ("The lump under my ear is clearly bigger than a month ago. Can I rub it?", "urgent"),
    # "no" that answers nothing asked: "ok?? no lectures".
    ("Fever 39, neck won't bend, throwing up. Massage ok?? no lectures, just steps", "emergency"),
])
def test_compared_times_and_a_no_that_answers_nothing_keep_the_sign(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == least


@pytest.mark.parametrize("text", [
    # A limb told as gone just now: one named arm, or the legs.
    "His neck has been knotted all week and now his left arm has gone useless on him, he "
    "can't lift his fork.",
    "Sore neck for days, and now my legs have gone to rubber and I can't keep my balance.",
])
def test_a_limb_gone_just_now_is_an_emergency(pipeline, text: str
                                              ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


@pytest.mark.parametrize("text", [
    "My right arm has been a bit weak for months, and now my neck is knotted too. Massage?",
    "My legs gave out on the stairs years ago after an operation, fine now. Neck knot, "
    "which stretch?",
])
def test_a_limb_weak_for_long_or_long_ago_is_not_an_emergency(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) != "emergency"


@pytest.mark.parametrize(("text", "least"), [
    # A sign that goes away each time it comes is recurring, not over.
    ("My thumb and first finger tingle now and then when I'm sewing, for a few months; it "
     "goes away when I put the work down. Knot in my neck, massage?", "urgent"),
    # Kept from the day, with pain relief that does little, in formal words.
    ("This knot has prevented me from attending choir for three weeks, and analgesics are "
     "without effect. What further measures are there?", "see_doctor"),
])
def test_recurring_signs_and_formal_words_for_pain_that_stops_the_day(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == least
