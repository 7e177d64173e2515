"""The rule layer: which red-flag concepts a normalised text mentions, and so which classes.

A concept counts when a pattern matches and no negation cue ("no", "not", "without"...)
directly governs it. Concepts a class marks `past_ok` are also cancelled by a clear
past-time phrase in their own clause ("years ago, fully recovered"), unless a recent one
stands there too ("yesterday").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rag.safety.lexicon import Lexicon, RedFlagClass
from rag.safety.prefilter import Gated

# Where a negation stops reaching: punctuation, quotes, contrast words, and a fresh
# affirmation ("no warnings" I have a fever: the fever is not negated).
_CLAUSE_BREAK = re.compile(
    r"[.;!?,:\"()]|\b(but|however|though|although|yet|except|and|then|now)\b"
    r"|\bi (have|am|got|feel|felt|had)\b|\b(he|she|they) (has|have|is|are|had)\b"
)
# Where a past-time phrase reaches: the injury's own clause.
_PAST_SCOPE = re.compile(r"[.;!?,\n]|\b(but|however|although|though|yet|and|then|now)\b")
# A time told as recent; not "since" ending a clause ("no trouble since": since then).
_RECENT = re.compile(
    r"\b(today|tonight|yesterday|last night|just now|just|earlier|this (morning|afternoon|"
    r"evening|week)|(an|one|two|few|\d+) (hour|hours|minutes|days) ago|on (monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|since(?!\s*($|[.,;!?])))\b")
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
    "kind type sort or nor history problem problems trouble troubles issue issues with in "
    "actually literally truly even"
    # ... and what one is on or takes: "not on any blood thinners", "not taking warfarin".
    " on taking take takes using"
    # ... or anything that does it: "not on anything that thins the blood" ("that" and
    # "which" only after "anything": `_negation_gap`).
    " anything"
    .split())
NEGATION_REACH = 4  # filler words a negation may reach across


# Concepts that only qualify a sign (how long, how sudden, how bad), not signs themselves.
_QUALIFIERS = frozenset({"long_duration", "sudden_onset", "ongoing", "severe_worst", "stiff_any",
                         "no_better", "head_pain", "today", "gone_now"})


@dataclass(frozen=True)
class Flag:
    cls: RedFlagClass
    concepts: tuple[str, ...]  # which concepts fired: the explanation of the flag
    level: str = ""  # the class's level, or "emergency" where `emergency_when` holds


def _clause_before(text: str, start: int) -> str:
    head = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end() :] if breaks else head


def _around(text: str, start: int, end: int, breaks: re.Pattern[str]) -> str:
    left = max((m.end() for m in breaks.finditer(text, 0, start)), default=0)
    right = breaks.search(text, end)
    return text[left : right.start() if right else len(text)]


def sentence_at(text: str, at: int) -> str:
    """The sentence of ``text`` that holds position ``at``."""
    return _around(text, at, at, _FULL_END)


# Words that make a list item said, not denied ("no fever, just a stiff neck or ...").
_AFFIRMING = re.compile(r"\b(just|only|still|but|really|very|quite|so|bad|badly|a|an|some|got|"
                        r"have|has|had|am|is|are|was|were|now|also|plus|and|then|yes)\b")
# A list item's own stretch of words: "no numbness, tingling or weakness".
_ITEM_WORDS = 4


def _list_head_negated(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Is the mention an item of a comma list that a negation opens and "or"/"nor" closes
    ("no numbness, tingling or weakness in either arm")? A list closed by "and" ("no
    fever, a stiff neck and a rash") is left alone: it may list what the person has."""
    closing = re.match(r"[^.;!?:]{0,40}?\b(or|nor)\b", text[end:])
    before = text[:start]
    if not closing and not re.search(r"\b(or|nor)\s+(\w+\s+){0,2}$", before):
        return False
    pieces = before.split(",")
    pieces = [pieces[-1].replace(" or ", " ").replace(" nor ", " "), *pieces[-2::-1]][:_ITEM_WORDS]
    for piece in pieces:
        tail = _clause_before(piece, len(piece))
        cue = lex.negation.search(tail)
        if tail != piece and not cue:
            return False  # "no fever, but a stiff neck, ...": the list starts after "but"
        piece = tail
        items = piece[cue.end():] if cue else piece
        if len(items.split()) > _ITEM_WORDS or _AFFIRMING.search(items) \
                or re.search(r"[.;!?:]", items):
            return False
        if cue:
            return True
    return False


# A sign asked as a question and answered no, as in a checklist: "numbness? nope.", "any
# fever? none at all".
_NO_ANSWER = (r"(none at all|not at all|nope|nah|naw|none|not really|never|negative|nil|zero|"
              r"n/a|no)\b"
              r"(?![ -]*(idea|clue|joke|kidding|one|body|doctor|matter|way|wonder|reason|longer|"
              r"more|less|better|change|different|easier|worse|end)\b)")
# The answer ends its sentence or clause ("nope.", "none at all,"), as an answer does; not
# "ok?? no lectures".
_ENDS = r"(?=\s*([.,;!]|$))"
_ANSWERED_NO = re.compile(r"( [\w']+){0,3}\s*\?+\s*" + _NO_ANSWER + _ENDS)
# The answer alone, as the sentence after the question.
ANSWERED_NO = re.compile(r"\s*" + _NO_ANSWER + _ENDS)


def _negation_gap(words: list[str]) -> list[str]:
    """The words between a negation and a sign, with "that" or "which" right after
    "anything" dropped ("not on anything that thins the blood"); elsewhere they stay and
    stop the negation ("never been that numb", "no, that tingling is still there")."""
    return [w for i, w in enumerate(words)
            if not (w in ("that", "which") and i and words[i - 1] == "anything")]


def negated(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Is the mention at text[start:end] directly governed by a negation?

    Only a cue right before it counts ("no fever", "do not have any numbness"), or one
    that opens a list ("no numbness or tingling"); anything looser fails towards
    flagging, the safe side.
    """
    clause = _NOT_NEGATING.sub(" ", _clause_before(text, start))
    cues = list(lex.negation.finditer(clause))
    if lex.negation.search(text[start:end]):
        # The sign is itself told as a negation ("neither pill touches it"), unless a cue
        # stands right before it and the one inside denies the next item of a list ("no
        # wound, no bruise, only a knot").
        right_before = bool(cues) and not clause[cues[-1].end():].strip(" ,")
        if not right_before:
            return False
    if _ANSWERED_NO.match(text, end):
        return True  # asked and answered: "tingling? nope", "fever? none"
    if not cues:
        return _list_head_negated(text, start, end, lex)
    cue = cues[-1]
    between = _negation_gap(clause[cue.end() :].split())
    in_a_list = ("or" in between or "nor" in between) and len(between) <= 2 * NEGATION_REACH
    if not in_a_list and (len(between) > NEGATION_REACH or any(w not in _FILLER for w in between)):
        return False
    word = cue.group(0).split()[0]
    if word == "without" and lex.negation.search(clause[: cue.start()]):
        return False  # "cannot turn my head without my arm tingling": it does tingle
    if word == "never" and _EMPHATIC.search(text[end : end + 60]):
        return False  # "never had chest pain like this before": emphasis, not denial
    return True


# A verb that goes on with the clause's own subject after "and" ("i fell and broke my
# wrist years ago"): the time said at its end is the whole event's.
_AND_SAME_EVENT = re.compile(r"\s*and\s+(\w+ed|fell|broke|hit|got|went|came|took|cracked|"
                             r"smashed|bust|tore|split|landed|spent|had|needed|ended up)\b")


ASIDE_WORDS = 3  # a clause this short after a comma, with no verb of its own: an aside


def _aside_of(text: str, start: int, end: int) -> str | None:
    """The clause a short aside after a comma belongs to ("a car accident back in 1989,
    whiplash, fully recovered": "whiplash" is that accident's), else None."""
    breaks = list(_PAST_SCOPE.finditer(text, 0, start))
    if not breaks or breaks[-1].group(0) != ",":
        return None
    if len(_around(text, start, end, _PAST_SCOPE).split()) > ASIDE_WORDS:
        return None
    comma = breaks[-1].start()
    return _around(text, comma, comma, _PAST_SCOPE)


def in_past(text: str, start: int, end: int, lex: Lexicon, told: str = "") -> bool:
    """Is the mention at text[start:end] told as past? ``told``: the text before any
    blanking, of the same length ("it all healed fine" is blanked as a figure)."""
    clause = _around(text, start, end, _PAST_SCOPE)
    if not lex.past.search(clause):
        right = _PAST_SCOPE.search(text, end)
        same = right and _AND_SAME_EVENT.match(text, right.start())
        aside = _aside_of(text, start, end)
        if same:
            clause = _around(text, same.end(), same.end(), _PAST_SCOPE)
        elif aside is not None and lex.past.search(aside):
            clause = aside
        else:
            return _told_when_first(text, start, end, lex)
    when = lex.past.search(clause)
    if not when or _RECENT.search(clause) or _THAN.search(clause, 0, when.start()):
        return False  # ... nor a time compared with ("bigger than it was a month ago")
    if _NOW_IN.search(text, start, end):
        return False  # the mention itself tells it as now ("a lump ... bigger now")
    stop = _sentence_stop(text, end)
    if _HURT_SINCE.search(text, end, stop):
        return False
    # Weeks or months ago (not years), told as going on in the same sentence, with nothing
    # told as healed: "fell off a ladder 2 months ago and my neck is killing me", "pins and
    # needles three months ago and it's still there", "a lump ... and it's bigger now".
    return not (_WEEKS_OR_MONTHS.search(when.group(0))
                and (_PAIN_NOW.search(text, end, stop) or _GOES_ON.search(text, start, stop))
                and not _HEALED.search(told or text, start, stop))


_THAN = re.compile(r"\bthan( (it|they|he|she|i) (was|were|did|had|looked))?\s*$")
_WEEKS_OR_MONTHS = re.compile(r"\b(weeks?|months?|fortnight)\b")
_NOW_IN = re.compile(r"\b(now|still|today|currently)\b")
_GOES_ON = re.compile(
    r"\bstill\b(?! (fine|ok|okay|good|better|grand|healed|clear|gone|well|normal|no|not|"
    r"never)\b)|\b(ever since|since then)\b|\b(bigger|larger|worse|growing|spreading|back) "
    r"now\b|\bnow (bigger|larger|worse)\b"
    # Growth since then is growth now ("appeared a month ago and has got a bit bigger").
    r"|(?<!not )(?<!never )\b(got|gotten|getting|grown|grew|grows)( (?!any\b)\w+){0,2}? "
    r"(bigger|larger)\b|\b(has|have|is|are|keeps?|been)( (?!not\b|never\b)\w+)? (growing|grown)\b")
_PAIN_NOW = re.compile(
    r"\b(is|are|has been|have been|keeps?|still|now)\b(?! (no|not|never|fine|ok|okay|better|"
    r"grand|healed|good)\b)[^.!?]{0,30}?\b(killing|painful|sore|hurt\w*|agony|aching|achy|"
    r"throbbing|pain|bad|worse)\b")
_HEALED = re.compile(r"\b(healed|recovered|cleared|fine|better|resolved|sorted|all good|no "
                     r"(bother|problems?|issues?|pain))\b")


# The past event's pain told as going on since ("crashed three months ago and my neck has
# been sore ever since", "... and it still hurts"): the sign is not over.
_HURT_SINCE = re.compile(
    r"(?<!no )(?<!any )(?<!without )(?<!not been )(?<!never been )\b(hurt\w*|sore|pain\w*|"
    r"ach\w*|stiff\w*|tender|bother\w*|killing (me|him|her))\b[^.!?]{0,25}?\b(ever since|since "
    r"then|since (that|it happened|the (fall|crash|accident|injury|collision|match|game|"
    r"incident|tackle|knock|bump|smash)))\b|\b(has not|hasn't|have not|haven't|never|not) "
    r"been (right|the same)( \w+){0,2} since\b|\bstill\b( \w+){0,2}? (hurt\w*|sore|painful|"
    r"aching|achy|stiff|tender|killing (me|him|her)|not right)\b")


def _sentence_stop(text: str, at: int) -> int:
    """The end of the sentence after ``at`` and of the one after it: what a past event
    goes on to is often told next ("Fell two months ago. Still sore.")."""
    closing = _FULL_END.search(text, at)
    if closing is None:
        return len(text)
    following = _FULL_END.search(text, closing.end())
    return following.start() if following else len(text)


# Words a time may come after and still open the sentence: "Way back in 2016, ...".
_OPENER = re.compile(r"\W*((back|way|so|well|oh|and|also|like|about|ok|okay|right|um|erm)\W+)*")
# ... and nothing told as now after it, in words of time or in the present tense ("years
# ago I had surgery and my arm is numb": the numbness is now).
_NOW_AFTER = re.compile(r"\b(now|today|tonight|still|again|since|currently|is|are|am|has|have|"
                        r"keeps?|gets?|goes|feels?|cannot|will not|does not|do not)\b")


def _told_when_first(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Is the sentence of text[start:end] opened by a past time ("Years ago, in 2016, I
    had a crash"; "Back in the nineties I fell off a roof"), with nothing recent or of
    now between it and the mention?"""
    opening = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    when = lex.past.search(text, opening, start)
    if not when or not _OPENER.fullmatch(text, opening, when.start()):
        return False
    closing = _SENTENCE_END.search(text, end)
    stop = closing.start() if closing else len(text)
    return not _RECENT.search(text, opening, stop) and not _NOW_AFTER.search(text, when.end(), stop)


# Someone else's event. A clause told of a stranger or an animal ("a patient fainted",
# "one girl took a fall", "the cat fell"; not "it", mostly the knot or the neck), or of
# something watched, read or heard about ("watched the boxing", "read about people
# who...", "saw a crash on the motorway"), is not the writer's sign, as long as the
# clause names nobody the writer could be asking for (me, us, him, her, them...:
# "watched my son fall", "a player tackled him").
_STRANGER = re.compile(
    r"^\s*(in (the|a|this|that|my) (\w+ )?(game|match|film|movie|show|series|episode|book|"
    r"novel|cartoon|stream|video) )?((a|an|one|the|this|that|some|another|other) "
    # Not "one of my players": the writer's own people are whom they ask for.
    r"((?!(my|our|his|her|their|your)\b)\w+ ){0,2}?"
    r"(patients?|girls?|boys?|man|"
    r"men|woman|women|guy|guys|bloke|lady|ladies|players?|fighters?|boxers?|skaters?|drivers?|"
    r"riders?|cyclists?|kids?|child|children|person|stranger|customers?|clients?|passengers?|"
    r"pedestrians?|runners?|skiers?|climbers?|footballers?|wingers?|strikers?|keepers?|"
    r"goalkeepers?|jockeys?|wrestlers?|referees?|divers?|gymnasts?|athletes?|swimmers?|"
    r"opponents?|characters?|avatars?|sims?|toons?|champions?|heroe?s?|teammates?|cat|dog|"
    r"horse|"
    r"residents?|visitors?|actors?|contestants?|competitors?|pupils?|students?|classmates?|"
    r"colleagues?|co-?workers?|workmates?|neighbou?rs?|guests?|bride|groom|lads?|fellas?|"
    r"spectators?|fans?|staff|workers?|builders?|nurses?|"
    r"audience|crowd|people|folks?)|people|someone|somebody|everyone|"
    r"everybody|nobody)\b"
    # ... "of mine" is part of who they are ("a colleague of mine"), not the writer's part.
    r"( of (mine|ours|my \w+|our \w+))?")
_EYE_PUPIL = re.compile(r"\bpupils?\s*$")
_EYE = re.compile(r"\b(eyes?|eyelids?|eye lids?|lids?|vision|sight)\b")
# One's own character in a game is not one's body: read "my avatar" as "an avatar".
# "Me dog", "me cat": the writer's animal, said as many people say "my" (same length).
_ME_ANIMAL = re.compile(r"\bme(?= (dogs?|cats?|horses?|pup|puppy|kitten|pony|cow|cows|ewes?|"
                        r"sheep|goats?|bird|parrot|rabbit)\b)")
_GAME_SELF = re.compile(r"\bmy(?= (character|avatar|sim|toon|champion|hero)s?\b)")
# A clause whose subject is an animal or a thing, with any determiner or none ("the remote
# has gone numb", "my phone fell down the drain", "our ram collapsed", "the river is
# swollen"): not a person's sign, unless it lands on someone ("the shelf fell on my head",
# "a box hit the back of the neck"). Vehicles are left out on purpose: a car that crashed
# may have had the writer in it.
_NOT_A_NOUN = (r"(?!(like|as|i|me|he|she|it|we|they|you|who|that|which|can|cannot|could|not|no|"
               r"is|was|are|were|be|been|have|has|had|do|does|did|got|get|put|and|or|but|so|"
               r"then|my|his|her|their|our|ear|eye|heart|from|of|in|on|at|by|with|for|to|into|"
               r"onto|under|over|behind|near|off|up|down|through|round|around)\b)[a-z'-]+ ")
_NOT_HUMAN = re.compile(
    r"^\s*((?P<det>(the|my|a|an|our|his|her|their|your|this|that|some|one of (the|my|our)) "
    rf"({_NOT_A_NOUN}){{0,2}}?)|{_NOT_A_NOUN})?(cats?|dogs?|pupp(y|ies)|"
    r"pups?|kittens?|horses?|pon(y|ies)|rams?|ewes?|sheep|"
    r"lambs?|cows?|bulls?|goats?|pigs?|hens?|chickens?|birds?|budgies?|parrots?|hamsters?|"
    r"rabbits?|bunn(y|ies)|collies?|labs?|labradors?|spaniels?|terriers?|retrievers?|mares?|foals?|"
    r"donkeys?|geese|goose|goldfish|tortoises?|ferrets?|mice|rats?|"
    r"remote controls?|remotes?|controllers?|phones?|mobiles?|laptops?|computers?|"
    r"ipads?|tvs?|telly|television|screens?|monitors?|keyboards?|printers?|routers?|chargers?|"
    r"cameras?|speakers?|batter(y|ies)|vases?|cups?|mugs?|glass(es)?|plates?|bowls?|bottles?|"
    r"jars?|pots?|pans?|kettles?|buckets?|box(es)?|bags?|baskets?|lamps?|clocks?|mirrors?|"
    r"pictures?|frames?|shel(f|ves)|cupboards?|drawers?|curtains?|tables?|desks?|sofas?|"
    r"couch(es)?|mattress(es)?|pillows?|cushions?|blankets?|taps?|sinks?|fridges?|freezers?|"
    r"ovens?|washing machines?|dishwashers?|hoovers?|vacuums?|irons?|fans?|heaters?|"
    r"radiators?|boilers?|ladders?|trees?|branch(es)?|fences?|gates?|roofs?|tiles?|bricks?|"
    r"plants?|tents?|umbrellas?|books?|toys?|balloons?|cakes?|souffles?|towers?|stacks?|"
    r"canals?|ponds?|reservoirs?|dams?|seas?|oceans?|brooks?|puddles?|torch(es)?|flashlights?|"
    r"buttons?|switch(es)?|doors?|windows?|keys?|"
    r"piles?|skittles|bins?|trolleys?|rivers?|streams?|creeks?|lakes?|tides?|markets?|"
    r"stocks?|shares|prices|apps?|games?|websites?|servers?|wifi|internet|signal|"
    r"cymbals?|violins?|guitars?|instruments?|statues?|ornaments?|hoists?|lifts?|machines?|"
    r"engines?|pumps?|generators?)\b")
# Without a determiner the word may be a verb ("box at the gym", "duck dived"): a thing only
# when a verb of its own follows ("river's swollen", "tractor broke down").
_THING_VERB = re.compile(r"^('s|s|is|was|has|had|have|keeps?|kept|got|went|fell|broke|just|"
                         r"died|stopped|collapsed|crashed|froze|gone|blew|burst|snapped|"
                         r"tipped|toppled|smashed|flooded)\b")
# Said of a thing that stops working, "on me" is no one's body: "the remote's gone numb on me".
_ON_ME = re.compile(r"\b(gone|went|go|going|died|dying|quit|packed (up|in)|given up|gave up|"
                    r"broke|broken|stopped|conked out|crashed|froze|frozen|numb|dead) "
                    r"(\w+ )?on (me|us)\b")
# What makes a thing's or an animal's event someone's: it lands on a person or on a head,
# neck or back ("fell on me", "hit the back of the head", "knocked my nan over").
_STRUCK = re.compile(r"\b(me|us|him|her|them|myself|himself|herself|themselves|head|neck|"
                     r"skull|face|spine|back|shoulders?|temple|eyes?|ears?|throat|chest|"
                     r"(my|his|our|their|your) (\w+ )?"
                     r"(mum|mom|mother|dad|father|son|daughter|husband|wife|partner|baby|kid|"
                     r"child|boy|girl|nan|nana|gran|granny|grandma|grandad|grandpa|brother|"
                     r"sister|friend|mate|toddler))\b")
# ... but not its own body: "my dog has a stiff neck", "the cat's got a sore back".
_OWN_BODY = re.compile(r"\b(has|have|had|got|gets)( got)? (a |an |its |his |her |the )?"
                       r"((?!(my|me|our|your|us)\b)\w+ ){0,2}?(head|neck|skull|face|spine|back|"
                       r"shoulders?|eyes?|ears?|throat|chest)\b")
_WITNESSED = re.compile(
    r"^\s*(i |we )?(just |once |recently |also )?(watched|watching|witnessed|witnessing|"
    r"(read|reading|heard|hearing|seen|saw) (about|an article|a story|a post|on the news|"
    r"on the telly|on tv|online)|saw (\w+ ){1,4}on (the )?(news|tv|telly|internet|road|"
    r"motorway|highway|freeway|street|m\d+|a\d+|i-\d+))\b")
# A sight told after it: "two cars crashed at the lights while I was watching".
_WATCHING = re.compile(r"\b(while|as|when|whilst) (i|we) (was|were) (just |only )?(watching|"
                       r"looking on|spectating|filming|standing (by|on|at|there)|on the (bank|"
                       r"sidelines?|touchline|terraces))\b")
# "Saw a crash ... was not involved": a sight the writer says they were not part of.
_SAW = re.compile(r"^\s*(i |we )?(just )?(saw|seen|watched|witnessed) (a|an|the|some|two)\b")
_NOT_INVOLVED = re.compile(r"\b(not|never) (involved|inside|in it|in the (car|crash|accident|"
                           r"collision))\b")
_INVOLVED = re.compile(r"\b(i|me|my|mine|myself|we|us|our|he|him|his|she|her|hers|they|them|"
                       r"their|you|your)\b")
# Emoji end a clause in chat as a full stop does ("flinched at every tackle 😂 my ...").
_OTHERS_SCOPE = re.compile(r"[.;!?,\n\u2600-\u27bf\U0001f000-\U0001faff]|\b(but|however|"
                           r"although|though|yet|and|then|now|so|because)\b")


# A clause that goes on with the same subject ("my avatar got shot and fell off a
# bridge"): it starts with a verb, not with a new subject.
_SAME_SUBJECT = re.compile(r"^\s*(\w+ed|fell|got|went|hit|broke|keeps?|kept|started|was|is|"
                           r"has|had|came|took|then)\b")


# Someone else's trouble told as happening now ("the resident in room 4 has a high
# temperature", "a customer collapsed and is not breathing"): the writer is with them, and
# the sign counts. Only a past event of theirs, or one watched, is set aside.
_NOW_TOLD = re.compile(r"^\W*(\w+\W+){0,3}?(is|are|has|have|can't|cannot|can not|won't|"
                       r"will not|isn't|aren't|keeps?|keep on|said|says|told|tells|complain\w*|"
                       r"report\w*|mention\w*)\b|\b(now|still|currently|"
                       r"right now|at the moment)\b")


# The thing of the clause before, carried on by "it" ("... knocked my vase off the shelf
# and it fell and smashed"); who it lands on still counts ("and it hit my head").
_SAME_THING = re.compile(r"^\s*(it|they)\b")


def blank_others(text: str) -> str:
    """``text`` with the clauses that tell someone else's event blanked (length kept)."""
    out, start = [], 0
    text = _ME_ANIMAL.sub("my", _GAME_SELF.sub("an", text))
    saw_only = bool(_NOT_INVOLVED.search(text))
    carried = False  # the last clause was blanked and "and"/"then" may carry its subject on
    carried_thing = False  # ... and it was a thing's: "knocked the vase over and it smashed"
    for m in [*_OTHERS_SCOPE.finditer(text), None]:
        end = m.start() if m else len(text)
        clause = text[start:end]
        watching = _WATCHING.search(clause)
        # Watched, and nobody named before the watching: "and" after it carries on the
        # watcher ("... while I was watching and slipped"), not the sight.
        watched = watching is not None and not _INVOLVED.search(clause[: watching.start()])
        subject = _STRANGER.match(clause)
        if subject and _EYE_PUPIL.search(subject.group(0)) and _EYE.search(text):
            subject = None  # the pupil of an eye, not a school's ("her eye ... the pupil's")
        person = subject or (carried and not carried_thing and _SAME_SUBJECT.match(clause))
        if person and _NOW_TOLD.search(clause[person.end() if subject else person.start():]):
            person = None
        frame = person or _WITNESSED.match(clause) or (saw_only and _SAW.match(clause)) \
            or (carried_thing and _SAME_THING.match(clause))
        thing = None if frame else _NOT_HUMAN.match(clause)
        blank = False
        # ... unless the sentence goes on with that person's body ("one of the boys got
        # smashed in a tackle and his neck's been sore since"): the writer asks for them.
        goes_on = _FULL_END.search(text, end)
        theirs = person and _THEIR_BODY.search(text, end, goes_on.start() if goes_on else len(text))
        if watched or (frame and not theirs and not _INVOLVED.search(clause[frame.end():])):
            blank = True
        elif thing and (thing.group("det") or _THING_VERB.match(clause[thing.end():].lstrip())) \
                and not _STRUCK.search(_OWN_BODY.sub(" ", _ON_ME.sub(" ", clause[thing.end():]))):
            blank = True
        out.append(" " * len(clause) if blank else clause)
        carried = blank and not watched and m is not None \
            and m.group(0).strip() in ("and", "then")
        carried_thing = carried and thing is not None
        if m:
            out.append(m.group(0))
            start = m.end()
    return "".join(out)


# Someone else, told as the background of the writer's own knot: "my mate had a heart
# attack last year, he is grand now. me, i am just sat all night with a knotty shoulder";
# "a student fainted in class last week (she is fine now)"; "my friend's mum has cancer,
# and now my shoulders are tight". Someone close, or someone the writer met ...
_PEOPLE = (r"(mum|mom|mother|dad|father|son|daughter|husband|wife|partner|boyfriend|"
           r"girlfriend|kid|child|boy|girl|nan|nana|gran|granny|grandma|grandad|grandpa|"
           r"grandson|granddaughter|grandchild|brother|sister|friend|mate|pal|colleague|workmate|"
           r"co-?worker|boss|neighbou?r|uncle|aunt|auntie|cousin|flatmate|housemate|client|"
           r"student|pupil|patient|customer|passenger|resident|teammate|classmate|player|guest|"
           r"lodger|tenant|niece|nephew|in-law|mother-in-law|father-in-law|buddy|buddie|"
           r"bestie|bff|bro|fianc[eé]e?|roommate|teacher|coach|pastor|manager|employer|"
           r"relative)s?")
_CLOSE_ONE = re.compile(
    rf"\b((my|mi|me|our|his|her|their) ((\w+'s|\w+s') )?(\w+ ){{0,2}}?{_PEOPLE}|"
    rf"(a|an|the|one of (my|our|the)) (\w+ ){{0,2}}?{_PEOPLE}|"
    # ... or named as people talk of them, with no "my": "mum had a fall", "mate got knocked off".
    r"(mum|mom|mam|dad|mate|nan|nana|gran|granny|grandma|grandad|grandpa|bro|sis|hubby|"
    r"wifey|missus|the missus|the wife|the husband))\b")
# ... whose trouble is told as over, or as not the writer's ...
_THEIRS_OVER = re.compile(
    r"\b((he|she|they|who)( is| are|'s|'re| was| were| has been| have been| got| seems)?|"
    r"hes|shes|theyre) ((?!not|never|no|hardly|barely|far|anything)\w+ )?"
    r"(fine|ok|okay|grand|better|recovered|mended|healed|all clear|alright|all right|"
    r"doing (well|great|good|fine|brilliantly)|good|great|well|healthy|fit|fighting fit|thriving|"
    r"back to normal|back to (his|her|their) (old )?(self|selves)|on the mend|right as rain)\b|"
    r"\b(all|fully) (mended|healed|recovered|better)\b|\bbenign\b|"
    r"\b(recovered|healed|mended) (fully|completely|totally|well|fine)\b|"
    # ... or a person who has died: "god rest her", "may he rest in peace", "she passed away".
    r"\b(god|lord) rest (him|her|them|(his|her|their) souls?)\b|\brest in peace\b|"
    r"\b(he|she|they) (has |have )?(since )?(passed away|passed on|died)\b")
# ... or as not the writer's, of something that is not happening to them now ("my son has a
# fever and a stiff neck, not me" is the son's sign, today) ...
_NOT_ME = re.compile(r"\bnot me\b|\bi (have )?never had (it|that|one)\b")
_PRESENT = re.compile(r"\b(has|have|is|are|gets|get|keeps|can ?not|cannot|will not|does|feels|"
                      r"looks|seems|says)\b")
_LATE = re.compile(r"\b(my|our|his|her|their) (dear |beloved )?late\b")
# ... or as long past (not "an hour ago", not "this morning": a recent event may still need
# care), or as an illness they live with ("has cancer", "is having chemo") ...
_THEIRS_PAST = re.compile(
    r"\b(last (week|month|year|summer|winter|spring|autumn|fall|christmas|season|term)|"
    r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty|"
    r"several|a few|few|a couple of|couple of|many) "
    r"(weeks|months|years|decades|week|month|year|decade) (ago|back|before)|years ago|"
    r"back in \d{4}|"
    r"in (19|20)\d\d|as a (kid|child|baby|teenager))\b")
_THEIR_ILLNESS = re.compile(
    r"\b(has|had|have|got|with|is having|was having|having|is on|had to have|"
    r"(is|was|been) (being )?(treated|diagnosed) (for|with)|diagnosed (for|with)|treated for)"
    r"\b(\s+\w+){0,2}\s+"
    r"(cancer|tumou?r|lymphoma|leuka?emia|melanoma|chemo\w*|radiotherapy|"
    r"dementia|alzheimer'?s|parkinson'?s|ms|multiple sclerosis|diabetes|arthritis)\b")
# ... with nothing in that clause that happens now, ...
_NOW = re.compile(r"\b(now|today|tonight|this (morning|afternoon|evening)|just|again|still|"
                  r"currently|at the moment|right now|keeps?|since|started|starting)\b")
# ... while the writer's own complaint is a knot, and nothing is said of their body (not
# "i know what i am doing. now he has neck pain": that neck is his).
_MINE = re.compile(r"\b(me|i|i am|i have|my own|mi own|myself)\b"
                   r"(\W+(?!(he|she|they|his|their)\b)\w+){0,8}?\W+(knot|knots|"
                   r"knotted|knotty|shoulders?|traps?|trapezius|neck)\b|"
                   r"\b(my|mi) ((?!friend|mate|pal)\w+ ){0,2}"
                   r"(knot|knots|shoulders?|traps?|trapezius|neck|upper back)\b|"
                   # ... or brought in as all there is to it: "just a normal trap knot".
                   r"\b(just|only|simply|merely) (a|an|one|the|this) (\w+ ){0,3}?(knot|knots)\b")
_THEIR_BODY = re.compile(r"\b(his|her|their|him|them) (\w+ )?(neck|head|back|spine|shoulders?|"
                         r"arms?|hands?|legs?|chest|face|eyes?|jaw|throat|speech|balance)\b")
# Where the writer turns from the other person to themselves.
_TURN = re.compile(r"[.;!?\n]|,? \b(but|however|though|although|anyway|whereas|while|as for me|"
                   r"and now|so now|and i|and me|i am|i have|i only|i just|me,|myself|"
                   r"and my (own )?(\w+ )?(knot|knots|neck|shoulders?|traps?|back))\b")


def close_ones_past(text: str, lasting: re.Pattern[str] | None = None
                    ) -> list[tuple[int, int]]:
    """Where ``text`` (normalised) tells of someone else whose trouble is over, long past,
    an illness they live with, or not the writer's, when the writer's own complaint is a
    knot and nothing is said of the other person's body: the spans of those clauses (from
    the sentence's start to where the writer turns to themselves). "My dad fell, he says
    he is fine but his neck hurts" is still his sign; so is anything the writer tells of
    their own body, and anything that happens to the other person now. A clause with
    ``lasting`` in it is never long past: a brother who tied a noose last week is still
    in danger."""
    if not _CLOSE_ONE.search(text) or _THEIR_BODY.search(text):
        return []
    spans: list[tuple[int, int]] = []
    for m in _CLOSE_ONE.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in ".;!?\n") + 1
        if spans and start < spans[-1][1]:
            continue
        if text[start:m.start()].strip(" ,(-") and not re.fullmatch(
                r"\W*((so|well|ok|okay|anyway|also|btw|and|but|yes|yeah|hi|hello|hey|sir|madam|"
                r"ma'am|maam|dear|doctor|doc|namaste|please|kindly|good (morning|evening|"
                r"afternoon))\W+)*",
                text[start:m.start()]):
            continue  # the person is not what the sentence starts with
        stop = _SENTENCE_END.search(text, m.end())
        sentence_end = stop.start() if stop else len(text)
        turn = _TURN.search(text, m.end(), sentence_end)
        end = turn.start() if turn else sentence_end
        clause = text[start:end]
        # Told as over in its own clause, as its last words ("my husband is fine. my wife
        # collapsed" keeps the wife's sentence; "he is fine now, but he is slurring today"
        # its sign), or long past or lived with, with nothing of now in it.
        rest = clause[m.end() - start:]
        over = any(len(clause[o.end():].split()) <= 3 for o in _THEIRS_OVER.finditer(clause)) \
            or bool(_LATE.match(m.group(0))) \
            or bool(_NOT_ME.search(clause) and not _PRESENT.search(rest))
        # An illness they live with is theirs whenever it was found ("just got diagnosed
        # with cancer"); only what happens after it may be now.
        ill = _THEIR_ILLNESS.search(rest)
        past = ((_THEIRS_PAST.search(rest) and not _NOW.search(rest))
                or (ill and not _NOW.search(rest[ill.end():]))) \
            and not (lasting is not None and lasting.search(clause))
        if (over or past) and not _MINE.search(clause) \
                and _MINE.search(text[:start] + " . " + text[end:]):
            spans.append((start, end))
    return spans


# An old injury or illness told as long healed: "broke my collarbone skiing years ago, it
# healed fine", "shrapnel in the leg in '04, long healed". For the learned layer, which
# cannot read time: the rules read such a sentence themselves (`in_past`, `past_ok`).
_LONG_AGO = Gated(re.compile(
    r"\b((\d+|a few|few|several|many|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|\w+teen|\w+ty) (years?|decades?|months|seasons|summers|winters|springs|autumns|terms|"
    r"semesters|christmases) (ago|back|before|earlier)|years ago|(a|one|over a) decade "
    r"(ago|back|before|earlier)|decades ago|"
    r"(the )?(summer|winter|spring|autumn|season|year) before last|"
    r"in (19|20)\d\d|in '\d\d|as a (kid|child|teen|teenager|boy|girl|student)|"
    r"when i was (young|little|younger|a kid|a child|a teenager|at school|(\d+|ten|eleven|"
    r"twelve|\w+teen|(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)( (one|two|three|"
    r"four|five|six|seven|eight|nine))?|six|seven|eight|nine|five)\b(?! (minutes?|mins?|hours?|"
    r"hrs?|seconds?|secs?|days?|weeks?|months?|miles?|feet|foot|metres?|meters?|yards?|steps?|"
    r"kms?|blocks?|rungs?|stairs|percent)\b)))\b"))
_HEALED = re.compile(
    r"\b((long|fully|all|completely|totally) )?(healed|mended|recovered)\b|\b(been|was|were|"
    r"has been|have been) (fine|ok|okay|grand|good|right|sound) (ever since|since|for (ages|"
    r"years|a long time))\b|\bno (problems?|issues?|trouble|bother) (since|after|with it)\b|"
    r"\bwithout (any )?(issues?|problems?|trouble)\b|"
    # "... ten years ago and was fine": fine then, in a sentence of long ago.
    r"\b(was|were|is|are|been) (totally |completely |perfectly |absolutely |all |quite )?(fine|"
    r"ok|okay|grand|alright|all right|unhurt|uninjured|not hurt)\b")
_NOW_AGAIN = re.compile(r"\b(now|today|tonight|this (morning|week)|again|still|recently|"
                        r"lately|just|currently|flared|flaring|came back|coming back)\b")


_ALL_BETTER = Gated(re.compile(
    r"\b(all|much|loads|lots) better( now)?\b|\b(feel|feels|feeling|felt|am|"
    r"is|was|i'm|im|he's|she's) (totally |completely |fully |back to )?"
    r"(fine|better|normal|myself|himself|herself) (now|again)( now)?\b"))
_UNDONE = re.compile(r"\b(not|never|no|nothing|hardly|barely|if|until|till|unless|hope|"
                     r"hoping|wish|want|wants|needs?|whether)\b")
_CONTRAST = re.compile(r"\b(but|however|though|although|except|apart from|yet|whereas)\b")


# What the rules read in a text is worked out once per text and lexicon: a message's
# sentences are read again by the learned layer's checks and the press check, and a
# conversation's earlier turns again at every turn.
_MEMO = 4096


@lru_cache(maxsize=_MEMO)
def _over_now(sentence: str) -> bool:
    """A sentence that tells of something over now ("had a temp last week, all better now",
    "it's cleared up", "heat and stretches sorted it"), and of nothing that stays, comes back
    or is new after it ("..., but now my arm is numb")."""
    found = next((m for m in _RESOLVED.finditer(sentence) if not _faculty_lost(sentence, m)),
                 None) or _ALL_BETTER.search(sentence)
    if not found or "?" in sentence or _UNDONE.search(sentence[max(0, found.start() - 30):
                                                               found.start()]):
        return False  # asked ("will it go away?") or denied ("it will not go away")
    rest = sentence[:found.start()] + " " + sentence[found.end():]
    return not (_AGAIN.search(rest) or _NOW_AGAIN.search(rest) or " since " in f" {rest} "
                or _CONTRAST.search(sentence, found.end()))


@lru_cache(maxsize=_MEMO)
def blank_healed(text: str) -> str:
    """``text`` (normalised) with its sentences that tell of something long past and
    healed, or over now (`_over_now`), and of nothing now, blanked (length kept)."""
    out, start = [], 0
    for m in [*re.finditer(r"[.!?\n]", text), None]:  # "...years ago; it healed fine."
        end = m.end() if m else len(text)
        sentence = text[start:end]
        if _LONG_AGO.search(sentence) and _HEALED.search(sentence) \
                and not _NOW_AGAIN.search(sentence) or _over_now(sentence):
            sentence = " " * len(sentence)
        out.append(sentence)
        start = end
    return "".join(out)


LASTING = "self_harm"  # the concept whose danger to someone else a week does not end


def blank_close_ones_past(text: str, lasting: re.Pattern[str] | None = None) -> str:
    """``text`` with the sentences of `close_ones_past` blanked (length kept)."""
    for start, end in close_ones_past(text, lasting):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


# A figure's words after an inability are no figure: "struggling to breathe in", "can't
# take a deep breath".
_UNABLE = re.compile(r"\b(cannot|can not|could not|unable to|not able to|struggl\w*|hard to|"
                     r"difficult\w*|trouble|barely|hardly|scarcely)\W+(\w+\W+){0,2}$")


@lru_cache(maxsize=_MEMO)
def not_the_writers(text: str, lex: Lexicon) -> str:
    """``text`` (normalised) with what is not the writer's sign blanked: figures of speech
    ("a crash course", "my balance is fine") and someone else's or a thing's event. Lengths
    are kept, so clause boundaries stay where they are."""
    return blank_close_ones_past(blank_others(lex.figurative.sub(
        lambda m: m.group(0) if _UNABLE.search(text, 0, m.start()) else " " * len(m.group(0)),
        text)), lex.concepts.get(LASTING))


class Concepts(NamedTuple):
    """What a text's sign words say. ``past`` holds concepts mentioned only as clearly
    past events ("a car accident years ago, fully recovered") or as over ("pins and
    needles once, never came back"); only a class that marks them `past_ok` lets them go.
    ``over`` holds those whose every mention is told as over (`resolved`)."""

    current: frozenset[str]
    past: frozenset[str]
    over: frozenset[str]


@lru_cache(maxsize=_MEMO)
def present_concepts(text: str, lex: Lexicon) -> Concepts:
    """Concepts mentioned affirmatively in ``text`` (already normalised)."""
    current: set[str] = set()
    past: set[str] = set()
    # Over, read before blanking ("it healed fine" reads as a figure), of the mentions that
    # are the writer's: "a hangover headache ... the headache was gone by lunch".
    kept = not_the_writers(text, lex)
    over = resolved(text, lex, kept)
    original, text = (text if len(text) == len(kept) else ""), kept
    mentions = [(name, m.start(), m.end(), negated(text, m.start(), m.end(), lex))
                for name, pattern in lex.concepts_in(text) for m in pattern.finditer(text)]
    denied = [(a, b) for _, a, b, no in mentions if no]
    for name, start, end, no in mentions:
        # A mention nested with a denied one shares its denial: "no night sweats" (with
        # "sweats" inside), "my neck is not stiff" (ending in the denied "stiff"). A long
        # mention with a denied word somewhere inside it keeps its own reading.
        if no or any((a <= start and end <= b) or (start <= a and b == end)
                     for a, b in denied) or _slept_on(text, start, end):
            continue
        if name in over or in_past(text, start, end, lex, original):
            past.add(name)
            continue
        current.add(name)
    return Concepts(frozenset(current), frozenset(past - current), frozenset(over))


# A sign told as over: "a temperature yesterday, but it's gone now", "pins and needles
# once, never came back", "the GP said it was nothing". It keeps the learned layer from
# flagging what the rules see was told as finished, and counts as past for the classes
# that let a past sign go (`past_ok`); every other class still flags it (a face that
# drooped for a minute and "is fine now" is still a stroke sign).
_OVER = r"(gone|cleared|cleared up|settled|settled down|eased off|vanished|disappeared|resolved)"
_CLOSE = (r"(?=\s*($|[,.;!?)]|(now|since|after|overnight|with|within|by|before|again|and|but|"
          r"when|once|so|though|tho|thankfully|luckily|long ago|ages ago|years ago|months ago|"
          r"weeks ago|a long time ago|in (a|an|about|under|less|no|a few|\d+|"
          r"seconds|minutes|moments))\b))")  # whole words: "gone sort of numb" is not "gone so"
# Behind its RE2 twin (`Gated`): its look-behinds cost `re` about 70 us a sentence.
_RESOLVED = Gated(re.compile(
    # "it's gone now", "has cleared up", "all gone", "disappeared completely": the closing
    # word ends the clause or a time follows. Never "has gone numb", "passed out", "the
    # airbags went off", "gone off my food".
    rf"\b{_OVER}( (away|completely|totally|fully|itself|by itself|on its own))*{_CLOSE}"
    r"|\b(went|go|goes|gone|going|faded|fading|disappeared) (\w+ )?away\b(?! (to|into|in|at|on|for|"
    r"and (came|come)))(?<!\bgoes away)(?<!\bgo away)"
    # A sign that goes away each time it comes is not over: "goes away when I stop" (but
    # "it go away after I sleep" is often a past told in the present).
    # Nor is one someone tries to make go away ("shakes her hand to make it go away", "what
    # will help it go away?").
    r"|(?<!make it )(?<!makes it )(?<!made it )(?<!making it )(?<!help it )(?<!helps it )"
    r"(?<!let it )(?<!get it to )(?<!gets it to )(?<!will )(?<!would )(?<!should )(?<!might )"
    r"(?<!could )(?<!can )(?<!may )(?<!to make them )(?<!make them )(?<!help them )"
    r"\b(goes|go) (\w+ )?away\b(?! (to|into|in|at|on|for|when|whenever|if|once|each|every|"
    r"until|till|again|and (came|come|comes)))"
    r"|\b(wore|worn|wearing|passed|eased|easing) off\b"
    rf"|\b(completely|totally|fully|soon|quickly|it|that|which|they|this) (went|passed|faded)"
    rf"{_CLOSE}|\b(it|that|which|they|this) (is|was|are|were) (all |long )?over{_CLOSE}"
    r"|\b(all|completely|totally|fully) (sorted|clear|gone|normal|recovered|healed)"
    r"\b|\b(sorted|fixed|healed) (it|that|them|out|up)\b|\b(it|they|that|which|has|have|"
    r"had|all) (\w+ )?healed\b|\bhealed (up )?(fine|well|grand|nicely|ok|okay|perfectly)"
    r"|\b(never|did not|has not) (came|come|coming) back|\b(has not|have not|never) been back\b"
    r"|\bback to normal"
    # "The swelling went down": not "I went down hard" (a fall is never over).
    r"|\b(swelling|swollen bit|puffiness|redness|it|lump|bump)\b.{0,15}\b(went|gone|goes|going|"
    r"came|come|has come|is|was) (right |all |back |completely |right back )?down\b(?! (a bit|a "
    r"little|slightly|somewhat|some|partly|a touch)\b)"
    # ... and swollen glands: "they went down ages ago" (not "they went down the stairs").
    r"|\b(they|glands?|lymph nodes?|nodes)\b[^.;!?]{0,80}?\b(went|gone|goes|going|came|come|"
    r"has come|have come|are|were) (right |all |back |completely |right back )?down\b(?! (the|a|"
    r"an|to|on|in|at|into|hard|heavily|badly|stairs|steps|with)\b)"
    r"|\b(fine|better|normal|ok|okay) (now|since|afterwards|after (that|a|about|like|"
    r"\w+ (minutes?|hours?|seconds?)))"
    # "... then normal", "and then it was fine", "it finished" (West African English).
    r"|\b(then|and then|afterwards|soon|quickly|straight away|right away) (it was |it is |it's |"
    r"was |is |all |back to |back )?((totally|completely|perfectly|fully|quite|all) )?(fine|better|"
    r"normal|ok|okay)\b"
    # "... then after a few minutes fine", "within a minute ok again".
    r"|\b(after|in|within) (a |an |about |around |like |only |just )?(few |couple of |couple |"
    r"\d+ |one |two |three |five |ten )?(seconds?|secs?|minutes?|mins?|hours?|hrs?|moments?|"
    r"while)\b,? (it was |it is |it's |it went |was |is |all |back to |back )?((totally|"
    r"completely|perfectly|fully|quite|all) )?(fine|better|normal|ok|okay|gone)\b"
    rf"|\b(it|that|which|they) (has |have |don )?(finish|finished|stopped|ended){_CLOSE}"
    r"|\b(doctor|gp|midwife|nurse|physio|consultant|specialist|dr)\w* (\w+ ){0,3}?(said|says|"
    r"say|told (me|us|him|her)|reckons|thinks|confirmed|checked)\b[^.;!?]{0,40}\b(normal|fine|"
    r"nothing|harmless|benign|ok|okay|all clear|hormones|not (serious|worrying|a worry|"
    r"anything))\b"))
# What says a sign is not over: it is denied to end ("won't go away"), comes back, goes on.
_NOT_OVER = re.compile(r"\b(not|never|no|cannot|hardly|barely|nothing)\b(\s+\w+){0,2}\s*$")
# A wish or an aim is not an end: "I just want the knot gone", "how do I make it go away",
# "hoping it clears up".
_WISHED = re.compile(r"\b(want|wants|wanted|wanting|wanna|wish|wishes|wishing|need|needs|"
                     r"hope|hoping|make|makes|help|helps)\b(\s+[\w']+){0,6}\s*$")
_SENTENCE_END = re.compile(r"[.;!?\n]")
_FULL_END = re.compile(r"[.!?\n]")
# "back" as in coming back, not "back to normal" nor "two months back" (ago).
_AGAIN = re.compile(r"\b((?<!never came )(?<!never come )(?<!not come )(?<!not came )(?<!never "
                    r"coming )(?<!not been )(?<!never been )(?<!days )(?<!weeks )(?<!months )"
                    r"(?<!years )(?<!while )(?<!way )back(?! to (normal|fine|ok|okay|"
                    r"myself|himself|herself|themselves|"
                    r"usual))(?! (in|during|around) (january|february|march|april|may|june|july|"
                    r"august|september|october|november|december|spring|summer|autumn|fall|"
                    r"winter|(19|20)\d\d|the (spring|summer|autumn|fall|winter|day|nineties|"
                    r"eighties|seventies))\b)|(?<!never )(?<!not )"
                    r"(came|come|comes|coming) back|again|returns?|returned|returning|recurr\w*|"
                    r"on and off|keeps? (happening|coming)|worse|worsening|still|every time|"
                    r"each time|whenever|ever since|since then|"
                    # ... or told as coming and going ("sometimes, then it wears off").
                    r"sometimes|at times|now and then|now and again|every so often|from time "
                    r"to time|off and on|occasionally|often|comes? and goes?|came and went|"
                    r"some days|most days|several times|a few times|every few (days|weeks))\b")
# An injury is never talked away as over ("fell on friday but i'm totally fine"): only a
# clear past time lets it go (in_past).
_NEVER_OVER = frozenset({"trauma", "heart_named"})


def _says_over_in(text: str, left: int, right: int, stop_at: int) -> bool:
    """Does a finishing phrase, not denied, start in the clause text[left:right]? It may
    run on past the clause's edge to ``stop_at`` ("she is fully better now", cut at "now")."""
    # The denial may sit inside the sign's own words ("pain every night, not | go away"):
    # read the words just before the phrase, whatever clause they belong to (punctuation
    # still ends a denial's reach).
    # A phrase may open with the word that ends the clause ("for a minute then fine").
    return any(m.start() <= right and not _NOT_OVER.search(text[max(0, m.start() - 40): m.start()])
               and not _WISHED.search(text[max(left, m.start() - 50): m.start()])
               and not _faculty_lost(text, m)
               for m in _RESOLVED.finditer(text, left, stop_at))


# A faculty told as gone is lost, not over: "the vision in my left eye is partly gone", "my
# grip has completely gone", "her voice just went".
_FACULTY = re.compile(r"\b(vision|sight|eyesight|hearing|feeling|sensation|strength|grip|balance|"
                      r"voice|speech|words|memory|power|coordination|co-ordination|control|"
                      r"movement|use)\b(?: \w+){0,6}? ?$")


def _faculty_lost(text: str, found: re.Match[str]) -> bool:
    """Is the finishing phrase ``found`` said of a faculty ("my sight has gone")?"""
    clause_start = max(text.rfind(c, 0, found.start()) for c in ",.;!?\n")
    return bool(_FACULTY.search(text, clause_start + 1, found.start()))


def _says_over(clause: str) -> bool:
    return _says_over_in(clause, 0, len(clause), len(clause))


def _sign_starts(text: str, lex: Lexicon) -> list[int]:
    return [m.start() for name, p in lex.concepts_in(text) if name not in _QUALIFIERS
            for m in p.finditer(text)]


# A limb gone numb or "dead" from how it lay, that woke up again: "arm went dead from
# sleeping on it, came back in a minute", "foot numb from sitting cross-legged, fine as soon
# as I stood up". Not a nerve sign (red-flags.md asks for numbness that persists).
_NUMB_WORD = re.compile(r"numb|tingl|pins|needles|dead|asleep|sleep|fuzzy|prickl|fizz")
_LAY_ON_IT = re.compile(
    r"\b(slept|sleeping|sleep|lying|lie|lies|lay|laying|laid|sat|sitting|kneeling|knelt|leaning|leant|"
    r"lean|leans|rest|rests|"
    r"sleepin|lyin|layin|sittin|kneelin|leanin|restin|"
    r"leaned|resting|rested|dozed( off)?|dozing( off)?|napping|fell asleep|falling asleep)"
    r"( \w+){0,3}? (on (top (of )?)?(it|them|my|his|her|their|the) ?|funny|awkward\w*|wrong|"
    r"crooked)|"
    r"\bcross[- ]?legged\b|\blegs crossed\b|\bcross(ed|ing)? (my |his |her |their |your )?legs\b|"
    # ... or from sitting or kneeling long ("pins and needles after long sitting").
    r"\b(after|from) (\w+ ){0,2}?(sitting|kneeling|squatting)\b|"
    # ... told in the present, as simple English has it ("because I sit on it too long",
    # "after I kneel long to clean").
    r"\b(sit|sits|kneel|kneels|lean|leans|squat|squats) (on (it|them|my|his|her|the)|"
    r"(\w+ ){0,2}?(long|too long|so long|for (hours|ages|a while|a long time)))\b|"
    r"\b(sitting|sat|kneeling|knelt|squatting) (\w+ ){0,3}?(too long|so long|for (hours|ages|a "
    r"long time|too long))\b|"
    # ... or squeezed by what is worn ("toes tingle in my work boots").
    r"\b(in|wearing|from|after) (my |the |these |those |a pair of |new |tight |high )*(heels|"
    r"stilettos|shoes|boots|work boots|skates|ski boots|trainers|wetsuit|waders|brace|sling)\b|"
    # ... or numbed by the cold ("fingers tingly out in the frost without gloves").
    r"\b(in|out in|from|after) (the )?(cold|frost|snow|ice|icy water|cold water|freezer|"
    r"cold store|sea)\b|\b(in|out in|out on|on|at|up) (the |a )?(freezing|icy|bitter|perishing)\b|"
    r"\bwithout (my |his |her )?(gloves|mittens|socks)\b")
_WOKE_UP = re.compile(
    r"\b(came|come|coming|comes) back (to (life|normal) )?(straight away|right away|quickly|"
    r"(in|within|after) (a|like a|about a|under a|a few|few|one|two|a couple of|couple of|"
    r"\d+) (minute|min|second|sec|moment)s?|"
    r"(as soon as|once|when) (i|he|she|they))\b|\b(as soon as|once|when) (i|he|she|they) "
    r"(stood|moved|shifted|got up|shook|stamped|rolled|sat up|changed|stretched|woke)|"
    r"\b(in|within|after) (a|like a|about a|under a|a few|few|one|two|a couple of|"
    r"couple of|\d+) (minute|min|second|sec|"
    r"moment)s?\b|\bwent away\b|\b(fine|normal|ok|okay) (a|after a|within a|in a) "
    r"(minute|moment|second)|"
    # ... or shaken back, told as lasting seconds, or "then normal".
    r"\b(shook|shake|shaking|shakes|wiggled|wiggle|rubbed|flapped) (it|them|my \w+|the \w+)"
    r"( out| about| around| off)?\b|\b(\d+|a few|few|couple of|ten|twenty|thirty) (seconds?|"
    r"secs?|moments?)\b|\b(then|and then|soon|quickly) (it was |it is |it's |was |is |all |"
    r"back to )?((totally|completely|perfectly|fully|quite|all) )?(fine|normal|ok|okay|gone)\b|"
    r"\b(it|e) (don )?finish(ed)?\b|"
    # ... lasting minutes ("tingled for 5 minutes"), or gone once the limb was used again.
    r"\bfor (a|about|like|\d+|a few|few|couple of|two|three|five|ten) (minute|min|second|sec)s?\b|"
    r"\b(after|once|when|as soon as) (i|he|she|they) (walk\w*|stood|stand\w*|moved|move|"
    r"got up|get up|shook|shake|stretch\w*)\b|"
    # ... told as fine now, or gone once what squeezed it came off.
    r"\b(it is|it's|its|they are|they're|all|feels?|feeling|back to) (\w+ )?(fine|normal|ok|okay)"
    r" now\b|[,;(-] ?(fine|ok|okay|normal|all good) now\b|"
    r"\b(once|when|as soon as|after) (they are|they're|it is|it's|they come|it comes|"
    r"(i|he|she) (take|took|takes|get|got|gets|kick|kicked|pull|pulled) (them|it)) off\b|"
    # ... gone once the limb was used or warmed ("gone after standing up", "fine as soon as
    # he warmed up"), shaken ("gave it a shake"), or told as fine ("and it's fine").
    r"\bgone (now|after|when|once|as soon as|within|in)\b|\b(after|once|on) (walking|standing|"
    r"moving|shaking|stretching|warming|getting up)\b|\b(as soon as|soon as|once|when|after|"
    r"the moment|the minute|the second) (i|he|she|they|it) (warmed|warm|got warm|get warm|"
    r"came in|went in|got inside|got home|move|moved|stood|stand|shook|shake)\b|"
    r"\bgave (it|them) a (\w+ )?(shake|wiggle|rub|stretch)\b|"
    r"\b(they|it|fingers|hands?|toes|feet) (warm|warms|warmed) (back )?up( fine| again| ok)?\b|"
    r"\b(it|they|that) (pass|passes|passed|"
    r"wear|wears|wore|go|goes|went|wears off|wore off) (off |away )?(quick|quickly|fast|soon|"
    r"straight away|right away|in (a|one|\d+) (minute|min|second|sec))|\b(it|they) (fine|ok|okay|"
    r"normal) (in|after|within) (a|one|\d+|a few|few) (minute|min|second|sec)|"
    r"\b(and|but|then|now) (it is|it's|its|they are|they're|they were|it was|was|were|is|are) "
    r"(\w+ )?(fine|normal|ok|okay|gone|"
    r"back to normal)\b")


# ... and not numbness that stays or returns ("came back after a week and is numb all day").
_STAYS = re.compile(r"\b(still|all the time|constant\w*|every (day|night|morning)|keeps?|"
                    r"(?<!fine )(?<!normal )(?<!ok )(?<!okay )(?<!better )(?<!warm )again|"
                    r"stays?|stayed|staying|remains?|remained|all (day|week|night|month)|"
                    r"not gone|has not gone|won't|will not|for (days|weeks|a week|hours)|since "
                    r"(yesterday|last|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                    r"\d)|days|weeks|months|now (it|my|his|her)|getting worse)\b")


# How a limb lay told as a comparison ("prickly, like when you've sat on your foot too
# long"): the feeling is likened to it, the limb did not lie so.
_LIKENED = re.compile(r"\b(like|as if|as though|similar to|the way|same as)\b(\W+\w+){0,4}\W*$")


# How long the limb lay, right after how it lay ("lay on it all night"): not how long the
# numbness stayed.
_LAY_HOW_LONG = re.compile(r"(\s+\w+){0,3}?\s+(all night|all day|overnight|for hours|for ages)\b")


def lay_and_woke(sentence: str) -> bool:
    """A limb that lay wrong and woke up again, and nothing that stays."""
    lay = [m for m in _LAY_ON_IT.finditer(sentence) if not _LIKENED.search(sentence, 0, m.start())]
    if not lay or not _WOKE_UP.search(sentence):
        return False
    rest = sentence
    for m in lay:
        long = _LAY_HOW_LONG.match(rest, m.end())
        end = long.end() if long else m.end()
        rest = rest[:m.start()] + " " * (end - m.start()) + rest[end:]
    return not _STAYS.search(rest)


def _slept_on(text: str, start: int, end: int) -> bool:
    """Is the numb word at text[start:end] such a limb's (`lay_and_woke`)?"""
    return bool(_NUMB_WORD.search(text[start:end])) \
        and lay_and_woke(with_next_short(text, start, end))


def limb_woke(text: str) -> bool:
    """Does ``text`` (normalised) tell of a numb limb, every mention of it one that lay
    wrong or was squeezed or chilled, and woke up again (`lay_and_woke`)?"""
    found = list(_NUMB_WORD.finditer(text))
    return bool(found) and all(_slept_on(text, m.start(), m.end()) for m in found)


NEXT_SHORT = 8  # words: a next sentence this short belongs to the one before it


def with_next_short(text: str, start: int, end: int, words: int = NEXT_SHORT) -> str:
    """The sentence around text[start:end], and the next one if it is short: "Foot tingled
    after sitting cross-legged. Gone once I stood up." tells one story."""
    here = _around(text, start, end, _SENTENCE_END)
    stop = _SENTENCE_END.search(text, end)
    if not stop:
        return here
    following = _around(text, stop.end(), stop.end(), _SENTENCE_END)
    return f"{here} . {following}" if len(following.split()) <= words else here


def told_over(text: str, start: int, end: int, lex: Lexicon,
              signs: list[int] | None = None) -> bool:
    """Is the mention at text[start:end] told as over: in its clause, or in a later
    clause of its sentence before any clause that names a sign of its own ("headache this
    morning, normal one, gone with a coffee"), in a sentence that says nothing of it
    coming back? ``signs``: where the text's sign words start, if already known."""
    if _slept_on(text, start, end):
        return True
    # A semicolon joins two clauses of one sentence ("a headache after the sun; a
    # paracetamol sorted it").
    stop = _FULL_END.search(text, end)
    stop_at = stop.start() if stop else len(text)
    if not _RESOLVED.search(text, end, stop_at):
        return False  # the common case: nothing after it says it is over
    if _AGAIN.search(_around(text, start, end, _FULL_END)):
        return False
    if signs is None:
        signs = _sign_starts(text, lex)
    # What follows the mention, its own clause first: told, then told as over.
    edges = [end, *(x for b in _PAST_SCOPE.finditer(text, end, stop_at)
                    for x in (b.start(), b.end())), stop_at]
    for i in range(0, len(edges), 2):
        left, right = edges[i], edges[i + 1]
        if _says_over_in(text, left, right, stop_at):
            return True
        if i and any(left <= at < right for at in signs):
            return False
    return False


def resolved(text: str, lex: Lexicon, kept: str | None = None) -> set[str]:
    """Concepts whose every mention is told as over; with ``kept`` (``text`` with what is
    not the writer's blanked), of the mentions that are the writer's."""
    if not _RESOLVED.search(text) and not _LAY_ON_IT.search(text):
        return set()
    signs = _sign_starts(text, lex)
    out: set[str] = set()
    still: set[str] = set()
    for name, pattern in lex.concepts_in(text):
        if name in _NEVER_OVER:
            continue
        for m in pattern.finditer(text):
            if kept is not None and not kept[m.start():m.end()].strip():
                continue  # a figure of speech, someone else's: neither over nor still
            if negated(text, m.start(), m.end(), lex):
                continue  # denied ("no fever for days"): neither over nor still
            (out if told_over(text, m.start(), m.end(), lex, signs) else still).add(name)
    return out - still


# A denial followed by what it is instead ("not chest pain, more like a weight on it"):
# the words after it may be a sign the rules cannot read.
_INSTEAD = re.compile(r"\b(more like|rather|instead|but|though|although|however|except|apart "
                      r"from|other than|feels? like|felt like|as if|as though|kind of|sort of)\b")


@lru_cache(maxsize=_MEMO)
def explained_away(text: str, lex: Lexicon) -> bool:
    """The text (normalised) has a sign's words, and the rules read every one of them as
    not said: denied ("no numbness, tingling or weakness"), a figure of speech, someone
    else's event, a past event its class lets go ("came off my bike as a teenager"), or
    one told as over ("a headache yesterday, gone now"). A model that cannot read
    negation, time or grammar must not flag it then; a text with no sign words at all is
    the model's to read."""
    woke = lay_and_woke(text)
    if any(not woke and not _says_over(_around(text, m.end(), m.end(), _PAST_SCOPE)[:30])
           for m in _INSTEAD.finditer(text)):
        return False  # not "but it's gone now": that is the sign told as over
    signs = any(p.search(text) for name, p in lex.concepts_in(text) if name not in _QUALIFIERS)
    if not signs and not _RESOLVED.search(text):
        return False  # no sign words, not even a qualifier told as over
    current, past, over = present_concepts(text, lex)
    if not signs and not over:
        return False
    # A past event a class lets go ("a fall years ago, fully healed") is read too.
    let_go = frozenset().union(*(cls.past_ok for cls in lex.classes))
    return not (current - _QUALIFIERS - over) and not (past - _QUALIFIERS - let_go - over)


# A topic said to be absent ("no temperature", "without any chest pain") or fine
# ("breathing and swallowing are fine", "my balance is totally normal"). The denial names
# the topic at once: not a doubt ("not sure if it is a fever"), nor Pidgin's "I no fit
# breathe" (I cannot breathe).
_TOPIC_DENIED = re.compile(r"\b(no|not|without|never|zero|nor|free of|no signs? of)\s+(any\s+|a\s+|"
                           r"real\s+|signs? of\s+)?$"
                           # ... or said to have nothing wrong: "nothing wrong with my chest".
                           r"|\b(nothing|not a thing|no problems?|no issues?|no trouble) (wrong |"
                           r"the matter |amiss )?with (my|his|her|their|the|your) "
                           r"(\w+ (or|and|nor) (my|his|her|their|the|your)? ?)?$")
_UNTIL = re.compile(r"(\s+\w+){0,3}?\s+(until|till|til|up until|up to|before)\b")
_TOPIC_FINE = re.compile(
    r"('s)?(\s+(and|or|&)\s+\w+)?\s+((is|are|was|were|seems?|feels?|looks?|sounds?|has been|have "
    r"been|been|all|both|totally|completely|perfectly|absolutely|quite|still|100%)\s+)*(fine|ok|"
    r"okay|normal|good|all right|alright|clear|unaffected|grand|perfect|no problem)\b")
# A lump told as unchanged: "the same size for years", "hasn't grown".
_UNCHANGED = re.compile(
    r"[^.!?]{0,40}?\b(the same size|same size|same as (ever|always)|unchanged|no bigger|not "
    r"(grown|growing|changed|changing|getting bigger)|has not (grown|changed)|never (grows|grown|"
    r"changes|changed))\b")
# ... but not "can't breathe fine", "trouble swallowing ok".
_UNABLE_BEFORE = re.compile(r"\b(not|no|never|cannot|can't|cant|can not|could not|couldn't|"
                            r"unable|hardly|barely|trouble|hard|struggl\w*|difficult\w*)\b"
                            r"(\s+\w+){0,2}\s*$")


# A temperature given as a normal figure: "my temperature was 36.8 degrees", "temp 98.4F",
# "temp was 36.6" (a decimal needs no unit).
_NORMAL_READING = re.compile(
    r"[^.!?]{0,25}?\b((3[5-6]|37|9[5-8]|99)[.,]\d{1,2}\b(?<!37[.,][5-9])(?<!37[.,][5-9]\d)"
    r"(?<!99[.,][5-9])|(3[5-6]|37|9[5-8]|99) ?(°|degrees?|deg\b|c\b|f\b|celsius|fahrenheit))")


# ... unless a fever's figure is given too ("went from 36.5 to 39.2").
_FEVER_READING = re.compile(r"\b(3[89]|4[0-2])([.,]\d)?\b|\b37[.,][5-9]|\b99[.,][5-9]|\b1[01]\d"
                            r"([.,]\d)? ?(°|degrees|f\b)")


def denied_topics(text: str, lex: Lexicon) -> set[str]:
    """Classes whose topic (`RedFlagClass.topic`) ``text`` (normalised) names, and says is
    absent or fine every time it names it."""
    def denied(m: re.Match[str]) -> bool:
        before = text[max(0, m.start() - 50): m.start()]
        if _UNTIL.match(text, m.end()):
            return False  # "no fever until last night", "nothing wrong with my vision till now"
        return bool(_TOPIC_DENIED.search(before) or (
            _TOPIC_FINE.match(text, m.end()) and not _UNABLE_BEFORE.search(before))
            or (_NORMAL_READING.match(text, m.end()) and not _FEVER_READING.search(text))
            or (m.group(0).startswith("lump") and bool(_UNCHANGED.match(text, m.end()))))

    out = set()
    for cls in lex.classes:
        found = list(cls.topic.finditer(text)) if cls.topic is not None else []
        if found and all(denied(m) for m in found):
            out.add(cls.id)
    return out


_STIFFNESS = frozenset({"stiff_neck", "stiff_any"})


def stiffness_only(text: str, lex: Lexicon) -> bool:
    """Do the rules read a stiff neck in ``text`` (normalised) and no sign beside it but
    a stiffness's qualifiers (how long, since when)? A stiff neck alone is no red flag;
    with the fever denied, the learned head's reading of it as one is not taken."""
    current = present_concepts(text, lex).current
    return bool(current & _STIFFNESS) and not current - _STIFFNESS - _QUALIFIERS


@lru_cache(maxsize=_MEMO)
def match_classes(text: str, lex: Lexicon) -> tuple[Flag, ...]:
    current, past_only, over = present_concepts(text, lex)
    flags = []
    for cls in lex.classes:
        # Only a class that says so lets a past event go ("past_ok"), or only one told as
        # over ("over_ok": a swelling that went down, not one merely "years ago"); for the
        # rest a sign is a sign whenever it happened.
        concepts = current | (past_only - cls.past_ok - (over & cls.over_ok))
        for group in cls.when:
            if all(c in concepts for c in group):
                sooner = any(all(c in concepts for c in g) for g in cls.emergency_when)
                flags.append(Flag(cls, tuple(group), "emergency" if sooner else cls.level))
                break
    return tuple(flags)
