"""Which of the lexicon's sign patterns can match a text, found in one pass.

Python's `re` tries every one of the fifty-odd concept patterns at every position of a text
(each opens with a look-behind, so it gets no fast first-character scan): most of the
triage's time on a long message. RE2's filtered matching (`re2.Filter`) works out, for each
pattern, literal pieces ("atoms") one of which any match must contain, and finds which
patterns' atoms a text holds in one pass. Only those patterns are then run, by `re`, as
before: the filter never decides a match, it only rules out patterns that cannot match.

RE2 has no look-arounds, back-references or atomic groups, and a bounded repeat over a
long alternation costs it memory, so each pattern is first *relaxed* into one that matches
wherever the original does (and maybe more): look-arounds dropped (they only forbid),
a back-reference read as any text, an atomic group as a plain one, ``x{m,n}`` as ``x*`` or
``x+``. A text that is not plain printable ASCII gets every pattern: RE2's ``\\w``, ``\\s``
and ``\\b`` are ASCII-only where Python's are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

_REPEAT = re.compile(r"\{(\d*)(,(\d*))?\}")
_LOOK = ("(?=", "(?!", "(?<=", "(?<!")
_PLAIN = re.compile(r"[\x20-\x7e]*")
ANY = "(?s:.*)"


def _class_end(p: str, i: int) -> int:
    """Index just past the character class opening at ``p[i] == "["``."""
    i += 1
    if p[i:i + 1] == "^":
        i += 1
    if p[i:i + 1] == "]":
        i += 1
    while i < len(p) and p[i] != "]":
        i += 2 if p[i] == "\\" else 1
    return i + 1


def _group_end(p: str, i: int) -> int:
    """Index just past the group opening at ``p[i] == "("``."""
    depth = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        depth += (c == "(") - (c == ")")
        i += 1
        if depth == 0:
            return i
    return i


def relax(p: str) -> str:
    """A pattern RE2 can compile that matches wherever ``p`` matches (see the module's
    docstring for what is relaxed)."""
    out: list[str] = []
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            out.append(ANY if p[i + 1:i + 2].isdigit() else p[i:i + 2])
            i += 2
        elif c == "[":
            end = _class_end(p, i)
            out.append(p[i:end])
            i = end
        elif p.startswith(_LOOK, i):
            i = _group_end(p, i)
        elif p.startswith("(?P=", i):
            i = p.index(")", i) + 1
            out.append(ANY)
        elif p.startswith("(?>", i):
            out.append("(?:")
            i += 3
        elif c == "{" and (m := _REPEAT.match(p, i)):
            low = int(m.group(1) or 0)
            out.append(m.group(0) if m.group(2) is None and low <= 3 else "*" if low == 0
                       else "+")
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _options(case_sensitive: bool = True) -> Any:
    """RE2's options here: a pattern it cannot read is reported to the caller, not logged."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case_sensitive
    return options


class ConceptFilter:
    """The names of the patterns that may match a text; every name when it cannot tell."""

    def __init__(self, patterns: dict[str, re.Pattern[str]]) -> None:
        import re2  # google-re2: loaded with the lexicon, not at import

        options = _options()
        self.names = tuple(patterns)
        self._filter = re2.Filter()
        self._indexed: list[int] = []  # the filter's n-th pattern is names[_indexed[n]]
        self._always: set[int] = set()  # a pattern RE2 cannot read always runs
        for i, pattern in enumerate(patterns.values()):
            try:
                self._filter.Add(relax(pattern.pattern), options)
                self._indexed.append(i)
            except re2.error:
                self._always.add(i)
        if self._indexed:
            self._filter.Compile()

    def may_match(self, text: str) -> Iterable[str]:
        if not _PLAIN.fullmatch(text):
            return self.names
        found = self._filter.Match(text, potential=True) or () if self._indexed else ()
        kept = {self._indexed[n] for n in found} | self._always
        return tuple(self.names[i] for i in sorted(kept))


@lru_cache(maxsize=4096)
def _cached(scan: ConceptFilter, text: str) -> Iterable[str]:
    return scan.may_match(text)


def concepts_in(text: str, patterns: dict[str, re.Pattern[str]], scan: ConceptFilter | None
                ) -> list[tuple[str, re.Pattern[str]]]:
    """The (name, pattern) pairs of ``patterns`` that may match ``text``, in their order."""
    if scan is None:
        return list(patterns.items())
    return [(name, patterns[name]) for name in _cached(scan, text)]


class Gated:
    """A slow `re` pattern behind its relaxed RE2 twin, which matches wherever it does:
    where the twin finds nothing (one linear pass of RE2's set matcher, a few
    microseconds), the pattern is not run. The pattern alone decides every match it is
    run for. ``search`` and ``finditer`` as `re`'s."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        import re2

        self.pattern = pattern
        self._gate = re2.Set.SearchSet(_options(not pattern.flags & re.IGNORECASE))
        try:
            self._gate.Add(relax(pattern.pattern))
            self._gate.Compile()
            self._usable = True
        except re2.error:
            self._usable = False  # RE2 cannot read it: the pattern always runs

    def _may_match(self, text: str, pos: int, endpos: int) -> bool:
        window = text[max(0, pos - 1):endpos]  # the character before: what `\b` reads
        # Beyond ASCII, RE2's \w, \s and \b differ from Python's: run the pattern.
        return not self._usable or not window.isascii() or bool(self._gate.Match(window))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        return self.pattern.search(text, pos, end) if self._may_match(text, pos, end) else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None
                 ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        return self.pattern.finditer(text, pos, end) if self._may_match(text, pos, end) \
            else iter(())
