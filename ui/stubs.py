"""Gradio without its stub writer: at every import, gradio regenerated the type stubs
(.pyi) of its own components in its installed folder, parsing each component's source,
and that was most of its import (about 3 of 5 s under load, the larger part of the app's
time to its first answer). The stubs are for editors; the app never reads them.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

TARGET = "gradio.component_meta"


def _no_stubs(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for gradio's ``create_or_modify_pyi``: writes nothing."""


class _SkipStubs(MetaPathFinder):
    """Finds gradio's component module as usual and, once it has run, swaps its stub
    writer for `_no_stubs` (before any component class is made). Used once."""

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None
                  ) -> ModuleSpec | None:
        if name != TARGET:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        loader: Any = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec  # an unusual install: gradio as it is
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            if hasattr(module, "create_or_modify_pyi"):  # another gradio: left as it is
                setattr(module, "create_or_modify_pyi", _no_stubs)  # noqa: B010

        loader.exec_module = exec_module
        return spec


def skip_stub_writing() -> None:
    """Install the finder, unless gradio's components are already imported."""
    if TARGET not in sys.modules and not any(isinstance(f, _SkipStubs) for f in sys.meta_path):
        sys.meta_path.insert(0, _SkipStubs())
