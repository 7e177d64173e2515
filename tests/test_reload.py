"""A running app keeps answering when `knotbot ingest` rebuilds the index under it."""

from __future__ import annotations

from pathlib import Path

from rag.ingest import ingest
from rag.pipeline import KnotbotPipeline
from rag.settings import Settings


def test_answers_survive_rebuilds_under_a_running_pipeline(tmp_path: Path,
                                                           embeddings) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data")
    load = lambda _s: embeddings  # noqa: E731
    ingest(settings, load_embeddings=load)
    pipeline = KnotbotPipeline(settings, embeddings=embeddings)
    question = "how long should I hold pressure on a knot?"
    assert pipeline.answer(question).citations
    ingest(settings, rebuild=True, load_embeddings=load)  # the old version is kept
    assert pipeline.answer(question).citations
    ingest(settings, rebuild=True, load_embeddings=load)  # now the one in use is gone
    again = pipeline.answer(question)
    assert again.citations and "couldn't search" not in again.answer
    red_flag = pipeline.answer("I have a fever and a stiff neck, can I massage it?")
    assert red_flag.triage.level == "emergency"


def test_a_question_answered_during_a_reload_uses_one_index_version(
        tmp_path: Path, corpus_copy: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    """Re-ingesting while a question is between retrieval and composing: the answer is
    composed from the version it retrieved from (no mix), the next question sees the new."""
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus_copy)
    load = lambda _s: embeddings  # noqa: E731
    ingest(settings, load_embeddings=load)
    pipeline = KnotbotPipeline(settings, embeddings=embeddings)
    question = "how long should I hold pressure on a knot?"
    before = pipeline.answer(question)
    assert "30 to 90 seconds" in before.body  # quoted from the article

    article = corpus_copy / "how-to-massage-neck-knots.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "held for 30 to 90 seconds", "held for 20 to 60 seconds"), encoding="utf-8")
    ingest(settings, load_embeddings=load)

    retrieve = pipeline._retrieve_step

    def retrieve_then_reload(state):  # type: ignore[no-untyped-def]
        out = retrieve(state)
        pipeline.reload()  # what the app does when it notices a new index version
        return out

    pipeline._retrieve_step = retrieve_then_reload  # type: ignore[method-assign]
    pipeline.chain = pipeline._build_chain()
    during = pipeline.answer(question)
    assert during.answer == before.answer and during.citations == before.citations

    after = pipeline.answer(question)
    assert "20 to 60 seconds" in after.body and "30 to 90" not in after.body

    # The scope guard reads the new articles' sentences instead of piling them on the old.
    rows = pipeline.safety.semantic._scope_matrix.shape[0]
    pipeline.reload()
    assert pipeline.safety.semantic._scope_matrix.shape[0] == rows
    assert rows == len(pipeline.safety.semantic._scope_examples) + len(
        pipeline.index.sentence_vectors)

    # Questions that failed on a snapshot another one already replaced cause no reload.
    current = pipeline.index
    pipeline.reload(stale=object())  # type: ignore[arg-type]
    assert pipeline.index is current
