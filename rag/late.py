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
# A question's best match in each text it was scored against, by the text's id (the text
# kept with it, so that id is not reused).
_Memo = dict[int, tuple[TokenVectors, np.ndarray]]


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
        self._queries: OrderedDict[int, tuple[TokenVectors, np.ndarray, float, np.ndarray,
                                              _Memo]] = OrderedDict()
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
        return self._scored(query, groups, self._best(query, texts))

    def score_each(self, queries: Sequence[TokenVectors], texts: list[TokenVectors]
                   ) -> list[list[float]]:
        """`score_texts` of each query against the same texts, their tokens stacked once
        (the composer matches each new sentence with every article title: each sentence
        once, so nothing is kept for those queries)."""
        groups = [[t] for t in texts]
        kept = [t for t in texts if len(t.vectors)]
        stacked = self._stack(kept) if kept else None
        return [self._scored(q, groups, self._rows(self._query(q)[2], stacked))
                if len(q.vectors) and stacked is not None else [0.0] * len(groups)
                for q in queries]

    def _stack(self, texts: list[TokenVectors]) -> tuple[np.ndarray, np.ndarray]:
        """Every text's tokens as one float32 matrix, and where each text starts in it.
        Texts that lie end to end in one stored array (a small corpus's chunks, all of
        them candidates) are that array's rows, not a copy of them."""
        arrays = [self._float32(t) for t in texts]
        joined = _joined(arrays) if len(arrays) > 1 else None
        return (joined if joined is not None else np.concatenate(arrays),
                np.cumsum([0] + [len(t.vectors) for t in texts])[:-1])

    def _best(self, query: TokenVectors, texts: list[TokenVectors]) -> np.ndarray:
        """Each text's best match for each question token (texts x question tokens),
        kept per question for its later calls: its answer scores the same sentences in
        several contexts (195 texts a question, 77 of them different, on the blind
        questions). A text's row is computed once per question, in the first call that
        scores it; BLAS may sum a row differently beside other texts (about 1e-7), so a
        score can differ by that much from one computed in another call."""
        _, _, q, memo = self._query(query)
        missing = list({id(t): t for t in texts if id(t) not in memo}.values())
        if missing:
            if missing[0].vectors.dtype == np.float32:  # stored as scored
                missing.sort(key=lambda t: _address_of(t.vectors))  # neighbours side by side
            best = self._rows(q, self._stack(missing))
            with self._lock:
                for t, row in zip(missing, best, strict=True):
                    memo.setdefault(id(t), (t, row))  # the text kept alive, so its id is not reused
        return np.stack([memo[id(t)][1] for t in texts])

    @staticmethod
    def _rows(q: np.ndarray, stacked: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """One matrix product over every text's tokens, then each text's best per question
        token, as one contiguous row per text."""
        matrix, starts = stacked
        return np.ascontiguousarray(np.maximum.reduceat(q @ matrix.T, starts, axis=1).T)

    def _scored(self, query: TokenVectors, groups: Sequence[Sequence[TokenVectors]],
                best: np.ndarray) -> list[float]:
        w, total, _, _ = self._query(query)
        out, row = [], 0
        for g in groups:
            n = sum(1 for t in g if len(t.vectors))
            if n == 1:
                out.append(float(best[row] @ w) / total)
            else:
                out.append(float(best[row:row + n].max(axis=0) @ w) / total if n else 0.0)
            row += n
        return out

    def _query(self, query: TokenVectors) -> tuple[np.ndarray, float, np.ndarray, _Memo]:
        """The question's token weights, their sum, its float32 tokens and its texts'
        best matches so far (`_best`), worked out once per question (a question's
        sentences are scored in a dozen calls). Keyed by the TokenVectors object, kept
        alive here, as in `_float32`."""
        with self._lock:
            found = self._queries.get(id(query))
            if found is not None:
                self._queries.move_to_end(id(query))  # in use: evicted last
                return found[1:]
        w = self.weights(query.ids)
        memo: _Memo = {}
        parts = (query, w, float(w.sum()) or 1.0, query.vectors.astype(np.float32), memo)
        with self._lock:
            found = self._queries.setdefault(id(query), parts)
            while len(self._queries) > QUERIES_KEPT:
                self._queries.popitem(last=False)
        return found[1:]

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


def _joined(arrays: list[np.ndarray]) -> np.ndarray | None:
    """``arrays`` as one matrix without a copy, when they are float32 rows lying end to
    end, in this order, in one buffer (views of one stored array); else None."""
    first = arrays[0]
    if first.dtype != np.float32 or first.ndim != 2 or first.base is None:
        return None
    at = _address_of(first)
    for a in arrays:
        if a.base is not first.base or a.dtype != first.dtype or not a.flags.c_contiguous \
                or a.shape[1:] != first.shape[1:] or _address_of(a) != at:
            return None
        at += a.nbytes
    rows = sum(len(a) for a in arrays)
    # The strides of packed rows (a one-row view may report any row stride).
    return np.lib.stride_tricks.as_strided(first, shape=(rows, first.shape[1]),
                                           strides=(first.shape[1] * first.itemsize,
                                                    first.itemsize), writeable=False)


def _address_of(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])
