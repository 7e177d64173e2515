""""Should I push on this knot?": do_not_press > stop > gently, as red-flags.md defines."""

from __future__ import annotations

import re

from rag.models import LEVEL_RANK, PressCheck
from rag.safety.lexicon import Lexicon
from rag.safety.rules import in_past, negated, not_the_writers, sentence_at, told_over

_NO_MASSAGE_FLAGS = {"inflammation", "serious_illness"}
_STOP_FLAGS = {"nerve_sensory", "nerve_weakness", "nerve"}  # "nerve": the semantic layer's name
NO_PRESSURE_YET = "a warning sign needs a doctor first: no massage or pressure until then"


def is_press_question(text: str, lex: Lexicon) -> bool:
    return bool(lex.press_intent.search(text))


# Where the knot is can never be talked away: "no pain pressing the side of my neck"
# is still the side of the neck.
_NEVER_NEGATED = {"front_or_side_of_neck", "spine_bones"}


# ... except a place itself said not to be the one: "in the muscle, not on the spine".
# ... or a tool said not to be put there: "I won't put it on the neck bones".
_NOT_PUT = (r"\b(?<!can )(?<!could )(?<!able )(not|never|won't|will not|wont|do not|don't|"
            r"not going to)\s+(put|use|press|roll|"
            r"run|push|place|rest|dig|lean)\w*\s+((it|them|that|this|the \w+|a \w+|my \w+)\s+)?")
_PLACE_DENIED = re.compile(rf"\b(not|never|and not|but not)\s+$|{_NOT_PUT}$")
_AT_PLACE = re.compile(r"(on|onto|directly on|right on|straight on|over|into|against|at)\b")
# ... with the word for "on" before the place's own words: "not on the bony bumps".
_AT_DENIED = re.compile(r"(\b(not|never|and not|but not)\s+|" + _NOT_PUT + r")((directly|right|"
                        r"straight) )?(on|onto|over|into|against|at|near|touching)\s+((the|my|his|"
                        r"her|their|your) )?$")


def _hits(text: str, lex: Lexicon, pattern: re.Pattern[str], negatable: bool = True) -> bool:
    return any(not (negated(text, m.start(), m.end(), lex) if negatable else
                    (_AT_PLACE.match(m.group(0)) and _PLACE_DENIED.search(text, 0, m.start()))
                    or _AT_DENIED.search(text, 0, m.start()))
               for m in pattern.finditer(text))


def _felt_now(text: str, lex: Lexicon, pattern: re.Pattern[str]) -> bool:
    """A stop feeling said, the writer's, and not told as over ("pins and needles years
    ago, never came back", "my hand went numb in the night, fine after a minute"). Whose
    it is comes from the text with what is not the writer's blanked ("the remote's gone
    numb on me"); whether it is over, from the whole text ("fell asleep on it" is blanked
    as a figure of speech, but tells how the limb lay)."""
    kept = not_the_writers(text, lex)
    return any(kept[m.start():m.end()].strip()
               and not negated(text, m.start(), m.end(), lex)
               and (_while_pressing(text, m.start())
                    or not (told_over(text, m.start(), m.end(), lex)
                            or in_past(text, m.start(), m.end(), lex)))
               for m in pattern.finditer(text))


# A feeling told as what pressing brings on ("when I lean on the ball my fingers tingle",
# "while pressing my arm goes numb"): a reason to stop even though it passes afterwards.
_WHILE_PRESSING = re.compile(
    r"\b(when|while|whilst|whenever|as soon as|each time|every time|if|during)\b[^.!?\n]{0,40}?"
    r"\b(press\w*|knead\w*|massag\w*|work\w* (on|at|into) (it|the knot)|(the |a |my )?(ball|"
    # Leaning, rubbing, rolling: on the knot or with a tool, not an elbow on a window.
    r"gun|cane|roller)|(push\w*|lean\w*|rub\w*|dig\w*|roll\w*|squeez\w*)\b[^.!?\n]{0,25}?"
    r"\b(knot|spot|muscle|traps?|neck|shoulders?|ball|gun|cane|roller|it|them|there))\b")


def while_pressing(text: str) -> bool:
    """Does the text tie anything to pressing ("when I press the knot ...")?"""
    return bool(_WHILE_PRESSING.search(text))


def _while_pressing(text: str, at: int) -> bool:
    """Is the feeling at ``at`` told in a sentence that ties it to pressing?"""
    return while_pressing(sentence_at(text, at))


# The words of a "stop" feeling, bare: enough to tell whether a message denies them.
STOP_WORDS = re.compile(r"\b(sharp\w*|stab\w*|shoot\w*|pierc\w*|(?!number)numb\w*|tingl\w*|"
                        r"pins and needles|prickl\w*|weak\w*|electric\w*|zap\w*|burn\w*)\b")


# The words of a place or a condition not to press, bare: enough to tell whether a message
# denies them all ("in the muscle, not on the bone").
PLACE_WORDS = re.compile(r"\b((on|onto|at|near|over|against|into|in|to|by|touching) )?"
                         r"((the|my|his|her|a|any|its) )?"
                         r"(spines?|spinal|vertebra\w*|backbone|bones?|bony|throat|windpipe|"
                         r"front of (my|the|his|her) neck|sides? of (my|the|his|her) neck|"
                         r"bruis\w*|swollen|swelling|inflamed|injur\w*)\b")


# The pain named as the kind red-flags.md says to press through: a "good pain".
GOOD_PAIN = re.compile(r"\b(good|nice|satisfying|sweet|therapeutic|welcome|relieving) "
                       r"(sort of |kind of |type of )?(pain|ache|hurt|soreness|sore)\b|"
                       r"\bhurts? (so |in a |the )?(good|nice)( way| kind of way)?\b")
_DENIED_BEFORE = re.compile(r"(\bnot|n't|\b(is|was|are|were|do|does|did|ai|ca|wo|have|has)nt|\bno|"
                            r"\bnever|\bhardly)\s+(\w+\s+){0,2}$")


def only_good_pain(text: str) -> bool:
    """The pain pressing brings is called a good one (not "not a good pain"), and no stop
    word is said at all: the learned head, which reads "pain when I press" as a stop,
    must not override it."""
    good = [m for m in GOOD_PAIN.finditer(text)
            if not _DENIED_BEFORE.search(text, 0, m.start())]
    return bool(good) and not STOP_WORDS.search(text)


def only_denied(text: str, lex: Lexicon, pattern: re.Pattern[str] = STOP_WORDS) -> bool:
    """The words are there and every one is denied ("achy but not sharp"): the learned
    head, which cannot read a negation, must not take them as said."""
    found = list(pattern.finditer(text))
    return bool(found) and all(negated(text, m.start(), m.end(), lex) for m in found)


def places_denied(text: str, lex: Lexicon) -> bool:
    """The rules read a place not to press (the spine's bones, the front or sides of the
    neck) and every one is said not to be the one ("in the muscle, not on the knobbly
    bits"): the learned head, which cannot read that, must not take the place as said."""
    found = False
    for key in _NEVER_NEGATED:
        pattern = lex.do_not_press[key][1]
        if pattern.search(text):
            found = True
            if _hits(text, lex, pattern, negatable=False):
                return False
    return found


def none_felt_now(text: str, lex: Lexicon) -> bool:
    """Stop words are there and none is felt now: each denied, told as over or long past
    ("my hand tingled after I slept on it, fine after a minute"). The learned head, which
    reads neither negation nor time, must not take them as said."""
    return bool(STOP_WORDS.search(text)) and not _felt_now(text, lex, STOP_WORDS)


def press_check(question: str, lex: Lexicon, flags: dict[str, str],
                conversation: str | None = None, force: bool = False) -> PressCheck | None:
    """Verdict when the (normalised) question is about pressing, else None.

    ``flags`` maps each warning sign found in the conversation to its level. Where the
    knot is, contraindications and symptoms are read from the whole conversation: "I'm on
    warfarin" said one turn earlier still forbids pressing.
    """
    if not (force or is_press_question(question, lex)):
        return None
    text = conversation or question
    reasons = [reason for key, (reason, pattern) in lex.do_not_press.items()
               if _hits(text, lex, pattern, negatable=key not in _NEVER_NEGATED)]
    if set(flags) & _NO_MASSAGE_FLAGS and not any("inflamed" in r for r in reasons):
        reasons.append(lex.do_not_press["inflamed_or_injured"][0])
    # A sign that needs a doctor today or sooner, other than the nerve signs that pressing
    # itself can bring on ("stop"): no pressure at all until a doctor has seen it.
    if any(LEVEL_RANK[lv] >= LEVEL_RANK["urgent"] for cls, lv in flags.items()
           if cls not in _STOP_FLAGS):
        reasons.append(NO_PRESSURE_YET)
    if reasons:
        return PressCheck(verdict="do_not_press", reasons=reasons)
    stop_reason, stop_pattern = lex.stop
    # A stop feeling must be the writer's: "the remote's gone numb on me" is not.
    if _felt_now(text, lex, stop_pattern) or set(flags) & _STOP_FLAGS:
        return PressCheck(verdict="stop", reasons=[stop_reason])
    return PressCheck(verdict="gently", reasons=[lex.press["gently"]["reason"],
                                                 " ".join(lex.press["gently"]["guidance"].split())])


LEARNED_DO_NOT = ("this sounds like a place or a condition where pressing is not safe "
                  "(the front or sides of the neck, the spine's bones, an inflamed or injured "
                  "spot, blood thinners, a clot, pregnancy...): ask a doctor before any pressure")

# A press question partly in words Knotbot cannot read: they may name the place (the side
# of the neck) or a condition that rules pressing out.
UNREAD_DO_NOT = ("part of your message is in words Knotbot cannot read, and they may name a "
                 "place or a condition where pressing is not safe (the front or sides of the "
                 "neck, the spine's bones, blood thinners, a clot, pregnancy...): ask a doctor "
                 "or a massage therapist before any pressure")


def tighten(check: PressCheck, do_not: bool, stop: bool, lex: Lexicon) -> PressCheck:
    """The learned layer may make a gentle verdict stricter, never a verdict gentler. A
    stop the rules read (a sharp pain "like a needle" while pressing) stays a stop: its
    words are what the head took for a place or a condition."""
    if do_not and check.verdict == "gently":
        return PressCheck(verdict="do_not_press", reasons=[LEARNED_DO_NOT])
    if stop and check.verdict == "gently":
        return PressCheck(verdict="stop", reasons=[lex.stop[0]])
    return check
