"""Knotbot: a safety-first knowledge-base chatbot about neck and shoulder knots."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.models import Answer


def answer(question: str, history: list[dict[str, str]] | None = None) -> Answer:
    """Answer one question with the default pipeline (built once, on first use)."""
    from rag.pipeline import default_pipeline

    return default_pipeline().answer(question, history)


