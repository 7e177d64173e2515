"""Terms the articles never use: a question about one is declined, not padded.

A question such as "can I take ibuprofen for a knot?" retrieves passages that score as
well as a real question's (they are about knots), so a passage-score threshold alone
cannot tell it is uncovered. What gives it away is a word that is rare in English, never
appears in the articles, and has no article word close to it in meaning. Each of the
three tests keeps an ordinary question answered: everyday words ("scrolling", "hectic")
pass the rarity test, inflections and typos of article words ("achy", "usualy") pass the
second, and lay words for article terms ("workout" for exercise) pass the third.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.asked import asked_flags
from rag.retrieval import STOPWORDS, stem_tokens
from rag.safety.language import words_of_one_language
from rag.safety.normalise import (
    DIALECT,
    ENGLISH_ZIPF,
    closest_by_typo,
    everyday_words,
    expand_contractions,
    zipf,
)
from rag.safety.scope import POINTS_BACK, QUESTION_JOIN
from rag.wordtable import WordTable

RARE_ZIPF = 3.0  # wordfreq Zipf frequency below this: not everyday English
_TYPED = re.compile(r"[^\W\d_]+")  # a word as typed, accents and all
COMMON_ZIPF = 5.0  # "give", "made": too common to be part of a named term
NEAR_WORD = 0.55  # cosine to the closest article word at or above this: a paraphrase
RELATED = 0.6  # cosine from which an article word joins a question's keyword query
# English prefixes that make a new word of an everyday one ("rearranging", "overstretched").
_AFFIX = re.compile(r"^(?:re|un|over|under|mis|pre|dis|de|out|non)-?(?=[a-z]{4})")
DROPPED_G_ZIPF = 1.5  # "hunching" 1.85: an -ing form this common is a word
PREFIX = 5  # a word sharing its first letters with an article word is a form of it
# ... and, for a word English does not know (a name, a coinage, a typo), when they are
# most of it ("massagin"): one that goes on otherwise ("theragun" after the "thera" of
# therapy, "hypervolt" after the "hyper" of hyperirritable) is a name of its own.
PREFIX_SHARE = 0.7


# The endings of comparison and what they replace: "angrier" (angry), "kindest" (kind),
# "loosest" (loose), "biggest" (big, by its doubled consonant). Only these: a word ending
# in "-s", "-ed" or "-ing" may be a term of its own ("cupping", "meridians", "matted").
_ENDINGS = (("iest", "y"), ("ier", "y"), ("est", ""), ("est", "e"))


def _bases(word: str) -> list[str]:
    """The words ``word`` may be the comparative or superlative of (three letters or more)."""
    out = []
    for ending, base_end in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)]
            out.append(base + base_end)
            if not base_end and len(base) >= 4 and base[-1] == base[-2] \
                    and base[-1] not in "aeiouls":
                out.append(base[:-1])
    return out


def shared_start(a: str, b: str) -> int:
    """How many first letters two words share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
_LETTERS = re.compile(r"[^\W\d_]+")  # letters, accented ones too
_WORD = re.compile(r"[a-z]+")
_QUESTION_BREAK = re.compile(r"(?<=[?!.;])\s+")  # people rarely capitalise the next one
# Words that start giving examples of what was just asked about (general English).
_EXAMPLES = re.compile(r"\b(?:for example|for instance|such as|e\.g\.|eg|including)\b",
                       re.IGNORECASE)
MIN_ASKED = 2  # content words before the examples for them to ask something of their own

Frequency = Callable[[str], float]


def fold(text: str) -> str:
    """Lower case without accents, so "café" is the article-free but ordinary "cafe"."""
    if text.isascii():  # nothing to decompose (most texts: the articles' sentences)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words_of(text: str) -> list[str]:
    """Lower-case content words of three letters or more, in order, once each."""
    return list(dict.fromkeys(w for w in _WORD.findall(fold(text))
                              if len(w) > 2 and w not in STOPWORDS))


class Coverage:
    """The articles' vocabulary, and the words of a question that fall outside it."""

    def __init__(self, texts: Iterable[str], embeddings: Embeddings, known: Iterable[str] = (),
                 frequency: Frequency = zipf, cache_size: int = 4096,
                 table: WordTable | None = None, uses: Mapping[str, int] | None = None
                 ) -> None:
        """``known`` are more words Knotbot can speak to (the safety stage's: "warfarin");
        ``table`` holds precomputed vectors of common words, so most look-ups cost no
        model call; ``uses`` is how often each word occurs in ``texts`` when already
        counted (a stored index version: counting 10,000 chunks took seconds of a start)."""
        uses = Counter(uses) if uses is not None else \
            Counter(w for t in texts for w in words_of(t))
        self.uses = dict(uses)
        self._stem_uses = Counter[str]()
        for w, n in uses.items():
            self._stem_uses.update({s: n for s in stem_tokens(w)[:1]})
        self._all_uses = max(sum(uses.values()), 1)
        self.vocabulary = sorted(uses)
        # Most used first: a typo as near to "massage" as to "manage" means "massage" here.
        self._by_use = tuple(sorted(uses, key=lambda w: (-uses[w], w)))
        lexical = [*self.vocabulary, *known]
        self.stems = frozenset(stem_tokens(" ".join(lexical)))
        self.prefixes: dict[str, list[str]] = {}
        for w in lexical:
            if len(w) >= PREFIX:
                self.prefixes.setdefault(w[:PREFIX], []).append(w)
        self.embeddings = embeddings
        self.frequency = frequency
        frequency("knot")  # wordfreq loads its word list on first use (about a second)
        self.vectors = self._embed(self.vocabulary, table)
        self._in_vocabulary = frozenset(self.vocabulary)
        self._nearest: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._table_nearest = self._nearest_for_table(table)
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the app answers several people at once
        self.spelling = lru_cache(maxsize=cache_size)(self._spelling)

    def _embed(self, words: list[str], table: WordTable | None) -> np.ndarray | None:
        """Vectors of ``words``: from the table where it has them, else from the model."""
        if not words:
            return None
        rows = table.index() if table is not None else {}
        known = table.vectors if table is not None else np.zeros((0, 0), dtype=np.float32)
        missing = [w for w in words if w not in rows]
        fresh = dict(zip(missing, self.embeddings.embed_documents(missing), strict=True)) \
            if missing else {}
        return np.asarray([known[rows[w]] if w in rows else fresh[w] for w in words],
                          dtype=np.float32)

    def _nearest_for_table(self, table: WordTable | None) -> dict[str, tuple[str, float]]:
        """Each table word's closest article word, worked out once (in slices of rows)."""
        if table is None or self.vectors is None:
            return {}
        out: dict[str, tuple[str, float]] = {}
        for start in range(0, len(table.words), 4096):
            sims = np.asarray(table.vectors[start:start + 4096], np.float32) @ self.vectors.T
            best = sims.argmax(axis=1)
            for word, i, cos in zip(table.words[start:start + 4096], best,
                                    sims[np.arange(len(best)), best], strict=True):
                out[word] = (self.vocabulary[int(i)], float(cos))
        return out

    def own_terms(self, topic: Iterable[str] = ()) -> frozenset[str]:
        """The articles' words that are rare in English, but forms of ``topic`` ("knotted"):
        their own terms, which only a question about them uses ("ischemic", "levator")."""
        skip = {s for w in topic for s in stem_tokens(w)}
        return frozenset(w for w in self.vocabulary if self.frequency(w) < RARE_ZIPF
                         and not skip & set(stem_tokens(w)))

    def keyness(self, word: str) -> float:
        """How many powers of ten commoner the word is (in any form) among the articles'
        words than in English: their own words ("massage", "posture") far above 0, an
        everyday word they happen to write once ("through", "affect") near or below it."""
        stems = stem_tokens(word)
        share = max(self._stem_uses.get(stems[0], 0) if stems else 0, 0.5) / self._all_uses
        return float(np.log10(share)) - (self.frequency(word) - 9.0)

    def in_articles(self, word: str) -> bool:
        """Used by the articles, as such or in another form ("achy" for ache)."""
        stems = stem_tokens(word)
        if not stems or stems[0] in self.stems:
            return True
        forms = self.prefixes.get(word[:PREFIX], ())
        if self.frequency(word) > 0:  # an English word: its first letters make it a form
            return bool(forms)
        return any(shared_start(word, w) >= PREFIX_SHARE * len(word) for w in forms)

    def written(self, word: str) -> bool:
        """Written in the articles themselves, in some form ("pressing" for press): not
        only a word the safety stage knows, nor one merely sharing its first letters."""
        stems = stem_tokens(word)
        if not hasattr(self, "_article_stems"):
            self._article_stems = frozenset(stem_tokens(" ".join(self.vocabulary)))
        return bool(stems) and stems[0] in self._article_stems

    def known(self, word: str) -> bool:
        """In the articles, or a typo of a word that is ("usualy") or of an everyday word
        ("shuld"): a typo is not a topic the articles miss."""
        return (self.in_articles(word) or closest_by_typo(word, self._by_use) is not None
                or self.spelling(word) is not None)

    def _spelling(self, word: str) -> str | None:
        """The word ``word`` is a typo of: an article word first ("sholder" -> shoulder),
        else an everyday English one ("presisng" -> pressing; rarer look-alikes are often
        what a term was meant to be: "advil" is not "anvil"); None for a real word."""
        if len(word) < 4 or self.in_articles(word) or self.frequency(word) >= ENGLISH_ZIPF:
            return None
        fix = closest_by_typo(word, self._by_use, everyday_words())
        # People rarely mistype the first letter: "lipoma" is not a typo of "diploma".
        return fix if fix is not None and fix[:1] == word[:1] else None

    def respell(self, text: str) -> str:
        """``text`` with its typos mended and its dialect read as English, for retrieval:
        "how do i masage my sholder" finds what "how do i massage my shoulder" finds."""
        def mend(match: re.Match[str]) -> str:
            word = match.group(0)
            folded = fold(word)  # "shöulder" is the article's "shoulder"
            if folded in DIALECT and folded != "da":  # "sair", "efter": "sore", "after"
                return DIALECT[folded]  # ("da" is a dad, or "the": left as written)
            return self.spelling(folded) or (folded if folded != word.lower() else word)

        return _LETTERS.sub(mend, text)

    def nearest(self, words: list[str]) -> dict[str, tuple[str, float]]:
        """Each word's closest article word and their cosine (one model call for the words
        not seen before)."""
        out = {w: self._table_nearest[w] for w in words if w in self._table_nearest}
        with self._lock:
            for w in words:
                if w in self._nearest:
                    out[w] = self._nearest[w]
                    self._nearest.move_to_end(w)
        new = [w for w in words if w not in out]  # not common enough for the table
        if new and self.vectors is not None:
            sims = np.asarray(self.embeddings.embed_documents(new), dtype=np.float32) \
                @ self.vectors.T
            best = sims.argmax(axis=1)
            out.update((w, (self.vocabulary[i], float(sims[r, i])))
                       for r, (w, i) in enumerate(zip(new, best, strict=True)))
        with self._lock:
            for w in new:
                self._nearest[w] = out.get(w, ("", 0.0))
            while len(self._nearest) > self._cache_size:
                self._nearest.popitem(last=False)
        return {w: out.get(w, ("", 0.0)) for w in words}

    def related(self, text: str) -> list[str]:
        """Article words close in meaning to the words of ``text`` ("anxious" -> anxiety,
        "gym" -> workout): added to the keyword query so lay words meet the articles'."""
        near = self.nearest([w for w in words_of(text) if w not in self._in_vocabulary])
        return [a for a, cos in near.values() if cos >= RELATED]

    def everyday_with_prefix(self, word: str) -> bool:
        """An everyday word with an English prefix ("rearranging": arranging): rare as a
        whole, but no term the articles would have to name."""
        m = _AFFIX.match(word)
        return m is not None and self.frequency(word[m.end():]) >= RARE_ZIPF

    def everyday_compared(self, word: str) -> bool:
        """An everyday word compared ("angrier": angry, "kindest": kind): rare as a
        whole, but no term the articles would have to name, any more than the word it is
        a form of."""
        return any(self.frequency(base) >= RARE_ZIPF for base in _bases(word))

    def dropped_g(self, word: str) -> bool:
        """A word said with its g dropped ("drinkin", "hunchin"): the -ing form is a word,
        and far commoner (not "aspirin", nearly as common as "aspiring")."""
        if len(word) < 5 or not word.endswith("in"):
            return False
        whole = self.frequency(word + "g")
        return whole >= DROPPED_G_ZIPF and whole >= self.frequency(word) + 1.0

    def askers_language(self, text: str) -> frozenset[str]:
        """The words (folded) of another language the asker mixes into an English question
        (`words_of_one_language`): never a subject the articles lack."""
        typed = {fold(t): t for t in _TYPED.findall(text.lower())}
        mixed = words_of_one_language([typed.get(w, w) for w in words_of(text)])
        return frozenset(fold(w) for w in mixed)

    def rare_unknown(self, text: str) -> list[str]:
        """The words of ``text`` that are rare, absent from the articles and unlike any
        article word: what the articles cannot speak to."""
        rare = [w for w in words_of(text) if self.frequency(w) < RARE_ZIPF and not self.known(w)
                and not self.everyday_with_prefix(w) and not self.everyday_compared(w)
                and not self.dropped_g(w)
                and w not in DIALECT]  # "whit", "yer": a region's way to say "what", "your"
        if rare:  # "quantos dias ... before I desisto?": the asker's language, not subjects
            mixed = self.askers_language(text)
            rare = [w for w in rare if w not in mixed]
        if not rare:
            return []
        near = self.nearest(rare)
        return [w for w in rare if near[w][1] < NEAR_WORD]

    def check(self, question: str, topic: frozenset[str] = frozenset()) -> Gap:
        """Split the question into the sentences the articles may cover and the terms of
        the rest, so "is gua sha good? how long do I hold pressure?" still gets its
        second half answered. A term that only says who is asking ("I'm a retired
        schoolteacher") is no subject, and keeps its sentence."""
        covered, terms = [], []
        parts = [c for s in _QUESTION_BREAK.split(question) for c in _clauses(s)]
        for sentence, asks in zip(parts, asked_flags(parts, topic), strict=True):
            # A sentence that only sets the scene ("just milked and went to bed") names
            # no subject: its rare words are the person's life, not what is asked.
            found = [w for w in self.rare_unknown(sentence) if not describes_asker(sentence, w)
                     ] if asks else []
            if found:
                terms += [as_typed(sentence, w, self) for w in found]
                rest = self.before_examples(sentence, found)
                if rest:  # "can it cause referred pain, for example X?": the rest is asked
                    covered.append(rest)
            else:
                covered.append(sentence)
        return Gap(covered=" ".join(covered).strip(), terms=list(dict.fromkeys(terms)))

    def before_examples(self, sentence: str, found: list[str]) -> str:
        """The sentence up to where it starts giving examples ("..., for example X",
        "such as X"), when every rare term of it stands among them and what comes before
        asks something of its own: a rare example does not sink the question it
        illustrates. "" when a term stands outside the examples."""
        marker = _EXAMPLES.search(sentence)
        if marker is None:
            return ""
        head = sentence[: marker.start()].rstrip(" ,;:(-")
        tail = fold(sentence[marker.start():])
        if any(not re.search(rf"\b{re.escape(w)}\b", tail) for w in found) or \
                len(words_of(head)) < MIN_ASKED or self.rare_unknown(head):
            return ""
        return head + ("?" if sentence.rstrip().endswith("?") else "")


def _clauses(sentence: str) -> list[str]:
    """A sentence split where a second question is joined on ("what's the dose of X, and
    how long does a knot last?"), each part of a question asked as one."""
    clauses = QUESTION_JOIN.split(sentence)
    if any(POINTS_BACK.search(c.lower()) for c in clauses[1:]):
        return [sentence]  # "..., and should that amount change?": one question still
    if len(clauses) > 1 and sentence.rstrip().endswith("?"):
        clauses = [c if c.rstrip().endswith("?") else f"{c.rstrip()}?" for c in clauses]
    return clauses


@dataclass(frozen=True)
class Gap:
    covered: str  # the question's sentences with nothing uncovered; "" when none
    terms: list[str]  # how the person wrote each uncovered term ("gua sha", "Tylenol")


# "I'm a dental hygienist", "I am a retired schoolteacher", "I work as a welder": who is
# asking (not "take it as a painkiller").
_ASKER_START = r"\b(?:i\s*['’]?\s*a?m|i\s+work\s+as)\s+an?\s+"
_ASKER = _ASKER_START + r"(?:[a-z-]+\s+){{0,2}}{word}\b"
# The pattern's start, one program: most questions say no "I'm a", and making a program
# for each of their words (re's cache holds 512) was 2 ms of every question.
_ASKS_AS = re.compile(_ASKER_START)


def describes_asker(text: str, word: str) -> bool:
    """Does ``word`` only say who is asking ("I'm a retired schoolteacher")?"""
    folded = fold(text)
    return _ASKS_AS.search(folded) is not None and \
        re.search(_ASKER.format(word=re.escape(word)), folded) is not None


def as_typed(text: str, word: str, coverage: Coverage) -> str:
    """The term as the person wrote it, with a following noun-like word the articles don't
    use either ("gua" -> "gua sha", "kinesio" -> "Kinesio tape")."""
    pattern = rf"\b{word}\b([ \t]+([^\W\d_]+))?"
    match = re.search(pattern, text, re.IGNORECASE)
    if not match:  # written with accents ("ibuprofène"): name it as folded
        text = fold(text)
        match = re.search(pattern, text)
    if not match:
        return word
    after = fold(match.group(2) or "")
    if (after and after not in STOPWORDS and expand_contractions(after) == after
            and coverage.frequency(after) < COMMON_ZIPF and not coverage.in_articles(after)):
        return match.group(0)
    return text[match.start():match.start() + len(word)]
