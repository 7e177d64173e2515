"""Does a quoted sentence fit the reason for a safety verdict? (pure, no models)

Under "Emergency: fever with a stiff neck" a quote about nerve irritation reads as a
reassuringly minor explanation; under "I take blood thinners" a quote about the front of
the neck answers something else. A quote under a verdict fits when it shares a telling
word (stemmed) with one of the verdict's reasons, or when it is general ("require a
proper diagnosis") and names no other warning sign or pressing rule; otherwise it is
left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Words every article and reason uses: they tie a quote to the topic, not to the reason.
# ("blood" is in blood vessels and blood thinners; "severe" and "several" share a stem.)
GENERIC = (
    "about after also area back before blood body cause check doctor feel from have help "
    "into like mean more most muscle neck need pain possible press pressure shoulder severe "
    "sign some such that them then there these they this those together upper very what when "
    "where which while with your knot massage")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer, already a dependency of the keyword index

    return Stemmer.Stemmer("english")


def _stems(text: str) -> set[str]:
    return set(_stemmer().stemWords(re.findall(r"[a-z]{4,}", text.lower())))


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(_stems(GENERIC))


def telling_words(text: str) -> set[str]:
    """The stems of a text's words of four letters or more, generic ones left out."""
    return _stems(text) - _generic()


@lru_cache(maxsize=1)
def _every_reason_word() -> frozenset[str]:
    """The telling words of every warning sign and pressing rule Knotbot knows."""
    from rag.safety.lexicon import load_lexicon

    lex = load_lexicon()
    reasons = [c.reason for c in lex.classes] + [r for r, _ in lex.do_not_press.values()]
    return frozenset(set().union(*(telling_words(r) for r in [*reasons, lex.stop[0]])))


@lru_cache(maxsize=1)
def _class_reasons() -> dict[str, str]:
    """Each warning-sign class's name as a reason may give it ("possible meningitis" as
    "(meningitis)", "spine injury") -> the class's own reason, which says what its signs are."""
    from rag.safety.lexicon import load_lexicon

    return {c.id.replace("_", " "): c.reason for c in load_lexicon().classes}


_NAMED_CLASS = re.compile(r"\(([a-z _]+)\)\s*$")


def spelt_out(reason: str) -> str:
    """A reason that only names its class ("this sounds like a warning sign
    (meningitis)"), with that class's own reason after it: its telling words are the
    signs ("fever", "stiff")."""
    named = _NAMED_CLASS.search(reason)
    own = _class_reasons().get(named.group(1)) if named else None
    return f"{reason} {own}" if own else reason


def fits_reasons(sentence: str, reasons: Iterable[str],
                 known: frozenset[str] | None = None) -> bool:
    """True when the sentence speaks to one of the reasons, or names none of the other
    warning signs (``known``: their telling words; all of Knotbot's by default)."""
    wanted = set().union(*(telling_words(r if known is not None else spelt_out(r))
                           for r in reasons))
    if not wanted:
        return True
    words = telling_words(sentence)
    if words & wanted:
        return True
    others = (_every_reason_word() if known is None else known) - wanted
    return not words & others


_AWAY = re.compile(r"\baway from ((?:[\w-]+ ){0,4}[\w-]+)", re.IGNORECASE)


def keeps_away(sentence: str, reasons: Iterable[str]) -> bool:
    """Does the sentence keep away from what a reason forbids: "away from" a place the
    reason names ("...slightly away from the spinal bones" with "never press on the
    bones of the spine")? A sentence that only shares a word with it ("the side you are
    stretching") does not."""
    wanted = set().union(*(telling_words(r) for r in reasons))
    return any(telling_words(m.group(1)) & wanted for m in _AWAY.finditer(sentence))
