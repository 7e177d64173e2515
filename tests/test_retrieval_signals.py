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
    # Only the probe word that checks the file was made by this model is embedded again.
    assert again is not None and model.texts == 61, "the second load re-embedded the table"
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
    weights = late.weights(embeddings.tokens("cane knot").ids)
    assert weights[0] > weights[1]


def test_late_interaction_finds_the_passage_one_vector_per_chunk_misses(pipeline) -> None:  # type: ignore[no-untyped-def]
    # Without late interaction the 30-to-90-seconds passage ranks sixth, outside the four
    # passages the answer is built from; a broken late signal drops it again.
    ans = pipeline.answer("how many seconds do I keep pushing on the sore spot?")
    assert any("30 to 90 seconds" in c.text for c in ans.citations)


def test_an_empty_or_cut_word_table_is_rebuilt(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    good = load_word_table(tmp_path, "m", 20, embeddings)
    assert good is not None
    path = table_path(tmp_path, "m", 20)
    for damage in (b"", path.read_bytes()[:100]):
        path.write_bytes(damage)
        again = load_word_table(tmp_path, "m", 20, embeddings)
        assert again is not None and again.words == good.words


def test_a_table_made_by_another_model_is_not_used(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    path = table_path(tmp_path, "m", 20)
    table = load_word_table(tmp_path, "m", 20, embeddings)
    assert table is not None
    np.savez(path, words=np.array(table.words),
             vectors=np.roll(table.vectors, 1, axis=0).astype(np.float16))
    again = load_word_table(tmp_path, "m", 20, embeddings)
    assert again is not None and np.allclose(again.vectors, table.vectors, atol=2e-3)


def test_the_word_table_gives_what_the_model_gives(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    from rag.coverage import Coverage

    texts = ["Anxiety and a hard workout can tighten the neck; drink water, rest and stretch."]
    table = load_word_table(tmp_path, "m", 3000, embeddings)
    with_table = Coverage(texts, embeddings, table=table)
    without = Coverage(texts, embeddings)
    assert table is not None
    words = [w for w in ("anxious", "gym", "exercise", "relax", "tired", "worried", "phone",
                         "sport", "drink") if w in table.index()]
    assert len(words) >= 4
    for w in words:
        a, b = with_table.nearest([w])[w], without.nearest([w])[w]
        assert a[0] == b[0] and abs(a[1] - b[1]) < 3e-3, (w, a, b)


def test_the_reranker_reorders_only_the_passages_fusion_chose(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.evaluate.retrieval import tuned

    r = pipeline.retriever
    assert r.reranker is not None and r.reranker.depth == 4
    questions = ["are knots actually knotted muscle", "does stress cause knots",
                 "how hard should i press on a trigger point", "what exactly is a knot"]
    moved = 0
    for question in questions:
        with tuned(r, k=10, fetch_k=12):
            on = [d.id for d in r.invoke(question)]
            with tuned(r, reranker=None):
                off = [d.id for d in r.invoke(question)]
        assert set(on[:4]) == set(off[:4]) and on[4:] == off[4:], question
        moved += on != off
    assert moved >= 2, "the reranker changed no order"


def test_reranking_puts_the_passage_that_answers_first(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag.evaluate.retrieval import tuned

    question = "are knots actually knotted muscle"
    first = pipeline.retriever.invoke(question)[0].page_content
    assert "not actual knots" in first, first[:120]
    with tuned(pipeline.retriever, reranker=None):
        assert "not actual knots" not in pipeline.retriever.invoke(question)[0].page_content


def test_the_reranker_leaves_what_it_cannot_judge_alone(pipeline) -> None:  # type: ignore[no-untyped-def]
    from langchain_core.documents import Document

    rr = pipeline.retriever.reranker
    docs = [Document(id=cid, page_content=d.page_content, metadata={"score": 1.0 - n / 10})
            for n, (cid, d) in enumerate(list(pipeline.chunks.items())[:6])]
    assert rr.compress_documents([], "how long do I hold pressure?") == []
    assert rr.compress_documents(docs[:1], "how long do I hold pressure?") == docs[:1]
    same = [docs[0], docs[0], docs[1]]  # one passage twice: no sound order to give
    assert rr.compress_documents(same, "how long do I hold pressure?") == same
    out = rr.compress_documents(docs, "how long do I hold pressure?")
    assert out[4:] == docs[4:] and sorted(d.id for d in out[:4]) == sorted(d.id for d in docs[:4])


def test_turning_late_fusion_off_keeps_the_reranker(built_index, embeddings) -> None:  # type: ignore[no-untyped-def]
    from rag.pipeline import KnotbotPipeline

    off = KnotbotPipeline(built_index.model_copy(update={"fusion_late_weight": 0.0}),
                          embeddings=embeddings)
    assert off.retriever.late_weight == 0.0 and off.retriever.reranker is not None
    short = KnotbotPipeline(built_index.model_copy(update={"retrieval_k": 2}),
                            embeddings=embeddings)
    assert short.retriever.reranker is not None and short.retriever.reranker.depth == 2


def test_a_sentences_late_score_does_not_depend_on_what_was_scored_before() -> None:
    """A question's best match in each text is kept for its later calls: a text scored
    again, alone, in a group or beside others, scores what a fresh index gives it (to
    the last bits BLAS may sum differently beside other texts)."""
    from rag.embeddings import TokenVectors

    rng = np.random.default_rng(7)

    def text(n: int) -> TokenVectors:
        v = rng.standard_normal((n, 384)).astype(np.float32)
        return TokenVectors(ids=rng.integers(1000, 1100, n),
                            vectors=(v / np.linalg.norm(v, axis=1, keepdims=True)).astype(
                                np.float16))

    chunks = {f"c{i}": text(int(rng.integers(3, 30))) for i in range(40)}
    query, other = text(9), text(5)
    texts = list(chunks.values())
    kept = LateIndex(chunks)
    first = kept.score_texts(query, texts[:25])
    kept.score_texts(other, texts)
    later = kept.score_texts(query, texts[10:] + texts[:3])
    grouped = kept.score_groups(query, [[texts[1], texts[30]], [texts[2]], []])
    each = kept.score_each([query, other], texts[5:15])

    def close(a: list[float], b: list[float]) -> bool:
        return len(a) == len(b) and np.allclose(a, b, rtol=0, atol=1e-6)

    assert close(later, LateIndex(chunks).score_texts(query, texts[10:] + texts[:3]))
    assert close(first, LateIndex(chunks).score_texts(query, texts[:25]))
    assert close(grouped, LateIndex(chunks).score_groups(
        query, [[texts[1], texts[30]], [texts[2]], []]))
    assert grouped[2] == 0.0 and grouped[0] >= first[1] - 1e-6 and \
        abs(grouped[1] - first[2]) < 1e-6
    assert all(close(e, LateIndex(chunks).score_texts(q, texts[5:15]))
               for e, q in zip(each, (query, other), strict=True))
    assert len(set(first)) == len(first)  # the texts really differ
