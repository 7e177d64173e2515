"""Text hidden in an encoding people use to slip words past a filter: base64, hex,
binary and Morse. Each decoder returns the words it found (or nothing); triage reads them
beside the message, so a sign hidden this way still counts. Only a decoding that is
mostly letters is kept: a hex colour or a row of numbers is not a message."""

from __future__ import annotations

import base64
import binascii
import re

# Case matters for base64, so these run before the message is lower-cased.
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{6,}={0,2}(?![A-Za-z0-9+/=])")
_HEX_RUN = re.compile(r"(?<![0-9A-Fa-fx])(?:(?:0x)?[0-9A-Fa-f]{2}[ ,:]?){3,}(?![0-9A-Fa-f])")
_BIN_RUN = re.compile(r"(?<![01])(?:[01]{8}[ ,]?){3,}(?![01])")
_MORSE_RUN = re.compile(r"(?:[.\-·•_−–—]{1,7}(?:[ ]{1,3}|[ ]?/[ ]?|$)){3,}")
_MORSE = dict(zip(
    ".- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- "
    "...- .-- -..- -.-- --..".split(), "abcdefghijklmnopqrstuvwxyz", strict=True))


def _wordy(raw: str) -> bool:
    letters = sum(ch.isalpha() or ch in " ,.'-" for ch in raw)
    return raw.isprintable() and bool(re.search(r"[A-Za-z]{3}", raw)) \
        and letters >= 0.85 * len(raw)


def base64_words(text: str) -> list[str]:
    found = []
    for m in _BASE64.finditer(text):
        token = m.group(0)
        if len(token) % 4 or token.isalpha() and token.islower():
            continue
        try:
            raw = base64.b64decode(token, validate=True).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if _wordy(raw):
            found.append(raw)
    return found


def _bytes_words(runs: list[str], base: int, width: int) -> list[str]:
    found = []
    for run in runs:
        digits = re.sub(r"0x|[^0-9A-Fa-f]", "", run) if base == 16 else re.sub(r"[^01]", "", run)
        raw = "".join(chr(int(digits[i:i + width], base)) for i in range(0, len(digits), width))
        if _wordy(raw):
            found.append(raw)
    return found


def morse_words(text: str) -> list[str]:
    found = []
    for m in _MORSE_RUN.finditer(text):
        run = re.sub(r"[·•]", ".", re.sub(r"[_−–—]", "-", m.group(0)))
        words = [w for w in re.split(r"\s*/\s*|\s{2,}", run.strip()) if w]
        letters = [[_MORSE.get(code, "?") for code in w.split()] for w in words]
        raw = " ".join("".join(w) for w in letters)
        if "?" not in raw and _wordy(raw):
            found.append(raw)
    return found


def hidden_words(text: str) -> str:
    """Everything the decoders found in ``text``, as one string."""
    found = base64_words(text)
    found += _bytes_words([m.group(0) for m in _HEX_RUN.finditer(text)], 16, 2)
    found += _bytes_words([m.group(0) for m in _BIN_RUN.finditer(text)], 2, 8)
    if re.search(r"[.\-·•][.\-·•]", text):
        found += morse_words(text)
    return " ".join(found)
