"""chromadb without its OTLP trace exporter: `import chromadb` imported gRPC and
OpenTelemetry's gRPC span exporter (about 0.2 to 0.3 s of every cold `knotbot ask`), for
sending Chroma's traces to a collector named by Chroma's own setting
``chroma_otel_collection_endpoint``. Knotbot never sets it, so the exporter is never made;
a stand-in module is imported in its place, and it says what to do if it ever is.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

TARGET = "opentelemetry.exporter.otlp.proto.grpc.trace_exporter"


class OTLPSpanExporter:
    """Stands in for OpenTelemetry's gRPC span exporter; Chroma makes one only when told
    to send its traces somewhere."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("Knotbot does not send Chroma's traces: leave Chroma's "
                           "chroma_otel_collection_endpoint unset")


class _StandIn(MetaPathFinder, Loader):
    """Answers the import of the exporter module with `OTLPSpanExporter` above. Put first
    once and never taken out: taking a finder out of ``sys.meta_path`` while another
    thread's import walks it can make that import skip the next finder (as in
    `rag.lean_import`)."""

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None
                  ) -> ModuleSpec | None:
        return ModuleSpec(name, self) if name == TARGET else None

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        module.OTLPSpanExporter = OTLPSpanExporter  # type: ignore[attr-defined]


_lock = threading.Lock()
_unchecked = 0
_check: Any = None


def _skip_check(*_args: Any, **_kwargs: Any) -> None:
    return None


@contextmanager
def unchecked_overrides() -> Iterator[None]:
    """Chroma's classes made without the `overrides` package's signature check: each
    ``@override`` compared the method's signature with its base class's when the class was
    made (162 methods, about 0.13 s of CPU of each cold start at load 7), a check for
    Chroma's own developers that raises only where a release would not import at all.
    Other threads' classes made meanwhile skip it too; nothing else changes."""
    global _unchecked, _check
    try:
        module: Any = importlib.import_module("overrides.overrides")
    except ImportError:
        yield
        return
    with _lock:
        if _unchecked == 0:
            _check = module.ensure_signature_is_compatible
            module.ensure_signature_is_compatible = _skip_check
        _unchecked += 1
    try:
        yield
    finally:
        with _lock:
            _unchecked -= 1
            if _unchecked == 0:
                module.ensure_signature_is_compatible = _check


def import_chromadb() -> ModuleType:
    """``import chromadb``, with the stand-in exporter unless chromadb (or the real
    exporter) is imported already, httpx without its command-line client, and Chroma's
    classes without the signature check (`unchecked_overrides`)."""
    from rag.lean_import import without

    with _lock:
        if "chromadb" not in sys.modules and TARGET not in sys.modules and not any(
                isinstance(f, _StandIn) for f in sys.meta_path):
            sys.meta_path.insert(0, _StandIn())
    with without("httpx._main"), unchecked_overrides():  # (rag.lean_import, above)
        import chromadb

    return chromadb
