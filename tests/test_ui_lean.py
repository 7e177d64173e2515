"""Gradio's per-session costs the page does not need (`ui.lean`): put off, never changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

try:
    from tests.ui_fake import FakePipeline
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    from ui_fake import FakePipeline  # type: ignore[no-redef]


def test_a_new_session_copies_no_config_and_a_deep_link_still_gets_gradios_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradio as gr
    from gradio.blocks import BlocksConfig
    from gradio.state_holder import StateHolder

    from ui.app import build_app
    from ui.lean import LazySessionState

    app = build_app(FakePipeline(), feedback_file=tmp_path / "f.jsonl")
    holder = StateHolder()
    holder.set_blocks(app)
    made: list[int] = []
    real = BlocksConfig.config_for_block

    def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(BlocksConfig, "config_for_block", staticmethod(counted))
    lazy = holder["a person"]  # what a person's first message makes
    assert isinstance(lazy, LazySessionState) and made == []
    own = LazySessionState.__mro__[1](app)  # gradio's own SessionState
    assert len(made) == len(app.blocks)

    chat = next(b._id for b in app.blocks.values() if isinstance(b, gr.Chatbot))
    state = next(b._id for b in app.blocks.values() if type(b) is gr.State)
    for session in (lazy, own):  # what an event does to a session
        session._update_value_in_config(chat, [{"role": "user", "content": "hi"}])
        session[state] = ["an entry"]
    assert list(lazy.components) == list(own.components)  # in the same order too
    assert len(list(lazy.components)) == len(app.blocks)
