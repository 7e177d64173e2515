"""Thumbs up/down on an answer, appended as one JSON line (no gradio here).

A line holds only: a random id for the rating, timestamp, rating, comment, question,
answer and citations. Nothing else about the person is stored. The id lets a comment
written after the thumb join its rating, and an un-clicked thumb take its line away.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable
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


def clean_comment(comment: str | None) -> str:
    return (comment or "").strip()[:MAX_COMMENT_CHARS]


def feedback_record(
    rating: Rating, comment: str, question: str, answer: Answer, now: datetime | None = None
) -> dict[str, Any]:
    """The one JSON object written for a rating."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "id": uuid.uuid4().hex,
        "timestamp": stamp,
        "rating": rating,
        "comment": clean_comment(comment),
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


def _rewrite(path: Path, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> bool:
    """Apply ``change`` to every record (None drops it); True when any line changed."""
    with _LOCK:
        if not path.exists():
            return False
        lines = path.read_text(encoding="utf-8").splitlines()
        out: list[str] = []
        changed = False
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                out.append(line)  # never lose a line we cannot read
                continue
            new = change(record)
            changed = changed or new != record
            if new is not None:
                out.append(line if new == record else json.dumps(new, ensure_ascii=False))
        if changed:
            temp = path.with_name(path.name + ".tmp")
            temp.write_text("".join(f"{line}\n" for line in out), encoding="utf-8")
            os.replace(temp, path)
        return changed


def update_feedback(path: Path, record_id: str, **fields: Any) -> bool:
    """Change fields (rating, comment) of the record with this id; False if it is gone."""
    return _rewrite(path, lambda r: {**r, **fields} if r.get("id") == record_id else r)


def remove_feedback(path: Path, record_id: str) -> bool:
    """Take the record with this id out of the file (an un-clicked thumb)."""
    return _rewrite(path, lambda r: None if r.get("id") == record_id else r)
