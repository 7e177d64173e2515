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
