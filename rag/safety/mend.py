"""Words broken, stretched or run together, read whole: "fe ver" and "ne ck" are fever and
neck, "neeeeck" is neck, "ihaveafever" is "i have a fever". Pure functions over the
normaliser's word lists; the rules read the mended text beside the literal one."""

from __future__ import annotations

import re
from collections.abc import Collection

_RUN = re.compile(r"([a-z])\1{2,}")
_WORD = re.compile(r"[a-z]+")
MAX_PART = 6  # a piece of a broken word is short: "fe ver", "sti ff"
RUN_ON = 12  # letters from which an unknown token may be several words run together


def unstretch(word: str, known: Collection[str]) -> str:
    """A letter held down ("fevvvver", "sooo"): the doubled or single reading that is a
    word, else the single one (typo mending takes it from there)."""
    if not _RUN.search(word):
        return word
    double, single = _RUN.sub(r"\1\1", word), _RUN.sub(r"\1", word)
    return double if double in known and single not in known else single


def join_broken(text: str, targets: Collection[str], known: Collection[str]) -> str:
    """Two or three short pieces that make a keyword when joined, where a piece is not a
    word itself ("ne ck", "sti ff ness"): joined."""
    words = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (3, 2):
            parts = words[i:i + n]
            if len(parts) == n and all(p.isalpha() and len(p) <= MAX_PART for p in parts) \
                    and "".join(parts) in targets and any(p not in known for p in parts):
                out.append("".join(parts))
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def split_run_on(word: str, known: Collection[str], targets: Collection[str]) -> str:
    """An unknown long token that is known words with the spaces left out, one of them a
    keyword: the fewest such words, or the token as it was."""
    if len(word) < RUN_ON or word in known:
        return word
    # Fewest words; then most keywords; then longer words ("a fever and", not "af eve rand").
    best: list[tuple[tuple[int, int, int], list[str]] | None] = [((0, 0, 0), [])]
    best += [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            piece, before = word[start:end], best[start]
            if before is None or piece not in known or (len(piece) == 1 and piece not in "ai"):
                continue
            (n, keys, square), pieces = before
            cost = (n + 1, keys - (piece in targets), square - len(piece) ** 2)
            if best[end] is None or cost < best[end][0]:  # type: ignore[index]
                best[end] = (cost, [*pieces, piece])
    found = best[-1][1] if best[-1] else None
    if found and len(found) > 1 and any(piece in targets for piece in found):
        return " ".join(found)
    return word


def drop_g(word: str, known: Collection[str]) -> str:
    """A final g dropped, as said ("roastin", "mornin"): the word with it, if that is one."""
    if word.endswith("in") and len(word) > 4 and word not in known and f"{word}g" in known:
        return f"{word}g"
    return word


def mend(text: str, targets: Collection[str], known: Collection[str]) -> str:
    text = _WORD.sub(lambda m: split_run_on(drop_g(unstretch(m.group(0), known), known),
                                            known, targets), text)
    return join_broken(text, targets, known)
