"""A question about the articles' publisher is answered by what it says of itself, in
reading order, not by the one sentence that spells out its name."""

from __future__ import annotations

from langchain_core.documents import Document

from rag.answer import Ask, in_own_voice
from rag.answer.select import Candidate
from tests.test_answer_stage import _check_faithful, _headings

DOC = Document(page_content="", metadata={"section": "About the clinic"})
VOICE = ("Acme Rehab is a physiotherapy clinic.", "Our therapists work in Leeds.",
         "We check how you sit at your desk.")
OTHER = "Apply heat to ease a knot."


def _cands(scores: dict[str, float]) -> list[Candidate]:
    order = [*VOICE, OTHER]
    return [Candidate(t, DOC, 0, order.index(t), s) for t, s in scores.items()]


def test_the_publishers_own_sentences_are_quoted_in_reading_order() -> None:
    ask = Ask(question="where is Acme Rehab?", own_voice=frozenset(VOICE))
    # Its name matches only the first sentence; where it is comes second.
    cands = _cands({VOICE[2]: 0.2, VOICE[0]: 0.7, OTHER: 0.3, VOICE[1]: 0.25})
    outline = in_own_voice(cands, ask, "where")
    assert outline is not None
    assert [c.text for c in outline.items[0].quotes] == list(VOICE)


def test_another_sentence_that_answers_better_keeps_the_ranked_answer() -> None:
    ask = Ask(question="does Acme Rehab say heat or ice?", own_voice=frozenset(VOICE))
    assert in_own_voice(_cands({OTHER: 0.8, VOICE[0]: 0.6}), ask, "comparison") is None
    # A question that names no publisher has no voice to quote.
    plain = Ask(question="heat or ice?")
    assert in_own_voice(_cands({VOICE[0]: 0.9, OTHER: 0.3}), plain, "comparison") is None


def test_where_the_clinic_is_comes_from_its_own_words(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.filler import brand

    publisher = next(str(d.metadata.get("publisher") or "")
                     for d in pipeline.index.chunks.values() if d.metadata.get("publisher"))
    ans = pipeline.answer(f"in which town do the {brand(publisher)} therapists work?")
    _check_faithful(ans, _headings(pipeline))
    # The town is in the publisher's description (front matter), and in its own sentences.
    town = publisher.split()[-1]
    assert town in ans.body and len(ans.citations) >= 1, ans.body
