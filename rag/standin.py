"""An instant stand-in for the pipeline, for `knotbot bench` only.

Served in the real page, it gives every question the same answer, one the real pipeline
gave, with no model, no store and no safety check. The simulated people's reply times
against it are what the page costs without any of Knotbot's own work: Gradio, HTTP and
the people themselves on the same cores. Never a way to answer anyone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rag.models import Answer, Option, PressForm, Turn


class RecordedPipeline:
    """`rag.models.Pipeline` answering with one recorded Answer; the forms are the real
    ones (the page has the same components, so the same cost per connection)."""

    def __init__(self, answer: Answer) -> None:
        self.recorded = answer

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        return self.recorded.model_copy(update={"question": question})

    def press_form(self) -> PressForm:
        from rag.pipeline import KnotbotPipeline

        return KnotbotPipeline.press_form(self)  # type: ignore[arg-type]  # reads no state

    def warning_signs(self) -> list[Option]:
        from rag.pipeline import KnotbotPipeline

        return KnotbotPipeline.warning_signs(self)  # type: ignore[arg-type]  # reads no state

    def check_press(self, location: str, feeling: str, conditions: list[str]) -> Answer:
        return self.answer(location)

    def check_signs(self, signs: list[str]) -> Answer:
        return self.answer(" ".join(signs))


def serve(answer_json: Path, port: int) -> None:
    """The real page around a RecordedPipeline, on 127.0.0.1 (blocks until stopped)."""
    from ui.app import launch

    answer = Answer.model_validate_json(answer_json.read_text(encoding="utf-8"))
    launch(RecordedPipeline(answer), "127.0.0.1", port)


if __name__ == "__main__":  # python -m rag.standin ANSWER.json PORT (from rag.bench)
    serve(Path(sys.argv[1]), int(sys.argv[2]))
