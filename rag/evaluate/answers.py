"""Does the answer answer? Score a folder of answer cases through the whole pipeline.

`knotbot answer-check DIR [--misses]` reads, each optional:

- ``answerable.jsonl``: id, question, source, shape, key_phrase, answer, optional history
  (earlier user questions, asked first in the same conversation);
- ``uncovered.jsonl``: id, question, subject, partial, kind;
- ``other_meaning.jsonl``: id, question.

It prints usefulness (the key phrase in the answer) overall and per shape, how often the
question-shape rules agree with the writer's label, uncovered questions declined or named,
answerable questions wrongly declined, other meanings refused, and faithfulness. It lists
the cases it missed only with ``--misses``, so a sealed set's wording stays unread.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.answer.render import parse_body, unquoted_lines
from rag.answer.shape import SHAPES, classify
from rag.evaluate.data import read_jsonl
from rag.evaluate.faithfulness import answer_body, has_phrase
from rag.evaluate.metrics import Rate, rate
from rag.models import Answer, Turn
from rag.retrieval import stem_tokens

DECLINED = "don't cover"
NAMING = ("don't cover", "don't mention", "only in passing")
PHARMACIST = "pharmacist"


def declined(ans: Answer) -> bool:
    """Declined outright: "the articles don't cover ..." with nothing of the articles
    quoted, or refused as out of scope (as an other-meaning question is counted refused).
    An answer that names a term it does not cover and quotes the rest ('The articles
    don't cover "SCM". ... On the rest of your question, the articles say: ...') is the
    partial answer the issue asks for, not a decline."""
    return ans.triage.level == "out_of_scope" or (DECLINED in ans.answer and not ans.citations)


def names_subject(ans: Answer, subject: str) -> bool:
    """A line of the answer that quotes nothing says the articles don't cover (or only
    mention) the subject, naming it (any word of it, in any form: "pillows")."""
    stems = [w[:5] for w in re.findall(r"[a-z]+", subject.lower()) if len(w) > 2]
    # ... or a form of one ("dog" for "dogs": too short for the first five letters)
    forms = set(stem_tokens(subject))
    lines = [line.lower() for line in unquoted_lines(ans.body or ans.answer)]
    # Without a subject (the older sets' unanswerable.jsonl), any such line counts.
    return any(any(n in line for n in NAMING) and (
        not stems or any(s in line for s in stems)
        or bool(forms & set(stem_tokens(" ".join(re.findall(r'"([^"]+)"', line))))))
               for line in lines)


def faithful(ans: Answer, headings: set[str]) -> tuple[list[bool], list[bool], list[bool]]:
    """(quote found verbatim in its cited passage, marker resolves, label is a heading)."""
    cited = {c.n: c for c in ans.citations}
    found, resolved, labels = [], [], []
    for q in parse_body(ans.body):
        resolved.append(q.n in cited)
        found.append(q.n in cited and bool(q.sentence) and q.sentence in cited[q.n].text)
        if q.label:
            labels.append(q.label in headings)
    return found, resolved, labels


@dataclass
class AnswerNumbers:
    useful: Rate
    per_shape: dict[str, Rate]
    shape_agreement: Rate
    shape_confusion: dict[tuple[str, str], int]
    wrongly_declined: Rate
    uncovered_ok: Rate
    uncovered_per_kind: dict[str, Rate]
    other_refused: Rate
    quotes_found: Rate
    markers_resolved: Rate
    labels_are_headings: Rate
    misses: list[str] = field(default_factory=list)


def ask_with_history(pipeline: Any, question: str, earlier: Sequence[str]) -> Answer:
    """Ask the earlier questions first, in one conversation, then the question."""
    turns: list[Turn] = []
    for q in earlier:
        prior = pipeline.answer(q, turns or None)
        turns += [Turn(role="user", content=q), Turn(role="assistant", content=prior.answer)]
    return pipeline.answer(question, turns or None)


def _snippet(ans: Answer) -> str:
    return " ".join(answer_body(ans.body or ans.answer).split())[:220]


def score_answers(pipeline: Any, answerable: Iterable[dict[str, Any]],
                  uncovered: Iterable[dict[str, Any]], other: Iterable[dict[str, Any]],
                  headings: set[str]) -> AnswerNumbers:
    misses: list[str] = []
    useful, agree, wrong = [], [], []
    shape_hits: dict[str, list[bool]] = defaultdict(list)
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    found: list[bool] = []
    resolved: list[bool] = []
    labels: list[bool] = []

    def check(ans: Answer) -> None:
        f, r, lab = faithful(ans, headings)
        found.extend(f)
        resolved.extend(r)
        labels.extend(lab)

    for row in answerable:
        ans = ask_with_history(pipeline, row["question"], row.get("history") or [])
        check(ans)
        hit = has_phrase(answer_body(ans.answer), row["key_phrase"])
        shape = str(row.get("shape") or classify(row["question"]))
        useful.append(hit)
        shape_hits[shape].append(hit)
        if row.get("shape"):
            guess = classify(row["question"])
            agree.append(guess == shape)
            confusion[(shape, guess)] += 1
        wrong.append(declined(ans))
        if not hit or declined(ans):
            misses.append(f"answerable/{row['id']} [{shape}]: {row['question']!r} -> "
                          f"{_snippet(ans)!r}")
    ok: list[bool] = []
    kinds: dict[str, list[bool]] = defaultdict(list)
    for row in uncovered:
        ans = pipeline.answer(row["question"])
        check(ans)
        if row.get("kind") == "medicine_dose":
            good = PHARMACIST in ans.answer.lower()
        else:
            good = names_subject(ans, str(row.get("subject") or ""))
        ok.append(good)
        kinds[str(row.get("kind") or "other")].append(good)
        if not good:
            misses.append(f"uncovered/{row['id']} [{row.get('kind')}]: {row['question']!r} -> "
                          f"{_snippet(ans)!r}")
    refused = []
    for row in other:
        ans = pipeline.answer(row["question"])
        check(ans)
        good = ans.triage.level == "out_of_scope" or (DECLINED in ans.answer
                                                      and not ans.citations)
        refused.append(good)
        if not good:
            misses.append(f"other_meaning/{row['id']}: {row['question']!r} -> {_snippet(ans)!r}")
    return AnswerNumbers(
        useful=rate(useful), per_shape={s: rate(shape_hits[s]) for s in SHAPES if s in shape_hits},
        shape_agreement=rate(agree), shape_confusion=dict(confusion),
        wrongly_declined=rate(wrong), uncovered_ok=rate(ok),
        uncovered_per_kind={k: rate(v) for k, v in sorted(kinds.items())},
        other_refused=rate(refused), quotes_found=rate(found), markers_resolved=rate(resolved),
        labels_are_headings=rate(labels), misses=misses)


def headings_of(pipeline: Any) -> set[str]:
    return {str(d.metadata.get(k) or "") for d in pipeline.chunks.values()
            for k in ("section", "parent")} - {""}


def run_answer_check(pipeline: Any, folder: Path) -> AnswerNumbers:
    def rows(name: str) -> list[dict[str, Any]]:
        path = folder / name
        return read_jsonl(path) if path.exists() else []

    # The older retrieval sets: questions.jsonl (no shape) and unanswerable.jsonl (no subject).
    answerable = rows("answerable.jsonl") or rows("questions.jsonl")
    uncovered = rows("uncovered.jsonl") or rows("unanswerable.jsonl")
    return score_answers(pipeline, answerable, uncovered, rows("other_meaning.jsonl"),
                         headings_of(pipeline))


def table(n: AnswerNumbers) -> list[tuple[str, str]]:
    rows = [("usefulness: key phrase in the answer", str(n.useful)),
            *[(f"  {shape}", str(r)) for shape, r in n.per_shape.items()],
            ("question shape: rules agree with the writer's label", str(n.shape_agreement)),
            ("answerable wrongly declined", str(n.wrongly_declined)),
            ("uncovered: declined or named (partial: labelled)", str(n.uncovered_ok)),
            *[(f"  {kind}", str(r)) for kind, r in n.uncovered_per_kind.items()],
            ("other meanings of \"knot\" refused", str(n.other_refused)),
            ("faithfulness: quotes verbatim in the cited passage", str(n.quotes_found)),
            ("faithfulness: [n] markers resolve", str(n.markers_resolved)),
            ("labels that are article headings", str(n.labels_are_headings))]
    return rows


def confusion_lines(n: AnswerNumbers) -> list[str]:
    """Where the shape rules disagree with the writer: "label -> rules: count"."""
    return [f"  {label} -> {guess}: {count}" for (label, guess), count
            in sorted(n.shape_confusion.items(), key=lambda kv: -kv[1]) if label != guess]


def shape_columns(answers: dict[tuple[str, str], Answer],
                  sets: dict[str, tuple[str, Sequence[Any], Sequence[Any]]]
                  ) -> tuple[list[str], list[list[str]]]:
    """For `knotbot eval`: usefulness per question shape (as the rules read the question),
    uncovered questions declined or named, and answerable ones wrongly declined, one column
    per set. ``sets`` maps a column name to (group, answerable questions, uncovered cases)."""
    names = list(sets)
    rows: dict[str, list[str]] = {}
    for col, (group, questions, uncovered) in sets.items():
        per_shape: dict[str, list[bool]] = defaultdict(list)
        for q in questions:
            ans = answers[(group, q.id)]
            per_shape[classify(q.question)].append(
                has_phrase(answer_body(ans.answer), q.key_phrase))
        figures = {"usefulness: key phrase in the answer": rate(
                       [h for hits in per_shape.values() for h in hits]),
                   **{f"  {s}": rate(per_shape[s]) for s in SHAPES if s in per_shape},
                   "uncovered: declined or named": rate(
                       [names_subject(answers[(c.group, c.id)], "") or
                        declined(answers[(c.group, c.id)]) for c in uncovered]),
                   "answerable wrongly declined": rate(
                       [declined(answers[(group, q.id)]) for q in questions])}
        for figure, value in figures.items():
            rows.setdefault(figure, ["n/a"] * len(names))[names.index(col)] = str(value)
    order = ["usefulness: key phrase in the answer", *[f"  {s}" for s in SHAPES],
             "uncovered: declined or named", "answerable wrongly declined"]
    return ["figure", *names], [[f, *rows[f]] for f in order if f in rows]
