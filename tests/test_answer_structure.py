"""Answers shaped by what the question asks, however it is worded, and by the headings
the articles give their passages."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from rag.answer.render import parse_body
from rag.answer.select import Candidate, asked_under_heading
from rag.answer.shape import classify
from rag.answer.subject import ASKING
from rag.coverage import words_of
from rag.models import Turn
from rag.retrieval import stem_tokens


@pytest.mark.parametrize(("question", "shape"), [
    ("if I skip the stretches for a week, will the knot come back?", "yes_no"),
    ("once the knot is gone can it return?", "yes_no"),
    ("so what's behind these knots, do you think", "cause"),
    ("if it flares up again what should I do?", "relief_list"),  # a wh-question stays one
])
def test_a_condition_first_does_not_hide_the_question(question: str, shape: str) -> None:
    assert classify(question) == shape


def _faithful(ans) -> None:  # type: ignore[no-untyped-def]
    cited = {c.n: c for c in ans.citations}
    for q in parse_body(ans.body):
        assert q.n in cited and q.sentence in cited[q.n].text, q


def test_a_broad_question_naming_a_body_part_or_a_place_gets_the_list(pipeline) -> None:  # type: ignore[no-untyped-def]
    for question in ("what helps a shoulder knot at home?",
                     "what can I do about a knot in my upper back right now?"):
        ans = pipeline.answer(question)
        _faithful(ans)
        labels = [q.label for q in parse_body(ans.body) if q.label]
        assert "Apply Heat/Ice" in labels and "Neck Stretches" in labels, (question, ans.body)


def test_a_medicine_refused_by_triage_is_named_and_sent_to_a_pharmacist(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("how many aspirin can I have per day for neck knots?")
    assert not ans.citations
    assert 'don\'t cover "aspirin"' in ans.body and "pharmacist" in ans.body, ans.answer
    assert '"per"' not in ans.body, ans.body  # a word of the sentence is not a subject


def test_a_follow_up_gets_the_sentence_that_answers_it_even_if_quoted_before(pipeline) -> None:  # type: ignore[no-untyped-def]
    first_q = "should I put heat or ice on a neck knot?"
    first = pipeline.answer(first_q)
    assert "acute injury" in first.body, first.body  # the answer to the follow-up, said once
    history = [Turn(role="user", content=first_q), Turn(role="assistant", content=first.answer)]
    ans = pipeline.answer("when do I go for the ice then?", history)
    _faithful(ans)
    assert "acute injury" in ans.body, ans.body
    # Asked for more, it gives what was not said yet.
    more = pipeline.answer("what other things can I try besides those?", history)
    said = {q.sentence for q in parse_body(first.body)}
    assert not said & {q.sentence for q in parse_body(more.body)}, more.body


def _doc(cid: str, section: str, text: str) -> Document:
    return Document(id=cid, page_content=text, metadata={"section": section, "source": "a.md"})


@pytest.mark.parametrize(("question", "under_heading"), [
    ("why does my knot keep coming back after a massage?", True),  # the heading's own words
    ("why do I keep getting knots?", False),  # only the shape's words: the list answers it
])
def test_a_heading_that_asks_the_question_in_its_words_answers_it(question: str,
                                                                  under_heading: bool) -> None:
    group = [_doc("c1", "Poor Posture", "Slouching strains the muscle."),
             _doc("c2", "Stress", "Tension tightens the shoulders.")]
    faq = _doc("f1", "Why Do Knots Keep Coming Back?", "Knots return when the habit stays.")
    top = Candidate(faq.page_content, faq, rank=0, order=0, score=0.6)
    asked = frozenset(stem_tokens(" ".join(w for w in words_of(question)
                                           if w not in ASKING and w not in {"knot", "knots"})))
    assert asked_under_heading(top, group, "cause", asked) is under_heading
    inside = Candidate(group[0].page_content, group[0], rank=0, order=0, score=0.6)
    assert not asked_under_heading(inside, group, "cause", asked)


def test_why_a_knot_never_goes_away_is_answered_by_what_says_why_it_persists(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("why does my neck knot never go away?")
    _faithful(ans)
    quoted = " ".join(q.sentence for q in parse_body(ans.body))
    assert "persist" in quoted and not any(q.label for q in parse_body(ans.body)), ans.body
    broad = pipeline.answer("why do people get knots in their shoulders?")
    labels = [q.label for q in parse_body(broad.body) if q.label]
    assert "Stress and Anxiety" in labels, broad.body
