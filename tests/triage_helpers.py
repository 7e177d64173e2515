"""What a person sees of triage: the level of a message, and the press verdict."""

from __future__ import annotations

from typing import Any

from rag.models import Turn


def level(pipeline: Any, text: str, history: list[Turn] | None = None) -> str:
    return str(pipeline.safety.assess(text, history or []).triage.level)


def verdict(pipeline: Any, text: str) -> str | None:
    check = pipeline.safety.assess(text, []).press_check
    return check.verdict if check else None
