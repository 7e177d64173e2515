"""Answerable questions stay answered: what made the decline fire on them, kind by kind."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from langchain_core.documents import Document

from rag.answer.parts import by_part, parts_of
from rag.answer.select import Candidate
from tests.test_answer_stage import _check_faithful, _headings


def _cands(*texts: str) -> list[Candidate]:
    doc = Document(page_content=" ".join(texts))
    return [Candidate(t, doc, 0, i, 0.2) for i, t in enumerate(texts)]


def test_a_story_around_the_question_does_not_dilute_the_answer() -> None:
    def score(question: str, sentences: Sequence[str]) -> list[float]:
        return [0.5 if "shoulder" in question and "shoulder" in s else 0.1 for s in sentences]

    question = "my neighbour is 70 and has a knot in her shoulder, what would help it?"
    got = by_part(question, _cands("Stretch the shoulder gently.", "Unrelated."), score, 0.02)
    assert [round(c.score, 2) for c in got] == [0.5, 0.2]  # never lower than the whole's
    # A part about something the articles never discuss lifts nothing.
    assert parts_of("what is knot theory in maths, explained for a beginner",
                    far=("theory", "maths")) == ["explained for a beginner"]
    assert parts_of("how do I stretch my neck?") == []  # one part: nothing to split


def test_a_question_told_as_a_story_is_answered_not_declined(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("my auntie is 70 and keeps getting a knot in her shoulder, she thinks "
                          "it is nothing. what would be a reason to see someone?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "so I can't answer" not in ans.body, ans.body


def test_a_medicine_only_set_aside_leaves_the_rest_answered(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("what can I do for a neck knot besides taking pills?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "don't cover" not in ans.body, ans.body
    # Asked about the medicine itself, the pharmacist line stands alone, quoting nothing.
    asked = pipeline.answer("can I take painkillers instead of massage?")
    assert "pharmacist" in asked.body and not asked.citations, asked.body


def test_that_one_in_a_follow_up_is_not_named_as_a_missing_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.models import Turn

    first = "which stretch can I do for the side of my neck?"
    history = [Turn(role="user", content=first),
               Turn(role="assistant", content=pipeline.answer(first).answer)]
    ans = pipeline.answer("and that one, for how long?", history)
    _check_faithful(ans, _headings(pipeline))
    assert '"one"' not in ans.body and "seconds" in ans.body, ans.body


def test_a_long_follow_up_naming_no_topic_word_is_read_with_the_earlier_question(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.models import Turn

    first = "what causes knots in the neck?"
    history = [Turn(role="user", content=first),
               Turn(role="assistant", content=pipeline.answer(first).answer)]
    ans = pipeline.answer("my friend thinks it all comes from how little water I have in a day "
                          "while I work, is he right or just guessing?", history)
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "so I can't answer" not in ans.body, ans.body


def test_a_term_only_the_articles_use_keeps_the_question_in_scope(pipeline) -> None:  # type: ignore[no-untyped-def]
    # Misspelt and with no word of the topic, the articles' own term is what it is about.
    for question in ("wats the levator scapulae", "what does hyperirritable mean"):
        ans = pipeline.answer(question)
        assert ans.triage.level == "self_care" and ans.citations, ans.answer
        _check_faithful(ans, _headings(pipeline))
    for question in ("how do I tie a bowline knot?", "what's the capital of Peru?"):
        assert pipeline.answer(question).triage.level == "out_of_scope", question


def test_a_message_whose_one_part_is_about_knots_is_not_refused_as_off_topic(pipeline) -> None:  # type: ignore[no-untyped-def]
    # The fingers that press, compared with a tool, are not a body part asked about;
    # the tool part of a longer message is what keeps it in scope.
    ans = pipeline.answer("Would a massage tool do more than just my fingers? "
                          "I'd rather not spend money for nothing.")
    assert ans.triage.level == "self_care" and ans.citations, ans.answer
    _check_faithful(ans, _headings(pipeline))


def test_a_thing_that_keeps_knotting_gets_no_quote(pipeline) -> None:  # type: ignore[no-untyped-def]
    # "knotting" is a form of the articles' topic word, not a word of theirs that ties the
    # question to what they discuss: the cable is all it is about.
    ans = pipeline.answer("why does my extension cable keep knotting?")
    assert not ans.citations and "don't cover" in ans.body, ans.body


def test_a_message_that_names_the_knot_only_by_a_pronoun_is_about_the_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    # In a chat about knots, "it" with nothing else named is the knot: answered, not
    # refused as off-topic and not declined.
    for question in ("will this thing ever go away for good?",
                     "is it dangerous to leave them alone?"):
        ans = pipeline.answer(question)
        assert ans.triage.level == "self_care" and ans.citations, ans.answer
        assert "don't cover" not in ans.body, ans.body
        _check_faithful(ans, _headings(pipeline))
    # A pronoun does not bring an off-topic message in ("it" is no knot here).
    for question in ("can you recommend a film for it to be a fun evening?",
                     "is it going to rain in Toronto tomorrow?"):
        assert pipeline.answer(question).triage.level == "out_of_scope", question


def test_a_deeper_passage_may_be_quoted_but_never_decides_that_there_is_an_answer() -> None:
    from rag.compose import candidates, top_score

    docs = [Document(page_content=f"Passage number {n} says something long enough here.")
            for n in range(6)]

    def score(_question: str, sentences: Sequence[str]) -> list[float]:
        return [0.9 if "number 5" in s else 0.2 for s in sentences]

    cands = candidates("q", docs, score, depth=3)
    deep = next(c for c in cands if c.rank == 5)
    assert round(deep.score, 2) == round(0.9 - 0.02 * 3, 2)  # costs what the fourth's cost
    assert top_score(cands, 4) == 0.2  # the first four alone decide


def test_beside_a_rare_term_the_everyday_subject_is_named_too(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("Which make of hot water bottle is best for a knot? Is the Zephyrix "
                          "one any good?")
    _check_faithful(ans, _headings(pipeline))
    assert 'don\'t cover "Zephyrix"' in ans.body and 'don\'t mention "bottle"' in ans.body
    assert ans.citations, ans.body
    # With only the rare term missing, nothing else is said to be missing.
    plain = pipeline.answer("Is Zephyrix any good? how long should I hold pressure on a knot?")
    assert "don't mention" not in plain.body and plain.citations, plain.body


def test_a_name_in_capitals_is_not_a_form_of_the_word_it_spells(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.subject import absent_subjects, acronyms

    cov = pipeline.index.coverage
    assert absent_subjects("Is a small TENS pad any use for a shoulder knot?", cov) == ["tens"]
    # Written in lower case it is the everyday word, a form of the articles' "ten".
    assert absent_subjects("my shoulder knot has lasted tens of days", cov) == []
    # A name the articles write themselves, and a shouted question, name nothing.
    assert absent_subjects("is RMT good for a knot in the shoulder?", cov) == []
    assert acronyms("HOW DO I STRETCH MY NECK FOR A KNOT") == frozenset()
    ans = pipeline.answer("Is a small TENS pad any use for a shoulder knot?")
    _check_faithful(ans, _headings(pipeline))
    assert '"tens"' in ans.body.lower() and "don't" in ans.body, ans.body


def test_under_a_verdict_a_subject_unlike_every_article_word_is_named(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer import Ask, verdict_intro

    ask = Ask(question="is the swelling a cyst or a gland?", absent=("cyst", "gland"),
              far=("cyst",))
    assert verdict_intro(ask, (), False).startswith('The articles don\'t mention "cyst".')
    # An emergency's words stand alone; with nothing far, the intro is plain.
    assert verdict_intro(ask, (), True) == "What the articles say about when to get help:"
    assert verdict_intro(Ask(question="q", absent=("gland",)), (), False) == \
        "What the articles say:"


def test_fingers_named_as_what_a_tool_replaces_keep_a_question_in_scope(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("when is a tool worth it instead of ur fingers?")
    assert ans.triage.level == "self_care" and ans.citations, ans.answer
    _check_faithful(ans, _headings(pipeline))
    # Fingers that are the sore part are still another body part.
    assert pipeline.answer("my fingers ache from knitting, what helps them?"
                           ).triage.level == "out_of_scope"


def test_another_one_in_a_chat_about_knots_is_another_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("how do I avoid getting another one over a long shift?")
    assert ans.triage.level == "self_care" and ans.citations, ans.answer
    assert pipeline.answer("the bakery sold out of croissants, where can I find another one?"
                           ).triage.level == "out_of_scope"


def test_a_medicine_only_told_beside_a_self_care_question_leaves_it_answered(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I took one dose of ibuprofen this morning and it helped a little. "
                          "Can I put a heat pack on the knot as well?")
    assert ans.triage.level != "out_of_scope", ans.answer
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations, ans.body
    # Asked about the medicine itself, however it was told before: the pharmacist.
    asked = pipeline.answer("I took one dose of ibuprofen this morning. How many more "
                            "ibuprofen can I take today?")
    assert "pharmacist" in asked.body and not asked.citations, asked.body


def test_a_dose_asked_beside_a_knot_question_names_the_medicine_and_answers_the_rest(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("what's the max dose of naproxen a day, and how long does a knot in "
                          "the neck usually last?")
    assert ans.triage.level == "self_care", ans.answer
    _check_faithful(ans, _headings(pipeline))
    assert '"naproxen"' in ans.body and "pharmacist" in ans.body, ans.body
    assert ans.citations and "weeks" in ans.body, ans.body
    # A dose and nothing else about the knot is still the pharmacist's alone.
    alone = pipeline.answer("what's the max dose of naproxen a day for a knot in the neck?")
    assert "pharmacist" in alone.body and not alone.citations, alone.body


def test_knots_a_person_gets_are_a_bodys_whatever_else_the_question_names(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("why do I keep getting knots after a long shift stacking crates "
                          "at the depot?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "so I can't answer" not in ans.body, ans.body
    # Knots got out of a thing are still that thing's.
    fur = pipeline.answer("how do I get knots out of my dog's matted fur without a comb?")
    assert not fur.citations, fur.body


@pytest.mark.parametrize("question", [
    "what decides if my knot is gone in a few days or takes weeks?",
    "I'm riddled with knots, far more than my mates. what's behind that?",
    "why do some ppl get tons of knots, way more than normal?",
])
def test_a_knot_someone_owns_or_is_full_of_is_a_bodys(pipeline, question: str) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer(question)
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "so I can't answer" not in ans.body, ans.body


def test_a_dropped_g_is_no_subject_the_articles_miss(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("is hunchin over a laptop all day what's givin me these neck knots?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "hunchin" not in ans.body and "givin" not in ans.body, ans.body


@pytest.mark.parametrize("text", [
    "Is it fine to come off my apixaban for a week so my partner can dig into the knot?",
    "I can't give up the blood thinners, so is pressing on the shoulder knot ok?",
])
def test_a_press_question_asked_with_a_medicine_one_still_says_do_not_press(
        pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer(text)
    # The medicine part is for a pharmacist; the press part still gets its verdict.
    assert "pharmacist" in ans.answer, ans.answer
    assert ans.press_check is not None and ans.press_check.verdict == "do_not_press"
    assert "Do not press" in ans.answer, ans.answer


def test_self_cares_own_questions_are_answered_without_naming_the_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    # Whether to get it seen, and breaks from sitting: what the articles advise, asked
    # in a chat about knots without the word.
    for question in ("is it time I booked in with my doctor about this?",
                     "should I have a specialist check it, or keep going on my own?",
                     "how often ought I to take a break when I'm working?",
                     "how often should I get up out of my chair?",
                     "can I treat it myself?"):
        ans = pipeline.answer(question)
        assert ans.triage.level == "self_care" and ans.citations, (question, ans.answer)
        _check_faithful(ans, _headings(pipeline))
    # Another subject asked the same way is refused, not answered with the articles' words,
    # and so is a care question beside something else named (from a review of this change).
    for question in ("how often should I see my doctor about my diabetes?",
                     "should I get my boiler checked by someone every year?",
                     "how often should my dog see the vet?",
                     "should I get it checked? I found blood in my poo",
                     "how often should I take a break from drinking?",
                     "should I see a doctor about my snoring?"):
        ans = pipeline.answer(question)
        assert ans.triage.level == "out_of_scope" and not ans.citations, question
    # A medicine asked about keeps the medicine answer; words Knotbot cannot read beside a
    # care question keep the emergency signs listed.
    ans = pipeline.answer("I took double my dose of codeine last night. should I see a doctor?")
    assert "pharmacist" in ans.answer and not ans.citations, ans.answer
    ans = pipeline.answer("Umanay nanan chiriwan kunkay, see a doctor?")
    assert ans.triage.level == "emergency", ans.answer


def test_a_hand_that_presses_is_no_other_body_part(pipeline) -> None:  # type: ignore[no-untyped-def]
    # The thumb or elbow driven into the knot is the tool, not the place asked about.
    for question in ("is it ok to sink my thumb in as hard as I can?",
                     "can I grind my elbow in till it gives?"):
        ans = pipeline.answer(question)
        assert ans.triage.level == "self_care" and ans.press_check is not None, question
    # A hand part that is itself the place asked about is still another body part, rubbed
    # or pushed as much as stretched.
    for question in ("how do I stretch my sore thumb?",
                     "can I rub my elbow, it has been really sore for weeks"):
        assert pipeline.answer(question).triage.level == "out_of_scope", question


@pytest.mark.parametrize(("text", "never_named"), [
    ("Kindly, what is the proper name for a knot in the neck muscle?", "kindly"),
    ("Realistically, how long should I hold the pressure on a knot?", "realistically"),
])
def test_a_word_that_is_never_a_thing_is_no_subject_the_articles_miss(
        pipeline, text: str, never_named: str) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer(text)
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and f'"{never_named}"' not in ans.body.lower(), ans.body


@pytest.mark.parametrize(("text", "named"), [
    ("Is it safe to get a knot massaged while pregnant?", "pregnant"),
    ("Does knitting give people knots in the shoulders?", "knitting"),
    # A noun the dictionary knows only as a verb, used as a noun after "an".
    ("I keep seeing an advert for a neck gadget, would it help my knot?", "advert"),
])
def test_an_adjective_or_an_activity_is_still_named_when_the_articles_miss_it(
        pipeline, text: str, named: str) -> None:  # type: ignore[no-untyped-def]
    assert f'"{named}"' in pipeline.answer(text).body.lower()


def test_the_never_a_noun_list_holds_verbs_and_adverbs_not_things() -> None:
    from rag.answer.wordclass import not_nouns

    words = not_nouns()
    assert {"kindly", "seem", "twice", "alone"} <= words
    assert not {"pillow", "drinking", "pregnant", "yoga", "ibuprofen"} & words
