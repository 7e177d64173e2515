"""The other languages' word frequencies, memory-mapped instead of loaded.

The language check (`rag.safety.language`) compares a message's words' frequency in
English with their frequency in the language py3langid guessed, through wordfreq. wordfreq
keeps each language it is asked about as a Python dict (about 30 MB each, 600 MB for the
19 it may be asked about, 16 s to load them all). Here each of those lists is written once
(in a child process, so the building process never holds them) to the cache folder as
sorted UTF-8 words with their frequency bucket, and `install` points wordfreq's own
dictionary look-up at a read-only view of those files: the frequencies are the same
numbers (the same bucket, turned into a frequency by wordfreq's own ``cB_to_freq``). A
look-up finds its block of 256 words among every 256th word (held in memory) and reads
that block alone (two small reads, some 10 microseconds), not a memory map: mapped, each
step's page fault brought 64 KB in, 4 MB a look-up. English is
read for every word of every message, so it stays in memory, but as two small arrays
(each word's 64-bit hash, sorted, and its bucket: 3 MB, a look-up in a few microseconds)
instead of wordfreq's dict (about 25 MB, a quarter of a second to load at every start).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1  # bump when the files' layout changes
WORDLIST = "best"
ENGLISH_FIRST = "english-first.txt"
EVERYDAY = "everyday-english.txt"  # rag.safety.normalise.everyday_words, once
ENGLISH = "en-hashed"  # English's list as hashes and buckets (`HashedFrequencies`)
ENGLISH_TOP = "english-top.txt"  # rag.safety.normalise._english_words, once
ENGLISH_CANDIDATES = 50000  # wordfreq's commonest English words looked at for that file
_lock = threading.Lock()
_installed: dict[tuple[str, str], Mapping[str, float]] = {}
_original: Callable[..., Any] | None = None
_english_first: tuple[tuple[str, ...], dict[str, int]] = ((), {})


def folder(cache_dir: Path) -> Path:
    from importlib.metadata import version

    return cache_dir / f"wordfreq-{version('wordfreq')}-f{FORMAT}"


BLOCK = 256  # words a look-up reads at once


class Frequencies(Mapping[str, float]):
    """One language's {word: frequency}, read from its files (what wordfreq's
    ``get_frequency_dict`` returns, as a read-only mapping)."""

    def __init__(self, path: Path) -> None:
        from wordfreq import cB_to_freq

        self._freq = cB_to_freq
        self._fds = [os.open(path / name, os.O_RDONLY)
                     for name in ("words.bin", "offsets.bin", "buckets.bin")]
        size = [os.fstat(fd).st_size for fd in self._fds]
        self._n = size[2] // 2
        if size[1] != 8 * (self._n + 1) or self._offsets(self._n)[0] != size[0]:
            raise ValueError(f"the word list in {path} is damaged")
        self._first: list[bytes] | None = None

    def __del__(self) -> None:
        for fd in getattr(self, "_fds", []):
            os.close(fd)

    def _offsets(self, i: int) -> tuple[int, ...]:
        return struct.unpack("<qq", os.pread(self._fds[1], 16, 8 * i).ljust(16, b"\0"))

    def _word(self, i: int) -> bytes:
        a, b = self._offsets(i)
        return os.pread(self._fds[0], b - a, a)

    def _find(self, word: str) -> int:
        """The word's index, or -1: its block found among every `BLOCK`-th word (held in
        memory), then two reads, the block's offsets and its words, searched here (a
        binary search over the whole file took some 40 reads, 0.1 ms a word)."""
        key = word.encode("utf-8", "surrogatepass")
        j = bisect.bisect_right(self._index(), key) - 1
        if j < 0:
            return -1
        lo = j * BLOCK
        hi = min(lo + BLOCK, self._n)
        offs = struct.unpack(f"<{hi - lo + 1}q", os.pread(self._fds[1], 8 * (hi - lo + 1), 8 * lo))
        data = os.pread(self._fds[0], offs[-1] - offs[0], offs[0])
        base = offs[0]

        def at(k: int) -> bytes:
            return data[offs[k] - base:offs[k + 1] - base]

        k = bisect.bisect_left(range(hi - lo), key, key=at)
        return lo + k if k < hi - lo and at(k) == key else -1

    def _index(self) -> list[bytes]:
        """Every `BLOCK`-th word, read at the first look-up (about 1 MB for all languages)."""
        if self._first is None:
            self._first = [self._word(i) for i in range(0, self._n, BLOCK)]
        return self._first

    def __getitem__(self, word: str) -> float:
        i = self._find(word) if isinstance(word, str) else -1
        if i < 0:
            raise KeyError(word)
        return float(self._freq(-struct.unpack("<h", os.pread(self._fds[2], 2, 2 * i))[0]))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) >= 0

    def __iter__(self) -> Iterator[str]:
        return (self._word(i).decode("utf-8", "surrogatepass") for i in range(self._n))

    def __len__(self) -> int:
        return self._n


@contextmanager
def _new_folder(path: Path) -> Iterator[Path]:
    """A folder to fill, put in place as ``path`` at once when the block ends (files
    world-readable); left nowhere if the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=".tmp-"))
    try:
        yield tmp
        for f in tmp.iterdir():
            f.chmod(0o644)
        tmp.chmod(0o755)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    """A text file of these lines (each ending in a newline), put in place at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.writelines(f"{line}\n" for line in lines)
    Path(name).chmod(0o644)
    os.replace(name, path)


def word_hash(word: str) -> int:
    """A word's 64-bit hash, the same in every process (unlike ``hash``)."""
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class HashedFrequencies(Mapping[str, float]):
    """One language's {word: frequency} held as its words' sorted hashes and their buckets
    (what `write_hashed` wrote). A word not in the list is missing, as in wordfreq's own
    dict; the words themselves are not kept, so the mapping cannot be iterated."""

    def __init__(self, path: Path) -> None:
        from wordfreq import cB_to_freq

        self._freq = cB_to_freq
        self._keys = np.load(path / "keys.npy", allow_pickle=False)
        self._buckets = np.load(path / "buckets.npy", allow_pickle=False)
        if self._keys.dtype != np.uint64 or self._keys.shape != self._buckets.shape:
            raise ValueError(f"the word list in {path} is damaged")

    def _find(self, word: object) -> int:
        if not isinstance(word, str):
            return -1
        key = np.uint64(word_hash(word))
        i = int(np.searchsorted(self._keys, key))
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def __getitem__(self, word: str) -> float:
        i = self._find(word)
        if i < 0:
            raise KeyError(word)
        return float(self._freq(-int(self._buckets[i])))

    def __contains__(self, word: object) -> bool:
        return self._find(word) >= 0

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a hashed word list keeps no words to iterate")

    def __len__(self) -> int:
        return len(self._keys)


def write_hashed(path: Path, pack: Sequence[Sequence[str]]) -> None:
    """One language's `HashedFrequencies` files from wordfreq's list of buckets,
    atomically (a word in two buckets keeps the later one, as in wordfreq's own dict)."""
    bucket: dict[int, int] = {}
    words: dict[int, str] = {}
    for index, group in enumerate(pack):
        for word in group:
            key = word_hash(word)
            if words.setdefault(key, word) != word:
                raise ValueError(f"two words share a hash: {word!r}, {words[key]!r}")
            bucket[key] = index
    keys = np.array(sorted(bucket), dtype=np.uint64)
    with _new_folder(path) as tmp:
        np.save(tmp / "keys.npy", keys)
        np.save(tmp / "buckets.npy", np.array([bucket[int(k)] for k in keys], dtype=np.int16))


def write(path: Path, pack: Sequence[Sequence[str]]) -> None:
    """One language's files from wordfreq's list of buckets, atomically. A word in two
    buckets keeps the later one, as in wordfreq's own dict."""
    bucket: dict[bytes, int] = {}
    for index, words in enumerate(pack):
        for word in words:
            bucket[word.encode("utf-8", "surrogatepass")] = index
    keys = sorted(bucket)
    with _new_folder(path) as tmp:
        (tmp / "words.bin").write_bytes(b"".join(keys))
        (tmp / "offsets.bin").write_bytes(np.concatenate(
            [[0], np.cumsum([len(k) for k in keys])]).astype("<i8").tobytes())
        (tmp / "buckets.bin").write_bytes(np.array([bucket[k] for k in keys], "<i2").tobytes())


def build(root: Path, langs: Sequence[str]) -> None:
    """Write every language of ``langs`` wordfreq has and ``root`` lacks (in this process:
    see `ensure`), and the English-first words when ``langs`` are all the check uses."""
    from wordfreq import get_frequency_list

    for lang in langs:
        if (root / lang).is_dir():
            continue
        try:
            pack = get_frequency_list(lang, WORDLIST)
        except LookupError:  # wordfreq has no list for it: asked, it raises as before
            continue
        write(root / lang, pack)
        get_frequency_list.cache_clear()  # one language in memory at a time
    if not (root / ENGLISH).is_dir():
        write_hashed(root / ENGLISH, get_frequency_list("en", WORDLIST))
        get_frequency_list.cache_clear()
    if set(langs) >= set(other_languages()) and not (root / ENGLISH_FIRST).is_file():
        write_english_first(root / ENGLISH_FIRST)
    if not (root / EVERYDAY).is_file():
        write_everyday(root / EVERYDAY)
    if not (root / ENGLISH_TOP).is_file():
        from rag.safety.normalise import computed_english_words

        write_words(root / ENGLISH_TOP, computed_english_words())


def write_everyday(path: Path) -> None:
    """The words retrieval mends typos to, computed as ever: their count, then one a
    line, atomically."""
    from rag.safety.normalise import computed_everyday_words

    write_words(path, computed_everyday_words())


def write_words(path: Path, words: Sequence[str]) -> None:
    """Words as `read_everyday` reads them: their count, then one a line, atomically."""
    _write_lines(path, [str(len(words)), *words])


def read_everyday(path: Path) -> tuple[str, ...] | None:
    """The words `write_everyday` wrote; None when the file is missing or cut short."""
    try:
        count, *words = path.read_text(encoding="utf-8").splitlines()
        return tuple(words) if int(count) == len(words) else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def english_masks(candidates: Sequence[str], langs: Sequence[str]) -> dict[str, int]:
    """Per candidate, the languages of ``langs`` (bit i for langs[i]) in which it is
    commoner than in English, by the language check's own frequency function."""
    import wordfreq

    from rag.safety.language import _zipf

    english = {w: _zipf(w, "en") for w in candidates}
    masks = dict.fromkeys(candidates, 0)
    for bit, lang in enumerate(langs):
        for w in candidates:
            if english[w] < _zipf(w, lang):
                masks[w] |= 1 << bit
        wordfreq.get_frequency_dict.cache_clear()  # one language in memory at a time
        wordfreq._wf_cache.clear()
    return masks


def write_english_first(path: Path) -> None:
    """`english_masks` of wordfreq's commonest English words against each language the
    language check may guess: a line naming those languages, then one "word mask" a line,
    atomically."""
    from wordfreq import top_n_list

    from rag.safety.language import LATIN, is_word

    langs = [lang for lang in LATIN if lang != "en"]
    words = [w for w in top_n_list("en", ENGLISH_CANDIDATES) if is_word(w) and w == w.lower()]
    masks = english_masks(list(dict.fromkeys(words)), langs)
    _write_lines(path, [" ".join(langs), *(f"{w} {m:x}" for w, m in masks.items())])


def read_english_first(path: Path) -> tuple[tuple[str, ...], dict[str, int]]:
    """(the languages, {word: mask}) of a file `write_english_first` wrote."""
    head, *lines = path.read_text(encoding="utf-8").splitlines()
    masks = {}
    for line in lines:
        word, mask = line.split(" ")
        masks[word] = int(mask, 16)
    return tuple(head.split()), masks


def ensure(cache_dir: Path, langs: Sequence[str]) -> None:
    """The files of ``langs``, built in a child process if any is missing (about 20 s
    once); a failure (a read-only cache) only leaves wordfreq loading them itself."""
    root = folder(cache_dir)
    if all((root / lang).is_dir() for lang in [*langs, ENGLISH]) and all(
            (root / name).is_file() for name in (EVERYDAY, ENGLISH_TOP)) and (
            (root / ENGLISH_FIRST).is_file() or not set(langs) >= set(other_languages())):
        return
    subprocess.run([sys.executable, "-m", "rag.wordlists", str(root), json.dumps(list(langs))],
                   capture_output=True, check=False)


def install(cache_dir: Path, langs: Sequence[str]) -> list[str]:
    """Point wordfreq's look-ups for ``langs`` at their files (those that exist); every
    other language is wordfreq's own; and retrieval's everyday words read from theirs.
    Returns the languages installed."""
    from rag.safety import normalise

    global _english_first
    root = folder(cache_dir)
    with _lock:
        if not _english_first[1] and (root / ENGLISH_FIRST).is_file():
            try:
                _english_first = read_english_first(root / ENGLISH_FIRST)
            except (OSError, UnicodeDecodeError, ValueError):
                pass  # unreadable: the identifier decides every message, as before
        if normalise._everyday is None and (words := read_everyday(root / EVERYDAY)):
            normalise.use_everyday_words(words)
        for lang in langs:
            if (lang, WORDLIST) not in _installed and (root / lang).is_dir():
                try:
                    _installed[(lang, WORDLIST)] = Frequencies(root / lang)
                except (OSError, ValueError):
                    continue  # damaged: wordfreq's own list, as before
        _install_english(root)
        _hook()
        return sorted(lang for lang, _ in _installed if lang in langs)


def _hook() -> None:
    """wordfreq's dictionary look-up pointed at `_frequency_dict` (under ``_lock``)."""
    import wordfreq

    global _original
    if _original is None:
        _original = wordfreq.get_frequency_dict
        wordfreq.get_frequency_dict = _frequency_dict  # type: ignore[assignment]


def _install_english(root: Path) -> None:
    from rag.safety import normalise

    if normalise._english_top is None and (words := read_everyday(root / ENGLISH_TOP)):
        normalise.use_english_words(words)
    if ("en", WORDLIST) not in _installed and (root / ENGLISH).is_dir():
        try:
            _installed[("en", WORDLIST)] = HashedFrequencies(root / ENGLISH)
        except (OSError, ValueError):
            pass  # damaged: wordfreq's own dict, as before


def install_english(cache_dir: Path) -> bool:
    """Point wordfreq's English look-ups at the hashed list, before anything reads English
    (else wordfreq loads its own dict for the life of the process). False when the file is
    missing (`ensure` builds it; until then wordfreq's own dict is used)."""
    with _lock:
        _install_english(folder(cache_dir))
        if ("en", WORDLIST) in _installed:
            _hook()
        return ("en", WORDLIST) in _installed


def uninstall() -> None:
    """wordfreq's own look-ups again, for every language (tests)."""
    import wordfreq

    global _original, _english_first
    with _lock:
        if _original is not None:
            wordfreq.get_frequency_dict = _original  # type: ignore[assignment]
        _original = None
        _installed.clear()
        _english_first = ((), {})
    from rag.safety.normalise import use_english_words, use_everyday_words

    use_everyday_words(None)
    use_english_words(None)


def english_first_words() -> tuple[tuple[str, ...], dict[str, int]]:
    """Common English words and, for each, the languages (bits, in the order of the
    languages given first) in which the language check finds it commoner than in English
    (nothing until `install` found the file written by `ensure`)."""
    return _english_first


def _frequency_dict(lang: str, wordlist: str = "best", match_cutoff: None = None
                    ) -> Mapping[str, float]:
    found = _installed.get((lang, wordlist))
    if found is not None:
        return found
    assert _original is not None
    return _original(lang, wordlist, match_cutoff)  # type: ignore[no-any-return]


def other_languages() -> list[str]:
    """wordfreq's codes of the languages the language check may compare English with."""
    from rag.safety.language import LATIN, WORDFREQ

    return [WORDFREQ.get(lang, lang) for lang in LATIN if lang != "en"]


def warm(cache_dir: Path) -> None:
    """The app, beside its first requests: the lists' files (built once, in a child),
    then the language check warmed over them (a few MB instead of about 600). The
    identifier is loaded too only when the English-first words are missing (then every
    message of three words or more needs it)."""
    from rag.safety.language import warm as warm_check

    langs = other_languages()
    ensure(cache_dir, langs)
    install(cache_dir, langs)
    warm_check(identifier=not english_first_words()[1])


if __name__ == "__main__":  # python -m rag.wordlists ROOT '["fr", ...]' (ensure)
    build(Path(sys.argv[1]), json.loads(sys.argv[2]))
