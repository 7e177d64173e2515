"""A deadline on a blocking call: a hung store must never hold a person's request.

The call runs in a daemon worker thread; past the deadline the caller gets
``StoreTimeout`` and goes on. The worker is left to finish (or to die with the process):
Python cannot stop it, but a daemon thread never keeps the process alive, and the Chroma
client's own HTTP timeout (set in ``rag.store.connect``) ends it soon after. Workers that
are done wait for the next call instead of a new thread being started for each one
(starting and joining one cost about 4 ms a question on a busy two-core machine); a call
finds an idle worker or starts one, so a hung call never delays another.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from rag.errors import StoreTimeout

T = TypeVar("T")
IDLE_WORKERS = 8  # kept waiting at most; more (after a burst, or hung calls) end
_idle: list[_Worker] = []
_lock = threading.Lock()


class _Worker:
    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], Any], dict[str, Any],
                                           threading.Event]] = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="knotbot store call", daemon=True).start()

    def _serve(self) -> None:
        while True:
            call, box, done = self.jobs.get()
            try:
                box["value"] = call()
            except BaseException as err:  # handed to the caller as it is
                box["error"] = err
            done.set()
            del call, box, done  # nothing of this call kept while idle
            with _lock:
                if len(_idle) >= IDLE_WORKERS:
                    return
                _idle.append(self)


def call_with_deadline(call: Callable[[], T], seconds: float, what: str) -> T:
    """``call()``, or StoreTimeout naming ``what`` if it takes longer than ``seconds``."""
    with _lock:
        worker = _idle.pop() if _idle else None
    box: dict[str, Any] = {}
    done = threading.Event()
    (worker or _Worker()).jobs.put((call, box, done))
    if not done.wait(seconds):
        raise StoreTimeout(what, seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
