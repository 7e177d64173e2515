"""Late interaction (ColBERT-style MaxSim) over the chunks' token vectors.

Each question token finds its best-matching token in a chunk, in context; the chunk's
score is the IDF-weighted mean of those best matches. One vector per chunk averages a
passage's words away; token matching keeps "water" close to the sentence that says
"dehydration", and the IDF weights let "cupping" count for more than "neck".
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import numpy as np

from rag.embeddings import TokenVectors

UPCAST_BYTES = 24 * 2**20
QUERIES_KEPT = 16  # questions' weights and tokens kept (several people ask at once)


def document_frequency(texts: Sequence[np.ndarray]) -> dict[int, int]:
    """In how many of ``texts`` (WordPiece id arrays) each id occurs. Counted in NumPy:
    a Python set per text took most of a second of a 10,000-chunk start."""
    if not texts:
        return {}
    ids = np.concatenate(texts).astype(np.int64)
    if not len(ids):
        return {}
    width = int(ids.max()) + 1
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), [len(t) for t in texts])
    pairs = np.sort(text_of * width + ids)  # np.unique took ten times as long here
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    counts = np.bincount(pairs[first] % width, minlength=width)
    return {int(i): int(counts[i]) for i in np.flatnonzero(counts)}


class LateIndex:
    """Token vectors per chunk id, and the WordPiece IDF over the chunks."""

    def __init__(self, chunks: Mapping[str, TokenVectors]) -> None:
        # Kept as given (memory-mapped from the index's derived data: float32 for chunks,
        # float16 for sentences): each scoring turns only the few float16 texts it
        # compares into float32.
        self.chunks = {cid: t for cid, t in chunks.items() if len(t.vectors)}
        n = len(self.chunks)
        self._unseen = math.log(1 + n)
        self.idf = {i: math.log(1 + n / (1 + c)) for i, c in document_frequency(
            [t.ids for t in self.chunks.values()]).items()}
        # float32 copies of the texts scored lately, up to UPCAST_BYTES: upcasting every
        # candidate's float16 tokens took about 2 ms of each question, and a small corpus
        # fits whole (today's: about 10 MB). Keyed by the TokenVectors object, kept alive
        # here, so its id is never reused while cached.
        self._upcast: OrderedDict[int, tuple[TokenVectors, np.ndarray]] = OrderedDict()
        self._upcast_bytes = 0
        self._queries: OrderedDict[int, tuple[TokenVectors, np.ndarray, float, np.ndarray]
                                   ] = OrderedDict()
        self._lock = threading.Lock()

    def weights(self, ids: np.ndarray) -> np.ndarray:
        """IDF squared: rare pieces dominate, as a keyword index would have them."""
        return np.array([self.idf.get(int(i), self._unseen) for i in ids], dtype=np.float32) ** 2

    def scores(self, query: TokenVectors, ids: Sequence[str] | None = None
               ) -> dict[str, float]:
        """The late-interaction score against the query of the chunks ``ids`` (the
        retriever's candidates; all chunks when None) that have token vectors."""
        keys = list(self.chunks) if ids is None else [i for i in ids if i in self.chunks]
        return dict(zip(keys, self.score_texts(query, [self.chunks[i] for i in keys]),
                        strict=True))

    def score_texts(self, query: TokenVectors, texts: list[TokenVectors]) -> list[float]:
        """The same score against any texts' token vectors (the composer's sentences),
        weighted by the chunks' IDF."""
        return self.score_groups(query, [[t] for t in texts])

    def score_groups(self, query: TokenVectors, groups: Sequence[Sequence[TokenVectors]]
                     ) -> list[float]:
        """The score against each group of texts read as one (a sentence with the heading
        and the sentence it follows): each question token's best match in any of them."""
        if not len(query.vectors):
            return [0.0] * len(groups)
        texts = [t for g in groups for t in g if len(t.vectors)]
        if not texts:
            return [0.0] * len(groups)
        return self._scored(query, groups, self._stack(texts))

    def score_each(self, queries: Sequence[TokenVectors], texts: list[TokenVectors]
                   ) -> list[list[float]]:
        """`score_texts` of each query against the same texts, their tokens stacked once
        (the composer matches each new sentence with every article title)."""
        groups = [[t] for t in texts]
        kept = [t for t in texts if len(t.vectors)]
        stacked = self._stack(kept) if kept else None
        return [self._scored(q, groups, stacked) if len(q.vectors) and stacked is not None
                else [0.0] * len(groups) for q in queries]

    def _stack(self, texts: list[TokenVectors]) -> tuple[np.ndarray, np.ndarray]:
        """Every text's tokens as one float32 matrix, and where each text starts in it."""
        return (np.concatenate([self._float32(t) for t in texts]),
                np.cumsum([0] + [len(t.vectors) for t in texts])[:-1])

    def _scored(self, query: TokenVectors, groups: Sequence[Sequence[TokenVectors]],
                stacked: tuple[np.ndarray, np.ndarray]) -> list[float]:
        w, total, q = self._query(query)
        matrix, starts = stacked
        # One matrix product over every text's tokens, then each text's best per token.
        sims = q @ matrix.T
        # One contiguous row per text: a row is then the very array the maximum over a
        # group of one gave (the same dot product, without a reduction per text).
        best = np.ascontiguousarray(np.maximum.reduceat(sims, starts, axis=1).T)
        out, row = [], 0
        for g in groups:
            n = sum(1 for t in g if len(t.vectors))
            if n == 1:
                out.append(float(best[row] @ w) / total)
            else:
                out.append(float(best[row:row + n].max(axis=0) @ w) / total if n else 0.0)
            row += n
        return out

    def _query(self, query: TokenVectors) -> tuple[np.ndarray, float, np.ndarray]:
        """The question's token weights, their sum and its float32 tokens, worked out once
        per question (a question's sentences are scored in a dozen calls). Keyed by the
        TokenVectors object, kept alive here, as in `_float32`."""
        with self._lock:
            found = self._queries.get(id(query))
            if found is not None:
                return found[1:]
        w = self.weights(query.ids)
        parts = (query, w, float(w.sum()) or 1.0, query.vectors.astype(np.float32))
        with self._lock:
            self._queries[id(query)] = parts
            while len(self._queries) > QUERIES_KEPT:
                self._queries.popitem(last=False)
        return parts[1:]

    def _float32(self, text: TokenVectors) -> np.ndarray:
        if text.vectors.dtype == np.float32:  # stored so (a chunk's): nothing to convert
            return text.vectors
        with self._lock:
            found = self._upcast.get(id(text))
            if found is not None:
                self._upcast.move_to_end(id(text))
                return found[1]
        rows = upcast(text.vectors)
        with self._lock:
            if id(text) not in self._upcast:
                self._upcast[id(text)] = (text, rows)
                self._upcast_bytes += rows.nbytes
            while self._upcast_bytes > UPCAST_BYTES and self._upcast:
                self._upcast_bytes -= self._upcast.popitem(last=False)[1][1].nbytes
        return rows


# Every float16 bit pattern's float32 value. Indexing this table gives what
# ``astype(np.float32)`` gives, bit for bit, in about half its time: a large corpus's
# candidates are mostly new to each question, and converting them was most of its
# retrieval time.
_HALF = np.frombuffer(np.arange(2**16, dtype=np.uint16).tobytes(), np.float16
                      ).astype(np.float32)


def upcast(vectors: np.ndarray) -> np.ndarray:
    """Token vectors as float32 (float16 ones through the table)."""
    if vectors.dtype != np.float16:
        return np.asarray(vectors, dtype=np.float32)
    return np.take(_HALF, np.ascontiguousarray(vectors).view(np.uint16))
