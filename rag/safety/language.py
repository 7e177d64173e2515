"""Which language a message is in, offline: a message Knotbot cannot read is never refused.

Non-Latin scripts are told by their letters (Unicode names); a Latin-script message whose
words are mostly not English goes to py3langid (its model ships in the package). An
English message, typos and slang included, must never be taken for another language,
so English is the answer whenever the evidence is thin.

py3langid's model costs about a second and 90 MB to load, so it is loaded only for a
message that needs it: a message most of whose words are at least as common in English
as in each language it could guess is English whatever it would say (`more_english`
holds for each of them); which common words are commoner in which language is a file
(`rag.wordlists`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from rag.safety.fold import is_latin

# Script (the first word of a letter's Unicode name) -> the language we answer in.
SCRIPTS = {"DEVANAGARI": "hi", "GURMUKHI": "pa", "CJK": "zh", "ARABIC": "ar",
           "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "CYRILLIC": "ru",
           "GREEK": "el", "HEBREW": "he", "THAI": "th", "BENGALI": "bn", "TAMIL": "ta"}
# Latin-script languages the identifier may choose between (English among them).
LATIN = ["en", "fr", "es", "pt", "tl", "de", "it", "nl", "pl", "ro", "tr", "vi", "id", "ms",
         "cs", "sv", "da", "no", "fi", "hu"]
# Latin-script languages wordfreq has no word list for: the identifier may answer them,
# and a word counts as English only when it is a common English word (`more_english`).
UNLISTED = ["sw"]
COMMON_ENGLISH = 3.0  # zipf: "neck" 4.2, "ya" 3.6, "nina" 2.4, "shingo" 0
MIN_WORDS = 3
# A message the scope guard takes for a knot question is read as another language only when
# it is long enough to tell: "whats ischemic compresion" is English with a rare word.
SURE_WORDS = 8
ENGLISH_SHARE = 0.5  # from this share of English words on, a message is English
CONFIDENCE = 0.95
RARE_IN_ENGLISH = 2.0  # zipf: "vrat" 1.4, "mogu" 1.6, "stif" 1.2; "neck" 4.2
FOREIGN_SHARE = 0.6  # from this share of rare words on, an unplaced message is not English
WORDFREQ = {"tl": "fil", "no": "nb"}  # wordfreq's names for these
_WORD = re.compile(r"[^\W\d_]+")
_lock = threading.Lock()


DISGUISE_LEFT = 0.1  # share of letters that may stay non-Latin in English in disguise


def latin_lookalikes(text: str) -> str:
    """Every letter that has a Latin look-alike read as that letter."""
    from rag.safety.fold import latin_lookalike

    return "".join(ch if not ch.isalpha() or is_latin(ch) else (latin_lookalike(ch) or ch)
                   for ch in text)


def script_language(text: str) -> str | None:
    """The language of a message mostly written in a non-Latin script, else None."""
    scripts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts["LATIN" if ch.isascii() or name.startswith("LATIN") else
                    name.split(" ")[0]] += 1
    total = sum(scripts.values())
    if not total:
        return None
    top, count = scripts.most_common(1)[0]
    if top == "LATIN" or count < 0.5 * total:
        return None
    return SCRIPTS.get(top, "other")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True) \
        if hasattr(LanguageIdentifier, "from_pickled_model") \
        else LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LATIN + UNLISTED)
    if hasattr(ident, "_full_model"):  # py3langid keeps all 97 languages' table (28 MB)
        # to restrict it again; ours is restricted once, for good
        ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    return ident


CACHED_WORD = 32  # characters: longer words (rare, or typed to fill memory) are not kept


def _zipf(word: str, lang: str) -> float:
    return _zipf_kept(word, lang) if len(word) <= CACHED_WORD else _zipf_of(word, lang)


@lru_cache(maxsize=1 << 14)  # the same few hundred words, asked of each language
def _zipf_kept(word: str, lang: str) -> float:
    return _zipf_of(word, lang)


def _zipf_of(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word, WORDFREQ.get(lang, lang)))
    except LookupError:  # a language wordfreq has no list for
        return 0.0


def more_english(words: list[str], lang: str) -> bool:
    """Are most words commoner in English than in ``lang``? Then the message is English
    (with its typos and slang), whatever the character statistics said."""
    if lang in UNLISTED:  # nothing to compare with: is the word common in English?
        english = sum(1 for w in words if _zipf(w, "en") >= COMMON_ENGLISH)
        return english >= ENGLISH_SHARE * len(words)
    # A word neither list knows (a typo, or a word of a third language the identifier
    # took for ``lang``: Serbian read as Czech) says nothing either way.
    pairs = [(_zipf(w, "en"), _zipf(w, lang)) for w in words]
    known = [(en, other) for en, other in pairs if en or other]
    english = sum(1 for en, other in known if en >= other)
    return english >= ENGLISH_SHARE * len(known)


def is_word(text: str) -> bool:
    """One word as the language check splits a message into words."""
    return _WORD.fullmatch(text) is not None


def english_whatever_guessed(words: list[str]) -> bool:
    """`more_english` holds for every language the identifier may answer: known without
    asking it (a word missing from the table counts as commoner elsewhere)."""
    from rag.wordlists import english_first_words

    langs, table = english_first_words()
    if not table or sorted(langs) != sorted(lang for lang in LATIN if lang != "en"):
        return False
    masks = [table.get(w, -1) for w in words]  # -1: every bit set
    return all(sum(not m >> bit & 1 for m in masks) >= ENGLISH_SHARE * len(words)
               for bit in range(len(langs)))


def _spoken_english(text: str) -> bool:
    """Caribbean Creole ("mi tek di warfarin fi mi blood"), shown by its own words: English
    when its words read as the standard ones (`as_spoken`) are English."""
    from rag.safety.normalise import as_spoken, speaks_creole

    low = text.lower()
    if not speaks_creole(low):
        return False
    with _lock:
        return bool(_identifier().rank(as_spoken(low))[0][0] == "en")


def language_of(text: str) -> str:
    """An ISO code ("en", "fr", "hi", "other"...) for one message: the language to answer
    it in. Wide (full-width) Latin letters are read as the Latin letters they are."""
    return _reading(text)[0]


def mixed_with(text: str) -> str | None:
    """The other language of a message answered in English for its English clauses
    (`english_clause`): "Mon père, 72 ans, he fell from the ladder" -> "fr"."""
    return _reading(text)[1]


@lru_cache(maxsize=256)
def _reading(text: str) -> tuple[str, str | None]:
    """(the language to answer in, the other language of a half-English message)."""
    text = unicodedata.normalize("NFKC", text)
    by_script = script_language(text)
    if by_script:
        # English written in look-alike letters of another alphabet ("fасе" in Cyrillic)
        # is English: with every look-alike read as its Latin letter, it is Latin script.
        # Real text in that alphabet keeps letters with no Latin twin (б, л, ж, я...).
        latin = latin_lookalikes(text)
        letters = [ch for ch in latin if ch.isalpha()]
        if sum(not is_latin(ch) for ch in letters) > DISGUISE_LEFT * len(letters):
            return by_script, None
        text = latin
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS or english_whatever_guessed(words) or _spoken_english(text):
        return "en", None
    with _lock:  # the identifier keeps state between calls
        ranked = _identifier().rank(text.lower())
    # Two close languages share the probability between them (Malay and Indonesian, say:
    # 0.7 and 0.3), so the first two together must be sure. Text the model cannot place
    # (English spelt out letter by letter) spreads it over many: 0.4, 0.2, 0.2...
    (lang, prob), (second, also) = ranked[0], ranked[1]
    sure = float(prob) + (float(also) if second != "en" else 0.0)
    if lang == "en":
        return "en", None
    found = _latin_language(text, words, str(lang), str(second), sure)
    # Read as another language, yet with a whole clause of English: answered in English.
    return ("en", str(lang)) if found != "en" and english_clause(text, str(lang)) \
        else (found, None)


def _latin_language(text: str, words: list[str], lang: str, second: str, sure: float
                    ) -> str:
    """What a Latin-script message is, given the identifier's first two guesses."""
    if sure < CONFIDENCE:
        # A language the identifier was not given (Serbian, Lithuanian...) spreads its
        # guesses over its neighbours (Czech 0.76, Polish 0.09...); its words are then
        # mostly not English words at all.
        # So does a language close to one it was given (Catalan: Spanish 0.73, Portuguese
        # 0.17) whose words are commoner in that one than in English.
        if accented(text) and (not_english_words(words) or not more_english(words, lang)):
            return "other"
        # The same close language written without its accents ("perdut el control de la
        # bufeta"): its words are commoner in both neighbours than in English. Not letters
        # spaced out to hide English ("f e v e r"): those are no words of any language.
        if second != "en" and sum(len(w) > 1 for w in words) >= 0.8 * len(words) \
                and not more_english(words, lang) \
                and not more_english(words, second):
            return "other"
        return "en"
    return "en" if more_english(words, lang) else lang


CLAUSE_WORDS = 5  # an English clause of this many words: the writer reads English
CLAUSE_SHARE = 0.8  # of its words common in English and commoner there than in the other
_CLAUSE = re.compile(r"[.,;:!?()\n]+")


def english_clause(text: str, lang: str) -> bool:
    """A message half in another language with a whole clause of English in it ("Mon
    père, 72 ans, he fall from the ladder this morning"): its writer reads English, so it
    is answered in English, and its other words are told as unread (triage's `_mixed`)."""
    for clause in _CLAUSE.split(text):
        words = [w.lower() for w in _WORD.findall(clause)]
        english = sum(_zipf(w, "en") >= max(_zipf(w, lang), COMMON_ENGLISH) for w in words)
        if len(words) >= CLAUSE_WORDS and english >= CLAUSE_SHARE * len(words):
            return True
    return False


def accented(text: str) -> bool:
    """Latin letters with diacritics ("č", "ė", "ë"): a language's own spelling. English
    in disguise has none (ROT13; look-alikes of another alphabet are not Latin letters)."""
    return any(not ch.isascii() and ch.isalpha() and is_latin(ch) for ch in text)


def not_english_words(words: list[str]) -> bool:
    """Are most words rare or unknown in English ("glavobolju", "ukočen", "vrat")? English
    with typos keeps most of its words ("my nek is reely stif": "my", "is", "reely")."""
    rare = sum(1 for w in words if _zipf(w, "en") < RARE_IN_ENGLISH)
    return rare >= FOREIGN_SHARE * len(words)


UNKNOWN_IN_ENGLISH = 1.5  # zipf: "imekataa" 0, "mandem" 1.47; "muckle" 2.0, "lekker" 1.6
MIXED_WORDS = 3  # words of another language in an English message: enough to be unsure


def unknown_words(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """Words of four letters or more that no English list knows ("kabisa", "bukhar"), in
    text read as meant (typos mended, dialect read as standard English)."""
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in known
            and _zipf(w, "en") < UNKNOWN_IN_ENGLISH]


EVERYDAY_ELSEWHERE = 2.5  # zipf in that language: "dias" 5.8, "desisto" 3.6, "trapézio" 2.8
MORE_THAN_ENGLISH = 2.0  # ... and this much commoner there: "como" 6.8 / 3.2, not "sauna" 4.6 / 3.3
MIXED_IN = 2  # such words of one language, at least, before any is read as that language's


def words_of_one_language(words: list[str]) -> frozenset[str]:
    """Of ``words`` (an English question's), the everyday words of one other language,
    far commoner there than in English, when it has at least `MIXED_IN` of them ("quantos dias
    should I keep going before I desisto?"): the asker's first language showing through,
    not a subject the articles lack. One such word alone ("gua" of gua sha, "almofada") may
    be the name of a thing, and stays one."""
    from rag.wordlists import other_languages

    # The least each word needs in a language to be one of its everyday words there.
    least = {w: max(EVERYDAY_ELSEWHERE, _zipf(w, "en") + MORE_THAN_ENGLISH)
             for w in dict.fromkeys(words) if not any(c.isdigit() for c in w)}
    if len(least) < MIXED_IN:
        return frozenset()
    best: frozenset[str] = frozenset()
    for lang in other_languages():
        theirs = frozenset(w for w, bar in least.items() if _zipf(w, lang) >= bar)
        if len(theirs) >= MIXED_IN and len(theirs) > len(best):
            best = theirs
    return best


READABLE_SHARE = 0.4  # English, typos and slang included, keeps most of its common words
_VOWEL = re.compile(r"[aeiouyàáâãäåèéêëìíîïòóôõöùúûüýÿāēīōūǎěǐǒǔạẹịọụ]")
_RUN = re.compile(r"(.)\1\1")  # "aaaa", "zzz": keys held down, not a word


def unreadable(text: str, least: int = MIN_WORDS) -> bool:
    """Words, but few of them English: a language Knotbot has no name for (the identifier
    placed it nowhere, or took it for English). A message that would be refused as off-topic
    is then answered as one in another language: it may be telling of an emergency.
    Keyboard mash ("kjh aaaa zzz") is not words; English, with its typos, keeps most of its
    common words ("my nek is reely stif": "my", "is")."""
    text = latin_lookalikes(unicodedata.normalize("NFKC", text))
    # One-letter words say nothing: every list holds them ("m" is Igbo's "I", "a" English's).
    words = [w.lower() for w in _WORD.findall(text) if len(w) > 1]
    if len(words) < least:
        return False
    wordlike = sum(1 for w in words if _VOWEL.search(w) and not _RUN.search(w))
    if wordlike < 0.8 * len(words):
        return False
    common = sum(1 for w in words if _zipf(w, "en") >= COMMON_ENGLISH)
    return common < READABLE_SHARE * len(words)


@lru_cache(maxsize=1)
def _messages() -> dict[str, Any]:
    from rag.safety.lexicon import load_yaml

    return load_yaml("languages.yaml")


def language_name(lang: str) -> str:
    entry = _messages()["languages"].get(lang)
    return str(entry["name"]) if entry else "another language"


def foreign_message(lang: str) -> str:
    """"Knotbot reads only English" and the emergency signs: in the person's language
    where we have it, always followed by the English."""
    data = _messages()
    english = " ".join(str(data["english"]).split())
    if lang.startswith("mixed"):  # "mixed:es": half in Spanish, that language's words first
        mixed = " ".join(str(data["mixed"]).split())
        entry = data["languages"].get(lang.partition(":")[2])
        return f"{' '.join(str(entry['message']).split())}\n\n{mixed}" if entry else mixed
    entry = data["languages"].get(lang)
    return f"{' '.join(str(entry['message']).split())}\n\n{english}" if entry else english


def warm(identifier: bool = True) -> None:
    """Open the word lists (and load the identifier) once, so the first message is not
    slow."""
    if identifier:
        for sample in ("une question sur la nuque", "una pregunta sobre el cuello",
                       "uma pergunta sobre o pescoço", "isang tanong tungkol sa leeg"):
            language_of(sample)
    for lang in ("en", *LATIN):
        _zipf("neck", lang)
