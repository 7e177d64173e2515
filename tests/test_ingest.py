"""Ingestion into a real Chroma store: incremental, atomic, and honest about bad files."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.errors import CorpusError, ModelMismatchError
from rag.ingest import ingest
from rag.settings import PROJECT_DIR, Settings
from rag.store import connect, open_active

from .conftest import RAW_CORPUS, needs_raw_corpus

DEBRIS = ("top of page", "bottom of page", "self massage on na", "updated: jul 9")


def _never_load(_settings: Settings):  # type: ignore[no-untyped-def]
    raise AssertionError("the embedding model was loaded for an unchanged corpus")


def _stored(settings: Settings) -> dict[str, list[str]]:
    col, _ = open_active(connect(settings), settings)
    got = col.get(include=["documents", "metadatas"])
    out: dict[str, list[str]] = {}
    for doc, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True):
        out.setdefault(str(meta["source"]), []).append(str(doc))
    return out


def test_ingest_then_unchanged_embeds_nothing(settings: Settings, corpus_copy: Path,
                                              embeddings) -> None:  # type: ignore[no-untyped-def]
    first = ingest(settings, corpus_copy, load_embeddings=lambda _s: embeddings)
    assert first.files_embedded == 2 and first.chunks == first.chunks_embedded > 10
    again = ingest(settings, corpus_copy, load_embeddings=_never_load)
    assert again.up_to_date and again.files_embedded == 0 and again.chunks == first.chunks
    stored = "\n".join(t for texts in _stored(settings).values() for t in texts).lower()
    assert not any(d in stored for d in DEBRIS)


def test_changed_file_replaced_deleted_file_removed(settings: Settings, corpus_copy: Path,
                                                    embeddings) -> None:  # type: ignore[no-untyped-def]
    load = lambda _s: embeddings  # noqa: E731
    ingest(settings, corpus_copy, load_embeddings=load)
    article = corpus_copy / "how-to-massage-neck-knots.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "held for 30 to 90 seconds", "held for 45 to 60 seconds"), encoding="utf-8")
    report = ingest(settings, corpus_copy, load_embeddings=load)
    assert report.files_embedded == 1
    massage = "\n".join(_stored(settings)["how-to-massage-neck-knots.md"])
    assert "45 to 60 seconds" in massage and "30 to 90 seconds" not in massage
    (corpus_copy / "how-to-get-rid-of-a-knot-in-your-neck.md").unlink()
    report = ingest(settings, corpus_copy, load_embeddings=_never_load)
    assert report.files_removed == 1
    assert set(_stored(settings)) == {"how-to-massage-neck-knots.md"}


def test_unchanged_chunks_are_copied_whole_in_slices(settings: Settings, corpus_copy: Path,
                                                     embeddings, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
                                                     ) -> None:
    """Chroma refuses one add over its max batch size: a one-article change to a large
    corpus copies the other articles' chunks in slices, every one of them."""
    load = lambda _s: embeddings  # noqa: E731
    ingest(settings, corpus_copy, load_embeddings=load)
    before = _stored(settings)
    monkeypatch.setattr("rag.ingest.COPY_BATCH", 3)
    article = corpus_copy / "how-to-massage-neck-knots.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    ingest(settings, corpus_copy, load_embeddings=load)
    after = _stored(settings)
    kept = "how-to-get-rid-of-a-knot-in-your-neck.md"
    assert len(before[kept]) > 3 and sorted(after[kept]) == sorted(before[kept])


def test_bad_files_are_skipped_by_name(settings: Settings, corpus_copy: Path,
                                       embeddings) -> None:  # type: ignore[no-untyped-def]
    (corpus_copy / "latin.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (corpus_copy / "blank.md").write_text("   \n\n", encoding="utf-8")
    report = ingest(settings, corpus_copy, load_embeddings=lambda _s: embeddings)
    assert any("latin.txt is not UTF-8" in s for s in report.skipped)
    assert any("blank.md has no article text" in s for s in report.skipped)
    assert set(_stored(settings)) == {"how-to-massage-neck-knots.md",
                                      "how-to-get-rid-of-a-knot-in-your-neck.md"}
    assert ingest(settings, corpus_copy, load_embeddings=_never_load).up_to_date


@needs_raw_corpus
def test_raw_scraped_copies_ingest_clean(settings: Settings, tmp_path: Path,
                                         embeddings) -> None:  # type: ignore[no-untyped-def]
    raw = tmp_path / "raw"
    raw.mkdir()
    for src in RAW_CORPUS.glob("*.txt"):
        shutil.copy(src, raw / src.name)
    ingest(settings, raw, load_embeddings=lambda _s: embeddings)
    stored = _stored(settings)
    assert set(stored) == {"how-to-get-rid-of-a-knot-in-your-neck.txt",
                           "how-to-massage-neck-knots.txt"}
    text = "\n".join(t for texts in stored.values() for t in texts).lower()
    assert not any(d in text for d in DEBRIS) and "what is a muscle knot.\n" not in text


def test_other_model_needs_rebuild(settings: Settings, corpus_copy: Path,
                                   embeddings) -> None:  # type: ignore[no-untyped-def]
    ingest(settings, corpus_copy, load_embeddings=lambda _s: embeddings)
    other = settings.model_copy(update={"embedding_model": "/models/other"})
    with pytest.raises(ModelMismatchError, match="ingest --rebuild"):
        ingest(other, corpus_copy, load_embeddings=_never_load)
    with pytest.raises(ModelMismatchError):
        open_active(connect(other), other)


def test_missing_and_empty_corpus(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        ingest(settings, tmp_path / "nope")
    (tmp_path / "a-file.md").write_text("# hi\n\ntext\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="is a file, not a folder"):
        ingest(settings, tmp_path / "a-file.md")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"has no \.md, \.txt or \.html files"):
        ingest(settings, tmp_path / "empty")


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rag", *args], capture_output=True, text=True,
                          env=env, timeout=300, cwd=PROJECT_DIR)


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTBOT_")}
    env.update(KNOTBOT_DATA_DIR=str(settings.data_dir), HF_HUB_OFFLINE="1", **extra)
    return env


def test_cli_errors_are_one_line(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for args in (["ingest", "--corpus", str(tmp_path / "nope")],
                 ["ingest", "--corpus", str(tmp_path / "empty")], ["sources"]):
        done = _cli(*args, env=_env(settings))
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
        assert "Traceback" not in done.stderr
    assert "knotbot ingest" in done.stderr  # `sources` before any ingest names the fix


def test_kill_during_rebuild_keeps_previous_index(settings: Settings, tmp_path: Path,
                                                  embeddings) -> None:  # type: ignore[no-untyped-def]
    """kill -9 in the middle of `knotbot ingest --rebuild`: queries still get the old index."""
    ingest(settings, load_embeddings=lambda _s: embeddings)
    before = _stored(settings)
    big = tmp_path / "big"
    big.mkdir()
    for i in range(60):  # enough text that embedding takes several seconds
        for src in settings.corpus_dir.glob("*.md"):
            (big / f"{i:02d}-{src.name}").write_text(
                src.read_text(encoding="utf-8") + f"\n\nCopy {i}.\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "rag", "ingest", "--rebuild", "--corpus",
                             str(big)], env=_env(settings), cwd=PROJECT_DIR,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chroma_dir = settings.data_dir / "chroma"
    segments = {p.name for p in chroma_dir.iterdir() if p.is_dir()}
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        now = {p.name for p in chroma_dir.iterdir() if p.is_dir()}
        if now - segments:  # the new version has started to be written
            time.sleep(1.0)
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _stored(settings) == before
    col, _ = open_active(connect(settings), settings)
    hits = col.query(query_embeddings=[embeddings.embed_query("how long to hold pressure")],
                     n_results=3)
    assert hits["ids"][0]
    again = ingest(settings, load_embeddings=_never_load)  # a later ingest recovers
    assert again.up_to_date


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.server
def test_chroma_server_mode(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "srv"), "--host",
                               "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        remote = Settings(chroma_host="127.0.0.1", chroma_port=port, data_dir=tmp_path / "local")
        deadline = time.time() + 60
        while True:
            try:
                connect(remote)
                break
            except Exception:
                if time.time() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        report = ingest(remote, load_embeddings=lambda _s: embeddings)
        assert report.chunks > 10
        assert ingest(remote, load_embeddings=_never_load).up_to_date
        col, info = open_active(connect(remote), remote)
        hit = col.query(query_embeddings=[embeddings.embed_query("is it good to push on a knot")],
                        n_results=1, include=["documents"])
        assert "push" in (hit["documents"] or [[""]])[0][0].lower()
        assert not (tmp_path / "local").exists()  # nothing was written locally
    finally:
        server.terminate()
        server.wait(timeout=20)
