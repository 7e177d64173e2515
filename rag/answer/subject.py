"""The thing a question asks about that the articles never discuss ("pillow", "kids").

`rag.coverage` declines terms rare in English ("naproxen"). Everyday nouns ("pillow",
"insurance", "swimming") are common words, so rarity cannot find them; what gives them
away is that the articles never use them, nor any word close in meaning. The words people
use to ask ("good", "best", "okay", "worth") are left out: they are never the subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.shape import unshaped
from rag.answer.wordclass import not_nouns
from rag.asked import ASKING, asked_text
from rag.coverage import Coverage, describes_asker, words_of
from rag.retrieval import stem_tokens
from rag.safety.normalise import DIALECT

FAR = 0.5  # a subject this unlike every article word may decline a question outright
# A word at least this many powers of ten commoner among the articles' words than in
# English is one of their own and ties a question to them (`Coverage.keyness`).
OWN_WORD = 0.9
# Read in context, a topic word ("knot") whose best matches among the articles' uses of it
# average under this is only loosely theirs: with a subject they never mention and none of
# their own words, the question is about something else ("a knot in a garden hose").
LOOSE_SENSE = 0.88
LOOSE_SENSE_FAR = 0.90  # the same, when what it asks about is unlike every article word
# ... or names a thing: a word rarer than this (Zipf) names one ("phrase", "thickness");
# a commoner one ("whole", "comes", "seem") is the frame of the question.
LOOSE_SENSE_THING = 0.90
THING_ZIPF = 4.5
SUBJECT_NEAR = 0.62  # cosine to the closest article word below this: not discussed
# Parts of the body (general anatomy). Those the articles never name are somewhere else
# than the knots they are about ("a knot in my calf").
BODY_PARTS = frozenset("""
calf calves thigh thighs hamstring hamstrings quad quads glute glutes buttock buttocks butt
hip hips knee knees ankle ankles foot feet toe toes shin shins heel heels leg legs groin
stomach belly abdomen tummy gut chest breast breasts rib ribs armpit elbow elbows forearm
forearms bicep biceps tricep triceps wrist wrists finger fingers thumb palm face eye eyes
ear ears nose jaw tongue scalp hair lip lips pelvis tailbone sole soles
neck shoulder shoulders back head arm arms hand hands skull spine throat
""".split())
MEDICINE = re.compile(r"\b(?:doses?|dosage|mg|milligrams?|pills?|tablets?|capsules?|painkillers?|"
                      r"pain ?killers?|medicines?|medications?|meds|drugs?|prescri\w*|"
                      r"over.the.counter|otc|anti.?inflammator\w*|relaxants?)\b"
                      # taking something so many times: a dose, whatever its name
                      r"|\btak(?:e|ing)\b[^.?!]{0,30}"
                      r"\b(?:once|twice|(?:\d+|two|three|four) times)\b",
                      re.IGNORECASE)
PHARMACIST = "pharmacist"
# Words that set what follows aside: "what can I do apart from taking painkillers?" asks
# for everything but the medicine.
_BESIDES = re.compile(r"\b(?:apart from|aside from|other than|besides|except(?: for)?|"
                      r"instead of|rather than|without)\s+(?:[a-z']+\s+){0,2}$", re.IGNORECASE)


_TAKE = re.compile(r"\b(?:take|takes|taking|took)\b", re.IGNORECASE)
NEAR_TAKE = 4  # words between "take" and a term for the term to be what is taken


def taken(question: str, terms: Sequence[str]) -> bool:
    """Is one of ``terms`` (words the articles never use) something the person takes,
    within a few words of "take" ("can I take X", "the most X I can take")? A medicine,
    a supplement: a pharmacist's question, whatever its name."""
    words = re.findall(r"[a-z]+", question.lower())
    named = {w for t in terms for w in re.findall(r"[a-z]+", t.lower())}
    at = [i for i, w in enumerate(words) if _TAKE.fullmatch(w)]
    return any(abs(i - j) <= NEAR_TAKE + 1 for i in at
               for j, w in enumerate(words) if w in named)


def asked_apart(question: str) -> bool:
    """Is something besides the medicine asked in a question of its own, joined on and not
    pointing back to it ("what's the most naproxen a day, and how long does a knot last?";
    not "does it help, and is it safe to drive on it?")?"""
    from rag.safety.lexicon import load_lexicon
    from rag.safety.scope import POINTS_BACK, asked_clauses

    topic = load_lexicon().scope_topic
    clauses = asked_clauses(question)
    return len(clauses) > 1 and not any(POINTS_BACK.search(c.lower()) for c in clauses[1:]) \
        and any(not MEDICINE.search(c) and topic.search(c.lower()) for c in clauses)


def besides_medicine(question: str) -> bool:
    """Does the question name medicines only to set them aside, or only tell of them
    ("I took one ibuprofen and it helped.") beside questions that name none ("can I use
    heat as well?")?"""
    from rag.safety.scope import asking_sentences, asks_of_its_own

    found = list(MEDICINE.finditer(question))
    if not found:
        return False
    if all(_BESIDES.search(question[: m.start()]) for m in found):
        return True
    asking = asking_sentences(question)
    told = [s for s in re.split(r"(?<=[.?!])\s+", question) if s.strip()]
    return asks_of_its_own(question) and len(asking) < len(told) \
        and not any(MEDICINE.search(s) for s in asking)


_ELONGATED = re.compile(r"([a-z])\1\1")  # "sooo", "pleeease": emphasis, not a subject
EVERYDAY = 5.5  # Zipf: words this common ("make", "little") are the question's frame
COMMON = 3.0  # Zipf: a word this common is a real word, not a typo of an article word
_SPLIT = re.compile(r"[^a-z]+")


_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def acronyms(question: str) -> frozenset[str]:
    """Words written in capitals ("TENS", "MRI") in a question that is not shouted: names,
    not forms of the everyday word they spell ("tens")."""
    letters = [c for c in question if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) * 2 > len(letters):
        return frozenset()
    return frozenset(m.group(0).lower() for m in _CAPITALS.finditer(question))


def absent_subjects(question: str, coverage: Coverage, skip: Sequence[str] = (),
                    near: float = 0.0, topic: frozenset[str] = frozenset()) -> list[str]:
    """The question's content words the articles never write nor come close to in
    meaning (typos and forms of article words are not absent; a word only the safety
    stage knows, "pregnant", is); ``skip`` are already named. A name in capitals is
    absent unless the articles write that very word: "TENS" is not a form of "ten", and
    no word of theirs is a paraphrase of it."""
    skipped = {w for t in skip for w in _SPLIT.split(t.lower()) if w}
    skipped |= coverage.askers_language(question)  # "como hago ...": the asker's own language
    caps = {w for w in acronyms(question) if w not in coverage.uses}
    words = [w for w in words_of(asked_text(question, topic))
             if w not in ASKING and w not in skipped and not _ELONGATED.search(w)
             and not describes_asker(question, w)
             and (w in caps or w not in not_nouns() or used_as_noun(question, w))
             and not coverage.dropped_g(w) and w not in DIALECT
             and (w in caps or not coverage.written(w))
             and coverage.frequency(w) < EVERYDAY
             and (w in caps or coverage.frequency(w) >= COMMON or not coverage.known(w))]
    if not words:
        return []
    closest = coverage.nearest(words)
    return [w for w in words if w in caps or closest[w][1] < (near or SUBJECT_NEAR)]


# Words after which only a noun (or its adjective) comes: articles and possessives, not
# "that" ("apps that remind you"), "her" ("made her seem") or "all" ("all alone").
_BEFORE_A_NOUN = frozenset("a an the my your his their our its".split())


def used_as_noun(question: str, word: str) -> bool:
    """Does the question use ``word`` as a noun, right after an article or a possessive?
    Then it is one, whatever `not_nouns` (a dictionary that lacks some
    nouns' readings: "abscess", "advert") says; "kindly" and "seem" never stand there."""
    words = re.findall(r"[a-z]+", question.lower())
    return any(w == word and i and words[i - 1] in _BEFORE_A_NOUN for i, w in enumerate(words))


def named(words: Sequence[str]) -> str:
    quoted = [f'"{w}"' for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def other_body_parts(question: str, coverage: Coverage, nouns: Sequence[str] = ()
                     ) -> list[str]:
    """Body parts the question names that the articles never mention, when it names none
    that they do ("a knot in my calf", not "my elbow into my shoulder"), nor only as what
    presses into one of ``nouns`` ("digs his elbow into my knot": the knot is elsewhere)."""
    parts = [w for w in words_of(question) if w in BODY_PARTS]
    if any(coverage.in_articles(w) for w in parts):
        return []
    return [w for w in parts if not coverage.in_articles(w)
            and not presses_into(question, w, nouns)]


_INTO = (r"\b{part}\s+(?:[a-z]+\s+)?(?:into|onto|against)\s+(?:(?:the|a|my|his|her|your|"
         r"this|that)\s+)?(?:[a-z]+\s+)?(?:{nouns})\b")


def presses_into(question: str, part: str, nouns: Sequence[str]) -> bool:
    """Is the body part ``part`` only what presses into the topic noun ("his elbow into
    my knot", "my knuckles right against the knot")? It is the tool, not the place."""
    if not nouns:
        return False
    q = " ".join(question.lower().split())
    into = _INTO.format(part=re.escape(part), nouns="|".join(map(re.escape, nouns)))
    uses = re.findall(r"\b" + re.escape(part) + r"\b", q)
    return bool(uses) and len(re.findall(into, q)) >= len(uses)


# "the neck of a bottle", "a guitar neck": a body part's name for part of a thing, read
# from the word before it or the phrase an "of" after it opens. (Not from the word after
# it: "my neck FAST", "so my neck doesn't" name no thing.)
_OF_A = re.compile(r"\s+of\s+(?:(?:a|an|the|this|that|my|your|his|her)\s+)?([a-z]+)")
_PREV = re.compile(r"([a-z]+)\s+$")


def of_a_thing(question: str, part: str, absent: Sequence[str]) -> bool:
    """Is every use of the body part ``part`` in the question the part of a thing the
    articles never mention ("the neck of a balloon", "my guitar neck")?
    Once a thing's part is named, a later "the neck" is that thing's too ("my guitar neck
    has a knot, will the neck warp?"); "my neck" never is."""
    q = " ".join(question.lower().split())
    uses = list(re.finditer(r"\b" + re.escape(part) + r"\b", q))
    seen = False
    for use in uses:
        before, after = _PREV.search(q[: use.start()]), q[use.end():]
        of = _OF_A.match(after)
        thing = (before is not None and before.group(1) in absent) or \
            (of is not None and of.group(1) in absent)
        again = seen and before is not None and before.group(1) == "the"
        if not (thing or again):
            return False
        seen = True
    return bool(uses)


def anchored(question: str, coverage: Coverage, topic: frozenset[str],
             absent: Sequence[str] = (), keyness: float | None = None) -> bool:
    """Does the question use a word the articles write besides their topic words (the
    words of their titles: "knot", "neck"), or name a part of the body they do? "knots in
    my dog's fur" does not: with a subject the articles never mention, nothing of it is
    theirs. "my neck is achy after a long drive" does: it is about a body; "a knot in the
    neck of a balloon" is not. A word the safety stage knows, or one that only shares its
    first letters with an article word ("interviews", "interfering"), is not theirs.
    With ``keyness``, only a body part or a word at least that `Coverage.keyness` (one of
    their own words, not "through" or "let") ties the question to them."""
    topical = {s for w in topic for s in stem_tokens(w)}  # "knotting" is the topic too
    return any(coverage.written(w) for w in words_of(question)
               if w not in ASKING and (w in BODY_PARTS or (
                   w not in topic and not topical & set(stem_tokens(w))))
               and not (w in BODY_PARTS and of_a_thing(question, w, absent))
               and (keyness is None or w in BODY_PARTS or coverage.keyness(w) >= keyness))


def broad(question: str, coverage: Coverage, topic: frozenset[str]) -> bool:
    """Asks about the topic as a whole ("how do I get rid of a knot?"): once the words of
    its shape are set aside, no article word but the topic's is left. A part of the body
    ("a shoulder knot", "my upper back") or an everyday word ("at home", "right now") says
    where or when, not which of the list's items is asked about."""
    rest = unshaped(question)
    place = {m.group(1) for m in _BEFORE_PART.finditer(rest)}  # "upper" of "upper back"
    return not any(coverage.in_articles(w) for w in words_of(rest)
                   if w not in ASKING and w not in topic and w not in BODY_PARTS
                   and w not in place and coverage.frequency(w) < EVERYDAY)


_BEFORE_PART = re.compile(r"\b([a-z]+)\s+(?=(?:" + "|".join(sorted(BODY_PARTS)) + r")\b)")


# "Besides posture and stress, what else...?": what follows is set aside, up to the
# punctuation or the question word that ends it.
_ASIDE = re.compile(r"\b(?:besides|apart from|aside from|other than|except(?: for)?)\s+"
                    r"((?:(?!what|which|how|is|are|do|does|can|could|should|would)[a-z'-]+\s*)"
                    r"{1,5})", re.IGNORECASE)


def set_aside(question: str, topic: frozenset[str]) -> frozenset[str]:
    """The stems of what the question sets aside ("besides posture and stress" ->
    posture, stress), but the topic's words and parts of the body (they tie every
    sentence to the question: "apart from the neck, where else?")."""
    words = [w for m in _ASIDE.finditer(question) for w in words_of(m.group(1))
             if w not in topic and w not in BODY_PARTS and w not in ASKING]
    return frozenset(s for w in words for s in stem_tokens(w))


PART = 4  # letters at least of each word a compound is made of ("head" + "ache")


def compound_parts(question: str, coverage: Coverage) -> frozenset[str]:
    """The stems of the article words that a word of the question is made of, joined to
    another English word ("headache": head + ache, "workstation": work + station): a
    sentence naming the part speaks to it ("referred pain ... such as the head"). A word
    that is only a form of its start ("stretching") is no compound."""
    out: set[str] = set()
    for word in words_of(question):
        own = stem_tokens(word)
        for i in range(PART, len(word) - PART + 1):
            first, rest = word[:i], word[i:]
            if first in coverage.uses and coverage.frequency(rest) >= COMMON \
                    and stem_tokens(first) != own:
                out.update(stem_tokens(first))
    return frozenset(out)
