"""The crisis reader's tuned layer as a small ONNX graph, run by onnxruntime.

NumPy ran the layer as a dozen separate steps (each a pass over fresh temporaries, and an
erf made of a polynomial): about 3 ms of each question's 20-odd, more than the matrix
products in it. onnxruntime runs the same layer (the same weights, BERT's exact GELU)
in about a third of that. The graph is built from the reader's file once, with the
`onnx` package (a second to import, so never at an ordinary start), and kept in the
cache folder under a key made from that file; a start only opens it. Where it cannot be
built, written or opened, the reader keeps the NumPy layer (`CrisisReader.layer`), with
a warning. The two give the same logits to about 1e-5 (4e-6 over 1,721 pieces of blind
messages); the thresholds were chosen on the NumPy layer's.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from rag.safety.crisis import EPS, HEADS, NORMS, WEIGHTS

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the graph changes
ROW_TOKENS = 128  # texts are packed into rows of about this many tokens
ROWS = 32  # rows a run (an evaluation's thousands of texts never go in one)
BLOCKED = np.float32(-1e9)  # attention between two texts of one row


def graph_path(cache_dir: Path, reader_file: Path) -> Path:
    """Where the graph of this reader file is kept: keyed by the file's bytes."""
    digest = hashlib.sha256(f"{FORMAT}|".encode() + reader_file.read_bytes()).hexdigest()
    return cache_dir / f"crisis-{digest[:16]}.onnx"


def build(params: Mapping[str, np.ndarray]) -> bytes:
    """BERT's layer over rows of packed texts: ``x`` (rows x tokens x dim) and ``block``
    (rows x tokens x tokens: 0 within a text, -1e9 between texts) give ``y``."""
    from onnx import TensorProto, helper, numpy_helper

    weights, norms = WEIGHTS, NORMS
    dim = int(params[weights[0] + ".weight"].shape[0])
    size = dim // HEADS
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: Any, dtype: Any = np.float32) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value, dtype=dtype), name))
        return name

    def op(kind: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def dense(x: str, name: str, out: str) -> str:
        w = const(name + ".w", params[name + ".weight"].T)
        b = const(name + ".b", params[name + ".bias"])
        return op("Add", [op("MatMul", [x, w], out + ".m"), b], out)

    def norm(x: str, name: str, out: str) -> str:
        return op("LayerNormalization", [x, const(name + ".g", params[name + ".weight"]),
                                         const(name + ".b", params[name + ".bias"])],
                  out, axis=-1, epsilon=EPS)

    split = const("split", [0, 0, HEADS, size], np.int64)
    joined = const("joined", [0, 0, dim], np.int64)

    def heads(x: str, perm: list[int]) -> str:
        return op("Transpose", [op("Reshape", [x, split], x + ".r")], x + ".h", perm=perm)

    q = heads(dense("x", weights[0], "q"), [0, 2, 1, 3])
    k = heads(dense("x", weights[1], "k"), [0, 2, 3, 1])
    v = heads(dense("x", weights[2], "v"), [0, 2, 1, 3])
    scores = op("Mul", [op("MatMul", [q, k], "qk"), const("scale", 1.0 / np.sqrt(size))], "s")
    block = op("Unsqueeze", ["block", const("axis1", [1], np.int64)], "block4")
    probs = op("Softmax", [op("Add", [scores, block], "sb")], "p", axis=-1)
    context = op("Reshape", [op("Transpose", [op("MatMul", [probs, v], "pv")], "pvt",
                                perm=[0, 2, 1, 3]), joined], "context")
    first = norm(op("Add", [dense(context, weights[3], "attn"), "x"], "r1"), norms[0],
                 "first")
    inner = dense(first, weights[4], "inner")
    erf = op("Erf", [op("Mul", [inner, const("root", 1.0 / np.sqrt(2.0))], "scaled")], "erf")
    gelu = op("Mul", [op("Mul", [inner, const("half", 0.5)], "halved"),
                      op("Add", [erf, const("one", 1.0)], "erf1")], "gelu")
    norm(op("Add", [dense(gelu, weights[5], "out"), first], "r2"), norms[1], "y")
    graph = helper.make_graph(
        nodes, "crisis_layer",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", "tokens", dim]),
         helper.make_tensor_value_info("block", TensorProto.FLOAT,
                                       ["rows", "tokens", "tokens"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["rows", "tokens", dim])],
        inits)
    # IR 8 and opset 17: what every onnxruntime since 1.14 reads.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              ir_version=8)
    return bytes(model.SerializeToString())


def ensure(path: Path, params: Mapping[str, np.ndarray]) -> Path | None:
    """The graph at ``path``, built now if missing (atomically: a reader never sees half
    of one); None when it cannot be built or written (a read-only cache folder). Other
    readers' graphs are left where they are: checkouts may share a cache folder."""
    if path.is_file():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, suffix=".onnx")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(build(params))
            Path(name).chmod(0o644)
            Path(name).replace(path)
        finally:
            Path(name).unlink(missing_ok=True)
    except Exception as err:  # noqa: BLE001 - the NumPy layer reads as well
        log.warning("the crisis reader's graph could not be built in %s (%s); its layer "
                    "runs in NumPy", path.parent, err)
        return None
    return path


def open_layer(path: Path | None) -> GraphLayer | None:
    """The graph at ``path`` opened, or None (none, or damaged: the NumPy layer then)."""
    if path is None:
        return None
    try:
        return GraphLayer(path)
    except Exception as err:  # noqa: BLE001 - a damaged file must not stop a start
        log.warning("the crisis reader's graph %s could not be opened (%s); its layer runs "
                    "in NumPy (delete the file to build it again)", path, err)
        return None


class GraphLayer:
    """The layer, run by onnxruntime over texts packed into rows (thread-safe: one
    onnxruntime session may be run from many threads at once)."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # a few dozen tokens: one core, the other free
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.enable_cpu_mem_arena = False
        options.add_session_config_entry("session.disable_prepacking", "1")
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])

    def __call__(self, flat: np.ndarray, lengths: list[int]) -> np.ndarray:
        """`CrisisReader.layer`: the texts' tokens laid end to end (tokens x dim), out
        the same way."""
        from rag.onnx_encoder import pack

        rows = pack(lengths, max(ROW_TOKENS, max(lengths)))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
        out = np.empty_like(flat, dtype=np.float32)
        for first in range(0, len(rows), ROWS):
            self._run(flat, lengths, starts, rows[first:first + ROWS], out)
        return out

    def _run(self, flat: np.ndarray, lengths: list[int], starts: np.ndarray,
             rows: list[list[int]], out: np.ndarray) -> None:
        from rag.onnx_encoder import places

        spans, width = places(rows, lengths)
        x = np.zeros((len(rows), width, flat.shape[1]), dtype=np.float32)
        block = np.full((len(rows), width, width), BLOCKED, dtype=np.float32)
        for i, r, at, n in spans:
            x[r, at:at + n] = flat[starts[i]:starts[i] + n]
            block[r, at:at + n, at:at + n] = 0.0
        y = self.session.run(["y"], {"x": x, "block": block})[0]
        for i, r, at, n in spans:
            out[starts[i]:starts[i] + n] = y[r, at:at + n]
