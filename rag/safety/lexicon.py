"""Load the safety data files (YAML) into compiled patterns. Data, not code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from rag.safety.compiled import compile_regex
from rag.safety.normalise import Normaliser, expand_contractions
from rag.safety.prefilter import ConceptFilter, concepts_in

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict[str, Any]:
    # libyaml's safe loader when PyYAML has it: the same data, read about ten times faster
    # (the safety files took 40 ms of every start in pure Python).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=loader)
    assert isinstance(data, dict), name
    return data


# An opening bracket that starts a capturing group: not escaped, not in a character class,
# not followed by "?".
_CAPTURING = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|(\((?!\?))")


def plain_groups(pattern: str) -> str:
    """``pattern`` with its capturing groups made non-capturing. Nothing reads the
    lexicon's groups, and `re` skips a branch that opens with a literal at once, but enters
    one that opens with a capturing group: matching is about twice as fast."""
    return _CAPTURING.sub(lambda m: "(?:" if m.group(1) else m.group(0), pattern)


def compile_any(patterns: list[str]) -> re.Pattern[str]:
    """One regex matching any of the patterns as whole words."""
    body = "|".join(f"(?:{plain_groups(expand_contractions(p))})" for p in patterns)
    return compile_regex(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


@dataclass(frozen=True)
class RedFlagClass:
    id: str
    level: str
    reason: str
    when: list[list[str]]
    past_ok: frozenset[str] = frozenset()
    over_ok: frozenset[str] = frozenset()  # let go only when told as over ("went down")
    topic: re.Pattern[str] | None = None  # what its signs are about (`rules.denied_topics`)
    # Groups of concepts that make it an emergency whatever its level ("legs failing since
    # this morning" for the "emergency or urgent" legs).
    emergency_when: tuple[tuple[str, ...], ...] = ()


# Hashed by identity (one per process, `load_lexicon`): the rules memoise what they read
# per text and lexicon.
@dataclass(eq=False)
class Lexicon:
    concepts: dict[str, re.Pattern[str]]
    classes: list[RedFlagClass]
    negation: re.Pattern[str]
    past: re.Pattern[str]
    figurative: re.Pattern[str]
    # Figures of speech of dying or killing, taken out of what the crisis reader reads.
    crisis_figures: re.Pattern[str]
    messages: dict[str, str]
    press: dict[str, Any]
    press_intent: re.Pattern[str]
    do_not_press: dict[str, tuple[str, re.Pattern[str]]]
    stop: tuple[str, re.Pattern[str]]
    scope_topic: re.Pattern[str]
    scope_other_body: re.Pattern[str]
    scope_medication: re.Pattern[str]
    scope_not_for_us: re.Pattern[str]
    scope_other_knots: re.Pattern[str]
    scope_body: re.Pattern[str]
    scope_care: re.Pattern[str]
    # Body places the signs name ("head", "throat", "breathing"): never a sign alone.
    sign_places: re.Pattern[str]
    keywords: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    # Words of the conditions the press check answers for ("warfarin", "osteoporosis").
    contraindications: set[str] = field(default_factory=set)
    # The red-flag concepts' own words and stems: a typo near one of them and another
    # keyword ("fver": fever or ever) is read as the warning sign.
    flag_words: set[str] = field(default_factory=set)
    flag_stems: set[str] = field(default_factory=set)

    @cached_property
    def scan(self) -> ConceptFilter:
        """Which concepts may match a text (`rag.safety.prefilter`), built at first use."""
        return ConceptFilter(self.concepts)

    def normaliser(self, vocabulary: frozenset[str] = frozenset()) -> Normaliser:
        """How the rules read a message, typos mended towards these words: warning signs
        and the press check's contraindications win a typo's ties."""
        return Normaliser(self.keywords, vocabulary, self.stems, self.flag_words,
                          self.flag_stems, self.contraindications)

    def concepts_in(self, text: str) -> list[tuple[str, re.Pattern[str]]]:
        """The concepts' (name, pattern) pairs that may match ``text``: run only these."""
        return concepts_in(text, self.concepts, self.scan)


# A look-around's words are what a pattern must not meet ("(?!number)numb\\w*", "(?! (on
# the|by accident)\\b)") or only its context: no sign's, and no word to mend a typo towards
# ("aircon" is not "iron" because an overdose "of iron" is excluded somewhere).
_LOOK_AROUND = re.compile(r"\(\?<?[!=]")


def without_look_arounds(pattern: str) -> str:
    """``pattern`` with every look-around removed, nested groups and all."""
    out, at = [], 0
    for m in _LOOK_AROUND.finditer(pattern):
        if m.start() < at:
            continue  # inside one already removed
        out.append(pattern[at:m.start()])
        depth, i = 0, m.start()
        while i < len(pattern):
            c = pattern[i]
            if c == "\\":
                i += 2
                continue
            if c == "[":  # a character class: brackets inside it are literal
                i = pattern.find("]", i + 2) + 1 or len(pattern)
                continue
            depth += c == "("
            depth -= c == ")"
            i += 1
            if depth == 0:
                break
        out.append(" ")
        at = i
    return "".join(out) + pattern[at:]


def _stems(patterns: list[str]) -> set[str]:
    """Word stems the patterns extend with \\w* ("tingl", "numb")."""
    joined = " ".join(without_look_arounds(p) for p in patterns).replace("\\b", " ")
    return set(re.findall(r"([a-z]{4,})\\w[*+]", joined))


def _words(patterns: list[str]) -> set[str]:
    plain = re.sub(r"\\[a-zA-Z]", " ", " ".join(without_look_arounds(p) for p in patterns))
    return set(re.findall(r"[a-z]{4,}", plain))


@cache
def load_lexicon() -> Lexicon:
    flags, levels = load_yaml("redflags.yaml"), load_yaml("levels.yaml")
    press, scope = load_yaml("press.yaml"), load_yaml("scope.yaml")
    classes = [
        RedFlagClass(c["id"], c["level"], c["reason"], c["when"], frozenset(c.get("past_ok", [])),
                     frozenset(c.get("over_ok", [])),
                     compile_any([flags["topics"][c["id"]]]) if c["id"] in flags.get("topics", {})
                     else None,
                     tuple(tuple(g) for g in c.get("emergency_when", [])))
        for c in flags["classes"]
    ]
    flag_patterns = [p for ps in flags["concepts"].values() for p in ps]
    all_patterns = list(flag_patterns)
    all_patterns += press["intent"] + press["stop"]["patterns"] + scope["topic"]
    all_patterns += [p for v in press["do_not_press"].values() for p in v["patterns"]]
    return Lexicon(
        concepts={k: compile_any(v) for k, v in flags["concepts"].items()},
        classes=classes,
        negation=compile_any(flags["negations"]),
        past=compile_any(flags["past_markers"]),
        figurative=compile_any(flags["figurative"]),
        crisis_figures=compile_any(flags["crisis_figures"]),
        messages={k: " ".join(str(v).split()) for k, v in levels["messages"].items()},
        press=press,
        press_intent=compile_any(press["intent"]),
        do_not_press={k: (v["reason"], compile_any(v["patterns"]))
                      for k, v in press["do_not_press"].items()},
        stop=(press["stop"]["reason"], compile_any(press["stop"]["patterns"])),
        scope_topic=compile_any(scope["topic"]),
        scope_care=compile_any(scope["care"]),
        scope_other_body=compile_any(scope["other_body"]),
        scope_medication=compile_any(scope["medication"]),
        scope_not_for_us=compile_any(scope["not_for_us"]),
        scope_other_knots=compile_any(scope["other_knots"]),
        scope_body=compile_any(scope["body"]),
        sign_places=compile_any([flags["sign_places"]]),
        keywords=_words(all_patterns) | set(flags.get("fuzzy_targets", [])),
        stems=_stems(all_patterns),
        contraindications=_words([p for v in press["do_not_press"].values()
                                  for p in v["patterns"]]),
        flag_words=_words(flag_patterns) | set(flags.get("fuzzy_targets", [])),
        flag_stems=_stems(flag_patterns),
    )
