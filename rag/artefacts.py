"""What start-up needs from an index version, computed once (at ingest) and kept on disk.

Sentence splits and vectors, token vectors of sentences and chunks (float16 values), FAQ
heading vectors and the coverage tables are derived from a version's chunks and the
model alone, so they are computed when the version is written and stored beside it,
in one folder per version made atomically (written under a temporary name, then
renamed). A start then opens files; the large arrays are memory-mapped. A version with
no folder (made by an older Knotbot, or by another machine against a Chroma server) is
derived on first load and stored then. Building a version reuses the vectors of every
sentence and chunk the previous version already had, so a one-article change encodes
only that article's text.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.answer.aspect import FigureTable
from rag.embeddings import TokenVectors
from rag.late import upcast
from rag.settings import Settings

FORMAT = 1  # bump when a file's layout or what is derived changes


@dataclass(frozen=True)
class Derived:
    """One version's derived data: texts and their vectors, in memory-mapped arrays."""

    chunk_sentences: dict[str, list[str]]
    sentence_vectors: dict[str, np.ndarray]
    sentence_tokens: dict[str, TokenVectors]  # empty when late interaction is off
    chunk_tokens: dict[str, TokenVectors]  # chunk text -> its token vectors
    faq_vectors: dict[str, np.ndarray]  # chunk id -> its FAQ question's vector
    coverage_vectors: np.ndarray | None  # Coverage._embed of its vocabulary
    table_nearest: dict[str, tuple[str, float]]  # Coverage._nearest_for_table
    encoded: int = 0  # texts sent to the model to build it (0 when read from disk)
    uses: dict[str, int] | None = None  # Coverage.uses (None: stored by an older Knotbot)
    # The composer's IDF of stemmed words over the sentences (None: stored by an older
    # Knotbot, counted at load then): stemming every sentence took seconds of a large start.
    idf: dict[str, float] | None = None
    # BM25 over the chunks (rag.retrieval.KeywordIndex), its rows in its ids' order
    # (None: stored by an older Knotbot, indexed at load then).
    keyword: Any = None
    # The version's chunks as its store gave them at ingest (ids in the store's order,
    # texts, metadata) and their stored vectors: a start reads them here, and asks the
    # store only for its ids (reading 10,000 chunks back from Chroma took over a second).
    # None: stored by an older Knotbot, read from the store then.
    stored_chunks: StoredChunks | None = None
    # The answer stage's figure table (None: stored by an older Knotbot, built on use).
    figures: FigureTable | None = None
    # Each sentence's topic match (rag.topical) and what it was made with (None: stored by
    # an older Knotbot, or no token vectors; worked out on use then).
    topical: dict[str, float] | None = None
    topic_key: str = ""
    # Token vectors of the chunks' headings, which the answer stage reads with a sentence
    # (None: stored by an older Knotbot; encoded on first use then).
    heading_tokens: dict[str, TokenVectors] | None = None
    maps: tuple[mmap.mmap, ...] = ()  # the memory maps the arrays above are read from

    def release(self) -> None:
        """Unmap the pages of the files read so far (`release_pages`)."""
        release_pages(self.maps)


@dataclass(frozen=True)
class StoredChunks:
    """A version's chunks as read from its store (`rag.loaded.read_chunks`), in its order."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: np.ndarray  # float32, one row per id


def release_pages(maps: Iterable[mmap.mmap]) -> None:
    """Drop the pages of these read-only maps from the process: the next read maps them
    again from the kernel's page cache, as a read of the file would. The files never
    change (a version's folder is written once), so a reader in another thread only
    faults its rows in again. Every page a question touched stayed counted in the
    process's memory: at 10,000 chunks, 140 questions had touched 1.2 GB of them."""
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is None:  # not Linux: the pages stay mapped, as before
        return
    for m in maps:
        m.madvise(advice)


def folder(settings: Settings, name: str) -> Path:
    """Where version ``name``'s derived data lives (per model and settings that shape it)."""
    from rag.onnx_encoder import export_key

    late = settings.fusion_late_weight > 0 or settings.rerank_depth >= 2
    key = f"{export_key(settings.model_path())}-{int(late)}-{settings.expansion_words}"
    return settings.cache_dir / "derived" / f"{name}-f{FORMAT}-{key}"


def prune(settings: Settings, keep: Iterable[str]) -> None:
    """Remove the derived data of versions other than ``keep`` (after an ingest)."""
    root = settings.cache_dir / "derived"
    names = tuple(f"{n}-f" for n in keep)
    for path in root.glob("*") if root.is_dir() else []:
        if not path.name.startswith(names):
            shutil.rmtree(path, ignore_errors=True)


def _pack(items: Sequence[TokenVectors], dtype: type = np.float16) -> dict[str, np.ndarray]:
    """Token vectors as three arrays; float16 values, stored as ``dtype``."""
    sizes = [len(t.ids) for t in items]
    dim = items[0].vectors.shape[1] if items and items[0].vectors.ndim == 2 else 0
    vecs = np.concatenate([t.vectors.reshape(-1, dim) for t in items]) if items \
        else np.zeros((0, 0), np.float16)
    if vecs.dtype != np.float16:
        vecs = vecs.astype(np.float16)
    # float16 to float32 through the table (half the time of astype at 10,000 chunks)
    vecs = upcast(vecs) if dtype is np.float32 else vecs.astype(dtype, copy=False)
    return {"ids": np.concatenate([t.ids for t in items]) if items else np.zeros(0, np.int64),
            "vecs": vecs, "off": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)}


def _unpack(ids: np.ndarray, vecs: np.ndarray, off: np.ndarray) -> list[TokenVectors]:
    return [TokenVectors(ids[a:b], vecs[a:b]) for a, b in zip(off[:-1], off[1:], strict=True)]


def save(path: Path, d: Derived, table_words: Sequence[str]) -> None:
    """Write ``d`` to ``path`` atomically: a reader sees the whole folder or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=".tmp-"))
    try:
        sentences = list(d.sentence_vectors)
        chunk_texts = list(d.chunk_tokens)
        arrays: dict[str, np.ndarray] = {
            "sentence_vectors": np.asarray([d.sentence_vectors[s] for s in sentences],
                                           np.float32).reshape(len(sentences), -1),
            "faq_vectors": np.asarray(list(d.faq_vectors.values()), np.float32),
            "coverage_vectors": d.coverage_vectors if d.coverage_vectors is not None
            else np.zeros((0, 0), np.float32)}
        tokens = [d.sentence_tokens[s] for s in sentences] if d.sentence_tokens else []
        arrays |= {f"sentence_tok_{k}": v for k, v in _pack(tokens).items()}
        # The chunks' as float32 (the same float16 values, twice the disk): retrieval
        # scores a hundred candidates' tokens at each question, and converting them
        # from float16 was half of that at 10,000 chunks. A sentence's are read a few
        # at a time.
        arrays |= {f"chunk_tok_{k}": v for k, v in _pack(
            [d.chunk_tokens[t] for t in chunk_texts], np.float32).items()}
        vocab = {w: i for i, w in enumerate(sorted({a for a, _ in d.table_nearest.values()}))}
        words = [w for w in table_words if w in d.table_nearest]
        arrays["nearest_word"] = np.array([vocab[d.table_nearest[w][0]] for w in words],
                                          np.int32)
        arrays["nearest_cos"] = np.array([d.table_nearest[w][1] for w in words], np.float64)
        if d.heading_tokens is not None:
            arrays |= {f"heading_tok_{k}": v for k, v in _pack(
                list(d.heading_tokens.values())).items()}
        if d.topical is not None:  # aligned with the sentences; NaN: not in the table
            arrays["topic_match"] = np.array([d.topical.get(s, np.nan) for s in sentences],
                                             np.float64)
        if d.stored_chunks is not None:
            arrays["chunk_vectors"] = np.asarray(d.stored_chunks.vectors, np.float32)
        for key, value in arrays.items():
            np.save(tmp / f"{key}.npy", value)
        meta = {"format": FORMAT, "chunk_sentences": d.chunk_sentences,
                "sentences": sentences, "chunk_texts": chunk_texts,
                "faq": list(d.faq_vectors), "late": bool(d.sentence_tokens or d.chunk_tokens),
                "vocab": list(vocab), "table_words": words}
        if d.uses is not None:
            meta["uses"] = d.uses
        if d.idf is not None:
            meta["idf"] = d.idf
        if d.stored_chunks is not None:
            c = d.stored_chunks
            meta["chunks"] = {"ids": c.ids, "texts": c.texts, "metadatas": c.metadatas}
        if d.figures is not None:
            meta["figures"] = {"key": d.figures.key, "given": sorted(d.figures.given),
                               "stems": {k: sorted(v) for k, v in d.figures.stems.items()}}
        if d.topical is not None:
            meta["topic_key"] = d.topic_key
        if d.heading_tokens is not None:
            meta["headings"] = list(d.heading_tokens)
        if d.keyword is not None:
            d.keyword.save(tmp / "bm25")
            meta["bm25_ids"] = d.keyword.ids
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        for f in tmp.rglob("*"):
            f.chmod(0o755 if f.is_dir() else 0o644)
        tmp.chmod(0o755)
        os.replace(tmp, path)  # atomic; an existing folder (a race) is kept as it was
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _map(path: Path) -> tuple[np.ndarray, mmap.mmap | None]:
    """A .npy file as a read-only array over a memory map of it, and that map (None for
    an empty array). A plain ndarray, not numpy.memmap: memmap wraps every row taken from
    it (its __getitem__), which made building the row dictionaries most of a large load."""
    with path.open("rb") as fh:
        version = np.lib.format.read_magic(fh)
        header = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if header is None:  # np.save writes 1.0 for these arrays
            raise ValueError(f"{path}: .npy format {version} is not read here")
        shape, fortran, dtype = header(fh)
        offset = fh.tell()
        count = int(np.prod(shape))
        if fortran or dtype.hasobject:
            raise ValueError(f"{path} is not a plain array")
        if count == 0:  # nothing to map (mmap refuses a zero-length map)
            empty = np.zeros(shape, dtype)
            empty.flags.writeable = False
            return empty, None
        m = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(m, dtype, count, offset).reshape(shape), m


def load(path: Path) -> Derived | None:
    """The derived data at ``path``, memory-mapped; None when missing or unreadable."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None
        mapped = {f.stem: _map(f) for f in path.glob("*.npy")}
    except (OSError, ValueError):
        return None
    a = {k: v for k, (v, _) in mapped.items()}
    sentences, late = meta["sentences"], meta["late"]
    vectors = a["sentence_vectors"]
    s_tokens = _unpack(a["sentence_tok_ids"], a["sentence_tok_vecs"], a["sentence_tok_off"])
    c_tokens = _unpack(a["chunk_tok_ids"], a["chunk_tok_vecs"], a["chunk_tok_off"])
    cov = a["coverage_vectors"]
    vocab = meta["vocab"]
    return Derived(
        chunk_sentences=meta["chunk_sentences"],
        sentence_vectors={s: vectors[i] for i, s in enumerate(sentences)},
        sentence_tokens=dict(zip(sentences, s_tokens, strict=True)) if late and s_tokens
        else {},
        chunk_tokens=dict(zip(meta["chunk_texts"], c_tokens, strict=True)),
        faq_vectors={c: a["faq_vectors"][i] for i, c in enumerate(meta["faq"])},
        coverage_vectors=np.asarray(cov, np.float32) if cov.size else None,
        # As Python numbers first: 20,000 NumPy scalars converted one by one took 30 ms.
        table_nearest={w: (vocab[i], c) for w, i, c in zip(
            meta["table_words"], a["nearest_word"].tolist(), a["nearest_cos"].tolist(),
            strict=True)},
        uses=meta.get("uses"), idf=meta.get("idf"), keyword=_keyword(path, meta),
        stored_chunks=_stored_chunks(meta, a), figures=_figures(meta.get("figures")),
        topical=_topical(sentences, a.get("topic_match")), topic_key=meta.get("topic_key", ""),
        heading_tokens=_headings(meta.get("headings"), a),
        maps=tuple(m for _, m in mapped.values() if m is not None))


def _stored_chunks(meta: dict[str, Any], arrays: dict[str, np.ndarray]
                   ) -> StoredChunks | None:
    found, vectors = meta.get("chunks"), arrays.get("chunk_vectors")
    if not isinstance(found, dict) or vectors is None or len(vectors) != len(found["ids"]):
        return None
    return StoredChunks(ids=found["ids"], texts=found["texts"], metadatas=found["metadatas"],
                        vectors=vectors)


def _topical(sentences: list[str], scores: np.ndarray | None) -> dict[str, float] | None:
    if scores is None or len(scores) != len(sentences):
        return None
    return {s: v for s, v in zip(sentences, scores.tolist(), strict=True) if v == v}


def _headings(headings: Any, a: dict[str, np.ndarray]) -> dict[str, TokenVectors] | None:
    if not isinstance(headings, list) or "heading_tok_off" not in a:
        return None
    found = _unpack(a["heading_tok_ids"], a["heading_tok_vecs"], a["heading_tok_off"])
    return dict(zip(headings, found, strict=True)) if len(found) == len(headings) else None


def _figures(found: Any) -> FigureTable | None:
    if not isinstance(found, dict):
        return None
    return FigureTable({k: frozenset(v) for k, v in found["stems"].items()},
                       frozenset(found["given"]), found["key"])


def _keyword(path: Path, meta: dict[str, Any]) -> Any:
    from rag.retrieval import KeywordIndex

    if "bm25_ids" not in meta or not (path / "bm25").is_dir():
        return None
    try:
        return KeywordIndex.load(path / "bm25", meta["bm25_ids"])
    except (OSError, ValueError, KeyError):
        return None  # indexed at load instead


class Reuse:
    """Vectors a previous version already has, so only new text goes to the model."""

    def __init__(self, previous: Derived | None) -> None:
        self.vectors: Mapping[str, np.ndarray] = previous.sentence_vectors if previous else {}
        self.tokens: dict[str, TokenVectors] = {}
        # By chunk id: ids are content hashes, so an unchanged chunk keeps its FAQ vector.
        self.faq: Mapping[str, np.ndarray] = previous.faq_vectors if previous else {}
        if previous:
            self.tokens.update(previous.sentence_tokens)
            self.tokens.update(previous.chunk_tokens)
            self.tokens.update(previous.heading_tokens or {})
        self.encoded = 0

    def embed(self, texts: list[str], embed: Callable[[list[str]], Any]) -> list[np.ndarray]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        fresh = dict(zip(missing, embed(missing), strict=True)) if missing else {}
        self.encoded += len(missing)
        return [np.asarray(self.vectors[t] if t in self.vectors else fresh[t], np.float32)
                for t in texts]

    def faq_vectors(self, questions: dict[str, str], embed: Callable[[list[str]], Any]
                    ) -> dict[str, np.ndarray]:
        """Chunk id -> the vector of its FAQ question (``questions``: chunk id -> text)."""
        missing = [c for c in questions if c not in self.faq]
        fresh = dict(zip(missing, embed([questions[c] for c in missing]), strict=True)) \
            if missing else {}
        self.encoded += len(missing)
        return {c: np.asarray(self.faq[c] if c in self.faq else fresh[c], np.float32)
                for c in questions}

    def token_vectors(self, texts: list[str], batch: Callable[[list[str]], list[TokenVectors]]
                      ) -> list[TokenVectors]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.tokens]
        got = batch(missing) if missing else []
        if missing and not got:  # the embeddings give no token vectors
            return []
        fresh = dict(zip(missing, got, strict=True))
        self.encoded += len(missing)
        return [self.tokens[t] if t in self.tokens else fresh[t] for t in texts]


def latest(settings: Settings, but: str) -> Derived | None:
    """The most recently written derived data of another version (to reuse its vectors)."""
    root = settings.cache_dir / "derived"
    suffix = folder(settings, "").name  # the same model and settings only
    paths = sorted((p for p in root.glob(f"*{suffix}") if p.name != f"{but}{suffix}"
                    and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime,
                   reverse=True) if root.is_dir() else []
    return next((d for d in map(load, paths[:1]) if d is not None), None)
