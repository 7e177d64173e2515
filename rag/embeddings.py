"""The embedding model: all-MiniLM-L6-v2 loaded from a local folder, never from a hub."""

from __future__ import annotations

import os
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

from rag.errors import ModelError
from rag.settings import Settings


class QueryCachedEmbeddings(Embeddings):
    """Wraps an Embeddings so the same question is embedded once.

    Triage, retrieval and answer composition all compare against the question; the
    cache makes that one model call per question instead of three.
    """

    def __init__(self, inner: Embeddings, name: str, size: int = 512) -> None:
        self.inner = inner
        self.name = name
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._size = size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        if text in self._cache:
            self._cache.move_to_end(text)
            return self._cache[text]
        vec = self.inner.embed_query(text)
        self._cache[text] = vec
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return vec


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
    return QueryCachedEmbeddings(inner, settings.embedding_model)
