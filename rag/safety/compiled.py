"""The safety lexicon's regular expressions, compiled once per Python, not at every start.

Python's `re` compiles in Python: its parser and code generator took 0.1 to 0.25 s of
every `knotbot ask` on the lexicon's 63 patterns (77,000 characters). What they produce,
the program `re` hands to ``_sre.compile``, depends only on the pattern, its flags and the
Python build, so `use_cache` keeps it in KNOTBOT_CACHE_DIR (1 MB, read in a few ms) under a
key made of the Python build, and `compile_regex` hands a kept program to ``_sre.compile``
as `re` would. The same pattern object comes out (`re.Pattern` equality compares the
program; a test holds every lexicon pattern to it). Anything unexpected (another Python,
a damaged or unreadable file, a read-only folder) only means compiling as usual.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

FORMAT = 1
_lock = threading.Lock()
_programs: dict[str, tuple[Any, ...]] = {}
_file: Path | None = None
_unsaved = False


def _key() -> str:
    import _sre

    build = f"{FORMAT}|{sys.implementation.name}|{sys.version}|{_sre.MAGIC}|{sys.maxsize}"
    return hashlib.sha256(build.encode()).hexdigest()[:16]


def use_cache(cache_dir: Path) -> None:
    """Programs kept in ``cache_dir`` are used from now on, and new ones kept there by
    `save`. Only with CPython, whose `re` internals this follows."""
    global _file
    if sys.implementation.name != "cpython":
        return
    path = cache_dir / f"regex-{_key()}.marshal"
    with _lock:
        _file = path
        try:
            blob = path.read_bytes()
            digest, body = blob[:32], blob[32:]
            if hashlib.sha256(body).digest() == digest:
                kept = marshal.loads(body)
                if isinstance(kept, dict):
                    _programs.update(kept)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # compiled as usual, and written again by `save`


def _program(pattern: str) -> tuple[Any, ...]:
    """What `re._compiler.compile` hands to ``_sre.compile`` (Python 3.11 to 3.13)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    code = [int(op) for op in _compiler._code(parsed, 0)]
    return (int(parsed.state.flags), code, parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def compile_regex(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, from a kept program when there is one."""
    global _unsaved
    import _sre

    kept = _programs.get(pattern)
    if kept is not None:
        try:
            return _sre.compile(pattern, *kept)  # type: ignore[no-any-return]
        except (TypeError, ValueError, RuntimeError):
            pass
    if _file is None:
        return re.compile(pattern)
    try:
        program = _program(pattern)
        compiled = _sre.compile(pattern, *program)
    except Exception:  # noqa: BLE001 - another Python's internals: compile as usual
        return re.compile(pattern)
    with _lock:
        _programs[pattern] = program
        _unsaved = True
    return compiled  # type: ignore[no-any-return]


def save() -> None:
    """Keep the programs compiled since `use_cache` (atomically; a read-only folder is
    left alone)."""
    global _unsaved
    with _lock:
        if not _unsaved or _file is None:
            return
        body = marshal.dumps(_programs)
        try:
            _file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=_file.parent, prefix=".regex-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(hashlib.sha256(body).digest() + body)
            os.chmod(tmp, 0o644)  # as the other cache files (mkstemp makes it 0600)
            os.replace(tmp, _file)
            _unsaved = False
        except OSError:
            pass
