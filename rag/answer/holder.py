"""What the knot is in: the thing a question puts the articles' topic noun in or on.

The articles' knots are in a body. "a knot in the pine board", "a celtic knot", "a cable
all knotted in my bag" put the same word in a thing the articles never mention, so they
ask about another knot. What holds it is read from where it stands, not from a list of
things: the word just before the noun, the phrase a preposition right after it opens, and
the word right after an adjective made of it ("a knotted mess"); a knot that something
is likened to ("like a knot in a rope") holds nothing of the question. A knot tied or
untied by hand ("tie a knot in the twine") is one of string, whatever holds it. A question
naming a part of the body the articles name ("a knot near my neck") keeps the articles'
sense whatever else it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rag.answer.subject import ASKING, BODY_PARTS, of_a_thing
from rag.coverage import RARE_ZIPF, Coverage
from rag.retrieval import STOPWORDS, stem_tokens

# Prepositions that say where a thing is: "a knot in/on/inside the X".
PLACES = frozenset("in on of at inside under around within into".split())
# A holder the articles write this many powers of ten commoner than English does
# (`Coverage.keyness`: "muscle", "tissue", "trapezius"; not "terms" or "side") is theirs:
# "a knot in the muscle like a knot in a rope" is still their knot.
THEIRS = 2.0
PHRASE = 3  # words of the phrase a preposition opens read as what holds the noun
# Verbs of making and undoing a knot by hand (general English, not this corpus's words):
# a knot they act on is one of string, rope or thread, not one in a muscle.
BY_HAND = frozenset("""tie ties tied tying untie unties untied untying retie retied
undo undoes undid undoing unknot unknotted untangle untangles untangled untangling""".split())
_TOKEN = re.compile(r"[a-z][a-z']*|[^a-z'\s]")
_LIKENING = frozenset({"like", "as"})
SIMILE_REACH = 2  # words between "like" and the noun ("like a granny knot")
# Within the phrase, what says only which one, not what: "my", "this", "all".
_DETERMINERS = frozenset("the a an my your his her their our this that these those some its "
                         "all one".split())


def _tokens(question: str) -> list[str]:
    return _TOKEN.findall(question.lower().replace("\u2019", "'"))


def _content(word: str) -> bool:
    return len(word) > 2 and word.isalpha() and word not in STOPWORDS and word not in ASKING


def holders(question: str, nouns: Iterable[str]) -> list[str]:
    """The words that hold one of ``nouns`` (any form: "knotted"): the word right before
    it ("celtic knot"; not a possessive, "my son's knot" is his), the content words of
    the phrase a preposition right after it opens ("in the pine board": pine, board), and
    the word right after an adjective made of it ("a knotted mess": the noun and its
    plural name a knot, another form describes what follows it)."""
    stems = {s for n in nouns for s in stem_tokens(n)}
    plain = {n.lower() for n in nouns}
    toks = _tokens(question)
    found: list[str] = []
    for i, tok in enumerate(toks):
        if not (tok.isalpha() and stems & set(stem_tokens(tok))) or _compared(toks, i):
            continue
        if i > 0 and _content(toks[i - 1]):
            found.append(toks[i - 1])
        described = tok not in plain and tok.rstrip("s") not in plain
        if described and i + 1 < len(toks) and _content(toks[i + 1]) \
                and toks[i + 1] not in PLACES:
            found.append(toks[i + 1])
        if i + 1 < len(toks) and toks[i + 1] in PLACES:
            found += _phrase(toks, i + 2)
    return list(dict.fromkeys(found))


def _compared(toks: list[str], at: int) -> bool:
    """Is the noun at ``at`` what something is likened to ("feel it under the skin, like a
    knot in a rope?", "as a granny knot")? The knot asked about is the other one."""
    back = at - 1
    for _ in range(SIMILE_REACH):
        if back < 0 or not (toks[back] in _DETERMINERS or _content(toks[back])):
            break
        back -= 1
    return back >= 0 and toks[back] in _LIKENING


def _phrase(toks: list[str], start: int) -> list[str]:
    """The content words of the phrase from ``start``, and of the one an "of" after it
    opens ("the neck of a garbage bag": neck, garbage, bag)."""
    words: list[str] = []
    at = start
    while at < len(toks) and toks[at] in _DETERMINERS:
        at += 1
    while at < len(toks) and len(words) < PHRASE and _content(toks[at]):
        words.append(toks[at])
        at += 1
    if words and at < len(toks) and toks[at] == "of":
        words += _phrase(toks, at + 1)
    return words


def _theirs(question: str, held: Sequence[str], absent: Sequence[str],
            coverage: Coverage, nouns: Sequence[str] = ()) -> bool:
    """Does the question name a part of the body the articles name (not a thing's part,
    "the neck of a bag"), hold the noun in one of their own words ("muscle"), or use one
    of their own terms anywhere ("trapezius")?"""
    toks = _tokens(question)
    body = [w for w in toks if w in BODY_PARTS and coverage.in_articles(w)
            and not of_a_thing(question, w, absent)]
    own = any(coverage.in_articles(w) and coverage.keyness(w) >= THEIRS
              for w in held if w not in BODY_PARTS)
    return bool(body) or own or bool(terms_of_theirs(toks, nouns, coverage))


def terms_of_theirs(toks: Sequence[str], nouns: Sequence[str], coverage: Coverage
                    ) -> list[str]:
    """The articles' own terms among ``toks``: words they write that are rare in English
    ("trapezius", "nodule"). A question using one asks about their knot, whatever else it
    holds ("I work with knots in pine all day; where does the trapezius attach?"); an
    everyday word they use ("gently", "stretch") ties nothing, nor a form of the topic
    noun itself ("knotted")."""
    stems = {s for n in nouns for s in stem_tokens(n)}
    return [t for t in toks if t.isalpha() and t not in BODY_PARTS and coverage.written(t)
            and not stems & set(stem_tokens(t))
            and coverage.frequency(t) < RARE_ZIPF and coverage.keyness(t) >= THEIRS]


def held_elsewhere(question: str, nouns: Iterable[str], absent: Sequence[str],
                   coverage: Coverage) -> tuple[str, ...]:
    """What holds the topic noun that the articles never mention (``absent``), when the
    question names no part of the body they name (but a part of a thing, "the neck of a
    bag") and nothing holds it that is one of their own words. () when the noun is held
    by nothing, by the articles' own words or by a body."""
    nouns = list(nouns)
    held = holders(question, nouns)
    if _theirs(question, held, absent, coverage, nouns):
        return ()
    return tuple(w for w in held if w in absent)


def tied_by_hand(question: str, nouns: Iterable[str], absent: Sequence[str],
                 coverage: Coverage) -> bool:
    """Is the topic noun a knot tied or undone by hand ("how do I untie a knot in the
    twine?"), with a verb the articles never write, and no part of the body they name nor
    any of their own words in the question? "A knot I tie stays tied; will this one in my neck
    stay too?" keeps their knot: it names the neck."""
    nouns = list(nouns)
    stems = {s for n in nouns for s in stem_tokens(n)}
    toks = _tokens(question)
    if not any(t.isalpha() and stems & set(stem_tokens(t)) for t in toks):
        return False
    verbs = [t for t in toks if t in BY_HAND and not coverage.written(t)]
    # Any of their own words, holding it or not, keeps it theirs: "a knot tied in the
    # muscle?" asks what their knot is.
    own = [t for t in toks if t.isalpha() and not stems & set(stem_tokens(t))
           and t not in BODY_PARTS and coverage.written(t) and coverage.keyness(t) >= THEIRS]
    return bool(verbs) and not own and not _theirs(question, holders(question, nouns),
                                                   absent, coverage, nouns)


def held_in_other_part(question: str, nouns: Iterable[str], coverage: Coverage
                       ) -> tuple[str, ...]:
    """The parts of the body holding the topic noun ("a knot in my forearm") when the
    articles name none of them: a knot somewhere else, even when the question also names
    a part they do to compare ("is it the same as a neck knot?"). () when a part they
    name holds it too ("a knot in my calf and one in my neck") or no part holds it."""
    parts = [w for w in holders(question, list(nouns)) if w in BODY_PARTS]
    if not parts or any(coverage.in_articles(w) for w in parts):
        return ()
    return tuple(parts)
