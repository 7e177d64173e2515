"""The rule layer: which red-flag concepts a normalised text mentions, and so which classes.

A concept counts when a pattern matches and no negation cue ("no", "not", "without"...)
directly governs it. Concepts a class marks `past_ok` are also cancelled by a clear
past-time phrase in their own clause ("years ago, fully recovered"), unless a recent one
stands there too ("yesterday").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.safety.lexicon import Lexicon, RedFlagClass

# Where a negation stops reaching: punctuation, quotes, contrast words, and a fresh
# affirmation ("no warnings" I have a fever: the fever is not negated).
_CLAUSE_BREAK = re.compile(
    r"[.;!?,:\"()]|\b(but|however|though|although|yet|except|and|then|now)\b"
    r"|\bi (have|am|got|feel|felt|had)\b|\b(he|she|they) (has|have|is|are|had)\b"
)
# Where a past-time phrase reaches: the injury's own clause.
_PAST_SCOPE = re.compile(r"[.;!?,\n]|\b(but|however|although|though|yet|and|then|now)\b")
_RECENT = re.compile(
    r"\b(today|tonight|yesterday|last night|just now|just|earlier|this (morning|afternoon|"
    r"evening|week)|(an|one|two|few|\d+) (hour|hours|minutes|days) ago|on (monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|since)\b")
# Phrases with a negation word in them that negate nothing.
_NOT_NEGATING = re.compile(
    r"\b((could|can|would|did|do|does|will|cannot) (not )?stop|not only|no matter|"
    r"without (any )?(warning|reason)|not sure|not certain|do not know|no idea|not 100% sure|"
    r"unsure)\b")
_EMPHATIC = re.compile(r"\b(like (this|that|it)|this (bad|much|severe)|so (bad|much)|before|"
                       r"in my life|anything like)\b")
# Words that may stand between a negation and what it negates ("do not have a fever").
_FILLER = frozenset(
    "a an any the my his her their your some of have has had having got get gets getting feel "
    "feels felt feeling been be is are was were am experienced experiencing noticed notice seen "
    "see signs sign real actual high much really serious bad major obvious proper bit little "
    "kind type sort or nor".split())
NEGATION_REACH = 4  # filler words a negation may reach across


@dataclass(frozen=True)
class Flag:
    cls: RedFlagClass
    concepts: tuple[str, ...]  # which concepts fired: the explanation of the flag


def _clause_before(text: str, start: int) -> str:
    head = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end() :] if breaks else head


def _around(text: str, start: int, end: int, breaks: re.Pattern[str]) -> str:
    left = max((m.end() for m in breaks.finditer(text, 0, start)), default=0)
    right = breaks.search(text, end)
    return text[left : right.start() if right else len(text)]


def negated(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Is the mention at text[start:end] directly governed by a negation?

    Only a cue right before it counts ("no fever", "do not have any numbness"), or one
    that opens a list ("no numbness or tingling"); anything looser fails towards
    flagging, the safe side.
    """
    clause = _NOT_NEGATING.sub(" ", _clause_before(text, start))
    cues = list(lex.negation.finditer(clause))
    if not cues:
        return False
    cue = cues[-1]
    between = clause[cue.end() :].split()
    in_a_list = ("or" in between or "nor" in between) and len(between) <= 2 * NEGATION_REACH
    if not in_a_list and (len(between) > NEGATION_REACH or any(w not in _FILLER for w in between)):
        return False
    word = cue.group(0).split()[0]
    if word == "without" and lex.negation.search(clause[: cue.start()]):
        return False  # "cannot turn my head without my arm tingling": it does tingle
    if word == "never" and _EMPHATIC.search(text[end : end + 60]):
        return False  # "never had chest pain like this before": emphasis, not denial
    return True


def _in_past(text: str, start: int, end: int, lex: Lexicon) -> bool:
    clause = _around(text, start, end, _PAST_SCOPE)
    return bool(lex.past.search(clause)) and not _RECENT.search(clause)


def present_concepts(text: str, lex: Lexicon) -> tuple[set[str], set[str]]:
    """Concepts mentioned affirmatively in ``text`` (already normalised).

    Returns (current, past_only): the second holds concepts mentioned only as clearly
    past events ("a car accident years ago, fully recovered").
    """
    current: set[str] = set()
    past: set[str] = set()
    # Figures of speech go, their length kept so that clause boundaries stay where they are.
    text = lex.figurative.sub(lambda m: " " * len(m.group(0)), text)
    for name, pattern in lex.concepts.items():
        for m in pattern.finditer(text):
            if negated(text, m.start(), m.end(), lex):
                continue
            if _in_past(text, m.start(), m.end(), lex):
                past.add(name)
                continue
            current.add(name)
            break
    return current, past - current


def match_classes(text: str, lex: Lexicon) -> list[Flag]:
    current, past_only = present_concepts(text, lex)
    flags = []
    for cls in lex.classes:
        # Only a class that says so lets a past event go ("past_ok"); for the rest a
        # sign is a sign whenever it happened.
        concepts = current | (past_only - cls.past_ok)
        for group in cls.when:
            if all(c in concepts for c in group):
                flags.append(Flag(cls, tuple(group)))
                break
    return flags
