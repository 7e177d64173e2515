"""The index version the app answers from, opened and refreshed beside the requests.

Safety never waits for the store. A person's question reads ``LiveIndex.index`` (one
attribute read) and, when it is ``None`` or the store is marked unreachable, is answered
without articles at once. Opening a version, noticing a new one and retrying a store
that was down all happen in one background thread at a time; the new `LoadedIndex` is
built beside the serving one and swapped in with a single assignment.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from rag.deadline import call_with_deadline
from rag.errors import IndexDamagedError, KnotbotError
from rag.loaded import LoadedIndex, load_index
from rag.settings import Settings
from rag.store import is_unreachable

log = logging.getLogger("knotbot.store")
log.addHandler(logging.NullHandler())  # silent unless `knotbot serve` shows it (ui.serve)

LOADING = "the articles are still being loaded"


def reason(err: BaseException) -> str:
    """One line for the log and stderr: a Knotbot error says its fix, anything else its type."""
    if isinstance(err, KnotbotError):
        return str(err).splitlines()[0] if str(err) else type(err).__name__
    return (f"{type(err).__name__}: {str(err).splitlines()[0][:160] if str(err) else ''}"
            " (run `knotbot ingest` to check and repair the index)")


class LiveIndex:
    """Holds the serving `LoadedIndex` (or none) and why the store can't be used now."""

    def __init__(self, settings: Settings, embeddings: Any, word_table: Any,
                 on_swap: Callable[[LoadedIndex], None]) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.word_table = word_table
        self.on_swap = on_swap
        self.index: LoadedIndex | None = None
        self.error = LOADING  # "" while the articles can be searched
        self.unreachable = False  # the error is a store that is down or hung
        self._busy = threading.Lock()  # one refresh at a time
        self._last_try = 0.0
        self._watch_lock = threading.Lock()
        self._watching = False
        self.failures = 0  # store calls that failed or timed out (for the log and tests)

    @property
    def available(self) -> bool:
        return self.index is not None and not self.error

    def refresh(self, wait: float = 0.0) -> None:
        """Open the active version now, in this thread (after a refresh already running,
        waiting up to ``wait`` seconds for it)."""
        if self._busy.acquire(timeout=wait) if wait > 0 else self._busy.acquire(blocking=False):
            try:
                self._refresh()
            finally:
                self._busy.release()

    def refresh_soon(self, now: bool = False) -> None:
        """Start a background refresh, at most one every KNOTBOT_STORE_CHECK_SECONDS unless
        ``now`` (a search just found the version gone)."""
        if not now and time.monotonic() - self._last_try < self.settings.store_check_seconds:
            return
        if not self._busy.acquire(blocking=False):
            return

        def run() -> None:
            try:
                self._refresh()
            finally:
                self._busy.release()

        threading.Thread(target=run, name="knotbot index refresh", daemon=True).start()

    def failed(self, what: str, err: BaseException, unreachable: bool) -> None:
        """A store call of a question failed: log one line; if the store is down or hung,
        stop sending questions to it until a background refresh reaches it again."""
        self.failures += 1
        log.warning("store call failed (%s): %s", what, reason(err))
        if unreachable:
            self.error, self.unreachable = reason(err), True
            self._watch()
        else:
            self.refresh_soon(now=True)

    def _refresh(self) -> None:
        try:
            index = self._open()
        except Exception as err:  # noqa: BLE001 - any failure leaves safety answering
            before, self.error, self.unreachable = self.error, reason(err), is_unreachable(err)
            if self.error != before:  # said once, not at every retry of the watcher
                log.warning("store unavailable: %s", self.error)
            self._watch()
        else:
            if index is not None:
                self.index = index
                self.on_swap(index)
            if self.error and self.error != LOADING:
                log.warning("store available again")
            self.error, self.unreachable = "", False
        finally:
            self._last_try = time.monotonic()

    def _watch(self) -> None:
        """While the store can't be used, try it again every KNOTBOT_STORE_CHECK_SECONDS,
        so answering resumes on its own once it is back (one watcher at a time)."""
        with self._watch_lock:
            if self._watching:
                return
            self._watching = True

        def run() -> None:
            while True:
                with self._watch_lock:
                    if not self.error:
                        self._watching = False
                        return
                time.sleep(self.settings.store_check_seconds)
                self.refresh(wait=self.settings.store_timeout)

        threading.Thread(target=run, name="knotbot store watch", daemon=True).start()

    def _open(self) -> LoadedIndex | None:
        """The active version, built fresh; None when it is the one already serving."""
        from rag.chroma_import import import_chromadb

        import_chromadb()  # here, not inside the store's deadline below
        from rag.probe import crashes, opened
        from rag.store import check_version, connect, open_active

        s = self.settings
        if crashes(s):  # checked in a child: a damaged vector file can crash Chroma
            raise IndexDamagedError("in use", "opening its vector files crashes Chroma")
        client = call_with_deadline(lambda: connect(s), s.store_timeout, "connect")
        col, info = call_with_deadline(lambda: open_active(client, s), s.store_timeout,
                                       "open the active index")
        if self.index is not None and self.index.name == info.name:
            return None
        call_with_deadline(lambda: check_version(col, info.name), s.store_timeout,
                           "check the index")
        opened(s)
        return load_index(client, col, info.name, s, self.embeddings, self.word_table)
