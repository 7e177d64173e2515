"""Misspelt questions: the development set again, with two typos in each question.

People type fast on phones. Each question gets one typo (a letter dropped, two swapped,
one doubled, or a vowel changed) in each of two words of five letters or more, from a
fixed seed, so the set is the same in every run.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import replace

from rag.evaluate.data import Case, RetrievalQuestion

SEED = 7


def misspell(text: str, rng: random.Random, words: int = 2) -> str:
    long_words = list(dict.fromkeys(re.findall(r"[A-Za-z]{5,}", text)))
    for word in rng.sample(long_words, min(words, len(long_words))):
        i, kind = rng.randrange(1, len(word) - 1), rng.choice(("drop", "swap", "double", "vowel"))
        typo = {"drop": word[:i] + word[i + 1:],
                "swap": word[:i] + word[i + 1] + word[i] + word[i + 2:],
                "double": word[:i] + word[i] + word[i:],
                "vowel": word[:i] + rng.choice("aeiou") + word[i + 1:]}[kind]
        text = re.sub(rf"\b{word}\b", typo, text, count=1)
    return text


def misspelt(questions: Sequence[RetrievalQuestion], seed: int = SEED
             ) -> list[RetrievalQuestion]:
    rng = random.Random(seed)
    return [replace(q, id=f"{q.id}-typos", question=misspell(q.question, rng))
            for q in questions]


def misspelt_cases(cases: Sequence[Case], seed: int = SEED) -> list[Case]:
    """Safety cases with the same two typos each (their earlier turns as written)."""
    rng = random.Random(seed)
    return [replace(c, question=misspell(c.question, rng)) for c in cases]
