"""A damaged index (at over 1,000 chunks, so Chroma writes its vector files): `ask` and
`serve` keep safety working without a traceback, and `knotbot ingest` repairs it alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag.ingest import describe, ingest
from rag.pipeline import KnotbotPipeline
from rag.repair import collect_garbage
from rag.settings import PROJECT_DIR, Settings
from rag.store import check_version, connect, open_active
from ui.serve import load_pipeline

from .conftest import CORPUS

RED_FLAG = "I have a fever and my neck is very stiff"
ORDINARY = "What causes knots in the neck and shoulders?"
CANT_SEARCH = "search the articles right now"


class HashEmbeddings:
    """A fast, deterministic stand-in for the model when writing big test indexes."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        seed = int(hashlib.md5(text.encode()).hexdigest()[:8], 16)
        v = np.random.default_rng(seed).normal(size=384)
        return (v / np.linalg.norm(v)).tolist()


def _fake(_s: Settings) -> Any:
    return HashEmbeddings()


def big_corpus(target: Path, copies: int = 40) -> Path:
    """``copies`` numbered copies of each article: 40 make about 1,300 chunks."""
    target.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for src in sorted(CORPUS.glob("*.md")):
            (target / f"{i:02d}-{src.name}").write_text(
                src.read_text(encoding="utf-8") + f"\n\nCopy {i}.\n", encoding="utf-8")
    return target


def _build_elsewhere(settings: Settings) -> int:
    """Ingest in another process, as `knotbot ingest` does: this one must not have the
    files open when they are damaged (a truncated file mapped in memory crashes Chroma)."""
    code = ("import sys; from pathlib import Path; from rag.ingest import ingest; "
            "from rag.settings import Settings; from tests.test_repair import _fake; "
            "s = Settings(data_dir=Path(sys.argv[1]), corpus_dir=Path(sys.argv[2])); "
            "print(ingest(s, load_embeddings=_fake).chunks)")
    done = subprocess.run([sys.executable, "-c", code, str(settings.data_dir),
                           str(settings.corpus_dir)], capture_output=True, text=True,
                          timeout=300, cwd=PROJECT_DIR,
                          env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def _fresh_clients() -> None:
    """Forget this process's open stores, as a new `knotbot` process would not have them."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _vector_folder(settings: Settings) -> Path:
    (folder,) = [p for p in (settings.data_dir / "chroma").iterdir()
                 if p.is_dir() and (p / "data_level0.bin").exists()]
    return folder


def _delete_vectors(s: Settings) -> None:
    shutil.rmtree(_vector_folder(s))


def _truncate_vectors(s: Settings) -> None:
    os.truncate(_vector_folder(s) / "data_level0.bin", 1000)


def _truncate_sqlite(s: Settings) -> None:
    os.truncate(s.data_dir / "chroma" / "chroma.sqlite3", 100_000)


def _ask(settings: Settings, question: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTBOT_")}
    env.update(KNOTBOT_DATA_DIR=str(settings.data_dir), HF_HUB_OFFLINE="1",
               KNOTBOT_EXPANSION_WORDS="0",  # no word table to build: a faster start
               KNOTBOT_CACHE_DIR=os.environ["KNOTBOT_CACHE_DIR"])
    return subprocess.run([sys.executable, "-m", "rag", "ask", question], capture_output=True,
                          text=True, env=env, timeout=300, cwd=PROJECT_DIR)


@pytest.mark.parametrize("damage", [_delete_vectors, _truncate_vectors, _truncate_sqlite],
                         ids=["vector folder deleted", "data file truncated",
                              "chroma.sqlite3 truncated"])
def test_damaged_index_keeps_safety_and_ingest_repairs_it(
        tmp_path: Path, embeddings: Any, damage: Callable[[Settings], None]) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=big_corpus(tmp_path / "corpus"))
    chunks = _build_elsewhere(settings)
    assert chunks >= 1000
    damage(settings)

    done = _ask(settings, RED_FLAG)  # `knotbot ask`: the safety answer, one error line
    assert done.returncode == 0 and "Emergency" in done.stdout, done.stderr
    err = done.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "Traceback" not in done.stderr
    assert "knotbot ingest" in err[0]

    served = load_pipeline(settings, embeddings=embeddings)  # `knotbot serve` starts
    assert isinstance(served, KnotbotPipeline)
    assert served.answer(RED_FLAG).triage.level == "emergency"
    assert CANT_SEARCH in served.answer(ORDINARY).answer

    t0 = time.monotonic()
    report = ingest(settings, load_embeddings=_fake)  # no manual step
    print(f"repaired in {time.monotonic() - t0:.1f} s: {describe(report)}; {report.repaired}")
    assert report.repaired and not report.up_to_date and report.chunks == chunks
    _fresh_clients()
    col, info = open_active(connect(settings), settings)
    check_version(col, info.name)  # sound again, seen from a fresh client
    assert ingest(settings, load_embeddings=_fake).up_to_date

    served.reload()  # the app picks the repaired index up without a restart
    again = served.answer(ORDINARY)
    assert CANT_SEARCH not in again.answer and again.citations


def test_ten_changing_ingests_leave_one_version_on_disk(tmp_path: Path) -> None:
    corpus = big_corpus(tmp_path / "corpus", copies=35)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    for i in range(10):
        (corpus / "changing.md").write_text(f"# Note {i}\n\nA knot can last {i} days.\n"
                                            "Rest and gentle movement help it ease.\n",
                                            encoding="utf-8")
        ingest(settings, load_embeddings=_fake)
        _fresh_clients()  # each ingest is its own process in real use
    folders = [p for p in (settings.data_dir / "chroma").iterdir() if p.is_dir()]
    with_vectors = [p for p in folders if (p / "data_level0.bin").exists()]
    assert len(with_vectors) == 1, [p.name for p in folders]
    assert collect_garbage(settings) == (0, 0)
