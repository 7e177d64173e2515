"""Which sentences of a message ask something, and which only set the scene.

"I slice fish ten hours a day. What do I put on my neck?" asks about the neck; the fish
are the person's life, not the subject. A word the articles never use is named as
something they don't cover only when it stands in what is asked: a sentence ending in a
question mark (or, in a message with none, one opening with a question or a request), and
the sentence before one that points back to it ("My colleague says stress can't cause
knots. Is she right?"), opens with no question word ("Duty belt all night. Cause
knots?"), or follows a few words that name its topic ("Dry needling. How much?"). A
message in which no sentence asks is asked as a whole.
"""

from __future__ import annotations

import re

from rag.retrieval import STOPWORDS

# Words of asking and judging, not subjects (general English, not this corpus's topics);
# and the words that point at the articles themselves ("the first article", "the
# definition section"): the articles never name themselves, yet they are no subject.
ASKING = frozenset("""
good bad best better worse worst okay fine normal safe unsafe right wrong worth useful
helpful effective work works working worked help helps helped need needs want wants know
tell explain say says mean means think thing things stuff way ways kind type sort lot lots
really actually maybe probably please thanks thank hey hello someone anyone anything
something everything nothing people person much many more most less least often
long time times day days week weeks month months year years also still ever even else
try tried trying use used using make makes made take takes took give gives going goes
feel feels felt like likes look looks recommend recommended suggest suggested advice
tips tip idea ideas options option ok yeah yes another other others same different
whats thats dont doesnt didnt isnt arent cant wont im ive youre theres
exactly literally basically honestly actually totally super kinda sorta pretty quite
yesterday today tonight tomorrow morning evening night lately ages forever rn hrs secs mins
husband wife partner mum mom dad mother father friend friends coworker colleague boss
boyfriend girlfriend gf bf guy guys
before after already instead still just again since until while during figure sure told
full quick quickly slow slowly his her hers him she he they them their getting gets got
keep keeps kept usually always sometimes
one ones per via upon within among
supposed meant expected allowed able possible likely
article articles section sections paragraph paragraphs author authors blog website webpage
""".split())

_WORD = re.compile(r"[a-z]+")
_BREAK = re.compile(r"(?<=[?!.;])\s+|\s*\n+\s*")  # people rarely capitalise the next one
_FILLER = r"(?:(?:so|and|but|ok|okay|also|then|well|hey|hi|right|oh|um|just)\W+){0,2}"
_OPENS = re.compile(r"^\W*" + _FILLER + r"(?:how|what|whats|which|when|where|why|who|should|"
                    r"shall|can|could|may|might|is|are|am|do|does|did|will|would|was|were|"
                    r"have|has|isn't|can't|won't|shouldn't|tell me|give me|explain|describe|"
                    r"list|please)\b", re.IGNORECASE)
# A question told rather than asked ("a caller asks whether ...", "I wonder if ...").
_INDIRECT = re.compile(r"\b(?:whether|wonder(?:ing)? if|want(?:ed)? to know|like to know)\b",
                       re.IGNORECASE)
# Words that point back at what was just told ("is he right?", "should I still do it?").
_BACK = re.compile(r"\b(?:it|its|they|them|these|those|this|that|he|she|him|her|so|"
                   r"there|then|one|ones)\b", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    return [s for s in _BREAK.split(text) if s.strip()]


def says_nothing(sentence: str, topic: frozenset[str]) -> bool:
    """Does an asking sentence name nothing but the topic ("is good for the knot?",
    "does the article say?"): then it asks about what was told before it."""
    words = [w for w in _WORD.findall(sentence.lower()) if len(w) > 2]
    return not any(w not in STOPWORDS and w not in ASKING and w not in topic
                   and w.rstrip("s") not in topic for w in words)


_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|our|us)\b", re.IGNORECASE)
HEADING = 3  # words at most of a fragment that names the topic of the question after it


def _heading(sentence: str) -> bool:
    """A few words before a question that name its topic and tell nothing of the person
    ("Dry needling. How much per session?"); not "I'm 67."."""
    return len(sentence.split()) <= HEADING and not _PERSON.search(sentence)


def asked_flags(parts: list[str], topic: frozenset[str] = frozenset()) -> list[bool]:
    """For each sentence of a message, whether it belongs to what the message asks
    (``topic``: the articles' own subject words, "knot", "neck")."""
    asking = [p.rstrip().endswith("?") or _INDIRECT.search(p) is not None for p in parts]
    if not any(asking):
        asking = [_OPENS.search(p) is not None for p in parts]
    if not any(asking):
        return [True] * len(parts)
    flags = list(asking)
    for i, asks in enumerate(asking):
        # Pointing back, or elliptic ("cause shoulder knots?", "good idea?"): no question
        # word of its own, so what it asks about was told just before.
        if asks and i > 0 and (_BACK.search(parts[i]) or not _OPENS.search(parts[i])
                               or says_nothing(parts[i], topic)
                               or _heading(parts[i - 1])):
            flags[i - 1] = True
    return flags


def asked_text(text: str, topic: frozenset[str] = frozenset()) -> str:
    """The sentences of ``text`` that ask (with those they point back to), joined."""
    parts = sentences(text)
    return " ".join(p for p, keep in zip(parts, asked_flags(parts, topic), strict=True)
                    if keep)
