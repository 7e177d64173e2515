"""Signs that are not the writer's: denied in a list, told of someone else, or of a thing.
Each case is wording of our own; each has a counterpart where the sign is the writer's."""

from __future__ import annotations

import pytest

from rag.models import LEVEL_RANK

from .triage_helpers import level


@pytest.mark.parametrize("text", [
    "I've got no fever, chills or rash, just a tight knot by my shoulder blade. Heat?",
    "there's no tingling, weakness or numbness in my hands, only a sore trap knot. stretch?",
    "Not dizzy, not slurring and nothing is drooping, it's only a knot. Tennis ball ok?",
])
def test_signs_denied_in_a_list_are_not_flagged(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "no fever, but my neck is stiff, with tingling or weakness in my arm",
    "I have no fever, just a stiff neck and my hand keeps going numb",
])
def test_a_sign_after_a_denied_one_still_counts(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["urgent"]


@pytest.mark.parametrize("text", [
    "one of the runners collapsed at the finish line today and I've been tense since. "
    "Knot in my neck, what helps?",
    "I watched the rugby on TV and a winger was knocked out cold, my shoulders are in "
    "knots from the tension. Stretches?",
    "The cat fell off the bookcase and knocked a plant over, and I spent an hour cleaning "
    "up. Knot in my upper back now, heat or ice?",
    "I carried boxes up and down the stairs all day and have a knot in my back. Foam roller?",
    "missed the last bus and walked home with a heavy bag, shoulders knotted. What helps?",
])
def test_someone_elses_event_or_a_things_is_not_the_writers_sign(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "I watched my daughter fall off the climbing frame and now her neck hurts",
    "a player tackled him hard at training tonight and his neck is sore",
    "he tumbled down the stairs last night and his neck is stiff and sore",
    "a van hit us at the lights this morning and my neck aches",
])
def test_an_injury_to_the_writer_or_the_person_they_ask_for_still_counts(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "emergency"


def test_missing_work_for_the_pain_still_needs_a_doctor(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "I've missed three shifts because of this knot in my neck"
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]


def test_skin_hurt_told_as_what_happened_forbids_pressing_on_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    res = pipeline.safety.assess("I scalded my shoulder with the kettle on Sunday and there's a "
                                 "knot just beside the burn, can I rub it?", [])
    assert res.press_check is not None and res.press_check.verdict == "do_not_press"


def test_english_in_look_alike_letters_is_english_and_real_cyrillic_is_not() -> None:
    from rag.safety.language import language_of

    assert language_of("Μy nеck іs ѕtіff аnd Ι hаvе а fеvеr, саn Ι mаѕѕаgе іt?") == "en"
    assert language_of("Шея болит, температура 39. Можно массаж?") == "ru"


@pytest.mark.parametrize("text", [
    "my laptop slid off the desk and fell behind the radiator, I was bent double fishing "
    "it out. Now there's a knot by my shoulder blade. Heat?",
    "The kettle's gone dead on me so I've been boiling pans all week, shoulders knotted. "
    "Stretch ideas?",
    "the canal is swollen after the storms and I walked the long way round with the "
    "shopping. trap knot. what helps?",
    "our old lab collapsed in a heap on my feet by the fire and I didn't dare move for an "
    "hour. stiff neck now, stretches?",
    "in the game my avatar got sniped and fell off a tower lol. irl my neck's tight from "
    "the headset, tips?",
])
def test_a_sign_word_told_of_an_animal_or_a_thing_is_not_flagged(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "a shelf fell on the back of my head while I was reaching for a tin, neck sore since",
    "the ladder slipped and fell with me on it, my neck's really sore",
    "a heavy box fell off the top shelf onto my neck at work this morning. Massage ok?",
    "my arm has gone numb on me since this morning and my neck is knotted",
])
def test_a_thing_that_lands_on_someone_or_a_limb_gone_numb_still_counts(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]


@pytest.mark.parametrize("text", [
    "Went to bed late and crashed around 2am on the settee, woke up with a crick. Tips?",
    "I crash out in the armchair after every night shift and my neck hates me. Pillow?",
    "That invoice was a total heart-attack-level moment. Anyway my traps are tight, what helps?",
    "When the penalty went in I almost had heart attack haha, neck tight from the shouting",
    "Eyesight fine, speech normal, legs ok, just a knot under my shoulder blade. Stretch?",
])
def test_sleep_fright_and_normal_told_in_sign_words_are_not_flagged(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "crashed my bike at 20mph into a parked car yesterday and my neck hurts",
    "my speech was fine this morning but now it's slurred and my face feels droopy",
    "stiff neck is normal for me but now I've got a temperature of 39 and a headache",
    "is a lump that keeps growing normal with a knot?",
    "my numb fingers are ok I guess, it's mainly the knot in my neck",
])
def test_normal_or_sleep_words_do_not_hide_a_real_sign(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]


def test_a_things_numbness_does_not_stop_pressing(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("the torch has gone numb on me, I keep pressing the switch and nothing. "
            "Can I press on the knot on top of my shoulder?")
    check = pipeline.safety.assess(text, []).press_check
    assert check is not None and check.verdict == "gently"


def test_the_writers_own_numbness_still_stops_pressing(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "my thumb goes numb when I press on the knot on top of my shoulder, keep going?"
    check = pipeline.safety.assess(text, []).press_check
    assert check is not None and check.verdict in ("stop", "do_not_press")


@pytest.mark.parametrize("text", [
    "I quilt most nights with a tin of pins and needles (the sewing kind) on my lap. "
    "Shoulders knotted, any stretches?",
    "Every fall I spend a week raking the lawn and my traps knot up. Prevention tips?",
    "Spent the morning coaching tackle drills with the under-10s, bent over the whole "
    "time. Upper back knot, heat?",
    "Cabin fever after a week snowed in, and my neck is tight from the sofa. Stretches?",
    "I've been a nervous wreck all month with exams and my shoulders are up by my ears. "
    "How do I relax them?",
    "My mum says I'm a typical Cancer by my star sign, I hold everything in my shoulders. "
    "How do I loosen this knot?",
    "The camphor balm makes my skin tingle and go cold where I rub it on the knot. Normal?",
    "I've dropped 6 kilos deliberately with a calorie app and now my bra straps dig in, "
    "knot on my shoulder. Tips?",
    "I've taught first aid for years so I know the stroke signs, none of them here, just a "
    "tight trap. Best release?",
])
def test_everyday_meanings_of_sign_words_are_not_flagged(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "got pins and needles in my fingers every time I sew, and a knot in my neck",
    "I've lost 7 kilos without trying and I'm not on any diet, plus a neck knot",
    "slipped on the stairs, took a fall this morning and banged me head, neck sore",
    "cracked the back of me head on a beam an hour ago, neck's stiff now",
    "head's been achin on and off for weeks, it keeps comin back. knot?",
])
def test_the_same_words_told_as_a_sign_still_count(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK["see_doctor"]
