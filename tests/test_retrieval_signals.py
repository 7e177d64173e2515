"""The retrieval signals beyond one vector per chunk: late interaction, the word table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.late import LateIndex
from rag.wordtable import load_word_table, table_path


class CountingEmbeddings(Embeddings):
    """The real model, counting how many texts it was asked to embed."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.texts = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.texts += 1
        return self.inner.embed_query(text)


def test_the_word_table_is_embedded_once_then_read_from_disk(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    model = CountingEmbeddings(embeddings)
    first = load_word_table(tmp_path, "m", 60, model)
    assert first is not None and len(first.words) == 60 and model.texts == 60
    again = load_word_table(tmp_path, "m", 60, model)
    assert again is not None and model.texts == 60, "the second load must not call the model"
    assert again.words == first.words
    assert np.allclose(again.vectors, first.vectors, atol=2e-3)  # stored as float16


def test_a_damaged_word_table_is_rebuilt(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    path = table_path(tmp_path, "m", 20)
    path.write_bytes(b"not a numpy file")
    table = load_word_table(tmp_path, "m", 20, embeddings)
    assert table is not None and len(table.words) == 20
    assert load_word_table(tmp_path, "m", 0, embeddings) is None


def test_late_interaction_weighs_rare_pieces_and_finds_their_chunk(pipeline, embeddings) -> None:  # type: ignore[no-untyped-def]
    late = pipeline.retriever.late
    assert isinstance(late, LateIndex) and len(late.chunks) == len(pipeline.chunks)
    scores = late.scores(embeddings.tokens("how do I hook a cane over my shoulder?"))
    best = pipeline.chunks[max(scores, key=scores.__getitem__)].page_content
    assert "cane" in best.lower()
    # "knot" is in most chunks, "cane" in few: the rare piece weighs more.
    ids = embeddings.model.tokenizer("cane knot")["input_ids"][1:-1]
    weights = late.weights(np.array(ids))
    assert weights[0] > weights[1]


def test_everyday_words_find_the_passage_written_in_the_articles_words(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I get really anxious before exams and my shoulders lock up, "
                          "is that related?")
    assert ans.citations[0].section == "Stress and Anxiety"
    ans = pipeline.answer("how many seconds do I keep pushing on the sore spot?")
    assert any("30 to 90 seconds" in c.text for c in ans.citations)
