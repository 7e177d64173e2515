"""A subject the articles name only as one item of a list is said to be mentioned only in
passing, with the sentence that names it, and nothing quoted as though it said more."""

from __future__ import annotations

from langchain_core.documents import Document

from rag.answer.passing import in_passing, list_items, listed_in, mentions
from tests.test_answer_stage import _check_faithful, _headings

LISTED = "Common triggers include long drives, cold draughts, and heavy bags."
ABOUT_IT = "A rolled towel can be placed behind your neck and held there for a minute."


class _Words:
    """Word frequencies (wordfreq Zipf) of a few words; everything else is rare."""

    def frequency(self, word: str) -> float:
        return {"best": 6.0, "way": 6.5, "drive": 5.3, "drives": 4.5}.get(word, 3.0)


def test_the_items_of_a_list_run_into_a_sentence() -> None:
    assert list_items(LISTED) == ["triggers include long drives", "cold draughts",
                                  "heavy bags"]
    assert list_items("Use a chair, a desk lamp among others.") == ["Use a chair",
                                                                     "a desk lamp"]
    assert list_items(ABOUT_IT) == []  # no list: the sentence is about the towel
    # A last item that runs on is what the sentence goes on to speak about.
    assert list_items("It comes from stress, poor posture, and underlying medical conditions "
                      "such as arthritis.") == ["It comes from stress", "poor posture"]
    assert listed_in(LISTED, "draught") and not listed_in(ABOUT_IT, "towel")


def test_a_subject_named_once_in_a_list_is_in_passing_one_named_elsewhere_is_not() -> None:
    docs = [Document(f"Triggers\n\n{LISTED} {ABOUT_IT}", metadata={"section": "Triggers"}),
            Document("Heavy Bags\n\nCarry heavy bags on both shoulders.",
                     metadata={"section": "Heavy Bags"})]
    found = mentions(docs)
    got = in_passing("what is the best way to sit on long drives?", found, _Words(),
                     frozenset({"knot"}))
    assert [(w, s) for w, s, _d in got] == [("drives", LISTED)]
    # Named in a heading of its own, or only in a sentence about it: not in passing.
    assert in_passing("are heavy bags bad?", found, _Words(), frozenset()) == []
    assert in_passing("how long do I keep the towel on?", found, _Words(), frozenset()) == []
    # A word naming a part of the body with it ("neck draughts") says where.
    assert in_passing("a knot near my neck draughts", found, _Words(), frozenset()) == []


def test_a_question_about_a_subject_named_in_passing_says_so(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("What's the best position to sleep in so I don't get a knot in my "
                          "neck?")
    said = [line for line in ans.body.split("\n") if "only in passing" in line]
    assert said and said[0].startswith("The articles mention") and "sleep" in said[0]
    quoted = ans.body.split(said[0], 1)[1]
    assert quoted.strip().startswith("Other factors include poor sleep positions")
    # Nothing after it but what shares another of the question's words ("positions").
    assert "tilt your head" not in quoted and "tennis ball" not in quoted
    _check_faithful(ans, _headings(pipeline))


def test_an_ordinary_question_is_not_labelled(pipeline) -> None:  # type: ignore[no-untyped-def]
    for question in ("how long should I hold pressure on a knot?",
                     "the knot is under my shoulder blade, how do I reach it?"):
        assert "only in passing" not in pipeline.answer(question).body, question


def test_one_of_two_alternatives_is_named_in_passing() -> None:
    from rag.retrieval import stem_tokens

    said = "A coach trained in pilates\u00a0or yoga can correct the way you sit."
    assert listed_in(said, stem_tokens("yoga")[0]) and listed_in(said, stem_tokens("pilates")[0])
    assert not listed_in("Yoga eases a stiff neck over time.", stem_tokens("yoga")[0])


def test_a_therapy_named_only_beside_another_is_said_to_be_in_passing(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("would seeing someone for acupuncture sort my neck knot out?")
    assert "only in passing" in ans.body and "acupuncture" in ans.body, ans.body
    plain = pipeline.answer("how do I use a tennis ball on a knot?")
    assert "only in passing" not in plain.body and plain.citations, plain.body
