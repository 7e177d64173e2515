"""`knotbot serve` with no index: safety still answers, and the page says how to build it."""

from __future__ import annotations

from pathlib import Path

from rag.settings import Settings
from ui import handlers
from ui.serve import load_pipeline


def test_missing_index_is_explained_in_the_chat(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    pipeline = load_pipeline(Settings(data_dir=tmp_path / "nothing-here"), embeddings=embeddings)
    *_, last = handlers.respond(pipeline, "how do I stretch my neck?", [])  # type: ignore[arg-type]
    chat, notice = str(last[0]), str(last[2])
    assert "search the articles right now" in chat
    assert "safety advice above still stands" not in chat  # there is none above
    assert "knotbot ingest" in notice and "Traceback" not in chat + notice
    *_, last = handlers.respond(pipeline, "I have a fever and my neck is very stiff", [])  # type: ignore[arg-type]
    assert "Emergency" in str(last[0]) and "knotbot ingest" in str(last[2])


def test_missing_index_leaves_the_checkers_working(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    pipeline = load_pipeline(Settings(data_dir=tmp_path / "nothing-here"), embeddings=embeddings)
    shown = handlers.signs_result(pipeline, ["numbness"])  # type: ignore[arg-type]
    # Nerve signs: red-flags.md allows "urgent or see_doctor"; Knotbot takes the more cautious.
    assert "Urgent: get medical care today" in shown and "Traceback" not in shown
    pressed = handlers.press_result(pipeline, "front_of_neck", "sharp_pain", [])  # type: ignore[arg-type]
    assert "Do not press" in pressed
