"""Read disguised text as people mean it: look-alike letters, leetspeak, spaced-out words.

Pure functions over one string. ``fold`` is applied beside the literal text, never
instead of it, so a fold can add a reading but never hide what was written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Digits and signs people put in place of letters ("f3v3r", "n3ck", "$tiff").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "@": "a", "$": "s", "!": "i", "|": "l"})
# A number with its unit or ending after it: a decade, an ordinal, a time, a dose, an age.
_NUMBER_AND_UNIT = re.compile(r"\d+(s|st|nd|rd|th|am|pm|mg|mcg|ml|g|kg|kgs|lb|lbs|k|h|hr|hrs|"
                              r"min|mins|d|wk|wks|yr|yrs|yo|y|m|cm|mm|km|mi|x|c|f|ish)")
_LEET_WORD = re.compile(r"(?<![\w@$!|])[a-z0-9@$!|]*[a-z][a-z0-9@$!|]*(?![\w@$!|])")
_LEET_MIX = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]")
# Single letters in a row kept apart: spaced ("f e v e r", three or more), or dotted,
# hyphenated or starred with one mark throughout ("f.e.v.e.r", two or more), so the spaces
# between dotted words stay word breaks ("c.a.n.t m.o.v.e" -> cant move).
_MARKS = r".\-_*/+·•"
_GAP = r".\-_*"  # marks that may stand alone between dotted words
_MARKED = re.compile(rf"(?<![a-z'’])[a-z]([{_MARKS}])(?:[a-z]\1)*[a-z](?![a-z])")
_SPACED = re.compile(r"(?<![a-z'’])(?:[a-z] ){2,}(?:[a-z'] )*[a-z](?![a-z])")
# Single digits kept apart by spaces, maybe with a decimal mark: "3 9 . 8", "1 0 2".
_SPACED_DIGITS = re.compile(r"(?<![\w.,])\d(?:(?: ?[.,] ?| )\d)+(?![\w])")


_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
_BACKSLASH = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))")


def _char(code: str) -> str:
    ch = chr(int(code, 16))
    return ch if ch.isprintable() else " "


def unescape(text: str) -> str:
    """Characters written as escapes, the way markup, links and code spell them, read as
    the characters: "&#116;rouble", "%62reathing", "\\x66ever"."""
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = _PERCENT.sub(lambda m: _char(m.group(1)), text)
    if "\\" in text:
        text = _BACKSLASH.sub(lambda m: _char(m.group(1) or m.group(2)), text)
    return text


_NAMED_LETTER = re.compile(r"(?:LATIN (?:SMALL|CAPITAL) LETTER|SYMBOL LETTER) ([A-Z])$")


@lru_cache(maxsize=8192)
def _symbol_letter(ch: str) -> str:
    if ch.isascii() or unicodedata.category(ch) != "So":
        return ch
    m = _NAMED_LETTER.search(unicodedata.name(ch, ""))
    return m.group(1).lower() if m else ch


def letter_symbols(text: str) -> str:
    """Letters drawn as symbols, which NFKC leaves alone ("🅵🅴🆅🅴🆁", regional-indicator
    letters), read as the letters their Unicode names say they are."""
    return text if text.isascii() else "".join(map(_symbol_letter, text))


# Markup tags by name, with attributes only as name=value (not any "<...>", which may be
# "x<y and y>z" or words in brackets, "<i have a fever>"): "<b>fever</b>", "<a href=x>".
_TAG = re.compile(r"<\s*/?\s*(a|b|i|u|s|em|strong|span|div|p|br|hr|font|mark|small|big|sub|sup|"
                  r"code|pre|li|ul|ol|h[1-6]|script|style|img|iframe|table|tr|td|th|blockquote|q|"
                  r"del|ins|center|marquee|body|html|head|title|svg|button|input|form|label|"
                  r"section|article|nav|header|footer|main|tt|kbd|var|cite|abbr|strike|blink)"
                  r"""(\s+[a-z-]+\s*=\s*("[^"<>]*"|'[^'<>]*'|[^\s<>"']+))*\s*/?>""",
                  re.IGNORECASE)


def _pictograph(ch: str) -> bool:
    return ch >= "\u2000" and unicodedata.category(ch) in ("So", "Sk", "Co")


def strip_markup(text: str) -> str:
    """Markup tags taken out, so they split no phrase ("<b>stiff</b> <b>neck</b>"; a tag
    inside a word joins it, "fe<i>ver</i>"), and pictographs too where they stand between
    most words ("neck 🙂 pain 🙂 at 🙂 night"): one at a clause's end stays, as the
    break it is. Letters drawn as symbols are read first (`letter_symbols`)."""
    if "<" in text:
        text = _TAG.sub(lambda m: "" if _inside_word(m) else " ", text)
    if not text.isascii():
        marks = sum(map(_pictograph, text))
        if marks >= 3 and marks >= 0.3 * len(text.split()):
            text = "".join("" if "\ufe00" <= ch <= "\ufe0f" or ch == "\u20e3" else
                           " " if _pictograph(ch) else ch for ch in text)
    return text


def _inside_word(m: re.Match[str]) -> bool:
    before, after = m.string[m.start() - 1:m.start()], m.string[m.end():m.end() + 1]
    return before.isalnum() and after.isalnum()


def strip_marks(text: str) -> str:
    """Accents piled on Latin letters to dodge a filter ("f́év́ér"), taken off, but only
    when some will not combine into a real accented letter: French or Spanish accents,
    which all do, stay as written."""
    if text.isascii():
        return text
    composed = unicodedata.normalize("NFC", text)
    if not any(unicodedata.category(ch) == "Mn" and i and is_latin(composed[i - 1])
               for i, ch in enumerate(composed)):
        return composed
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", composed):
        if unicodedata.category(ch) == "Mn" and out and is_latin(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def strip_invisible(text: str) -> str:
    """Zero-width and other format characters (Unicode Cf) removed: "fe\u200bver" -> fever."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


@lru_cache(maxsize=4096)
def latin_lookalike(ch: str) -> str | None:
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"])
    for hit in found or []:
        for glyph in hit["homoglyphs"]:
            if glyph["c"].isascii() and glyph["c"].isalpha():
                return str(glyph["c"])
    return None


def is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


def mostly_latin(text: str) -> bool:
    if text.isascii():
        return any(ch.isalpha() for ch in text)
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(is_latin(ch) for ch in letters) >= 0.5 * len(letters)


def fold_confusables(text: str, known: frozenset[str] = frozenset()) -> str:
    """Letters from other alphabets that look Latin ("fеver" with a Cyrillic е) read as
    Latin, in a mostly Latin message and in any word that mixes scripts. A message in
    another alphabet is left alone, its words not being disguised English, unless with
    ``known`` words given, its look-alikes read as Latin make it mostly English words
    ("ΜΥ ΝΕСK" in Greek and Cyrillic capitals)."""
    if text.isascii():
        return text
    whole = mostly_latin(text)

    def latin(w: str) -> str:
        return "".join(ch if is_latin(ch) or not ch.isalpha()
                       else (latin_lookalike(ch) or ch) for ch in w)

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if not (whole or any(is_latin(ch) for ch in w if ch.isalpha())):
            return w
        return latin(w)

    if not whole and known:
        every = re.sub(r"\w+", lambda m: latin(m.group(0)), text)
        words = re.findall(r"\w{2,}", every)  # each must become a known Latin word
        if words and sum(w.isascii() and w.lower() in known for w in words) >= 0.6 * len(words):
            return every
    return re.sub(r"\w+", word, text)


def undo_leet(text: str, known: frozenset[str] = frozenset()) -> str:
    """Digits inside words read as the letters they stand for: "f3v3r" -> fever.

    A token needs a letter and a digit or sign; pure numbers ("38.9", "3 days") stay.
    With ``known`` words given, "1" may also be an l ("b1ood" -> blood).
    """
    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        core = w.rstrip("!")  # "hola!", "stiff!!": an exclamation, not an i
        if core != w and core:
            return fix_word(core) + w[len(core):]
        return fix_word(w)

    def fix_word(w: str) -> str:
        if w.isalpha():
            return w
        if _NUMBER_AND_UNIT.fullmatch(w):
            return w  # "the 1980s", "10am", "5mg": a number, not a disguised word
        plain = w.translate(_LEET)
        if known and plain not in known:
            other = w.replace("1", "l").replace("|", "l").translate(_LEET)
            if other in known:
                return other
        return plain

    # A word to fix has a letter beside a digit or sign: without one, nothing changes.
    return _LEET_WORD.sub(fix, text) if _LEET_MIX.search(text) else text


def join_spaced(text: str, known: frozenset[str] = frozenset()) -> str:
    """Letters spaced out to dodge a filter joined again: "f e v e r" -> fever (and
    "a f e v e r" -> a fever, when the words are known)."""
    def join(m: re.Match[str]) -> str:
        word = re.sub(rf"[ {_MARKS}]", "", m.group(0))
        if known and word not in known and word[0] in "ai" and word[1:] in known:
            return f"{word[0]} {word[1:]}"
        return word

    # Dotted words kept apart by a lone mark ("l.e.g.s. .n.u.m.b."): joined, each word
    # keeps a trailing mark and the words stand ". ." apart, which is no sentence break.
    # And where most words are dotted, a lone mark between them is a word break too
    # ("t.r.i.e.d . h.e.a.t"), not the end of a sentence.
    joined, n = _MARKED.subn(join, text)
    joined = _APART.sub(" ", joined)
    if n >= 3:
        joined = _LONE.sub(" ", joined)
    joined, spaced = _SPACED.subn(join, joined)
    if n or spaced:  # a writer who spaces letters out spaces numbers too ("3 9 . 8")
        joined = _SPACED_DIGITS.sub(lambda m: re.sub(r"\s", "", m.group(0)), joined)
    return _PAIR.sub(r"\1\2", joined)


# A two-letter word spaced out between wide gaps, where spaced words stand ("c a n ' t   h o l d
# m y   w a t e r": "m y" is too short for `_SPACED`, which leaves "a b" of prose alone).
_PAIR = re.compile(r"(?<=[a-z'] {3})([a-z]) ([a-z])(?= {3}[a-z]| *$)")


_APART = re.compile(rf"(?<=\w)[{_GAP}] +[{_GAP}](?=\w)")
_LONE = re.compile(rf"(?<=\w)[{_GAP},]* +[{_GAP}] +(?=\w)")


def fold(text: str, known: frozenset[str] = frozenset()) -> str:
    """Every reading above at once, on lower-cased text."""
    text = strip_markup(letter_symbols(strip_marks(strip_invisible(unescape(text)))))
    return join_spaced(undo_leet(fold_confusables(text, known).lower(), known), known)
