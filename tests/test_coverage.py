"""Questions about things the articles never mention are declined by name, not padded.

None of these phrasings is in the evaluation sets.
"""

from __future__ import annotations

import pytest

from rag.coverage import Coverage
from rag.models import Turn

DECLINED = "The articles don't cover"


@pytest.mark.parametrize("question, term", [
    ("Is diclofenac gel any good for a shoulder knot?", '"diclofenac gel"'),
    ("would naproxen help my neck knot", '"naproxen"'),
    ("Is turmeric good for shoulder knots?", '"turmeric"'),
])
def test_an_uncovered_topic_is_declined_by_name(pipeline, question: str, term: str) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer(question)
    assert f"{DECLINED} {term}, so I can't answer that from them." in ans.answer
    assert not ans.citations and "[1]" not in ans.answer


@pytest.mark.parametrize("question", [
    "my neck is achy after a long drive, how do I massage it?",
    "hwo long should I hold pressure on a knot",
    "does scrolling on my phone all day give me knots",
    "I'm a welder and my traps are always tight, what helps?",
])
def test_lay_words_and_typos_for_covered_topics_are_answered(pipeline, question: str) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer(question)
    assert DECLINED not in ans.answer and ans.citations, ans.answer


def test_the_covered_half_of_a_question_is_still_answered(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("Is diclofenac gel any good? how long should I hold pressure on a knot?")
    assert ans.answer.index(f'{DECLINED} "diclofenac gel".') < ans.answer.index("[1]")
    assert ans.citations and "so I can't answer" not in ans.answer


def test_a_follow_up_is_not_sunk_by_an_earlier_uncovered_term(pipeline) -> None:  # type: ignore[no-untyped-def]
    history = [Turn(role="user", content="Is diclofenac gel any good for knots?"),
               Turn(role="assistant", content='The articles don\'t cover "diclofenac gel".')]
    ans = pipeline.answer("ok, and how long should I hold pressure on a knot?", history)
    assert DECLINED not in ans.answer
    assert any("30 to 90 seconds" in c.text for c in ans.citations)


def test_safety_speaks_first_and_is_not_replaced_by_a_decline(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I have a fever and a stiff neck, can naproxen help?")
    assert ans.triage.level == "emergency" and ans.answer.startswith("**Emergency:**")
    assert DECLINED not in ans.answer
    ans = pipeline.answer("I take warfarin, can I press on my shoulder knot?")
    assert ans.press_check is not None and ans.press_check.verdict == "do_not_press"
    assert DECLINED not in ans.answer


def test_a_hostile_question_is_named_only_by_its_plain_words(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("<script>alert(1)</script> is zzyzxq good for knots?")
    assert f'{DECLINED} "zzyzxq"' in ans.answer and "<script>" not in ans.answer


def test_coverage_reads_the_articles_it_is_given(embeddings) -> None:  # type: ignore[no-untyped-def]
    cov = Coverage(["Apply heat or ice to the knot for fifteen minutes."], embeddings,
                   known=["warfarin"])
    assert cov.check("does ibuprofen help?").terms == ["ibuprofen"]
    assert cov.check("should I use heat?").terms == []
    assert cov.check("I'm on warfarin, is that ok?").terms == []
    gap = cov.check("Is ibuprofen ok? Should I use ice?")
    assert gap.terms == ["ibuprofen"] and gap.covered == "Should I use ice?"
