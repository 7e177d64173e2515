"""A "how long" or "how often" question that the articles answer only for something else.

"How long should I ice it?" finds durations, but of pressure and of a stretch: quoting
them would answer a question that was not asked. When no passage of the articles gives
that kind of figure next to what the question is about, the answer says so first. The
rules read only the question's wording and the passages' own words, never a topic.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from rag.answer.subject import ASKING
from rag.coverage import Coverage, words_of
from rag.retrieval import STOPWORDS, stem_tokens

# "daily" asks how often only as an adverb ("stretch daily?"); before a word it describes
# ("my daily routine", "which daily habits"), as `FIGURES` reads the articles.
_OFTEN = re.compile(r"\bhow (?:often|frequently|many times)\b|\btimes? (?:a|per|each|every) "
                    r"(?:day|week|month)\b|\bevery (?:day|few)\b|\bdaily\b(?!\s+[a-z])"
                    # "how many massages a month?": a count per stretch of time is how often
                    r"|\bhow many \w+(?: \w+)? (?:a|per|each|every) (?:day|week|fortnight|month|"
                    r"year)\b", re.IGNORECASE)
_LONG = re.compile(r"\bhow (?:long|many (?:seconds|minutes|hours|secs|mins))\b|\bfor how long\b",
                   re.IGNORECASE)
# Asking what something costs, how hot it should be, or how many repetitions or sessions.
# "how much is a session?" asks a price; "how much is it supposed to hurt?" does not.
_PRICE = re.compile(r"\b(?:costs?|costing|prices?|pricing|expensive|afford\w*|budget|dollars?|"
                    r"euros?)\b|[$€£]\s*\d|\bhow much (?:is|are|would|will) (?:a|an|one|each)\b"
                    # "how much per session?", "how much do physios charge?"
                    r"|\bhow much (?:per|a|each|for (?:a|an|one|each)) (?:session|visit|"
                    r"appointment|treatment|massage|class|lesson|hour|go)\b|\bhow much (?:do|does|"
                    r"would|will|did) \w+(?: \w+)? charge\b", re.IGNORECASE)
_HEAT = re.compile(r"\bhow (?:hot|warm|cold)\b|\btemperatures?\b", re.IGNORECASE)
_COUNT = re.compile(r"\b(?:reps|repetitions)\b|\bhow many (?:sets|sessions|treatments|rounds|"
                    r"appointments|visits)\b", re.IGNORECASE)
# Wording that gives a figure of each kind.
FIGURES = {
    "how long": re.compile(r"\b\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:seconds?|minutes?|hours?|days?|"
                           r"weeks?|months?)\b|\b(?:few|several) (?:seconds|minutes|hours|days|"
                           r"weeks)\b|\banywhere from\b", re.IGNORECASE),
    # "repeat it on the other side" says again, not how often; "daily activities" is no
    # frequency ("daily" as an adverb ends its phrase: "stretch daily.").
    "how often": re.compile(r"\b(?:\d+|once|twice|three|several|many) times\b|\b(?:every "
                            r"day|each day|a day|per day|a week|per week|regularly)\b|"
                            r"\bdaily\b(?!\s+[a-z])", re.IGNORECASE),
    "prices": re.compile(r"[$€£]\s*\d|\b\d+\s*(?:dollars|euros|pounds)\b|\b(?:costs?|prices?|"
                         r"fees?)\b", re.IGNORECASE),
    "temperatures": re.compile(r"\b\d+\s*(?:°|degrees?)|\btemperatures?\b", re.IGNORECASE),
    "how many": re.compile(r"\b(?:\d+|one|two|three|four|five|six|eight|ten|twelve|fifteen|"
                           r"twenty)\s*(?:(?:-|–|to)\s*\d+\s*)?(?:reps?|repetitions|sets|"
                           r"sessions|treatments|rounds|appointments|visits)\b", re.IGNORECASE),
}


_ASKED = (("how often", _OFTEN), ("how long", _LONG), ("prices", _PRICE),
          ("temperatures", _HEAT), ("how many", _COUNT))


_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_ASKS = re.compile(r"\?\s*$|\b(?:how|what|which|when|should|can|could|is it|do i|does it)\b",
                   re.IGNORECASE)


def asked_aspect(question: str) -> str:
    """The figure the question asks for ("how often", "how long", "prices",
    "temperatures", "how many"), or "" for none. A sentence that only tells ("I swim 3
    times a week.": no question mark, no question word) gives the person's own figure."""
    sentences = _SENTENCE.findall(question) or [question]
    asking = [s for s in sentences if _ASKS.search(s)] or sentences
    return next((aspect for aspect, asks in _ASKED
                 if any(asks.search(s) for s in asking)), "")


def never_given(aspect: str, chunks: Sequence[Document]) -> bool:
    """Do the articles give no figure of this kind anywhere (no price at all)? Then it is
    what to say first, before any word of the question they don't mention."""
    return not any(FIGURES[aspect].search(d.page_content) for d in chunks)


# The words that ask for the figure, not what it is of.
AMOUNT = frozenset("seconds second secs minutes minute mins hours hour hrs often frequently "
                   "many much long times time cost costs price prices expensive budget hot "
                   "warm cold temperature reps repetitions sets sessions".split())


def subject_words(question: str, coverage: Coverage, topic: frozenset[str]) -> list[str]:
    """What the question is about, in the articles' words, besides their topic ("ice",
    "pressure", "stretch")."""
    return [w for w in words_of(question) if w not in ASKING and w not in AMOUNT
            and w not in topic and coverage.in_articles(w)]


def figure_stems(aspect: str, chunks: Sequence[Document]) -> frozenset[str]:
    """Every stemmed word of the passages that give a figure of this kind (worked out once
    per index: going over every passage for each question grew with the corpus)."""
    figure = FIGURES[aspect]
    return frozenset(s for doc in chunks if figure.search(doc.page_content)
                     for s in stem_tokens(doc.page_content))


@dataclass(frozen=True)
class FigureTable:
    """`figure_stems` and `never_given` of one index version for every kind of figure,
    worked out at ingest (`rag.derive`): at 10,000 chunks each kind's patterns over every
    passage took 0.1 to 0.35 s of the first question asking for it."""

    stems: Mapping[str, frozenset[str]]  # kind -> `figure_stems`
    given: frozenset[str]  # the kinds some passage gives (not `never_given`)
    key: str = ""  # `figures_key` when built: a table built by other patterns is not used


def figures_key() -> str:
    """What a stored `FigureTable` depends on besides the chunks: the figure patterns and
    the keyword stemming's stopwords."""
    parts = [f"{k}\0{rx.pattern}\0{rx.flags}" for k, rx in FIGURES.items()]
    text = "\n".join([*parts, " ".join(sorted(STOPWORDS))])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def figure_table(chunks: Sequence[Document]) -> FigureTable:
    """Every kind's `figure_stems` and whether any passage gives one, in one pass."""
    stems: dict[str, set[str]] = {k: set() for k in FIGURES}
    given: set[str] = set()
    for doc in chunks:
        kinds = [k for k, rx in FIGURES.items() if rx.search(doc.page_content)]
        words = stem_tokens(doc.page_content) if kinds else []
        given.update(kinds)
        for k in kinds:
            stems[k].update(words)
    return FigureTable({k: frozenset(v) for k, v in stems.items()}, frozenset(given),
                       figures_key())


def missing_aspect(question: str, chunks: Sequence[Document], coverage: Coverage,
                   topic: frozenset[str],
                   given: Callable[[str], frozenset[str]] | None = None
                   ) -> tuple[str, list[str]]:
    """(the figure asked for, the subject) when no passage gives that figure and names
    the subject; ("", []) when one does, or the question asks for no figure or names no
    subject of its own. ``given``: `figure_stems` of these chunks, kept by the caller."""
    aspect = asked_aspect(question)
    subject = subject_words(question, coverage, topic) if aspect else []
    if not subject:
        return "", []
    stems = {s for w in subject for s in stem_tokens(w)}
    named = given(aspect) if given is not None else figure_stems(aspect, chunks)
    return ("", []) if stems & named else (aspect, subject)
