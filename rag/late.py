"""Late interaction (ColBERT-style MaxSim) over the chunks' token vectors.

Each question token finds its best-matching token in a chunk, in context; the chunk's
score is the IDF-weighted mean of those best matches. One vector per chunk averages a
passage's words away; token matching keeps "water" close to the sentence that says
"dehydration", and the IDF weights let "cupping" count for more than "neck".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import numpy as np

from rag.embeddings import TokenVectors


class LateIndex:
    """Token vectors per chunk id, and the WordPiece IDF over the chunks."""

    def __init__(self, chunks: Mapping[str, TokenVectors]) -> None:
        # Kept as given (float16, memory-mapped from the index's derived data): each
        # scoring turns only the few texts it compares into float32.
        self.chunks = {cid: t for cid, t in chunks.items() if len(t.vectors)}
        df = Counter(int(i) for t in self.chunks.values() for i in set(t.ids.tolist()))
        n = len(self.chunks)
        self._unseen = math.log(1 + n)
        self.idf = {i: math.log(1 + n / (1 + c)) for i, c in df.items()}

    def weights(self, ids: np.ndarray) -> np.ndarray:
        """IDF squared: rare pieces dominate, as a keyword index would have them."""
        return np.array([self.idf.get(int(i), self._unseen) for i in ids], dtype=np.float32) ** 2

    def scores(self, query: TokenVectors) -> dict[str, float]:
        """Each chunk's late-interaction score against the query."""
        return dict(zip(self.chunks, self.score_texts(query, list(self.chunks.values())),
                        strict=True))

    def score_texts(self, query: TokenVectors, texts: list[TokenVectors]) -> list[float]:
        """The same score against any texts' token vectors (the composer's sentences),
        weighted by the chunks' IDF."""
        if not len(query.vectors):
            return [0.0] * len(texts)
        w = self.weights(query.ids)
        total = float(w.sum()) or 1.0
        q = query.vectors.astype(np.float32)
        return [float((q @ t.vectors.astype(np.float32, copy=False).T).max(axis=1) @ w) / total
                if len(t.vectors) else 0.0 for t in texts]
