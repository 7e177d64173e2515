"""Find and repair a damaged index, and remove the vector folders nobody uses.

The index can always be rebuilt from the articles, so ingest never gives up on a broken
store: a store that cannot be opened is moved aside (kept, for whoever wants to look),
a damaged active version is rebuilt, and folders of dropped versions are deleted (Chroma
leaves a deleted collection's folder behind unless the deleting process had loaded it).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from rag.errors import IndexDamagedError
from rag.probe import crashes
from rag.settings import Settings
from rag.store import IndexInfo, active_info, check_version, connect, forget

_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _move_aside(settings: Settings) -> Path:
    folder = settings.data_dir / "chroma"
    target = settings.data_dir / f"chroma.broken-{time.strftime('%Y%m%d%H%M%S')}"
    forget(settings)  # Chroma caches one client per folder; the moved one is not ours now
    shutil.move(str(folder), str(target))
    return target


def open_for_ingest(settings: Settings, http_timeout: float
                    ) -> tuple[Any, IndexInfo | None, list[str]]:
    """A client, the active version if it is sound (None if missing or damaged), and what
    was repaired. An embedded store that cannot be opened is moved aside and started over;
    a Chroma server that cannot be reached is an error (it is not ours to move)."""
    notes: list[str] = []
    if crashes(settings):  # a damaged vector file can crash Chroma in this process
        moved = _move_aside(settings)
        notes.append(f"the store in {settings.data_dir / 'chroma'} crashed when opened: "
                     f"moved it aside to {moved} and rebuilt the index from the articles "
                     "(delete that folder when you no longer need it)")
    try:
        client = connect(settings, http_timeout)
        old = active_info(client, settings)
    except Exception as err:
        if settings.chroma_host or "locked" in str(err).lower():
            raise  # a server is not ours to move; a locked store is another ingest's
        moved = _move_aside(settings)
        notes.append(f"the store in {settings.data_dir / 'chroma'} could not be opened "
                     f"({_short(err.__cause__ or err)}): moved it aside to {moved} and "
                     "rebuilt the index from the articles (delete that folder when you no "
                     "longer need it)")
        client, old = connect(settings, http_timeout), None
    if old is not None:
        try:
            check_version(client.get_collection(old.name, embedding_function=None), old.name)
        except IndexDamagedError as err:
            notes.append(f"{err}: rebuilt it from the articles".replace(
                ": run `knotbot ingest` to repair it", ""))
            old = None
    return client, old, notes


def _short(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {text[:120]}" if text else type(err).__name__


def used_segments(chroma_dir: Path) -> set[str] | None:
    """The segment ids Chroma's own record lists (None if it cannot be read)."""
    db = chroma_dir / "chroma.sqlite3"
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as con:
            return {str(row[0]) for row in con.execute("SELECT id FROM segments")}
    except sqlite3.Error:
        return None


def collect_garbage(settings: Settings) -> tuple[int, int]:
    """Delete vector folders of dropped versions; returns (folders, bytes) removed.

    Folders are listed before the record is read: a version being written now has its
    record row before its folder, so it is never taken for an orphan.
    """
    chroma_dir = settings.data_dir / "chroma"
    if settings.chroma_host or not chroma_dir.is_dir():
        return 0, 0
    folders = [p for p in chroma_dir.iterdir() if p.is_dir() and _SEGMENT_DIR.match(p.name)]
    used = used_segments(chroma_dir)
    if used is None:
        return 0, 0
    removed = freed = 0
    for folder in folders:
        if folder.name not in used:
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            shutil.rmtree(folder, ignore_errors=True)
            removed, freed = removed + 1, freed + size
    return removed, freed
