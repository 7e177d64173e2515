"""Which sentences answer: a sentence is read with what it leans on (its heading and the
sentence before it), and a sentence about the topic as a whole does not crowd out the one
that answers. Questions here are worded for these tests, not taken from an eval set."""

from __future__ import annotations

import numpy as np

from rag.answer.render import parse_body
from rag.embeddings import TokenVectors
from rag.late import LateIndex


def _tokens(*rows: list[float]) -> TokenVectors:
    v = np.array(rows, dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return TokenVectors(ids=np.arange(len(rows)), vectors=v.astype(np.float16))


def test_a_group_of_texts_scores_each_question_token_at_its_best_match() -> None:
    late = LateIndex({"a": _tokens([1, 0], [0, 1])})
    query = _tokens([1, 0], [0, 1])
    one, other = _tokens([1, 0]), _tokens([0, 1])
    alone = late.score_texts(query, [one, other])
    together = late.score_groups(query, [[one, other], [one]])
    assert together[0] > max(alone)
    assert together[1] == alone[0]
    assert late.score_groups(query, [[]]) == [0.0]


def test_a_figure_in_the_sentence_after_the_technique_answers_how_long(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("how long should I keep my head tilted towards my shoulder in that "
                          "stretch?")
    assert "15-30 seconds" in ans.body, ans.body
    assert "2-3 seconds" not in ans.body, ans.body


def test_a_sentence_about_knots_in_general_does_not_crowd_out_the_answer(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("could a knot get worse if I leave it alone?")
    quoted = " ".join(q.sentence for q in parse_body(ans.body))
    assert "chronic and recurrent" in quoted, ans.body
    assert "common and often painful issue" not in quoted, ans.body


def test_a_knot_in_the_neck_of_a_thing_gets_no_quote(pipeline) -> None:  # type: ignore[no-untyped-def]
    for question in ("is a knot in a violin neck bad for the sound?",
                     "the cello neck has a knot in the maple, will the varnish crack?"):
        ans = pipeline.answer(question)
        assert not ans.citations and "don't cover" in ans.body, (question, ans.body)


def test_a_neck_with_a_thing_named_beside_it_is_still_answered(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I get a knot in my neck from carrying my laptop bag, what causes it?")
    assert ans.citations and "don't cover" not in ans.body, ans.body


def test_a_medicine_asked_about_gets_the_pharmacist_not_a_quote(pipeline) -> None:  # type: ignore[no-untyped-def]
    for question in ("would muscle relaxant tablets loosen a neck knot?",
                     "is it fine to take my arthrotec twice a day while I have a knot?"):
        ans = pipeline.answer(question)
        assert "pharmacist" in ans.answer and not ans.citations, (question, ans.answer)


def test_a_yes_no_question_leads_with_the_sentence_that_says_so(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("can too much force when pressing make a knot worse?")
    quotes = parse_body(ans.body)
    assert quotes and "excessive force can aggravate" in quotes[0].sentence, ans.body


def test_knots_as_a_speed_are_not_the_articles_knots(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("a ferry doing 20 knots, is that fast for a boat?")
    assert not ans.citations and "don't cover" in ans.body, ans.body
    # Asked in a unit of speed, the scope guard refuses it before the answer stage.
    unit = pipeline.answer("a ferry doing 20 knots, how many kilometres an hour is that?")
    assert unit.triage.level == "out_of_scope" and not unit.citations
    kept = pipeline.answer("I have three knots along my shoulder blade, what can I do?")
    assert kept.citations, kept.body


def test_a_word_only_the_safety_stage_knows_is_named_as_not_in_the_articles(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("can I crack my back myself to loosen a knot?")
    assert "don't mention \"crack\"" in ans.body, ans.body


def test_a_question_about_how_much_force_favours_a_sentence_saying_how_much() -> None:
    from langchain_core.documents import Document

    from rag.answer.select import FORCE_ASKED, Candidate, shaped

    doc = Document("x")
    cands = [Candidate("Roll the ball along the muscle.", doc, 0, 0, 0.5),
             Candidate("Begin gently and build up slowly.", doc, 0, 1, 0.45)]
    for question in ("how firmly do I push on it?", "can I press really hard on it?",
                     "should I use full pressure from the start?", "soft or firm massage?"):
        assert FORCE_ASKED.search(question), question
    for question in ("how do I roll the ball?", "is it hard to find the knot?"):
        assert not FORCE_ASKED.search(question), question
    got = shaped(cands, "technique", force=True)
    assert max(got, key=lambda c: c.score).text.startswith("Begin gently")
    assert max(shaped(cands, "technique"), key=lambda c: c.score).text.startswith("Roll")


def test_a_duration_asked_in_a_unit_favours_a_figure_in_that_unit() -> None:
    from langchain_core.documents import Document

    from rag.answer.select import Candidate, shaped, unit_cue

    doc = Document("x")
    cands = [Candidate("Keep the pressure on for 20 to 40 seconds.", doc, 0, 0, 0.5),
             Candidate("If it lasts beyond a few weeks, have it looked at.", doc, 0, 1, 0.45)]
    question = "how many weeks of doing this myself before I have it looked at?"
    assert unit_cue(question) is not None
    best = max(shaped(cands, "duration", question=question), key=lambda c: c.score)
    assert best.text.startswith("If it lasts")
    # Without a unit asked for, any figure is one: the seconds keep their lead; a unit
    # named only as what happened so far ("three days in") asks for none.
    for plain in ("how long do I keep pressing?", "three days in, how long will it last?"):
        assert unit_cue(plain) is None, plain
        best = max(shaped(cands, "duration", question=plain), key=lambda c: c.score)
        assert best.text.startswith("Keep the pressure"), plain


def test_a_question_asking_under_what_condition_favours_a_sentence_stating_one() -> None:
    from langchain_core.documents import Document

    from rag.answer.select import CONDITION_ASKED, Candidate, shaped
    from rag.retrieval import stem_tokens

    doc = Document("x")
    cands = [Candidate("A physiotherapist works on posture and strength.", doc, 0, 0, 0.5),
             Candidate("If the stiffness lasts beyond a week, book a physiotherapist.", doc, 0,
                       1, 0.44),
             Candidate("If you sit a lot, stand up every hour.", doc, 0, 2, 0.43)]
    for question in ("at what point is a physiotherapist worth it?",
                     "when should I go and see a physiotherapist?",
                     "how do I know when to book a physiotherapist?"):
        assert CONDITION_ASKED.search(question), question
        asked = frozenset(stem_tokens("physiotherapist worth book go see"))
        best = max(shaped(cands, "other", asked, question=question), key=lambda c: c.score)
        assert best.text.startswith("If the stiffness"), question
    # Asking what, not when: the sentence that matches best keeps its lead; and a condition
    # about something the question does not ask about ("if you sit") gains nothing.
    question = "what does a physiotherapist do for stiffness?"
    assert not CONDITION_ASKED.search(question)
    asked = frozenset(stem_tokens("physiotherapist stiffness"))
    assert max(shaped(cands, "other", asked, question=question),
               key=lambda c: c.score).text.startswith("A physiotherapist")
    got = shaped(cands, "other", frozenset(stem_tokens("physiotherapist")),
                 question="when should I see a physiotherapist?")
    assert got[2].bonus == 0.0 and got[1].bonus > 0.0


def test_at_what_point_to_see_a_therapist_is_answered_by_the_condition(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("my trapezius knot has been sore for ages, at what point is it worth "
                          "going to a massage therapist?")
    assert "time to see a massage therapist" in ans.body, ans.body


def test_a_compound_word_brings_in_the_article_word_it_is_made_of(embeddings) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.subject import compound_parts
    from rag.coverage import Coverage

    english = {"ache": 3.6, "ing": 2.0}
    cov = Coverage(["Tension can spread to the head and to the arm when stretching."],
                   embeddings, frequency=lambda w: english.get(w, 5.0))
    assert "head" in compound_parts("does a knot give me a headache?", cov)
    # A form of the article word ("stretching") is no compound, and a word with no article
    # word at its start gives nothing.
    assert compound_parts("is stretching good for it?", cov) == frozenset()
    assert compound_parts("is a heating pad any good?", cov) == frozenset()


def test_a_yes_no_question_about_a_headache_quotes_the_pain_it_can_refer(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("could a tight knot up by my shoulder blade be giving me a headache?")
    assert "referred pain" in ans.body, ans.body


def test_a_definition_under_another_heading_joins_but_a_figure_does_not() -> None:
    from langchain_core.documents import Document

    from rag.answer.select import Candidate, narrow

    one = Document("x", metadata={"section": "Spotting a Knot"})
    other = Document("y", metadata={"section": "What Is It?"})
    said = [Candidate("A knot feels like a firm pea under the skin.", one, 0, 0, 0.8),
            Candidate("It feels like a tight band running through the muscle.", other, 1, 0,
                      0.7)]
    got = [c.text for c in narrow(said, "definition")]
    assert len(got) == 2, got  # the other article's words for the same thing
    timed = [Candidate("Press on the knot for 20 to 40 seconds.", one, 0, 0, 0.8),
             Candidate("Hold the stretch for 5 seconds each side.", other, 1, 0, 0.7)]
    got = [c.text for c in narrow(timed, "duration")]
    assert got == ["Press on the knot for 20 to 40 seconds."]  # another technique's figure


def test_a_question_asking_how_to_make_it_quicker_favours_what_speeds_it_up() -> None:
    from langchain_core.documents import Document

    from rag.answer.select import SPEED_ASKED, Candidate, shaped

    doc = Document("x")
    cands = [Candidate("Warmth loosens the muscle before you stretch.", doc, 0, 0, 0.5),
             Candidate("Regular gentle stretching speeds up healing.", doc, 0, 1, 0.45)]
    for question in ("how can I get over it faster?", "will it clear sooner if I rest?",
                     "any way to speed it up?"):
        assert SPEED_ASKED.search(question), question
        best = max(shaped(cands, "other", question=question), key=lambda c: c.score)
        assert best.text.startswith("Regular gentle"), question
    # A question asking no speed: the better match keeps its lead.
    plain = "what loosens the muscle?"
    assert not SPEED_ASKED.search(plain)
    assert max(shaped(cands, "other", question=plain),
               key=lambda c: c.score).text.startswith("Warmth")


def test_a_question_asking_if_it_lasts_for_ever_favours_what_says_whether_it_does() -> None:
    from langchain_core.documents import Document

    from rag.answer.select import LASTING_ASKED, Candidate, shaped

    doc = Document("x")
    cands = [Candidate("Tight shoulders often come from long hours at a desk.", doc, 0, 0, 0.5),
             Candidate("Such knots are rarely permanent.", doc, 0, 1, 0.42)]
    for question in ("is this knot in my trap there for good?", "will I have it for life?",
                     "do these ever go or is it forever?"):
        assert LASTING_ASKED.search(question), question
        best = max(shaped(cands, "yes_no", question=question), key=lambda c: c.score)
        assert best.text.startswith("Such knots"), question
    plain = "why are my shoulders so tight?"
    assert not LASTING_ASKED.search(plain)
    assert max(shaped(cands, "cause", question=plain),
               key=lambda c: c.score).text.startswith("Tight shoulders")


def test_a_question_about_a_lack_favours_a_sentence_naming_one() -> None:
    from langchain_core.documents import Document

    from rag.answer.cues import LACK_ASKED
    from rag.answer.select import Candidate, shaped

    doc = Document("x")
    cands = [Candidate("Long drives strain the shoulders.", doc, 0, 0, 0.5),
             Candidate("A lack of daily walking stiffens the upper back.", doc, 0, 1, 0.43)]
    for question in ("could not walking much be the reason?", "no exercise for months, is "
                     "that it?", "is it from hardly moving all winter?"):
        assert LACK_ASKED.search(question), question
        best = max(shaped(cands, "cause", question=question), key=lambda c: c.score)
        assert best.text.startswith("A lack"), question
    plain = "could long drives be the reason?"
    assert not LACK_ASKED.search(plain)
    assert max(shaped(cands, "cause", question=plain),
               key=lambda c: c.score).text.startswith("Long drives")
