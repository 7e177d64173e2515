"""The answer stage's topic match reads a bounded number of titles, so a corpus of many
articles does not make every answer score each new sentence against every title."""

from __future__ import annotations

import dataclasses

from langchain_core.documents import Document

from rag.loaded import TOPIC_TITLES


def test_every_title_is_read_when_there_are_few(pipeline) -> None:  # type: ignore[no-untyped-def]
    index = pipeline.index
    titles = {str(d.metadata.get("title") or "") for d in index.chunks.values()} - {""}
    assert 0 < len(titles) <= TOPIC_TITLES
    assert index.topic_titles == sorted(titles)


def test_many_titles_are_cut_to_those_with_the_most_chunks(pipeline) -> None:  # type: ignore[no-untyped-def]
    index = pipeline.index
    real = sorted({str(d.metadata.get("title")) for d in index.chunks.values()})
    extra = {f"extra-{n}": Document(page_content=f"Extra article {n} about neck knots.",
                                    metadata={"title": f"Extra article {n:02d}"})
             for n in range(3 * TOPIC_TITLES)}
    big = dataclasses.replace(index, chunks={**index.chunks, **extra}, topical={}, senses={})
    titles = big.topic_titles
    assert len(titles) == TOPIC_TITLES
    # The real articles (many chunks each) first, then the one-chunk ones by name.
    assert set(real) <= set(titles)
    assert set(titles) - set(real) == {f"Extra article {n:02d}"
                                       for n in range(TOPIC_TITLES - len(real))}
    sentences = list(index.sentence_vectors)[:5]
    assert len(big.topic_match(sentences)) == len(sentences)


def test_the_titles_scored_together_score_as_each_alone(pipeline) -> None:  # type: ignore[no-untyped-def]
    index = pipeline.index
    fresh = dataclasses.replace(index, topical={})
    sentences = [s for sents in index.chunk_sentences.values() for s in sents][:60]
    questions = [*fresh.topic_titles, "how long should I hold the stretch?", ""]
    assert fresh._score_each(questions, sentences) == \
        [fresh.score_sentences(q, sentences) for q in questions]
    # Each sentence's topic match: the mean of its scores against every title alone.
    alone = [fresh.score_sentences(t, sentences) for t in fresh.topic_titles]
    assert fresh.topic_match(sentences) == [sum(v) / len(alone) for v in zip(*alone, strict=True)]
