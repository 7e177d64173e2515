"""Signs told as over, or as someone's death, or as a figure: read as people mean them.
Wording of our own; every kind has a counterpart where the sign is real now and must
still count (a sign that passed in minutes can be a stroke or a heart attack)."""

from __future__ import annotations

import pytest

from rag.models import LEVEL_RANK
from rag.safety.lexicon import load_lexicon
from rag.safety.rules import resolved

from .triage_helpers import level, verdict


@pytest.mark.parametrize(("text", "over"), [
    ("i had a slight temperature on monday but it has gone now", {"fever"}),
    ("pins and needles in my fingers once, years ago, never came back", {"nerve_sensory"}),
    ("tingling in my hand, the gp said it was nothing serious", {"nerve_sensory"}),
])
def test_a_sign_told_as_over_is_read_as_over(text: str, over: set[str]) -> None:
    assert over <= resolved(text, load_lexicon())


@pytest.mark.parametrize("text", [
    "my arm has gone numb",  # "gone" that is the sign itself
    "i passed out in the kitchen",
    "the tingling went away but it keeps coming back",  # it comes back: not over
    "the numbness eased off and then came back worse",
])
def test_what_only_sounds_over_is_not(text: str) -> None:
    assert not resolved(text, load_lexicon()) & {"nerve_sensory", "fainting"}


@pytest.mark.parametrize("text", [
    "Came off a horse when I was a wee lass, broke my arm, it healed fine. Now just a knot "
    "under my shoulder blade from mucking out. Heat or ice?",
    "Had whiplash three summers ago, fully cleared by the physio. Today it's only a tight "
    "trap from the commute. Stretch?",
    "I had a bit of a temperature on Sunday but it's gone now and I feel fine. Knot in my "
    "upper back from the sofa, how do I loosen it?",
    "Mild headache last night after the wedding, gone by breakfast. Still got this knot in "
    "my shoulder, can I roll it?",
    "Got pins and needles in my fingers years ago, physio sorted it and it never came back. "
    "Just a knot in my trap now, what helps?",
    "My uncle died of a stroke in the spring and I've been tense ever since the funeral. "
    "Shoulders in knots. What helps?",
    "my traps are literally dying after leg day lol, stretches?",
    "Lost 2kg this month on purpose with the running club. Knot in my neck from the "
    "treadmill posture, tips?",
    "Knot for 5 days, a bit better every day with heat. Keep doing the same?",
    # A limb that lay wrong or sat too long, and woke up again.
    "My fingers fizzed for a couple of minutes after I dozed off on my arm, then completely "
    "fine. Knot under my shoulder blade, can I rub it?",
    "Pins and needles in my leg from sitting too long at the wedding, gone once I walked "
    "about. Tight traps as well, any stretches?",
    # Weight lost by living differently, sweat from a hot room, a topic said to be fine.
    "Dropped half a stone since spring from cycling to work and cutting out beer. Knot in "
    "my upper back, heat or ice?",
    "Woke up drenched because the bedroom is like an oven this week. Knot in my trap, "
    "what helps?",
    "My neck went stiff after a long drive. No fever, no chills, otherwise I feel grand. "
    "Which stretch?",
    "Bit of a croaky voice after the concert and a knot in my neck. Breathing and "
    "swallowing are totally fine. Heat pack?",
    "Stag do last night, woke with a hungover head and a stiff trap. The headache had gone "
    "by noon. What loosens the trap?",
    # A thing named after a sign's word, a past told in the singular, a training session.
    "My crash mat at the climbing wall is too thin and my traps knot up from all the "
    "overhead reaching. Stretches?",
    "Slipped on ice two year ago, all healed, doctor said fine. Knot now from my desk. Heat?",
    "Our scrum sessions on Tuesdays leave my traps in knots, what stretch helps?",
    "ugh this fr**king knot from w*rk, how do I r*b it out",
])
def test_a_sign_long_over_or_not_the_writers_raises_no_alarm(pipeline, text: str
                                                            ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize(("text", "least"), [
    # Over in minutes, still an emergency: a passing stroke or heart sign.
    ("My face drooped on one side for ten minutes this morning, it's gone now. Knot in my "
     "neck too, can I massage it?", "emergency"),
    ("Crushing chest pain an hour ago that went away after I sat down. My neck knot is "
     "sore, heat?", "emergency"),
    # Told as over, then back: a sign now.
    ("Pins and needles in my hand went away last week but now it's back. Massage my trap?",
     "urgent"),
    # A past injury with a new fall: the new one counts.
    ("Broke my leg years ago, fully healed, but I fell down the stairs yesterday and my "
     "neck hurts. Ice?", "emergency"),
    # A fever that "went down" with pills, and a stiff neck now.
    ("Had a fever that went down with paracetamol and my neck is really stiff now. Rub it?",
     "emergency"),
    # The writer's own near-death is not someone else's death.
    ("I nearly died in a car crash on Friday and my neck has hurt since. Massage?",
     "emergency"),
    ("my arm is dead, I can't grip my mug and keep dropping things", "urgent"),
    ("Knot for 10 days, still the same despite heat and stretching every day. Keep going?",
     "see_doctor"),
    # A drink the night before does not explain a thunderclap.
    ("Had a couple of pints, then the worst headache of my life hit me out of nowhere. "
     "Neck aches. Ice?", "emergency"),
    # A heart attack may come without chest pain, a thunderclap to someone who "never
    # gets headaches", and "no fit breathe" is Pidgin for cannot breathe.
    ("Jaw and neck ache every time I climb the stairs at work, easing when I stop. No "
     "chest pain though. Just a knot?", "emergency"),
    ("Never had a headache like this, it hit all at once like a hammer to the back of my "
     "skull ten minutes ago. Neck hurts. Ice?", "emergency"),
    ("my neck swell for front and i no fit breathe well since morning. knot?", "emergency"),
    # Starred words that could be several words are read each way.
    ("After a f*ll down the st*irs I h*t my h**d, neck sore now, r*b it?", "emergency"),
    ("My f*ce is dr**ping and my arm feels w**k on one side. Just the neck stretches "
     "please.", "emergency"),
    # A denial beside the real sign does not clear it.
    ("No fever, but my neck is so stiff I can't bend it and the light hurts my eyes and "
     "I feel muddled. Massage?", "emergency"),
    ("Breathing is fine but swallowing is getting really hard and my neck is swelling. "
     "Knot?", "emergency"),
    ("My neck pain comes every night whatever way I lie and never eases off, though in "
     "the daytime it's ok. Knot?", "see_doctor"),
    ("A gland under my jaw came up three weeks ago and is still up, I feel rough. Knot "
     "massage ok?", "see_doctor"),
    ("Lost a stone without trying since the summer and I sweat through the sheets. "
     "Shoulder knot, rub it?", "see_doctor"),
])
def test_a_sign_that_is_real_now_still_counts(pipeline, text: str, least: str
                                             ) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


@pytest.mark.parametrize("text", [
    "Wrenched my neck this afternoon hauling the wheelie bin and now there's a hard knot. "
    "Can I dig my thumb into it?",
    "I strained something in my upper back earlier today at the gym, knot there now, foam "
    "roll it hard?",
])
def test_a_fresh_strain_told_with_its_place_is_not_pressed(pipeline, text: str
                                                          ) -> None:  # type: ignore[no-untyped-def]
    assert verdict(pipeline, text) == "do_not_press"


def test_an_exclamation_mark_is_no_letter(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.safety.fold import undo_leet

    assert undo_leet("Hiya! My neck is stiff!!") == "Hiya! My neck is stiff!!"
    assert undo_leet("h!gh fever") == "high fever"


def test_pins_and_needles_long_gone_do_not_stop_pressing(pipeline) -> None:  # type: ignore[no-untyped-def]
    old = ("I had pins and needles in my arm years ago and it never came back. Can I press "
           "on the knot at the top of my shoulder?")
    now = ("I get pins and needles in my arm when I press on the knot at the top of my "
           "shoulder. Can I keep pressing?")
    assert verdict(pipeline, old) == "gently"
    assert verdict(pipeline, now) in ("stop", "do_not_press")


@pytest.mark.parametrize("text", [
    "saw the boxing on telly and winced at every punch 🙈 my traps are rigid from clenching. "
    "how do i loosen them",
    "My brain is about to burst with all these spreadsheets haha. Neck's knotted. Quick fix?",
])
def test_an_emoji_ends_a_watched_clause_and_a_busy_head_is_a_figure(pipeline, text: str
                                                                   ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "got punched in the back of the head at the match 😡 my neck hurts now. ice?",
    "my head feels like it will burst from the pressure, the worst headache of my life",
])
def test_a_sign_beside_an_emoji_or_a_bursting_head_of_pain_still_counts(pipeline, text: str
                                                                       ) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


@pytest.mark.parametrize("text", [
    # A contact sport played as a habit, with no knock told.
    "My daughter does judo three nights a week and her neck often feels tight after, which "
    "stretches?",
    # A clinician's list of denials with a slash.
    "Pt: me. No fever, no neuro signs, no bowel/bladder problems. Tight levator after night "
    "shifts. Stretches?",
    # An injury at an age told in words, long healed.
    "Dislocated my shoulder playing hockey when I was twenty-two, healed fine. Now a knot in "
    "my trap, can I use a ball on it?",
])
def test_old_or_habitual_or_denied_things_raise_nothing(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize(("text", "least"), [
    # A slash after a denied item is not denied with it.
    ("no headache, numb left arm/hand since this morning", "urgent"),
    ("no trauma, loss of bladder/bowel control", "emergency"),
    ("pt c/o sudden severe h/a, no trauma, stiff neck w/photophobia", "emergency"),
    # Other trouble named after a lost bowel is not a denial of it.
    ("cannot control my bowels, issues with balance too", "emergency"),
    # "When I was" a distance or a time into something is not an age.
    ("when I was twenty minutes into my ride a car hit me from behind, my neck hurts",
     "emergency"),
    # A contact sport last night, and how the head feels now.
    ("was at boxing last night and my head feels weird and my neck feels sore", "emergency"),
])
def test_signs_beside_denials_times_and_sports_still_count(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


def test_a_sign_read_in_english_keeps_its_message_beside_words_of_another_language(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("my dad's face is drooping on one side and his speech is slurred, mzee anaumwa "
            "sana kabisa haraka")
    triage = pipeline.safety.assess(text, []).triage
    assert triage.level == "emergency"
    assert triage.message.startswith(pipeline.safety.lex.messages["emergency"])
    assert "some words of your message are in a language it cannot read" in triage.message


def test_an_injury_long_healed_in_a_sentence_of_its_own_adds_no_flag(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("cracked ma collarbone playin shinty in 1988, long mended. noo it's jist a knot "
            "on the tap o ma shooder fae years o hunchin ower the till. heat or cauld?")
    assert level(pipeline, text) == "self_care"
    # ... while a new injury told after it still counts.
    assert level(pipeline, "broke my wrist in 2001, long mended. Today I fell down the "
                           "stairs and my neck is agony") == "emergency"


@pytest.mark.parametrize(("text", "least"), [
    # "That" as "so", or after "no", does not carry a denial to the sign.
    ("my hand has never been that numb", "urgent"),
    ("I have never had that bad a headache", "emergency"),
    ("no that tingling in my arm is still there", "urgent"),
    # Pain that travels down the arm is a sign, whatever slang is said of the arms.
    ("my arm is aching from my neck all the way down to my fingers since yesterday", "urgent"),
])
def test_that_and_slang_for_tired_arms_hide_no_sign(
        pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[least]


@pytest.mark.parametrize("text", [
    "when I press the knot near my arm a pain shot down to my fingers",
    "my arms are toast, when I press on the knot a jolt goes down to my hand",
])
def test_pain_pressing_sends_down_the_arm_means_stop(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert verdict(pipeline, text) == "stop"


@pytest.mark.parametrize("text", [
    "my fingertips have been tingling since friday and i just want this knot gone",
    "numb patch on my forearm all week, need it gone before the wedding",
    "pins and needles in my left hand, how do i make it go away?",
    "my hand keeps going numb, hoping the massage helps it clear up",
])
def test_a_wish_for_it_to_be_gone_is_no_end_of_the_sign(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not resolved(text, load_lexicon()) & {"nerve_sensory"}
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]
