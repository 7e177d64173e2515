"""Subjects the articles name only in passing: "poor sleep positions, dehydration, and
muscle fatigue" names sleep, and says nothing more of it.

A question about such a subject ("which sleeping position is best?") finds the one
sentence that names it, and quoted bare it reads as an answer. What gives a passing
mention away is the articles' structure, not the subject: the word's stem occurs in one
sentence of all the articles, and there it is one item of a list run into the sentence
("A, B, and C", or closed by "among others"). A sentence about the thing
itself ("a tennis ball can be positioned between your back and a wall") is not a list of
it and others. The answer then says so, by the question's own word, before the quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from langchain_core.documents import Document

from rag.answer.subject import ASKING, BODY_PARTS, EVERYDAY
from rag.chunking import body_of, passage_sentences
from rag.coverage import Coverage, words_of
from rag.retrieval import stem_tokens

ITEM_WORDS = 4  # an item of a list is a few words ("poor sleep positions")
LIST_ITEMS = 3  # a list run into a sentence names at least this many things
_CLOSED = re.compile(r"\s+(?:among others|and so on|etc)\W*$", re.IGNORECASE)
_JOINED = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)

Mentions = Mapping[str, tuple[tuple[str, Document], ...]]  # stem -> (sentence, chunk)


def mentions(chunks: Sequence[Document]) -> dict[str, tuple[tuple[str, Document], ...]]:
    """Each stem of the articles -> the distinct sentences and headings that use it, with
    a chunk each (a heading's word has a section of its own: never only in passing)."""
    out: dict[str, dict[str, Document]] = {}
    for doc in chunks:
        headings = [str(doc.metadata.get(k) or "") for k in ("title", "parent", "section")]
        for sentence in [*passage_sentences(body_of(doc)), *filter(None, headings)]:
            if sentence not in doc.page_content:
                continue
            for stem in set(stem_tokens(sentence)):
                out.setdefault(stem, {}).setdefault(sentence, doc)
    return {s: tuple(found.items()) for s, found in out.items()}


def list_items(sentence: str) -> list[str]:
    """The items of a list run into the sentence ("A, B, and C"; "A, B among others"):
    the words before the first comma's end, the segments between, and the last one after
    "and"/"or", each a few words; [] when the sentence has no such list."""
    segments = [p.strip() for p in sentence.rstrip(".!?").split(",")]
    closed = bool(_CLOSED.search(segments[-1]))
    if len(segments) < (2 if closed else LIST_ITEMS):
        return []
    last = _CLOSED.sub("", _JOINED.sub("", segments[-1]))
    if not closed and not _JOINED.match(segments[-1]):
        return []
    items = [" ".join(segments[0].split()[-ITEM_WORDS:]), *segments[1:-1]]
    if any(len(i.split()) > ITEM_WORDS for i in items[1:]):
        return []
    # A last item that runs on ("...and underlying medical conditions such as X or Y") is
    # what the sentence goes on to speak about, not a passing mention.
    return [*items, last] if len(last.split()) <= ITEM_WORDS else items


# Two things offered as alternatives in passing: "an expert in physiotherapy or
# acupuncture" (one word each side of "or").
_EITHER = re.compile(r"\b([a-z]+)\s+or\s+([a-z]+)\b", re.IGNORECASE)


def listed_in(sentence: str, stem: str) -> bool:
    """Is the word of ``stem`` one item of a list run into the sentence, or one of two
    alternatives joined by "or"?"""
    pairs = [w for m in _EITHER.finditer(sentence) for w in m.groups()]
    return any(stem in stem_tokens(item) for item in [*list_items(sentence), *pairs])


def subject_words(question: str, coverage: Coverage, topic: frozenset[str]) -> list[str]:
    """The question's words that may name what it asks about: not words of asking, the
    topic's, a part of the body or a word naming one with it ("shoulder blade"), or
    everyday English ("side", "way")."""
    place = set(re.findall(r"\b(?:" + "|".join(sorted(BODY_PARTS)) + r")\s+([a-z]+)",
                           question.lower()))
    return [w for w in words_of(question) if w not in ASKING and w not in topic
            and w not in BODY_PARTS and w not in place and coverage.frequency(w) < EVERYDAY]


def subject_stems(question: str, coverage: Coverage, topic: frozenset[str]) -> set[str]:
    return {s for w in subject_words(question, coverage, topic) for s in stem_tokens(w)}


def in_passing(question: str, found: Mentions, coverage: Coverage, topic: frozenset[str]
               ) -> list[tuple[str, str, Document]]:
    """(the question's word, the one sentence naming it in passing, its chunk) for each
    subject of the question the articles mention only as one item of a list."""
    out = []
    for word in subject_words(question, coverage, topic):
        stems = stem_tokens(word)
        uses = found.get(stems[0], ()) if stems else ()
        if len(uses) == 1 and listed_in(uses[0][0], stems[0]):
            out.append((word, *uses[0]))
    return out
