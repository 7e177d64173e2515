"""An answer plan as Markdown: quoted sentences with [n] markers, article headings as
labels, and a few fixed connecting words that make no medical claim.

`parse_body` reads a rendered body back into (label, sentence, n) so the faithfulness
check and the tests can hold every quote to its cited passage and every label to an
article heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.select import Candidate, Plan
from rag.models import Citation

# Everything the composer may write itself, besides headings and declines.
LIST_INTRO = {"relief_list": "The articles suggest:", "cause": "The articles name these causes:",
              "see_doctor": "The articles say:"}
REST = "On the rest of your question, the articles say:"
NEARBY = ("The articles don't mention {subject}, so this may not answer your question. "
          "What they say nearby:")
OTHER_SENSE = "The articles don't cover {subject} in that sense, so I can't answer that from them."
DECLINE = "The articles don't cover {subject}, so I can't answer that from them."
NOT_MENTIONED = "The articles don't mention {subject}."
PASSING = "The articles mention {subject} only in passing, in a list:"
ASPECT = "The articles don't cover {aspect} for {subject}. What they say nearby:"
ASPECTS = ("how long", "how often", "prices", "temperatures", "how many")
ELSEWHERE = ("The articles are about knots in the neck, shoulders and upper back; they don't "
             "cover the {subject}.")
MEDICINES = ("The articles don't cover medicines, prescriptions or doses; a pharmacist or "
             "doctor can advise.")
MEDICINES_NAMED = ("The articles don't cover {subject} or other medicines, prescriptions and "
                   "doses; a pharmacist or doctor can advise.")
NOT_COVERED = "The articles don't cover that, so I can't answer it from them."
FOLLOW_UP_NOTE = "Besides what I quoted before, the articles say:"
ALSO = "The articles also say:"
CONNECTIVES = frozenset({*LIST_INTRO.values(), REST, FOLLOW_UP_NOTE, ALSO,
                         "The articles say:"})
_CONNECTIVE_FORMS = [re.compile(re.escape(t).replace(r"\{subject\}", r'"[^"]+"(?:, "[^"]+")*'
                                                      r'(?: or "[^"]+")?') + "$")
                     for t in (NEARBY, DECLINE, NOT_MENTIONED, ELSEWHERE, MEDICINES_NAMED,
                               OTHER_SENSE, PASSING,
                               *(ASPECT.replace("{aspect}", a) for a in ASPECTS))]


def not_covered(terms: Sequence[str], rest_answered: bool = False) -> str:
    """The plain decline, naming the terms the articles never use when there are some."""
    if not terms:
        return NOT_COVERED
    quoted = [f'"{t}"' for t in terms]
    named = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    # A term triage does not know may be a symptom ("tinnitus") or a medicine: say who
    # can answer, without saying anything medical ourselves.
    who = f"A doctor or pharmacist can tell you more about {'it' if len(terms) == 1 else 'them'}."
    if rest_answered:
        return f"The articles don't cover {named}. {who}"
    return f"The articles don't cover {named}, so I can't answer that from them. {who}"


def is_connective(line: str) -> bool:
    """Words the composer may write: fixed connecting words, or a decline naming words."""
    return line in CONNECTIVES or line == MEDICINES \
        or any(f.match(line) for f in _CONNECTIVE_FORMS)

_MARKER = re.compile(r" \[(\d+)\]")
_LABEL = re.compile(r"^\*\*(?P<label>[^*]+)\*\*: ")
# The one-line intro of answers after a safety verdict ("What the articles say: ...").
_INTRO = re.compile(r"^(?:On the rest of your question, w|W)hat the articles say[^:]*:\s*")


@dataclass(frozen=True)
class Quote:
    label: str  # the article heading it is shown under ("" for none)
    sentence: str
    n: int


class Citer:
    """Numbers passages in the order they are first quoted, collecting their quotes."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.citations: list[Citation] = []

    def mark(self, c: Candidate) -> str:
        cid = str(c.doc.id)
        if cid not in self.numbers:
            self.numbers[cid] = len(self.numbers) + 1
            meta = c.doc.metadata
            self.citations.append(Citation(
                n=self.numbers[cid], source=str(meta["source"]), title=str(meta["title"]),
                section=str(meta.get("section") or "") or None, text=c.doc.page_content,
                score=round(float(meta.get("score", c.score)), 4)))
        n = self.numbers[cid]
        if c.text not in self.citations[n - 1].quotes:
            self.citations[n - 1].quotes.append(c.text)
        return f"{c.text} [{n}]"


def render(plan: Plan, intro: str = "") -> tuple[str, list[Citation]]:
    """The plan's Markdown (lines; a list as "- " items) and the citations it points to."""
    citer = Citer()
    lines: list[str] = [intro] if intro else []
    if plan.as_list:
        if not intro and not plan.lead:
            lines.append(LIST_INTRO.get(plan.shape, "The articles say:"))
        if plan.lead:
            lines.append(" ".join(citer.mark(c) for c in plan.lead))
        for item in plan.items:
            quoted = " ".join(citer.mark(c) for c in item.quotes)
            lines.append(f"- **{item.label}**: {quoted}" if item.label else f"- {quoted}")
        if plan.also:  # its own paragraph: not a continuation of the list's last item
            lines += ["", ALSO, " ".join(citer.mark(c) for c in plan.also)]
    else:
        lines.append(" ".join(citer.mark(c) for item in plan.items for c in item.quotes))
    return "\n".join(lines).strip(), citer.citations


def parse_body(body: str) -> list[Quote]:
    """Every quoted sentence of a rendered body, with its label and marker number."""
    out: list[Quote] = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        label = ""
        match = _LABEL.match(line)
        if match:
            label, line = match.group("label"), line[match.end():]
        line = _INTRO.sub("", line)
        pos = 0
        for m in _MARKER.finditer(line):
            out.append(Quote(label, line[pos:m.start()].strip(), int(m.group(1))))
            pos = m.end()
    return out


def unquoted_lines(body: str) -> list[str]:
    """The lines of a body that quote nothing: connecting words and declines."""
    return [line.strip() for line in body.split("\n")
            if line.strip() and not _MARKER.search(line)]
