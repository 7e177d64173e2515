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
