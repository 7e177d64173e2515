"""The safety stage: triage + press check + scope guard, run before retrieval.

Every user turn of the conversation is read, so a level once raised is never lowered;
nothing in the text can switch a rule off, because no text is ever read as an order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from rag.embeddings import QueryCachedEmbeddings

from rag.models import LEVEL_RANK, PressCheck, Triage, Turn
from rag.safety.crisis import readable
from rag.safety.language import (
    MIN_WORDS,
    MIXED_WORDS,
    SURE_WORDS,
    foreign_message,
    language_name,
    language_of,
    mixed_with,
    unknown_words,
    unreadable,
)
from rag.safety.learned import SENTENCE, LearnedLayer, Reading
from rag.safety.lexicon import Lexicon, load_lexicon
from rag.safety.normalise import Normaliser, as_spoken, zipf
from rag.safety.press import (
    PLACE_WORDS,
    UNREAD_DO_NOT,
    is_press_question,
    none_felt_now,
    only_denied,
    only_good_pain,
    places_denied,
    press_check,
    tighten,
    while_pressing,
)
from rag.safety.rules import (
    ANSWERED_NO,
    LASTING,
    NEXT_SHORT,
    blank_healed,
    close_ones_past,
    denied_topics,
    explained_away,
    lay_and_woke,
    limb_woke,
    match_classes,
    negated,
    not_the_writers,
    present_concepts,
    stiffness_only,
)
from rag.safety.scope import (
    HAND_PARTS,
    Scope,
    knot_asked_too,
    message_parts,
    scope_of,
    without_tools,
)
from rag.safety.semantic import SemanticLayer

# A message that leans on the one before ("and how long?", "can I press it?").
FOLLOW_UP = re.compile(
    r"^(and|so|ok|okay|then|also|what about|how (long|often|many|much|hard|about)|should i|"
    r"can i|could i|is it|does it|do i|will it|why|when|where|which|what if)\b|\b(it|that|this|"
    r"them|those|these|there)\b"
)

# A message that names no subject but a pronoun ("will this thing ever go away?", "is it
# dangerous to leave them alone?"): in a chat about knots, the pronoun is the knot.
REFERS = re.compile(r"\b(?:(?:this|that) thing|these things|another one|a new one|it|this|these|"
                    r"them|they|those)\b")
_THE_KNOT = {"it": "the knot", "this": "this knot", "these": "these knots", "them": "the knots",
             "they": "the knots", "those": "those knots", "these things": "these knots",
             "another one": "another knot", "a new one": "a new knot"}
# Read that way, it must come this close to the in-scope examples or an article sentence
# (stricter than the plain scope threshold: "the knot" alone brings any message nearer).
# Answerable questions of this form in evals/ (retrieval_blind, answers_blind3) read at
# 0.59 to 0.66; the off-topic ones of evals/safety with a pronoun at 0.47 at most.
PRONOUN_SCOPE = 0.55


def as_the_knot(norm: str) -> str:
    """The message with its pronouns read as the knot the chat is about."""
    return REFERS.sub(lambda m: _THE_KNOT.get(m.group(0), "this knot"), norm)


# The places red-flags.md says to press ("gently"): the back of the neck, the top of the
# shoulders, the upper back.
_WHOSE = r"(?:(?:my|the|his|her|your|their|me)(?: (?:left|right|other))?|(?:left|right))"
SAFE_PLACE = re.compile(
    rf"\b(back of {_WHOSE} neck|top of {_WHOSE} shoulders?|upper back|between {_WHOSE} "
    rf"shoulder ?blades|shoulder ?blades?|traps?|trapezius|back of {_WHOSE} shoulders?|"
    rf"rhomboids?|levator|scaps?|between (?:{_WHOSE} )?neck and (?:{_WHOSE} )?shoulders?|where "
    rf"{_WHOSE} neck (?:meets|joins) {_WHOSE} shoulders?)\b")


CRISIS = "self_harm"  # thoughts of ending one's life: its own words first (levels.yaml)
# The words of such thoughts, however meant ("don't want to live on painkillers"): where
# the rules see them but do not read them as meant, the crisis reader may not either.
_CRISIS_WORDS = re.compile(
    r"\b(?:suicid\w*|self[- ]?harm\w*|kill\w* (?:my|him|her|them) ?sel(?:f|ves)|(?:want|wants|"
    r"wanted|wanting|wanna) to (?:live|die|exist|wake up|be here|be alive)|(?:harm|hurt|cut|"
    r"burn)\w* (?:my|him|her|them) ?sel(?:f|ves)|better (?:off )?without (?:me|him|her)|point "
    r"(?:in|of|to) (?:living|live|going on|go on|carrying on|life|continuing)|end (?:my|his|her) "
    r"life|end it all|(?:thinking of|thinking about|going to|gonna|planning(?: on| to)?|plan to|"
    r"about to|might|will|tempted to|want to|wanna|feel like) (?:not |never )?(?:do|doing) "
    r"(?:something|anything|summat|owt) (?:stupid|silly|daft|drastic|permanent|final))\b")

# A means or a place to do it, a farewell or an ending, or being a burden: with one of
# these in the message, the crisis reader needs less (`CUED_MARGIN` below its threshold).
# Its threshold is set by the hardest harmless messages, which mostly name none of them.
_CRISIS_CUE = re.compile(
    r"\b(?:pistol|revolver|handgun|shotgun|rifle|(?<!massage )(?<!percussion )(?<!fascia )"
    r"(?<!glue )(?<!nail )(?<!heat )(?<!water )(?<!nerf )(?<!toy )guns?|firearm|(?<!skipping )"
    r"(?<!jump )(?<!jumping )(?<!battle )ropes?|noose|ligature|pills|tablets|overdose|razor|"
    r"(?<!shoulder )(?<!shoulder-)blades?|"
    r"(?<!glute )(?<!hip )(?<!yoga )(?<!side )bridge|cliff|ledge|roof|balcony|platform|tracks|"
    r"railway|"
    r"the sea|the river|the lake|the ocean|the loch|not (?:come|coming) (?:back|home|out)|"
    r"never (?:come|coming) back|for good|finish (?:it|everything)|end (?:it|everything|"
    r"things)|goodbye|farewell|my will|funeral|insurance|in order|decided|better off|burden|"
    r"without me)\b")
CUED_MARGIN = 1.9  # logits: about 0.1% more of the opened sets' harmless messages raised

def _top(flag_levels: dict[str, str], leave_out: str) -> str:
    """The highest level among the classes found, ``leave_out`` set aside."""
    return max((lv for cls, lv in flag_levels.items() if cls != leave_out),
               key=LEVEL_RANK.__getitem__, default="self_care")


# Concepts that tell only of time or course ("since last night", "no better"): beside words
# of another language, not enough to list the emergency signs.
_WEAK = frozenset({"ongoing", "long_duration", "gone_now", "today", "no_better"})
UNREAD_SENTENCE = 0.5  # of one sentence's words unknown to English: a sentence it cannot read
_SENTENCE_END = re.compile(r"[.;:!?()\n]+")
MIXED_SHARE = 0.3  # of a message's words unknown to English: a part of it Knotbot cannot read
# Concepts that only qualify a sign ("sudden", "for weeks", "worst"): alone, not medical.
MODIFIERS = frozenset({"gone_now", "ongoing", "sudden_onset", "severe_worst", "stiff_any",
                       "head_pain", "headache", "vomiting", "nausea", "rash"})
# A self-care question names nothing else when each other word is an article's (the same
# first letters: "breaks", "working") or as common as a question's frame ("should").
CARE_PREFIX = 5
FRAME_ZIPF = 5.5
# ... or a word of a question's frame that is not that common: modals and adverbs of how
# often or how sure.
FRAME = frozenset({"ought", "often", "regularly", "usually", "normally", "ever", "okay",
                   "alright", "worth", "whether", "maybe", "perhaps", "really", "actually",
                   "still", "soon", "sooner", "later", "anyway"})
SCOPE_SHARE = 0.75  # of the learned flag threshold: enough to keep a message in scope
# Clearly another part of the body, with nothing of the neck, shoulders, head, arms or
# chest: the learned layer neither flags nor keeps it in scope ("my wrist hurts").
_ELSEWHERE = re.compile(r"\b(knees?|ankles?|feet|foot|toes?|heels?|hips?|elbows?|wrists?|"
                        r"tooth|teeth|gums?|calf|calves|hamstrings?|shins?|cats?|dogs?)\b")
_OURS = re.compile(r"\b(neck|shoulders?|traps?|trapezius|head|skull|jaw|face|arms?|hands?|"
                   r"fingers?|chest|back|spine|throat|breath\w*|knots?|legs?)\b")


# Somebody, or somebody's body: a sign belongs to a person. A message with neither ("what
# will the weather be tomorrow") is not kept in scope by the head's guess alone.
_PERSONAL = re.compile(r"\b(i|im|me|my|mine|myself|we|us|our|you|your|he|him|his|she|her|they|"
                       r"them|their|mum|mom|dad|son|daughter|husband|wife|partner|child|kid|"
                       r"baby|grandma|grandpa|friend|someone|somebody|body|feel\w*|felt)\b")


def elsewhere(norm: str) -> bool:
    return bool(_ELSEWHERE.search(PRESSING_WITH.sub(" ", norm))) and not _OURS.search(norm)


# The hand that presses, named as the tool ("with my thumb", "better than just my fingers",
# "a tool instead of ur fingers").
PRESSING_WITH = re.compile(r"\b(with|using|by|via|than|instead of|rather than|versus|vs)"
                           r"(?: just| only)? (my|your|ur|his|her|their|a|the|both) "
                           rf"({HAND_PARTS}|hands?|heel of (my|the) hand)\b")


_FULL_STOP = re.compile(r"(?<=[.!?\n])\s+")


def sentence_of(text: str, segment: str) -> str:
    """The sentence a clause came from, so its negation is read with it ("no numbness,
    tingling or weakness" for the clause "tingling or weakness")."""
    return _with_answer(text, segment)[0]


def answered_no(text: str, segment: str) -> str:
    """The sentence of ``segment`` with its answer, when it is a question answered no in
    the next sentence ("Numb hands? Nope."); else ""."""
    sentence, answered = _with_answer(text, segment)
    return sentence if answered else ""


def _with_answer(text: str, segment: str) -> tuple[str, bool]:
    """The first sentence of ``text`` holding ``segment`` (else the segment), with the next
    sentence joined to it when that answers its question no; and whether it did."""
    parts = [s for s in SENTENCE.split(text) if s]
    for i, sentence in enumerate(parts):
        if segment in sentence:
            if sentence.rstrip().endswith("?") and i + 1 < len(parts) and \
                    ANSWERED_NO.match(parts[i + 1].lower()):
                return f"{sentence} {parts[i + 1]}", True
            return sentence, False
    return segment, False


# The learned classes a numb limb alone can raise (arms and hands; legs).
LIMB_CLASSES = ("nerve_sensory", "cord_compression_legs")
# The classes of the hands and arms themselves.
HAND_CLASSES = ("nerve_sensory", "nerve_weakness")
# Hands and arms told as worked hard, strong, or unable to reach the knot ("my hands are
# tired from work", "my hands are my livelihood", "I can't get leverage with my hand"):
# the learned head reads them as weak hands, which is a sign only when it is said.
_HANDS_USED = re.compile(
    r"\b(hands?|arms?|fingers?|thumbs?)\b[^.!?]{0,40}\b(tired|strong|wrecked|knackered|worn "
    r"out|busy|full|livelihood|living)\b|"
    # ... or worn out in slang, said of the hands themselves: "my wife's hands are shot".
    r"\b(hands?|arms?|fingers?|thumbs?) (are|is|feel|feels)( all| just| completely| totally)? "
    r"(shot|fried|cooked|toast|done in)\b(?! (down|through|into|up|across|to|along|out)\b)|"
    r"\b(tired|strong|wrecked|knackered|worn out) "
    r"(hands?|arms?|fingers?|thumbs?)\b|\bleverage\b|\b(cannot|can not|could not|never|hard "
    r"to|struggle to) (get at|get to|reach|get (\w+ )?(angle|purchase))\b|"
    # ... or used as the tool: "how can I work them out with my hands?".
    r"\b(with|using|use|by) (my|his|her|your|our|their|both|bare|just) (own |bare |two )?"
    r"(hands?|fingers?|thumbs?|palms?|knuckles?)\b")
# ... and what would make them a sign after all.
_HAND_SIGN = re.compile(
    r"\b(weak\w*|numb\w*|tingl\w*|pins|needles|grip\w*|drop\w*|clums\w*|useless|dead|heavy|"
    r"floppy|limp|paraly\w*|strength|shak\w*|trembl\w*|fizz\w*|electric\w*|shock\w*|buzz\w*|"
    r"asleep|give way|gave way|gives way|(cannot|can not|could not) (lift|hold|raise|move|feel)|"
    # ... or pain that travels: "a pain shot down to my fingers", "a jolt goes down my arm".
    r"shoot\w*|shot (down|through|into|up|across|to|along)|jolt\w*|radiat\w*|pains? (down|into|"
    r"through)|(down|into) (to )?(my |his |her )?(arms?|hands?|fingers?|thumbs?)"
    r")\b")


# Pain told as getting better ("reducing day by day", "it feels better", "two ibuprofen
# sorted it"), not denied: no pain that persists, whatever the learned head made of how
# long it has been there.
_IMPROVING = re.compile(
    r"(?<!not )(?<!no )(?<!never )(?<!hardly )\b((getting|gets|got|feels?|feeling|is|it is|"
    r"much|slowly|bit) (a (bit|little|lot) |much |slowly )?(better|easier|looser|less (sore|"
    r"painful|tight))|(reducing|improving|easing|settling|fading|shrinking|loosening)( (off|"
    r"down|up))?( day by day| every day| each day| slowly| a bit| now)?|(?<!nothing )"
    r"(sorted|fixed|cleared|settled) (it|that|them)( out| up)?|did the trick)\b")


# The neck told as moving ("I can turn it fine", "it clicks when I turn it"): no sudden
# loss of movement, whatever the learned head made of a neck that turns with a noise.
_MOVES = re.compile(
    r"(?<!only )\b(can|could|able to) (still )?(turn|move|rotate|bend|tilt) (it|(my|his|her|the|"
    r"their) (neck|head))\b(?! (only|just|barely|hardly|a (little|bit|tiny)))|"
    r"\b(click\w*|crack\w*|pop\w*|crunch\w*|grind\w*|creak\w*)\b[^.!?]{0,20}\b(when|whenever|as|"
    r"if) (i|he|she|you) (turn|move|rotate|tilt|look)|"
    # Movement limited, not lost: "I can't turn it very far without a pull".
    r"\b(cannot|can not|could not|unable to) (turn|move|rotate|bend|tilt|twist|look)\b[^.!?]{0,25}"
    r"\b(very far|that far|as far|all the way|fully|past|more than|properly without|without "
    r"(pain|it hurting|hurting|a pull|pulling|a twinge|discomfort))\b")
# A neck that cannot move ("cannot swivel or nod it"): more than a stiff neck, so a denied
# fever does not set it aside.
_CANNOT_MOVE = re.compile(
    r"\b(cannot|can not|could not|unable to|not able to|impossible to|will not|would not)\b"
    r"[^.!?]{0,15}\b(move|rotate|turn|tilt|bend|flex|twist|budge|swivel|nod)\b")


def improving(norm: str) -> bool:
    """Is the pain told as getting better, and not also as getting worse?"""
    return bool(_IMPROVING.search(norm)) and not re.search(r"\bworse\b", norm)


_LUMP = re.compile(r"\b(lumps?|bumps?|nodules?|nodes?|lumpy)\b")
# What makes a lump a sign (red-flags.md: one that grows, glands, weight lost, night sweats,
# past cancer) or a place no knot sits (the throat, under the jaw or the arm, the collarbone).
_LUMP_SIGN = re.compile(
    r"\b(grow\w*|grew|bigger|larger|size|swell\w*|swollen|glands?|weight|sweat\w*|cancer|"
    r"tumou?r|fever|unwell|night|collar ?bone|armpit|jaw|throat|front|side|ear|red\w*|hot|"
    r"warm\w*|heat|pus|infect\w*|bruis\w*|injur\w*|hit|fell|fall\w*|"
    # ... and a lump measured or compared over time ("1.2 cm then 2 cm", "a pea, now a
    # walnut", "came up in the summer"): told growing without the word.
    r"\d+|cm|mm|inch\w*|measur\w*|sized?|pea|marble|walnut|grape|golf|egg|like an?|now|was|"
    r"since|weeks?|months?|came up|come up|appeared|new)\b")


PAIR_WINDOW = 3  # "stick with knobs": two words at most this far apart
PAIR_ZIPF = 5.5  # both words rarer than this in English: "every day", "long time" name nothing
PAIR_RARE = 4.3  # and one of them this rare: "sustained" 4.2, "knobs" 3.0; "tennis ball" no


def article_pairs(sentences: Iterable[str]) -> frozenset[tuple[str, str]]:
    """Ordered pairs of uncommon words close together in a sentence ("sustained
    pressure", "stick ... knobs"): how a text names a thing."""
    pairs = set()
    for sentence in sentences:
        words = [(w, zipf(w)) for w in re.findall(r"[a-z]+", sentence.lower())]
        for i, (first, often) in enumerate(words):
            if len(first) < 3 or often >= PAIR_ZIPF:
                continue
            for second, also in words[i + 1:i + PAIR_WINDOW]:
                if len(second) >= 3 and second != first and also < PAIR_ZIPF and \
                        min(often, also) < PAIR_RARE:
                    pairs.add((first, second))
    return frozenset(pairs)


def lump_is_the_knot(norm: str) -> bool:
    """A lump asked about as the knot itself ("a hard little lump near the shoulder: is that
    a knot?"): the articles' own description of a knot, not a lump that grows nor a red,
    hot, injured spot."""
    return bool(_LUMP.search(norm)) and bool(re.search(r"\bknot", norm)) and \
        not _LUMP_SIGN.search(norm)


def hands_only_used(norm: str) -> bool:
    """Does the message (normalised) tell its hands or arms only as worked hard, strong or
    unable to reach, with no word of a sign in them (`_HAND_SIGN`)?"""
    return bool(_HANDS_USED.search(norm)) and not _HAND_SIGN.search(norm)


def story_of(text: str, segment: str, words: int = NEXT_SHORT) -> str:
    """`sentence_of`, with the next sentence when that is short ("Gone once I stood up."):
    `with_next_short` for raw text, split as the learned layer splits it."""
    parts = [s for s in SENTENCE.split(text) if s and s.strip()]
    for i, sentence in enumerate(parts):
        if segment in sentence:
            after = parts[i + 1] if i + 1 < len(parts) else ""
            return f"{sentence} {after}" if after and len(after.split()) <= words else sentence
    return segment


@dataclass
class SafetyResult:
    triage: Triage
    press_check: PressCheck | None
    flags: list[str] = field(default_factory=list)
    scope: Scope = "in_scope"

    @property
    def crisis_only(self) -> bool:
        """Thoughts of self-harm and no sign in the neck: nothing in the articles is for it."""
        return bool(self.flags) and {f.split(":")[-1] for f in self.flags} == {CRISIS}


class SafetyStage:
    """``assess(question, history)`` is the only entry point the pipeline uses."""

    def __init__(self, normaliser: Normaliser, vocabulary: frozenset[str],
                 semantic: SemanticLayer | None = None, lexicon: Lexicon | None = None,
                 learned: LearnedLayer | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        self.normalise = normaliser
        self.vocabulary = vocabulary
        self.semantic = semantic
        self.learned = learned
        self.known = vocabulary  # and the articles' words: "needling" is not gibberish
        self.article_terms: frozenset[str] = frozenset()  # the articles' own: "ischemic"
        self.article_pairs: frozenset[tuple[str, str]] = frozenset()
        self.article_words: frozenset[str] = frozenset()
        self._article_starts: frozenset[str] = frozenset()  # their first `CARE_PREFIX` letters

    def as_topic(self, text: str) -> str:
        """A message that names nothing of the topic but a pronoun, with the pronoun read
        as the knot ("will this thing ever go away?"); "" for any other message."""
        if self.lex.scope_topic.search(text) or not REFERS.search(text):
            return ""
        return as_the_knot(text)

    def use_articles(self, words: Iterable[str], terms: frozenset[str],
                     sentences: Iterable[str] = ()) -> None:
        """The served articles' words count as words, and their own terms (rare in
        English) as the topic, and so do the pairs of words their sentences name things by
        ("sustained pressure", "a stick with knobs")."""
        self.article_pairs = article_pairs(sentences)
        self.article_words = frozenset(words)
        self._article_starts = frozenset(w[:CARE_PREFIX] for w in self.article_words
                                         if len(w) >= CARE_PREFIX)
        self.known = self.vocabulary | self.article_words
        self.article_terms = terms

    def names_article_term(self, norm: str) -> bool:
        """Does the text use one of the articles' own terms ("ischemic", "trapezius")?"""
        return bool(self.article_terms & set(re.findall(r"[a-z]+", norm)))

    def asks_only_care(self, norm: str) -> bool:
        """Does the message ask only self-care's own questions (whether and when to get it
        seen, breaks from sitting: `care` in scope.yaml), naming nothing else: every other
        word of it the articles' (in some form) or the frame of a question? "how often
        should I take a break at work?" is; "should I see someone? I found blood in my
        poo" and words Knotbot cannot read beside "see a doctor" are not."""
        care = self.lex.scope_care.search(norm)
        if care is None or not self.article_words:
            return False
        rest = norm[:care.start()] + " " + norm[care.end():]
        return all(w in self.article_words or w[:CARE_PREFIX] in self._article_starts
                   or w in FRAME or zipf(w) >= FRAME_ZIPF
                   for w in re.findall(r"[a-z]+", rest) if len(w) > 2)

    def medical(self, norm: str, reading: Reading | None) -> bool:
        """Does any layer see a warning sign here, even below its threshold? Then the
        message is never refused as off-topic: refusing is for messages with nothing
        medical in them about the neck and shoulders."""
        if elsewhere(norm):
            return False
        if reading is not None and self.learned is not None and (
                _PERSONAL.search(norm) or _OURS.search(norm)) and (
                reading.red_mass >= SCOPE_SHARE * self.learned.head.flag_threshold
                or max(reading.press_do_not, reading.press_stop) >= 0.5):
            return True
        if any(p.search(norm) for name, p in self.lex.concepts_in(norm) if name not in MODIFIERS):
            return True
        return any(p.search(norm) for _, p in self.lex.do_not_press.values()) \
            or bool(self.lex.stop[1].search(norm))

    def _scope(self, question: str, norm: str, earlier: list[str],
               reading: Reading | None = None) -> Scope:
        scope = scope_of(norm, self.lex, self.known)
        if scope == "medication" and knot_asked_too(norm, self.lex):
            return "in_scope"  # the knot's part answered; the answer names the medicine's
        if scope in ("medication", "in_scope"):
            return scope
        if self.medical(norm, reading):
            return "in_scope"
        if scope != "out_of_scope":
            return scope
        # The hand that presses is not the body part asked about ("with my thumb").
        other_body = self.lex.scope_other_body.search(without_tools(PRESSING_WITH.sub(" ", norm)))
        about_a_spot = re.search(r"\b(knots?|spot|where|there|it)\b", norm) \
            or self.lex.scope_body.search(norm)
        if self.lex.press_intent.search(norm) and about_a_spot and not other_body:
            return "in_scope"  # where and how to press on a knot is what Knotbot is for
        if not other_body and self.names_article_term(norm):
            return "in_scope"  # a term of the articles' own: "whats ischemic compression"
        if (not other_body or re.fullmatch(HAND_PARTS, other_body.group(0))) and \
                self.article_pairs & article_pairs([norm]):
            # A thing the articles name: "that sustained pressure trick, which fingers?"
            return "in_scope"
        if self.semantic and not other_body and (
                self.semantic.in_scope(question)
                # With its typos mended ("wich part of my bakc..."), read both ways.
                or (norm != question.lower().strip() and self.semantic.in_scope(norm))
                # A part of a longer message may be what is close ("is it my phone? I'm on
                # it all day with my head down"): the rest dilutes the whole's vector.
                or any(self.semantic.in_scope(p) for p in message_parts(question))):
            return "in_scope"
        if self.semantic and not other_body and (topical := self.as_topic(norm)) \
                and self.semantic.in_scope(topical, PRONOUN_SCOPE):
            return "in_scope"
        if not other_body and self.asks_only_care(norm):
            return "in_scope"
        follows_topic = any(scope_of(t, self.lex, self.vocabulary) == "in_scope"
                            or self.names_article_term(t)
                            for t in earlier)
        if follows_topic and FOLLOW_UP.search(norm) and not other_body:
            return "in_scope"
        return "out_of_scope"

    def prepare(self, question: str, history: list[Turn] | None = None,
                embeddings: QueryCachedEmbeddings | Embeddings | None = None) -> None:
        """Embed the question (``embeddings.embed_query_with``) and every piece the
        learned layer will read, in one model call, so that ``assess`` only does
        arithmetic (the pipeline times this as embedding)."""
        if self.learned is None:
            if embeddings is not None:
                embeddings.embed_query(question)
            return
        texts = [t.content for t in history or [] if t.role == "user"] + [question]
        pieces = [p for t in texts for p in (
            *self.learned.pieces(t), *self.learned.pieces(self.normalise.readings(t)[1]))]
        if embeddings is None:
            self.learned.encode(pieces)
            return
        # The question is kept as the query's vector; the crisis reader needs the hidden
        # states of the pieces it reads too (the same model call gives both).
        read = self.learned.to_read(texts)
        todo = self.learned.unseen(pieces, besides=question, read=read)
        together = getattr(embeddings, "embed_query_with", None)
        lowers: list[Any] = []
        if together is not None:  # the crisis reader's hidden states from the same call
            vector, vectors, lowers = together(question, todo,
                                               lower=self.learned.reads_any(todo, read))
        else:  # any LangChain Embeddings: two calls
            vector = embeddings.embed_query(question)
            vectors = embeddings.embed_documents(todo) if todo else []
        self.learned.remember(question, vector)
        self.learned.keep(todo, vectors, lowers, read)

    def _said(self, text: str, background: list[str], piece: str) -> bool:
        """May a segment of ``text`` add a learned flag? Not when the rules read every
        sign word of its sentence as denied, figurative or someone else's, or as the
        ``background`` of the message (someone close's trouble, over, beside the writer's
        own knot: `close_ones_past`); and where they set aside part of it (a thing's or
        another's event, a figure of speech), only if the head still sees a sign in what
        is left ("the kettle's gone dead on me")."""
        sentence = self.normalise(sentence_of(text, piece))
        whole = next((s for s in _FULL_STOP.split(text) if piece in s), piece)
        told = self.normalise(whole)
        if explained_away(sentence, self.lex) or (
                whole != piece and explained_away(told, self.lex)):
            return False  # ... or told as over after a semicolon ("...; a paracetamol sorted it")
        if any(" ".join(sentence.split()).strip(" .;!?") in b for b in background):
            return False
        parts = [p for p in SENTENCE.split(piece) if p.strip(" .;!?")]
        if len(parts) > 1 and self.learned is not None:  # a segment of several sentences
            # ... and a sign asked and answered no in the next sentence ("nah. numb hands?
            # none at all.")
            # ... and an injury long healed, told in a sentence of its own ("broke my
            # collarbone in 1979, long mended. now it's just a knot ...").
            left = [p for p, read in ((p, self.normalise(p)) for p in parts) if not any(
                " ".join(read.split()).strip(" .;!?") in b for b in background)
                and not ((asked := answered_no(text, p)) and explained_away(
                    self.normalise(asked), self.lex))
                and blank_healed(read).strip(" .;!?")]
            if len(left) < len(parts):
                return bool(left) and bool(self.learned.read(" ".join(left)).flags)
        if not blank_healed(told).strip(" .;!?"):
            return False  # an old injury long healed ("...years ago; it healed fine.")
        kept = " ".join(blank_healed(not_the_writers(sentence, self.lex)).split())
        if kept == " ".join(sentence.split()) or self.learned is None:
            return True
        return bool(kept) and bool(self.learned.read(kept).flags)

    def _crisis_flag(self, texts: list[str], levels: dict[str, str], reasons: list[str]
                     ) -> None:
        """Thoughts of suicide or self-harm the rules did not read, in any user turn, as
        the crisis reader reads them (`rag.safety.crisis`)."""
        if self.learned is None or self.learned.crisis is None or CRISIS in levels:
            return
        if any(self._crisis_read(text) for text in texts):
            levels[f"learned:{CRISIS}"] = next(c.level for c in self.lex.classes
                                               if c.id == CRISIS)
            reasons.append(next(c.reason for c in self.lex.classes if c.id == CRISIS))

    def _crisis_read(self, text: str) -> bool:
        """Does the crisis reader read such thoughts in this one message? In a message that
        itself tells of an emergency sign (the rules', read in it alone, so a message reads
        the same however the conversation goes on) it needs more (`CrisisReader.beside_sign`):
        the level is an emergency either way, and the crisis words are not put before a
        stroke's advice on less. Never beside a lesser sign, which would lower the level."""
        assert self.learned is not None and self.learned.crisis is not None
        reader = self.learned.crisis
        if not readable(text):
            return False
        score = self.learned.crisis_score(text)
        needed = reader.threshold_for(False)
        # Named as written and as meant: "message gun" is a massage gun mistyped.
        if all(_CRISIS_CUE.search(r) for r in self.normalise.readings(text)):
            needed -= CUED_MARGIN
        if score < needed or self._crisis_denied(text):
            return False
        return score >= reader.threshold_for(True) or not any(
            h.level == "emergency" and h.cls.id != CRISIS
            for h in match_classes(self.normalise(text), self.lex))

    def _said_beside_crisis(self, said: Callable[[str], bool], piece: str) -> bool:
        return not _CRISIS_WORDS.search(self.normalise(piece)) and said(piece)

    def _crisis_denied(self, text: str) -> bool:
        """Does the message use the words of such thoughts only to deny them or in another
        sense ("I am not suicidal", "I don't want to live on painkillers")? The rules saw
        the words and did not read them as meant: the head, which cannot read a denial or
        a figure, may not add them either."""
        norm = self.normalise(text)
        return bool(_CRISIS_WORDS.search(norm)) and \
            CRISIS not in present_concepts(norm, self.lex).current

    def _learned_flags(self, texts: list[str], levels: dict[str, str], reasons: list[str]
                       ) -> Reading | None:
        """The learned layer over every user turn: adds flags, returns the last turn's
        reading (for the scope guard and the press check)."""
        if self.learned is None:
            return None
        reading = None
        for text in texts:
            plain, mended = self.normalise.readings(text)
            whole = plain if mended == plain else f"{plain} . {mended}"  # self.normalise(text)
            background = [" ".join(whole[a:b].split()) for a, b in close_ones_past(
                whole, self.lex.concepts.get(LASTING))]
            said = partial(self._said, text, background)
            if _CRISIS_WORDS.search(whole):
                # A segment telling of thoughts of self-harm is read by the crisis rules and
                # head; the neck's signs come from the rest ("I want to end it. I've been
                # shivery and can't bend my neck": the second sentence).
                said = partial(self._said_beside_crisis, said)
            reading = self.learned.read(text, keep=said)
            low = " ".join(text.lower().split())
            if (mended != plain or as_spoken(low) != low) and reading.flags and \
                    self.learned.read(mended).red_mass < self.learned.head.flag_threshold:
                # Typos and dialect bend a sentence's vector: with them mended or read as
                # standard English, the sign must still be seen, or the head was reading
                # the typos ("masssage ... sore" read as ill) or the dialect's words.
                reading = replace(reading, flags=[])
            if elsewhere(f"{plain} {mended}"):
                continue  # "my wrist hurts from typing": not for this layer
            denied = denied_topics(whole, self.lex)
            for hit in reading.flags:
                if hit.cls in denied and hit.cls not in levels:
                    continue  # "no temperature": the head cannot read a denial
                if hit.cls not in levels and "meningitis" in denied and \
                        stiffness_only(self.normalise(hit.segment), self.lex) and not (
                            hit.cls == "sudden_immobility"
                            and _CANNOT_MOVE.search(self.normalise(hit.segment))):
                    continue  # "neck a bit stiff after vacuuming, no fever": stiffness alone
                if hit.cls == "sudden_immobility" and hit.cls not in levels and \
                        _MOVES.search(whole):
                    continue  # "my neck clicks when I turn it": it turns
                if hit.cls == "persistent_pain" and hit.cls not in levels and improving(whole):
                    continue  # "it is reducing day by day": pain that eases does not persist
                if hit.cls in ("serious_illness", "inflammation") and hit.cls not in levels \
                        and lump_is_the_knot(whole):
                    continue  # "hard little lump, is that what a knot feels like?"
                if hit.cls in HAND_CLASSES and hit.cls not in levels and \
                        hands_only_used(whole):
                    continue  # "my hands are tired from the clay": used, not weak
                if hit.cls in LIMB_CLASSES and hit.cls not in levels and (
                        lay_and_woke(self.normalise(hit.segment))
                        or limb_woke(self.normalise(story_of(text, hit.segment)))):
                    continue  # "fizzed after I dozed on my arm, then fine": a limb that lay wrong
                if not any(LEVEL_RANK[lv] >= LEVEL_RANK[hit.level] for lv in levels.values()):
                    levels[f"learned:{hit.cls}"] = hit.level
                    reasons.append(f"this sounds like a warning sign ({hit.cls.replace('_', ' ')})")
        return reading

    def _foreign(self, texts: list[str], levels: dict[str, str], reasons: list[str]
                 ) -> str | None:
        """A message in a language Knotbot cannot read may describe an emergency: it gets
        the emergency signs in its language, never a refusal. So does an English message
        with words of another language beside a sign's words ("homa kali since last
        night ... the head is banging"), or half in another language beside English clauses
        ("Ma mère a de la fièvre, and her neck is stiff"): the words it cannot read may be
        the sign. Returns the language ("mixed", or "mixed:fr" for the last)."""
        last = None
        for text in texts:
            lang = language_of(text)
            if lang == "en" and (other := mixed_with(text)):
                lang = f"mixed:{other}"
            elif lang == "en" and self._mixed(text):
                lang = "mixed"
            if lang != "en":
                last = lang
                levels[f"language:{lang}"] = "emergency"
        if last and last.startswith("mixed"):
            reasons.append("partly written in a language Knotbot cannot read, beside words "
                           "of a warning sign: the emergency signs are listed in case one applies")
        elif last:
            reasons.append(f"written in {language_name(last)}, which Knotbot cannot read: "
                           "the emergency signs are listed in case one applies")
        return last

    def _mixed(self, text: str) -> bool:
        """Words of another language (`unknown_words`, at least `MIXED_WORDS`) in an
        English message that also has, in English, a sign's words, a qualifier of one or
        a place the signs name (`Lexicon.sign_places`); or that make up `MIXED_SHARE` of
        its words ("my shingo yangu inauma kila siku tangu wiki iliyopita, can I massage
        the knot?"). Words the typo mender turns into English ones ("gardan" into garden)
        are not counted."""
        mended = self.normalise.readings(text)[1]
        unknown = self._unread(text)
        if len(unknown) < MIXED_WORDS:
            return False
        if len(unknown) >= MIXED_SHARE * sum(len(w) > 1 for w in re.findall(r"[a-z]+", mended)):
            return True
        # A sentence mostly in words it cannot read, however much English is around it
        # (an instruction to the bot, then the story in another language).
        for sentence in _SENTENCE_END.split(mended):
            theirs = unknown_words(sentence, self.known)
            if len(theirs) >= MIXED_WORDS and len(theirs) >= UNREAD_SENTENCE * sum(
                    len(w) > 1 for w in re.findall(r"[a-z]+", sentence)):
                return True
        norm = self.normalise(text)
        if present_concepts(norm, self.lex).current - _WEAK:
            return True
        # A place the signs name, not denied ("my head <unread> roof", "throat <unread> and
        # breathing <unread>"): what it cannot read beside it may be the sign.
        return any(not negated(norm, m.start(), m.end(), self.lex)
                   for m in self.lex.sign_places.finditer(norm))

    def _unread(self, text: str) -> list[str]:
        """The words of ``text`` no English list knows, read as meant (`unknown_words`)."""
        return unknown_words(self.normalise.readings(text)[1], self.known)

    def _is_press(self, norm: str, earlier: list[str], reading: Reading | None) -> bool:
        """A press question, or a follow-up to one ("and if my fingers go numb?")."""
        if is_press_question(norm, self.lex):
            return True
        if reading is not None and reading.press_any >= 0.5:
            return True
        return bool(earlier) and is_press_question(earlier[-1], self.lex) \
            and bool(FOLLOW_UP.search(norm) or len(norm.split()) <= 14)

    def assess(self, question: str, history: list[Turn] | None = None) -> SafetyResult:
        earlier = [self.normalise(t.content) for t in history or [] if t.role == "user"]
        norm = self.normalise(question)
        everything = " . ".join([*earlier, norm])
        hits = match_classes(everything, self.lex)
        levels = {h.cls.id: h.level for h in hits}
        reasons = [h.cls.reason for h in hits]
        user_texts = [t.content for t in history or [] if t.role == "user"] + [question]
        # The example-phrasing layer flags only when there is no learned head: over every
        # read set (4,000 red flags) it caught none the learned layer missed, and raised
        # ordinary questions close to its one example ("a knot in my shoulder, heat or ice?"
        # read as "red, swollen and hot").
        if self.semantic and self.learned is None:
            for text in user_texts:
                if explained_away(self.normalise(text), self.lex):
                    continue  # its sign words all denied, figurative or someone else's
                for sem in self.semantic.flags(text):
                    if not any(LEVEL_RANK[lv] >= LEVEL_RANK[sem.level] for lv in levels.values()):
                        levels[f"semantic:{sem.cls}"] = sem.level
                        reasons.append(f"close to a warning sign: \"{sem.example}\"")
        # Thoughts of self-harm are no sign in the neck: set aside while the learned layer
        # reads the neck's signs (it adds only what no flag at that level already says).
        crisis_rule = levels.pop(CRISIS, None)
        reading = self._learned_flags(user_texts, levels, reasons)
        if crisis_rule is not None:
            levels[CRISIS] = crisis_rule
        self._crisis_flag(user_texts, levels, reasons)
        # The level read in the words themselves, before any language's emergency signs
        # (and the neck's alone, beside thoughts of self-harm).
        read = max(levels.values(), key=LEVEL_RANK.__getitem__, default="self_care")
        read_neck = _top({k.split(":")[-1]: lv for k, lv in levels.items()}, CRISIS)
        foreign = self._foreign(user_texts, levels, reasons)
        level = max(levels.values(), key=LEVEL_RANK.__getitem__, default="self_care")
        scope: Scope = "in_scope"
        if level == "self_care":
            scope = self._scope(question, norm, earlier, reading)
            if unreadable(question, MIN_WORDS if scope != "in_scope" else SURE_WORDS):
                # Not refused, nor answered as a knot question it may not be (a word or
                # two the scope guard knows): words Knotbot cannot read may tell of an
                # emergency.
                foreign, scope, level = "other", "in_scope", "emergency"
                levels["language:other"] = level
                reasons.append("written in words Knotbot cannot read: the emergency signs "
                               "are listed in case one applies")
            elif scope != "in_scope":
                level = "out_of_scope"
        # Layer hits are stored as "semantic:<class>" / "learned:<class>"; the press check
        # reads the class.
        flag_levels: dict[str, str] = {}
        for key, lv in levels.items():
            cls = key.split(":")[-1]
            if LEVEL_RANK[lv] > LEVEL_RANK[flag_levels.get(cls, "self_care")]:
                flag_levels[cls] = lv
        press = None
        crisis = CRISIS in flag_levels
        # A warning sign that needs a doctor today carries "do not press" whatever was
        # asked ("which stretch?" after a stroke sign): the answer must say it. Thoughts of
        # self-harm alone are not a sign in the neck: no press verdict unless one is asked.
        # A medicine question is declined, but a press question asked with it still gets
        # its verdict ("I can't stop my warfarin, can I press the knot?": do not press).
        if (level != "out_of_scope" or scope == "medication") and (
                self._is_press(norm, earlier, reading)
                or LEVEL_RANK[_top(flag_levels, CRISIS)] >= LEVEL_RANK["urgent"]):
            press = press_check(norm, self.lex, flag_levels, everything, force=True)
            if press and reading is not None and self.learned is not None:
                # Where the rules see only a place made for pressing (the back of the neck,
                # the top of the shoulders), the head's guess about the place does not
                # override them; a contraindication the rules missed still can.
                head = self.learned.head
                press = tighten(press, reading.press_do_not >= head.do_not_threshold
                                and not SAFE_PLACE.search(norm)
                                and not only_denied(norm, self.lex, PLACE_WORDS)
                                and not places_denied(norm, self.lex),
                                reading.press_stop >= head.stop_threshold
                                and not none_felt_now(norm, self.lex)
                                and not only_good_pain(norm)
                                and not (hands_only_used(norm)
                                         and not while_pressing(norm)),
                                self.lex)
        if press and press.verdict == "gently" and len(self._unread(question)) >= MIXED_WORDS:
            press = PressCheck(verdict="do_not_press", reasons=[UNREAD_DO_NOT])
        if press and press.verdict == "stop" and level != "out_of_scope" and \
                LEVEL_RANK[level] < LEVEL_RANK["see_doctor"]:
            level = "see_doctor"
            reasons.append("pressing brings sharp pain, numbness, tingling or weakness")
        key = "medication" if scope == "medication" else level
        message = self.lex.messages[key]
        if level == "out_of_scope" and (part := self.lex.scope_other_body.search(norm)):
            # Say which part by name: "the articles don't cover knots in the calf".
            message = f"{message} The articles don't cover knots in the {part.group(0)}."
        neck = read_neck if crisis else read
        if foreign and foreign.startswith("mixed") and LEVEL_RANK[neck] >= LEVEL_RANK["urgent"]:
            # A sign read in the English words keeps its own, direct message first.
            message = f"{self.lex.messages[neck]}\n\n{foreign_message(foreign)}"
        elif foreign:
            message = foreign_message(foreign)
        elif crisis:  # what any sign in the neck calls for, after the crisis words
            other = _top(flag_levels, CRISIS)
            message = self.lex.messages[other] if LEVEL_RANK[other] >= LEVEL_RANK[
                "see_doctor"] else ""
        if crisis:  # the crisis words first, whatever else the message must say
            message = "\n\n".join(filter(None, (self.lex.messages["crisis"], message)))
        return SafetyResult(Triage(level=level, reasons=reasons, message=message),  # type: ignore[arg-type]
                            press, sorted(levels), scope)
