"""Hybrid retrieval: dense (Chroma) + keyword (BM25) + FAQ-question matching, fused."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.fusion import convex, mmr, rrf

_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an the and or but if of to in on at for with by from is are was were be been am i my me "
    "you your it its this that these those do does did can could should would will how what "
    "why when where which who there their they them so as not no any some just about into up "
    "out get got have has had".split()
)


def tokenize(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


class KeywordIndex:
    """BM25 over the chunks (bm25s), returning a score per chunk id."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        import bm25s

        self.ids = ids
        self.model = bm25s.BM25()
        self.model.index([tokenize(t) or ["_"] for t in texts], show_progress=False)

    def scores(self, query: str) -> dict[str, float]:
        tokens = tokenize(query)
        if not tokens:
            return {}
        raw = self.model.get_scores(tokens)
        return {i: float(s) for i, s in zip(self.ids, raw, strict=True) if s > 0}


class HybridRetriever(BaseRetriever):
    """A LangChain retriever: each returned Document carries ``metadata["score"]``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vectorstore: Any
    embeddings: Embeddings
    chunks: dict[str, Document]
    vectors: dict[str, Any]
    keyword: KeywordIndex
    faq_vectors: dict[str, Any]
    k: int = 4
    fetch_k: int = 12
    method: str = "convex"
    dense_weight: float = 0.6
    faq_weight: float = 0.3
    rrf_k: int = 60
    mmr_lambda: float = 0.8
    use_dense: bool = True
    use_bm25: bool = True

    def signals(self, query: str) -> list[tuple[dict[str, float], float]]:
        qvec = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        out: list[tuple[dict[str, float], float]] = []
        if self.use_dense:
            hits = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
                qvec.tolist(), k=min(self.fetch_k, len(self.chunks)))
            out.append(({str(d.id): 1.0 - float(dist) for d, dist in hits}, self.dense_weight))
        if self.use_bm25:
            out.append((self.keyword.scores(query), 1.0 - self.dense_weight))
        if self.faq_weight > 0 and self.faq_vectors:
            faq = {cid: float(v @ qvec) for cid, v in self.faq_vectors.items()}
            out.append(({c: s for c, s in faq.items() if s > 0.5}, self.faq_weight))
        return out

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None
    ) -> list[Document]:
        fuse = rrf if self.method == "rrf" else convex
        signals = self.signals(query)
        fused = (fuse(signals, self.rrf_k) if self.method == "rrf"  # type: ignore[call-arg]
                 else fuse(signals))
        top = dict(sorted(fused.items(), key=lambda kv: kv[1], reverse=True)[: self.fetch_k])
        chosen = mmr(top, self.vectors, self.k, self.mmr_lambda) if self.mmr_lambda < 1 else \
            sorted(top, key=top.__getitem__, reverse=True)[: self.k]
        docs = []
        for cid in chosen:
            doc = self.chunks[cid]
            docs.append(Document(id=cid, page_content=doc.page_content,
                                 metadata={**doc.metadata, "score": round(top[cid], 4)}))
        return docs
