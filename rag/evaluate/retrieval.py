"""Retrieval quality: Knotbot's hybrid retriever, its ablations and sweeps, and the baseline.

The baseline is the plain LangChain tutorial pipeline: RecursiveCharacterTextSplitter
(1000/200) over the raw Markdown files, the same MiniLM embeddings, a Chroma collection
and similarity top-k.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from rag.evaluate.data import RetrievalQuestion
from rag.evaluate.metrics import RankingScores, is_relevant, ranking_scores
from rag.ingest import IngestReport, ingest
from rag.pipeline import KnotbotPipeline
from rag.rerank import LateReranker
from rag.settings import Settings

DEPTH = 10
DEFAULT = " (Knotbot's setting)"
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.DOTALL)

Ranker = Callable[[str], list[str]]


def score_ranker(name: str, ranker: Ranker, questions: Sequence[RetrievalQuestion],
                 collection: Sequence[str]) -> RankingScores:
    """Run every question through ``ranker`` (texts, best first) and score the rankings."""
    relevance = [[any(is_relevant(t, a) for a in q.answers) for t in ranker(q.question)]
                 for q in questions]
    totals = [sum(1 for t in collection if any(is_relevant(t, a) for a in q.answers))
              for q in questions]
    return ranking_scores(name, relevance, totals, len(collection), DEPTH)


@contextmanager
def tuned(retriever: Any, **fields: Any) -> Iterator[Any]:
    """Set retriever fields for the duration of a block, then put the old values back."""
    saved = {name: getattr(retriever, name) for name in fields}
    try:
        for name, value in fields.items():
            setattr(retriever, name, value)
        yield retriever
    finally:
        for name, value in saved.items():
            setattr(retriever, name, value)


def knotbot_scores(name: str, pipeline: KnotbotPipeline, questions: Sequence[RetrievalQuestion],
                   **fields: Any) -> RankingScores:
    """The pipeline's own retriever, asked for ``DEPTH`` results (MMR picks greedily, so
    the first 4 of 10 are exactly what the pipeline uses at k=4)."""
    texts = [d.page_content for d in pipeline.chunks.values()]
    with tuned(pipeline.retriever, k=DEPTH, fetch_k=max(DEPTH, pipeline.retriever.fetch_k),
               **fields) as retriever:
        def ranker(question: str) -> list[str]:
            return [d.page_content for d in retriever.invoke(question)]

        return score_ranker(name, ranker, questions, texts)


def ablations(pipeline: KnotbotPipeline, questions: Sequence[RetrievalQuestion],
              faq_weight: float) -> list[RankingScores]:
    """Signals (dense / BM25 / fused) crossed with FAQ matching on and off. (The row without
    the reranker is scored once by the runner, which the bars need too.)"""
    signals = {"model only (dense, sentence, late)": {"use_bm25": False},
               "BM25 only": {"use_dense": False},
               "fused": {}}
    out = []
    for label, fields in signals.items():
        for faq_label, weight in ((f"FAQ {faq_weight:g}", faq_weight), ("no FAQ", 0.0)):
            name = f"{label}, {faq_label}" + (DEFAULT if not fields and weight else "")
            out.append(knotbot_scores(name, pipeline, questions, faq_weight=weight, **fields))
    out.append(knotbot_scores(f"fused, FAQ {faq_weight:g}, no query expansion", pipeline,
                              questions, expand=None))
    out.append(knotbot_scores(f"fused, FAQ {faq_weight:g}, no late interaction in fusion",
                              pipeline, questions, late_weight=0.0))
    return out


def rerank_sweep(pipeline: KnotbotPipeline, questions: Sequence[RetrievalQuestion],
                 late_weights: Sequence[float] = (1.0, 3.0, 6.0),
                 sentence_weights: Sequence[float] = (0.0, 0.5, 1.0)) -> list[RankingScores]:
    """The reranker's two weights (the fused score's weight is 1); Recall@4 cannot move."""
    rr = pipeline.retriever.reranker
    if not isinstance(rr, LateReranker):
        return []
    own = (rr.late_weight, rr.sentence_weight)
    out = []
    for lw, sw in product(late_weights, sentence_weights):
        with tuned(rr, late_weight=lw, sentence_weight=sw):
            out.append(knotbot_scores(f"late {lw:g}, best sentence {sw:g}"
                                      + (DEFAULT if (lw, sw) == own else ""), pipeline, questions))
    return out


def fusion_sweep(pipeline: KnotbotPipeline, questions: Sequence[RetrievalQuestion],
                 weights: Sequence[float] = (0.4, 0.6, 0.8)) -> list[RankingScores]:
    r = pipeline.retriever
    return [knotbot_scores(f"{method}, dense weight {w:g}"
                           + (DEFAULT if (method, w) == (r.method, r.dense_weight) else ""),
                           pipeline, questions, method=method, dense_weight=w)
            for method in ("convex", "rrf") for w in weights]


def build_index(settings: Settings, embeddings: Embeddings) -> IngestReport:
    """A from-scratch ingest into ``settings.data_dir`` reusing the loaded model."""
    return ingest(settings, rebuild=True, load_embeddings=lambda _s: embeddings)


def chunk_sweep(settings: Settings, embeddings: Embeddings, questions: Sequence[RetrievalQuestion],
                workdir: Path, sizes: Sequence[int] = (300, 500, 800)
                ) -> list[tuple[RankingScores, IngestReport]]:
    """One fresh index per chunk size, each scored with the default retriever."""
    out = []
    for size in sizes:
        variant = settings.model_copy(update={
            "data_dir": workdir / f"chunks-{size}", "chunk_max_chars": size,
            "chunk_min_chars": min(settings.chunk_min_chars, size // 2),
            "chroma_host": None, "semantic_triage": False})
        report = build_index(variant, embeddings)
        pipeline = KnotbotPipeline(variant, embeddings=embeddings)
        name = f"chunk_max_chars {size}" + (DEFAULT if size == settings.chunk_max_chars else "")
        scores = knotbot_scores(name, pipeline, questions)
        out.append((scores, report))
    return out


@dataclass
class Baseline:
    store: Any
    texts: list[str]

    def rank(self, question: str) -> list[str]:
        return [d.page_content for d in self.store.similarity_search(question, k=DEPTH)]


def build_baseline(corpus_dir: Path, embeddings: Embeddings, workdir: Path) -> Baseline:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = []
    for path in sorted(corpus_dir.glob("*.md")):
        text = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
        docs += splitter.create_documents([text], metadatas=[{"source": path.stem}])
    workdir.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(workdir),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma.from_documents(docs, embeddings, collection_name="baseline", client=client)
    return Baseline(store=store, texts=[d.page_content for d in docs])


def baseline_scores(baseline: Baseline, questions: Sequence[RetrievalQuestion]) -> RankingScores:
    return score_ranker("baseline", baseline.rank, questions, baseline.texts)
