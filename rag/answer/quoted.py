"""Which of the articles' sentences an earlier reply quoted, without trying them all.

A reply quotes a few sentences; the index may hold tens of thousands. Each sentence is
filed under its first few characters, so a reply is read once, position by position, and
only the sentences that start there are compared in full. The result is the set of
sentences that occur in the reply, exactly as ``s in reply`` for each would give it.
"""

from __future__ import annotations

from collections.abc import Iterable

PREFIX = 16  # characters a sentence is filed under (shorter ones are tried one by one)


class QuoteFinder:
    """The sentences of one index, filed for `quoted`."""

    def __init__(self, sentences: Iterable[str]) -> None:
        self._by_start: dict[str, list[str]] = {}
        self._short: list[str] = []
        self._count = 0
        for s in dict.fromkeys(sentences):
            self._count += 1
            if len(s) >= PREFIX:
                self._by_start.setdefault(s[:PREFIX], []).append(s)
            else:
                self._short.append(s)

    def quoted(self, text: str) -> frozenset[str]:
        """The sentences that occur in ``text``."""
        if self._count <= len(text):  # a small index: trying each is cheaper
            every = (s for group in self._by_start.values() for s in group)
            return frozenset(s for s in (*self._short, *every) if s in text)
        found = {s for s in self._short if s in text}
        for i in range(len(text) - PREFIX + 1):
            for s in self._by_start.get(text[i:i + PREFIX], ()):
                if text.startswith(s, i):
                    found.add(s)
        return frozenset(found)
