"""A sentence read with what it leans on, and against the topic as a whole.

"Hold this position for 15-30 seconds" answers "how long do I hold the ear-to-shoulder
stretch?", but says "ear" and "shoulder" only in the sentence before it; "However,
excessive force can aggravate the muscle" answers "is it bad to push hard?" under the FAQ
heading "Is It Good to Push on Muscle Knots?". Each candidate sentence gains part of what
its heading and its previous sentence add to its match with the question (never loses:
a sentence that answers by itself keeps its own score).

A sentence about the topic as a whole ("Muscle knots in the neck are a common and often
painful issue...") matches every question about it a little, and so answers none: each
sentence loses part of its match with the articles' own titles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from langchain_core.documents import Document

from rag.answer.select import Candidate
from rag.chunking import body_of, passage_sentences

# question, groups of texts -> each group's score as one passage (None: not available)
GroupScorer = Callable[[str, Sequence[Sequence[str]]], "list[float] | None"]
TopicScorer = Callable[[Sequence[str]], list[float]]  # sentences -> match with the titles
# Chosen together on evals/retrieval/ (key phrase in the answer; context 0, 0.25, 0.5,
# 0.75, 1 x topic 0, 0.2, 0.4, 0.6, 0.8); evals/retrieval_holdout/ agreed.
CONTEXT_WEIGHT = 0.5  # share of the context's gain added to a sentence's own score
TOPIC_WEIGHT = 0.4  # share of its match with the titles taken from it


@lru_cache(maxsize=1024)
def _before(passage: str) -> dict[str, str]:
    """Each sentence of a passage -> the sentence before it (split once per passage)."""
    sentences = passage_sentences(passage)
    return dict(zip(sentences[1:], sentences[:-1], strict=True))


def neighbours(doc: Document, sentence: str) -> list[str]:
    """The heading the sentence sits under and the sentence before it in its passage."""
    out = [str(doc.metadata.get("section") or ""), _before(body_of(doc)).get(sentence, "")]
    return [t for t in out if t]


def in_context(question: str, cands: list[Candidate], score: GroupScorer,
               weight: float = CONTEXT_WEIGHT) -> list[Candidate]:
    """The candidates with part of their context's gain added to their scores."""
    if not cands or weight <= 0:
        return cands
    groups = [[c.text] for c in cands] + [[c.text, *neighbours(c.doc, c.text)] for c in cands]
    got = score(question, groups)
    if got is None:
        return cands
    alone, together = got[: len(cands)], got[len(cands):]
    return [replace(c, score=c.score + weight * max(0.0, t - a))
            for c, a, t in zip(cands, alone, together, strict=True)]


def rescore(question: str, cands: list[Candidate], context: GroupScorer | None,
            topical: TopicScorer | None) -> list[Candidate]:
    """Scores with the sentence's context added and its match with the topic taken off."""
    if context is not None:
        cands = in_context(question, cands, context)
    if topical is not None and cands and TOPIC_WEIGHT > 0:
        general = topical([c.text for c in cands])
        cands = [replace(c, score=c.score - TOPIC_WEIGHT * g)
                 for c, g in zip(cands, general, strict=True)]
    return cands
