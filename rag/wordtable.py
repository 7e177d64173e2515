"""Vectors of the commonest English words, embedded once and kept on disk.

Query expansion needs the vector of each question word the articles don't use. A model
call per question for a few single words costs as much as embedding the question, so the
commonest words are embedded once (about 10 s), saved beside the index, and looked up.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

FORMAT = 1  # bump when the file's layout or the word list's rule changes


@dataclass(frozen=True)
class WordTable:
    words: list[str]
    vectors: np.ndarray  # one unit row per word (float16 on disk, float32 here)

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
    """The table for this model, from disk, or embedded now and saved; None when off."""
    if count <= 0:
        return None
    path = table_path(cache_dir, model, count)
    if path.is_file():
        try:
            with np.load(path) as data:
                return WordTable(list(data["words"]), data["vectors"].astype(np.float32))
        except (OSError, KeyError, ValueError):
            pass  # a damaged file is rebuilt below
    words = common_words(count)
    vectors = np.asarray(embeddings.embed_documents(words), dtype=np.float32)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, words=np.array(words), vectors=vectors.astype(np.float16))
        tmp.replace(path)  # atomic: a reader never sees half a file
    except OSError:
        pass  # a read-only cache only costs the next start the same few seconds
    return WordTable(words, vectors)
