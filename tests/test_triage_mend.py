"""Words run together or spelt out letter by letter, read as the words they are (the
normaliser's mending; wording of our own)."""

from __future__ import annotations

import pytest

from rag.safety.mend import split_run_on

KNOWN = frozenset("i have a fever she has had my neck stiff partner is in become".split())
TARGETS = frozenset({"fever", "neck", "stiff", "incontinent"})


def test_the_commonest_words_win_over_the_fewest() -> None:
    assert split_run_on("shehashadastiffneck", KNOWN, TARGETS) == "she has had a stiff neck"


def test_a_clitic_stays_with_its_word() -> None:
    assert split_run_on("mypartner'sneckisstiff", KNOWN, TARGETS) == "my partner's neck is stiff"


def test_a_long_word_is_not_broken_into_common_ones() -> None:
    assert split_run_on("becomeincontinent", KNOWN, TARGETS) == "become incontinent"


def test_every_letter_typed_twice_is_read_once() -> None:
    from rag.safety.mend import unstretch

    assert unstretch("ffeevveerr", KNOWN) == "fever"
    assert unstretch("sweet", KNOWN) == "sweet" and unstretch("aall", KNOWN | {"aall"}) == "aall"


def test_a_misspelt_word_is_not_cut_into_junk() -> None:
    assert split_run_on("thunnderclap", KNOWN, TARGETS | {"thunderclap"}) == "thunnderclap"


def test_a_token_without_a_keyword_stays_whole() -> None:
    assert split_run_on("thankyousomuchindeed", KNOWN, TARGETS) == "thankyousomuchindeed"


@pytest.mark.parametrize("text", [
    "m y d a d ' s n e c k h a s s u d d e n l y l o c k e d a n d h e c a n ' t t u r n i t",
    "mydad'sneckhassuddenlylockedandhecan'tturnit",
])
def test_a_sign_with_no_word_breaks_is_flagged(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert pipeline.safety.assess(text, []).triage.level in ("urgent", "emergency")


def test_an_ordinary_question_with_no_word_breaks_stays_self_care(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "howlongshouldiholdpressureonaknotinmyupperback"
    assert pipeline.safety.assess(text, []).triage.level == "self_care"


def test_words_a_pattern_must_not_meet_are_never_typo_targets() -> None:
    """A look-around, nested groups and all, holds the words a sign must not be followed
    by: mending a typo towards one of them reads a sign into everyday words ("aircon"
    was mended to "iron", an overdose's exclusion, and then read as night sweats)."""
    from rag.safety.lexicon import _words, load_lexicon, without_look_arounds

    pattern = r"overdos\w* (?!of (iron|caffeine)\b)(\w+ )?pills(?=[^.!?]{0,9}\b(again|now))"
    assert without_look_arounds(pattern) == r"overdos\w*  (\w+ )?pills "
    assert _words([pattern]) == {"overdos", "pills"}
    normalise = load_lexicon().normaliser()
    assert "iron" not in normalise("sweaty at night, the flat has no aircon. trap knot?")
