"""Fit the learned triage head (`knotbot train-triage`) on `evals/train/`.

Thresholds are chosen for recall on the red-flag classes from out-of-fold predictions
(5-fold cross-validation on the training data alone, never an evaluation set), then
the false alarms they cost on the training negatives are reported beside them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.safety.learned import OTHER_LABELS, PRESS_LABELS, Head, segments

TRAIN_DIR = Path(__file__).resolve().parents[2] / "evals" / "train"
# Thresholds: the lowest whose out-of-fold false alarms on the training data's plain
# questions stay within these budgets (the bars allow 5% on ordinary questions in all).
FLAG_FALSE_ALARMS = 0.02
PRESS_FALSE = 0.0  # press_ok texts given a stricter verdict


def training_files(train_dir: Path = TRAIN_DIR) -> list[Path]:
    return sorted(train_dir.glob("*.jsonl"))


def data_hash(files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Labels whose every piece keeps the label: a clause of an ordinary question is ordinary,
# while a clause of a red-flag story need not carry the sign.
WHOLE_LABELS = ("ordinary", "off_topic", "press_ok")


def with_pieces(texts: list[str], labels: list[str]
                ) -> tuple[list[str], list[str], list[int]]:
    """Each negative text's segments added with its label, so the head meets short
    fragments ("what can I do about it") in training as it does when serving. The third
    list names each row's parent text, so a text and its pieces share a fold."""
    out_t, out_l, parent = list(texts), list(labels), list(range(len(texts)))
    seen = set(texts)
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        if label in WHOLE_LABELS:
            for piece in segments(text):
                if piece not in seen:
                    seen.add(piece)
                    out_t.append(piece)
                    out_l.append(label)
                    parent.append(i)
    return out_t, out_l, parent


def read_training(files: Sequence[Path], red_classes: Sequence[str]
                  ) -> tuple[list[str], list[str]]:
    allowed = set(red_classes) | set(PRESS_LABELS) | set(OTHER_LABELS)
    texts, labels = [], []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") in allowed and str(row.get("text", "")).strip():
                texts.append(str(row["text"]).strip())
                labels.append(str(row["label"]))
    return texts, labels


@dataclass
class TrainReport:
    examples: int
    per_label: dict[str, int]
    flag_threshold: float
    do_not_threshold: float
    stop_threshold: float
    oof_flag_recall: float
    oof_false_alarms: float  # ordinary / press_ok texts flagged
    oof_denials_flagged: float
    oof_do_not_recall: float
    oof_stop_recall: float
    oof_press_false: float  # press_ok texts given a stricter verdict


def _fit(x: np.ndarray, y: np.ndarray, seed: int = 0):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=16.0, max_iter=3000, class_weight="balanced",
                              random_state=seed).fit(x, y)


def _lowest(scores: np.ndarray, negatives: np.ndarray, budget: float) -> float:
    """The lowest threshold whose false alarms on ``negatives`` stay within ``budget``:
    as much recall as that budget buys."""
    for t in np.round(np.arange(0.3, 0.995, 0.01), 2):
        if float((negatives >= t).mean()) <= budget:
            return float(t)
    return 0.99


def _per_message(rows: np.ndarray, parent: np.ndarray, n: int) -> np.ndarray:
    """Each text's score as served: the largest over the text and its pieces."""
    out = np.zeros(n)
    np.maximum.at(out, parent, rows)
    return out


def train_head(texts: list[str], labels: list[str], red_classes: Sequence[str],
               embed: Callable[[list[str]], Sequence[Sequence[float]]], data_id: str
               ) -> tuple[Head, TrainReport]:
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    n = len(texts)
    rows_t, rows_l, parent_list = with_pieces(texts, labels)
    x = np.asarray(embed(rows_t), dtype=np.float32)
    y, parent = np.array(rows_l), np.array(parent_list)
    model = _fit(x, y)
    names = [str(c) for c in model.classes_]
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    oof = cross_val_predict(_fit(x, y), x, y, cv=folds, groups=parent, method="predict_proba")
    msg_y = np.array(labels)
    mass = _per_message(oof[:, np.isin(names, list(red_classes))].sum(axis=1), parent, n)
    do_not = _per_message(oof[:, names.index("press_do_not")], parent, n)
    stop = _per_message(oof[:, names.index("press_stop")], parent, n)
    is_red = np.isin(msg_y, list(red_classes))
    plain = np.isin(msg_y, ["ordinary", "press_ok"])
    flag_t = _lowest(mass, mass[plain], FLAG_FALSE_ALARMS)
    do_not_t = _lowest(do_not, do_not[msg_y == "press_ok"], PRESS_FALSE)
    stop_t = _lowest(stop, stop[msg_y == "press_ok"], PRESS_FALSE)
    head = Head(labels=tuple(names), weights=model.coef_.astype(np.float32),
                bias=model.intercept_.astype(np.float32), flag_threshold=flag_t,
                scope_threshold=min(0.5, flag_t / 2), do_not_threshold=do_not_t,
                stop_threshold=stop_t, data_hash=data_id)
    ok = msg_y == "press_ok"
    report = TrainReport(
        examples=n, per_label={k: int((msg_y == k).sum()) for k in names},
        flag_threshold=flag_t, do_not_threshold=do_not_t, stop_threshold=stop_t,
        oof_flag_recall=float((mass[is_red] >= flag_t).mean()),
        oof_false_alarms=float((mass[plain] >= flag_t).mean()),
        oof_denials_flagged=float((mass[msg_y == "denial"] >= flag_t).mean()),
        oof_do_not_recall=float((do_not[msg_y == "press_do_not"] >= do_not_t).mean()),
        oof_stop_recall=float((stop[msg_y == "press_stop"] >= stop_t).mean()),
        oof_press_false=float(((do_not[ok] >= do_not_t) | (stop[ok] >= stop_t)).mean()))
    return head, report
