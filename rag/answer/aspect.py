"""A "how long" or "how often" question that the articles answer only for something else.

"How long should I ice it?" finds durations, but of pressure and of a stretch: quoting
them would answer a question that was not asked. When no passage of the articles gives
that kind of figure next to what the question is about, the answer says so first. The
rules read only the question's wording and the passages' own words, never a topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.documents import Document

from rag.answer.subject import ASKING
from rag.coverage import Coverage, words_of
from rag.retrieval import stem_tokens

_OFTEN = re.compile(r"\bhow (?:often|frequently|many times)\b|\btimes? (?:a|per|each|every) "
                    r"(?:day|week)\b|\bevery (?:day|few)\b|\bdaily\b", re.IGNORECASE)
_LONG = re.compile(r"\bhow (?:long|many (?:seconds|minutes|hours|secs|mins))\b|\bfor how long\b",
                   re.IGNORECASE)
# Wording that gives a figure of each kind.
FIGURES = {
    "how long": re.compile(r"\b\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:seconds?|minutes?|hours?|days?|"
                           r"weeks?|months?)\b|\b(?:few|several) (?:seconds|minutes|hours|days|"
                           r"weeks)\b|\banywhere from\b", re.IGNORECASE),
    "how often": re.compile(r"\b(?:\d+|once|twice|three|several|many) times\b|\b(?:daily|every "
                            r"day|each day|a day|per day|a week|per week|regularly|repeat\w*)\b",
                            re.IGNORECASE),
}


def asked_aspect(question: str) -> str:
    """"how often", "how long" or "" (the question asks for neither figure)."""
    if _OFTEN.search(question):
        return "how often"
    return "how long" if _LONG.search(question) else ""


# The words that ask for the figure, not what it is of.
AMOUNT = frozenset("seconds second secs minutes minute mins hours hour hrs often frequently "
                   "many much long times time".split())


def subject_words(question: str, coverage: Coverage, topic: frozenset[str]) -> list[str]:
    """What the question is about, in the articles' words, besides their topic ("ice",
    "pressure", "stretch")."""
    return [w for w in words_of(question) if w not in ASKING and w not in AMOUNT
            and w not in topic and coverage.in_articles(w)]


def missing_aspect(question: str, chunks: Sequence[Document], coverage: Coverage,
                   topic: frozenset[str]) -> tuple[str, list[str]]:
    """(the figure asked for, the subject) when no passage gives that figure and names
    the subject; ("", []) when one does, or the question asks for no figure or names no
    subject of its own."""
    aspect = asked_aspect(question)
    subject = subject_words(question, coverage, topic) if aspect else []
    if not subject:
        return "", []
    stems = {s for w in subject for s in stem_tokens(w)}
    figure = FIGURES[aspect]
    for doc in chunks:
        if figure.search(doc.page_content) and stems & set(stem_tokens(doc.page_content)):
            return "", []
    return aspect, subject
