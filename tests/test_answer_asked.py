"""What a message asks, and what only sets the scene: the person's job, family or day is
not a subject the articles "don't mention", and an asking sentence that points back, or
has no question word of its own, asks about what was told just before it."""

from __future__ import annotations

import pytest

from rag.asked import asked_flags, asked_text, sentences
from tests.test_answer_stage import _check_faithful, _headings

TOPIC = frozenset({"knot", "knots", "neck"})


@pytest.mark.parametrize(("message", "flags"), [
    # A story sentence, then a question with its own subject: the story is scene.
    ("I repair boat engines all week. How do I stretch my neck?", [False, True]),
    # The question points back at what was told ("she", "it", "one"): both are asked.
    ("My aunt swears liniment cures knots. Is she right?", [True, True]),
    ("We have a hot tub at the lodge. Is soaking in one good for knots?", [True, True]),
    # Elliptic: no question word, so the subject was told before it.
    ("Tool belt on all shift. cause knots?", [True, True]),
    # Names nothing but the topic: about what came before.
    ("My cousin sells a menthol rub. Is good for the knot in the neck?", [True, True]),
    # A few words naming the topic, then the question about it; not a word of the person.
    ("Cupping therapy. How much does a session cost?", [True, True]),
    ("I'm 58. Which stretch eases a stiff neck?", [False, True]),
    # A question told rather than asked.
    ("A client wonders whether her pension covers physio. Thanks.", [True, False]),
    # No sentence asks at all: the whole message is the question.
    ("knot under my shoulder blade. dentist job. help", [True, True, True]),
])
def test_which_sentences_a_message_asks(message: str, flags: list[bool]) -> None:
    assert asked_flags(sentences(message), TOPIC) == flags


def test_the_asked_text_keeps_its_sentences_in_order() -> None:
    text = "I teach pottery. My wheel is low. What stretch helps a stiff neck?"
    assert asked_text(text, TOPIC) == "What stretch helps a stiff neck?"


def test_a_question_wrapped_in_a_story_is_answered_without_naming_the_story(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I sort parcels at the depot and my grandsons climb on me after. "
                          "How long should I hold pressure on a knot?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations, ans.body
    assert "90 seconds" in ans.body, ans.body
    for scene in ("parcels", "depot", "grandsons"):
        assert scene not in ans.body.lower(), ans.body


def test_a_subject_told_before_a_question_that_points_back_is_still_named(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("My neighbour rubs goose fat into her knots. Does that work?")
    assert "goose" in ans.body.lower(), ans.body
    # ... and one asked in the question itself, beside a story, too.
    asked = pipeline.answer("I coach netball on weekends. Does kombucha help neck knots?")
    assert "kombucha" in asked.body.lower() and "netball" not in asked.body.lower(), asked.body


def test_how_often_is_answered_with_a_recurrence_not_a_hold_time(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.render import parse_body
    from rag.answer.select import _SHAPE_CUES, shape_cue

    cue = shape_cue("duration", "how often should I stretch?")
    assert cue is not None and cue.search("take regular breaks")
    assert not cue.search("held for 30 to 90 seconds")
    ans = pipeline.answer("how often should I get up and walk about while I'm at the till?")
    _check_faithful(ans, _headings(pipeline))
    assert "regular" in ans.body, ans.body
    held = [q for q in parse_body(ans.body) if _SHAPE_CUES["duration"].search(q.sentence)]
    assert not held, held  # "hold this position for 2-3 seconds" is no "how often"


def test_a_regions_word_for_a_common_one_is_no_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("whit stretch wid ye dae fer a stiff neck?")
    assert ans.citations and "whit" not in ans.body.lower(), ans.body
