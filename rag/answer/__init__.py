"""The answer stage: what the question asks (`shape`), which article sentences answer it
given the articles' structure (`select`), what the articles don't cover (`subject`), which
sentences never stand as an answer (`filler`), and the cited Markdown (`render`).

`rag.compose` keeps the safety block and the quoting rules after a safety verdict; for a
plain question it hands the quotable sentences to `answer_body` here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from langchain_core.documents import Document

from rag.answer.aspect import FigureTable, figure_stems, missing_aspect, never_given
from rag.answer.context import GroupScorer, TopicScorer, rescore
from rag.answer.filler import filler_table
from rag.answer.holder import held_elsewhere, held_in_other_part, tied_by_hand
from rag.answer.passing import Mentions, in_passing, mentions, subject_stems
from rag.answer.quoted import QuoteFinder
from rag.answer.render import (
    ASPECT,
    DECLINE,
    ELSEWHERE,
    FOLLOW_UP_NOTE,
    MEDICINES,
    MEDICINES_NAMED,
    NEARBY,
    NOT_MENTIONED,
    OTHER_SENSE,
    PASSING,
    REST,
    not_covered,
    render,
)
from rag.answer.select import NARROW_MAX, Candidate, Item, Plan, Quotable, Scorer, plan, shaped
from rag.answer.sense import SENSE
from rag.answer.shape import Shape, classify
from rag.answer.subject import (
    ASKING,
    BODY_PARTS,
    FAR,
    LOOSE_SENSE,
    LOOSE_SENSE_FAR,
    LOOSE_SENSE_THING,
    MEDICINE,
    OWN_WORD,
    PHARMACIST,
    THING_ZIPF,
    absent_subjects,
    anchored,
    asked_apart,
    besides_medicine,
    broad,
    compound_parts,
    named,
    other_body_parts,
    set_aside,
    taken,
)
from rag.coverage import words_of
from rag.models import Citation, Turn
from rag.retrieval import stem_tokens

__all__ = ["Ask", "answer_body", "ask_for", "classify", "core_words", "decline_note",
           "medicine_note", "unspoken_note", "verdict_intro"]
SOURCES = "**Sources**"


@dataclass(frozen=True)
class Ask:
    """What the answer stage knows beyond the retrieved passages."""

    question: str  # as the person asked it: its shape
    chunks: Sequence[Document] = ()  # every chunk of the index: the articles' lists
    filler: Mapping[str, str] = field(default_factory=dict)  # sentence -> why it is filler
    said: frozenset[str] = frozenset()  # sentences the previous answer quoted
    absent: tuple[str, ...] = ()  # what it asks about that the articles never mention
    elsewhere: tuple[str, ...] = ()  # body parts the articles never mention
    far: tuple[str, ...] = ()  # the absent subjects unlike every article word
    unspoken: tuple[str, ...] = ()  # of those, words only the safety stage knows ("pregnant")
    anchored: bool = True  # uses an article word besides the words of their titles
    own: bool = True  # uses one of the articles' own words, or a body part they name
    sense: float | None = None  # how close its topic words come to the articles' uses
    broad: bool = False  # asks about the topic as a whole: the article's list answers it
    publisher: bool = False  # names an article's publisher ("rmt movement", "Brampton")
    own_voice: frozenset[str] = frozenset()  # then: the sentences the publisher speaks in
    missing: tuple[str, tuple[str, ...]] | None = None  # ("how long", ("ice",)) not given
    figure_nowhere: bool = False  # the articles give no figure of that kind at all
    topic: frozenset[str] = frozenset()  # the words of the articles' titles
    other_sense: tuple[str, ...] = ()  # their topic words, meant in another sense
    in_context: GroupScorer | None = None  # scores a sentence with its heading and neighbour
    topical: TopicScorer | None = None  # how much a sentence is about the topic as a whole
    # (its word, the one sentence naming it as an item of a list, that sentence's chunk)
    passing: tuple[tuple[str, str, Document], ...] = ()
    subjects: frozenset[str] = frozenset()  # stems of its words that may name a subject
    held: tuple[str, ...] = ()  # what the knot is in or on that the articles never mention
    tied: bool = False  # a knot tied or undone by hand ("untie the knot in the twine")
    thing: bool = False  # an absent subject rare enough to name a thing ("thickness")
    parts: frozenset[str] = frozenset()  # article words its compounds are made of ("head")


# With a subject the articles never mention, a best sentence scoring below this is not
# shown as though it answered: the answer is a decline naming the subject.
DECLINE_SCORE = 0.3
# A topic noun held by a thing the articles never mention ("a knot in the pine board")
# whose token vector comes below this near their uses of it is another knot: declined.
HELD_SENSE = 0.90
ASIDE_PENALTY = 0.15  # off a sentence naming what the question sets aside ("besides X")
_FILLER: dict[str, Mapping[str, str]] = {}  # index version -> its filler table


def filler_of(name: str, chunks: Sequence[Document]) -> Mapping[str, str]:
    """The filler table of one index version, worked out once (it could be precomputed at
    ingest: it needs only the chunks)."""
    return _once(_FILLER, name, lambda: filler_table(chunks))


_TOPIC: dict[str, frozenset[str]] = {}  # index version -> its articles' title words
_PUBLISHER: dict[str, frozenset[str]] = {}  # index version -> words naming its publishers
_CORE: dict[str, frozenset[str]] = {}  # index version -> `core_of` its chunks
_NOWHERE: dict[str, dict[str, bool]] = {}  # index version -> figure -> never given one
_MENTIONS: dict[str, Mentions] = {}  # index version -> its sentences by stem
_FIGURED: dict[str, dict[str, frozenset[str]]] = {}  # index version -> `figure_stems`
_QUOTES: dict[str, QuoteFinder] = {}  # index version -> its sentences, filed
_CHUNKS: dict[str, list[Document]] = {}  # index version -> its chunks
T = TypeVar("T")


def _once(table: dict[str, T], name: str, build: Callable[[], T]) -> T:
    """``table[name]``, built on first use; a few index versions kept at most. Each
    question would otherwise go over every chunk of the index for it."""
    found = table.get(name)
    if found is None:
        found = table[name] = build()
        for old in list(table)[:-4]:
            table.pop(old, None)
    return found


def _kept(table: dict[str, dict[str, T]], name: str, key: str, build: Callable[[], T]) -> T:
    """``table[name][key]``, built on first use: one entry per index version (`_once`),
    holding every key (a key per version and kind of figure kept only the last four)."""
    found = _once(table, name, dict)
    if key not in found:
        found[key] = build()
    return found[key]


# A publisher's word rarer than this (wordfreq Zipf) names it: "rmt", "brampton", not
# "movement" or "clinic".
PUBLISHER_ZIPF = 3.5


def names_publisher(question: str, chunks: Sequence[Document], coverage: Any) -> bool:
    """Does the question ask about a publisher? Then what it says of itself (its adverts)
    is what answers."""
    return bool(publisher_words(chunks, coverage) & set(words_of(question)))


def publisher_words(chunks: Sequence[Document], coverage: Any) -> frozenset[str]:
    """The words that name the articles' publishers (rare in English)."""
    return frozenset(w for p in {str(d.metadata.get("publisher") or "") for d in chunks}
                     for w in words_of(p) if coverage.frequency(w) < PUBLISHER_ZIPF)


def topic_of(chunks: Sequence[Document]) -> frozenset[str]:
    """The words of the articles' titles: what every question here is about."""
    return frozenset(w for t in {str(d.metadata.get("title") or "") for d in chunks}
                     for w in words_of(t))


def core_of(chunks: Sequence[Document]) -> frozenset[str]:
    """The words every article's title shares, in any form ("knot", "knots", "neck"):
    what the articles are all about."""
    titles = {str(d.metadata.get("title") or "") for d in chunks} - {""}
    shared = frozenset.intersection(*(frozenset(stem_tokens(t)) for t in titles)) \
        if titles else frozenset()
    return frozenset(w for t in titles for w in words_of(t) if stem_tokens(w)[0] in shared)


def core_words(index: Any) -> frozenset[str]:
    """The words every article title of ``index`` shares ("knot", "neck"), worked out once."""
    return _once(_CORE, index.name, lambda: core_of(list(index.chunks.values())))


def ask_for(question: str, history: Sequence[Turn], index: Any, already: Sequence[str] = ()
            ) -> Ask | None:
    """The answer stage's view of one question, or None without an index."""
    if index is None:
        return None
    # One list per index version: the answer stage's tables built from it are kept by it.
    chunks = _once(_CHUNKS, index.name, lambda: list(index.chunks.values()))
    earlier = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    earlier = earlier.split(SOURCES, 1)[0]
    topic = _once(_TOPIC, index.name, lambda: topic_of(chunks))
    said = _once(_QUOTES, index.name, lambda: QuoteFinder(index.sentence_vectors)
                 ).quoted(earlier) if earlier else frozenset()
    filler = filler_of(index.name, chunks)
    publisher = bool(_once(_PUBLISHER, index.name,
                           lambda: publisher_words(chunks, index.coverage))
                     & set(words_of(question)))
    voice = frozenset(s for s, why in filler.items() if why == "advertising") \
        if publisher else frozenset()
    if publisher:  # the adverts answer a question about the clinic
        filler = {s: why for s, why in filler.items() if why != "advertising"}
    figures: FigureTable | None = getattr(index, "figures", None)  # kept at ingest
    aspect, subject = missing_aspect(
        question, chunks, index.coverage, topic, lambda a: figures.stems[a] if figures
        else _kept(_FIGURED, index.name, a, lambda: figure_stems(a, chunks)))
    absent = tuple(absent_subjects(question, index.coverage, already, topic=topic))
    far = tuple(absent_subjects(question, index.coverage, already, FAR, topic))
    core = core_words(index)
    sense = getattr(index, "topic_sense", None)
    closeness = sense(question, sorted(core)) if sense is not None else None
    other_sense = tuple(w for w in words_of(question) if w in core) \
        if closeness is not None and closeness < SENSE else ()
    found = _once(_MENTIONS, index.name, lambda: mentions(chunks))
    passing = tuple(p for p in in_passing(question, found, index.coverage, topic)
                    if p[1] not in filler)
    return Ask(question=question, chunks=chunks, filler=filler, publisher=publisher, topic=topic,
               own_voice=voice,
               passing=passing, subjects=frozenset(subject_stems(question, index.coverage,
                                                                 topic)),
               in_context=getattr(index, "score_in_context", None),
               topical=getattr(index, "topic_match", None),
               missing=(aspect, tuple(subject)) if aspect else None,
               figure_nowhere=bool(aspect) and (aspect not in figures.given if figures else _kept(
                   _NOWHERE, index.name, aspect, lambda: never_given(aspect, chunks))),
               said=said, absent=absent, other_sense=other_sense,
               elsewhere=tuple(other_body_parts(question, index.coverage, sorted(
                   core - BODY_PARTS))) or held_in_other_part(
                   question, core - BODY_PARTS, index.coverage),
               far=far, unspoken=tuple(w for w in far if index.coverage.in_articles(w)),
               anchored=anchored(question, index.coverage, topic, absent),
               own=anchored(question, index.coverage, topic, absent, OWN_WORD), sense=closeness,
               broad=broad(question, index.coverage, topic),
               held=held_elsewhere(question, core - BODY_PARTS, absent, index.coverage),
               # (A follow-up's knot is the one asked about before: "how do I undo it?")
               tied=not history and tied_by_hand(question, core - BODY_PARTS, absent,
                                                 index.coverage),
               thing=any(index.coverage.frequency(w) < THING_ZIPF for w in absent),
               parts=compound_parts(question, index.coverage))


def medicine_note(question: str, told: str, absent: Sequence[str] = ()) -> str:
    """For a question about a medicine that was refused (``told``): that the articles
    don't cover it, by name when the question names it ("ibuprofen"), and who can answer
    it (unless the refusal already says so)."""
    pharmacist = PHARMACIST in told.lower()
    if not (MEDICINE.search(question) or pharmacist):
        return ""
    if absent:
        return MEDICINES_NAMED.format(subject=named(absent))
    return "" if pharmacist else MEDICINES


def decline_note(ask: Ask | None, terms: Sequence[str]) -> str:
    """The decline when nothing of the articles answers a plain question: a medicine (or
    something taken, by any name) goes to a pharmacist or doctor; otherwise it names the
    rare ``terms``, else what the question asks about that the articles never mention."""
    if ask is None:
        return not_covered(terms)
    named_ = list(terms) or list(ask.absent)
    medicine = (MEDICINE.search(ask.question) and not besides_medicine(ask.question)) \
        or taken(ask.question, terms)
    if medicine:
        return MEDICINES_NAMED.format(subject=named(named_)) if named_ else MEDICINES
    if terms or not ask.absent:
        return not_covered(terms)
    return DECLINE.format(subject=named(ask.absent))


def unspoken_note(ask: Ask | None, emergency: bool) -> str:
    """After a safety verdict that no article sentence backs up: that the articles don't
    mention the condition the question names that only the safety stage knows
    ("pregnant"), so the verdict is not read as the articles' answer. "" when none."""
    if emergency or ask is None or not ask.unspoken:
        return ""
    return NOT_MENTIONED.format(subject=named(ask.unspoken))


def verdict_intro(ask: Ask | None, uncovered: Sequence[str], emergency: bool) -> str:
    """The words before the quotes that back a safety verdict up: the rare terms the
    articles don't cover, or else what the question names that only the safety stage
    knows and the articles never discuss ("pregnant"), or, below an emergency, what it
    asks about that is unlike every article word ("lymph"), so the quotes are not read as
    being about it."""
    intro = "What the articles say about when to get help:" if emergency else \
        "What the articles say:"
    if uncovered:
        return (f"{not_covered(uncovered, rest_answered=True)}\n\n"
                f"On the rest of your question, {intro[0].lower()}{intro[1:]}")
    # Under a lower verdict, what it asks about that is unlike every article word too.
    unspoken = () if emergency or ask is None else ask.unspoken or ask.far
    return f"{NOT_MENTIONED.format(subject=named(unspoken))}\n\n{intro}" if unspoken else intro


# A sentence the previous answer quoted that beats every new one by this much is what the
# follow-up asks about ("so when would I pick the ice?" after heat or ice): quoted again.
AGAIN_MARGIN = 0.1
# "What else?", "any other ways?": asks for what was not said yet.
_MORE = re.compile(r"\b(?:else|other|others|more|another|besides|too|also)\b", re.IGNORECASE)


def asked_again(cands: list[Candidate], ask: Ask, shape: Shape) -> str:
    """The sentence the previous answer quoted that the follow-up asks for again: the best
    one, when it is worded as the shape asks ("how long should I hold it?" when that
    answer gave the figure) or no new sentence comes near it. "" when there is none."""
    top = max(shaped(cands, shape), key=lambda c: c.score, default=None)
    if top is None or not ask.said:
        return ""
    if top.bonus > 0 and top.text in ask.said:
        return top.text
    best = max(cands, key=lambda c: c.score)
    new = max((c.score for c in cands if c.text not in ask.said), default=float("-inf"))
    clearly = best.text in ask.said and best.score >= new + AGAIN_MARGIN
    return best.text if clearly and not _MORE.search(ask.question) else ""


def passing_first(outline: Plan, passing: Sequence[tuple[str, str, Document]],
                  asked: frozenset[str]) -> Plan:
    """The outline with the sentences that name the subjects in passing quoted first; of
    the rest, only those that share another word of the question that may name a subject
    (``asked``): a sentence that is only near the topic is not about the subject."""
    first = [Candidate(text, doc, 0, 0, 1.0)
             for text in dict.fromkeys(t for _w, t, _d in passing)
             for doc in [next(d for _w, t, d in passing if t == text)]]
    other = asked - {s for w, _t, _d in passing for s in stem_tokens(w)}
    rest = [c for item in outline.items for c in item.quotes
            if c.text not in {f.text for f in first} and other & set(stem_tokens(c.text))]
    return Plan(outline.shape, [Item("", [*first, *rest][: max(len(first), NARROW_MAX)])])


def in_own_voice(cands: list[Candidate], ask: Ask, shape: Shape) -> Plan | None:
    """A question about the publisher that its own words answer best ("where is the
    clinic?"): what it says of itself, in reading order. Its name ties every one of those
    sentences to the question, but only the sentence that spells it out matches it, so
    ranking would quote that one alone and leave out where it is or what it does. None
    when another sentence answers better ("does the clinic say heat or ice?")."""
    if not ask.own_voice or not cands:
        return None
    if max(cands, key=lambda c: c.score).text not in ask.own_voice:
        return None
    said = {c.text: c for c in sorted(cands, key=lambda c: (c.rank, c.order))
            if c.text in ask.own_voice}
    chosen = sorted(said.values(), key=lambda c: (c.rank, c.order))[:NARROW_MAX]
    return Plan(shape, [Item("", chosen)])


# Someone who gets or has knots, not a thing that holds one: "why do I get knots after a
# heavy day on site?", "what leads to someone getting so many knots?".
_HAS_KNOTS = re.compile(
    r"\b(i|we|you|he|she|they|someone|somebody|people|ppl|folks|anyone|anybody|everyone|"
    r"everybody|men|women)\b(\s+\w+){0,2}?\s*\b(get|gets|getting|got|have|has|having|had|"
    r"develops?|developing|developed|end up with|keeps? getting|wakes? up with|waking up with|"
    r"woke up with|(am|is|are|was|were|'m|'re|'s) (\w+ )?(riddled with|full of|covered in|"
    r"plagued (by|with)))\s+(\w+\s+){0,3}?knots?\b(?!\s+(out|off|undone|untied|loose|free)\b)"
    # ... or owns one, told with nothing between: "my knot", "her knots" (not "my tie knot").
    r"|\b(my|your|his|her|our|their)\s+knots?\b(?!\s+(out|off|undone|untied|loose|free)\b)",
    re.IGNORECASE)


def bodys_knots(ask: Ask) -> bool:
    """Knots someone gets or has ("why do I keep getting knots after a shift?"): a body's."""
    return _HAS_KNOTS.search(ask.question) is not None


def loosely_meant(ask: Ask) -> bool:
    """None of the articles' own words, and their topic word only loosely as they use it:
    another knot. The bar is higher when what it asks about is unlike every article word,
    or is named by a word rarer than the frame of a question ("thickness", not "whole").
    Knots a person gets are a body's (a thing that holds one is `held_by_other`)."""
    if ask.own or ask.sense is None or bodys_knots(ask):
        return False
    return ask.sense < (LOOSE_SENSE_FAR if ask.far else LOOSE_SENSE_THING if ask.thing
                        else LOOSE_SENSE)


def held_by_other(ask: Ask) -> bool:
    """Is the knot in something the articles never mention ("a celtic knot"), read loosely
    as they use the word, or tied by hand? Or is what holds it unlike anything they discuss,
    in a question using none of their own words ("a knot in the spruce for a violin top"):
    then however close the knot's vector comes to theirs."""
    loose = ask.sense is None or ask.sense < HELD_SENSE
    return (bool(ask.held) and loose) or ask.tied \
        or (not ask.own and bool(set(ask.held) & set(ask.far)))


def answer_body(ask: Ask, query: str, docs: Sequence[Document], cands: list[Candidate],
                score: Scorer, quotable: Quotable, rest: bool = False
                ) -> tuple[str, list[Citation], Shape]:
    """The cited body for a plain question (no safety verdict), its citations and shape."""
    shape = classify(ask.question)
    fresh = [c for c in cands if c.text not in ask.filler]
    if ask.elsewhere:
        return ELSEWHERE.format(subject=named(ask.elsewhere)), [], shape
    if ask.other_sense:  # "how many mph is 30 knots?"
        return OTHER_SENSE.format(subject=named(ask.other_sense)), [], shape
    # A medicine or its dose: no quote answers it (unless only set aside: "apart from
    # painkillers, what can I do?" asks for the rest, or named as not covered beside a
    # question of its own about the knot: ``rest``).
    if MEDICINE.search(ask.question) and not besides_medicine(ask.question) and not (
            rest and asked_apart(ask.question)):
        return (MEDICINES_NAMED.format(subject=named(ask.absent)) if ask.absent
                else MEDICINES), [], shape
    best = max((c.score for c in fresh if c.rank < len(docs)), default=0.0)
    # Nothing of the question is the articles' but their topic, and what it asks about is
    # unlike anything they discuss ("knots in my dog's fur"): no quote is an answer.
    unrelated = not ask.anchored and bool(ask.far) and not bodys_knots(ask)
    loose = loosely_meant(ask)
    held = held_by_other(ask)
    if ask.absent and (best < DECLINE_SCORE or unrelated or loose or held):
        return DECLINE.format(subject=named(ask.absent)), [], shape
    fresh = rescore(query, fresh, ask.in_context, ask.topical)
    aside = set_aside(ask.question, ask.topic)
    if aside:  # what the question sets aside is not what it asks for
        fresh = [replace(c, score=c.score - ASIDE_PENALTY)
                 if aside & set(stem_tokens(c.text)) else c for c in fresh]
    again = asked_again(fresh, ask, shape)
    unsaid = [c for c in fresh if c.text not in ask.said or c.text == again]
    repeat = bool(ask.said) and len(unsaid) < len(fresh) and not again
    if unsaid:
        fresh = unsaid

    def quotable_fresh(doc: Document) -> list[str]:
        return [s for s in quotable(doc) if s not in ask.filler]

    asked = frozenset(stem_tokens(" ".join(w for w in words_of(ask.question)
                                           if w not in ASKING and w not in ask.topic))
                       ) | ask.parts
    outline = in_own_voice(fresh, ask, shape) if not rest else None
    if outline is None:
        outline = plan(shape, query, docs, ask.chunks, fresh, score, quotable_fresh, ask.broad,
                       asked)
    intro = REST if rest else FOLLOW_UP_NOTE if repeat and unsaid else ""
    if ask.missing and ask.figure_nowhere and not rest:  # no price anywhere in them
        intro = ASPECT.format(aspect=ask.missing[0], subject=named(ask.missing[1]))
    elif ask.absent and not rest:
        intro = NEARBY.format(subject=named(ask.absent))
    elif ask.missing and not rest:
        intro = ASPECT.format(aspect=ask.missing[0], subject=named(ask.missing[1]))
    elif ask.absent:  # beside a rare term declined: the everyday subjects they never mention
        intro = f"{NOT_MENTIONED.format(subject=named(ask.absent))}\n{intro}"
    if ask.passing and not rest and not outline.as_list:
        intro = "\n".join(filter(None, (intro, PASSING.format(
            subject=named([w for w, _s, _d in ask.passing])))))
        outline = passing_first(outline, ask.passing, ask.subjects)
    body, citations = render(outline, intro)
    return body, citations, shape
