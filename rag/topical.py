"""How much each sentence is about the topic as a whole: its match with the articles' titles.

The answer stage takes part of it off each candidate sentence's score
(`rag.answer.context.rescore`). It depends on the sentence, the titles and the model only,
so ingest works it out for every sentence of a version and keeps it with the version's
derived data (`rag.artefacts`): at 10,000 chunks nearly every answer brought sentences
never scored before, and scoring them against every title was milliseconds of each
answer. A sentence missing from the table (a version stored by an older Knotbot, another
model) is scored when first asked for, by the same function.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from langchain_core.documents import Document

from rag.compose import LEXICAL_WEIGHT, keyword_overlap
from rag.embeddings import TokenVectors
from rag.late import LateIndex
from rag.retrieval import sentence_stems, stem_tokens

TOPIC_TITLES = 8  # the most titles a sentence's topic match reads (today's corpus has 2)
FORMAT = 1  # bump when what a table holds changes
BATCH = 2048  # sentences stacked at once at ingest (their float32 tokens, ~35 MB)


def topic_titles(chunks: Iterable[Document]) -> list[str]:
    """The titles a topic match compares with: every article's, up to TOPIC_TITLES; beyond,
    the TOPIC_TITLES with the most chunks (then by name). Each title is one model call and
    one scoring of every sentence: at 10,000 synthetic chunks (624 titles) that was
    seconds of each answer."""
    counts = Counter(str(d.metadata.get("title") or "") for d in chunks)
    counts.pop("", None)
    if len(counts) <= TOPIC_TITLES:
        return sorted(counts)
    return sorted(sorted(counts, key=lambda t: (-counts[t], t))[:TOPIC_TITLES])


def encoder_kind(embeddings: Any) -> str:
    """Which encoder gives ``embeddings``' token vectors (unwrapping a wrapper's ``inner``):
    a table made with one is not used with another, whose vectors differ slightly."""
    found = getattr(embeddings, "encoder", None)
    if found is None and getattr(embeddings, "inner", None) is not None:
        return encoder_kind(embeddings.inner)
    return type(found).__name__ if found is not None else ""


def table_key(embeddings: Any, titles: Sequence[str]) -> str:
    """What a stored table was made with: its format, the encoder and the titles."""
    return "\n".join([f"topic-{FORMAT}", encoder_kind(embeddings), *titles])


def scores_each(late: LateIndex, questions: Sequence[str], queries: Sequence[TokenVectors],
                sentences: Sequence[str], tokens: Mapping[str, TokenVectors],
                idf: dict[str, float]) -> list[list[float]]:
    """Each question's score of each sentence (meaning plus a little for sharing its
    rarer words), the sentences' tokens stacked once for all the questions."""
    meanings = late.score_each(list(queries), [tokens[s] for s in sentences])
    out = []
    for question, meaning in zip(questions, meanings, strict=True):
        words = set(stem_tokens(question))
        out.append([m + LEXICAL_WEIGHT * keyword_overlap(words, sentence_stems(s), idf)
                    for m, s in zip(meaning, sentences, strict=True)])
    return out


def topic_scores(late: LateIndex, titles: Sequence[str], queries: Sequence[TokenVectors],
                 sentences: Sequence[str], tokens: Mapping[str, TokenVectors],
                 idf: dict[str, float]) -> dict[str, float]:
    """Each sentence's topic match: the mean of its scores against every title."""
    per_title = scores_each(late, titles, queries, sentences, tokens, idf)
    return {s: sum(v) / len(titles)
            for s, v in zip(sentences, zip(*per_title, strict=True), strict=True)}


def topic_table(chunks: dict[str, Document], embeddings: Any,
                chunk_tokens: Mapping[str, TokenVectors], sentences: Sequence[str],
                tokens: Mapping[str, TokenVectors], idf: dict[str, float]
                ) -> tuple[str, dict[str, float]] | None:
    """Every sentence's topic match, as `rag.loaded.LoadedIndex.topic_match` works it out,
    and the table's key; None without token vectors."""
    titles = topic_titles(chunks.values())
    encode = getattr(embeddings, "tokens", None)
    if not titles or encode is None or not chunk_tokens or not tokens:
        return None
    queries = [encode(t) for t in titles]
    if any(q is None for q in queries):
        return None
    # The late index serving builds, for its IDF (which depends on the chunks' ids only).
    late = LateIndex({cid: chunk_tokens[d.page_content] for cid, d in chunks.items()
                      if d.page_content in chunk_tokens})
    todo = [s for s in dict.fromkeys(sentences) if s in tokens]
    table: dict[str, float] = {}
    for start in range(0, len(todo), BATCH):
        table.update(topic_scores(late, titles, queries, todo[start:start + BATCH], tokens,
                                  idf))
    return table_key(embeddings, titles), table
