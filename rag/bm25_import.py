"""bm25s without SciPy: `import bm25s` imported ``scipy.sparse`` (with SciPy's copy of
NumPy's namespace, which imports numpy.f2py, numpy.testing and unittest: 0.15 to 0.3 s of
every cold `knotbot ask`) for one use, building an index's matrix with SciPy
(``csc_backend="scipy"``). A loaded index scores with NumPy alone, and Knotbot builds with
bm25s' NumPy backend (`rag.retrieval.KeywordIndex`: the same matrix, the same scores), so
the import is made with SciPy out of sight, in the importing thread only.
"""

from __future__ import annotations

import sys
import threading
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any


class _NoSciPy(MetaPathFinder):
    """SciPy is not there, for one thread, while bm25s is imported."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None
                  ) -> ModuleSpec | None:
        if (name == "scipy" or name.startswith("scipy.")) and \
                threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden while bm25s is "
                                      "imported: rag.bm25_import)", name=name)
        return None


def import_bm25s() -> ModuleType:
    """``import bm25s``; without SciPy unless SciPy (or bm25s) is imported already."""
    if "bm25s" in sys.modules or "scipy.sparse" in sys.modules:
        import bm25s

        return bm25s
    hide = _NoSciPy()
    sys.meta_path.insert(0, hide)
    try:
        import bm25s
    finally:
        sys.meta_path.remove(hide)
    return bm25s
