"""The rule layer: which red-flag concepts a normalised text mentions, and so which classes.

A concept counts when a pattern matches and no negation cue ("no", "not", "without"...)
stands shortly before it in the same clause. Concepts a class marks `past_ok` are also
cancelled by a clear past-time phrase in the same sentence ("years ago, fully recovered").
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
_SENTENCE_BREAK = re.compile(r"[.;!?\n]|\b(but|however|although|though|yet)\b")
_UNSURE = re.compile(
    r"\b(not sure|not certain|do not know|no idea|not 100% sure|unsure)\b( (if|whether|but|that))?"
)
NEGATION_WINDOW = 5  # words before the match that a negation cue may stand in


@dataclass(frozen=True)
class Flag:
    cls: RedFlagClass
    concepts: tuple[str, ...]
    source: str = "rules"


def _clause_before(text: str, start: int) -> str:
    head = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    return " ".join(clause.split()[-NEGATION_WINDOW:])


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    right = _SENTENCE_BREAK.search(text, end)
    return text[left : right.start() if right else len(text)]


def _negated(text: str, start: int, lex: Lexicon) -> bool:
    window = _UNSURE.sub(" ", _clause_before(text, start))
    return bool(lex.negation.search(window))


def present_concepts(text: str, lex: Lexicon, past_ok: frozenset[str]) -> set[str]:
    """Concepts mentioned affirmatively in ``text`` (already normalised)."""
    found: set[str] = set()
    for name, pattern in lex.concepts.items():
        for m in pattern.finditer(text):
            if _negated(text, m.start(), lex):
                continue
            if name in past_ok and lex.past.search(_sentence_around(text, m.start(), m.end())):
                continue
            found.add(name)
            break
    return found


def match_classes(text: str, lex: Lexicon) -> list[Flag]:
    past_ok = frozenset().union(*(c.past_ok for c in lex.classes))
    concepts = present_concepts(text, lex, past_ok)
    flags = []
    for cls in lex.classes:
        for group in cls.when:
            if all(c in concepts for c in group):
                flags.append(Flag(cls, tuple(group)))
                break
    return flags
