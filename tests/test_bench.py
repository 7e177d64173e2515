"""`knotbot bench` leaves the real cache as it found it."""

from __future__ import annotations

from pathlib import Path

from rag import artefacts
from rag.bench import own_cache
from rag.settings import Settings


def test_the_benchs_versions_never_prune_the_real_indexs_derived_data(tmp_path: Path) -> None:
    shared = tmp_path / "cache"
    (shared / "derived" / "knotbot_v1-f1-x").mkdir(parents=True)
    (shared / "onnx-abc").mkdir()
    (shared / "onnx-abc" / "model.onnx").write_bytes(b"model")
    own = own_cache(shared, tmp_path / "work")
    assert (own / "onnx-abc" / "model.onnx").read_bytes() == b"model"  # nothing rebuilt
    artefacts.prune(Settings(cache_dir=own), keep=["knotbot_v2"])  # what a bench ingest does
    assert (shared / "derived" / "knotbot_v1-f1-x").is_dir()


def test_the_stand_in_page_answers_every_person_with_the_recorded_answer(tmp_path: Path) -> None:
    """The bench's floor run: the real page around `rag.standin`, asked as its simulated
    people ask, replies to everyone with the recorded answer and no model."""
    from rag.bench import _people, free_port
    from rag.crowd import crowd
    from rag.models import Answer, Triage
    from rag.standin import RecordedPipeline
    from ui.app import build_app

    recorded = Answer(question="q", triage=Triage(level="self_care"),
                      answer="Hold firm pressure for 30 to 90 seconds.")
    app = build_app(RecordedPipeline(recorded), feedback_file=tmp_path / "feedback.jsonl")
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    seen: list[str] = []
    try:
        tally = crowd(f"http://127.0.0.1:{port}/", [(turns, lambda _, reply: bool(
            seen.append(reply)) or True) for turns, _ in _people(2)])
    finally:
        app.close()
    assert (len(tally.times), tally.errors) == (6, [])
    assert all("30 to 90 seconds" in reply for reply in seen)
