"""What a person sees of triage: the level of a message, and the press verdict."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rag.models import LEVEL_RANK, Turn
from rag.safety.press import press_check
from rag.safety.rules import match_classes


def level(pipeline: Any, text: str, history: list[Turn] | None = None) -> str:
    return str(pipeline.safety.assess(text, history or []).triage.level)


def verdict(pipeline: Any, text: str) -> str | None:
    check = pipeline.safety.assess(text, []).press_check
    return check.verdict if check else None


def rules_reach(pipeline: Any, text: str, least: str) -> bool:
    """Do the rules alone (no learned or embedding layer) give ``text`` a warning sign at
    ``least`` or above?"""
    stage = pipeline.safety
    return any(LEVEL_RANK[flag.level] >= LEVEL_RANK[least]
               for flag in match_classes(stage.normalise(text), stage.lex))


def rules_verdict(pipeline: Any, text: str) -> str | None:
    """The press verdict the rules alone give ``text``, read as a press question."""
    stage = pipeline.safety
    check = press_check(stage.normalise(text), stage.lex, {}, force=True)
    return check.verdict if check else None


@contextmanager
def model_calls(encoder: Any) -> Iterator[list[list[str]]]:
    """The texts of each call to ``encoder.encode`` made inside the block."""
    calls: list[list[str]] = []
    real = encoder.encode

    def counted(texts, batch_size=32, lower=False):  # type: ignore[no-untyped-def]
        calls.append(list(texts))
        return real(texts, batch_size, lower)

    encoder.encode = counted
    try:
        yield calls
    finally:
        del encoder.encode
