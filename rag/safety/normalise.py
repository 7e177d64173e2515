"""Normalisation: case, quotes, contractions, spelling variants and typo correction.

Pure functions. Typo correction only touches words that are not ordinary English
(per the embedding model's own vocabulary) and sit within a small edit distance of a
safety keyword, so "stif nek" and "numbnes" are read as "stiff neck" and "numbness".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_CONTRACTIONS = [
    (r"\bcan'?t\b", "cannot"), (r"\bwon'?t\b", "will not"), (r"\bshan'?t\b", "shall not"),
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need|ai)n'?t\b",
     r"\1 not"),
    (r"\bi'?m\b", "i am"), (r"\bi'?ve\b", "i have"), (r"\bi'd\b", "i would"),
]
_CONTRACTION_RES = [(re.compile(p), r) for p, r in _CONTRACTIONS]

_IS = re.compile(r"\b(neck|it|he|she|that|there|what|this|head|arm|hand|leg|pain|knot|who)'s\b")

_FOLD: dict[int, str] = {ord(k): v for k, v in {
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "&": " and "}.items()}

SPELLING = {
    "nek": "neck", "neckk": "neck", "necks": "neck", "sholder": "shoulder", "shoulda": "shoulder",
    "shouldr": "shoulder", "sholders": "shoulders", "hed": "head", "hurst": "hurts",
    "tounge": "tongue", "fevr": "fever", "temp": "temp", "ur": "your", "u": "you",
    "pls": "please", "bc": "because", "cuz": "because", "w/": "with",
    "tho": "though", "thru": "through", "rly": "really", "v": "very", "wks": "weeks",
    "mths": "months", "yrs": "years", "hrs": "hours", "b4": "before", "2day": "today",
    "numbess": "numbness", "tingly": "tingling", "pins&needles": "pins and needles",
}


ENGLISH_ZIPF = 2.5  # wordfreq Zipf frequency from which a word is ordinary English


def zipf(word: str) -> float:
    """How common a word is in English, 0 (unseen) to about 8 ("the")."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def closest_by_typo(word: str, *choices: Iterable[str]) -> str | None:
    """The choice ``word`` is a typo of (one edit up to five letters, two beyond), or None.

    With several lists of choices, the nearest over all of them; an earlier list wins a
    tie. OSA counts a swap of two letters ("fevre", "nmub") as one edit.
    """
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    limit = 1 if len(word) <= 5 else 2
    best: tuple[float, str] | None = None
    for options in choices:
        hit = extractOne(word, options, scorer=OSA.distance, score_cutoff=limit)
        if hit and (best is None or hit[1] < best[0]):
            best = (hit[1], str(hit[0]))
    return best[1] if best else None


def expand_contractions(text: str) -> str:
    for pattern, repl in _CONTRACTION_RES:
        text = pattern.sub(repl, text)
    return text


@lru_cache(maxsize=4)
def english_vocabulary(model_dir: str) -> frozenset[str]:
    """Whole words of the embedding model's WordPiece vocabulary, or nothing."""
    path = Path(model_dir) / "vocab.txt"
    if not path.is_file():
        return frozenset()
    words = path.read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w.isalpha() and w.islower())


class Normaliser:
    """Lower-cases, folds quotes, expands contractions and fixes typos of keywords."""

    def __init__(self, keywords: Iterable[str], vocabulary: Iterable[str] = (),
                 stems: Iterable[str] = ()) -> None:
        self.keywords = sorted(set(keywords))
        self.vocabulary = frozenset(vocabulary) | frozenset(self.keywords)
        self._stems = frozenset(stems)
        self._fixes: dict[str, str] = {}

    def correct(self, word: str) -> str:
        if word in SPELLING:
            return SPELLING[word]
        if len(word) < 4 or word in self.vocabulary or not word.isalpha():
            return word
        # A word that starts with a keyword stem ("tingles", "drooling") is already read
        # by the patterns; "correcting" it could only turn it into another word.
        if any(word[:i] in self._stems for i in range(4, len(word) + 1)):
            return word
        # A real English word is not a typo: "welder" must not become "header" (a head
        # injury). Typos ("hedace", "fevre", "wafrin") are rarer than this in English.
        if zipf(word) >= ENGLISH_ZIPF:
            return word
        if word not in self._fixes:
            self._fixes[word] = closest_by_typo(word, self.keywords) or word
        return self._fixes[word]

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text).lower()
        # Soft hyphens and zero-width characters are invisible but split words ("fe\u00adver").
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = text.translate(_FOLD)
        text = re.sub(r"[\x00-\x1f<>{}\[\]|*_#`~^=\\]+", " ", text)
        text = expand_contractions(_IS.sub(r"\1 is", text))
        plain = re.sub(r"\s+", " ", text).strip()
        fixed = re.sub(r"[a-z']+", lambda m: self.correct(m.group(0)), plain)
        # Both readings are kept: a typo fix must never hide what was literally written.
        return plain if fixed == plain else f"{plain} . {fixed}"
