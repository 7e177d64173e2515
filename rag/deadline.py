"""A deadline on a blocking call: a hung store must never hold a person's request.

The call runs in a daemon thread; past the deadline the caller gets ``StoreTimeout``
and goes on. The thread is left to finish (or to die with the process): Python cannot
stop it, but a daemon thread never keeps the process alive, and the Chroma client's own
HTTP timeout (set in ``rag.store.connect``) ends it soon after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from rag.errors import StoreTimeout

T = TypeVar("T")


def call_with_deadline(call: Callable[[], T], seconds: float, what: str) -> T:
    """``call()``, or StoreTimeout naming ``what`` if it takes longer than ``seconds``."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as err:  # handed to the caller as it is
            box["error"] = err

    worker = threading.Thread(target=run, name=f"store: {what}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StoreTimeout(what, seconds)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
