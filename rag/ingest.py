"""Incremental ingestion of the corpus into a fresh Chroma collection version."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document

from rag.artefacts import prune
from rag.chunking import CHUNK_FORMAT, ChunkSpec, chunk_article
from rag.corpus import Article, list_corpus, parse_article, read_text
from rag.errors import CorpusError, KnotbotError, ModelMismatchError
from rag.repair import collect_garbage, open_for_ingest
from rag.settings import Settings
from rag.store import IndexInfo, activate, create_version, drop_stale

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

# Chunks sent to the model per call: it sorts them by length and runs them 32 at a time, so
# a big window has little padding (batches of 32 chunks in corpus order computed 1.6 times
# the tokens there were: most of a large ingest is the model's forward pass).
BATCH = 1024
COPY_BATCH = 1000  # chunks copied from the previous version per add


@dataclass
class IngestReport:
    files: int = 0
    files_indexed: int = 0  # files with chunks in the index now (counted there)
    files_embedded: int = 0
    files_removed: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    texts_derived: int = 0  # sentences and passages encoded for the derived data (new only)
    skipped: list[str] = field(default_factory=list)  # files not indexed, and why (each run)
    warnings: list[str] = field(default_factory=list)  # indexed, but something to fix
    repaired: list[str] = field(default_factory=list)  # damage found and rebuilt
    folders_removed: int = 0
    bytes_freed: int = 0
    seconds: float = 0.0
    up_to_date: bool = False


INGEST_HTTP_TIMEOUT = 120.0  # a Chroma server writing a big batch may take a while


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spec_of(settings: Settings) -> ChunkSpec:
    return ChunkSpec(settings.chunk_max_chars, settings.chunk_min_chars)


def _spec_key(spec: ChunkSpec) -> str:
    # The format number changes when chunks carry new metadata: older versions re-chunk.
    return f"{spec.max_chars}/{spec.min_chars}/{CHUNK_FORMAT}"


def _progress(total: int, desc: str, unit: str, show: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not show, leave=False)


def _parse_all(paths: dict[str, Path], report: IngestReport) -> dict[str, Article]:
    """Every file, every run (parsing is cheap, embedding is not): so every warning is
    repeated each run, and a file that no longer parses is never carried over."""
    articles: dict[str, Article] = {}
    for name, path in sorted(paths.items()):
        try:
            articles[name] = parse_article(name, read_text(path))
        except CorpusError as err:
            report.skipped.append(str(err))
        except OSError as err:
            report.skipped.append(f"{name} cannot be read ({err.strerror or err}): skipped")
        else:
            report.warnings.extend(articles[name].warnings)
    return articles


def _indexed_sources(col: Any) -> set[str]:
    metas = col.get(include=["metadatas"])["metadatas"] or []
    return {str(m.get("source")) for m in metas if m}


def ingest(
    settings: Settings,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    show_progress: bool = False,
    load_embeddings: Callable[[Settings], Embeddings] | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus folder, embedding only what changed; a
    damaged index is rebuilt, and vector folders of dropped versions are removed."""
    started = time.perf_counter()
    report = IngestReport()
    paths = {p.name: p for p in list_corpus(corpus_dir or settings.corpus_dir)}
    hashes = {name: file_hash(p) for name, p in paths.items()}
    spec = spec_of(settings)
    client, old, report.repaired = open_for_ingest(settings, INGEST_HTTP_TIMEOUT)
    if old and old.embedding_model != settings.embedding_model and not rebuild:
        raise ModelMismatchError(old.embedding_model, settings.embedding_model)
    articles = _parse_all(paths, report)
    reuse = {} if rebuild or not old or old.chunk_spec != _spec_key(spec) else old.manifest
    unchanged = {n for n, h in hashes.items() if reuse.get(n) == h}
    report.files = len(paths)
    old_sources = _indexed_sources(client.get_collection(old.name, embedding_function=None)) \
        if old else set()
    if old and not rebuild and unchanged == set(paths) and set(reuse) == set(paths) \
            and old_sources == set(articles):
        report.up_to_date, report.chunks = True, old.chunks
        report.files_indexed = len(old_sources)
    else:
        changed = {n: a for n, a in articles.items() if n not in unchanged}
        new_docs = [d for n in sorted(changed) for d in chunk_article(changed[n], spec, hashes[n])]
        report.files_removed = len(set(reuse) - set(paths))
        report.chunks, report.files_indexed = _write_version(
            client, settings, hashes, new_docs, old, unchanged & set(articles),
            lambda: (load_embeddings or _default_loader)(settings), report, show_progress)
        report.files_embedded = len(changed)
        report.chunks_embedded = len(new_docs)
    report.folders_removed, report.bytes_freed = collect_garbage(settings)
    report.seconds = time.perf_counter() - started
    return report


def _write_version(
    client: Any, settings: Settings, manifest: dict[str, str], new_docs: list[Document],
    old: IndexInfo | None, unchanged: set[str], embedder: Callable[[], Embeddings],
    report: IngestReport, show_progress: bool,
) -> tuple[int, int]:
    """Fill a brand-new collection, then move the pointer to it (the commit point).

    Returns its chunk and file counts. A kill before `activate` leaves the old version in
    use. The old version is dropped then: an app answering from it searches its own
    snapshot until it has loaded the new one (rag.live).
    """
    name = f"{settings.collection_prefix}_v{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
    target = create_version(client, name, {
        "embedding_model": settings.embedding_model,
        "chunk_spec": _spec_key(spec_of(settings)),
        "manifest": json.dumps(manifest, sort_keys=True),
    })
    if old and unchanged:
        _copy_unchanged(client, old.name, target, unchanged)
    model = embedder() if new_docs else None
    if model is not None:
        keep = getattr(model, "keep_tokens", None)
        if keep is not None:  # one model call per new text, for its vector and its tokens
            keep()
        _embed_into(target, new_docs, model, show_progress)
    count = int(target.count())
    if count == 0:
        client.delete_collection(name)
        raise CorpusError(
            "no article in the corpus folder could be read: " + "; ".join(report.skipped)
        )
    files = len(_indexed_sources(target))
    if model is not None:  # start-up then only reads files (without a model: on first load)
        report.texts_derived = _derive(settings, target, name, model)
    activate(client, settings, name)
    drop_stale(client, settings, keep={name})
    prune(settings, keep={name})
    return count, files


def _derive(settings: Settings, target: Any, name: str, model: Embeddings) -> int:
    """Store what start-up derives from this version (rag.artefacts), before it is active."""
    from rag.derive import obtain
    from rag.loaded import read_chunks
    from rag.wordtable import load_word_table

    table = load_word_table(settings.cache_dir, settings.model_path(),
                            settings.expansion_words, model)
    chunks, vectors = read_chunks(target)
    return obtain(chunks, name, settings, model, table, vectors).encoded


def _default_loader(settings: Settings) -> Embeddings:
    from rag.embeddings import load_embeddings

    return load_embeddings(settings)


def _copy_unchanged(client: Any, old_name: str, target: Any, sources: set[str]) -> None:
    old = client.get_collection(old_name, embedding_function=None)
    got = old.get(where={"source": {"$in": sorted(sources)}},
                  include=["embeddings", "documents", "metadatas"])
    ids = got["ids"]
    # In slices: Chroma refuses one add of more than its max batch size (5,461 here),
    # which a one-article change to a 10,000-chunk corpus asked for.
    for i in range(0, len(ids), COPY_BATCH):
        part = slice(i, i + COPY_BATCH)
        target.add(ids=ids[part], embeddings=got["embeddings"][part],
                   documents=got["documents"][part], metadatas=got["metadatas"][part])


def _embed_into(target: Any, docs: list[Document], embedder: Embeddings, show: bool) -> None:
    bar = _progress(len(docs), "chunks", "chunk", show)
    for i in range(0, len(docs), BATCH):
        batch = docs[i : i + BATCH]
        vectors = embedder.embed_documents([d.page_content for d in batch])
        target.add(
            ids=[str(d.id) for d in batch],
            embeddings=vectors,
            documents=[d.page_content for d in batch],
            metadatas=[d.metadata for d in batch],
        )
        bar.update(len(batch))
    bar.close()


def describe(report: IngestReport) -> str:
    freed = (f"; removed {report.folders_removed} unused vector folders "
             f"({report.bytes_freed / 1e6:.1f} MB)") if report.folders_removed else ""
    if report.up_to_date:
        return (f"index up to date: {report.files_indexed} of {report.files} files indexed, "
                f"{report.chunks} chunks; 0 files embedded ({report.seconds:.2f} s){freed}")
    return (f"indexed {report.files_indexed} of {report.files} files: "
            f"{report.files_embedded} files embedded ({report.chunks_embedded} chunks), "
            f"{report.files_removed} removed, {report.chunks} chunks in the index "
            f"({report.seconds:.1f} s){freed}")


__all__ = ["IngestReport", "KnotbotError", "describe", "ingest"]
