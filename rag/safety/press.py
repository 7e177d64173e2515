""""Should I push on this knot?": do_not_press > stop > gently, as red-flags.md defines."""

from __future__ import annotations

from rag.models import LEVEL_RANK, PressCheck
from rag.safety.lexicon import Lexicon
from rag.safety.rules import _negated

_NO_MASSAGE_FLAGS = {"inflammation", "serious_illness"}
_STOP_FLAGS = {"nerve_sensory", "nerve_weakness"}


def is_press_question(text: str, lex: Lexicon) -> bool:
    return bool(lex.press_intent.search(text))


def _hits(text: str, pattern_lex: Lexicon, pattern) -> bool:  # type: ignore[no-untyped-def]
    return any(not _negated(text, m.start(), pattern_lex) for m in pattern.finditer(text))


def press_check(question: str, lex: Lexicon, level: str, flag_ids: set[str],
                conversation: str | None = None) -> PressCheck | None:
    """Verdict when the (normalised) question is about pressing, else None.

    Where the knot is, contraindications and symptoms are read from the whole
    conversation: "I'm on warfarin" said one turn earlier still forbids pressing.
    """
    if not is_press_question(question, lex):
        return None
    text = conversation or question
    reasons = [reason for reason, pattern in lex.do_not_press.values() if _hits(text, lex, pattern)]
    if flag_ids & _NO_MASSAGE_FLAGS and not any("inflamed" in r for r in reasons):
        reasons.append(lex.do_not_press["inflamed_or_injured"][0])
    if reasons:
        return PressCheck(verdict="do_not_press", reasons=reasons)
    stop_reason, stop_pattern = lex.stop
    if _hits(text, lex, stop_pattern) or flag_ids & _STOP_FLAGS:
        return PressCheck(verdict="stop", reasons=[stop_reason])
    if LEVEL_RANK[level] >= LEVEL_RANK["urgent"]:
        return PressCheck(verdict="do_not_press", reasons=[
            "a warning sign needs a doctor first: no massage or pressure until then"])
    return PressCheck(verdict="gently", reasons=[lex.press["gently"]["reason"],
                                                 " ".join(lex.press["gently"]["guidance"].split())])
