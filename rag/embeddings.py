"""The embedding model: all-MiniLM-L6-v2 loaded from a local folder, never from a hub."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.errors import ModelError
from rag.settings import Settings


class QueryCachedEmbeddings(Embeddings):
    """Wraps an Embeddings so the same question is embedded once.

    Triage, retrieval and answer composition all compare against the question; the
    cache makes that one model call per question instead of three. Given the
    sentence-transformers ``model`` behind ``inner``, the same call also keeps the
    question's token vectors, for late-interaction retrieval (``tokens``).
    """

    def __init__(self, inner: Embeddings, name: str, size: int = 512, model: Any = None) -> None:
        self.inner = inner
        self.name = name
        self.model = model
        self._cache: OrderedDict[str, tuple[list[float], TokenVectors | None]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def _lookup(self, text: str) -> tuple[list[float], TokenVectors | None]:
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        if self.model is None:
            entry: tuple[list[float], TokenVectors | None] = (self.inner.embed_query(text), None)
        else:
            out = self.model.encode([text], output_value=None)[0]
            # normalize_embeddings is ignored with output_value=None: normalise here, as
            # embed_documents does, or every cosine threshold would shift with the model.
            vec = out["sentence_embedding"].float().cpu().numpy()
            entry = ((vec / max(float(np.linalg.norm(vec)), 1e-12)).tolist(),
                     self._token_vectors(out))
        with self._lock:
            self._cache[text] = entry
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return entry

    def embed_query(self, text: str) -> list[float]:
        return self._lookup(text)[0]

    def tokens(self, text: str) -> TokenVectors | None:
        """The question's token vectors, from the same model call as its vector."""
        return self._lookup(text)[1]

    def document_tokens(self, texts: list[str]) -> list[TokenVectors]:
        """Token vectors of many texts, batched (for the chunks, once per index load)."""
        if self.model is None or not texts:
            return []
        # One call gives ids and vectors together (a separate tokenizer call could disagree
        # with encode's, and it changes the shared tokenizer's state under other threads).
        return [self._token_vectors(o)
                for o in self.model.encode(texts, output_value=None, batch_size=16)]

    def _token_vectors(self, out: dict[str, Any]) -> TokenVectors:
        """The real (unpadded, non-special) tokens of one encode output, unit length."""
        mask = out["attention_mask"].cpu().numpy().astype(bool)
        ids = out["input_ids"].cpu().numpy().astype(np.int64)[mask]
        rows = out["token_embeddings"].float().cpu().numpy()[mask]
        keep = ~np.isin(ids, self.model.tokenizer.all_special_ids)
        ids, rows = ids[keep], rows[keep]
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        # float16 halves the query cache; the cosines move by about 1e-3.
        return TokenVectors(ids=ids, vectors=rows.astype(np.float16))


@dataclass(frozen=True)
class TokenVectors:
    """A text's WordPiece ids and one unit-length vector per id ([CLS] and [SEP] dropped)."""

    ids: np.ndarray
    vectors: np.ndarray  # float16


def load_embeddings(settings: Settings) -> QueryCachedEmbeddings:
    """Load the configured sentence-transformers model offline (takes a few seconds)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    path = settings.model_path()
    if not os.path.isdir(path):
        raise ModelError(
            f"the embedding model folder {path} does not exist: set KNOTBOT_EMBEDDING_MODEL "
            "to a local sentence-transformers folder"
        )
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise on every start

    try:
        inner = HuggingFaceEmbeddings(
            model_name=path,
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
        )
    except Exception as exc:  # sentence-transformers raises many kinds
        raise ModelError(f"could not load the embedding model from {path}: {exc}") from exc
    return QueryCachedEmbeddings(inner, settings.embedding_model,
                                 model=getattr(inner, "_client", None))
