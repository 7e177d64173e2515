"""A question as safe text, checked before anything heavy is loaded."""

from __future__ import annotations

import re
from typing import Any

from rag.errors import QuestionError


def clean_question(question: Any) -> str:
    """The question as safe text: control characters and lone surrogates replaced."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = question.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text).strip()
    if not text:
        raise QuestionError("the question is empty: type a question about a neck or shoulder knot")
    return text
