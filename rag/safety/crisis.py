"""A learned reading of thoughts of suicide or self-harm, beside the `self_harm` rules.

People say it in ways no pattern lists ("a good place to go and not come back", "they'd
all cope fine without me"), so a small logistic head over the same MiniLM segment vectors
the learned triage layer already has reads it (no model call of its own). It is fitted by
`knotbot train-crisis` on `evals/train/crisis/` (texts written blind by a helper, never an
evaluation set), with every text of the triage layer's own training files as a negative,
and shipped as `data/crisis_head.npz`. Its threshold is the lowest whose out-of-fold false
alarms on all those negatives (figures of speech, accidents, denials, everyday knot
questions, warning signs) stay within `FALSE_ALARMS`; like every learned flag, it may only
add to what the rules find.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.safety.learned import segments
from rag.safety.train import TRAIN_DIR, _lowest, _per_message, training_files

CRISIS_FILE = Path(__file__).parent / "data" / "crisis_head.npz"
CRISIS_DIR = TRAIN_DIR / "crisis"
FALSE_ALARMS = 0.003  # out-of-fold, of the training negatives (each read segment by segment)
POSITIVE = "crisis"


@dataclass(frozen=True)
class CrisisHead:
    weights: np.ndarray  # dim
    bias: float
    threshold: float
    data_hash: str

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias))))

    def save(self, path: Path = CRISIS_FILE) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float32),
                            bias=np.array(self.bias), threshold=np.array(self.threshold),
                            data_hash=np.array(self.data_hash))


def load_crisis(path: Path = CRISIS_FILE) -> CrisisHead | None:
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as z:
        return CrisisHead(z["weights"], float(z["bias"]), float(z["threshold"]),
                          str(z["data_hash"]))


def crisis_files(folder: Path = CRISIS_DIR) -> list[Path]:
    """Its own texts, then the learned triage layer's (`evals/train/*.jsonl`): none of
    those is a crisis, and they teach it what everyday knot questions and warning signs
    look like, which its own hard negatives alone did not (fitted on those alone, it read
    "can I use a tool rather than my hands?" as a crisis)."""
    return [*sorted(folder.glob("*.jsonl")), *training_files()]


def read_crisis(files: Sequence[Path]) -> tuple[list[str], list[bool]]:
    """Texts and whether each is a crisis: a crisis file's own labels ("crisis" or
    "none"), and every text of the triage layer's files as none."""
    texts, positive = [], []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            text = str(row.get("text", "")).strip()
            if text and (path.parent != CRISIS_DIR or row.get("label") in (POSITIVE, "none")):
                texts.append(text)
                positive.append(path.parent == CRISIS_DIR and row["label"] == POSITIVE)
    return texts, positive


@dataclass
class CrisisReport:
    examples: int
    positives: int
    threshold: float
    oof_recall: float  # crisis texts flagged, out of fold
    oof_false_alarms: float  # negative texts flagged (any segment), out of fold


def _fit(x: np.ndarray, y: np.ndarray):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(x, y)


def train_crisis(texts: list[str], positive: list[bool],
                 embed: Callable[[list[str]], Sequence[Sequence[float]]], data_id: str
                 ) -> tuple[CrisisHead, CrisisReport]:
    """Fit on the texts, a negative's segments too (as served, a message is read segment
    by segment, so a fragment of a harmless one must not flag); a crisis text's segments
    are left out, since a clause of its story need not carry the thought."""
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    rows, ys, parent = list(texts), list(positive), list(range(len(texts)))
    for i, (text, pos) in enumerate(zip(texts, positive, strict=True)):
        if not pos:
            for piece in segments(text):
                if piece != text:
                    rows.append(piece)
                    ys.append(False)
                    parent.append(i)
    x = np.asarray(embed(rows), dtype=np.float32)
    y, groups = np.array(ys), np.array(parent)
    model = _fit(x, y)
    oof = cross_val_predict(_fit(x, y), x, y, method="predict_proba", groups=groups,
                            cv=StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0))
    per_text = _per_message(oof[:, 1], groups, len(texts))
    is_pos = np.array(positive)
    threshold = _lowest(per_text, per_text[~is_pos], FALSE_ALARMS)
    head = CrisisHead(model.coef_[0].astype(np.float32), float(model.intercept_[0]),
                      threshold, data_id)
    report = CrisisReport(len(texts), int(is_pos.sum()), threshold,
                          float((per_text[is_pos] >= threshold).mean()),
                          float((per_text[~is_pos] >= threshold).mean()))
    return head, report

