"""Derive a version's start-up data from its chunks (at ingest, or once on first load).

The coverage tables are the outputs of `rag.coverage.Coverage`'s own build steps, kept as
they are; `StoredCoverage` is that class fed with them instead of computing them again.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
from langchain_core.documents import Document

from rag import artefacts
from rag.answer.aspect import figure_table
from rag.artefacts import Derived, Reuse, StoredChunks
from rag.chunking import body_of, passage_sentences, split_sentences
from rag.compose import inverse_document_frequency
from rag.coverage import Coverage
from rag.retrieval import KeywordIndex, sentence_stems
from rag.safety.lexicon import load_lexicon
from rag.settings import Settings
from rag.topical import topic_table
from rag.wordtable import WordTable


class StoredCoverage(Coverage):
    """A `Coverage` built from stored tables: its model-bound steps are read, not run."""

    def __init__(self, texts: list[str], embeddings: Any, table: WordTable | None,
                 derived: Derived) -> None:
        self._derived = derived
        super().__init__(texts, embeddings, known=load_lexicon().contraindications,
                         table=table, uses=derived.uses)

    def _embed(self, words: list[str], table: WordTable | None) -> np.ndarray | None:
        return self._derived.coverage_vectors if words else None

    def _nearest_for_table(self, table: WordTable | None) -> dict[str, tuple[str, float]]:
        return self._derived.table_nearest if table is not None else {}


def late_wanted(settings: Settings) -> bool:
    return settings.fusion_late_weight > 0 or settings.rerank_depth >= 2


def derive(chunks: dict[str, Document], settings: Settings, embeddings: Any,
           word_table: WordTable | None, reuse: Reuse,
           vectors: dict[str, np.ndarray] | None = None) -> Derived:
    """Everything start-up needs that the model computes, for these chunks."""
    chunk_sentences = {cid: split_sentences(body_of(d).replace("\n", " "))
                       for cid, d in chunks.items()}
    texts = sorted({s for sents in chunk_sentences.values() for s in sents}
                   | {s for d in chunks.values() for s in passage_sentences(body_of(d))})
    sentence_vectors = dict(zip(texts, reuse.embed(texts, embeddings.embed_documents),
                                strict=True))
    batch = getattr(embeddings, "document_tokens", None)
    chunk_texts = list(dict.fromkeys(d.page_content for d in chunks.values()))
    sentence_tokens: dict[str, Any] = {}
    chunk_tokens: dict[str, Any] = {}
    if batch is not None and late_wanted(settings):
        sentence_tokens = dict(zip(texts, reuse.token_vectors(texts, batch) or [], strict=False))
        chunk_tokens = dict(zip(chunk_texts, reuse.token_vectors(chunk_texts, batch) or [],
                                strict=False))
    # The headings the answer stage reads with a sentence (rag.answer.context): at 10,000
    # chunks, an answer in seven encoded one it had not met before.
    headings = sorted({h for d in chunks.values() if (h := str(d.metadata.get("section") or ""))}
                      - set(texts))
    heading_tokens = dict(zip(headings, reuse.token_vectors(headings, batch) or [],
                              strict=False)) if sentence_tokens and batch is not None else {}
    faq = {c: q for c, d in chunks.items() if (q := str(d.metadata.get("question") or ""))}
    idf = sentence_idf(sentence_vectors)
    topical = topic_table(chunks, embeddings, chunk_tokens, texts, sentence_tokens, idf)
    coverage = Coverage((d.page_content for d in chunks.values()), embeddings,
                        known=load_lexicon().contraindications, table=word_table)
    return Derived(chunk_sentences=chunk_sentences, sentence_vectors=sentence_vectors,
                   sentence_tokens=sentence_tokens, chunk_tokens=chunk_tokens,
                   faq_vectors=reuse.faq_vectors(faq, embeddings.embed_documents),
                   coverage_vectors=coverage.vectors,
                   table_nearest=coverage._table_nearest, encoded=reuse.encoded,
                   uses=coverage.uses, idf=idf,
                   keyword=KeywordIndex(list(chunks), [d.page_content for d in chunks.values()]),
                   stored_chunks=_stored(chunks, vectors),
                   figures=figure_table(list(chunks.values())),
                   topical=topical[1] if topical else None,
                   topic_key=topical[0] if topical else "",
                   heading_tokens=heading_tokens if len(heading_tokens) == len(headings) else None)


def _stored(chunks: dict[str, Document], vectors: dict[str, np.ndarray] | None
            ) -> StoredChunks | None:
    """The chunks and their vectors as the store gave them, when it gave every vector."""
    if vectors is None or set(vectors) != set(chunks) or not chunks:
        return None
    ids = list(chunks)
    return StoredChunks(ids=ids, texts=[chunks[i].page_content for i in ids],
                        metadatas=[dict(chunks[i].metadata) for i in ids],
                        vectors=np.stack([np.asarray(vectors[i], np.float32) for i in ids]))


def chunks_of(stored: StoredChunks) -> tuple[dict[str, Document], dict[str, np.ndarray]]:
    """The chunks and vectors `rag.loaded.read_chunks` gives, from the stored copy."""
    chunks = {cid: Document(id=cid, page_content=text, metadata=dict(meta))
              for cid, text, meta in zip(stored.ids, stored.texts, stored.metadatas,
                                         strict=True)}
    return chunks, dict(zip(stored.ids, stored.vectors, strict=True))


def sentence_idf(sentences: Iterable[str]) -> dict[str, float]:
    """The composer's IDF over these sentences' stemmed words (`rag.loaded`)."""
    return inverse_document_frequency([sentence_stems(s) for s in sentences])


def obtain(chunks: dict[str, Document], name: str, settings: Settings, embeddings: Any,
           word_table: WordTable | None, vectors: dict[str, np.ndarray] | None = None,
           found: Derived | None = None) -> Derived:
    """Version ``name``'s derived data from disk (``found``: already read from there);
    derived now (and kept) if missing. ``vectors``: the chunks' vectors in the store."""
    path = artefacts.folder(settings, name)
    found = found if found is not None else artefacts.load(path)
    if found is not None and set(found.chunk_sentences) == set(chunks):
        return found
    made = derive(chunks, settings, embeddings, word_table,
                  Reuse(artefacts.latest(settings, but=name)), vectors)
    try:
        artefacts.save(path, made, word_table.words if word_table is not None else [])
    except OSError as err:
        warnings.warn(f"could not keep the index's derived data in {path.parent} ({err}); "
                      "it is computed again at every start: set KNOTBOT_CACHE_DIR to a "
                      "writable folder", stacklevel=2)
    return made
