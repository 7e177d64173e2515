"""Shared kit: a temp data dir for every test, the real small model loaded once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.settings import PROJECT_DIR, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

RAW_CORPUS = PROJECT_DIR.parent / "shared" / "corpus"
needs_raw_corpus = pytest.mark.skipif(
    not any(RAW_CORPUS.glob("*.txt")),
    reason=f"the raw scraped articles are not at {RAW_CORPUS} (CI has them beside the repo)")
CORPUS = PROJECT_DIR / "corpus"


@pytest.fixture(scope="session", autouse=True)
def _word_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One word-table cache for the whole test session, apart from the app's own; set
    before any session fixture builds a pipeline (autouse runs first in its scope)."""
    path = tmp_path_factory.mktemp("cache")
    before = os.environ.get("KNOTBOT_CACHE_DIR")
    os.environ["KNOTBOT_CACHE_DIR"] = str(path)
    yield path
    if before is None:
        os.environ.pop("KNOTBOT_CACHE_DIR", None)
    else:
        os.environ["KNOTBOT_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def _no_user_env(monkeypatch: pytest.MonkeyPatch, _word_cache: Path) -> None:
    """Tests never read a developer's KNOTBOT_* variables or .env file."""
    for key in list(os.environ):
        if key.startswith("KNOTBOT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KNOTBOT_CACHE_DIR", str(_word_cache))
    monkeypatch.chdir(PROJECT_DIR / "tests")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS,
                    feedback_file=tmp_path / "feedback.jsonl")


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def embeddings():  # type: ignore[no-untyped-def]
    """The real all-MiniLM-L6-v2, loaded once per test session."""
    from rag.embeddings import load_embeddings

    return load_embeddings(Settings())


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Iterator[Settings]:  # type: ignore[no-untyped-def]
    """The real corpus ingested once into a session-wide store."""
    from rag.ingest import ingest

    data = tmp_path_factory.mktemp("index")
    s = Settings(data_dir=data, corpus_dir=CORPUS, feedback_file=data / "feedback.jsonl")
    ingest(s, load_embeddings=lambda _s: embeddings)
    yield s


@pytest.fixture(scope="session")
def pipeline(built_index, embeddings):  # type: ignore[no-untyped-def]
    """The real answer chain over the real index and model."""
    from rag.pipeline import KnotbotPipeline

    return KnotbotPipeline(built_index, embeddings=embeddings)


def load_jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    import json

    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


EVALS = PROJECT_DIR / "evals"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A skipped browser test must be impossible to miss: say so above and in the
    summary line ("... 11 browser tests SKIPPED")."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "browser" in getattr(r, "keywords", {})]
    if not skipped:
        return
    reason = str(skipped[0].longrepr[-1]) if isinstance(skipped[0].longrepr, tuple) else ""
    terminalreporter.write_sep(
        "!", f"{len(skipped)} browser tests were SKIPPED: {reason}", red=True, bold=True)
    terminalreporter.stats["browser tests SKIPPED"] = list(skipped)
