"""Words broken, stretched or run together, read whole: "fe ver" and "ne ck" are fever and
neck, "neeeeck" is neck, "ihaveafever" is "i have a fever". Pure functions over the
normaliser's word lists; the rules read the mended text beside the literal one."""

from __future__ import annotations

import re
from collections.abc import Collection

_RUN = re.compile(r"([a-z])\1{2,}")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
MAX_PART = 6  # a piece of a broken word is short: "fe ver", "sti ff"
RUN_ON = 12  # letters from which an unknown token may be several words run together


def unstretch(word: str, known: Collection[str]) -> str:
    """A letter held down ("fevvvver", "sooo"): the doubled or single reading that is a
    word, else the single one (typo mending takes it from there). A word with every
    letter typed twice ("ffeevveerr") is read once."""
    if len(word) >= 4 and word[0::2] == word[1::2] and word not in known:
        return word[0::2]
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


_CLITICS = ("'s", "'t", "n't", "'re", "'m", "'ll", "'ve", "'d")


def _cost(piece: str) -> float:
    """A piece's cost: rare words cost more (wordfreq's Zipf scale, about 1 to 8), so
    "she has had" beats "she hash ad" and "incontinent" beats "in continent"."""
    from wordfreq import zipf_frequency

    return 10.0 - zipf_frequency(piece, "en")


def split_run_on(word: str, known: Collection[str], targets: Collection[str]) -> str:
    """An unknown long token that is known words with the spaces left out, one of them a
    keyword: the commonest such words (wordfreq's word costs, as a segmenter does), or the
    token as it was. An apostrophe keeps its clitic ("partner'sneck" -> partner's neck)."""
    if len(word) < RUN_ON or word in known:
        return word
    best: list[tuple[float, list[str]] | None] = [(0.0, [])] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            piece, before = word[start:end], best[start]
            if before is None:
                continue
            if piece in _CLITICS and before[1]:
                cost = 0.5
            elif "'" in piece or (len(piece) == 1 and piece not in "ai"):
                continue
            elif piece not in known and piece not in targets:
                continue  # pieces of junk ("thunnderclap" as "thu nn der clap") are none
            else:
                cost = _cost(piece) - (0.5 if piece in targets else 0.0)
            total = before[0] + cost
            if best[end] is None or total < best[end][0]:  # type: ignore[index]
                best[end] = (total, [*before[1], piece])
    found = best[-1][1] if best[-1] else None
    if found and len(found) > 1 and any(piece in targets for piece in found):
        return " ".join(found).replace(" '", "'").replace(" n't", "n't")
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
