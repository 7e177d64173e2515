"""Signs told in words the patterns first missed, by kind (found by blind set 73's first
run; these are other wordings of the same kinds), and a posture that is no fall."""

from __future__ import annotations

import pytest

from rag.models import LEVEL_RANK, Turn


def _turns(asked: list[str]) -> list[Turn]:
    return [t for h in asked for t in (Turn(role="user", content=h),
                                       Turn(role="assistant", content="..."))]


def _assess(pipeline, text: str):  # type: ignore[no-untyped-def]
    return pipeline.safety.assess(text, [])


@pytest.mark.parametrize(("text", "least"), [
    # A vehicle rolled, named with a word before it.
    ("we rolled the farm quad on a slope on Saturday, my neck has ached since. heat?",
     "emergency"),
    ("rolled my old pickup in the ditch last week, neck's been stiff since", "emergency"),
    # Weight lost told with a hedge before the amount, or far from "without trying".
    ("lost getting on for two stone since the summer without trying, and there's a knot "
     "in my neck", "urgent"),
    ("I've dropped the best part of a stone this autumn and I'm not dieting, neck knot too",
     "urgent"),
])
def test_signs_told_with_a_word_between_are_read(pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[_assess(pipeline, text).triage.level] >= LEVEL_RANK[least]


@pytest.mark.parametrize("text", [
    "bending to tie my laces sends a zap like touching a battery right down to my thumb",
    "every time i look up at the whiteboard there's a surge through my forearm into my hand",
    "got these little sparks running along my arm to my fingertips when i tilt my head",
])
def test_an_electric_feeling_told_by_where_it_travels_is_a_nerve_sign(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[_assess(pipeline, text).triage.level] >= LEVEL_RANK["see_doctor"]


@pytest.mark.parametrize("text", [
    "when she presses the knot it goes sharp as a knife, carry on?",
    "every time I push it, it go sharp. keep going?",
    "my husband rubs it and it turn sharp like glass, should he keep on?",
])
def test_sharpness_told_by_a_bare_verb_or_a_simile_means_stop(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    press = _assess(pipeline, text).press_check
    assert press is not None and press.verdict in ("stop", "do_not_press")


@pytest.mark.parametrize("text", [
    "I lie on the floor with a tennis ball under my shoulder blade, how long should I "
    "stay on it?",
    "peanut ball on my upper back while lying on the floor of the gym, good or bad?",
])
def test_lying_on_the_floor_to_use_a_ball_is_no_fall(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _assess(pipeline, text).triage.level == "self_care"


def test_found_lying_on_the_floor_is_still_a_fall(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "found my dad lying on the floor this morning, now his neck hurts"
    assert _assess(pipeline, text).triage.level == "emergency"


@pytest.mark.parametrize("text", [
    "we rolled the boat onto the trailer and now my shoulder has a knot",
    "rolled the van forward a foot to free the trailer and my trap has knotted up since",
])
def test_a_vehicle_rolled_somewhere_is_no_rollover(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "spine_injury" not in _assess(pipeline, text).flags


def test_sharp_as_a_tack_is_said_of_a_mind_not_a_pain(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("my grandad has a knot in his shoulder from the allotment, he's sharp as a tack "
            "otherwise. can I press on it gently for him?")
    press = _assess(pipeline, text).press_check
    assert press is not None and press.verdict == "gently"


# Found by blind set 74's first run (other wordings of the same kinds).
@pytest.mark.parametrize("text", [
    "There's a hard lump at the back of my neck near the shoulder, is that a knot?",
    "theres a small hard bump under the skin by my shoulder blade, knot or something else?",
])
def test_a_lump_asked_about_as_the_knot_is_no_warning_sign(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _assess(pipeline, text).triage.level == "self_care"


@pytest.mark.parametrize(("text", "least"), [
    ("the lump in my neck keeps getting bigger, is it a knot?", "see_doctor"),
    ("lump on my neck and I've been sweating at night, knot?", "see_doctor"),
    ("red hot bump by my shoulder blade, is it a knot?", "see_doctor"),
    # Growth told by sizes over time, without the word.
    ("a lump by my shoulder blade was 1 cm last month and is 2 cm now, is it a knot?",
     "see_doctor"),
    ("the bump at the back of my neck was like a pea, now it's like a grape. a knot?",
     "see_doctor"),
])
def test_a_lump_that_grows_or_is_red_and_hot_still_is(pipeline, text: str, least: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[_assess(pipeline, text).triage.level] >= LEVEL_RANK[least]


@pytest.mark.parametrize("text", [
    "the knot is on the muscle between my neck and my shoulder tip, can I press it with my thumb?",
    "the knot is where my neck meets my shoulder, can I press it hard?",
    "knot's on top of me right shoulder, can I dig my thumb in?",
])
def test_the_muscle_between_neck_and_shoulder_is_a_place_to_press(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    press = _assess(pipeline, text).press_check
    assert press is not None and press.verdict == "gently"


def test_the_side_of_the_neck_near_the_shoulder_is_still_not(pipeline) -> None:  # type: ignore[no-untyped-def]
    press = _assess(pipeline, "knot on the side of my neck near the shoulder, can I press it?"
                    ).press_check
    assert press is not None and press.verdict == "do_not_press"


@pytest.mark.parametrize(("history", "text"), [
    ([], "that sustained pressure thing from the article, which fingers do I use?"),
    ([], "the curved stick with knobs, how do I hook it over?"),
    (["what's ischemic compression?"], "how hard do I push?"),
    (["whats a trigger point"], "and how long do I hold it for"),
])
def test_a_question_naming_an_article_thing_or_following_its_term_is_in_scope(
        pipeline, history: list[str], text: str) -> None:  # type: ignore[no-untyped-def]
    assert pipeline.safety.assess(text, _turns(history)).scope == "in_scope"


@pytest.mark.parametrize(("history", "text"), [
    ([], "what's the best pressure for my car tyres?"),
    (["what's ischemic compression?"], "what's the capital of France?"),
])
def test_everyday_pairs_and_unrelated_follow_ups_are_still_refused(
        pipeline, history: list[str], text: str) -> None:  # type: ignore[no-untyped-def]
    assert pipeline.safety.assess(text, _turns(history)).scope == "out_of_scope"
