"""Score fusion and near-duplicate removal: small pure functions, weights from settings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def minmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-9:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / (hi - lo) for k, v in scores.items()}


def convex(signals: Sequence[tuple[dict[str, float], float]]) -> dict[str, float]:
    """Normalised convex combination: sum of weight * min-max(score) over signals."""
    fused: dict[str, float] = {}
    for scores, weight in signals:
        for key, value in minmax(scores).items():
            fused[key] = fused.get(key, 0.0) + weight * value
    return fused


def rrf(signals: Sequence[tuple[dict[str, float], float]], k: int = 60) -> dict[str, float]:
    """Weighted reciprocal-rank fusion."""
    fused: dict[str, float] = {}
    for scores, weight in signals:
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        for rank, key in enumerate(ranked):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank + 1)
    return fused


def mmr(relevance: dict[str, float], vectors: dict[str, np.ndarray], k: int,
        lam: float) -> list[str]:
    """Maximal marginal relevance: relevant, but not a near copy of what is already chosen."""
    rel = minmax(relevance)
    chosen: list[str] = []
    pool = sorted(rel, key=rel.__getitem__, reverse=True)
    while pool and len(chosen) < k:
        def gain(key: str) -> float:
            if not chosen:
                return rel[key]
            redundancy = max(float(vectors[key] @ vectors[c]) for c in chosen)
            return lam * rel[key] - (1 - lam) * redundancy
        best = max(pool, key=gain)
        chosen.append(best)
        pool.remove(best)
    return chosen
