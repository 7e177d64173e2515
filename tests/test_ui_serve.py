"""`knotbot serve` with no index: the page explains how to build it instead of failing."""

from __future__ import annotations

from pathlib import Path

from rag.settings import Settings
from ui import handlers
from ui.serve import UnavailablePipeline, load_pipeline


def test_missing_index_is_explained_in_the_chat(tmp_path: Path) -> None:
    pipeline = load_pipeline(Settings(data_dir=tmp_path / "nothing-here"))
    assert isinstance(pipeline, UnavailablePipeline)
    *_, last = handlers.respond(pipeline, "how do I stretch my neck?", [])  # type: ignore[arg-type]
    chat = str(last[0])
    assert "knotbot ingest" in chat and "Traceback" not in chat


def test_missing_index_is_explained_on_the_forms(tmp_path: Path) -> None:
    pipeline = load_pipeline(Settings(data_dir=tmp_path / "nothing-here"))
    shown = handlers.signs_result(pipeline, ["numbness"])  # type: ignore[arg-type]
    assert "knotbot ingest" in shown
