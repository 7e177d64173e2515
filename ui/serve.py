"""`knotbot serve`: load the real pipeline and launch the app; never fail on a missing index."""

from __future__ import annotations

from typing import NoReturn

from rag.errors import KnotbotError
from rag.models import Answer, Option, PressForm, Turn
from rag.settings import Settings


class UnavailablePipeline:
    """Stands in when the pipeline cannot load: every call shows the reason and the fix."""

    def __init__(self, error: KnotbotError) -> None:
        self.error = error

    def _raise(self) -> NoReturn:
        raise self.error

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        self._raise()

    def press_form(self) -> PressForm:
        self._raise()

    def check_press(self, location: str, feeling: str, conditions: list[str]) -> Answer:
        self._raise()

    def warning_signs(self) -> list[Option]:
        self._raise()

    def check_signs(self, signs: list[str]) -> Answer:
        self._raise()


def load_pipeline(settings: Settings) -> object:
    from rag.pipeline import KnotbotPipeline

    try:
        return KnotbotPipeline(settings)
    except KnotbotError as err:
        return UnavailablePipeline(err)


def serve(settings: Settings, host: str, port: int) -> None:
    from ui.app import launch

    pipeline = load_pipeline(settings)
    print(f"Knotbot is running on http://{host}:{port} (Ctrl+C to stop)")
    launch(pipeline, host, port, settings=settings,  # type: ignore[arg-type]
           feedback_file=settings.feedback_file)
