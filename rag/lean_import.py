"""Third-party modules imported without parts Knotbot never uses, which cost every cold
`knotbot ask` a few tenths of a second between them.

- bm25s imported ``scipy.sparse`` (with SciPy's copy of NumPy's namespace, which imports
  numpy.f2py, numpy.testing and unittest: 0.15 to 0.3 s) for one use, building an index's
  matrix with SciPy (``csc_backend="scipy"``). A loaded index scores with NumPy alone, and
  Knotbot builds with bm25s' NumPy backend (`rag.retrieval.KeywordIndex`: the same matrix,
  the same scores), so bm25s is imported with SciPy out of sight.
- httpx (which chromadb imports, `rag.chroma_import`) imports its command-line client,
  and with it rich, click and pygments, when they are installed; without them it imports
  a stand-in that says how to install them.

A module is hidden in the importing thread only, and never once it is imported already.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any


class _Hide(MetaPathFinder):
    """Modules the calling thread is not to find (none unless inside `without`). One
    finder for the process, put first once and never taken out: taking a finder out of
    ``sys.meta_path`` while another thread's import walks it can make that import skip
    the next finder."""

    def __init__(self) -> None:
        self.local = threading.local()

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None
                  ) -> ModuleSpec | None:
        names: tuple[str, ...] = getattr(self.local, "names", ())
        if any(name == n or name.startswith(f"{n}.") for n in names):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden while Knotbot "
                                      "imports what needs it: rag.lean_import)", name=name)
        return None


_lock = threading.Lock()
_finder: _Hide | None = None


def _hide() -> _Hide:
    global _finder
    with _lock:
        if _finder is None:
            _finder = _Hide()
            sys.meta_path.insert(0, _finder)
        return _finder


@contextmanager
def without(*names: str) -> Iterator[None]:
    """Within the block, in this thread, the modules ``names`` not imported yet are not
    there (an ImportError, which the libraries above expect when they are optional)."""
    missing = tuple(n for n in names if n not in sys.modules)
    if not missing:
        yield
        return
    local = _hide().local
    before = getattr(local, "names", ())
    local.names = before + missing
    try:
        yield
    finally:
        local.names = before


def import_bm25s() -> ModuleType:
    """``import bm25s``, without SciPy unless SciPy is imported already."""
    if "bm25s" in sys.modules:
        return sys.modules["bm25s"]
    with without("scipy"):
        import bm25s

    return bm25s
