"""Scope guard: is a question about neck/shoulder knots at all? Medicine doses are not."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from rag.safety.lexicon import Lexicon

Scope = Literal["in_scope", "out_of_scope", "medication", "gibberish", "not_for_us"]
# Where a message's parts meet: a sentence's end, a comma, a joining word.
_BREAK = re.compile(r"(?<=[?!.;:])\s+|,\s+|\s+(?:but|and|or|so|because|though)\s+",
                    re.IGNORECASE)
MIN_WORDS = 4  # a shorter part ("in simple words") matches by one shared word alone


def message_parts(text: str) -> list[str]:
    """The parts of four words or more of a message of several; [] for a single part."""
    parts = [p.strip() for p in _BREAK.split(text) if len(p.split()) >= MIN_WORDS]
    return parts if len(parts) > 1 else []


def is_gibberish(text: str, vocabulary: frozenset[str]) -> bool:
    """No reading of the text is mostly words (the normaliser joins its readings with
    " . ": "c4n i pr3ss" is gibberish as typed, not as read)."""
    return all(_gibberish(part, vocabulary) for part in text.split(" . "))


def _gibberish(text: str, vocabulary: frozenset[str]) -> bool:
    words = re.findall(r"[a-z]+", text)
    if not words:
        return True
    if not vocabulary:
        return False
    known = sum(1 for w in words if w in vocabulary or len(w) == 1)
    return known / len(words) < 0.5


_SENTENCES = re.compile(r"[^.?!]+[.?!]*")
_ASKS = re.compile(r"\?|\b(how|what|which|when|where|why|should|can|could|may|might|is it|is "
                   r"there|are there|do i|does|will|would|advise|tell me|recommend|suggest)\b")


def asking_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that ask something (a question mark or a question word)."""
    return [s for s in _SENTENCES.findall(text) if s.strip() and _ASKS.search(s.lower())]


POINTS_BACK = re.compile(r"\b(it|its|they|them|these|those|this|that)\b")


def asks_of_its_own(text: str) -> bool:
    """Some sentence asks, and none of the asking ones points back with a pronoun ("does
    it help?" may be about the medicine told before)."""
    asking = asking_sentences(text)
    return bool(asking) and not any(POINTS_BACK.search(s.lower()) for s in asking)


def medicine_asked(text: str, lex: Lexicon) -> bool:
    """Is a medicine's dose or use what the message asks? A medicine only told ("I took a
    single paracetamol yesterday and it helped.") beside questions that are each about
    the knot's self-care ("may I use heat as well?") is background, not the question."""
    if not lex.scope_medication.search(text):
        return False
    asking = asking_sentences(text)
    if not asks_of_its_own(text) or any(lex.scope_medication.search(s) for s in asking):
        return True
    return not all(lex.scope_topic.search(s) for s in asking)


# A second question joined on to the first ("..., also how long does it last?", "..., and
# what helps?"): general English, for the scope guard and the coverage check. Not "but",
# which mostly turns from a story to the question ("I've tied every knot, but where ...").
QUESTION_JOIN = re.compile(
    r",\s*(?:and\s+)?(?:also|plus)\s+(?=(?:how|what|which|when|where|why|should|can|could|is|"
    r"are|does|do|will|would|any)\b)|,\s*and\s+(?=(?:how|what|which|when|where|why|"
    r"should|can|could|is|are|does|do|will|would)\b)", re.IGNORECASE)


def asked_clauses(text: str) -> list[str]:
    """The asking sentences of ``text``, each split where a second question is joined on."""
    return [c for s in asking_sentences(text) for c in QUESTION_JOIN.split(s) if c.strip()]


def knot_asked_too(text: str, lex: Lexicon) -> bool:
    """Beside a medicine's dose, does another sentence ask about the knot itself, naming no
    medicine ("how many ibuprofen can I take? and how long does a knot last?")? That part
    is answered, and the medicine's part is said to be a pharmacist's."""
    clauses = asked_clauses(text)
    medicine = [bool(lex.scope_medication.search(c)) for c in clauses]
    # The medicine asked in a clause of its own, and the knot in another naming none.
    return any(medicine) and any(
        lex.scope_topic.search(c) and not asks_medicine and not POINTS_BACK.search(c)
        for c, asks_medicine in zip(clauses, medicine, strict=True))


def _knot_placed(text: str, lex: Lexicon) -> bool:
    """Is a knot placed in another body part ("knots in my calves", "a knot on his
    forehead", "knotted up in the lower back")?"""
    for m in _KNOT_AT.finditer(text):
        word = re.match(r"\w+ ", text[m.end():])  # "my lower back", "my left calf"
        part = lex.scope_other_body.match(text, m.end()) or (
            word and lex.scope_other_body.match(text, m.end() + word.end()))
        # Every knot is under the skin, and under the fingers that find it.
        if part and part.group(0) not in ("skin", "finger", "fingers", "thumb", "thumbs"):
            return True
    return False


# The hand's parts that press, besides "hands" (one list for the scope guard and triage).
HAND_PARTS = r"(?:thumbs?|fingers?|finger ?tips?|knuckles?|elbows?|fists?|palms?)"
# A hand's part told as what presses: "with my thumbs", "use your knuckles", "my fingers
# make / rub / press", "knuckles into the knot", "dig my thumb in" (not "rub my thumb": the
# thumb rubbed is the place).
_PRESSING_VERB = r"(?:dig|push|press|jab|stick|sink|grind|drive|shove|bury)\w*"
_TOOLS = re.compile(rf"\b(?:with|using|use|by)\s+(?:my|your|ur|his|her|the|a|both|two)?\s*"
                    rf"{HAND_PARTS}\b|\b{HAND_PARTS}\s+(?:should\s+|to\s+)?(?:make|move|do|go|press|rub|dig|work|"
                    rf"push|knead|squeeze|roll|on|into|against|onto)\b"
                    rf"|\b{_PRESSING_VERB}\s+(?:my|your|ur|his|her|their|the|a|both|two)\s+"
                    rf"{HAND_PARTS}\s+(?:in|into|onto|on|at|down|against)\b")


# Standing, told with the feet ("I'm on my feet all day"), a height or a distance told
# with a body part ("the screen at eye level", "at arm's length"), and the foot as a unit
# of length ("six foot tall", "2 feet from the screen", "5ft").
_STANDING = re.compile(r"\b(?:on|off|to) (?:my|your|his|her|their|our|me) feet\b"
                       r"|\b(?:eye|knee|waist|hip|chest|elbow)[- ]?(?:level|height|high)\b"
                       r"|\barm'?s[- ]length\b"
                       r"|(?:\b\d+(?:\.\d+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|"
                       r"ten|a few|a couple of|several)) ?(?:foot|feet|ft)\b")


# A way of lying told with the body's part lain on ("sleeping on your stomach", "lies on
# her belly to read"): how the person lay, not where it hurts.
_LYING = re.compile(r"\b(?:sleep\w*|slept|lie|lies|lying|lay|lays|laying|nap\w*|kip\w*|doze\w*|"
                    r"dozing|rest\w*|lyin|layin|sleepin)(?: \w+){0,2}? (?:on|onto) (?:my|your|ur|"
                    r"his|her|their|our|one's|the)? ?(?:stomach|belly|tummy|front|side|chest)\b")


# What tells of a complaint or of working on one: a body part named in a sentence with
# none of these, that asks nothing, is not where it hurts ("the top speeds rattle my teeth").
_COMPLAINT = re.compile(r"\b(?:knot\w*|pain\w*|sore\w*|ach\w*|hurt\w*|tight\w*|stiff\w*|"
                        r"tender\w*|throb\w*|cramp\w*|spasm\w*|injur\w*|strain\w*|pull\w*|"
                        r"swell\w*|swollen|lump\w*|numb\w*|tingl\w*|burn\w*|stab\w*|twing\w*|"
                        r"niggl\w*|kill\w*|agony|massag\w*|rub\w*|press\w*|stretch\w*|roll\w*|"
                        r"tweak\w*|crick\w*|lock\w*|sprain\w*|problem\w*|issue\w*|trouble\w*|"
                        r"bad|weak\w*|click\w*|crack\w*|pop\w*|bruis\w*|cut|break|broke\w*|"
                        r"tension|tense|bother\w*|flare\w*|murder\w*|on fire|wrong)\b")


def _told_only(sentence: str) -> bool:
    return not _ASKS.search(sentence.lower()) and not _COMPLAINT.search(sentence.lower())


def without_tools(text: str) -> str:
    """The text without the body's parts that are not where it hurts: the hand's parts
    told as what presses, the feet of standing, a height or a distance, the part lain on,
    and a sentence that neither asks nor complains of anything."""
    told = "".join(" " * len(s) if _told_only(s) else s for s in _SENTENCES.findall(text))
    return _LYING.sub(" ", _STANDING.sub(" ", _TOOLS.sub(" ", told)))


# A knot and where it is: "knot in my ...", "knotted up low in the ...".
_KNOT_AT = re.compile(r"\bknot(?:s|ted|ty)?\b(?: up)?[^.?!,]{0,20}?\b(?:in|on|at|near|by|under|"
                      r"behind|around|across|down|along|inside) (?:the |my |his |her |their |"
                      r"your |a |one |both |each )?")


def _plain_letters(text: str) -> str:
    """The text with accents taken off its letters ("macramé": macrame)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def scope_of(text: str, lex: Lexicon, vocabulary: frozenset[str]) -> Scope:
    """Lexical scope of one normalised question (the semantic layer may widen it)."""
    if medicine_asked(text, lex):
        return "medication"
    if is_gibberish(text, vocabulary):
        return "gibberish"
    if lex.scope_not_for_us.search(text):
        return "not_for_us"
    if lex.scope_other_knots.search(_plain_letters(text)) and not lex.scope_body.search(text):
        return "not_for_us"  # a bowline, a necklace chain: another kind of knot
    if lex.scope_topic.search(text):
        # Another body part, with nothing of the neck and shoulders: and a knot there too
        # ("a knot in my lower back near the hip") is that part's knot.
        # The hand's parts that press ("what motion should my fingers make?") are the
        # tool, not the place, unless a knot is placed in them ("a knot in my thumb").
        other = lex.scope_other_body.search(without_tools(text)) or (
            _TOOLS.search(text) and _knot_placed(text, lex) and lex.scope_other_body.search(text))
        ours = re.search(r"\b(neck|shoulders?|trap\w*|upper back|shoulder ?blades?)\b", text)
        knot = re.search(r"\bknots?\b", text)
        body_only = other and not ours and (not knot or _knot_placed(text, lex))
        return "out_of_scope" if body_only else "in_scope"
    return "out_of_scope"
