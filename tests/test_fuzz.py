"""Fuzzing, bounded: every entry point answers or gives a one-line error, never a traceback
or a hang; `knotbot fuzz` (make bench) runs the full 1,000 + 200."""

from __future__ import annotations

import os
from typing import Any

from rag.fuzz import fuzz_answer, fuzz_app, fuzz_jsonl, jsonl_lines
from rag.settings import PROJECT_DIR, Settings

from .chroma_server import free_port


def test_rag_answer_survives_generated_input(pipeline: Any) -> None:
    tally = fuzz_answer(pipeline.answer, count=80, seconds=90)
    print(tally.line())
    assert tally.total >= 20 and tally.clean, tally.tracebacks[:3]


def test_jsonl_writes_one_object_per_line(built_index: Settings) -> None:
    lines = jsonl_lines(60)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTBOT_")}
    env.update(KNOTBOT_DATA_DIR=str(built_index.data_dir), HF_HUB_OFFLINE="1",
               KNOTBOT_CACHE_DIR=os.environ["KNOTBOT_CACHE_DIR"], PYTHONPATH=str(PROJECT_DIR))
    tally = fuzz_jsonl(lines, env, timeout=400)
    print(tally.line())
    assert tally.total == len(lines) >= 30 and tally.clean, tally.tracebacks[:3]


def test_app_api_survives_generated_input(pipeline: Any) -> None:
    from ui.app import build_app

    port = free_port()
    app = build_app(pipeline, stream_delay=0)
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        tally = fuzz_app(f"http://127.0.0.1:{port}/", count=25, seconds=120)
    finally:
        app.close()
    print(tally.line())
    assert tally.total >= 10 and tally.clean, tally.tracebacks[:3]
