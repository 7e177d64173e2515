"""Vectors of a fixed list of texts (the safety stage's examples), kept on disk.

The semantic layer embeds a few hundred example phrasings at every start. They change
only with `rag/safety/data/examples.yaml` or the model, so the vectors are stored in the
cache folder under a key made from both, and a start reads one small file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings


class DiskCachedEmbeddings(Embeddings):
    """``embed_documents`` of a whole list read from disk when that exact list was seen
    before (same model); everything else goes to ``inner``."""

    def __init__(self, inner: Any, folder: Path, model_key: str) -> None:
        self.inner = inner
        self.folder = folder
        self.model_key = model_key

    def _path(self, texts: list[str]) -> Path:
        digest = hashlib.sha256(self.model_key.encode())
        for t in texts:
            digest.update(t.encode("utf-8", "replace") + b"\0")
        return self.folder / f"texts-{digest.hexdigest()[:20]}.npy"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        path = self._path(list(texts))
        try:
            stored = np.load(path)
            if stored.shape[0] == len(texts):
                return stored.tolist()  # type: ignore[no-any-return]
        except (OSError, ValueError):
            pass
        vectors = np.asarray(self.inner.embed_documents(texts), dtype=np.float32)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.folder, suffix=".npy")
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, vectors)
            Path(name).chmod(0o644)
            Path(name).replace(path)  # atomic
        except OSError:
            pass  # a read-only cache: embedded again next start
        return vectors.tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)  # type: ignore[no-any-return]
