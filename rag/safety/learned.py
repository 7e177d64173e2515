"""The learned layer: a small head over the embedding model, read clause by clause.

A softmax head (one weight row per label, over the same MiniLM sentence vectors that
retrieval uses) is trained by `knotbot train-triage` on `evals/train/` and shipped as
`data/triage_head.npz`. Serving needs only NumPy. Like the semantic layer it may add a
flag, a stricter press verdict or keep a question in scope; it never clears anything.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.safety.fold import fold

if TYPE_CHECKING:
    from rag.safety.crisis import CrisisReader

HEAD_FILE = Path(__file__).parent / "data" / "triage_head.npz"
PRESS_LABELS = ("press_do_not", "press_stop", "press_ok")
OTHER_LABELS = ("ordinary", "denial", "off_topic")

SENTENCE = re.compile(r"(?<=[.!?;:\n])\s+|\n+|\s+-\s+")
_CLAUSE = re.compile(r",\s+|\s+(?:but|and then|and now|and also|also|plus|then|so|"
                     r"because|while|although|though|however)\s+")
# A flag from one segment needs the message around it to lean the same way: one of the
# segments that hold it or that it holds (its sentence, a pair of sentences, the whole
# message) must give the red-flag classes at least this much. A sign read in one
# sentence is then seen in its pair or its message too, while a stray sentence read out
# of its story ("the trampoline broke", "the heating's off all week") is not.
SUPPORT = 0.5
SURE = 0.97  # a segment read this surely stands on its own
MAX_SEGMENTS = 160  # a 2,000-character message has about 60; past this, the rules alone
LONG_SENTENCE = 10  # words from which a sentence is also read clause by clause


def _key(text: str) -> str:
    """What the (uncased) model sees: case and spacing do not change a vector."""
    return " ".join(text.lower().split())


def segments(text: str) -> list[str]:
    """The pieces a message is read in: each sentence, each clause of a long sentence,
    each pair of neighbouring sentences, and the whole message when it is short. So one
    sign buried in a long story counts as much as a short message with only that sign."""
    sentences = [s.strip() for s in SENTENCE.split(text) if s and len(s.strip()) > 2]
    out: list[str] = []
    if len(text) <= 400:
        out.append(text.strip())
    for i, sentence in enumerate(sentences):
        out.append(sentence)
        if len(sentence.split()) >= LONG_SENTENCE:
            out += [c.strip() for c in _CLAUSE.split(sentence) if len(c.split()) >= 2]
        if i + 1 < len(sentences):
            out.append(f"{sentence} {sentences[i + 1]}")
    seen: dict[str, None] = {}
    for piece in out:
        if piece and piece not in seen:
            seen[piece] = None
    return list(seen)[:MAX_SEGMENTS]


# A run of base64's letters with letters and digits mixed, or too long for any word: hex,
# base64, a key. Left after folding (which undoes digits inside words), it is code; words
# joined by hyphens or dots, or a row of "!!!", are not.
_CODE = re.compile(r"[A-Za-z0-9+=]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9+=]*|[A-Za-z0-9+=]{25,}")
CODED = 0.5  # share of a piece's characters in code past which it is not read


def coded(piece: str) -> bool:
    """Is most of ``piece`` code rather than words?"""
    chars = sum(len(w) for w in piece.split())
    return chars > 0 and sum(len(m) for m in _CODE.findall(piece)) > CODED * chars


def crisis_pieces(text: str) -> list[str]:
    """What the crisis reader reads: the segments of the folded text alone (disguises
    undone), since a literal "f3v3r" or look-alike letters are noise to the model, and
    noise can read as anything; for the same reason, not the pieces that are mostly code
    (a hex or base64 string a message asks to decode); and without the figures of speech
    of dying or killing, which it cannot tell from a wish."""
    return list(_crisis_pieces(text))


# Each worked out once per message: when it is embedded, and reused when it is assessed.
@lru_cache(maxsize=4096)
def _folded_segments(text: str) -> tuple[str, ...]:
    return tuple(segments(_folded(text)))


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[str, ...]:
    out = segments(text)
    seen = {_key(s) for s in out}
    for piece in _folded_segments(text):
        if _key(piece) not in seen:
            seen.add(_key(piece))
            out.append(piece)
    return tuple(out)


@lru_cache(maxsize=4096)
def _crisis_pieces(text: str) -> tuple[str, ...]:
    return tuple(p for p in _without_figures(text) if not coded(p))


def _without_figures(text: str) -> tuple[str, ...]:
    """The folded segments, or, when the message has a figure of speech of dying or
    killing (`crisis_figures` in redflags.yaml: "the boss is going to kill me"), those of
    the message with the figures taken out."""
    from rag.safety.lexicon import load_lexicon
    from rag.safety.normalise import expand_contractions

    folded = expand_contractions(_folded(text).lower())
    figures = load_lexicon().crisis_figures
    if not figures.search(folded):
        return _folded_segments(text)
    return tuple(segments(" ".join(figures.sub(" ", folded).split())))


@dataclass(frozen=True)
class Head:
    labels: tuple[str, ...]
    weights: np.ndarray  # labels x dim
    bias: np.ndarray
    flag_threshold: float  # red-flag probability mass of one segment that adds a flag
    scope_threshold: float  # ... that keeps a message in scope (below the flag's)
    do_not_threshold: float  # press_do_not probability that makes a verdict do_not_press
    stop_threshold: float  # press_stop probability that makes a gentle verdict stop
    data_hash: str

    def probs(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def save(self, path: Path = HEAD_FILE) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), weights=self.weights.astype(
            np.float32), bias=self.bias.astype(np.float32), thresholds=np.array(
            [self.flag_threshold, self.scope_threshold, self.do_not_threshold,
             self.stop_threshold]),
            data_hash=np.array(self.data_hash))


def load_head(path: Path = HEAD_FILE) -> Head | None:
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as z:
        t = z["thresholds"]
        return Head(tuple(str(x) for x in z["labels"]), z["weights"], z["bias"],
                    float(t[0]), float(t[1]), float(t[2]), float(t[3]), str(z["data_hash"]))


@dataclass(frozen=True)
class LearnedHit:
    cls: str
    level: str
    score: float
    segment: str


@dataclass(frozen=True)
class Reading:
    """What the head saw in one message, over all its segments."""

    flags: list[LearnedHit]
    red_mass: float  # the largest red-flag probability mass of any one segment
    press_do_not: float
    press_stop: float
    press_any: float  # largest probability that a segment asks about pressing
    in_scope: float  # largest probability that a segment is about knots at all


def _supported(row: int, keys: list[str], red: np.ndarray) -> bool:
    """Is the flag of segment ``row`` borne out by a segment that holds it or that it
    holds? A segment nothing overlaps (a one-sentence message) stands on its own."""
    key = keys[row]
    around = [j for j, other in enumerate(keys) if j != row and (key in other or other in key)]
    return not around or bool((red[around] >= SUPPORT).any())


class LearnedLayer:
    """``read(text)``: the head over every segment of the literal and the folded text,
    embedded in one batched model call (segment vectors are cached)."""

    def __init__(self, head: Head, embed: Callable[[list[str]], Sequence[Sequence[float]]],
                 levels: dict[str, str], cache_size: int = 4096,
                 crisis: CrisisReader | None = None,
                 lower: Callable[[list[str]], list[np.ndarray]] | None = None) -> None:
        self.head = head
        # Thoughts of suicide or self-harm (`rag.safety.crisis`): it reads the hidden
        # states ``lower`` gives (the encoder's, before its last layer), and only its
        # logit per segment is kept.
        self.crisis = crisis if lower is not None else None
        self.lower = lower
        self._crisis: OrderedDict[str, float] = OrderedDict()
        self.embed = embed
        self.levels = levels
        self._red = np.array([lab in levels for lab in head.labels])
        self._index = {lab: i for i, lab in enumerate(head.labels)}
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def pieces(self, text: str) -> list[str]:
        """Segments of the literal text, and those of its folded reading that differ in
        more than case and spacing (the model reads lower case anyway). Not the
        typo-mended reading: fed that, the head raised misspelt ordinary questions
        ("shoued" mended to "shocked" read as a stop symptom); the rules read it, and a
        flag on a misspelt message must also hold on its mended reading (triage)."""
        return list(_pieces(text))

    def remember(self, text: str, vector: Sequence[float]) -> None:
        """A vector the pipeline already has (the whole question's), so it is not
        encoded twice."""
        with self._lock:
            self._cache[_key(text)] = np.asarray(vector, dtype=np.float32)

    def to_read(self, texts: list[str]) -> set[str]:
        """The pieces the crisis reader will read in these messages (keys): the
        `crisis_pieces` of those in plain English (`readable`); none without a reader."""
        if self.crisis is None:
            return set()
        from rag.safety.crisis import readable

        return {_key(p) for t in texts if readable(t) for p in crisis_pieces(t)}

    def reads_any(self, texts: list[str], read: Collection[str]) -> bool:
        """Is any of ``texts`` a piece the crisis reader reads (its key in ``read``)?"""
        return any(_key(t) in read for t in texts)

    def unseen(self, texts: list[str], besides: str = "",
               read: Collection[str] = ()) -> list[str]:
        """``texts`` whose vectors are not kept yet (nor ``besides``'s), or whose key is
        in ``read`` and has no crisis logit yet; one of each."""
        with self._lock:
            return list({_key(t): t for t in texts if (
                _key(t) not in self._cache and _key(t) != _key(besides))
                or (_key(t) in read and _key(t) not in self._crisis)}.values())

    def keep(self, texts: list[str], vectors: Sequence[Sequence[float]],
             lowers: Sequence[np.ndarray] = (),
             read: Collection[str] = ()) -> None:
        """Vectors embedded elsewhere (with the question, in one model call), and the
        crisis reader's logits from the ``lowers`` (the same call's) of the texts whose
        key is in ``read``: only those, as the reader's layer costs more than the head."""
        # Lowers come for every text or (not asked for) none.
        chosen = [(t, low) for t, low in zip(texts, lowers, strict=True)
                  if _key(t) in read] if len(lowers) else []
        logits = self.crisis.logits([low for _, low in chosen]).tolist() \
            if self.crisis is not None and chosen else []
        with self._lock:
            for text, vector in zip(texts, vectors, strict=True):
                self._cache[_key(text)] = np.asarray(vector, dtype=np.float32)
            for (text, _), logit in zip(chosen, logits, strict=True):
                self._crisis[_key(text)] = float(logit)
            for cache in (self._cache, self._crisis):
                while len(cache) > self._size:
                    cache.popitem(last=False)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts``; only the ones not seen before go to the model, at once."""
        with self._lock:
            todo = {_key(t): t for t in texts if _key(t) not in self._cache}
        if todo:
            self.keep(list(todo.values()), self.embed(list(todo.values())))
        with self._lock:
            found = {k: self._cache.get(k) for k in map(_key, texts)}
        missing = [t for t in texts if found[_key(t)] is None]  # evicted meanwhile
        if missing:
            for t, v in zip(missing, self.embed(missing), strict=True):
                found[_key(t)] = np.asarray(v, dtype=np.float32)
        return np.stack([found[_key(t)] for t in texts])  # type: ignore[misc]

    def crisis_score(self, text: str) -> float:
        """The crisis reader's largest logit over the message's `crisis_pieces`, or -inf
        without a crisis reader."""
        pieces = crisis_pieces(text)
        if self.crisis is None or self.lower is None or not pieces:
            return float("-inf")
        with self._lock:
            found = {k: self._crisis.get(k) for k in map(_key, pieces)}
        todo = list({_key(p): p for p in pieces if found[_key(p)] is None}.values())
        lows = self.lower(todo) if todo else []
        if lows:  # none without an encoder that gives them: then the rules alone
            logits = self.crisis.logits(lows)
            with self._lock:
                for piece, logit in zip(todo, logits, strict=True):
                    found[_key(piece)] = self._crisis[_key(piece)] = float(logit)
        return max((v for v in found.values() if v is not None), default=float("-inf"))

    def read(self, text: str, keep: Callable[[str], bool] | None = None) -> Reading:
        """``keep(segment)`` False: that segment adds no flag (the rules read its sign
        words as denied); another segment may still add the same class."""
        pieces = self.pieces(text)
        if not pieces:
            return Reading([], 0.0, 0.0, 0.0, 0.0, 1.0)
        p = self.head.probs(self.encode(pieces))
        red = p[:, self._red].sum(axis=1)
        labels = np.array(self.head.labels)
        flags: dict[str, LearnedHit] = {}
        keys = [_key(piece) for piece in pieces]
        for row in np.flatnonzero(red >= self.head.flag_threshold):
            if red[row] < SURE and not _supported(int(row), keys, red):
                continue
            if keep is not None and not keep(pieces[row]):
                continue
            ranked = np.where(self._red, p[row], -1.0)
            cls = str(labels[int(ranked.argmax())])
            hit = LearnedHit(cls, self.levels[cls], float(red[row]), pieces[row])
            if cls not in flags or hit.score > flags[cls].score:
                flags[cls] = hit
        col = self._index
        press = p[:, [col[x] for x in PRESS_LABELS]]
        return Reading(flags=list(flags.values()), red_mass=float(red.max()),
                       press_do_not=float(press[:, 0].max()),
                       press_stop=float(press[:, 1].max()),
                       press_any=float(press.sum(axis=1).max()),
                       in_scope=float((1.0 - p[:, col["off_topic"]]).max()))
