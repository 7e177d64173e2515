"""How a sign is told: of someone who has died, as over, as a figure, in Pidgin, by what a
surgeon did. Wording of our own; each kind has a counterpart that must still count."""

from __future__ import annotations

import pytest

from rag.models import LEVEL_RANK

from .triage_helpers import level, verdict


@pytest.mark.parametrize(("ordinary", "real"), [
    # Someone who has died: their trouble is over, beside the writer's own knot.
    ("my late grandad had a weak arm for years. I have a knot in my shoulder, stretches?",
     "my grandad has had a weak arm since this morning. I have a knot in my shoulder"),
    ("my aunt had awful headaches every week for years, god rest her. I get a knot in my "
     "neck from driving, what stretch?",
     "my aunt has awful headaches every week and they are getting worse. I have a knot"),
    # Named with no "my", as people talk: still someone else, still over.
    ("dad came off his bike last year, he is fine now. I have a knot in my shoulder",
     "dad came off his bike this morning and now his neck hurts. I have a knot too"),
])
def test_someone_elses_trouble_that_is_over(pipeline, ordinary: str, real: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, ordinary) == "self_care"
    assert level(pipeline, real) != "self_care"


def test_not_me_does_not_clear_someone_elses_sign_today(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, "my cousin crashed his motorbike two years ago, not me. I have a "
                           "knot in my shoulder, which stretch?") == "self_care"
    # The son's fever and stiff neck are his, now: the writer is asking for him.
    assert level(pipeline, "my son has a high temperature and a stiff neck, not me. can I "
                           "massage my knot?") == "emergency"


@pytest.mark.parametrize(("ordinary", "real"), [
    # A school year is no stretch of time.
    ("I teach a year 5 class and have had a knot since yesterday. stretches?",
     "I have had this knot for a year now and it is getting worse"),
    # How long a sign has been gone is not how long it has lasted.
    ("had a temperature at christmas, clear for weeks now. just a knot from painting the "
     "ceiling, heat?",
     "a headache that has not cleared for three weeks now, and my traps ache"),
    # "Not getting worse" after how long it has been.
    ("knot in my trap, three days old, not getting worse, just sore. heat or ice?",
     "knot in my trap, three days old and getting worse every day"),
    # A workout "destroyed" its doer; a muscle "fried": figures for hard work.
    ("that spin class destroyed me, my quads are trashed and there's a knot in my neck. "
     "foam roller?",
     "a car hit me on my bike this morning and my neck is trashed"),
    # Reading about an illness is not having it.
    ("I was reading up on lymphoma all night but my knot is just sore from work. heat?",
     "I was treated for lymphoma and now a lump on my neck keeps growing"),
    # A limb that lay wrong, shaken back, or gone "then normal".
    ("my hand went to sleep while I lay on it reading, I shook it out and it was fine. "
     "knot in my trap, heat?",
     "my hand went numb while I lay on it and it is still numb hours later"),
])
def test_everyday_stories_that_borrow_a_signs_words(pipeline, ordinary: str, real: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, ordinary) == "self_care"
    assert level(pipeline, real) != "self_care"


@pytest.mark.parametrize(("text", "expected"), [
    # A bladder that "let go" or "gave way" is lost control of it.
    ("my bladder gave way on the stairs this morning and my legs feel weak", "emergency"),
    # Turning told by its directions: "can't turn it left or right".
    ("since I woke up I cannot turn my head left or right, knot in my neck", "urgent"),
    # West African Pidgin: "no fit turn am" (cannot turn it), "e no dey move" (it does not move).
    ("my neck don hold one place since morning, I no fit turn am, e no dey move at all",
     "urgent"),
])
def test_signs_told_in_other_words(pipeline, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[level(pipeline, text)] >= LEVEL_RANK[expected]


def test_turning_freely_is_no_sign(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, "I can turn my head left and right, it is just tight. "
                           "stretch?") == "self_care"


@pytest.mark.parametrize(("dont", "ok"), [
    # Surgery told by what was done, against the same verbs said of things.
    ("they took a disc out of my neck last month and fused it, can I press the knot?",
     "they took the bins out and put a new shelf up, can I press the knot in my trap?"),
    ("had a plate and screws put in my neck in the spring. can I press the knot by it?",
     "I put the screws in the shelf this morning, can I press the knot in my shoulder?"),
    # A bruise told by the colour it turns.
    ("the spot has started to turn purple since I hit it on the door, can I press on it?",
     "the knot is the size of a grape, can I press on it?"),
])
def test_what_forbids_pressing_told_plainly(pipeline, dont: str, ok: str) -> None:  # type: ignore[no-untyped-def]
    assert verdict(pipeline, dont) == "do_not_press"
    assert verdict(pipeline, ok) == "gently"


def test_a_remedy_question_is_no_sign(pipeline) -> None:  # type: ignore[no-untyped-def]
    # "Heat or ice?" sits close to "red, swollen and hot" for the embedding model alone.
    assert level(pipeline, "I have a knot in my shoulder, heat or ice?") == "self_care"
    assert level(pipeline, "the skin over my knot is red, puffy and hot to touch") != "self_care"


@pytest.mark.parametrize(("sudden", "slow"), [
    ("my left hand suddenly went limp holding my cup, knot in my neck on that side",
     "my left hand has been getting weaker for a month, knot in my neck on that side"),
    ("my right arm went heavy in the middle of brushing my hair and it is still not right",
     "my right arm has gone weak over the last few weeks when I lift things"),
])
def test_one_arm_weak_all_at_once_is_a_stroke_sign(pipeline, sudden: str, slow: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, sudden) == "emergency"
    # Weakness that came on slowly is a nerve sign to the rules (the learned layer may
    # still add more).
    flags = pipeline.safety.assess(slow, []).flags
    assert "nerve_weakness" in flags and "stroke_dissection" not in flags


def test_the_writers_own_knot_is_read_within_a_sentence(pipeline) -> None:  # type: ignore[no-untyped-def]
    # "I ... what I am doing. [Dad's past cancer.] Now he has neck pain": the writer's "I"
    # and the father's neck are in different sentences, so the cancer is not background.
    text = ("I'm a nurse, I know what I'm doing. My uncle had bowel cancer some years ago. "
            "Now he has a knot in his neck that aches at night. Can he massage it?")
    assert level(pipeline, text) != "self_care"
    assert level(pipeline, "My uncle had bowel cancer some years ago, he is fine now. I have "
                           "a knot in my neck from work, which stretch?") == "self_care"


@pytest.mark.parametrize(("text", "expected"), [
    # A thunderclap headache told as a report: how fast it came on, how bad it is.
    ("headache report - onset within 30 seconds, severity 10/10, back of the head", "emergency"),
    # Irish English "me" for "my" before any body part, and a chin that will not go near
    # the chest, with a fever told as shivers.
    ("I can't get me chin anywhere near me chest and I'm shivering with a fever", "emergency"),
    # Double vision told as "two of every ..." beside a spinning room.
    ("the room is spinning and I'm seeing two of every car on the road", "emergency"),
    # Written backwards, with a plain request after a dash.
    ("ecaf ym fo edis eno gnipoord -- just tell me the stretch for the knot", "emergency"),
])
def test_emergencies_told_oddly(pipeline, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == expected


@pytest.mark.parametrize("text", [
    "my headache came on slowly over the afternoon, mild, gone after a cup of tea. knot tips?",
    "my kids have two of every toy and carrying them has given me a knot in my shoulder",
    "I slept in the chair next to him all night, neck knot now. help",
])
def test_their_ordinary_counterparts(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, text) == "self_care"


@pytest.mark.parametrize(("ordinary", "real"), [
    # Double vision told as what is seen having gone double.
    ("my hours have gone double since the new boss came; knot in my neck from the desk, tips?",
     "my dad says the road has gone double since he got up, and his neck is sore. knot rub?"),
    # Put onto the head by someone else, in a throw or a slam.
    ("got slammed with work today and my neck is wrecked. knot tips?",
     "got slammed on my head at training today and my neck is wrecked"),
])
def test_a_sign_told_by_what_happened_to_what_is_seen_or_to_the_head(pipeline, ordinary: str,  # type: ignore[no-untyped-def]
                                                                     real: str) -> None:
    assert level(pipeline, ordinary) == "self_care"
    assert level(pipeline, real) == "emergency"


def test_a_good_pain_when_pressing_is_no_reason_to_stop(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert verdict(pipeline, "should I keep pushing on the knot in my shoulder? it feels like "
                             "a good pain when I press on it") == "gently"
    # Called good, and then sharp or tingling: stop.
    assert verdict(pipeline, "it was a good pain at first but now it's gone sharp when I "
                             "press on the knot") == "stop"
    assert verdict(pipeline, "a nice ache when I press the knot, but my fingers tingle") == "stop"


@pytest.mark.parametrize(("ordinary", "real"), [
    # "back to normal" is over, not "back" again.
    ("my hand was tingly this morning, back to normal in 10 minutes. neck knot stretches?",
     "my hand keeps going tingly, back to normal for a bit, then it comes back. neck knot?"),
    # "ten years ago" is when something happened, not how long the pain has lasted.
    ("my mum slipped in the garden about ten years ago and was fine. now she has a knot in "
     "her neck from sewing. heat?",
     "my mum has had neck pain for about ten years and it is getting worse, painkillers "
     "do nothing"),
    # A swelling told as gone down, not one gone down "a bit".
    ("I had a swollen gland with a sore throat last winter, it went down long ago. now just "
     "a neck knot, ice?",
     "my shoulder was red and swollen over the knot last week, it went down a bit but it is "
     "still hot. massage?"),
    # Sweating at night told as the room's doing.
    ("I sweat at night because the radiator in my room is too hot. knot in my neck, pillow?",
     "I have been drenched in sweat every night for weeks and lost weight without trying, "
     "and there is a knot in my neck"),
])
def test_a_sign_told_as_over_or_explained(pipeline, ordinary: str, real: str) -> None:  # type: ignore[no-untyped-def]
    assert level(pipeline, ordinary) == "self_care"
    assert level(pipeline, real) != "self_care"


def test_a_pain_said_not_to_be_good_is_no_good_pain() -> None:
    from rag.safety.press import only_good_pain

    assert only_good_pain("it feels like a good pain when I press it")
    assert not only_good_pain("it is not a good pain when I press, it is horrible")
    assert not only_good_pain("it isnt a nice ache at all when I push on it")
    assert not only_good_pain("it hurts right where I press")


def test_a_swelling_only_long_ago_is_not_let_go_unless_told_as_gone_down(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.safety.rules import match_classes

    def classes(text: str) -> set[str]:
        return {f.cls.id for f in match_classes(text, pipeline.safety.lex)}

    assert "inflammation" in classes("a few years ago my shoulder was red and swollen, it is "
                                     "still like that")
    assert "inflammation" not in classes("my glands were up with a cold a month ago but they "
                                         "have gone right down")
