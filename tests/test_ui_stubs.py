"""The app imports gradio without gradio rewriting its type stubs (`ui.stubs`)."""

from __future__ import annotations

import os
import subprocess
import sys

from rag.settings import PROJECT_DIR

CODE = """
import ui.app, gradio
import gradio.component_meta as meta
from ui.stubs import _no_stubs
print(meta.create_or_modify_pyi is _no_stubs, gradio.Button.__name__)
"""


def test_gradio_loads_without_its_stub_writer() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          cwd=PROJECT_DIR, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "Button"]


def test_gradio_already_imported_is_left_alone() -> None:
    import gradio.component_meta as meta

    from ui.stubs import _SkipStubs, skip_stub_writing

    skip_stub_writing()  # too late to skip anything: no finder is left behind
    assert not any(isinstance(f, _SkipStubs) for f in sys.meta_path)
    assert callable(meta.create_or_modify_pyi)
