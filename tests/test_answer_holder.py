"""What the knot is in: a thing the articles never mention makes it another knot; a body,
or one of the articles' own words, keeps it theirs."""

from __future__ import annotations

from dataclasses import replace

from rag.answer.holder import held_elsewhere, holders
from tests.test_answer_stage import _check_faithful, _headings

NOUNS = ("knot", "knots")


def test_what_holds_the_noun_is_read_from_where_it_stands() -> None:
    assert holders("how should I look after a macrame knot on a plant hanger?", NOUNS) == \
        ["macrame", "plant", "hanger"]
    assert holders("my headphone wire is knotted inside the drawer", NOUNS) == ["drawer"]
    # A possessive is a person's knot, and a question word ends the phrase.
    assert holders("is my daughter's knot something to worry about?", NOUNS) == []
    assert holders("a knot in my upper back, what helps?", NOUNS) == ["upper", "back"]
    assert holders("what helps with knots when you sit all day?", NOUNS) == []
    # The phrase an "of" opens after it holds it too.
    assert holders("how to tie a knot at the neck of a flour sack", NOUNS) == \
        ["neck", "flour", "sack"]


def test_a_knot_in_a_thing_is_another_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    question = "my bracelet has a knot in the clasp, how do I fix it?"
    assert held_elsewhere(question, NOUNS, ["bracelet", "clasp"],
                          pipeline.index.coverage) == ("clasp",)
    ans = pipeline.answer(question)
    assert "don't cover" in ans.body and not ans.citations, ans.body
    # A part of the body that is a thing's ("the neck of a sack") is the thing's.
    assert held_elsewhere("how to tie a knot at the neck of a flour sack", NOUNS,
                          ["flour", "sack"], pipeline.index.coverage) == ("flour", "sack")
    assert held_elsewhere("a knot at the back of my neck, near the sack I carry", NOUNS,
                          ["sack"], pipeline.index.coverage) == ()


def test_a_knot_in_the_body_or_the_muscle_stays_the_articles_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    coverage = pipeline.index.coverage
    # Named beside a part of the body, or held by the articles' own word ("muscle").
    assert held_elsewhere("a knot in the clasp of my necklace, right at my neck",
                          NOUNS, ["clasp", "necklace"], coverage) == ()
    assert held_elsewhere("is a knot in the muscle really like a knot in a string?",
                          NOUNS, ["string"], coverage) == ()
    for question in ("is a knot in the muscle really like a knot in a string?",
                     "what does a stubborn knot in the upper back feel like?"):
        ans = pipeline.answer(question)
        _check_faithful(ans, _headings(pipeline))
        assert ans.citations and "so I can't answer" not in ans.body, (question, ans.body)


def test_a_thing_named_beside_a_loosely_meant_knot_raises_the_bar() -> None:
    from rag.answer import Ask, loosely_meant

    # No word of the articles' own, "knot" read at 0.89 near their uses of it.
    plain = Ask(question="which knot keeps two hawsers of unequal girth together?",
                own=False, sense=0.89, absent=("hawsers", "girth"))
    assert loosely_meant(replace(plain, thing=True))  # "girth" names a thing
    # Only the frame of a question is absent ("whole"): read as their knot, at 0.89.
    assert not loosely_meant(replace(plain, absent=("whole",), thing=False))
    # One of their own words keeps it theirs, whatever the reading.
    assert not loosely_meant(replace(plain, own=True, thing=True))


def test_a_rare_absent_word_names_a_thing_and_a_common_one_does_not(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer import ask_for

    assert ask_for("does the girth of my pillow matter for knots?", [], pipeline.index).thing
    assert not ask_for("will the whole lot of them ever go?", [], pipeline.index).thing


def test_an_adjective_of_the_noun_is_held_by_the_word_after_it() -> None:
    # "knotted" describes what follows it; the noun itself holds nothing after it.
    assert holders("the garden twine is one knotted tangle", NOUNS) == ["tangle"]
    assert holders("is knotted timber weaker?", NOUNS) == ["timber"]
    assert holders("my knotted shoulders ache", NOUNS) == ["shoulders"]
    assert holders("a knot after work", NOUNS) == []


def test_a_knotted_thing_is_another_knot_and_knotted_muscles_are_theirs(pipeline) -> None:  # type: ignore[no-untyped-def]
    # Declined either way: refused as another kind of knot (twine is a thing tied), or
    # named as not covered; never answered with a quote.
    ans = pipeline.answer("the garden twine is one knotted tangle, how do I sort it?")
    assert not ans.citations and (ans.triage.level == "out_of_scope"
                                  or "don't cover" in ans.body), ans.answer
    ans = pipeline.answer("the garden hose is one knotted tangle, how do I sort it?")
    assert not ans.citations and (ans.triage.level == "out_of_scope"
                                  or "don't cover" in ans.body), ans.answer
    for question in ("my knotted shoulders ache after a day at the desk, what helps?",
                     "what loosens knotted muscles in the upper back?"):
        ans = pipeline.answer(question)
        _check_faithful(ans, _headings(pipeline))
        assert ans.citations and "so I can't answer" not in ans.body, (question, ans.body)


def test_a_knot_tied_by_hand_is_one_of_string(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.holder import tied_by_hand

    coverage = pipeline.index.coverage
    assert tied_by_hand("how do I untie the double knot in a shoelace?", NOUNS,
                        ["shoelace"], coverage)
    from rag.answer import ask_for

    question = "for my climbing course, which knot stays tied best on a wet harness?"
    assert ask_for(question, [], pipeline.index).tied
    ans = pipeline.answer(question)
    assert "don't cover" in ans.body and not ans.citations, ans.body
    # Tying named beside a part of the body, or the articles' own word, keeps their knot;
    # without a verb of tying there is nothing to read.
    assert not tied_by_hand("my scarf is tied tight and there's a knot at my neck",
                            NOUNS, ["scarf"], coverage)
    assert not tied_by_hand("are muscle knots tied like a rope?", NOUNS, ["rope"], coverage)
    assert not tied_by_hand("is the fibre of the muscle literally tied in a knot?", NOUNS,
                            ["fibre"], coverage)
    assert not tied_by_hand("how do I loosen a knot?", NOUNS, [], coverage)
    ans = pipeline.answer("a knot you tie stays put; does a knot under the shoulder blade?")
    assert ans.citations and "so I can't answer" not in ans.body, ans.body


def test_a_follow_up_that_unties_it_is_about_the_earlier_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer import ask_for
    from rag.models import Turn

    assert ask_for("how do I undo the knot?", [], pipeline.index).tied

    first = "I have a knot at the top of my shoulder"
    earlier = [Turn(role="user", content=first),
               Turn(role="assistant", content=pipeline.answer(first).answer)]
    assert not ask_for("how do I undo the knot?", earlier, pipeline.index).tied


def test_a_knot_something_is_likened_to_holds_nothing() -> None:
    # The knot asked about is the one likened to a knot in a thing, not that one.
    assert holders("does it feel hard under the skin, like a knot in some twine?",
                   NOUNS) == []
    assert holders("is mine as hard as a knot in wet rope?", NOUNS) == []
    # Without the likening, the same thing holds it.
    assert holders("there is a knot in some twine by the door", NOUNS) == ["twine"]


def test_a_question_likening_its_knot_to_a_rope_knot_is_answered(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("under the skin, does it feel firm, like a knot in a string?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "so I can't answer" not in ans.body, ans.body


def test_a_knot_held_by_what_they_never_discuss_is_another_knot_however_it_reads() -> None:
    from rag.answer import Ask, held_by_other

    # Read close to their knot (0.93), but held by a word unlike any of theirs, and no
    # word of their own in the question: a knot in the wood.
    wood = Ask(question="a knot in the walnut slab for my table top, will it split?",
               own=False, sense=0.93, absent=("walnut", "slab", "split"),
               far=("walnut", "slab"), held=("walnut", "slab"))
    assert held_by_other(wood)
    # One of their own words keeps it theirs ("my trapezius", "muscle").
    assert not held_by_other(replace(wood, own=True))
    # Held by a word that is absent but near their words: the reading decides.
    assert not held_by_other(replace(wood, far=()))


def test_a_knot_in_a_part_of_the_body_they_never_name_is_elsewhere(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.holder import held_in_other_part

    coverage = pipeline.index.coverage
    compared = "I've got a hard knot in my wrist from typing; is it like a knot in the neck?"
    assert held_in_other_part(compared, NOUNS, coverage) == ("wrist",)
    ans = pipeline.answer(compared)
    assert '"wrist"' in ans.body and not ans.citations, ans.body
    # A knot their part holds too is theirs to answer.
    both = "I have a knot in my wrist and a knot in my shoulder, which should I work on first?"
    assert held_in_other_part(both, NOUNS, coverage) == ()
    assert held_in_other_part("a knot under my shoulder blade, what helps?", NOUNS,
                              coverage) == ()


def test_one_of_their_own_terms_keeps_the_knot_theirs_whatever_holds_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    coverage = pipeline.index.coverage
    term = ("I tie knots in climbing rope all day at the crag; in the human neck, where "
            "does the trapezius attach?")
    assert held_elsewhere(term, NOUNS, ["climbing", "crag", "human"], coverage) == ()
    ans = pipeline.answer(term)
    _check_faithful(ans, _headings(pipeline))
    assert ans.citations and "trapezius" in ans.body.lower(), ans.body
    # An everyday word they also write ("gently") is no term of theirs.
    rope = "I tie knots in climbing rope all day at the crag; how do I undo them gently?"
    assert held_elsewhere(rope, NOUNS, ["climbing", "crag"], coverage) == ("climbing",)


def test_a_things_part_named_again_is_still_the_things() -> None:
    from rag.answer.subject import of_a_thing

    # "the neck" after "the banjo neck" is the banjo's; "my neck" is the person's.
    assert of_a_thing("the banjo neck has a knot in the grain, will the neck bow over time?",
                      "neck", ["banjo", "grain", "bow"])
    assert not of_a_thing("the banjo neck has a knot in the grain and my neck aches from it",
                          "neck", ["banjo", "grain"])
    # A first "the neck" with no thing named before it is the person's.
    assert not of_a_thing("the neck is where my knot sits, near my banjo case", "neck",
                          ["banjo", "case"])


def test_a_part_pressing_into_the_knot_is_the_tool_not_the_place(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.subject import other_body_parts

    coverage = pipeline.index.coverage
    tool = "My sister leans her elbow into my knot for ages. Is leaning that hard a bad idea?"
    assert other_body_parts(tool, coverage, NOUNS) == []
    ans = pipeline.answer(tool)
    assert ans.citations and "don't cover the" not in ans.body, ans.body
    # A knot in that part, or the part named on its own, is still somewhere else.
    assert other_body_parts("my sister has a knot in her elbow, what helps?", coverage,
                            NOUNS) == ["elbow"]
    assert other_body_parts("I lean my elbow into my knot, and now the elbow aches",
                            coverage, NOUNS) == ["elbow"]
