"""What a question asks for: its shape, read from the question's own wording.

The rules look only at question words and the verbs people use to ask ("how long",
"what causes", "should I see a doctor"), never at the articles' topics, so they hold for
articles added later. `knotbot answer-check` measures them on a set whose shapes were
labelled by a writer who never saw these rules.
"""

from __future__ import annotations

import re
from typing import Literal

Shape = Literal["definition", "cause", "relief_list", "technique", "duration", "yes_no",
                "where", "see_doctor", "comparison", "other"]
SHAPES: tuple[Shape, ...] = ("definition", "cause", "relief_list", "technique", "duration",
                             "yes_no", "where", "see_doctor", "comparison", "other")
# Shapes answered with the article's list when it has one (sub-sections or bullets).
LIST_SHAPES: frozenset[Shape] = frozenset({"relief_list", "cause", "see_doctor"})


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_AUX = (r"(?:is|are|can|could|should|shall|do|does|did|will|would|was|were|am|has|have|may|"
        r"might|must)")
_HELP = (r"doctor|physician|\bgp\b|physio\w*|professional|specialist|medical (?:help|attention|"
         r"advice|care)|\bthe er\b|emergency room|urgent care|get (?:it|this) (?:checked|looked)|"
         r"seek help|worr(?:y|ied)|serious|concern(?:ed|ing)")
_SEE_DOCTOR = _any(rf"\b(?:when|should|do|would|at what point|how do i know)\b.*\b(?:{_HELP})",
                   rf"\b(?:{_HELP})\b.*\b(?:when|should i|need)\b", r"\bwarning signs?\b",
                   r"\bred flags?\b", r"\b(?:doctor|physician|gp|physio)\w*(?: time| now)?\W*$",
                   rf"\b(?:reason|time|need|enough) to (?:see|visit|consult|call|ring|book)\w* "
                   rf"(?:a |an |the |my |your )?(?:{_HELP})")
_DURATION = _any(r"\bhow (?:long|often|many|much time|soon|quickly|fast|frequently)\b",
                 r"\bfor how long\b", r"\bhow many (?:times|seconds|minutes|days|weeks)\b",
                 r"\bwhen will (?:it|they|this)\b.*\b(?:go|heal|stop|better)\b",
                 r"\b(?:seconds|minutes)\b.*\?$", r"\bduration\b")
_COMPARISON = _any(r"\b(?:vs\.?|versus|compared (?:to|with)|difference between|rather than|"
                   r"instead of)\b", r"\b(?:which|what)(?: one)? is (?:better|best|worse)\b",
                   r"\bbetter\b.*\bor\b", r"\bor\b.*\bbetter\b",
                   r"\b(?:heat|hot|warm)\b.*\bor\b.*\b(?:ice|cold)\b",
                   r"\b(?:ice|cold)\b.*\bor\b.*\b(?:heat|hot|warm)\b")
_CAUSE = _any(r"\bwhy\b", r"\bcaus\w*", r"\breasons?\b", r"\bwhat makes\b",
              r"\bhow (?:do|did|does) (?:i|you|we|they|knots?|it|these)\b.*\b(?:get(?! rid)|form|"
              r"develop|start|appear)\b", r"\b(?:form|develop|appear)\b.*\bin the first place\b",
              r"\bwhere do (?:they|knots?|these) come from\b", r"\bto blame\b",
              r"\b(?:be|is|are|what's|whats)\s+(?:\w+\s+)?behind (?:it|this|these|them|that|"
              r"those|(?:my|the) knots?)\b",
              r"\btrigger(?:s|ed)? (?:them|it|knots?)\b", r"\bcontribut\w*\b",
              r"\b(?:get|getting|keep getting) (?:them|these|knots?)\b.*\b(?:from|because)\b")
_RELIEF = _any(r"\b(?:get rid|relie\w*|reliev\w*|treat\w*|fix|cure|ease|loosen|undo|unknot|"
               r"release|heal|prevent\w*|soothe|make (?:it|them) go away|get (?:it|them) to go|"
               r"remed\w*|deal with|avoid|stop (?:getting|them|it|knots?))\b",
               r"\bwhat (?:helps|can help|will help|would help|works|can i do|should i do)\b",
               r"\bhelp (?:with|for|get rid|relieve|ease)\b",
               r"\b(?:everything|anything|things?|stuff) (?:that |which )?(?:helps|works|"
               r"can help|will help)\b",
               r"\b(?:what|which|any) (?:are )?(?:(?:the|some|all|my|your|best|other|good)\s+)"
               r"{0,3}(?:ways?|tips|options|things|methods|remedies)\b",
               # Asking what to do or use, what is good for it, or for advice: the ways.
               r"\bwhat (?:to|do i|do you|should i|can i|could i|would you|can you|could you|"
               r"shall i|is there to) (?:do|try|recommend|suggest|advise)\b",
               r"\bwhat can (?:be|i|you|we) (?:done|do)\b",
               r"\b(?:best|good|right|top|recommended) (?:thing|things|stuff|options?|bets?|"
               r"remed\w*|treatments?|fix(?:es)?|cures?)\b",
               r"\bwhat(?:'s|s| is| are| works)? (?:good|best|recommended|effective) for\b",
               r"\b(?:any|some|your|got any) (?:advice|suggestions?|ideas|recommendations?|tips|"
               r"pointers)\b")
_TECHNIQUE = _any(r"\bhow (?:do|should|can|would|to|could) (?:i |you |one )?(?:properly |"
                  r"correctly |best |safely )?(?:massage|press|stretch|use|do|apply|knead|roll|"
                  r"perform|position|hold|work|find|locate|reach|rub|tuck|tilt|lean)\b",
                  r"\b(?:right|correct|proper|best) way to\b", r"\btechniques?\b",
                  r"\bsteps?\b", r"\bhow (?:hard|firm|deep|much pressure)\b",
                  r"\bwhat (?:do|should) i (?:do|use) (?:with|for)\b")
_DEFINITION = _any(r"^\W*(?:so |ok |okay |um |hey )?(?:what|wat|whit|wot)(?:'s| is| are|s)\b(?! "
                   r"(?:the )?(?:best|right|causes?|reason|difference))",
                   r"\b(?:what|wat|whit|wot) (?:even|actually|exactly|precisely) (?:is|are)\b",
                   r"\bwhat (?:sort|type) of\b", r"\bwhat (?:does|do|would) (?:it|that|this|they) "
                   r"(?:actually |really |even )?involve\b", r"\bexplain (?:\w+ )?simpl[ey]\b",
                   r"\bwhat does\b.*\b(?:mean|feel like|look like)\b", r"\bmeaning of\b",
                   r"\bdefin\w*", r"\bwhat exactly\b", r"\bwhat kind of\b",
                   r"\bwhat (?:it|they) (?:is|are)\b", r"\bfeels? like\b")
_WHERE = _any(r"\bwhere\b", r"\bwhich (?:part|area|muscles?|spots?|side|place)\b",
              r"\bwhat (?:part|area|muscles?|spots?)\b")
_YES_NO = re.compile(rf"^\W*(?:(?:so|ok|okay|and|but|also|hey|um|just wondering),? )?{_AUX}"
                     rf"(?:n't| not)?\b", re.IGNORECASE)
_LATER_YES_NO = re.compile(rf"[,.;:?!-]\s*(?:(?:so|and|but|or),? )?{_AUX}(?:n't)? (?:i|you|it|they|"
                           rf"this|that|my|a|the|there|we|these|those)\b", re.IGNORECASE)
# "If I leave it alone, will it go away?": a condition first, then the yes/no question.
_IF_YES_NO = re.compile(rf"^\W*(?:(?:so|and|but|ok|okay),? )?(?:if|once|after)\b[^?]*?\b{_AUX}"
                        rf"(?:n't| not)? (?:i|you|it|they|this|that|my|the|these|those|there|"
                        rf"we)\b", re.IGNORECASE)
_CAUSED = re.compile(r"\bcaus\w*|\bto blame\b", re.IGNORECASE)
_WH = re.compile(r"\b(?:how|what|why|where|which|when)\b", re.IGNORECASE)


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def classify(question: str) -> Shape:
    """The question's shape; the first rule that fits wins, the most specific first. Read
    from the sentences that ask (a "?"), not the story told before them ("My physio used
    the word. What is it?")."""
    q = " ".join(question.strip().split()).lower()
    sentences = _SENTENCE.split(q)
    asking = [s for s in sentences if "?" in s]
    if asking and len(asking) < len(sentences):
        q = " ".join(asking)
    if _SEE_DOCTOR.search(q):
        return "see_doctor"
    if _DURATION.search(q):
        return "duration"
    if _COMPARISON.search(q):
        return "comparison"
    yes_no = bool(_YES_NO.match(q) or _LATER_YES_NO.search(q) or _IF_YES_NO.match(q)) \
        and not _WH.search(q)
    if yes_no:
        # "Could repetitive strain be causing them?": yes or no, about a cause.
        return "cause" if _CAUSED.search(q) else "yes_no"
    if _WHERE.search(q):
        return "where"
    if _CAUSE.search(q):
        return "cause"
    if _TECHNIQUE.search(q):
        return "technique"
    if _RELIEF.search(q):
        return "relief_list"
    if _DEFINITION.search(q):
        return "definition"
    return "yes_no" if _YES_NO.match(q) else "other"


def unshaped(question: str) -> str:
    """The question without the words that give its shape ("what causes", "get rid of"):
    what is left says whether it asks about something in particular."""
    q = " ".join(question.split()).lower()
    for pattern in (_SEE_DOCTOR, _DURATION, _COMPARISON, _CAUSE, _TECHNIQUE, _RELIEF,
                    _DEFINITION, _WHERE):
        q = pattern.sub(" ", q)
    return q
