"""Gradio work per session that Knotbot's page never reads, put off until something reads it.

Every person's first message makes Gradio a new session state, and that state starts with
its own copy of every component's configuration (46 components on this page: about 5 ms
of the app's CPU per person, ``inspect.signature`` on each component's constructor). The
copy is read only to restore a session from a deep link, which this page does not offer;
events change the few entries they touch. Here a session's copy is made when it is first
read (`LazySessionState.components`), and an entry an event touches is made then, as Gradio
already does for one that is missing. What a deep link would get is the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from copy import copy
from typing import Any

import gradio.state_holder as state_holder
from gradio.state_holder import SessionState


class LazySessionState(SessionState):
    """`gradio.state_holder.SessionState` whose copy of the components' configuration is
    made on first read, not for every new session."""

    def __init__(self, blocks: Any) -> None:  # as SessionState.__init__, without the copy
        self.blocks_config = copy(blocks.default_config)
        self._own = frozenset(blocks.blocks)  # the components the copy is made of
        self.config_values: dict[int, Any] = {}
        self.state_data: dict[int, Any] = {}
        self._state_ttl: dict[int, Any] = {}
        self.is_closed = False
        self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600

    def _filled(self) -> None:
        """Every component's entry, in the components' order, as SessionState has them."""
        made = {key: self.config_values[key] if key in self.config_values
                else self.blocks_config.config_for_block(key, [], block)
                for key, block in self.blocks_config.blocks.items() if key in self._own}
        made.update(self.config_values)  # entries events made for other components
        self.config_values = made

    @property
    def components(self) -> Iterator[dict[str, Any]]:
        self._filled()
        return super().components


def lighten() -> None:
    """Make Gradio's new sessions lazy (for every app in this process; nothing else
    changes for them)."""
    state_holder.SessionState = LazySessionState  # type: ignore[misc]
