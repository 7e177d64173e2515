"""Normalisation: case, quotes, contractions, spelling variants and typo correction.

Pure functions. Typo correction only touches words that are not ordinary English
(per the embedding model's own vocabulary) and sit within a small edit distance of a
safety keyword, so "stif nek" and "numbnes" are read as "stiff neck" and "numbness".
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from rag.safety.decode import hidden_words
from rag.safety.fold import (
    fold,
    fold_confusables,
    letter_symbols,
    mostly_latin,
    strip_marks,
    strip_markup,
    unescape,
)
from rag.safety.mend import mend

_CONTRACTIONS = [
    (r"\bcan'?t\b", "cannot"), (r"\bwon'?t\b", "will not"), (r"\bshan'?t\b", "shall not"),
    (r"\bain'?t(?= (been|got|had|gone|seen|done|come|came)\b)", "has not"),
    (r"\bain'?t\b", "is not"),
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)n'?t\b",
     r"\1 not"),
    (r"\bi'?m\b", "i am"), (r"\bi'?ve\b", "i have"), (r"\bi'd\b", "i would"),
]
_CONTRACTION_RES = [(re.compile(p), r) for p, r in _CONTRACTIONS]

_IS = re.compile(r"\b(neck|it|he|she|that|there|what|this|head|arm|hand|leg|pain|knot|who|"
                 r"nothing|something|everything|anything|here|where|how|when|why)'s\b")

_FOLD: dict[int, str] = {ord(k): v for k, v in {
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "&": " and "}.items()}

SPELLING = {
    "nek": "neck", "neckk": "neck", "necks": "neck", "sholder": "shoulder", "shoulda": "shoulder",
    "shouldr": "shoulder", "sholders": "shoulders", "hed": "head", "hurst": "hurts",
    "tounge": "tongue", "fevr": "fever", "temp": "temp", "ur": "your", "u": "you",
    "pls": "please", "bc": "because", "cuz": "because", "w/": "with",
    "tho": "though", "thru": "through", "rly": "really", "v": "very", "wks": "weeks",
    "mths": "months", "yrs": "years", "hrs": "hours", "b4": "before", "2day": "today",
    "numbess": "numbness", "afebrile": "no fever", "tingly": "tingling",
    "pins&needles": "pins and needles",
}
# Regional spellings of everyday words, Scots and northern English above all: the negations
# and little words a sign is said with ("cannae get his chin doon tae his chest").
DIALECT_FILE = Path(__file__).parent / "data" / "dialect.json"
DIALECT = {
    "cannae": "cannot", "canna": "cannot", "cannae't": "cannot", "disnae": "does not",
    "doesnae": "does not", "didnae": "did not", "isnae": "is not", "wasnae": "was not",
    "wouldnae": "would not", "widnae": "would not", "couldnae": "could not",
    "shouldnae": "should not", "willnae": "will not", "winnae": "will not",
    "dinnae": "do not", "dinna": "do not", "havnae": "have not", "huvnae": "have not",
    "hasnae": "has not", "gonnae": "going to", "nae": "no", "naw": "no", "aye": "yes",
    "doon": "down", "oot": "out", "tae": "to", "fae": "from", "frae": "from", "hame": "home",
    "aboot": "about", "roon": "round", "noo": "now", "whit": "what", "heid": "head",
    "sair": "sore", "greetin": "crying", "boak": "vomit", "boke": "vomit", "boakin": "vomiting",
    "bokin": "vomiting", "boaking": "vomiting", "da": "dad", "ye": "you", "yer": "your",
    "cauld": "cold", "watter": "water", "auld": "old", "masel": "myself", "mysel": "myself",
    "hissel": "himself", "hersel": "herself", "yersel": "yourself", "wi": "with", "owt": "anything",
    "nowt": "nothing", "summat": "something",
    # Southern and Appalachian US negations.
    # (Not "dint", an English word: "by dint of".)
    "cain't": "cannot", "caint": "cannot", "cayn't": "cannot", "wadn't": "was not",
    "wudn't": "was not", "idn't": "is not",
    # North-east Scots (Doric) and more Scots negations.
    "disna": "does not", "didna": "did not", "isna": "is not", "wisna": "was not",
    "winna": "will not", "couldna": "could not", "wouldna": "would not", "widna": "would not",
    "hinna": "have not", "hisna": "has not", "shouldna": "should not", "wis": "was",
    "ilka": "every", "twa": "two", "atween": "between", "agin": "against", "muckle": "big",
    "shooder": "shoulder", "shooders": "shoulders", "shouther": "shoulder",
    "shouthers": "shoulders", "bairn": "child", "bairns": "children", "quine": "girl",
    # Scots everyday words, and the body and its troubles in them ("ma airm's fushionless",
    # "the licht hurts his een"). Not those that are English words too ("greet", "wean",
    # "lug") or often something else ("ma", "ah", "yin", "guid"; "een" is eyes, or one).
    "mair": "more", "gie": "give", "gies": "give me", "gied": "gave", "jist": "just",
    "dae": "do", "daein": "doing", "efter": "after", "ower": "over", "awfy": "awful",
    "richt": "right", "nicht": "night", "licht": "light", "wrang": "wrong", "sma": "small",
    "heids": "heads", "airm": "arm", "airms": "arms", "haun": "hand",
    "hauns": "hands", "neb": "nose", "thrapple": "throat", "hoast": "cough",
    "wabbit": "exhausted", "fushionless": "weak",
}
# ... and some 1,500 more, of many regions (see the file's "about"); the ones above win.
DIALECT = {**json.loads(DIALECT_FILE.read_text(encoding="utf-8"))["words"], **DIALECT}


ENGLISH_ZIPF = 2.5  # wordfreq Zipf frequency from which a word is ordinary English


def zipf(word: str) -> float:
    """How common a word is in English, 0 (unseen) to about 8 ("the")."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def closest_by_typo(word: str, *choices: Iterable[str]) -> str | None:
    """The choice ``word`` is a typo of (one edit up to five letters, two beyond), or None.

    OSA counts a swap of two letters ("fevre", "nmub") as one edit. Among equally near
    choices the earlier of several lists wins, then one with the same first letter
    (people rarely mistype the first: "fver" is fever, not ever), then the earlier choice.
    """
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    limit = 1 if len(word) <= 5 else 2
    best: tuple[float, int, bool, int, int, str] | None = None
    for rank, options in enumerate(choices):
        for choice, distance, index in extract(word, options,
                                               scorer=OSA.distance,  # type: ignore[arg-type]
                                               score_cutoff=limit, limit=None):
            key = (distance, rank, choice[:1] != word[:1], _edit_kind(word, str(choice)),
                   int(index), str(choice))
            if best is None or key < best:
                best = key
    return best[-1] if best else None


def _edit_kind(word: str, choice: str) -> int:
    """How people mistype, commonest first: a letter left out ("waling": walking), two
    letters swapped ("worts": worst), a letter too many, a wrong letter."""
    from rapidfuzz.distance import OSA, Levenshtein

    if len(choice) > len(word):
        return 0
    if OSA.distance(word, choice) < Levenshtein.distance(word, choice):
        return 1
    return 2 if len(choice) < len(word) else 3


def expand_contractions(text: str) -> str:
    for pattern, repl in _CONTRACTION_RES:
        text = pattern.sub(repl, text)
    return text


_english_top: tuple[str, ...] | None = None  # read from the cache folder (rag.wordlists)


def use_english_words(words: tuple[str, ...] | None) -> None:
    """`_english_words` as `rag.wordlists` kept them in a file (None: computed again)."""
    global _english_top
    _english_top = words
    _english_set.cache_clear()
    computed_everyday_words.cache_clear()


def _english_words() -> tuple[str, ...]:
    """wordfreq's 50,000 commonest English words, the alphabetic ones."""
    return _english_top if _english_top is not None else computed_english_words()


@lru_cache(maxsize=1)
def computed_english_words() -> tuple[str, ...]:
    """`_english_words` from wordfreq, whose whole English list (about 20 MB) then stays
    in its cache, unless the file is there."""
    from wordfreq import top_n_list

    return tuple(w for w in top_n_list("en", 50000) if w.isalpha())


EVERYDAY_ZIPF = 3.7  # "stiff" 3.9 and "sore" 4.0 are everyday; "kinetic" 3.4 is not


_everyday: tuple[str, ...] | None = None  # read from the cache folder (rag.wordlists)


def use_everyday_words(words: tuple[str, ...] | None) -> None:
    """`everyday_words` as `rag.wordlists` kept them in a file (None: computed again)."""
    global _everyday
    _everyday = words


def everyday_words() -> tuple[str, ...]:
    """Everyday English words (Zipf >= EVERYDAY_ZIPF) of three letters or more, commonest
    first: what retrieval mends a misspelt word to (rag.coverage; triage does not)."""
    return _everyday if _everyday is not None else computed_everyday_words()


@lru_cache(maxsize=1)
def computed_everyday_words() -> tuple[str, ...]:
    """`everyday_words` from wordfreq: 1 to 3 s and about 11 MB of wordfreq's cache, on
    the first misspelt question after a start, unless the file is there."""
    return tuple(w for w in _english_words() if len(w) > 2 and zipf(w) >= EVERYDAY_ZIPF)


INFLECTIONS = ("", "e", "s", "es", "ed", "d", "ing", "ness", "y", "ly", "t", "ce", "al")


@lru_cache(maxsize=1)
def _english_set() -> frozenset[str]:
    return frozenset(_english_words())


def forms_of(stems: frozenset[str]) -> set[str]:
    """English words that are a stem (four letters or more) plus an inflection ("faint" ->
    fainted, "incontinen" -> incontinent): what a pattern's ``stem\\w*`` reads, spelt
    out so typos can meet it. Each stem's few inflected forms are looked up, rather than
    every English word's every prefix."""
    english = _english_set()
    return {stem + end for stem in stems if len(stem) >= 4 for end in INFLECTIONS
            if stem + end in english}


@lru_cache(maxsize=4)
def english_vocabulary(model_dir: str) -> frozenset[str]:
    """Whole words of the embedding model's WordPiece vocabulary, or nothing."""
    path = Path(model_dir) / "vocab.txt"
    if not path.is_file():
        return frozenset()
    words = path.read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w.isalpha() and w.islower())


class Normaliser:
    """Lower-cases, folds quotes, expands contractions and fixes typos of keywords.

    A typo is matched against the keywords and the inflected forms of their stems
    ("stiffness" for stiff\\w*, "fainted" for faint), so "sitffness" is read as stiffness
    and "fiinted" as fainted; warning signs and contraindications win a tie.
    """

    def __init__(self, keywords: Iterable[str], vocabulary: Iterable[str] = (),
                 stems: Iterable[str] = (), flag_words: Iterable[str] = (),
                 flag_stems: Iterable[str] = (), press_words: Iterable[str] = ()) -> None:
        self.keywords = sorted(set(keywords))
        self.vocabulary = frozenset(vocabulary) | frozenset(self.keywords)
        self._stems = frozenset(stems)
        flag_stems, flag_words = frozenset(flag_stems), set(flag_words)
        # Ties go to the earlier list: red-flag words and their inflected forms ("faint"
        # -> fainted) first, then the press check's contraindications' words (many of
        # them everyday: "numnes" is numbness, not "numbers" of "expecting number two"),
        # then the other keywords and theirs.
        roots = flag_stems | frozenset(w for w in flag_words if len(w) >= 5)
        flag_forms = forms_of(roots)
        # A spelling variant of a warning sign's word ("tingly") is a target too.
        variants = {k for k, v in SPELLING.items() if k.isalpha() and len(k) >= 4
                    and v in flag_words | flag_forms}
        first = flag_words | flag_forms | variants
        press = set(press_words) | forms_of(frozenset(w for w in press_words if len(w) >= 5))
        self._targets = (sorted(first), sorted(press - first),
                         sorted(set(self.keywords) | forms_of(self._stems - flag_stems)))
        self._fixes: dict[str, str] = {}
        self._joinable = frozenset().union(*self._targets)
        self._remembered = lru_cache(maxsize=1024)(self._readings)

    def _fits(self, word: str) -> list[str]:
        """The words a starred word can be, each star one letter: warning-sign words
        first, else the other keywords (in their order)."""
        shape = re.compile(word.replace("*", "[a-z]"))
        for targets in self._targets:
            found = [t for t in targets if len(t) == len(word) and shape.fullmatch(t)]
            if found:
                return found
        return []

    def _unmask(self, m: re.Match[str]) -> str:
        """A word with letters starred out to dodge a filter ("f*v*r", "n**k"): the one
        warning-sign word it can be, else as it was."""
        found = self._fits(m.group(0))
        return found[0] if len(found) == 1 else m.group(0)

    def _masked_readings(self, text: str, most: int = 3) -> list[str]:
        """Where a starred word can be several warning-sign words ("f*ll": fall or fell,
        "w**k": weak or walk), the message read with each in turn (at most ``most``
        readings): a disguised sign must not hide behind its own ambiguity."""
        fits = {m.group(0): self._fits(m.group(0)) for m in _MASKED.finditer(text)}
        many = max((len(f) for f in fits.values()), default=0)
        if many < 2:
            return []
        def pick(k: int) -> Callable[[re.Match[str]], str]:
            def one(m: re.Match[str]) -> str:
                found = fits[m.group(0)]
                return found[min(k, len(found) - 1)] if found else m.group(0)
            return one

        return [re.sub(r"\*+", " ", _MASKED.sub(pick(k), text)) for k in range(min(many, most))]

    def correct(self, word: str) -> str:
        if word.endswith("'s") and (word[:-2] in SPELLING or word[:-2] in DIALECT):
            return f"{self.correct(word[:-2])} is"  # "heid's been sair": the head has
        if word in SPELLING:
            return SPELLING[word]
        if word in DIALECT:
            return DIALECT[word]
        if len(word) < 4 or word in self.vocabulary or not word.isalpha():
            return word
        # A word that starts with a keyword stem ("tingles", "drooling") is mostly read by
        # the patterns already; a typo after the stem ("breathles", "grownig") is mended
        # only towards a word with that same stem, never into another word.
        stem = next((word[:i] for i in range(len(word), 3, -1) if word[:i] in self._stems), "")
        if stem:
            return self._after_stem(word, stem)
        # A real English word is not a typo: "welder" must not become "header" (a head
        # injury). Typos ("hedace", "fevre", "wafrin") are rarer than this in English.
        if zipf(word) >= ENGLISH_ZIPF:
            return word
        if word not in self._fixes:
            # Only keywords are targets, so a typo nearer an everyday word can still read as
            # a warning sign ("ancieent": accident, not ancient). Safety first: the literal
            # text is kept beside it, and the cost is a rare false alarm.
            self._fixes[word] = closest_by_typo(word, *self._targets) or word
        return self._fixes[word]

    def _after_stem(self, word: str, stem: str) -> str:
        if zipf(word) >= ENGLISH_ZIPF:
            return word
        key = f"{stem}|{word}"
        if key not in self._fixes:
            near = [[w for w in targets if w.startswith(stem) and w != word]
                    for targets in self._targets]
            self._fixes[key] = closest_by_typo(word, *near) or word
        return self._fixes[key]

    def _decoded(self, text: str) -> str:
        """Stretches of the message (between punctuation) that are mostly non-words, and
        that ROT13 or reading backwards turns mostly into words, are read decoded too
        ("fgvss arpx", "kcen ffits": stiff neck), wherever they stand."""
        found = []
        for part in re.split(r"[.:;!?,\n\"()]+|\s[-–—]+\s|--+", text):  # also a dash
            words = re.findall(r"[a-z]+", part)
            if len(words) < 3:
                continue
            # The whole stretch, or a run of three or more non-words inside it ("no hospital
            # gnihtaerb elbuort dna gnillews kcen ym"): an encoded sentence beside plain words.
            whole = self._known(words) < 0.5
            for run in [words] if whole else self._unknown_runs(words):
                for decoded in ([codecs.encode(w, "rot13") for w in run],
                                [w[::-1] for w in reversed(run)]):  # or written backwards
                    # A run inside plain words must decode to real, longer words ("neck",
                    # "swelling"), not short ones any typo'd word reversed may make ("ken").
                    long = [w for w in decoded if len(w) >= 4]
                    if self._known(decoded) >= 0.6 and (whole or (
                            len(long) >= 2 and self._known(long) >= 0.5)):
                        found.append(" ".join(decoded))
        return " ".join(found)

    def _unknown_runs(self, words: list[str], least: int = 3) -> list[list[str]]:
        """Runs of words in a row that are not words, or that are words backwards or in
        ROT13 too ("dna"), with at least ``least`` that are not words."""
        runs: list[list[str]] = [[]]
        for w in words:
            if w in self.vocabulary and w[::-1] not in self.vocabulary \
                    and codecs.encode(w, "rot13") not in self.vocabulary:
                runs.append([])
            else:
                runs[-1].append(w)
        return [r for r in runs if sum(w not in self.vocabulary for w in r) >= least]

    def _known(self, words: list[str]) -> float:
        return sum(w in self.vocabulary for w in words) / len(words)

    def __call__(self, text: str) -> str:
        plain, fixed = self.readings(text)
        # Both readings are kept: a typo fix must never hide what was literally written.
        return plain if fixed == plain else f"{plain} . {fixed}"

    def readings(self, text: str) -> tuple[str, str]:
        """(as written, as meant): the literal text lower-cased and tidied, and the same
        with disguises undone and typos mended. The triage reads a message several times
        (rules, learned layer, language check): it is worked out once."""
        return self._remembered(text)

    def _readings(self, text: str) -> tuple[str, str]:
        hidden = hidden_words(text)
        # Markup, pictographs and piled-up accents split no word ("<b>stiff</b> 🙂 neck").
        text = strip_markup(letter_symbols(strip_marks(unescape(text))))
        if not mostly_latin(text):  # a message all in look-alike capitals ("ΝΕСK")
            text = fold_confusables(text, self.vocabulary)
        # "HA" in capitals is a clinician's headache (not "ha ha").
        text = _HEADACHE_CAPS.sub("headache", unicodedata.normalize("NFKC", text)).lower()
        masked: list[str] = []
        if "*" in text:
            masked = self._masked_readings(text)
            text = _MASKED.sub(self._unmask, text)
        # Soft hyphens and zero-width characters are invisible but split words ("fe\u00adver").
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = text.translate(_FOLD)
        text = re.sub(r"[\x00-\x1f<>{}\[\]|*_#`~^=\\]+", " ", text)
        # Clinical shorthand with a slash ("w/ fever", "w/o", "h/a"), then a pair denied
        # together: "no bowel/bladder problems" denies both (only right after the denial:
        # "no headache, numb arm/hand" still tells of the hand).
        text = _SLASH_WORDS.sub(lambda m: _SLASHED[m.group(0)], text)
        text = _DENIED_PAIR.sub(r"\1 \2 or \3", text)
        text = expand_contractions(_IS.sub(r"\1 is", as_spoken(text)))
        # Quote marks around words split no phrase: her hand went 'all funny'.
        text = _QUOTES.sub(" ", text)
        plain = re.sub(r"\s+", " ", text).strip()
        # Disguises undone (look-alike letters, "f3v3r", "f e v e r"), then typos mended.
        # Before spaces collapse: "c h e s t   p a i n" is two words spelt out.
        # Contractions again after the fold: "c.a.n.t" is read as cant, then cannot.
        folded = re.sub(r"\s+", " ", expand_contractions(fold(text, self.vocabulary))).strip()
        hidden = " ".join(filter(None, [hidden, self._decoded(folded)]))
        if masked:  # each reading of the ambiguous starred words, after the message
            hidden = " . ".join(filter(None, [hidden, *masked]))
        if hidden:
            folded = f"{folded} . {hidden.lower()}"
        # Words broken, stretched or run together read whole ("ne ck", "neeeck").
        folded = mend(folded, self._joinable, self.vocabulary)
        return plain, _as_meant(re.sub(r"[a-z']+", lambda m: self.correct(m.group(0)), folded))


_SLASHED = {"w/o": "without ", "w/": "with ", "h/a": "headache"}
_SLASH_WORDS = re.compile(r"(?<![a-z/])(w/o\b|h/a\b|w/)(?![a-z]*/)")
_DENIED_PAIR = re.compile(r"\b(no|not|any|without|denies|denied|deny|nor|never) ([a-z]+)/([a-z]+)"
                          r"\b")
_HEADACHE_CAPS = re.compile(r"(?<!HA )(?<![A-Za-z])HAs?\b(?! ?HA\b)")


# A quote mark that opens or closes words, not an apostrophe inside one ("mum's", "'98").
_QUOTES = re.compile(r"(?<!\w)'(?=[a-z])|(?<=[a-z])'(?!\w)|\"")


# A word with letters starred out between letters ("f*v*r", "n**k"; not "**bold**").
_MASKED = re.compile(r"(?<![\w*])[a-z]+(?:\*{1,2}[a-z]+){1,3}(?![\w*])")


# West African Pidgin English, phrase by phrase: "e no gree go" (it will not go), "I no fit
# sleep" (I cannot sleep), "my chest no dey pain me" (is not paining me).
_PIDGIN = [(re.compile(rf"(?<![\w'-]){p}(?![\w'-])"), r) for p, r in (
    (r"no fit", "cannot"), (r"no gree", "will not"),
    # "e no go work" (it will not work); not "a no go area", "no go for me".
    (r"no go(?= (?!(?:area|areas|zone|zones|for|with|on|at|to|in|situation|the|a|an)\b)[a-z]+)",
     "will not"),
    (r"no dey(?= (move|turn|bend|shift|go|stop|comot|ease|work|answer|respond)\b)",
     "does not"),
    (r"no dey", "is not"),
    (r"don dey", "has been"), (r"dey", "is"), (r"wetin", "what"), (r"abeg", "please"),
    (r"comot", "come out"),
    (r"don(?= (try|take|use|do|go|see|get|start|reach|finish)\b)", "have"),
    (r"don(?= (turn|become|swell|change|spoil|scatter|lock|hold|stop|catch|tight|stiff)\b)", "has"),
    # "Am" after a verb or a place word is "it" ("turn am", "under am"); "I am" stays.
    (r"(turn|press|move|touch|rub|massage|shake|lift|hold|bend|carry|use|see|feel|push|"
     r"leave|stretch|squeeze|under|on|top|for|inside|near|give|take|put|do) am", r"\1 it"),
    (r"e(?= (no|dey|don|is|does|has|will|wan|go|be|get|pain|hurt|start|finish)\b)", "it"))]
# Caribbean English Creole (Jamaican Patois), phrase by phrase: "mi cyaan turn mi neck"
# (I cannot turn my neck), "mi han nah grip" (my hand is not gripping), "it keep a drop"
# (keeps dropping), "di pain inna mi chest" (the pain in my chest).
_BODY = (r"(head|neck|back|arms?|hands?|han|legs?|foot|feet|shoulders?|chest|face|eyes?|"
         r"fingers?|knees?|jaw|throat|skull|spine|belly|side|body|skin|bones?|wrists?|toes?|"
         r"muscles?)")
_KIN = (r"(bredda|breda|brother|sista|sistah|sister|mada|mother|madda|mumma|mama|fada|faada|"
        r"father|puppa|papa|son|daughter|pickney|bwoy|gyal|husband|wife|baby|fren|friend|"
        r"granny|grandma|grandpa|grandson|granddaughter|grandchild|gran|grandpickney|"
        r"nephew|niece|cousin|uncle|auntie|aunty|neighbour|neighbor|bredren)")
_ING = {"drop": "dropping", "fall": "falling", "faint": "fainting", "shake": "shaking",
        "tingle": "tingling", "burn": "burning", "hurt": "hurting", "pain": "paining",
        "swell": "swelling", "throb": "throbbing", "spin": "spinning", "vomit": "vomiting",
        "sweat": "sweating", "numb": "numbing", "ache": "aching", "bleed": "bleeding",
        "think": "thinking", "kill": "killing", "joke": "joking", "plan": "planning"}
_WANTED = (r"(a|an|the|di|some|sum|mi|me|my|it|dat|that|this|dis|dem|them|more|one|nutten|"
           r"nuttn|nothing|notten|anything|nuh|no)")


def _want(match: re.Match[str]) -> str:
    return "does not want" if match.group(1) else "want"


_Meant = str | Callable[[re.Match[str]], str]
_PATOIS: list[tuple[re.Pattern[str], _Meant]] = [
    (re.compile(rf"(?<![\w'-]){p}(?![\w'-])"), r) for p, r in (
    (r"cyaan|cyan|caan|kyaan", "cannot"),
    # "nuh waan (fi)": does not want to; "waan (fi)": want to. Before a determiner or a
    # pronoun, "waan" wants a thing ("mi waan a massage"), not to do something.
    (rf"(nuh |no |not )?waan(?= {_WANTED}\b)", _want),
    (r"nuh (?:waan|wan|want)(?: fi| to)?", "does not want to"), (r"waan(?: fi| to)?", "want to"),
    (r"nuh|nah(?= [a-z]{3,})", "not"),
    # A final consonant left unsaid ("han", "lef", "hol") and "t" for "th" ("mout"): first,
    # so that "mi lef han" is "my left hand".
    (r"han", "hand"), (r"lef", "left"), (r"hol", "hold"), (r"mout", "mouth"),
    (rf"mi(?= ((left|right|rite|likkle|little|big|old|young|baby|eldest|youngest) )?"
     rf"({_BODY}|{_KIN}|mouth)\b)", "my"), (r"mi", "i"),
    # A noun's plural is "dem" after it: "mi bone dem" (my bones), "di han dem" (the hands).
    (r"(bone|hand|arm|leg|finger|toe|knee|eye|shoulder|wrist|muscle|joint)s? dem", r"\1s"),
    (r"di", "the"), (r"dem", "them"), (r"jus", "just"), (r"inna", "in"), (r"pon", "on"),
    (r"deh", "is"),
    (r"wid", "with"), (r"likkle", "little"), (r"tek", "take"), (r"mek", "make"),
    (r"bwoy", "boy"), (r"gyal", "girl"), (r"pickney", "child"), (r"seh", "says"),
    (r"dung", "down"), (r"bredda|breda", "brother"), (r"sista|sistah", "sister"),
    (r"mada|madda", "mother"), (r"fada|faada", "father"), (r"fren", "friend"),
    (r"tink|tinkin|tinking", "think"), (r"wah", "what"), (r"dat", "that"), (r"dis", "this"),
    (r"bout", "about"), (r"fi", "to"), (r"las", "last"),
    # "it done long time": it is over; "when mi young": when I was young.
    (r"(?:(?<=it )|(?<=that ))done", "is over"),
    (r"when i(?= (young|small|little|a child|a pickney|a youth)\b)", "when i was"),
    (r"i use to", "i used to"), (r"an", "and"),
    # "from Christmas": since; "it nuh wan done": it will not go.
    (r"from(?= (christmas|easter|last|monday|tuesday|wednesday|thursday|friday|saturday|"
     r"sunday|january|february|march|april|may|june|july|august|september|october|"
     r"november|december|morning|yesterday)\b)", "since"),
    (r"not wan(t)? (done|go|stop|finish|ease|leave|quit)", "will not go"),
    (r"(hurt|hurting|pain|paining|tell|told|help|helping|give|gave|bother|bothering|lick|licks|"
     r"box|boxed|hit|hits|kill|kills|killing|burn|burns|bun|bite|bites|frighten|frightens|"
     r"squeeze|squeezes|grab|grabs|hold|holds|catch|catches|ketch|shake|shakes|sting|stings|"
     r"stab|stabs|pinch|pinches|worry|worries|bodda|make|let|leave|call|show|take|send) i",
     r"\1 me"),
    # After a preposition "mi" is "my" ("inna mi life", "fi mi job").
    (r"(in|on|of|to|from|with|for|at|into) i(?= (?!(?:and|an|so|too|now|again|like|but|then|"
     r"or|is|a|the|am|was|can|cannot|will|would|do|does|did|never|just|feel|felt|think)\b)"
     r"[a-z])", r"\1 my"),
    # "him face", "her words": a possessive; "one side a him face", "di back a mi head": of.
    (r"(side|back|top|base) a(?= (him|her|mi|my|di|the) )", r"\1 of"),
    (rf"him(?= ({_BODY}|words?|speech|voice|eyes?|mout|mouth)\b)", "his"))]
# Spoken Creole shows by its own words ("cyaan", "inna", "likkle"), or by "mi" with "di"
# or "dem" ("mi" alone is also Spanish or Italian).
_PATOIS_MARK = re.compile(r"(?<![\w'-])(cyaan|kyaan|caan|inna|likkle|pickney|nuh|deh|wid|bredda|"
                          r"seh)(?![\w'-])"
                          r"|(?<![\w'-])mi(?![\w'-]).*(?<![\w'-])(di|dem)(?![\w'-])"
                          r"|(?<![\w'-])(di|dem)(?![\w'-]).*(?<![\w'-])mi(?![\w'-])", re.S)
_PROGRESSIVE = re.compile(rf"(?<![\w'-])a ({'|'.join(_ING)})(?![\w'-])")
_DIALECT_WORD = re.compile(r"(?<![\w'-])([a-z]+)('s)?(?![\w'-])")
_DROPPED_G = re.compile(r"(?<![\w'])([a-z]{2,}in)'(?![\w'])")
# The same without the apostrophe ("everythin's spinnin"), and Scots "-icht" for "-ight"
# ("came richt", "aw nicht"): only a word that is not English whose mended form is.
_BARE_DROPPED_G = re.compile(r"(?<![\w'-])([a-z]{3,}in)(?=('s)?(?![\w'-]))")
# Function words many regions say their own way that are English words too, so read as
# the function word only where one stands: "for" before what it is for ("fur a knot",
# "fer my neck"; a fir tree or a cat's fur stay), and Scots "ma" for "my" after a
# preposition or a verb ("in ma neck", "rub ma shooders"; "my ma" stays a mother).
_FOR_SAID = re.compile(r"(?<![\w'-])(?:fur|fir|fer|fuh)(?= (?:a|an|the|ma|my|me|mi|yer|your|"
                       r"ye|you|yuh|dis|this|dat|that|these|those|it|him|her|them|dem|us|"
                       r"ages|days|weeks|months|years|hours|how|what|whit)\b)")
_MA_MY = re.compile(r"\b(in|on|of|o|for|fur|tae|to|wi|with|at|frae|fae|from|under|doon|"
                    r"down|up|roon|round|aboot|about|intae|into|oot|out|rub|hurt|hurts|turn|"
                    r"move|shift|crick|cricked|twist|twisted|tweak|tweaked) ma"
                    r"(?= (?!(?:and|an|n|or|is|was|says|said|has|had|told)\b)[a-z])")
# "Da" is "the" in Shetland and Caribbean speech after a preposition or "is" ("in da
# cauld watter", "it's da worst"); elsewhere it stays a father (`DIALECT`).
_DA_THE = re.compile(r"\b(in|at|on|to|of|for|from|with|by|into|onto|under|over|is|was|all|"
                     r"and|off|up|down|round|through) da(?= [a-z])")
# "An'" and "'n'" for "and"; a dropped h marked by its apostrophe ("it's 'ot", "me 'ead").
_AN_AND = re.compile(r"(?<![\w'])(an'|'n')(?=\s)")
# "An" before a consonant is no article: it is "and" as many regions say it ("up an
# down", "me an the wife"). Not before "h" ("an hour") nor an initialism ("an mri").
_AN_SAID = re.compile(r"(?<=[a-z] )an (?=(?:[bcdfgjklmnpqrstvwyz][aeiouy]|bl|br|ch|cl|cr|dr|fl|"
                      r"fr|gl|gr|pl|pr|sh|sk|sl|sm|sn|sp|st|sw|th|tr|tw|wh|wr)[a-z])")
_DROPPED_H = re.compile(r"(?<![\w'])'([a-z]{2,})\b")
_SCOTS_ICHT = re.compile(r"(?<![\w'-])([a-z]*)icht(?![\w'-])")
# Southern and Appalachian "-er" for "-ow" ("swaller", "piller", "tomorrer"): only a word
# that is not English whose "-ow" form is (`_if_english`: "holler" stays a shout).
_ER_FOR_OW = re.compile(r"(?<![\w'-])([a-z]{2,})er(?=('s)?(?![\w'-]))")


def _if_english(word: str, meant: str) -> str:
    """``meant`` where it is English and ``word`` is not, or is only slang for it (its
    spelling much rarer: "somethin" for something; not "raisin" for raising)."""
    english = _english_set()
    if meant not in english:
        return word
    return meant if word not in english or zipf(meant) - zipf(word) >= SLANG_GAP else word


SLANG_GAP = 1.5  # zipf: "nothin" 3.7 against "nothing" 5.6; "raisin" 3.0, "raising" 4.4


def speaks_creole(text: str) -> bool:
    """Does a lower-cased message show Caribbean Creole by its own words?"""
    return bool(_PATOIS_MARK.search(text))


def as_spoken(text: str, dropped_g: bool = True) -> str:
    """Regional words read as the standard ones ("nae dizziness", "crashed oot", "heid's
    sair") and a dropped g put back ("walkin'", "achin'", "spinnin"), in every reading: they are
    how people talk, not a disguise. ``dropped_g`` False: the g left as typed."""
    if dropped_g:
        text = _DROPPED_G.sub(r"\1g", text)
        text = _BARE_DROPPED_G.sub(lambda m: _if_english(m.group(1), m.group(1) + "g"), text)
    text = _DA_THE.sub(r"\1 the", text)
    text = _MA_MY.sub(r"\1 my", _FOR_SAID.sub("for", text))
    text = _AN_SAID.sub("and ", _AN_AND.sub("and", text))
    text = _DROPPED_H.sub(lambda m: _if_english(m.group(1), "h" + m.group(1)), text)
    text = _SCOTS_ICHT.sub(lambda m: _if_english(m.group(0), m.group(1) + "ight"), text)
    text = _ER_FOR_OW.sub(lambda m: _if_english(m.group(0), m.group(1) + "ow"), text)
    for pattern, meant in _PIDGIN:
        text = pattern.sub(meant, text)
    if speaks_creole(text):  # only where the Creole's own words show it is spoken
        for pattern, creole_meant in _PATOIS:
            text = pattern.sub(creole_meant, text)
        text = _PROGRESSIVE.sub(lambda m: _ING[m.group(1)], text)
    return _DIALECT_WORD.sub(lambda m: DIALECT[m.group(1)] + (" is" if m.group(2) else "")
                             if m.group(1) in DIALECT else m.group(0), text)


def read_as_said(text: str) -> str:
    """``text`` with its regional words read as the standard ones (`as_spoken`), for the
    answer stage's reading of what is asked ("whit's best fur a knot in ma neck?" asks
    nothing about fur); the text as typed, capitals and all, when nothing changes. A
    dropped g stays: the answer stage never takes such a word for a subject (`Coverage.
    dropped_g`), where "givin" read as "giving" would be one."""
    spoken = as_spoken(text.lower(), dropped_g=False)
    return text if spoken == text.lower() else spoken


# Dictated punctuation ("my grip has gone full stop"), "can no longer", and hyphenated
# words ("blood-thinning"): read as a typed sentence would be.
_AS_MEANT = [*((re.compile(rf"\s*\b{w}\b"), p) for w, p in (
    ("full stop", "."), ("comma", ","), ("question mark", "?"),
    ("exclamation (mark|point)", "!"), ("new (line|paragraph)", "."), ("semicolon", ";"))),
              (re.compile(r"\bcan no longer\b"), "cannot"),
              (re.compile(r"\bcould no longer\b"), "could not"),
              (re.compile(r"\bno longer able to\b"), "unable to"),
              (re.compile(r"(?<=[a-z])-(?=[a-z])"), " "),
              # "Me" (or Scots "ma") for "my" before a body part ("smacked me head"), and a dropped
              # apostrophe ("heads been achin", "necks gone stiff").
              (re.compile(r"\b(me|ma)(?= (head|neck|back|arms?|hands?|legs?|shoulders?|chest|face|"
                          r"eyes?|fingers?|foot|feet|knees?|jaw|throat|skull|spine|chin|nose|"
                          r"mouth|lips?|tongue|ears?|wrists?|elbows?|hips?|ankles?|toes?|"
                          r"thumbs?|skin|belly|stomach|ribs?|collarbone|temples?|vision|"
                          r"bladder|bowels?|waterworks|guts|bum|backside|balance|grip|speech|"
                          r"sight|memory|breathing|heart|brain|muscles?|nerves?|glands?)\b)"),
               "my"),
              # A count said with a singular unit ("two week now", "3 day"), as people
              # writing a second language often do: read as the plural.
              (re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"several|few|many) (day|week|month|year|hour|minute)(?![\w'-])"),
               r"\1 \2s"),
              (re.compile(r"\b(head|neck|arm|hand|leg|back|chest|face|throat|eye|vision|speech|"
                          r"jaw|shoulder)s (?=(been|gone|got)\b)"), r"\1 has "),
              # Scots "o" for "of" before a determiner ("the tap o the back", "back o ma heid").
              (re.compile(r"(?<=[a-z] )o (?=(the|ma|my|his|her|yer|your|a|an|it)\b)"), "of "),
              # Clinical shorthand: "3/12" is three months, "2/52" two weeks, "4/7" four days,
              # "this am" this morning.
              (re.compile(r"\b([1-9]|1[01])/12\b"), r"\1 months"),
              (re.compile(r"\b([1-9]|[1-4][0-9]|5[01])/52\b"), r"\1 weeks"),
              (re.compile(r"\b([1-6])/7\b"), r"\1 days"),
              (re.compile(r"\b([1-9]|1[0-9]|2[0-3])/24\b"), r"\1 hours"),
              (re.compile(r"\b(this|since|from|at|in the) am\b"), r"\1 morning"),
              (re.compile(r"\b(this|since|from|at|in the) pm\b"), r"\1 afternoon"),
              # A swear word used as an intensifier between a sign's words ("like a bloody
              # blade", "a fucking sharp pain"): read without it. The literal reading keeps it.
              (re.compile(r"\b(bloody|fucking|fuckin|fricking|frickin|frigging|friggin|freaking|"
                          r"freakin|effing|flipping|flippin|sodding|bloomin|blooming|goddamn|"
                          r"goddamned|damn|damned|dang|darn|hecking|motherfucking) (?=[a-z])"), ""),
              # Dictation's mishearings of the topic's words, where only those fit: "message"
              # for massage before a massage tool or a knot, "soldier" for shoulder as a
              # place on the body.
              (re.compile(r"\bmessag(e|es|ing|ed)\b(?= (gun|guns|ball|balls|tool|tools|stick|"
                          r"roller|chair|therapist|therapy|cane|device|pillow|(the|my|his|her|"
                          r"this|that|a|your) (knot|knots|not|nots|neck|shoulders?|traps?|"
                          r"back)\b))"),
               r"massag\1"),
              (re.compile(r"\b((?:top|back|front|side|blade|tip|part|middle) of (?:my|his|her|"
                          r"the|your|me|ur) |(?:left|right) )soldier(s?)\b(?! (who|in|at|and|of|"
                          r"came|was|is|said|fought|boy|girl|son))"), r"\1shoulder\2"),
              (re.compile(r"\bsoldier(?= ?blades?\b)"), "shoulder"),
              # "Knot" spelt as it sounds, where "not" cannot stand ("got a not in my
              # shoulder", "these nots"): after an article or an adjective of a knot.
              (re.compile(r"\b(a|the|my|his|her|these|those|big|little|tight|painful|sore|huge|"
                          r"massive|large|small|tiny|giant|nasty|hard|stubborn|horrible|awful|"
                          r"weird) "
                          r"(knott|nott|not|naught)(s?)\b(?! (so|too|very|"
                          r"really|quite|bad|many|much|only|just|for|to|sure|at|unusual|uncommon|"
                          r"good|great|entirely|exactly|even|yet|always|fully|completely|a|an|"
                          r"the|that|in the least|one)\b)"), r"\1 knot\3")]


def _as_meant(text: str) -> str:
    for pattern, replacement in _AS_MEANT:
        text = pattern.sub(replacement, text)
    return text
