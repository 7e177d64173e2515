"""The three report charts, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rag.evaluate.metrics import RankingScores
from rag.evaluate.safety import LEVELS
from rag.evaluate.speed import Latency


def _plt():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def recall_curves(curves: Sequence[RankingScores], path: Path) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = ["-o", "-s", "--", ":", "-."]
    for i, scores in enumerate(curves):
        ks = range(1, len(scores.recall) + 1)
        ax.plot(ks, scores.recall, styles[i % len(styles)], label=scores.name,
                linewidth=2.2 if i < 2 else 1.2, markersize=4)
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("Recall@k (answer span in top k)")
    ax.set_xticks(range(1, 11))
    ax.set_ylim(0, 1.02)
    ax.axhline(0.95, color="grey", linewidth=0.8, linestyle=":")
    ax.plot([4], [0.95], marker="*", color="grey", markersize=10, linestyle="none")
    ax.text(4.15, 0.96, "bar: Recall@4 >= 0.95", ha="left", va="bottom", fontsize=8,
            color="grey")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Retrieval: Recall@k on the retrieval questions")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _heatmap(ax, matrix: Counter[tuple[str, str]], title: str) -> None:  # type: ignore[no-untyped-def]
    grid = [[matrix.get((e, p), 0) for p in LEVELS] for e in LEVELS]
    rows = [sum(r) or 1 for r in grid]
    shares = [[v / rows[i] for v in r] for i, r in enumerate(grid)]
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=9,
                        color="white" if shares[i][j] > 0.6 else "black")
    labels = [lv.replace("_", " ") for lv in LEVELS]
    ax.set_xticks(range(len(LEVELS)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(LEVELS)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(title, fontsize=10)


def confusion_heatmaps(panels: Sequence[tuple[str, Counter[tuple[str, str]]]],
                       path: Path) -> Path:
    plt = _plt()
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.6), squeeze=False)
    for ax, (title, matrix) in zip(axes[0], panels, strict=True):
        _heatmap(ax, matrix, title)
    fig.suptitle("Triage: expected vs predicted level (counts; colour = row share)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def latency_histogram(latency: Latency, path: Path) -> Path:
    plt = _plt()
    fig, axes = plt.subplots(2, 3, figsize=(12, 6))
    axes.flat[-1].axis("off")
    stages = ("total", "embed", "triage", "retrieve", "compose")
    for ax, stage in zip(list(axes.flat)[: len(stages)], stages, strict=True):
        values = latency.samples[stage]
        ax.hist(values, bins=30, color="#4C72B0")
        for q, style in ((50, "-"), (95, "--")):
            v = latency.median(stage) if q == 50 else latency.p95(stage)
            ax.axvline(v, color="#C44E52", linestyle=style, linewidth=1.2,
                       label=f"p{q} {v:.1f} ms")
        ax.set_title(stage, fontsize=10)
        ax.set_xlabel("ms")
        ax.legend(fontsize=8)
    fig.suptitle(f"Warm per-question latency ({latency.questions} questions)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
