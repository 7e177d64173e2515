"""The answer stage: replies shaped like the question, built from the articles' structure,
free of filler, and honest about what the articles don't mention."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.filler import brand, filler_table
from rag.answer.render import is_connective, parse_body, unquoted_lines
from rag.answer.shape import classify
from rag.chunking import ChunkSpec, body_of, chunk_article, passage_sentences, split_sentences
from rag.corpus import parse_article
from rag.models import Turn
from rag.settings import PROJECT_DIR


def _corpus_chunks():  # type: ignore[no-untyped-def]
    return [d for p in sorted((PROJECT_DIR / "corpus").glob("*.md"))
            for d in chunk_article(parse_article(p.name, p.read_text(encoding="utf-8")),
                                   ChunkSpec())]


@pytest.mark.parametrize(("question", "shape"), [
    ("what's a trigger point?", "definition"),
    ("why does my shoulder keep seizing up?", "cause"),
    ("what can I do to make this go away?", "relief_list"),
    # Asked for all of it: the list, whatever words ask for it.
    ("list anything that works on a stiff trap knot", "relief_list"),
    ("what are all your best methods for a sore shoulder?", "relief_list"),
    ("how should I knead the muscle?", "technique"),
    ("how many times a day should I stretch?", "duration"),
    ("can I do this at work?", "yes_no"),
    ("which muscle is it in?", "where"),
    ("at what point do I need a doctor for this?", "see_doctor"),
    ("is a cold pack better than a warm one or the other way round?", "comparison"),
    # Read from the sentences that ask, not the story before them.
    ("My osteopath kept saying 'trigger point'. What actually is one?", "definition"),
    ("I sit at a till all day. Wat even is a knot, like physically?", "definition"),
    ("Physio mentioned ischemic compression. What does it involve?", "definition"),
    ("The ache stops me sleeping. Is that enough to see a doctor?", "see_doctor"),
    ("I lift crates over my head all day. Could that be causing these?", "cause"),
])
def test_the_question_shape_follows_its_wording(question: str, shape: str) -> None:
    assert classify(question) == shape


def test_filler_is_found_by_rule_over_every_corpus_sentence() -> None:
    chunks = _corpus_chunks()
    table = filler_table(chunks)
    sentences = [s for d in chunks for s in split_sentences(body_of(d).replace("\n", " "))]
    # A small share of the articles, never the short answer under an FAQ heading.
    assert 0 < len(table) <= len(sentences) // 4
    parents = {d.metadata["parent"] for d in chunks}
    for d in chunks:  # a question answered in prose (not a list's heading, not an advert)
        name = brand(d.metadata["publisher"])
        if d.metadata.get("question") and d.metadata["section"] not in parents \
                and not (name and name in d.metadata["section"]):
            first = split_sentences(body_of(d).replace("\n", " "))[0]
            assert first not in table, first
    reasons = set(table.values())
    assert {"writer's voice", "list introduction", "advertising", "slogan"} <= reasons
    # What the articles teach is kept: every sentence with a number of seconds.
    assert not [s for s in table if "seconds" in s]


def test_chunks_keep_the_heading_they_sit_under() -> None:
    chunks = _corpus_chunks()
    parents = {d.metadata["section"]: d.metadata["parent"] for d in chunks}
    assert parents["Apply Heat/Ice"].startswith("How to Get Relief")
    assert parents["Stress and Anxiety"].startswith("What are the Causes")
    assert all(d.metadata["publisher"] is not None for d in chunks)


def _check_faithful(ans, headings: set[str]) -> None:  # type: ignore[no-untyped-def]
    cited = {c.n: c for c in ans.citations}
    for q in parse_body(ans.body):
        assert q.n in cited and q.sentence and q.sentence in cited[q.n].text, q
        assert not q.label or q.label in headings, q.label
    for line in unquoted_lines(ans.body):
        assert is_connective(line) or "don't cover" in line, line


def _headings(pipeline) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(d.metadata.get(k) or "") for d in pipeline.chunks.values()
            for k in ("section", "parent")} - {""}


def test_a_broad_how_do_i_get_rid_of_it_gets_the_articles_list(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("how do I get rid of a knot in my neck?")
    _check_faithful(ans, _headings(pipeline))
    items = [line for line in ans.body.split("\n") if line.startswith("- **")]
    assert len(items) >= 3, ans.body
    labels = list(dict.fromkeys(q.label for q in parse_body(ans.body) if q.label))
    assert labels[:2] == ["Apply Heat/Ice", "Neck Stretches"], labels  # the article's order
    assert "say goodbye to pain" not in ans.body and "listen to your body" not in ans.body


def test_a_narrow_question_gets_the_sentence_that_answers_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("how long should I hold the pressure?")
    _check_faithful(ans, _headings(pipeline))
    assert "30 to 90 seconds" in ans.body
    assert "15-30 seconds" not in ans.body and len(parse_body(ans.body)) <= 2


def test_what_is_a_knot_never_ends_on_a_cut_off_list(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("what is a knot?")
    assert "several potential culprits" not in ans.body and "Some of them are" not in ans.body
    assert "Here, we will explore" not in ans.body


def test_a_subject_the_articles_never_mention_is_named(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("is a standing desk good for neck knots?")
    _check_faithful(ans, _headings(pipeline))
    assert "don't mention \"standing\"" in ans.body, ans.body


def test_a_figure_the_articles_give_only_for_something_else_is_not_passed_off(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("how long should I keep the heat on my neck?")
    _check_faithful(ans, _headings(pipeline))
    assert ans.body.startswith('The articles don\'t cover how long for "heat"'), ans.body
    # A figure they do give for what is asked is quoted without that line.
    held = pipeline.answer("how many seconds do I keep pushing on the sore spot?")
    assert "don't cover" not in held.body and "30 to 90 seconds" in held.body, held.body


def test_a_lists_items_are_quotable_sentences(pipeline) -> None:  # type: ignore[no-untyped-def]
    chunks = _corpus_chunks()
    listed = [d for d in chunks if "\n- " in body_of(d)]
    assert listed
    for d in listed:  # each item whole and verbatim, never run into its introduction
        items = [line[2:] for line in body_of(d).split("\n") if line.startswith("- ")]
        sentences = passage_sentences(body_of(d))
        assert set(items) <= set(sentences) and all(s in d.page_content for s in sentences)
    ans = pipeline.answer("when should I see a doctor for a neck knot?")
    _check_faithful(ans, _headings(pipeline))
    assert "- Excessive swelling and redness. [1]" in ans.body, ans.body


def test_a_knot_of_another_kind_gets_no_quote(pipeline) -> None:  # type: ignore[no-untyped-def]
    for question in ("how do I get the knots out of my dog's fur?",
                     "how do I sort out a knot in my calf?"):
        ans = pipeline.answer(question)
        assert not ans.citations and "don't cover" in ans.answer, (question, ans.answer)
    # Another body part's knot is refused, and the part is named.
    ans = pipeline.answer("I have a knot in my lower back from lifting boxes, how do I fix it?")
    assert ans.triage.level == "out_of_scope" and not ans.citations
    assert "don't cover knots in the lower back" in ans.answer, ans.answer


def test_a_knot_under_the_skin_or_pressed_by_hand_is_still_a_neck_knot(pipeline) -> None:  # type: ignore[no-untyped-def]
    for question in ("how do I find a knot under the skin of my neck by feel?",
                     "what does a knot feel like under the fingers?",
                     "is a massage cane better than my hands for a knot?"):
        assert pipeline.answer(question).triage.level != "out_of_scope", question


def test_a_follow_up_is_about_the_earlier_tool_and_does_not_repeat(pipeline) -> None:  # type: ignore[no-untyped-def]
    first = pipeline.answer("how do I use a tennis ball on a knot?")
    history = [Turn(role="user", content="how do I use a tennis ball on a knot?"),
               Turn(role="assistant", content=first.answer)]
    ans = pipeline.answer("how long should I hold it?", history)
    assert "several seconds" in ans.body, ans.body
    said = {q.sentence for q in parse_body(first.body)}
    assert not said & {q.sentence for q in parse_body(ans.body)} - {
        q.sentence for q in parse_body(ans.body) if "several seconds" in q.sentence}


def test_the_sample_set_scores_through_answer_check(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.evaluate.answers import run_answer_check

    n = run_answer_check(pipeline, Path(PROJECT_DIR / "evals" / "answers_sample"))
    assert n.useful.den == 12 and n.uncovered_ok.den == 8 and n.other_refused.den == 5
    assert n.quotes_found.num == n.quotes_found.den and n.markers_resolved.num == \
        n.markers_resolved.den and n.labels_are_headings.num == n.labels_are_headings.den


def test_the_eval_report_counts_usefulness_per_shape_and_declines() -> None:
    from rag.evaluate.answers import shape_columns
    from rag.evaluate.data import Case, RetrievalQuestion
    from rag.models import Answer, Triage

    def answer(text: str, level: str = "self_care") -> Answer:
        return Answer(question="q", triage=Triage(level=level), answer=text, body=text)  # type: ignore[arg-type]

    qs = [RetrievalQuestion("a", "how long should I hold it?", "s", "x", "30 to 90 seconds",
                            False),
          RetrievalQuestion("b", "what is a knot?", "s", "x", "a contraction", False)]
    unc = [Case("set:u", "u", "what pillow?"), Case("set:u", "v", "is yoga good?")]
    answers = {("set", "a"): answer("held for 30 to  90 Seconds [1]"),
               ("set", "b"): answer("The articles don't cover that."),
               ("set:u", "u"): answer('The articles don\'t mention "pillow", so this may not '
                                      'answer your question. What they say nearby:\nX. [1]'),
               ("set:u", "v"): answer("Knots are common. [1]")}
    header, rows = shape_columns(answers, {"set": ("set", qs, unc)})
    figures = {r[0]: r[1] for r in rows}
    assert header == ["figure", "set"]
    assert figures["usefulness: key phrase in the answer"] == "50.0% (1/2)"
    assert figures["  duration"] == "100.0% (1/1)" and figures["  definition"] == "0.0% (0/1)"
    assert figures["uncovered: declined or named"] == "50.0% (1/2)"
    assert figures["answerable wrongly declined"] == "50.0% (1/2)"


def test_a_partial_answer_naming_a_term_is_not_counted_as_a_decline() -> None:
    from rag.evaluate.answers import declined
    from rag.models import Answer, Citation, Triage

    partial = ('The articles don\'t cover "bruxism". A doctor or pharmacist can tell you '
               'more about it.\n\nOn the rest of your question, the articles say: '
               'Knots are common. [1]')
    cited = [Citation(n=1, source="a.md", title="t", section="s", text="Knots are common.",
                      score=0.5)]
    quoted = Answer(question="q", triage=Triage(level="self_care"), answer=partial,
                    body=partial, citations=cited)
    assert not declined(quoted)
    # The same words with nothing quoted, or a refusal, are declines.
    outright = 'The articles don\'t cover "bruxism", so I can\'t answer that from them.'
    assert declined(Answer(question="q", triage=Triage(level="self_care"), answer=outright,
                           body=outright))
    assert declined(Answer(question="q", triage=Triage(level="out_of_scope"), answer="Sorry."))


def test_an_uncovered_subject_counts_as_named_in_any_form_of_its_words_and_only_then() -> None:
    from rag.evaluate.answers import names_subject
    from rag.models import Answer, Triage

    def said(body: str) -> Answer:
        return Answer(question="q", triage=Triage(level="self_care"), answer=body, body=body)

    singular = said('The articles don\'t cover "dog", so I can\'t answer that from them.')
    assert names_subject(singular, "dogs")  # too short for the first five letters
    assert names_subject(said('The articles don\'t mention "pillows".'), "pillow height")
    # A form of the subject's word must be what is named, not anywhere in the line.
    other = said('The articles don\'t mention "weekend", so this may not answer your question.')
    assert not names_subject(other, "tournament play")
    assert not names_subject(said("Knots are common in dogs. [1]"), "dogs")  # not a naming
