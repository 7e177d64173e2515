"""The lexicon's regular expressions from kept programs are the very patterns `re` makes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rag.safety import compiled
from rag.safety.lexicon import load_lexicon


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
