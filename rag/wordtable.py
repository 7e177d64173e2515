"""Vectors of the commonest English words, embedded once and kept on disk.

Query expansion needs the vector of each question word the articles don't use. A model
call per question for a few single words costs as much as embedding the question, so the
commonest words are embedded once (about 10 s), saved beside the index, and looked up.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

FORMAT = 1  # bump when the file's layout or the word list's rule changes


@dataclass(frozen=True)
class WordTable:
    words: list[str]
    vectors: np.ndarray  # one unit row per word (float16 as read from disk: a start
    # compares one row, and derived data upcasts the rows it uses)

    def index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.words)}


def common_words(count: int) -> list[str]:
    """The ``count`` commonest English words of three letters or more (wordfreq)."""
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", count * 2) if w.isascii() and w.isalpha() and len(w) > 2]
    return words[:count]


def table_path(cache_dir: Path, model: str, count: int) -> Path:
    from importlib.metadata import version

    key = hashlib.sha256(f"{FORMAT}|{model}|{count}|{version('wordfreq')}".encode()).hexdigest()
    return cache_dir / f"words-{key[:16]}.npz"


def load_word_table(cache_dir: Path, model: str, count: int,
                    embeddings: Embeddings) -> WordTable | None:
    """The table for this model, from disk, or embedded now and saved; None when off.

    A file that is damaged, or was made by another model under the same name (its probe
    word no longer embeds the same), is rebuilt.
    """
    if count <= 0:
        return None
    path = table_path(cache_dir, model, count)
    table = _read(path)
    if table is not None and len(table.words) == count and _matches(table, embeddings):
        return table
    words = common_words(count)
    table = WordTable(words, np.asarray(embeddings.embed_documents(words), dtype=np.float32))
    _write(path, table)
    return table


def _read(path: Path) -> WordTable | None:
    if not path.is_file():
        return None
    try:
        with np.load(path) as data:
            words, vectors = list(data["words"]), data["vectors"]
    except Exception:  # noqa: BLE001 - numpy raises many kinds (EOFError, BadZipFile...)
        return None
    return WordTable(words, vectors) if vectors.shape[0] == len(words) else None


def _matches(table: WordTable, embeddings: Embeddings) -> bool:
    probe = np.asarray(embeddings.embed_documents([table.words[0]])[0], dtype=np.float32)
    row = np.asarray(table.vectors[0], dtype=np.float32)
    return row.shape == probe.shape and float(row @ probe) > 0.99


def _write(path: Path, table: WordTable) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, words=np.array(table.words),
                         vectors=table.vectors.astype(np.float16))
                fh.flush()
                os.fsync(fh.fileno())
            tmp.chmod(0o644)  # mkstemp makes it private; the table is no secret
            tmp.replace(path)  # atomic: a reader never sees half a file
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as err:
        warnings.warn(f"could not keep the word table in {path.parent} ({err}); it is "
                      "embedded again at every start: set KNOTBOT_CACHE_DIR to a writable "
                      "folder", stacklevel=2)
