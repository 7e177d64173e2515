"""The semantic layer: the local embedding model compares a question with example phrasings.

It may add a flag (or widen scope) when a question is very close to an example; it
never clears anything the rules raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rag.safety.lexicon import load_yaml

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings


@dataclass(frozen=True)
class SemanticHit:
    cls: str
    level: str
    score: float
    example: str


class SemanticLayer:
    def __init__(self, embeddings: Embeddings, flag_threshold: float = 0.72,
                 scope_threshold: float = 0.5) -> None:
        data = load_yaml("examples.yaml")
        self.embeddings = embeddings
        self.flag_threshold = flag_threshold
        self.scope_threshold = scope_threshold
        self._examples = [(cls, spec["level"], text)
                          for cls, spec in data["classes"].items() for text in spec["examples"]]
        self._scope_examples: list[str] = list(data["in_scope"])
        self._matrix: np.ndarray | None = None
        self._scope_matrix: np.ndarray | None = None
        self._example_scope: np.ndarray | None = None  # the in_scope examples alone

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        if self._matrix is None or self._scope_matrix is None:
            self._matrix = np.asarray(self.embeddings.embed_documents(
                [t for _, _, t in self._examples]), dtype=np.float32)
            self._example_scope = np.asarray(
                self.embeddings.embed_documents(self._scope_examples), dtype=np.float32)
            self._scope_matrix = self._example_scope
        return self._matrix, self._scope_matrix

    def warm(self) -> None:
        self._vectors()

    def _query(self, text: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(text), dtype=np.float32)

    def flags(self, text: str) -> list[SemanticHit]:
        matrix, _ = self._vectors()
        sims = matrix @ self._query(text)
        best: dict[str, SemanticHit] = {}
        for (cls, level, example), score in zip(self._examples, sims, strict=True):
            if score >= self.flag_threshold and (cls not in best or score > best[cls].score):
                best[cls] = SemanticHit(cls, level, float(score), example)
        return list(best.values())

    def set_article_vectors(self, vectors: np.ndarray) -> None:
        """Also count as in scope what is close to these (the articles' own sentences),
        instead of the articles set before: a re-ingest replaces them in one assignment."""
        self._vectors()  # sets the examples' matrix
        if self._example_scope is not None:
            self._scope_matrix = np.vstack([self._example_scope,
                                            np.asarray(vectors, np.float32)])

    def in_scope(self, text: str, threshold: float | None = None) -> bool:
        """Close to an in-scope example or an article sentence (at ``threshold``, else the
        layer's own)."""
        _, scope = self._vectors()
        bar = self.scope_threshold if threshold is None else threshold
        return bool((scope @ self._query(text)).max() >= bar)
