"""The store probe (rag.probe) runs once per new index version, not once per process."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rag import probe
from rag.settings import Settings


def test_a_passed_probe_is_not_run_again_by_the_next_process(
        built_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = built_index.model_copy(update={"data_dir": tmp_path / "data"})
    shutil.copytree(built_index.data_dir / "chroma", s.data_dir / "chroma")
    assert probe.crashes(s) is False  # a new version: checked in a child

    children: list[Any] = []
    real_run = subprocess.run

    def counting_run(*args: Any, **kwargs: Any) -> Any:
        children.append(args)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(probe.subprocess, "run", counting_run)
    monkeypatch.setattr(probe, "_passed", {})  # what a new `knotbot ask` remembers: nothing
    assert probe.crashes(s) is False
    assert children == []  # the stamp the first probe left covers the files as it left them
