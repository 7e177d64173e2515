"""A reload never runs inside a person's request: it is built beside the serving index."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

import rag.live
from rag.ingest import ingest
from rag.pipeline import KnotbotPipeline
from rag.settings import Settings

RED_FLAG = "I have a fever and my neck is very stiff, can I massage it?"
QUESTION = "how long should I hold pressure on a knot?"


def test_questions_are_answered_while_a_reload_is_built(
        tmp_path: Path, corpus_copy: Path, embeddings: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus_copy)
    ingest(settings, load_embeddings=lambda _s: embeddings)
    pipeline = KnotbotPipeline(settings, embeddings=embeddings)
    article = corpus_copy / "how-to-massage-neck-knots.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "held for 30 to 90 seconds", "held for 20 to 60 seconds"), encoding="utf-8")
    ingest(settings, load_embeddings=lambda _s: embeddings)
    t0 = time.monotonic()  # a running app has answered before: warm, as it would be
    assert pipeline.answer("I suddenly have the worst headache of my life").triage.level \
        == "emergency"
    before = time.monotonic() - t0

    building = threading.Event()
    real_load = rag.live.load_index

    def slow_load(*args: Any) -> Any:  # a big index takes long to build (97 s at 1,692)
        building.set()
        time.sleep(6.0)
        return real_load(*args)

    monkeypatch.setattr(rag.live, "load_index", slow_load)
    pipeline.live.refresh_soon(now=True)
    assert building.wait(30), "the reload never started"
    t0 = time.monotonic()
    red = pipeline.answer(RED_FLAG)
    took = time.monotonic() - t0
    assert red.triage.level == "emergency" and took < 1.0, f"{took:.2f} s"
    during = pipeline.answer(QUESTION)  # from the serving version, its vectors in memory
    assert "30 to 90 seconds" in during.body and "search the articles" not in during.answer
    print(f"red flag during a reload: {took * 1000:.0f} ms (another one before it: "
          f"{before * 1000:.0f} ms)")

    deadline = time.monotonic() + 120
    while "20 to 60 seconds" not in pipeline.answer(QUESTION).body:
        assert time.monotonic() < deadline, "the new index was never swapped in"
        time.sleep(0.5)
