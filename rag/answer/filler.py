"""Sentences that carry nothing for a reader who asked a question.

An article's hook and sign-off speak in the writer's voice ("Here, we will explore...",
"Let's get started"), advertising names the publisher, a slogan sells ("say goodbye to
pain"), and a sentence that ends in a colon or a dash only introduces a list. None of them
may stand as an answer. The rules read the sentence, its paragraph, its section heading
and the article's publisher (front matter): no sentence of the corpus is named here.
`tests/test_answer_stage.py` runs them over every corpus sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from langchain_core.documents import Document

from rag.chunking import body_of, passage_sentences, split_sentences

_WRITER = re.compile(r"\b(?:we|we've|we’ve|we'll|we’ll|we're|we’re|our|ours|us|let's|let’s)\b",
                     re.IGNORECASE)
_HERE = re.compile(r"^(?:here|in this (?:article|post|guide|blog)|read on|keep reading|"
                   r"let's|let’s|so,)\b", re.IGNORECASE)
# Sales language: promises and calls to buy, not information. A superlative inside a
# sentence that names what to do ("pairing X with exercise is the ultimate panacea", "...
# take regular breaks ... knot-free") still tells the reader something, so it is not here.
_SLOGAN = re.compile(r"\b(?:say goodbye|goodbye to|miracle|look no further|game.changer|"
                     r"happy and healthy|quality of life|book (?:now|today|an appointment)|"
                     r"call us|contact us|visit us)\b", re.IGNORECASE)
_LIST_INTRO = re.compile(r"(?:[:–—]|\s-)\s*$")
# "There are several culprits...": announces a list without naming anything in it.
_ANNOUNCE = re.compile(r"^(?:there are|here are|below are|these are|the following)\b.{0,40}"
                       r"\b(?:several|many|a few|some|various|numerous|multiple|\d+|following)\b",
                       re.IGNORECASE)
_BRAND_CUT = re.compile(r"[,;(]")


def brand(publisher: str) -> str:
    """The publisher's name without its description ("X, a clinic in Y" -> "X")."""
    return _BRAND_CUT.split(publisher, maxsplit=1)[0].strip()


def sentence_reason(sentence: str, section: str = "", publisher: str = "") -> str:
    """Why ``sentence`` is filler on its own ("" when it is not)."""
    name = brand(publisher)
    # The publisher named, or speaking as "we" under its own heading (a closing summary
    # under that heading that teaches something is not an advert).
    if name and (name.lower() in sentence.lower()
                 or (name.lower() in section.lower() and _WRITER.search(sentence))):
        return "advertising"
    if _LIST_INTRO.search(sentence) or _ANNOUNCE.match(sentence):
        return "list introduction"
    if _SLOGAN.search(sentence):
        return "slogan"
    if _WRITER.search(sentence) or _HERE.match(sentence):
        return "writer's voice"
    return ""


def _hook(paragraph: str, section: str, publisher: str) -> bool:
    """A paragraph mostly in the writer's voice is a hook or a sign-off."""
    reasons = [sentence_reason(s, section, publisher) for s in split_sentences(paragraph)]
    voiced = sum(r == "writer's voice" for r in reasons)
    return len(reasons) > 1 and voiced * 2 >= len(reasons)


def chunk_filler(doc: Document) -> dict[str, str]:
    """Filler sentences of one chunk (split as the composer splits them) -> reason."""
    section = str(doc.metadata.get("section") or "")
    publisher = str(doc.metadata.get("publisher") or "")
    body = body_of(doc)
    hooks = [" ".join(p.split()) for p in body.split("\n\n")
             if _hook(" ".join(p.split()), section, publisher)]
    out: dict[str, str] = {}
    for sentence in passage_sentences(body):
        reason = sentence_reason(sentence, section, publisher)
        if not reason and any(" ".join(sentence.split()) in h for h in hooks):
            reason = "writer's voice"
        if reason:
            out[sentence] = reason
    return out


def filler_table(chunks: Iterable[Document]) -> dict[str, str]:
    """Every filler sentence of an index, with its reason (computed once per index)."""
    out: dict[str, str] = {}
    for doc in chunks:
        out.update(chunk_filler(doc))
    return out
