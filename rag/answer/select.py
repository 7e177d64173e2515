"""Which article sentences answer the question, given its shape and the articles' structure.

A broad question ("what helps?", "what causes them?", "when should I see a doctor?") gets
the list the article gives: its sub-sections in order, each with its best sentence, or a
bulleted list with the sentence that introduces it. A narrow one gets the one or two
sentences that answer it, a little favoured when they have the shape asked for (a
duration for "how long", a cause for "why").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain

from langchain_core.documents import Document

from rag.answer.cues import (
    CONDITION_ASKED,
    FORCE_ASKED,
    FORCE_SAID,
    LACK_ASKED,
    LACK_SAID,
    LASTING_ASKED,
    LASTING_SAID,
    SPEED_ASKED,
    SPEED_SAID,
    states_condition,
)
from rag.answer.shape import LIST_SHAPES, Shape, classify, unshaped
from rag.chunking import body_of, split_sentences
from rag.retrieval import stem_tokens

# Wording that makes a sentence the kind of answer a shape asks for.
_SHAPE_CUES: dict[str, re.Pattern[str]] = {
    "duration": re.compile(r"\b\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:seconds?|minutes?|hours?|days?|"
                           r"weeks?|months?|times)\b|\b(?:few|several) (?:seconds|minutes|days|"
                           r"weeks)\b|\banywhere from\b", re.IGNORECASE),
    "definition": re.compile(r"\b(?:means?|known as|refers? to|feels? like|is an?)\b",
                             re.IGNORECASE),
    "cause": re.compile(r"\b(?:caus\w*|result(?:s|ing)? from|due to|because|contribut\w*|lead "
                        r"to|factors?|culprits?|why)\b", re.IGNORECASE),
    "where": re.compile(r"\b(?:found in|areas?|located|locat\w*|spots?|points?|common(?:ly)? "
                        r"(?:found|areas))\b", re.IGNORECASE),
    "see_doctor": re.compile(r"\b(?:doctor|physician|healthcare professional|professional|"
                             r"specialist|consult\w*|diagnosis)\b", re.IGNORECASE),
}
SEEK_HELP = _SHAPE_CUES["see_doctor"]  # a sentence that sends the reader to a professional
# Chosen on evals/retrieval/ (key phrase among the chosen sentences; a sweep of bonus 0,
# 0.06, 0.12 x FAQ bonus 0, 0.04, 0.1 x 1-4 sentences x margin 0.05-0.2).
SHAPE_BONUS = 0.12  # added to a sentence that has the wording its shape asks for
FAQ_BONUS = 0.0  # the first sentence under an FAQ heading (no gain on the development set)
NARROW_MARGIN = 0.2  # sentences within this of the best one join it
NARROW_MAX = 4
# A sentence with the shape's wording from another section is about another technique,
# and is left out, unless it scores this close to the best one: then the question may as
# well be about it ("keep pushing on the sore spot": by hand or with a ball).
CLOSE = 0.05
EXACT_SHAPES: frozenset[Shape] = frozenset({"duration"})  # answered by one figure
# A figure, a cause or a sign to see a doctor under another heading is about another
# technique or condition; a definition or a place under another heading is the same
# thing said in the other article's words ("A neck knot feels like a small, hard lump..."
# and "It feels like a lump in the neck muscle..."): both may answer.
OTHER_SECTION_SHAPES: frozenset[Shape] = frozenset({"duration", "cause", "see_doctor"})


@dataclass(frozen=True)
class Candidate:
    text: str
    doc: Document
    rank: int
    order: int
    score: float
    bonus: float = 0.0  # of ``score``, what its shape's wording added


@dataclass
class Item:
    """One line of an answer: an article heading (or none) and the sentences under it."""

    label: str
    quotes: list[Candidate] = field(default_factory=list)


@dataclass
class Plan:
    shape: Shape
    items: list[Item]
    as_list: bool = False
    lead: list[Candidate] = field(default_factory=list)  # before the list: its introduction
    also: list[Candidate] = field(default_factory=list)  # after it: the best match elsewhere


Scorer = Callable[[str, Sequence[str]], list[float]]


_MODAL = re.compile(r"\b(?:can|can't|cannot|could|may|might|should|must|will|won't|not|never|"
                    r"avoid|ensure|always)\b", re.IGNORECASE)


def says_yes_or_no(sentence: str, asked: frozenset[str]) -> bool:
    """Does the sentence state the thing asked about with a modal or a negation ("...can
    result from any minor injury", "excessive force can aggravate")? ``asked`` are the
    question's own stems besides the topic's."""
    return bool(_MODAL.search(sentence)) and bool(asked & set(stem_tokens(sentence)))


# "how many days...?", "...in seconds?": the unit a duration question asks its figure in.
_ASKED_UNIT = re.compile(r"\b(?:how many|in|how much in)\s+(seconds?|minutes?|hours?|days?|"
                         r"weeks?|months?)\b", re.IGNORECASE)


def unit_cue(question: str) -> re.Pattern[str] | None:
    """The wording of a figure in the unit the question asks for ("how many days before I
    see someone?": "several days", not the "30 to 90 seconds" of a technique), or None
    when it names none."""
    units = sorted({m.group(1).lower().rstrip("s") for m in _ASKED_UNIT.finditer(question)})
    if not units:
        return None
    unit = "|".join(units)
    return re.compile(rf"\b(?:\d+(?:\s*(?:-|–|to)\s*\d+)?|a few|few|several|a couple of)\s*"
                      rf"(?:{unit})s?\b", re.IGNORECASE)


# "How often should I move?": a recurrence answers it ("take regular breaks", "keep
# changing positions"), not a hold's length ("30 to 90 seconds").
_OFTEN_ASKED = re.compile(r"\bhow (?:often|frequently|many times)\b", re.IGNORECASE)
_OFTEN_SAID = re.compile(r"\b(?:regular(?:ly)?|keep \w+ing|every|each (?:day|time|hour)|daily|"
                         r"(?:\d+|two|three|several|many) times|repeat\w*|often|frequent\w*|"
                         r"throughout|in between)\b", re.IGNORECASE)


def shape_cue(shape: Shape, question: str = "") -> re.Pattern[str] | None:
    """The wording that answers the shape: for "how long" a figure (in the unit asked
    for, when it names one), for "how often" a recurrence."""
    if shape == "duration" and _OFTEN_ASKED.search(question):
        return _OFTEN_SAID
    return (unit_cue(question) if shape == "duration" else None) or _SHAPE_CUES.get(shape)


def shaped(cands: list[Candidate], shape: Shape, asked: frozenset[str] = frozenset(),
           force: bool = False, question: str = "") -> list[Candidate]:
    """Scores nudged towards sentences worded as the shape's answer (for a duration in the
    unit asked for, when the question names one), and, for a question about how much
    ``force``, towards sentences saying how much."""
    cue = shape_cue(shape, question)
    condition = bool(CONDITION_ASKED.search(question))
    speed = bool(SPEED_ASKED.search(question))
    lasting = bool(LASTING_ASKED.search(question))
    lack = bool(LACK_ASKED.search(question))
    out = []
    for c in cands:
        if shape == "yes_no":
            bonus = SHAPE_BONUS if says_yes_or_no(c.text, asked) else 0.0
        else:
            bonus = SHAPE_BONUS if cue is not None and cue.search(c.text) else 0.0
        if force and FORCE_SAID.search(c.text):
            bonus += SHAPE_BONUS
        if condition and states_condition(c.text, asked):
            bonus += SHAPE_BONUS
        if speed and SPEED_SAID.search(c.text):
            bonus += SHAPE_BONUS
        if lasting and LASTING_SAID.search(c.text):
            bonus += SHAPE_BONUS
        if lack and LACK_SAID.search(c.text):
            bonus += SHAPE_BONUS
        if c.order == 0 and c.doc.metadata.get("question"):
            bonus += FAQ_BONUS
        out.append(replace(c, score=c.score + bonus, bonus=bonus))
    return out


def narrow(cands: list[Candidate], shape: Shape = "other", limit: int = NARROW_MAX,
           margin: float = NARROW_MARGIN, question: str = "") -> list[Candidate]:
    """The best sentences, best first (a yes or no leads), near-repeats left out. When
    the best one has the wording the shape asks for (a duration), the same kind of
    wording from another section is left out (unless it scores as well): it is about
    another technique (`OTHER_SECTION_SHAPES`)."""
    ranked = sorted(cands, key=lambda c: c.score, reverse=True)
    cue = shape_cue(shape, question) if question else _SHAPE_CUES.get(shape)
    # The margin is taken on the plain scores: the shape's bonus reorders, never narrows;
    # except that a number answers "how long" by itself, so the best sentence giving one
    # is joined only by sentences scoring near it.
    floor = max((c.score - c.bonus for c in cands), default=0.0) - margin
    if shape in EXACT_SHAPES and ranked and ranked[0].bonus:
        floor = ranked[0].score - margin
    chosen: list[Candidate] = []
    seen: list[set[str]] = []
    for c in ranked:
        if len(chosen) >= limit:
            break
        if chosen and c.score - c.bonus < floor:
            continue
        words = set(re.findall(r"[a-z]+", c.text.lower()))
        if any(len(words & w) / max(1, len(words | w)) > 0.6 for w in seen):
            continue
        if chosen and shape in OTHER_SECTION_SHAPES and cue is not None \
                and cue.search(chosen[0].text) and cue.search(c.text) \
                and c.doc.metadata.get("section") != chosen[0].doc.metadata.get("section") \
                and c.score < chosen[0].score - CLOSE:
            continue
        chosen.append(c)
        seen.append(words)
    return with_shape_answer(chosen, ranked, cue, limit, margin)


def with_shape_answer(chosen: list[Candidate], ranked: list[Candidate],
                      cue: re.Pattern[str] | None, limit: int, margin: float
                      ) -> list[Candidate]:
    """When no chosen sentence is worded as the shape asks (no figure for "how long"),
    the best one that is joins them, if its score with the shape's bonus is within the
    margin of the best: "Hold this position for 15-30 seconds" names no stretch, so it
    scores below the sentence that describes the stretch."""
    if cue is None or not chosen or any(cue.search(c.text) for c in chosen):
        return chosen
    shaped_best = next((c for c in ranked if c.bonus and cue.search(c.text)
                        and c not in chosen), None)
    if shaped_best is None or shaped_best.score < ranked[0].score - margin:
        return chosen
    return [*chosen[: limit - 1], shaped_best]


class _Headings:
    """One list of chunks by the parent heading they sit under: the headings in reading
    order, each with its shape, and the chunks under each. Built once per list: going
    over every chunk of a large index for each question grew with the corpus."""

    def __init__(self, chunks: Sequence[Document]) -> None:
        self.chunks = chunks  # kept alive, so its id is not reused while cached
        self.under: dict[tuple[str, str], list[Document]] = {}
        for c in chunks:
            self.under.setdefault(_under(c), []).append(c)
        self.by_shape: dict[Shape, list[tuple[str, str]]] = {}
        for key in self.under:
            if key[1]:
                self.by_shape.setdefault(classify(key[1]), []).append(key)


_HEADINGS: dict[int, _Headings] = {}
_HEADINGS_KEPT = 4
_HEADINGS_LOCK = threading.Lock()


def _headings(chunks: Sequence[Document]) -> _Headings:
    with _HEADINGS_LOCK:
        found = _HEADINGS.get(id(chunks))
    if found is None or found.chunks is not chunks:
        found = _Headings(chunks)
        with _HEADINGS_LOCK:
            _HEADINGS[id(chunks)] = found
            for old in list(_HEADINGS)[:-_HEADINGS_KEPT]:
                _HEADINGS.pop(old, None)
    return found


def _first_group(docs: Sequence[Document], chunks: Sequence[Document], shape: Shape
                 ) -> list[Document] | None:
    """For the first retrieved chunk (then the first chunk of ``chunks``) under a
    sub-heading whose parent heading asks what the question asks ("What are the
    Causes...?" for "why do I get them?"), every chunk under that parent in the same
    article, in reading order; None when no heading does."""
    table = _headings(chunks)
    seen: set[tuple[str, str]] = set()  # each heading once, whether it asks that or not
    keys = chain((_under(d) for d in docs), table.by_shape.get(shape, ()))
    for key in keys:
        if not key[1] or key in seen:
            continue
        seen.add(key)
        if classify(key[1]) != shape:
            continue
        members = table.under.get(key, [])
        if len({str(c.metadata.get("section")) for c in members}) >= 2:
            return sorted(members, key=lambda c: int(c.metadata.get("position", 0)))
    return None


def _under(doc: Document) -> tuple[str, str]:
    """The article and the parent heading a chunk sits under."""
    return str(doc.metadata.get("source")), str(doc.metadata.get("parent") or "")


def bullets(doc: Document) -> list[str]:
    """The chunk's bullet items, verbatim (without the "- ")."""
    return [line[2:].strip() for line in body_of(doc).split("\n") if line.startswith("- ")]


def list_intro(doc: Document) -> str:
    """The sentence that introduces the chunk's bulleted list (ends with ":" or a dash),
    quotable now that the list follows it; "" when there is none."""
    before = body_of(doc).split("\n- ", 1)[0].rsplit("\n\n", 1)[-1]
    last = (split_sentences(before) or [""])[-1]
    return last if re.search(r"[:–—-]\s*$", last) and last in doc.page_content else ""


Quotable = Callable[[Document], list[str]]  # the sentences of a chunk that may be quoted


def own_candidates(doc: Document, question: str, score: Scorer, quotable: Quotable,
                   rank: int) -> list[Candidate]:
    sentences = quotable(doc)
    values = score(question, sentences) if sentences else []
    return [Candidate(t, doc, rank, i, v)
            for i, (t, v) in enumerate(zip(sentences, values, strict=True))]


def sub_section_list(group: list[Document], cands: list[Candidate], score: Scorer,
                     quotable: Quotable, question: str) -> list[Item]:
    """One item per sub-heading: the heading and its best sentence (or two, when the
    first is short)."""
    by_doc: dict[str, list[Candidate]] = {}
    for c in cands:
        by_doc.setdefault(str(c.doc.id), []).append(c)
    items: dict[str, Item] = {}
    for doc in group:
        section = str(doc.metadata.get("section") or "")
        mine = by_doc.get(str(doc.id))
        if mine is None:  # not retrieved: score its sentences now
            mine = own_candidates(doc, question, score, quotable, rank=len(group))
        if not mine:
            continue
        item = items.setdefault(section, Item(section))
        item.quotes.extend(mine)
    out = []
    for item in items.values():
        # The sub-section's opening sentence (its topic), and its best match if another.
        first = min(item.quotes, key=lambda c: (int(c.doc.metadata.get("position", 0)), c.order))
        best = max(item.quotes, key=lambda c: c.score)
        out.append(Item(item.label, [first] if best is first else [first, best]))
    return out


def asked_under_heading(top: Candidate, group: Sequence[Document], shape: Shape,
                        asked: frozenset[str]) -> bool:
    """Does the best sentence sit outside the list, under a heading that asks what the
    question asks in the question's own words ("Why Won't My Muscle Knots Go Away?" for
    "why does my knot never go away?")? Then the question is that heading's, not the
    list's: it is answered by the sentences under it."""
    if top.doc.id in {d.id for d in group}:
        return False
    heading = str(top.doc.metadata.get("section") or "")
    return bool(heading) and classify(heading) == shape \
        and bool(asked & set(stem_tokens(unshaped(heading))))


def _also(items: list[Item], cands: list[Candidate], shape: Shape) -> list[Candidate]:
    """The best-matching sentence outside the list, when the list does not quote it."""
    listed = {c.text for item in items for c in item.quotes}
    best = narrow([c for c in cands if c.text not in listed], shape, limit=1)
    return best


def plan(shape: Shape, question: str, docs: Sequence[Document], chunks: Sequence[Document],
         cands: list[Candidate], score: Scorer, quotable: Quotable, broad: bool = False,
         asked: frozenset[str] = frozenset()) -> Plan:
    """The answer's outline: a list where the shape and the articles have one, else the
    best sentences."""
    cands = shaped(cands, shape, asked, bool(FORCE_ASKED.search(question)), question)
    if shape in LIST_SHAPES and cands and broad:
        top = max(cands, key=lambda c: c.score)
        # A broad question gets the list even when retrieval found other passages first.
        group = _first_group(docs, chunks, shape)
        if group and shape != "see_doctor" and not asked_under_heading(top, group, shape, asked):
            items = sub_section_list(group, cands, score, quotable, question)
            if len(items) >= 2:
                return Plan(shape, items, as_list=True, also=_also(items, cands, shape))
        listed = [d for d in docs[:2] if bullets(d)]
        if listed and (shape == "see_doctor" or top.doc.id == listed[0].id):
            doc = listed[0]
            lead = narrow([c for c in cands if c.doc.id == doc.id], limit=2)
            intro = list_intro(doc)
            if intro and all(c.text != intro for c in lead):
                lead.append(Candidate(intro, doc, top.rank, 99, 0.0))
            items = [Item("", [Candidate(b, doc, top.rank, 100 + i, 0.0)])
                     for i, b in enumerate(bullets(doc))]
            return Plan(shape, items, as_list=True, lead=lead,
                        also=_also(items, [c for c in cands if c.doc.id != doc.id], shape))
    return Plan(shape, [Item("", narrow(cands, shape, question=question))])
