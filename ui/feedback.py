"""Thumbs up/down on an answer, appended as one JSON line (no gradio here).

A line holds only: timestamp, rating, comment, question, answer and citations.
Nothing else about the person is stored.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rag.models import Answer

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2000

_LOCK = threading.Lock()


def rating_from_liked(liked: object) -> Rating | None:
    """gradio's LikeData.liked: True is up, False is down, anything else (un-like) is None."""
    if liked is True:
        return "up"
    if liked is False:
        return "down"
    return None


def feedback_record(
    rating: Rating, comment: str, question: str, answer: Answer, now: datetime | None = None
) -> dict[str, Any]:
    """The one JSON object written for a rating."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "timestamp": stamp,
        "rating": rating,
        "comment": comment.strip()[:MAX_COMMENT_CHARS],
        "question": question,
        "answer": answer.answer,
        "citations": [
            {"n": c.n, "source": c.source, "title": c.title, "section": c.section}
            for c in answer.citations
        ],
    }


def append_feedback(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line to the feedback file (folders are created as needed)."""
    line = json.dumps(record, ensure_ascii=False)
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
