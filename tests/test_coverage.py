"""Questions about things the articles never mention are declined by name, not padded.

None of these phrasings is in the evaluation sets.
"""

from __future__ import annotations

import pytest

from rag.coverage import Coverage, describes_asker
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
    # "haemophilia" is in neither the articles nor the press rules' words, and is rare.
    ans = pipeline.answer("I have haemophilia, can I press on my shoulder knot?")
    assert ans.press_check is not None and ans.press_check.verdict == "do_not_press"
    assert DECLINED not in ans.answer


def test_a_follow_up_to_a_red_flag_keeps_the_red_flag_in_its_query(pipeline) -> None:  # type: ignore[no-untyped-def]
    earlier = "My arm feels zingy and weak and I have a knot in my neck"
    history = [Turn(role="user", content=earlier),
               Turn(role="assistant", content="Get medical advice today.")]
    ans = pipeline.answer("and what should I do about it?", history)
    assert ans.triage.level in ("urgent", "emergency") and DECLINED not in ans.answer
    assert ans.citations, ans.answer
    # The search keeps the earlier turn whole ("zingy" is not dropped as uncovered).
    assert earlier in pipeline._query("and what should I do about it?", history, plain=False,
                                     coverage=pipeline.coverage)


def test_a_named_decline_says_where_to_ask_about_a_symptom(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("could tinnitus come from my neck knot?")
    assert ans.triage.level == "self_care" and f'{DECLINED} "tinnitus"' in ans.answer
    assert "A doctor or pharmacist can tell you more about it." in ans.answer


@pytest.mark.parametrize("question, term", [
    ("Is ibuprofène good for a knot in my neck?", '"ibuprofene"'),
    ("Is naproxen\n\nsodium good for knots?", '"naproxen"'),
])
def test_accents_and_line_breaks_do_not_garble_the_named_term(pipeline, question: str,
                                                             term: str) -> None:  # type: ignore[no-untyped-def]
    assert f"{DECLINED} {term}," in pipeline.answer(question).answer


def test_an_accented_everyday_word_is_not_declined(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I'm a café barista with a knot in my neck, how do I massage it?")
    assert DECLINED not in ans.answer and ans.citations


@pytest.mark.parametrize("question", [
    # A second-language writer's own words, two or more of one language, are not the subject.
    "quantos dias should I keep pressing the knot myself before I desisto and see someone?",
    "como hago the self massage on my cuello? paso a paso please",
])
def test_words_of_the_askers_first_language_are_not_declined_as_subjects(
        pipeline, question: str) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer(question)
    assert DECLINED not in ans.answer and ans.citations, ans.answer


def test_one_word_of_another_language_may_still_name_a_thing(pipeline) -> None:  # type: ignore[no-untyped-def]
    """ "almofada" (a cushion), or "gua" of gua sha, alone is a thing the articles lack."""
    assert f'{DECLINED} "almofada"' in pipeline.answer(
        "does an almofada help a knot in the neck?").answer


def test_coverage_reads_the_articles_it_is_given(embeddings) -> None:  # type: ignore[no-untyped-def]
    cov = Coverage(["Apply heat or ice to the knot for fifteen minutes."], embeddings,
                   known=["warfarin"])
    assert cov.check("does ibuprofen help?").terms == ["ibuprofen"]
    assert cov.check("should I use heat?").terms == []
    assert cov.check("I'm on warfarin, is that ok?").terms == []
    gap = cov.check("Is ibuprofen ok? Should I use ice?")
    assert gap.terms == ["ibuprofen"] and gap.covered == "Should I use ice?"
    # Who is asking is no subject: "I'm a <rare job>" keeps its sentence answered.
    gap = cov.check("I am a retired glassblower and use heat, is that ok?")
    assert gap.terms == [] and "heat" in gap.covered
    assert cov.check("can I take naproxen as a painkiller?").terms == ["naproxen", "painkiller"]


def test_a_word_saying_who_is_asking() -> None:
    assert describes_asker("Good morning. I am a retired glassblower and", "glassblower")
    assert describes_asker("I’m a dental hygienist.", "hygienist")
    assert describes_asker("i work as a welder", "welder")
    assert not describes_asker("take it as a painkiller", "painkiller")
    assert not describes_asker("is a welder's mask ok", "welder")
    # The quick check of the pattern's start first says what the whole pattern says.
    import re

    from rag.coverage import _ASKER, fold

    texts = ["I'm a nurse", "Im an old nurse", "i  am a very tired night nurse", "I am nurse",
             "I am a. nurse", "Iam a nurse", "I work as an ER nurse", "I work as nurse", "",
             "I ’m a nurse", "Well I am a nurse; I am a welder too", "I AM A NURSE"]
    for text in texts:
        for word in ("nurse", "welder", "er", "night", "a"):
            whole = re.search(_ASKER.format(word=re.escape(word)), fold(text)) is not None
            assert describes_asker(text, word) == whole, (text, word)


def test_a_cached_word_is_not_lost_when_new_words_arrive(embeddings) -> None:  # type: ignore[no-untyped-def]
    cov = Coverage(["Apply heat or ice to the knot."], embeddings, cache_size=1)
    first = cov.nearest(["warmth"])["warmth"]
    again = cov.nearest(["warmth", "zzyzxq"])
    assert again["warmth"] == first and first[1] > 0


def test_lay_words_bring_the_articles_words_into_the_keyword_query(embeddings) -> None:  # type: ignore[no-untyped-def]
    cov = Coverage(["Anxiety and a hard workout can both tighten the neck."], embeddings)
    assert {"anxiety", "workout"} <= set(cov.related("I get anxious after the gym"))
    assert cov.related("anxiety and a workout") == []  # the articles' own words need no help


@pytest.mark.parametrize("question, phrase", [
    ("how lnog shuold i hold presure on a knot", "30 to 90 seconds"),
    ("how do i use a tenis ball on a knot in my uper back", "tennis ball"),
    ("is it normall to get knots from sittin at a dsek all day", "posture"),
])
def test_a_misspelt_question_is_answered_like_the_spelled_one(pipeline, question: str,
                                                                 phrase: str) -> None:  # type: ignore[no-untyped-def]
    """Typos of everyday words ("shuold", "presisng") are not topics the articles miss."""
    ans = pipeline.answer(question)
    assert "don't cover" not in ans.answer and phrase in ans.body, ans.answer


def test_typos_are_mended_but_real_terms_are_not(pipeline) -> None:  # type: ignore[no-untyped-def]
    respell = pipeline.coverage.respell
    assert respell("can i masage my sholder, it is relly stiif") == \
        "can i massage my shoulder, it is really stiff"
    assert respell("sholdér knöt") == "shoulder knot"
    # Close to an everyday word, but a term the person meant: left alone, and declined.
    assert respell("is advil or cupping better") == "is advil or cupping better"
    for term in ("advil", "cupping"):
        ans = pipeline.answer(f"is {term} good for a neck knot?")
        assert f'{DECLINED} "{term}"' in ans.answer, ans.answer


def test_an_everyday_word_with_a_prefix_is_not_a_rare_term(embeddings) -> None:  # type: ignore[no-untyped-def]
    english = {"reglazing": 2.0, "glazing": 3.4, "retinol": 2.5, "tinol": 0.0}
    cov = Coverage(["Apply heat or ice to the knot for fifteen minutes."], embeddings,
                   frequency=lambda w: english.get(w, 5.0))
    # "reglazing" is "glazing" done again: an everyday word, not a term to decline.
    assert cov.check("would reglazing the window near my desk help my knot?").terms == []
    # "retinol" only starts like a prefix: what is left is no English word.
    assert cov.check("would retinol help my knot?").terms == ["retinol"]


def test_a_rare_term_given_as_an_example_does_not_sink_the_question(pipeline) -> None:  # type: ignore[no-untyped-def]
    coverage = pipeline.live.index.coverage
    gap = coverage.check("Can a knot in the neck cause problems elsewhere, for instance tinnitus?")
    assert gap.terms == ["tinnitus"]
    assert gap.covered == "Can a knot in the neck cause problems elsewhere?"
    ans = pipeline.answer("Can a knot in the neck cause problems elsewhere, for instance tinnitus?")
    assert f'{DECLINED} "tinnitus".' in ans.answer and ans.citations, ans.answer
    # The rare term is what is asked about, not an example of it: nothing is left to answer.
    assert coverage.check("Is tinnitus something a neck knot can cause?").covered == ""
    # A rare term outside the examples still sinks its sentence.
    assert coverage.check("Does tinnitus come from knots, for example in the neck?").covered == ""


def test_a_name_that_only_starts_like_an_article_word_is_not_a_form_of_it(embeddings) -> None:  # type: ignore[no-untyped-def]
    english = {"stretchomatic": 0.0, "stretchig": 0.0, "stretchable": 2.9, "gentlevolt": 0.0}
    cov = Coverage(["Gentle stretching eases the knot in your shoulder."], embeddings,
                   frequency=lambda w: english.get(w, 5.0))
    # A name English does not know that goes on past the article word's first letters
    # ("stretch" + "omatic") is a name of its own, not a form of the article's word.
    assert not cov.in_articles("stretchomatic") and not cov.in_articles("gentlevolt")
    # Most of the word is the article's: a typo of it; and an English word starting
    # like it is a form of it, as before.
    assert cov.in_articles("stretchig") and cov.in_articles("stretchable")
    assert cov.check("is stretchable tape ok for my knot?").terms == []


def test_an_everyday_word_compared_is_not_a_rare_term(embeddings) -> None:  # type: ignore[no-untyped-def]
    english = {"grumpier": 2.2, "grumpy": 3.9, "gentlest": 2.6, "gentle": 4.5,
               "flattest": 2.4, "flat": 4.8, "lattes": 2.5, "latte": 3.2,
               **dict.fromkeys(("vlorbiest", "vlorby", "vlorbi", "vlorbie"), 0.0)}
    cov = Coverage(["Apply heat or ice to the knot for fifteen minutes."], embeddings,
                   frequency=lambda w: english.get(w, 5.0))
    # Comparing an everyday word ("grumpy", "gentle", "flat") makes no term to decline.
    assert cov.check("will rubbing make the knot grumpier?").terms == []
    assert cov.check("which pillow is gentlest on a knot?").terms == []
    assert cov.check("is the flattest pillow best for my knot?").terms == []
    # Not a comparison of any word: still a term; nor is a plural, which may be a term of
    # its own (as an -ing form may: "cupping", above).
    assert cov.check("is the vlorbiest pillow best for my knot?").terms == ["vlorbiest"]
    assert cov.check("do lattes make my knot worse?").terms == ["lattes"]
