"""The lexicon's regular expressions from kept programs are the very patterns `re` makes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rag.safety import compiled
from rag.safety.lexicon import compile_any, load_lexicon, load_yaml, plain_groups
from rag.safety.normalise import expand_contractions

EVALS = Path(__file__).parent.parent / "evals"


def _patterns() -> list[str]:
    lex = load_lexicon()
    found = [p.pattern for p in vars(lex).values() if isinstance(p, re.Pattern)]
    found += [p.pattern for p in lex.concepts.values()]
    found += [p.pattern for _, p in lex.do_not_press.values()] + [lex.stop[1].pattern]
    return sorted(set(found))


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that has kept nothing yet."""
    monkeypatch.setattr(compiled, "_programs", {})
    monkeypatch.setattr(compiled, "_file", None)
    monkeypatch.setattr(compiled, "_unsaved", False)


def _restart(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setattr(compiled, "_programs", {})
    monkeypatch.setattr(compiled, "_unsaved", False)
    compiled.use_cache(cache)


def test_kept_programs_give_the_patterns_re_compiles(tmp_path: Path, fresh: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = _patterns()
    assert len(patterns) > 50
    compiled.use_cache(tmp_path)
    first = [compiled.compile_regex(p) for p in patterns]
    compiled.save()
    assert len(list(tmp_path.glob("regex-*.marshal"))) == 1
    _restart(monkeypatch, tmp_path)  # a later start reads them
    assert set(compiled._programs) == set(patterns)
    again = [compiled.compile_regex(p) for p in patterns]
    # Pattern equality compares pattern, flags and the compiled program itself.
    assert first == again == [re.compile(p) for p in patterns]
    text = "i have a fever and a stiff neck, can i press on the knot? it tingles"
    assert [[m.span() for m in p.finditer(text)] for p in again] == \
        [[m.span() for m in re.finditer(p, text)] for p in patterns]


def test_a_damaged_file_only_means_compiling_as_usual(tmp_path: Path, fresh: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = _patterns()[:5]
    compiled.use_cache(tmp_path)
    for p in patterns:
        compiled.compile_regex(p)
    compiled.save()
    (kept,) = tmp_path.glob("regex-*.marshal")
    blob = bytearray(kept.read_bytes())
    blob[-100] ^= 0xFF  # a flipped bit in a program
    kept.write_bytes(bytes(blob))
    _restart(monkeypatch, tmp_path)
    assert compiled._programs == {}
    assert [compiled.compile_regex(p) for p in patterns] == [re.compile(p) for p in patterns]
    compiled.save()  # and kept again, whole
    _restart(monkeypatch, tmp_path)
    assert set(compiled._programs) == set(patterns)


@pytest.mark.parametrize(("pattern", "plain"), [
    (r"(a|b) (c)", r"(?:a|b) (?:c)"),
    (r"\(x\)(y)", r"\(x\)(?:y)"),  # escaped brackets are text
    (r"[(]z(?:w)(?P<n>q)(?P=n)", r"[(]z(?:w)(?P<n>q)(?P=n)"),  # named groups stay
    (r"[\]( ](k)(?!n)(m)", r"[\]( ](?:k)(?!n)(?:m)"),  # a bracket in a class is text
])
def test_plain_groups_rewrites_only_capturing_groups(pattern: str, plain: str) -> None:
    assert plain_groups(pattern) == plain


def test_the_lexicon_matches_what_its_patterns_with_groups_match() -> None:
    """The lexicon compiles its patterns with plain groups (`plain_groups`): every pattern
    list finds the same spans in every question of the safety sets as written."""
    flags, press, scope = (load_yaml(n) for n in ("redflags.yaml", "press.yaml", "scope.yaml"))
    lists = [*flags["concepts"].values(), flags["negations"], flags["past_markers"],
             flags["figurative"], press["intent"], press["stop"]["patterns"],
             *(v["patterns"] for v in press["do_not_press"].values()),
             *(scope[k] for k in ("topic", "other_body", "medication", "not_for_us",
                                  "other_knots", "body"))]
    texts = [json.loads(line)["question"].lower()
             for path in sorted(EVALS.glob("safety_blind6*/cases.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 1000
    for patterns in lists:
        ours = compile_any(patterns)
        body = "|".join(f"(?:{expand_contractions(p)})" for p in patterns)
        as_written = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
        assert ours.groups <= as_written.groups
        for text in texts:
            assert [m.span() for m in ours.finditer(text)] == \
                [m.span() for m in as_written.finditer(text)], (patterns[0], text)
