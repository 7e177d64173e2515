"""Pure metric helpers: rates, relevance by answer span, ranking metrics, percentiles."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.models import LEVEL_RANK

VERDICT_RANK = {"gently": 0, "stop": 1, "do_not_press": 2}
_BULLET = re.compile(r"(?m)^\s*- ")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Rate:
    """A share with its counts, so a table can show "97.1% (33/34)"."""

    num: int
    den: int

    @property
    def value(self) -> float:
        return self.num / self.den if self.den else float("nan")

    def __str__(self) -> str:
        if not self.den:
            return "n/a"
        return f"{100 * self.value:.1f}% ({self.num}/{self.den})"


def rate(flags: Sequence[bool]) -> Rate:
    return Rate(sum(1 for f in flags if f), len(flags))


def squash(text: str) -> str:
    """Bullets unmarked and whitespace collapsed, for span matching."""
    return _SPACE.sub(" ", _BULLET.sub("", text)).strip()


def is_relevant(chunk_text: str, answer_span: str) -> bool:
    return squash(answer_span) in squash(chunk_text)


def caught(expected: str, predicted: str) -> bool:
    """A warning sign is caught when the level is at least as urgent as expected."""
    return LEVEL_RANK[predicted] >= LEVEL_RANK[expected]


def less_strict(expected: str, predicted: str | None) -> bool:
    """A press verdict softer than expected; no verdict at all counts as the softest."""
    return predicted is None or VERDICT_RANK[predicted] < VERDICT_RANK[expected]


@dataclass(frozen=True)
class RankingScores:
    """Recall@k for k=1..depth (hit rate), MRR@depth and nDCG@depth over a question set."""

    name: str
    recall: tuple[float, ...]
    mrr: float
    ndcg: float
    reachable: int
    questions: int
    chunks: int

    def at(self, k: int) -> float:
        return self.recall[k - 1]


def ranking_scores(name: str, relevance: Sequence[Sequence[bool]], relevant_total: Sequence[int],
                   chunks: int, depth: int = 10) -> RankingScores:
    """``relevance[q]`` flags the ranked results of question q; ``relevant_total[q]`` is how
    many chunks in the whole collection are relevant to it (for the ideal DCG)."""
    n = len(relevance)
    hits = [0] * depth
    mrr = ndcg = 0.0
    for flags, total in zip(relevance, relevant_total, strict=True):
        flags = list(flags)[:depth]
        first = next((i for i, f in enumerate(flags) if f), None)
        if first is not None:
            mrr += 1.0 / (first + 1)
            for k in range(first, depth):
                hits[k] += 1
        dcg = sum(1.0 / math.log2(i + 2) for i, f in enumerate(flags) if f)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(total, depth)))
        ndcg += dcg / ideal if ideal else 0.0
    return RankingScores(name=name, recall=tuple(h / n for h in hits) if n else (0.0,) * depth,
                         mrr=mrr / n if n else 0.0, ndcg=ndcg / n if n else 0.0,
                         reachable=sum(1 for t in relevant_total if t), questions=n,
                         chunks=chunks)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) without numpy."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
