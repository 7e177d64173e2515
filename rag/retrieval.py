"""Hybrid retrieval: dense (Chroma) + keyword (BM25) + FAQ-question matching, fused."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.documents.compressor import BaseDocumentCompressor
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.deadline import call_with_deadline
from rag.fusion import convex, mmr, rrf
from rag.late import LateIndex

_TOKEN = re.compile(r"[a-z0-9]+")
FAQ_FLOOR = 0.5  # below this an FAQ heading is not a paraphrase of the question
STOPWORDS = frozenset(
    "a an the and or but if of to in on at for with by from is are was were be been am i my me "
    "you your it its this that these those do does did can could should would will how what "
    "why when where which who there their they them so as not no any some just about into up "
    "out get got have has had".split()
)


def tokenize(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def stem_tokens(text: str) -> list[str]:
    """Stemmed keyword tokens, so "exercising" meets "exercise"."""
    return list(_stemmer().stemWords(tokenize(text)))


@lru_cache(maxsize=20000)
def sentence_stems(sentence: str) -> frozenset[str]:
    """A sentence's stemmed words, kept for the sentences scored lately (the composer
    scores the same article sentences again and again)."""
    return frozenset(stem_tokens(sentence))


class KeywordIndex:
    """BM25 over the chunks (bm25s), returning a score per chunk id."""

    def __init__(self, ids: list[str], texts: list[str], model: Any = None) -> None:
        from rag.lean_import import import_bm25s

        self.ids = ids
        if model is None:
            # NumPy's backend, so no process needs SciPy for it (the same matrix as
            # SciPy's, the same scores: rag.lean_import).
            model = import_bm25s().BM25(csc_backend="numpy")
            model.index([stem_tokens(t) or ["_"] for t in texts], show_progress=False)
        self.model = model

    def save(self, folder: Path) -> None:
        """The index's files in ``folder`` (bm25s' own format), for `load`."""
        self.model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, ids: list[str]) -> KeywordIndex:
        """The index `save` wrote over the chunks ``ids`` (in its rows' order)."""
        from rag.lean_import import import_bm25s

        return cls(ids, [], import_bm25s().BM25.load(str(folder), show_progress=False))

    def scores(self, query: str, related: Sequence[str] = (), top: int | None = None
               ) -> dict[str, float]:
        """BM25 of the query's words, plus ``related`` article words (query expansion):
        every chunk that scores, or only the ``top`` best."""
        tokens = stem_tokens(" ".join([query, *related]))
        if not tokens:
            return {}
        raw = np.asarray(self.model.get_scores(tokens))
        rows = np.flatnonzero(raw > 0)
        if top is not None and len(rows) > top:
            rows = rows[np.argpartition(-raw[rows], top - 1)[:top]]
        return {self.ids[i]: float(raw[i]) for i in sorted(rows.tolist())}


class HybridRetriever(BaseRetriever):
    """A LangChain retriever: each returned Document carries ``metadata["score"]``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vectorstore: Any
    embeddings: Embeddings
    chunks: dict[str, Document]
    vectors: dict[str, Any]
    keyword: KeywordIndex
    faq_vectors: dict[str, Any]
    sentence_vectors: dict[str, Any]
    # Weights and sizes come from Settings (the one place they are set); no defaults here.
    k: int
    method: str
    dense_weight: float
    bm25_weight: float
    sentence_weight: float
    faq_weight: float
    late_weight: float
    rrf_k: int
    mmr_lambda: float
    fetch_k: int = 12
    dense_k: int = 50  # a chunk left out of the dense list would score as the worst one
    # The costly signals (best sentence, late interaction, FAQ match) score only the chunks
    # dense search or BM25 put in their first ``candidates``: a question's cost stays flat
    # as the corpus grows. (On a corpus this small or smaller, that is every chunk.)
    candidates: int = 50
    use_dense: bool = True
    use_bm25: bool = True
    use_store: bool = True  # off: dense search over the in-memory vectors instead
    store_timeout: float | None = None  # seconds the store may take (None = no deadline)
    # Article words related to the query's words (Coverage.related), added to BM25's query.
    expand: Callable[[str], list[str]] | None = None
    # The chunks' token vectors for late interaction (rag.late); None turns it off.
    late: LateIndex | None = None
    # Reorders the first few of the chosen passages; None = off.
    reranker: BaseDocumentCompressor | None = None

    def signals(self, query: str) -> list[tuple[dict[str, float], float]]:
        return self._signals(query)[0]

    def _signals(self, query: str) -> tuple[list[tuple[dict[str, float], float]], list[str]]:
        """The weighted signals, and the candidate chunks the costly ones scored."""
        qvec = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        out: list[tuple[dict[str, float], float]] = []
        pool: dict[str, None] = {}
        if self.use_dense:
            dense = self.dense_scores(qvec)
            pool.update(dict.fromkeys(list(dense)[: self.candidates]))
            out.append((dense, self.dense_weight))
        if self.use_bm25:
            related = self.expand(query) if self.expand else []
            keyword = self.keyword.scores(query, related, top=self.candidates)
            pool.update(dict.fromkeys(sorted(keyword, key=keyword.__getitem__, reverse=True)))
            out.append((keyword, self.bm25_weight))
        ids = [c for c in pool if c in self.chunks]
        if self.use_dense and self.sentence_weight > 0 and self.sentence_vectors:
            # A chunk is as close as its closest sentence: one line of a long passage
            # can answer the question even when the passage as a whole is about more.
            best = {cid: float((self.sentence_vectors[cid] @ qvec).max())
                    for cid in ids if cid in self.sentence_vectors}
            out.append((best, self.sentence_weight))
        if self.use_dense and self.late_weight > 0 and self.late is not None:
            tokens = getattr(self.embeddings, "tokens", None)
            q = tokens(query) if tokens is not None else None
            if q is not None:
                out.append((self.late.scores(q, ids), self.late_weight))
        return out, ids

    def dense_scores(self, qvec: np.ndarray) -> dict[str, float]:
        """Cosine of the nearest chunks: from the store, within its deadline; or, with
        ``use_store`` off, exactly from the vectors in memory (the same snapshot)."""
        k = min(self.dense_k, len(self.chunks))
        if not self.use_store:
            ids = list(self.vectors)
            matrix = np.stack([self.vectors[i] for i in ids]) if ids else np.zeros((0, 1))
            norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(qvec) or 1.0)
            sims = (matrix @ qvec) / np.where(norms == 0, 1.0, norms) if ids else np.zeros(0)
            return {ids[i]: float(sims[i]) for i in np.argsort(-sims)[:k]}

        def search() -> list[tuple[str, float]]:
            # Ids and distances only: the LangChain store's own search also reads every
            # hit's text and metadata back from SQLite (3.5 ms a question instead of 0.7),
            # and the chunks are already in memory.
            got = self.vectorstore._collection.query(
                query_embeddings=[qvec.tolist()], n_results=k, include=["distances"])
            return list(zip(got["ids"][0], got["distances"][0], strict=True))

        hits = call_with_deadline(search, self.store_timeout, "search") \
            if self.store_timeout else search()
        return {str(cid): 1.0 - float(dist) for cid, dist in hits}

    def faq_bonus(self, query: str, ids: Sequence[str] | None = None) -> dict[str, float]:
        """How close the question is to an FAQ heading (of the chunks ``ids``, else of
        all), on an absolute scale.

        Not min-max scaled like the other signals: a weak best match must stay weak.
        """
        if self.faq_weight <= 0 or not self.faq_vectors:
            return {}
        qvec = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        faq = self.faq_vectors if ids is None else \
            {c: self.faq_vectors[c] for c in ids if c in self.faq_vectors}
        sims = {cid: float(v @ qvec) for cid, v in faq.items()}
        return {cid: self.faq_weight * (s - FAQ_FLOOR) / (1 - FAQ_FLOOR)
                for cid, s in sims.items() if s > FAQ_FLOOR}

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None
    ) -> list[Document]:
        fuse = rrf if self.method == "rrf" else convex
        signals, ids = self._signals(query)
        fused = (fuse(signals, self.rrf_k) if self.method == "rrf"  # type: ignore[call-arg]
                 else fuse(signals))
        scale = max(fused.values(), default=1.0) or 1.0
        for cid, bonus in self.faq_bonus(query, ids).items():
            fused[cid] = fused.get(cid, 0.0) + bonus * scale
        top = dict(sorted(fused.items(), key=lambda kv: kv[1], reverse=True)[: self.fetch_k])
        chosen = mmr(top, self.vectors, self.k, self.mmr_lambda) if self.mmr_lambda < 1 else \
            sorted(top, key=top.__getitem__, reverse=True)[: self.k]
        docs = []
        for cid in chosen:
            doc = self.chunks[cid]
            docs.append(Document(id=cid, page_content=doc.page_content,
                                 metadata={**doc.metadata, "score": top[cid]}))
        if self.reranker is not None:
            docs = list(self.reranker.compress_documents(docs, query))
        return docs
