"""What decides that the articles cover a question: their own words tie it to them, a
medicine taken by any name goes to a pharmacist, and a decline names what is missing."""

from __future__ import annotations

from rag.answer import Ask, decline_note, verdict_intro
from rag.answer.render import ASPECT, DECLINE, MEDICINES, NOT_COVERED, is_connective
from rag.answer.subject import OWN_WORD, absent_subjects, taken
from tests.test_answer_stage import _check_faithful, _headings


def test_the_articles_own_words_stand_out_from_everyday_words_they_write(pipeline) -> None:  # type: ignore[no-untyped-def]
    coverage = pipeline.live.index.coverage
    for own in ("massage", "trapezius", "posture", "stretch"):
        assert coverage.keyness(own) >= OWN_WORD, own
    for everyday in ("through", "let", "our", "between"):
        assert coverage.keyness(everyday) < OWN_WORD, everyday


def test_a_knot_in_a_thing_told_in_everyday_words_is_declined_quoting_nothing(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("there's a big knot in the oak top of my table, will it crack through?")
    assert "don't cover" in ans.body and not ans.citations, ans.body
    assert '"oak"' in ans.body, ans.body
    # Named as timber ("plank"), the scope guard refuses it before the answer stage.
    plank = pipeline.answer("there's a big knot in the oak plank of my table, will it crack?")
    assert plank.triage.level == "out_of_scope" and not plank.citations
    # The same everyday words around a knot in the neck leave it answered.
    kept = pipeline.answer("why does my neck get knots after a long day at the desk?")
    _check_faithful(kept, _headings(pipeline))
    assert kept.citations and "don't cover" not in kept.body, kept.body


def test_something_taken_by_its_name_goes_to_a_pharmacist(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("is it alright to take naproxen with breakfast for the knot in my neck?")
    assert "pharmacist" in ans.body and '"naproxen"' in ans.body and not ans.citations, ans.body
    assert taken("the most naproxen I can take", ["naproxen"])
    assert not taken("take a break and try naproxen-free days", ["ibuprofen"])


def test_a_decline_names_what_the_question_asks_about() -> None:
    ask = Ask(question="is a sauna good for knots?", absent=("sauna",))
    assert decline_note(ask, ()) == DECLINE.format(subject='"sauna"')
    assert decline_note(Ask(question="why?"), ()) == NOT_COVERED
    assert decline_note(None, ()) == NOT_COVERED
    pills = decline_note(Ask(question="how many pills a day?"), ())
    assert pills == MEDICINES and is_connective(pills)
    named = decline_note(Ask(question="can I take naproxen?"), ["naproxen"])
    assert named.startswith('The articles don\'t cover "naproxen"') and is_connective(named)


def test_stretched_emphasis_is_not_a_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    coverage = pipeline.live.index.coverage
    assert "sooo" not in absent_subjects("why do I get sooo many knots?", coverage)


def test_a_figure_the_articles_never_give_is_named_for_what_they_do_discuss(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.answer import topic_of
    from rag.answer.aspect import asked_aspect, missing_aspect

    assert asked_aspect("is a heating pad expensive?") == "prices"
    assert asked_aspect("how warm should the towel be?") == "temperatures"
    assert asked_aspect("how many reps of the chin exercise?") == "how many"
    assert asked_aspect("how long do I hold it?") == "how long"
    assert asked_aspect("how much pressure should I use?") == ""  # an amount, not a price
    assert asked_aspect("how many knots can a person have?") == ""
    chunks = list(pipeline.live.index.chunks.values())
    coverage, topic = pipeline.live.index.coverage, topic_of(chunks)
    assert missing_aspect("is a heating pad expensive?", chunks, coverage, topic) == \
        ("prices", ["heating", "pad"])
    assert is_connective(ASPECT.format(aspect="prices", subject='"heating" or "pad"'))
    # A figure the articles do give next to the subject is not called missing.
    assert missing_aspect("how long should I hold the ear to shoulder stretch?", chunks,
                          coverage, topic) == ("", [])
    # "Repeat it on the other side" and "daily activities" give no frequency.
    assert missing_aspect("how many times a day should I do the chin exercise?", chunks,
                          coverage, topic)[0] == "how often"
    # The person's own figure, told beside the question, is not asked for.
    assert asked_aspect("is cycling ok for my knots? I ride 4 times a week") == ""
    assert asked_aspect("can I stretch 3 times a day") == "how often"
    # "daily" before the word it describes asks for no frequency; as an adverb it does.
    assert asked_aspect("what sort of daily habit keeps the tightness away?") == ""
    assert asked_aspect("is it fine to do the chin tuck daily?") == "how often"
    # "how much is a ..." asks what it costs; "how much is it meant to ache" does not.
    assert asked_aspect("how much is an hour of therapy at the clinic?") == "prices"
    assert asked_aspect("how much is it meant to ache after a session?") == ""


def test_after_a_safety_verdict_a_condition_the_articles_never_discuss_is_named() -> None:
    ask = Ask(question="is massage ok when pregnant?", unspoken=("pregnant",))
    intro = verdict_intro(ask, (), emergency=False)
    assert intro == 'The articles don\'t mention "pregnant".\n\nWhat the articles say:'
    assert is_connective(intro.split("\n")[0])
    assert verdict_intro(ask, (), emergency=True) == \
        "What the articles say about when to get help:"
    assert verdict_intro(Ask(question="why?"), (), emergency=False) == "What the articles say:"


def test_what_a_question_sets_aside_is_not_what_it_asks_for() -> None:
    from rag.answer.subject import set_aside

    topic = frozenset({"knot", "knots", "neck"})
    assert set_aside("Other than heat and ice, what else eases it?", topic) == {"heat", "ice"}
    assert set_aside("is there a stretch besides the chin one? I forgot it", topic) == {"chin"}
    # The topic and the body are what every sentence is about: never set aside.
    assert set_aside("apart from the neck, where else do knots form?", topic) == frozenset()
    assert set_aside("how do I stretch my neck?", topic) == frozenset()


def test_words_pointing_at_the_articles_are_no_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    coverage = pipeline.live.index.coverage
    question = "In the second article's stretching section, what does the author say about yoga?"
    absent = absent_subjects(question, coverage)
    assert not {"article", "section", "author"} & set(absent)
    assert "yoga" in absent  # what it asks about is still named
