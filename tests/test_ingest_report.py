"""Ingest reports count what is really indexed and repeat every warning, every run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from rag.ingest import describe, ingest
from rag.settings import PROJECT_DIR, Settings
from rag.store import connect, open_active

BAD_YAML = ("---\ntitle: [never closed\npublisher: x\n---\n\n# Rolling a knot\n\n"
            "Rolling a tennis ball against a wall eases a knot between the shoulder blades.\n")
UNCLOSED = ('---\ntitle: "Knots"\npublisher: null\n\n# Knots\n\n'
            "Knots in the upper back ease with rest and gentle stretching over a few days.\n")


def test_every_run_counts_the_indexed_files_and_repeats_each_warning(
        settings: Settings, corpus_copy: Path, embeddings: Any) -> None:
    (corpus_copy / "latin.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (corpus_copy / "bad-yaml.md").write_text(BAD_YAML, encoding="utf-8")
    (corpus_copy / "unclosed.md").write_text(UNCLOSED, encoding="utf-8")
    first = ingest(settings, corpus_copy, load_embeddings=lambda _s: embeddings)
    assert "indexed 3 of 5 files" in describe(first)
    assert any("latin.txt is not UTF-8" in s for s in first.skipped)
    assert any("unclosed.md" in s and "never closes" in s for s in first.skipped)
    assert any("bad-yaml.md" in w and "not valid YAML" in w for w in first.warnings)

    col, _ = open_active(connect(settings), settings)
    stored = col.get(include=["documents", "metadatas"])
    assert "unclosed.md" not in {str(m["source"]) for m in stored["metadatas"] or []}
    assert not any("publisher" in d for d in stored["documents"] or [])

    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTBOT_")}
    env.update(KNOTBOT_DATA_DIR=str(settings.data_dir), KNOTBOT_CORPUS_DIR=str(corpus_copy),
               HF_HUB_OFFLINE="1")
    again = subprocess.run([sys.executable, "-m", "rag", "ingest"], capture_output=True,
                           text=True, env=env, timeout=300, cwd=PROJECT_DIR)
    assert again.returncode == 0, again.stderr
    assert "index up to date: 3 of 5 files indexed" in again.stdout
    warnings = [w for w in again.stderr.splitlines() if w.startswith("warning: ")]
    assert len(warnings) == 3, again.stderr  # the same three, repeated
