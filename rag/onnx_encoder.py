"""The embedding model without torch: MiniLM run by onnxruntime, tokenised by `tokenizers`.

The model is exported to ONNX once, from the local weights (the one time torch is
imported), and kept in the cache folder under a key made from the model's own files, so
another model, or new weights under the same name, gets its own export. Answering then
needs only onnxruntime, tokenizers and NumPy: no torch, transformers or
sentence-transformers, and a start that opens two files.

Texts are packed side by side into rows rather than padded to the longest: each text
attends only to itself and counts its positions from 0, so its vectors are what it gets
on its own (to about 1e-6), and a question with its clauses (the learned triage reads
them) costs one forward pass over their tokens, not one over each padded to the longest.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

FORMAT = 3  # bump when the export's inputs, outputs or options change (in its file name)
# attention_mask is per row a tokens x tokens matrix (1: may attend), so texts can share a row.
INPUTS = ("input_ids", "attention_mask", "token_type_ids", "position_ids")
OUTPUTS = ("last_hidden_state", "lower_hidden_state")
PACK_WIDTH = 128  # tokens a packed row holds, or the longest text's if longer


@dataclass(frozen=True)
class Encoded:
    """One text: its unit sentence vector (mean of its tokens), its WordPiece ids and one
    hidden-state row per id, padding removed ([CLS] and [SEP] kept, as in the model)."""

    vector: np.ndarray  # float32, unit length
    ids: np.ndarray  # int64
    hidden: np.ndarray  # float32, one row per id
    # The hidden states that go into the model's last layer, one row per id, when asked
    # for (the crisis reader runs its own tuned copy of that layer: `rag.safety.crisis`).
    lower: np.ndarray | None = None


def export_key(model_path: str) -> str:
    """A key for this model: its config, tokenizer and weights' sizes and names (data
    derived with the model is kept under it too, so the export's format is not in it)."""
    digest = hashlib.sha256(b"1")
    for name in sorted(os.listdir(model_path)):
        path = Path(model_path) / name
        if not path.is_file():
            continue
        digest.update(name.encode())
        if name.endswith(".json") or name == "vocab.txt":
            digest.update(path.read_bytes())
        else:  # weights: their size (hashing 90 MB at every start would cost a second)
            digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]


def export_path(cache_dir: Path, model_path: str) -> Path:
    return cache_dir / f"onnx-{export_key(model_path)}" / f"model-f{FORMAT}.onnx"


def max_length(model_path: str) -> int:
    """sentence-transformers' own limit for this model (256 for MiniLM), else 512."""
    config = Path(model_path) / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 512))
    return 512


def export(model_path: str, target: Path) -> Path:
    """Export the transformer's last hidden state, and the hidden state that goes into
    its last layer, to ONNX (torch, once), atomically."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_path, local_files_only=True,
                                      attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any,
                    position_ids: Any) -> Any:
            # An additive mask per row (batch, 1, tokens, tokens), as BERT's own 2-D mask
            # becomes inside the model; 0 where a token may attend, the float minimum not.
            allowed = attention_mask[:, None, :, :].to(torch.float32)
            additive = (1.0 - allowed) * torch.finfo(torch.float32).min
            out = self.model(input_ids=input_ids, attention_mask=additive,
                             token_type_ids=token_type_ids, position_ids=position_ids,
                             output_hidden_states=True)
            return out.last_hidden_state, out.hidden_states[-2]

    target.parent.mkdir(parents=True, exist_ok=True)
    sample = torch.ones(2, 8, dtype=torch.long)
    axes: dict[str, dict[int, str]] = {n: {0: "batch", 1: "tokens"}
                                       for n in (*INPUTS, *OUTPUTS)}
    axes["attention_mask"][2] = "keys"
    inputs = (sample, torch.ones(2, 8, 8, dtype=torch.long), torch.zeros_like(sample),
              torch.arange(8).repeat(2, 1))
    fd, name = tempfile.mkstemp(dir=target.parent, suffix=".onnx")
    os.close(fd)
    try:
        with torch.no_grad():
            torch.onnx.export(Hidden(), inputs, name,
                              dynamo=False, input_names=list(INPUTS),
                              output_names=list(OUTPUTS), dynamic_axes=axes,
                              opset_version=17)
        Path(name).chmod(0o644)
        Path(name).replace(target)  # atomic: a reader never sees half a model
    finally:
        Path(name).unlink(missing_ok=True)
    for old in target.parent.glob("model*.onnx"):  # an earlier format's export
        if old != target:
            old.unlink(missing_ok=True)
    return target


class OnnxEncoder:
    """Tokenise and run the exported model. Thread-safe: the tokenizer is configured once,
    and an onnxruntime session may be run from many threads at once."""

    def __init__(self, model_path: str, onnx_file: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.max_length = max_length(model_path)
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()  # padded here, per batch
        self.special_ids = np.array(sorted(
            i for i, tok in self.tokenizer.get_added_tokens_decoder().items() if tok.special),
            dtype=np.int64)
        options = ort.SessionOptions()
        # Two threads halve a question's forward pass (about 4.7 -> 2.7 ms on this 2-core
        # machine) and give bit-for-bit the same vectors (the work is split by rows, not
        # sums). They wait instead of spinning between calls: a spinning pool burns the
        # core another request (or the other threads' NumPy) needs.
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Without the arena, a big batch (ingest, the safety examples) hands its memory
        # back instead of keeping ~200 MB for the life of the app.
        options.enable_cpu_mem_arena = False
        self.session = ort.InferenceSession(str(onnx_file), options,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 32,
               lower: bool = False) -> list[Encoded]:
        """Every text encoded, packed into rows (``batch_size`` rows a model call);
        ``lower``: with the hidden states that go into the last layer too."""
        every = self.tokenizer.encode_batch(list(texts))
        # Texts the (uncased) tokenizer reads as the same tokens ("Can a knot..." and its
        # folded "can a knot...") have the same outputs: each goes to the model once, and
        # they share its (read-only) result.
        first: dict[tuple[int, ...], int] = {}
        encodings: list[Any] = []
        which: list[int] = []
        for e in every:
            key = tuple(e.ids)
            if key not in first:
                first[key] = len(encodings)
                encodings.append(e)
            which.append(first[key])
        lengths = [len(e.ids) for e in encodings]
        rows = pack(lengths, max(PACK_WIDTH, max(lengths, default=0)))
        out: list[Encoded | None] = [None] * len(encodings)
        for start in range(0, len(rows), batch_size):
            for i, enc in self._run(rows[start:start + batch_size], encodings, lower):
                out[i] = enc
        return [cast(Encoded, out[w]) for w in which]

    def _run(self, rows: list[list[int]], encodings: list[Any],
             lower: bool = False) -> list[tuple[int, Encoded]]:
        spans, width = places(rows, [len(e.ids) for e in encodings])
        ids = np.zeros((len(rows), width), dtype=np.int64)
        positions = np.zeros_like(ids)
        mask = np.zeros((len(rows), width, width), dtype=np.int64)
        for i, r, at, n in spans:
            ids[r, at:at + n] = encodings[i].ids
            positions[r, at:at + n] = np.arange(n)
            mask[r, at:at + n, at:at + n] = 1
        outs = self.session.run(list(OUTPUTS[:2 if lower else 1]), {
            "input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids),
            "position_ids": positions})
        hidden = outs[0]
        result = []
        for i, r, at, n in spans:
            rows_of_text = np.asarray(hidden[r, at:at + n], dtype=np.float32)
            vec = rows_of_text.mean(axis=0)
            vec /= max(float(np.linalg.norm(vec)), 1e-12)
            below = np.asarray(outs[1][r, at:at + n], dtype=np.float32) if lower else None
            result.append((i, Encoded(vector=vec, ids=ids[r, at:at + n].copy(),
                                      hidden=rows_of_text, lower=below)))
        return result


def places(rows: list[list[int]], lengths: list[int]
           ) -> tuple[list[tuple[int, int, int, int]], int]:
    """Where each text of ``rows`` (from `pack`) lies: (text, row, first token, tokens),
    and the widest row's tokens."""
    spans = []
    for r, row in enumerate(rows):
        at = 0
        for i in row:
            spans.append((i, r, at, lengths[i]))
            at += lengths[i]
    return spans, max(sum(lengths[i] for i in row) for row in rows)


def pack(lengths: list[int], width: int, open_rows: int = 16) -> list[list[int]]:
    """Texts (by token count) into rows of at most ``width`` tokens, longest first, each
    into the first of the last few rows with room (so it stays linear in the texts)."""
    rows: list[list[int]] = []
    room: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        first = len(rows) - open_rows
        at = next((r for r in range(max(first, 0), len(rows)) if room[r] >= lengths[i]), None)
        if at is None:
            rows.append([])
            room.append(width)
            at = len(rows) - 1
        rows[at].append(i)
        room[at] -= lengths[i]
    return rows


def ensure_export(cache_dir: Path, model_path: str) -> Path:
    """The model's ONNX file, exported now if missing, in a child process: torch is
    imported there, never in the process that serves."""
    target = export_path(cache_dir, model_path)
    if target.is_file():
        return target
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "rag.onnx_encoder", model_path, str(target)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not target.is_file():
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise OSError(f"could not export the embedding model to ONNX in {target.parent}: "
                      f"{tail}")
    return target


if __name__ == "__main__":  # python -m rag.onnx_encoder MODEL_DIR TARGET (ensure_export)
    import sys
    import warnings

    warnings.simplefilter("ignore")  # the tracer's warnings are about code paths MiniLM skips
    export(sys.argv[1], Path(sys.argv[2]))
