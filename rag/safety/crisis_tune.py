"""Fit the crisis reader (`knotbot train-crisis`): MiniLM's last layer fine-tuned with a
logistic head on `evals/train/crisis/` (torch, at build time only; serving runs the
result in NumPy, `rag.safety.crisis`).

The thresholds are then chosen as served: each question read segment by segment through
the exported encoder and the NumPy layer, the lowest logit whose false alarms stay within
`FALSE_ALARMS` on half of the evaluation sets' messages that are no crisis (a stable half,
by a hash of the text); once over those with no emergency sign (ordinary, near-miss,
off-topic, answer questions, lesser signs), once over those telling of an emergency sign
(the threshold beside one). The other half is reported beside each,
so the figure the threshold was not chosen on is known. No evaluation question is ever
trained on, and no crisis message of an evaluation set is read here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.safety.crisis import CrisisReader, readable
from rag.safety.learned import crisis_pieces, segments

EPOCHS = 3
LEARNING_RATE = 5e-5  # the tuned layer's
HEAD_RATE = 1e-2
BATCH = 32
SEED = 0
FALSE_ALARMS = 0.002  # of the calibration half of the evaluation sets' other messages
CRISIS_CLASSES = ("self-harm", "self_harm", "crisis")  # an evaluation case's class
EVALS = Path(__file__).resolve().parents[2] / "evals"


def training_rows(texts: list[str], positive: list[bool]) -> tuple[list[str], list[bool]]:
    """Each text, and each segment of a negative one (served, a message is read segment by
    segment, so a fragment of a harmless one must not flag); a crisis text's segments are
    left out, since a clause of its story need not carry the thought."""
    rows, ys = list(texts), list(positive)
    for text, pos in zip(texts, positive, strict=True):
        if not pos:
            extra = [p for p in segments(text) if p != text]
            rows += extra
            ys += [False] * len(extra)
    return rows, ys


def plain_questions(evals: Path = EVALS) -> tuple[list[str], list[str]]:
    """Every question of the evaluation sets that must get no crisis reply, as two lists:
    those with no emergency sign (ordinary, near-miss, off-topic, every answer set's
    question, and the lesser signs), and those telling of an emergency sign (a long story
    of a fever or a fall is no crisis either, but its level is an emergency anyway, so the
    reader's threshold beside such a sign is chosen on these: by the case's expected
    level, where serving asks the rules). Their crisis cases are never read here."""
    plain: set[str] = set()
    signs: set[str] = set()
    for path in sorted(evals.glob("safety*/*.jsonl")) + sorted(evals.glob("answers_*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else {}
            q = case.get("question")
            if isinstance(q, str) and q.strip() and case.get("class") not in CRISIS_CLASSES:
                sign = case.get("expected_level") == "emergency"
                (signs if sign else plain).add(q)
    return sorted(plain - signs), sorted(signs)


def halves(questions: list[str]) -> tuple[list[str], list[str]]:
    """A stable split: (calibration, held out)."""
    odd = [int(hashlib.sha256(q.encode()).hexdigest(), 16) % 2 for q in questions]
    return ([q for q, o in zip(questions, odd, strict=True) if not o],
            [q for q, o in zip(questions, odd, strict=True) if o])


def fine_tune(model_path: str, rows: list[str], ys: list[bool],
              log: Callable[[str], None] = print) -> CrisisReader:
    """The last layer and the head, trained; threshold left at 0."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    tok = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    model = AutoModel.from_pretrained(model_path, local_files_only=True,
                                      attn_implementation="eager").eval()
    layers = model.encoder.layer
    top = layers[-1]

    def additive(mask: torch.Tensor) -> torch.Tensor:
        return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    lowers: list[torch.Tensor] = [torch.zeros(0)] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    with torch.no_grad():
        for at in range(0, len(order), 64):
            idx = order[at:at + 64]
            batch = tok([rows[i] for i in idx], padding=True, truncation=True,
                        max_length=256, return_tensors="pt")
            out = model(**batch, output_hidden_states=True).hidden_states[-2]
            for j, i in enumerate(idx):
                lowers[i] = out[j, :int(batch["attention_mask"][j].sum())].clone()
    log(f"read {len(rows)} texts up to the last layer")

    def pooled(hs: list[torch.Tensor]) -> torch.Tensor:
        width = max(h.shape[0] for h in hs)
        h = torch.zeros(len(hs), width, hs[0].shape[1])
        mask = torch.zeros(len(hs), width)
        for j, x in enumerate(hs):
            h[j, :x.shape[0]] = x
            mask[j, :x.shape[0]] = 1
        out = top(h, attention_mask=additive(mask))
        out = out[0] if isinstance(out, tuple) else out
        v = (out * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return torch.nn.functional.normalize(v, dim=-1)

    from rag.safety.crisis import SCALE

    head = torch.nn.Linear(lowers[0].shape[1], 1)
    for p in model.parameters():
        p.requires_grad = False
    for p in top.parameters():
        p.requires_grad = True
    opt = torch.optim.AdamW([{"params": list(top.parameters()), "lr": LEARNING_RATE},
                             {"params": head.parameters(), "lr": HEAD_RATE}],
                            weight_decay=0.01)
    y = np.array(ys, dtype=np.float32)
    weight = torch.tensor((y == 0).sum() / max((y == 1).sum(), 1))
    top.train()
    for epoch in range(EPOCHS):
        total = 0.0
        shuffled = rng.permutation(len(rows))
        for at in range(0, len(rows), BATCH):
            picked = shuffled[at:at + BATCH]
            logit = head(pooled([lowers[i] for i in picked]) * SCALE).squeeze(-1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logit, torch.tensor(y[picked]), pos_weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(picked)
        log(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(rows):.4f}")
    top.eval()
    # As shipped (float16), so the threshold is chosen on the weights that serve.
    params = {k: v.detach().numpy().astype(np.float16).astype(np.float32)
              for k, v in top.state_dict().items()}
    return CrisisReader(params, head.weight.detach().numpy()[0].astype(np.float32),
                        float(head.bias.detach()[0]), 0.0, "")


@dataclass
class CrisisReport:
    examples: int
    positives: int
    threshold: float  # a logit, in a message with no emergency sign
    train_recall: float  # crisis texts flagged (seen in training: an upper bound)
    calibration_false_alarms: str  # flagged / questions, the half it was chosen on
    held_out_false_alarms: str  # flagged / questions, the other half
    beside_sign: float  # the threshold in a message that tells of an emergency sign
    beside_sign_calibration_false_alarms: str
    beside_sign_held_out_false_alarms: str


def message_logits(reader: CrisisReader, texts: list[str],
                   lower: Callable[[list[str]], list[np.ndarray]]) -> np.ndarray:
    """Each text's largest logit over the pieces it reads, as served (-inf for a text
    it does not read: `readable`)."""
    parts = [crisis_pieces(t) or [t] if readable(t) else [] for t in texts]
    flat = list(dict.fromkeys(p for ps in parts for p in ps))
    scores: dict[str, float] = {}
    for at in range(0, len(flat), 256):
        chunk = flat[at:at + 256]
        scores.update(zip(chunk, map(float, reader.logits(lower(chunk))), strict=True))
    return np.array([max((scores[p] for p in ps), default=-np.inf) for ps in parts])


def _at_budget(reader: CrisisReader, questions: list[str],
               lower: Callable[[list[str]], list[np.ndarray]]) -> tuple[float, str, str]:
    """The lowest logit whose false alarms stay within `FALSE_ALARMS` on the calibration
    half of ``questions``, and the alarms it gives on each half."""
    calibrate, held = halves(questions)
    cal = message_logits(reader, calibrate, lower)
    allowed = int(FALSE_ALARMS * len(cal))
    threshold = float(np.sort(cal)[::-1][allowed]) + 1e-4 if len(cal) > allowed else 0.0
    held_logits = message_logits(reader, held, lower)
    return (threshold, f"{int((cal >= threshold).sum())}/{len(cal)}",
            f"{int((held_logits >= threshold).sum())}/{len(held)}")


def choose_threshold(reader: CrisisReader, texts: list[str], positive: list[bool],
                     lower: Callable[[list[str]], list[np.ndarray]], data_id: str,
                     questions: tuple[list[str], list[str]]
                     ) -> tuple[CrisisReader, CrisisReport]:
    """Two thresholds on one budget: over ``questions``' messages with no emergency sign,
    and over those with one (`plain_questions`)."""
    threshold, cal, held = _at_budget(reader, questions[0], lower)
    beside, sign_cal, sign_held = _at_budget(reader, questions[1], lower)
    out = CrisisReader(reader.params, reader.head, reader.bias, threshold, data_id, beside)
    crisis = [t for t, p in zip(texts, positive, strict=True) if p]
    recall = float((message_logits(out, crisis, lower) >= threshold).mean())
    report = CrisisReport(len(texts), len(crisis), round(threshold, 4), round(recall, 4),
                          cal, held, round(out.threshold_for(True), 4), sign_cal, sign_held)
    return out, report
