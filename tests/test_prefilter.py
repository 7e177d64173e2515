"""The concept prefilter may only rule out patterns that cannot match: a pattern it drops
wrongly is a warning sign the rules no longer read."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.safety.lexicon import load_lexicon
from rag.safety.prefilter import ConceptFilter, Gated, relax
from rag.safety.rules import match_classes

EVALS = Path(__file__).resolve().parent.parent / "evals"
LEX = load_lexicon()


def matching(text: str) -> set[str]:
    return {name for name, p in LEX.concepts.items() if p.search(text)}


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(?<![a-z])numb(?!er)", "number"),  # look-arounds only forbid: dropped
    (r"\b(?P<s>left|right) arm.{0,20}(?P=s) leg", "left arm and right leg"),  # back-reference
    (r"(?>weak|weaker)er", "weaker"),  # atomic group
    (r"stiff[^.]{0,3}neck", "stiff for days now neck"),  # bounded repeat
    (r"a[{]2[}]", "a{2}"),  # braces in a class stay literal
])
def test_relaxed_pattern_matches_more_not_less(pattern: str, text: str) -> None:
    import re2

    assert re2.search(relax(pattern), text), relax(pattern)


def test_every_concept_pattern_compiles_for_re2() -> None:
    scan = ConceptFilter(LEX.concepts)
    assert scan.names == tuple(LEX.concepts) and not scan._always


def test_a_pattern_re2_cannot_read_always_runs() -> None:
    """A pattern added to the lexicon later in a form RE2 rejects still reads its sign."""
    patterns = {"fever": re.compile(r"fever"), "odd": re.compile(r"(?<=a)b\Z"),
                "stiff": re.compile(r"stiff")}
    scan = ConceptFilter(patterns)
    assert list(scan.may_match("a stiff neck")) == ["odd", "stiff"]


def own_messages() -> list[str]:
    texts = []
    for path in sorted((EVALS / "safety").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row["question"])
            texts += [t["content"] for t in row.get("history", []) if t["role"] == "user"]
    return texts


def test_no_concept_that_matches_is_ruled_out_on_our_sets() -> None:
    """Every message of our safety sets, as the rules read it (normalised)."""
    normalise = LEX.normaliser()
    checked = 0
    for text in own_messages():
        for variant in (text.lower(), normalise(text)):
            assert matching(variant) <= set(LEX.scan.may_match(variant)), variant
            checked += 1
    assert checked > 1000


def test_ruling_out_cuts_most_patterns() -> None:
    """The point of it: a plain knot question runs a handful of the fifty-odd patterns."""
    kept = LEX.scan.may_match("how long should i hold pressure on the knot in my shoulder?")
    assert len(kept) < len(LEX.concepts) / 4


def test_text_it_cannot_judge_runs_every_pattern() -> None:
    assert set(LEX.scan.may_match("stiff neck and a fever of 39 ° — ça va?")) == set(LEX.concepts)
    assert set(LEX.scan.may_match("stiff neck\tand fever")) == set(LEX.concepts)


_WORDS = sorted({w for p in LEX.concepts.values() for w in re.findall(r"[a-z]{3,}", p.pattern)})
_JOINERS = [" ", " ", " ", ", ", ". ", " and ", " my ", " no ", " since ", " 2 ", "'s "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_JOINERS)),
                min_size=1, max_size=14))
def test_no_concept_that_matches_is_ruled_out_on_lexicon_words(parts: list[tuple[str, str]]
                                                               ) -> None:
    text = "".join(w + j for w, j in parts).strip()
    assert matching(text) <= set(LEX.scan.may_match(text))


def test_the_rules_read_the_same_with_and_without_the_filter() -> None:
    """End to end over our sets: the classes, levels and what is current, past or over."""
    from rag.safety.rules import present_concepts

    unfiltered = replace(LEX)
    unfiltered.__dict__["scan"] = None  # every pattern runs, as before the filter
    normalise = LEX.normaliser()
    flagged = 0
    for text in own_messages():
        norm = normalise(text)
        ours, theirs = match_classes(norm, LEX), match_classes(norm, unfiltered)
        assert [(f.cls.id, f.level) for f in ours] == [(f.cls.id, f.level) for f in theirs]
        assert present_concepts(norm, LEX) == present_concepts(norm, unfiltered)
        flagged += bool(ours)
    assert flagged > 300


def _spans(matches) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [m.span() for m in matches]


def test_a_gated_pattern_finds_what_the_pattern_finds() -> None:
    """Over our messages as the rules read them, whole and from every sentence's start to
    the end (look-behinds and ``\\b`` at the window's edge), for each gated pattern."""
    from rag.safety import rules

    gated = [p for p in vars(rules).values() if isinstance(p, Gated)]
    assert len(gated) >= 3
    normalise = LEX.normaliser()
    found = 0
    for text in own_messages():
        norm = normalise(text)
        for g in gated:
            for start in [0, *(m.end() for m in re.finditer(r"[.,;] ", norm))]:
                plain = g.pattern.search(norm, start, len(norm) - 1)
                ours = g.search(norm, start, len(norm) - 1)
                assert (ours and ours.span()) == (plain and plain.span()), norm
                assert _spans(g.finditer(norm, start)) == _spans(g.pattern.finditer(norm, start))
                found += plain is not None
    assert found > 50


def test_a_gate_rules_out_most_sentences_and_never_non_ascii() -> None:
    from rag.safety.rules import _RESOLVED

    assert not _RESOLVED._may_match("my neck is stiff and sore", 0, 25)
    assert _RESOLVED.search("the tingling has gone now") is not None
    assert _RESOLVED._may_match("la douleur est partie, fini — gone?", 0, 35)
    assert _RESOLVED._may_match("ça s'est arrangé", 0, 16)  # beyond ASCII: the pattern runs
