"""Question vectors computed in batches before a big run, so the run is not model-bound.

One forward pass per question (what a live user gets) costs 10-100 ms on a busy 2-core
machine; the same questions embedded 32 at a time cost a fraction of that, and the
vectors agree to ~1e-7. Every other step of the pipeline (rules, semantic comparisons,
retrieval, fusion, composition) still runs for real. Latency is measured separately,
with nothing prefetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from langchain_core.embeddings import Embeddings

from rag.embeddings import TokenVectors


class PrefetchedEmbeddings(Embeddings):
    """Wraps the loaded model: ``embed_query`` answers from prefetched vectors when it can."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.vectors: dict[str, list[float]] = {}
        self.token_vectors: dict[str, TokenVectors] = {}

    def prefetch(self, texts: Iterable[str]) -> int:
        missing = sorted({t for t in texts if t and t not in self.vectors}, key=len)
        if missing:
            self.vectors.update(zip(missing, self.inner.embed_documents(missing), strict=True))
            tokens = self.document_tokens(missing)
            if tokens:
                self.token_vectors.update(zip(missing, tokens, strict=True))
        return len(missing)

    def clear(self) -> None:
        """Forget prefetched vectors and empty the wrapped model's own query cache."""
        self.vectors.clear()
        self.token_vectors.clear()
        cache = getattr(self.inner, "_cache", None)
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        vec = self.vectors.get(text)
        return list(vec) if vec is not None else self.inner.embed_query(text)

    def embed_query_with(self, text: str, others: list[str], lower: bool = False
                         ) -> tuple[list[float], list[list[float]], list[Any]]:
        """The question's vector (prefetched, or from the wrapped model with ``others`` in
        one call), the vectors of ``others`` and, asked ``lower``, their hidden states
        before the last layer (else none: the crisis reader then asks for them)."""
        vec = self.vectors.get(text)
        together = getattr(self.inner, "embed_query_with", None)
        if vec is None and together is not None:
            return together(text, others, lower=lower)  # type: ignore[no-any-return]
        return (self.embed_query(text), self.inner.embed_documents(others) if others else [],
                [])

    def lower_states(self, texts: list[str]) -> list[Any]:
        own = getattr(self.inner, "lower_states", None)
        return own(texts) if own is not None else []

    def tokens(self, text: str) -> TokenVectors | None:
        if text in self.token_vectors:
            return self.token_vectors[text]
        own = getattr(self.inner, "tokens", None)
        return own(text) if own is not None else None

    def document_tokens(self, texts: list[str]) -> list[TokenVectors]:
        batch = getattr(self.inner, "document_tokens", None)
        return batch(texts) if batch is not None else []
