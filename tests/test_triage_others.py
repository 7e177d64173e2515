"""Signs that are not the writer's: denied in a list, told of someone else, or of a thing.
Each case is wording of our own; each has a counterpart where the sign is the writer's."""

from __future__ import annotations

import pytest

from rag.models import LEVEL_RANK


def _level(pipeline, text: str) -> str:  # type: ignore[no-untyped-def]
    return pipeline.safety.assess(text, []).triage.level


@pytest.mark.parametrize("text", [
    "I've got no fever, chills or rash, just a tight knot by my shoulder blade. Heat?",
    "there's no tingling, weakness or numbness in my hands, only a sore trap knot. stretch?",
    "Not dizzy, not slurring and nothing is drooping, it's only a knot. Tennis ball ok?",
])
def test_signs_denied_in_a_list_are_not_flagged(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "no fever, but my neck is stiff, with tingling or weakness in my arm",
    "I have no fever, just a stiff neck and my hand keeps going numb",
])
def test_a_sign_after_a_denied_one_still_counts(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert LEVEL_RANK[_level(pipeline, text)] >= LEVEL_RANK["urgent"]


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
    assert _level(pipeline, text) == "self_care"


@pytest.mark.parametrize("text", [
    "I watched my daughter fall off the climbing frame and now her neck hurts",
    "a player tackled him hard at training tonight and his neck is sore",
    "he tumbled down the stairs last night and his neck is stiff and sore",
    "a van hit us at the lights this morning and my neck aches",
])
def test_an_injury_to_the_writer_or_the_person_they_ask_for_still_counts(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _level(pipeline, text) == "emergency"


def test_missing_work_for_the_pain_still_needs_a_doctor(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "I've missed three shifts because of this knot in my neck"
    assert LEVEL_RANK[_level(pipeline, text)] >= LEVEL_RANK["see_doctor"]


def test_skin_hurt_told_as_what_happened_forbids_pressing_on_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    res = pipeline.safety.assess("I scalded my shoulder with the kettle on Sunday and there's a "
                                 "knot just beside the burn, can I rub it?", [])
    assert res.press_check is not None and res.press_check.verdict == "do_not_press"


def test_english_in_look_alike_letters_is_english_and_real_cyrillic_is_not() -> None:
    from rag.safety.language import language_of

    assert language_of("Μy nеck іs ѕtіff аnd Ι hаvе а fеvеr, саn Ι mаѕѕаgе іt?") == "en"
    assert language_of("Шея болит, температура 39. Можно массаж?") == "ru"
