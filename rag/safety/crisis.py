"""A learned reading of thoughts of suicide or self-harm, beside the `self_harm` rules.

People say it in ways no pattern lists ("a good place to go and not come back", "they'd
all cope fine without me"), and MiniLM's sentence vectors alone separate those poorly
from figures of speech ("this knot is killing me"). So the reader is MiniLM with its last
layer fine-tuned on `evals/train/crisis/` (texts written blind by helpers, never an
evaluation set), with every text of the triage layer's own training files as a negative,
and a logistic head over the mean of that layer's token vectors. The exported encoder
hands out the hidden states that go into its last layer (`Encoded.lower`, from the same
model call as a segment's vector), and the tuned layer runs here in NumPy: serving needs
no torch. `knotbot train-crisis` fits it (`rag.safety.crisis_tune`, torch) and ships it as
`data/crisis_reader.npz` (float16 weights). Like every learned flag it may only add to
what the rules find, and the triage reads it off where the rules see such words but do
not read them as meant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from rag.safety.train import TRAIN_DIR, training_files

CRISIS_FILE = Path(__file__).parent / "data" / "crisis_reader.npz"
CRISIS_DIR = TRAIN_DIR / "crisis"
POSITIVE = "crisis"
HEADS = 12  # MiniLM's attention heads
EPS = 1e-12  # its LayerNorm epsilon
SCALE = 10.0  # the head reads the unit vector times this (as trained)
# The BERT layer's weights as `BertLayer.state_dict()` names them.
WEIGHTS = ("attention.self.query", "attention.self.key", "attention.self.value",
           "attention.output.dense", "intermediate.dense", "output.dense")
NORMS = ("attention.output.LayerNorm", "output.LayerNorm")


UNREAD_SHARE = 0.2  # of a message's longer words unknown to English: not read by the model


@lru_cache(maxsize=4096)  # asked when the message is embedded, and again when assessed
def readable(text: str) -> bool:
    """Is ``text`` plain English the model can read? Not another language, not half one,
    and not words it cannot know (leetspeak left, a cipher, heavy dialect): fed noise, the
    tuned layer can read anything into it. Such a message still gets what its other signs
    (and the rules' crisis words) call for. A string of code inside a readable message
    (hex, base64) is left out piece by piece (`rag.safety.learned.coded`)."""
    from rag.safety.fold import fold
    from rag.safety.language import language_of, mixed_with, unknown_words

    if language_of(text) != "en" or mixed_with(text):
        return False
    folded = fold(text)
    longer = [w for w in re.findall(r"[^\W\d_]+", folded.lower()) if len(w) >= 4]
    return len(unknown_words(folded)) <= UNREAD_SHARE * len(longer)


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (error below 1.5e-7): NumPy has no erf, and the
    exact GELU of BERT needs one."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    return np.asarray(s * (1.0 - poly * np.exp(-a * a)))


def _norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + EPS) * weight + bias)


@dataclass(frozen=True)
class CrisisReader:
    # The tuned layer's weights and biases: float32, or float16 as stored when the
    # ``runner`` has its own copy (read as float32 by `layer`).
    params: dict[str, np.ndarray]
    head: np.ndarray  # dim
    bias: float
    threshold: float  # a logit: a segment scoring this or more reads as a crisis
    data_hash: str
    # The threshold in a message that itself tells of an emergency sign: its level is an
    # emergency anyway, and frightened stories of a fall or a fever read closer to a
    # crisis than everyday questions do, so the crisis words need more to go before a
    # stroke's advice. Chosen on the same budget of such messages. None: one threshold.
    beside_sign: float | None = None
    # The same layer run by onnxruntime (`rag.safety.crisis_graph`), when its graph is
    # in the cache folder; else `layer`, in NumPy.
    runner: Callable[[np.ndarray, list[int]], np.ndarray] | None = field(
        default=None, compare=False, repr=False)

    def threshold_for(self, sign: bool) -> float:
        """The threshold for a message with (``sign``) or without an emergency sign."""
        if sign and self.beside_sign is not None:
            return max(self.threshold, self.beside_sign)
        return self.threshold

    def layer(self, flat: np.ndarray, lengths: list[int]) -> np.ndarray:
        """BERT's layer over texts laid end to end (tokens x dim, ``lengths`` tokens
        each): the dense steps run over the real tokens alone, attention within each."""
        p = {k: v.astype(np.float32, copy=False) for k, v in self.params.items()}
        d = flat.shape[1]
        size = d // HEADS
        n, width = len(lengths), max(lengths)
        rows = np.repeat(np.arange(n), lengths)
        cols = np.concatenate([np.arange(k) for k in lengths])

        def dense(x: np.ndarray, name: str) -> np.ndarray:
            return np.asarray(x @ p[name + ".weight"].T + p[name + ".bias"])

        def heads(x: np.ndarray) -> np.ndarray:  # texts x heads x tokens x size
            out = np.zeros((n, width, d), dtype=np.float32)
            out[rows, cols] = x
            return out.reshape(n, width, HEADS, size).transpose(0, 2, 1, 3)

        q, k, v = (heads(dense(flat, name)) for name in WEIGHTS[:3])
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size))
        real = np.zeros((n, width), dtype=bool)
        real[rows, cols] = True
        scores = np.where(real[:, None, None, :], scores, np.float32(-1e9))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3)[rows, cols].reshape(len(flat), d)
        first = _norm(dense(context, WEIGHTS[3]) + flat, p[NORMS[0] + ".weight"],
                      p[NORMS[0] + ".bias"])
        inner = dense(first, WEIGHTS[4])
        inner = 0.5 * inner * (1.0 + _erf(inner / np.float32(np.sqrt(2.0))))
        return _norm(dense(inner, WEIGHTS[5]) + first, p[NORMS[1] + ".weight"],
                     p[NORMS[1] + ".bias"])

    def logits(self, lowers: Sequence[np.ndarray]) -> np.ndarray:
        """One logit per text, from the hidden states that go into the model's last
        layer (tokens x dim each, special tokens included)."""
        if not lowers:
            return np.zeros(0, dtype=np.float32)
        lengths = [len(x) for x in lowers]
        out = (self.runner or self.layer)(np.concatenate(lowers).astype(np.float32), lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pooled = np.add.reduceat(out, starts, axis=0) / np.array(lengths)[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return np.asarray(pooled * SCALE @ self.head + self.bias, dtype=np.float32)

    def save(self, path: Path = CRISIS_FILE) -> None:
        arrays: dict[str, np.ndarray] = {k: v.astype(np.float16)
                                         for k, v in self.params.items()}
        np.savez_compressed(path, head=self.head.astype(np.float32),
                            bias=np.array(self.bias), threshold=np.array(self.threshold),
                            beside_sign=np.array(self.threshold_for(True)),
                            data_hash=np.array(self.data_hash), **arrays)  # type: ignore[arg-type]


def load_crisis(path: Path = CRISIS_FILE, cache_dir: Path | None = None
                ) -> CrisisReader | None:
    """The reader in ``path``; with a ``cache_dir``, running its layer as the graph kept
    there (built on first use)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as z:
        stored = {k: z[k] for k in z.files if k.endswith((".weight", ".bias"))}
        params = {k: v.astype(np.float32) for k, v in stored.items()}
        threshold = float(z["threshold"])
        beside = float(z["beside_sign"]) if "beside_sign" in z.files else threshold
        runner = None
        if cache_dir is not None:
            from rag.safety.crisis_graph import ensure, graph_path, open_layer

            runner = open_layer(ensure(graph_path(cache_dir, path), params))
            if runner is not None:
                params = stored  # as stored (float16): the graph has its own copy
        return CrisisReader(params, z["head"].astype(np.float32), float(z["bias"]),
                            threshold, str(z["data_hash"]), beside, runner)


def ensure_graph(cache_dir: Path, path: Path = CRISIS_FILE) -> None:
    """The reader's graph built into ``cache_dir`` now if it is not there (`knotbot
    ingest` does it, so that no start pays the second it takes)."""
    from rag.safety.crisis_graph import ensure, graph_path

    target = graph_path(cache_dir, path) if path.is_file() else None
    if target is not None and not target.is_file():
        reader = load_crisis(path)
        if reader is not None:
            ensure(target, reader.params)


def crisis_files(folder: Path = CRISIS_DIR) -> list[Path]:
    """Its own texts, then the learned triage layer's (`evals/train/*.jsonl`): none of
    those is a crisis, and they teach it what everyday knot questions and warning signs
    look like (fitted on its own hard negatives alone, a head read "can I use a tool
    rather than my hands?" as a crisis)."""
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
