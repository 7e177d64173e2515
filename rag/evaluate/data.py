"""The evaluation sets on disk (JSON Lines) as small typed records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.settings import PROJECT_DIR

EVALS_DIR = PROJECT_DIR / "evals"
SAFETY_SETS = ("red_flags", "ordinary", "near_miss", "off_topic", "press", "multi_turn",
               "injection")


@dataclass(frozen=True)
class RetrievalQuestion:
    id: str
    question: str
    source: str
    answer: str
    key_phrase: str
    faq: bool
    also: tuple[str, ...] = ()

    @property
    def answers(self) -> tuple[str, ...]:
        """Every span that answers the question: the listed one and any equally direct one."""
        return (self.answer, *self.also)


@dataclass(frozen=True)
class Case:
    """One question put to the whole pipeline; ``group`` names the set it comes from."""

    group: str
    id: str
    question: str
    history: list[dict[str, str]] = field(default_factory=list)
    expected_level: str | None = None
    expected_verdict: str | None = None
    cls: str | None = None
    kind: str | None = None


# Held-out retrieval sets, evals/<name>/{questions,unanswerable}.jsonl: each written blind
# by a helper who read only the two articles, never the system or another set.
HELD_OUT = {
    "retrieval_holdout": "Written in session 2. Weights are swept on evals/retrieval/ only; "
                         "this set's figures were in view when designs were compared, so it "
                         "is not perfectly unseen.",
    "retrieval_blind": "Written in session 3, after every retrieval choice was made. Its "
                       "first run is recorded here and in the README; nothing was tuned on it.",
}


def unanswerable_group(name: str) -> str:
    return f"{name}:unanswerable"


@dataclass
class EvalSets:
    retrieval: list[RetrievalQuestion]
    cases: list[Case]
    held_out: dict[str, list[RetrievalQuestion]] = field(default_factory=dict)

    def group(self, name: str) -> list[Case]:
        return [c for c in self.cases if c.group == name]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _case(group: str, row: dict[str, Any]) -> Case:
    return Case(group=group, id=str(row["id"]), question=str(row["question"]),
                history=list(row.get("history") or []),
                expected_level=row.get("expected_level"),
                expected_verdict=row.get("expected_verdict"),
                cls=row.get("class"), kind=row.get("kind"))


def read_retrieval(path: Path) -> list[RetrievalQuestion]:
    return [RetrievalQuestion(id=r["id"], question=r["question"], source=r["source"],
                              answer=r["answer"], key_phrase=r["key_phrase"],
                              faq=bool(r.get("faq")),
                              also=tuple(a["answer"] for a in r.get("also", [])))
            for r in read_jsonl(path)]


def load_sets(evals_dir: Path = EVALS_DIR) -> EvalSets:
    """Every set: retrieval questions, unanswerable ones, the safety sets and the holdouts.

    Retrieval and unanswerable questions become cases too (groups ``retrieval`` and
    ``unanswerable``; for each held-out set, its name and ``unanswerable_group(name)``) so
    that every question in every set goes through the pipeline once.
    """
    retrieval = read_retrieval(evals_dir / "retrieval" / "questions.jsonl")
    cases = [Case("retrieval", q.id, q.question) for q in retrieval]
    cases += [_case("unanswerable", r)
              for r in read_jsonl(evals_dir / "retrieval" / "unanswerable.jsonl")]
    held_out = {}
    for name in HELD_OUT:
        if (evals_dir / name).is_dir():
            held_out[name] = read_retrieval(evals_dir / name / "questions.jsonl")
            cases += [Case(name, q.id, q.question) for q in held_out[name]]
            cases += [_case(unanswerable_group(name), r)
                      for r in read_jsonl(evals_dir / name / "unanswerable.jsonl")]
    for name in SAFETY_SETS:
        cases += [_case(name, r) for r in read_jsonl(evals_dir / "safety" / f"{name}.jsonl")]
    holdout = evals_dir / "safety_holdout" / "cases.jsonl"
    if holdout.exists():
        cases += [_case("holdout", r) for r in read_jsonl(holdout)]
    return EvalSets(retrieval=retrieval, cases=cases, held_out=held_out)
