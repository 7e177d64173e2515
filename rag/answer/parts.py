"""A question told as a story, read part by part.

"My mum is 78 and has a knot in her shoulder but she refuses to go to the doctor for
silly things. What would make it worth going?" asks one thing, wrapped in who and why.
Matched as a whole, the story's words dilute the match of the one sentence that answers,
until it falls below the answer threshold and an answerable question is declined. Each
part of the question (a sentence, or a clause split at a comma or a joining word) is
matched on its own, and a sentence keeps the better of its own score and its best part's.
Nothing here names a topic; it only reads where a question's parts begin and end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rag.answer.select import Candidate
from rag.coverage import words_of
from rag.safety.scope import message_parts


def parts_of(question: str, far: Sequence[str] = ()) -> list[str]:
    """The question's parts of four words or more, but those naming something unlike
    anything the articles discuss (``far``: "what is knot theory in math" cannot lift the
    question into their reach); [] when it is one part."""
    return [p for p in message_parts(question) if not set(words_of(p)) & set(far)]


def by_part(question: str, cands: list[Candidate],
            score: Callable[[str, Sequence[str]], list[float]], penalty: float,
            far: Sequence[str] = ()) -> list[Candidate]:
    """The candidates, each scored by the better of the whole question and its best part
    (less ``penalty`` per place its passage stands below the first, as the whole's)."""
    parts = parts_of(question, far)
    if not parts or not cands:
        return cands
    texts = [c.text for c in cands]
    best = [c.score for c in cands]
    for part in parts:
        for i, (c, value) in enumerate(zip(cands, score(part, texts), strict=True)):
            best[i] = max(best[i], value - penalty * c.rank)
    return [replace(c, score=s) for c, s in zip(cands, best, strict=True)]
