"""Starting a process quickly: no cyclic garbage collection while it imports and builds.

Imports and the pipeline's start make hundreds of thousands of objects and almost no
garbage, and the collector went over all of them again and again (about a fifth of the
imports' time). After the start, what was built is frozen out of the collector's sight,
so the collections that answering triggers look only at what answers make.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def starting() -> Iterator[None]:
    """The block runs without the cyclic collector; what it left is frozen (never scanned
    again, and never freed: the little garbage a start leaves costs less memory than a
    full collection costs time, about 0.3 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()
