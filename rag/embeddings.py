"""The embedding model: all-MiniLM-L6-v2 loaded from a local folder, never from a hub."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.errors import ModelError
from rag.settings import Settings


class QueryCachedEmbeddings(Embeddings):
    """Wraps an Embeddings so the same question is embedded once.

    Triage, retrieval and answer composition all compare against the question; the
    cache makes that one model call per question instead of three. Given an ``encoder``
    (`rag.onnx_encoder.OnnxEncoder`, or the sentence-transformers ``model`` behind
    ``inner``), the same call also keeps the question's token vectors, for
    late-interaction retrieval (``tokens``).
    """

    def __init__(self, inner: Embeddings, name: str, size: int = 512, model: Any = None,
                 encoder: Any = None) -> None:
        self.inner = inner
        self.name = name
        self.model = model
        self.encoder = encoder if encoder is not None else (
            TorchEncoder(model) if model is not None else None)
        self._cache: OrderedDict[str, tuple[list[float], TokenVectors | None]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        # An ingest's texts: their vector and token vectors, from one model call each.
        self._kept: dict[str, tuple[np.ndarray, TokenVectors]] | None = None

    def keep_tokens(self) -> None:
        """From now on (an ingest), ``embed_documents`` keeps each text's token vectors
        from the same model call, so ``document_tokens`` does not encode it again (every
        chunk and sentence was encoded twice: once for its vector, once for its tokens).
        Only with the ONNX encoder, whose ``embed_documents`` is that very call."""
        if isinstance(self.inner, OnnxEmbeddings) and self.encoder is not None:
            self._kept = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        encoder = self.encoder
        if self._kept is None or encoder is None or not texts:
            return self.inner.embed_documents(texts)
        kept = self._kept
        # A text met before in this ingest (an FAQ question repeated in many articles, a
        # one-sentence chunk that is also a sentence) goes to the model once.
        missing = [t for t in dict.fromkeys(texts) if t not in kept]
        for text, out in zip(missing, encoder.encode(missing), strict=True):
            kept[text] = (out.vector, token_vectors(out, encoder.special_ids))
        return [kept[t][0].tolist() for t in texts]

    def _lookup(self, text: str) -> tuple[list[float], TokenVectors | None]:
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        if self.encoder is None:
            entry: tuple[list[float], TokenVectors | None] = (self.inner.embed_query(text), None)
        else:
            out = self.encoder.encode([text])[0]
            entry = (out.vector.tolist(), token_vectors(out, self.encoder.special_ids))
        self._keep(text, entry)
        return entry

    def _keep(self, text: str, entry: tuple[list[float], TokenVectors | None]) -> None:
        with self._lock:
            self._cache[text] = entry
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)

    def embed_query(self, text: str) -> list[float]:
        return self._lookup(text)[0]

    def embed_query_with(self, text: str, others: list[str], lower: bool = False
                         ) -> tuple[list[float], list[list[float]], list[np.ndarray]]:
        """The question's vector (kept, with its token vectors, as ``embed_query`` keeps
        them) and the vectors of ``others``, in one model call (a question and the
        clauses the learned triage reads pack into one row); ``lower``: with the hidden
        states of ``others`` before the last layer (the crisis reader's), else none."""
        with self._lock:
            entry = self._cache.get(text)
        if self.encoder is None or (entry is not None and not others):
            vector = entry[0] if entry is not None else self.embed_query(text)
            return vector, self.inner.embed_documents(others) if others else [], []
        batch = list(dict.fromkeys(([text] if entry is None else []) + list(others)))
        found = dict(zip(batch, self.encoder.encode(batch, lower=lower), strict=True))
        if entry is None:
            first = found[text]
            entry = (first.vector.tolist(), token_vectors(first, self.encoder.special_ids))
            self._keep(text, entry)
        outs = [found[t] for t in others]
        return (entry[0], [out.vector.tolist() for out in outs],
                [out.lower for out in outs if out.lower is not None])

    def lower_states(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's hidden states before the model's last layer (the crisis reader's:
        `rag.safety.crisis`); none without an encoder."""
        if self.encoder is None or not texts:
            return []
        return [out.lower for out in self.encoder.encode(list(texts), lower=True)]

    def tokens(self, text: str) -> TokenVectors | None:
        """The question's token vectors, from the same model call as its vector."""
        return self._lookup(text)[1]

    def document_tokens(self, texts: list[str]) -> list[TokenVectors]:
        """Token vectors of many texts, batched (for the chunks, once per index load)."""
        if self.encoder is None or not texts:
            return []
        kept = self._kept or {}
        missing = [t for t in dict.fromkeys(texts) if t not in kept]
        fresh = dict(zip(missing, (token_vectors(o, self.encoder.special_ids)
                                   for o in self.encoder.encode(missing, batch_size=16)),
                         strict=True)) if missing else {}
        return [kept[t][1] if t in kept else fresh[t] for t in texts]


def token_vectors(out: Any, special_ids: np.ndarray) -> TokenVectors:
    """The real (non-special) tokens of one encoded text, unit length."""
    keep = ~np.isin(out.ids, special_ids)
    ids, rows = out.ids[keep], np.array(out.hidden[keep], dtype=np.float32)
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    # float16 halves the query cache; the cosines move by about 1e-3.
    return TokenVectors(ids=ids, vectors=rows.astype(np.float16))


class TorchEncoder:
    """The sentence-transformers model behind the `rag.onnx_encoder.OnnxEncoder`
    interface (ingest, tests and the side-by-side benchmark; never the serving path)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.special_ids = np.asarray(model.tokenizer.all_special_ids, dtype=np.int64)

    def encode(self, texts: list[str], batch_size: int = 32,
               lower: bool = False) -> list[Any]:
        from rag.onnx_encoder import Encoded

        # One call gives ids and vectors together (a separate tokenizer call could disagree
        # with encode's, and it changes the shared tokenizer's state under other threads).
        outs = self.model.encode(texts, output_value=None, batch_size=batch_size)
        lowers = self._lower(texts) if lower else [None] * len(texts)
        result = []
        for out, below in zip(outs, lowers, strict=True):
            mask = out["attention_mask"].cpu().numpy().astype(bool)
            # normalize_embeddings is ignored with output_value=None: normalise here.
            vec = out["sentence_embedding"].float().cpu().numpy()
            result.append(Encoded(
                vector=vec / max(float(np.linalg.norm(vec)), 1e-12),
                ids=out["input_ids"].cpu().numpy().astype(np.int64)[mask],
                hidden=out["token_embeddings"].float().cpu().numpy()[mask], lower=below))
        return result

    def _lower(self, texts: list[str]) -> list[np.ndarray]:
        """The hidden states before the transformer's last layer, one text at a time."""
        import torch

        transformer = self.model[0]
        out = []
        with torch.no_grad():
            for text in texts:
                batch = transformer.tokenize([text])
                states = transformer.auto_model(**batch, output_hidden_states=True)
                out.append(states.hidden_states[-2][0].float().cpu().numpy())
        return out


class OnnxEmbeddings(Embeddings):
    """LangChain Embeddings over the ONNX encoder: unit mean-pooled vectors."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [e.vector.tolist() for e in self.encoder.encode(list(texts))] if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@dataclass(frozen=True)
class TokenVectors:
    """A text's WordPiece ids and one unit-length vector per id ([CLS] and [SEP] dropped)."""

    ids: np.ndarray
    vectors: np.ndarray  # float16


def load_embeddings(settings: Settings) -> QueryCachedEmbeddings:
    """The configured model run by onnxruntime: no torch (exported once if need be);
    through sentence-transformers with KNOTBOT_EMBEDDING_BACKEND=torch."""
    if settings.embedding_backend == "torch":
        return load_torch_embeddings(settings)
    path = _model_folder(settings)
    from rag.onnx_encoder import OnnxEncoder, ensure_export

    try:
        encoder = OnnxEncoder(path, ensure_export(settings.cache_dir, path))
    except Exception as exc:  # onnxruntime and tokenizers raise many kinds
        raise ModelError(f"could not load the embedding model from {path}: {exc} (delete "
                         f"the onnx-* folders in {settings.cache_dir} to export it again)"
                         ) from exc
    return QueryCachedEmbeddings(OnnxEmbeddings(encoder), settings.embedding_model,
                                 encoder=encoder)


class PendingEmbeddings:
    """`load_embeddings` running in a thread from now on: onnxruntime builds its session
    (a few tenths of a second) mostly outside the interpreter lock, so imports and the
    safety rules can be built meanwhile. ``result()`` waits, and raises what it raised."""

    def __init__(self, settings: Settings) -> None:
        self._box: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._load, args=(settings,),
                                        name="knotbot model load", daemon=True)
        self._thread.start()

    def _load(self, settings: Settings) -> None:
        try:
            self._box["value"] = load_embeddings(settings)
        except BaseException as err:  # handed to the caller of result() as it is
            self._box["error"] = err

    def result(self) -> QueryCachedEmbeddings:
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]  # type: ignore[no-any-return]


def _model_folder(settings: Settings) -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = settings.model_path()
    if not os.path.isdir(path):
        raise ModelError(
            f"the embedding model folder {path} does not exist: set KNOTBOT_EMBEDDING_MODEL "
            "to a local sentence-transformers folder"
        )
    return path


def load_torch_embeddings(settings: Settings) -> QueryCachedEmbeddings:
    """The same model through sentence-transformers and torch (about 10 s to import): the
    reference the ONNX path is tested against, and the side of the benchmark it beats."""
    path = _model_folder(settings)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise on every start

    try:
        inner = HuggingFaceEmbeddings(
            model_name=path,
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
        )
    except Exception as exc:  # sentence-transformers raises many kinds
        raise ModelError(f"could not load the embedding model from {path}: {exc}") from exc
    return QueryCachedEmbeddings(inner, settings.embedding_model,
                                 model=getattr(inner, "_client", None))
