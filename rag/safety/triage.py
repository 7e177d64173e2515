"""The safety stage: triage + press check + scope guard, run before retrieval.

Every user turn of the conversation is read, so a level once raised is never lowered;
nothing in the text can switch a rule off, because no text is ever read as an order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.models import LEVEL_RANK, PressCheck, Triage, Turn
from rag.safety.lexicon import Lexicon, load_lexicon
from rag.safety.normalise import Normaliser
from rag.safety.press import press_check
from rag.safety.rules import match_classes
from rag.safety.scope import Scope, scope_of
from rag.safety.semantic import SemanticLayer

# A message that leans on the one before ("and how long?", "can I press it?").
FOLLOW_UP = re.compile(
    r"^(and|so|ok|okay|then|also|what about|how (long|often|many|much|hard|about)|should i|"
    r"can i|could i|is it|does it|do i|will it|why|when|where|which|what if)\b|\b(it|that|this|"
    r"them|those|these|there)\b"
)


@dataclass
class SafetyResult:
    triage: Triage
    press_check: PressCheck | None
    flags: list[str] = field(default_factory=list)
    scope: Scope = "in_scope"


class SafetyStage:
    """``assess(question, history)`` is the only entry point the pipeline uses."""

    def __init__(self, normaliser: Normaliser, vocabulary: frozenset[str],
                 semantic: SemanticLayer | None = None, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        self.normalise = normaliser
        self.vocabulary = vocabulary
        self.semantic = semantic

    def _scope(self, question: str, norm: str, earlier: list[str]) -> Scope:
        scope = scope_of(norm, self.lex, self.vocabulary)
        if scope != "out_of_scope":
            return scope
        other_body = self.lex.scope_other_body.search(norm)
        about_a_spot = re.search(r"\b(knots?|spot|where|there|it)\b", norm) \
            or self.lex.scope_body.search(norm)
        if self.lex.press_intent.search(norm) and about_a_spot and not other_body:
            return "in_scope"  # where and how to press on a knot is what Knotbot is for
        if self.semantic and not other_body and (
                self.semantic.in_scope(question)
                # With its typos mended ("wich part of my bakc..."), read both ways.
                or (norm != question.lower().strip() and self.semantic.in_scope(norm))):
            return "in_scope"
        follows_topic = any(scope_of(t, self.lex, self.vocabulary) == "in_scope" for t in earlier)
        if follows_topic and FOLLOW_UP.search(norm) and not other_body:
            return "in_scope"
        return "out_of_scope"

    def assess(self, question: str, history: list[Turn] | None = None) -> SafetyResult:
        earlier = [self.normalise(t.content) for t in history or [] if t.role == "user"]
        norm = self.normalise(question)
        everything = " . ".join([*earlier, norm])
        hits = match_classes(everything, self.lex)
        levels = {h.cls.id: h.cls.level for h in hits}
        reasons = [h.cls.reason for h in hits]
        if self.semantic:
            user_texts = [t.content for t in history or [] if t.role == "user"] + [question]
            for text in user_texts:
                for sem in self.semantic.flags(text):
                    if not any(LEVEL_RANK[lv] >= LEVEL_RANK[sem.level] for lv in levels.values()):
                        levels[f"semantic:{sem.cls}"] = sem.level
                        reasons.append(f"close to a warning sign: \"{sem.example}\"")
        level = max(levels.values(), key=LEVEL_RANK.__getitem__, default="self_care")
        scope: Scope = "in_scope"
        if level == "self_care":
            scope = self._scope(question, norm, earlier)
            if scope != "in_scope":
                level = "out_of_scope"
        # Semantic hits are stored as "semantic:<class>"; the press check reads the class.
        flag_classes = {k.split(":")[-1] for k in levels}
        press = (press_check(norm, self.lex, level, flag_classes, everything)
                 if level != "out_of_scope" else None)
        if press and press.verdict == "stop" and LEVEL_RANK[level] < LEVEL_RANK["see_doctor"]:
            level = "see_doctor"
            reasons.append("pressing brings sharp pain, numbness, tingling or weakness")
        key = "medication" if scope == "medication" else level
        message = self.lex.messages[key]
        return SafetyResult(Triage(level=level, reasons=reasons, message=message),  # type: ignore[arg-type]
                            press, sorted(levels), scope)
