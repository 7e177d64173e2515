"""Open an embedded store in a child process first: a damaged vector file can crash
Chroma's native code (a segmentation fault, no exception), and that must cost a child,
never the app or the ingest that is about to repair it.

The probe runs only when the store's files changed since the last probe that passed, so
a running app pays for it once per new index version, not per question.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
from pathlib import Path

from rag.settings import Settings

_PROBE = (
    "import sys\n"
    "from rag.settings import Settings\n"
    "from rag.store import check_version, connect, open_active\n"
    "s = Settings.model_validate_json(sys.argv[1])\n"
    "col, info = open_active(connect(s), s)\n"
    "check_version(col, info.name)\n"
)
_passed: dict[str, tuple[tuple[str, int, int], ...]] = {}
_lock = threading.Lock()


def truncated_vectors(chroma_dir: Path) -> bool:
    """Is a vector file shorter than its own header says? (hnswlib's header.bin: a uint32
    version, then uint64 offset, max elements, element count and bytes per element.)
    Chroma maps these files and crashes on a short one, so this is read first."""
    if not chroma_dir.is_dir():
        return False
    for header in chroma_dir.glob("*/header.bin"):
        data = header.with_name("data_level0.bin")
        raw = header.read_bytes()
        if len(raw) < 36 or not data.is_file():
            return True
        _, _, most, count, per = struct.unpack_from("<IQQQQ", raw, 0)
        if 0 < per < 1 << 20 and count <= most < 1 << 40 and data.stat().st_size < count * per:
            return True
    return False


def signature(chroma_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file of the store with its size and modification time."""
    if not chroma_dir.is_dir():
        return ()
    return tuple(sorted((str(p.relative_to(chroma_dir)), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in chroma_dir.rglob("*") if p.is_file()))


def crashes(settings: Settings, timeout: float = 120.0) -> bool:
    """Does opening and checking the active version kill the process that does it?

    Only a death by signal counts: an ordinary error (no index yet, a damaged version
    Chroma reports) is left to the caller, which meets it again as an exception.
    """
    if settings.chroma_host:
        return False  # a server's files are its own; a crash there is not ours
    folder = settings.data_dir / "chroma"
    if truncated_vectors(folder):
        return True  # read from the files themselves: no process needs to crash to see it
    sig = signature(folder)
    key = str(folder.resolve())
    stamp = settings.data_dir / "probe-passed.json"
    with _lock:
        if not sig or _passed.get(key) == sig or _stamped(stamp) == sig:
            return False
    root = Path(__file__).resolve().parent.parent
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE, settings.model_dump_json()],
                              capture_output=True, timeout=timeout, cwd=root)
    except subprocess.TimeoutExpired:
        return False  # slow is not broken: the caller's own deadline applies
    if done.returncode < 0:
        return True
    # The files as the child left them (opening rewrites them, see `opened`): stamping
    # the signature taken before it left the next process to probe the same version again.
    _stamp(folder, stamp, signature(folder))
    return False


def opened(settings: Settings) -> None:
    """This process has just opened and checked the active version, as the probe does,
    and lived: its files, as Chroma left them, count as passed.

    Opening an embedded store rewrites its files (SQLite at connect, the vector files
    when a collection is opened), so the signature the probe stamped is stale after
    every open; without this, each start paid for a probe (about a second) again."""
    if settings.chroma_host:
        return
    folder = settings.data_dir / "chroma"
    _stamp(folder, settings.data_dir / "probe-passed.json", signature(folder))


def _stamp(folder: Path, stamp: Path, sig: tuple[tuple[str, int, int], ...]) -> None:
    with _lock:
        if _passed.get(str(folder.resolve())) == sig:
            return
        _passed[str(folder.resolve())] = sig
        try:  # other processes (the next `knotbot ask`) skip the probe on the same files
            stamp.write_text(json.dumps(sig), encoding="utf-8")
        except OSError:
            pass


def _stamped(stamp: Path) -> tuple[tuple[str, int, int], ...] | None:
    try:
        return tuple(tuple(row) for row in json.loads(stamp.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
