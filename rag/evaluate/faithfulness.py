"""Faithfulness: every quoted sentence must be found word for word in the passage it cites."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.answer.render import parse_body
from rag.evaluate.data import Case, RetrievalQuestion
from rag.evaluate.metrics import Rate, rate
from rag.models import Answer

SOURCES = "**Sources**"
_SPACE = re.compile(r"\s+")


def answer_body(text: str) -> str:
    """The answer before its Sources block."""
    return text.split(SOURCES, 1)[0]


def quoted_sentences(text: str) -> list[tuple[str, int]]:
    """(sentence, n) for each sentence followed by a " [n]" marker in the answer body."""
    return [(q.sentence, q.n) for q in parse_body(answer_body(text))]


@dataclass
class Faithfulness:
    quotes_found: Rate
    markers_resolved: Rate
    answers_cited: Rate
    key_phrase_in_answer: Rate
    key_phrase_in_sources: Rate
    answers: int
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.quotes_found.num == self.quotes_found.den and \
            self.markers_resolved.num == self.markers_resolved.den


def has_phrase(text: str, phrase: str) -> bool:
    return _SPACE.sub(" ", phrase.lower()) in _SPACE.sub(" ", text.lower())


def key_phrase_quoted(answers: dict[tuple[str, str], Answer], group: str,
                      questions: Sequence[RetrievalQuestion]) -> Rate:
    """Usefulness: how often the answer itself quotes the question's key phrase."""
    return rate([has_phrase(answer_body(answers[(group, q.id)].answer), q.key_phrase)
                 for q in questions])


def faithfulness(answers: dict[tuple[str, str], Answer], cases: Sequence[Case],
                 retrieval: Sequence[RetrievalQuestion]) -> Faithfulness:
    found: list[bool] = []
    resolved: list[bool] = []
    failures: list[str] = []
    for case in cases:
        ans = answers[(case.group, case.id)]
        cited = {c.n: c for c in ans.citations}
        for sentence, n in quoted_sentences(ans.answer):
            resolved.append(n in cited)
            ok = n in cited and bool(sentence) and sentence in cited[n].text
            found.append(ok)
            if not ok and len(failures) < 10:
                failures.append(f"{case.group}/{case.id} [{n}]: {sentence[:120]!r}")
    by_id = {q.id: q for q in retrieval}
    in_sources: list[bool] = []
    cited_any: list[bool] = []
    for qid, q in by_id.items():
        ans = answers[("retrieval", qid)]
        cited_any.append(bool(ans.citations))
        in_sources.append(any(has_phrase(c.text, q.key_phrase) for c in ans.citations))
    return Faithfulness(quotes_found=rate(found), markers_resolved=rate(resolved),
                        answers_cited=rate(cited_any),
                        key_phrase_in_answer=key_phrase_quoted(answers, "retrieval", retrieval),
                        key_phrase_in_sources=rate(in_sources), answers=len(cases),
                        failures=failures)
