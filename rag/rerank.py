"""Second stage: reorder the passages fusion chose, by how closely their words answer.

Fusion is good at *which* passages belong in the top k (Recall@4 0.961 on
evals/retrieval/) and weaker at which of them comes first: the answer often sits second
behind its neighbour on the same topic. Among the k chosen, token-level late interaction,
with the passage as a whole and with its best sentence, tells them apart better than the
min-max scaled signals over the whole collection do. Only the first ``depth`` passages are
reordered, so what the answer can quote (its set of passages) never changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.callbacks import Callbacks
from langchain_core.documents import Document
from langchain_core.documents.compressor import BaseDocumentCompressor
from pydantic import ConfigDict

from rag.embeddings import TokenVectors
from rag.fusion import minmax
from rag.late import LateIndex


class LateReranker(BaseDocumentCompressor):
    """Reorders the first ``depth`` documents by fused score + late-interaction scores.

    Each of the three scores is min-max scaled over those documents, then weighted.
    Documents need an ``id`` and ``metadata["score"]`` (the fused score) from the retriever.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    late: LateIndex
    tokens: Callable[[str], TokenVectors | None]  # the question's token vectors
    sentences: Mapping[str, Sequence[TokenVectors]]  # chunk id -> its sentences' tokens
    depth: int
    late_weight: float
    sentence_weight: float

    def compress_documents(self, documents: Sequence[Document], query: str,
                           callbacks: Callbacks | None = None) -> Sequence[Document]:
        head, rest = list(documents[: self.depth]), list(documents[self.depth:])
        q = self.tokens(query) if len(head) > 1 else None
        if q is None or not len(q.vectors):
            return list(documents)
        ids = [str(d.id) if d.id is not None else f"#{n}" for n, d in enumerate(head)]
        if len(set(ids)) < len(ids):  # repeated ids: nothing sound to reorder by
            return list(documents)
        fused = minmax({i: float(d.metadata.get("score", 0.0)) for i, d in zip(ids, head,
                                                                             strict=True)})
        late = minmax(dict(zip(ids, self._chunk_scores(q, ids), strict=True)))
        best = minmax({i: max(self.late.score_texts(q, list(self.sentences.get(i, ()))),
                              default=0.0) for i in ids})
        total = {i: fused[i] + self.late_weight * late[i] + self.sentence_weight * best[i]
                 for i in ids}
        order = sorted(range(len(head)), key=lambda n: total[ids[n]], reverse=True)
        return [head[n] for n in order] + rest

    def _chunk_scores(self, q: TokenVectors, ids: list[str]) -> list[float]:
        missing = TokenVectors(q.ids[:0], q.vectors[:0])
        return self.late.score_texts(q, [self.late.chunks.get(i, missing) for i in ids])


def build_reranker(late: LateIndex | None, embeddings: Any,
                   sentences: Mapping[str, Sequence[TokenVectors]], depth: int,
                   late_weight: float, sentence_weight: float) -> LateReranker | None:
    """The reranker, or None when it is off (depth < 2) or there are no token vectors."""
    tokens = getattr(embeddings, "tokens", None)
    if late is None or tokens is None or depth < 2:
        return None
    return LateReranker(late=late, tokens=tokens, sentences=sentences, depth=depth,
                        late_weight=late_weight, sentence_weight=sentence_weight)
