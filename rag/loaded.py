"""One loaded index version: its chunks, sentences, retriever and coverage, built together.

A `LoadedIndex` is never changed once built. The pipeline swaps in a new one with a
single assignment when a later `knotbot ingest` makes another version active, and each
question keeps the snapshot it started with, so an answer never mixes two versions.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from langchain_core.documents import Document

from rag.answer.aspect import FigureTable, figures_key
from rag.artefacts import release_pages
from rag.compose import LEXICAL_WEIGHT, keyword_overlap
from rag.coverage import Coverage
from rag.deadline import call_with_deadline
from rag.embeddings import TokenVectors
from rag.late import LateIndex
from rag.rerank import build_reranker
from rag.retrieval import HybridRetriever, KeywordIndex, sentence_stems, stem_tokens
from rag.settings import Settings
from rag.topical import TOPIC_TITLES, scores_each, table_key, topic_titles

_DOCTOR = re.compile(r"doctor|specialist|consult", re.IGNORECASE)
__all__ = ["TOPIC_TITLES", "LoadedIndex", "load_index", "read_chunks"]


@dataclass(frozen=True)
class LoadedIndex:
    name: str  # the Chroma collection (index version) it was read from
    chunks: dict[str, Document]
    chunk_sentences: dict[str, list[str]]  # each chunk's sentences, split once
    sentence_vectors: dict[str, np.ndarray]  # sentence -> its vector
    sentence_tokens: dict[str, TokenVectors]  # sentence -> token vectors (may be empty)
    idf: dict[str, float]  # over the sentences' words
    coverage: Coverage
    retriever: HybridRetriever
    doctor_docs: list[Document]
    embeddings: Any
    # Token vectors of texts that are not sentences (headings): kept at ingest, else
    # encoded on first use.
    extra_tokens: dict[str, TokenVectors] = field(default_factory=dict)
    topical: dict[str, float] = field(default_factory=dict)  # sentence -> topic_match
    senses: dict[str, Any] = field(default_factory=dict)  # the topic words' uses, once
    # The answer stage's figure table (rag.answer.aspect), kept at ingest; None: built by
    # an older Knotbot or other figure patterns, so the answer stage works it out itself.
    figures: FigureTable | None = None
    pages: tuple[mmap.mmap, ...] = ()  # the memory maps of its derived data (rag.artefacts)

    def release_pages(self) -> None:
        """Unmap the derived files' pages the last questions read (after each answer):
        what a question reads of them is in the page cache, not held by this process."""
        release_pages(self.pages)

    def score_in_context(self, question: str, groups: Sequence[Sequence[str]]
                         ) -> list[float] | None:
        """Each group of article texts (a sentence, the sentence before it, its heading)
        scored as one passage: what a sentence means by "this position" or "they" is in
        its neighbours. None without token vectors."""
        late: LateIndex | None = self.retriever.late
        tokens = getattr(self.embeddings, "tokens", None)
        q = tokens(question) if late is not None and tokens is not None else None
        if late is None or q is None:
            return None
        missing = [t for g in groups for t in g
                   if t not in self.sentence_tokens and t not in self.extra_tokens]
        if missing and hasattr(self.embeddings, "document_tokens"):
            fresh = list(dict.fromkeys(missing))
            encoded = self.embeddings.document_tokens(fresh)
            if len(encoded) == len(fresh):
                self.extra_tokens.update(zip(fresh, encoded, strict=True))
        found = [[v for t in g if (v := self.sentence_tokens.get(t) or self.extra_tokens.get(t))]
                 for g in groups]
        meaning = late.score_groups(q, found)
        words = set(stem_tokens(question))
        return [m + LEXICAL_WEIGHT * keyword_overlap(
                    words, frozenset().union(*(sentence_stems(t) for t in g)), self.idf)
                for m, g in zip(meaning, groups, strict=True)]

    @cached_property
    def topic_titles(self) -> list[str]:
        """The titles `topic_match` compares with (`rag.topical.topic_titles`)."""
        return topic_titles(self.chunks.values())

    def topic_match(self, sentences: Sequence[str]) -> list[float]:
        """Each sentence's match with the articles' titles: how much it is about the topic
        as a whole (worked out once per sentence)."""
        missing = [s for s in dict.fromkeys(sentences) if s not in self.topical]
        titles = self.topic_titles
        if missing and titles:
            per_title = self._score_each(titles, missing)
            self.topical.update({s: sum(v) / len(titles)
                                 for s, v in zip(missing, zip(*per_title, strict=True),
                                                 strict=True)})
        return [self.topical.get(s, 0.0) for s in sentences]

    def topic_sense(self, question: str, words: Sequence[str]) -> float | None:
        """How close the question's ``words`` (the articles' topic words) come, in
        context, to the articles' own uses of them (`rag.answer.sense`); None when it
        uses none of them or there are no token vectors."""
        from rag.answer.sense import closeness, occurrences

        late: LateIndex | None = self.retriever.late
        tokens = getattr(self.embeddings, "tokens", None)
        q = tokens(question) if late is not None and tokens is not None else None
        if late is None or tokens is None or q is None:
            return None
        if "uses" not in self.senses:
            ids = set()
            for w in sorted(words):
                piece = tokens(w)
                if piece is not None and len(piece.ids) == 1:  # a word of one piece
                    ids.add(int(piece.ids[0]))
            self.senses["uses"] = occurrences(ids, late.chunks)
        return closeness(q, self.senses["uses"])

    def score_sentences(self, question: str, sentences: Sequence[str]) -> list[float]:
        """Meaning plus a little for sharing the question's rarer words."""
        words = set(stem_tokens(question))
        return [m + LEXICAL_WEIGHT * keyword_overlap(
                    words, sentence_stems(s), self.idf)
                for m, s in zip(self._meaning(question, sentences), sentences, strict=True)]

    def _score_each(self, questions: Sequence[str], sentences: Sequence[str]
                    ) -> list[list[float]]:
        """`score_sentences` of each question, the sentences' tokens stacked once: at
        10,000 chunks the titles' matches with each answer's new sentences were 8 ms."""
        late: LateIndex | None = self.retriever.late
        tokens = getattr(self.embeddings, "tokens", None)
        qs = [tokens(q) for q in questions] if late is not None and tokens is not None else []
        if late is None or not qs or any(q is None for q in qs) or \
                not all(s in self.sentence_tokens for s in sentences):
            return [self.score_sentences(q, sentences) for q in questions]
        return scores_each(late, questions, [q for q in qs if q is not None], sentences,
                           self.sentence_tokens, self.idf)

    def _meaning(self, question: str, sentences: Sequence[str]) -> list[float]:
        """Late interaction with each sentence when token vectors exist: it quotes the
        question's key phrase more often than one cosine per sentence does (90/128 vs
        79/128 on evals/retrieval/, 50/70 vs 40/70 held out, as many sentences quoted).
        Otherwise (or for a sentence it has no tokens for) the cosine."""
        late: LateIndex | None = self.retriever.late
        tokens = getattr(self.embeddings, "tokens", None)
        q = tokens(question) if late is not None and tokens is not None else None
        if late is not None and q is not None and all(s in self.sentence_tokens
                                                      for s in sentences):
            return late.score_texts(q, [self.sentence_tokens[s] for s in sentences])
        qvec = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        return [float(self.sentence_vectors[s] @ qvec) if s in self.sentence_vectors else 0.0
                for s in sentences]


def load_index(client: Any, col: Any, name: str, settings: Settings, embeddings: Any,
               word_table: Any) -> LoadedIndex:
    """Everything answering needs from collection ``col`` (named ``name``): read from the
    data derived at ingest (`rag.artefacts`), computed only when it is missing."""
    from rag import artefacts
    from rag.derive import StoredCoverage, chunks_of, obtain, sentence_idf

    ids = call_with_deadline(lambda: col.get(include=[])["ids"], settings.store_timeout,
                             "read the index")
    found = artefacts.load(artefacts.folder(settings, name))
    stored = found.stored_chunks if found is not None else None
    if stored is not None and stored.ids == ids:  # this version's chunks, kept at ingest
        chunks, vectors = chunks_of(stored)
    else:
        chunks, vectors = call_with_deadline(lambda: read_chunks(col), settings.store_timeout,
                                             "read the index")
    derived = obtain(chunks, name, settings, embeddings, word_table, vectors, found)
    chunk_sentences = derived.chunk_sentences
    sentence_vectors = derived.sentence_vectors
    sentence_tokens = derived.sentence_tokens
    coverage = StoredCoverage([d.page_content for d in chunks.values()], embeddings,
                              word_table, derived)
    ids = list(chunks)
    chunk_tokens = derived.chunk_tokens
    late = LateIndex({i: chunk_tokens[chunks[i].page_content] for i in ids}) \
        if chunk_tokens else None
    matrices = {cid: np.stack(rows) for cid, sents in chunk_sentences.items()
                if (rows := [sentence_vectors[s] for s in sents if s in sentence_vectors])}
    by_chunk = {cid: [sentence_tokens[s] for s in sents if s in sentence_tokens]
                for cid, sents in chunk_sentences.items()}
    # BM25 as stored at ingest when its rows are these chunks in this order (the same
    # scores, ties included), else indexed now.
    keyword = derived.keyword if derived.keyword is not None and derived.keyword.ids == ids \
        else KeywordIndex(ids, [chunks[i].page_content for i in ids])
    retriever = _retriever(client, name, settings, embeddings, chunks, vectors, matrices,
                           late, by_chunk, coverage, derived.faq_vectors, keyword)
    doctor = [d for d in chunks.values() if _DOCTOR.search(str(d.metadata.get("section") or ""))]
    # Every sentence's topic match, worked out at ingest with this encoder and these titles.
    topical = dict(derived.topical) if derived.topical is not None and derived.topic_key \
        == table_key(embeddings, topic_titles(chunks.values())) else {}
    return LoadedIndex(name=name, chunks=chunks, chunk_sentences=chunk_sentences,
                       sentence_vectors=sentence_vectors,
                       sentence_tokens=sentence_tokens,
                       idf=derived.idf if derived.idf is not None
                       else sentence_idf(sentence_vectors),
                       coverage=coverage, retriever=retriever, doctor_docs=doctor,
                       embeddings=embeddings, pages=derived.maps, topical=topical,
                       extra_tokens=dict(derived.heading_tokens or {}),
                       figures=derived.figures if derived.figures is not None
                       and derived.figures.key == figures_key() else None)


def read_chunks(col: Any) -> tuple[dict[str, Document], dict[str, np.ndarray]]:
    """Every chunk of the collection as Documents, and their stored vectors."""
    got = col.get(include=["documents", "metadatas", "embeddings"])
    chunks = {cid: Document(id=cid, page_content=text, metadata=dict(meta or {}))
              for cid, text, meta in zip(got["ids"], got["documents"] or [],
                                         got["metadatas"] or [], strict=True)}
    raw = got["embeddings"] if got["embeddings"] is not None else []
    return chunks, {cid: np.asarray(v, dtype=np.float32)
                    for cid, v in zip(got["ids"], list(raw), strict=True)}


def _retriever(client: Any, collection: str, s: Settings, embeddings: Any,
               chunks: dict[str, Document], vectors: dict[str, np.ndarray],
               sentence_vectors: dict[str, np.ndarray], late: LateIndex | None,
               sentence_tokens: dict[str, list[TokenVectors]], coverage: Coverage,
               faq_vectors: dict[str, np.ndarray], keyword: KeywordIndex) -> HybridRetriever:
    from langchain_chroma import Chroma

    return HybridRetriever(
        vectorstore=Chroma(client=client, collection_name=collection,
                           embedding_function=embeddings), store_timeout=s.store_timeout,
        embeddings=embeddings, chunks=chunks, vectors=vectors,
        keyword=keyword,
        faq_vectors=faq_vectors,
        sentence_vectors=sentence_vectors, k=s.retrieval_k, method=s.fusion_method,
        dense_weight=s.fusion_dense_weight, bm25_weight=s.fusion_bm25_weight,
        sentence_weight=s.fusion_sentence_weight, faq_weight=s.faq_weight, rrf_k=s.rrf_k,
        late_weight=s.fusion_late_weight, late=late, mmr_lambda=s.mmr_lambda,
        reranker=build_reranker(late, embeddings, sentence_tokens,
                                min(s.rerank_depth, s.retrieval_k), s.rerank_late_weight,
                                s.rerank_sentence_weight),
        expand=coverage.related if s.query_expansion else None)
