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


def load_pipeline(settings: Settings, background: bool = False, embeddings: object = None
                  ) -> object:
    """The real pipeline: it starts without the store (safety needs none) and picks the
    index up when it can. Only a model that cannot load leaves the unavailable stand-in."""
    from rag.pipeline import KnotbotPipeline

    try:
        return KnotbotPipeline(settings, embeddings=embeddings, background=background)
    except KnotbotError as err:
        return UnavailablePipeline(err)
    except Exception as err:  # never a traceback at start: say what failed, in one line
        return UnavailablePipeline(KnotbotError(f"Knotbot could not start ({type(err).__name__}"
                                                f": {str(err)[:160]})"))


def log_store_calls() -> None:
    """One log line per failed or timed-out store call, with the reason (rag.live)."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s knotbot: %(message)s"))
    store_log = logging.getLogger("knotbot.store")
    store_log.addHandler(handler)
    store_log.setLevel(logging.INFO)
    store_log.propagate = False


def serve(settings: Settings, host: str, port: int) -> None:
    import threading

    from rag.startup import starting

    with starting():  # no cyclic garbage collection while gradio and the pipeline load
        import numpy  # noqa: F401 - shared by both threads below: imported once, first

        # wordfreq maps every module loaded so far to its file when imported (rag.cli.ask)
        import wordfreq  # noqa: F401

        log_store_calls()
        # The pipeline is built while gradio is imported (each about 5 s on a loaded
        # 2-core machine): part of each runs outside the interpreter lock (file reads,
        # onnxruntime, Chroma), so the first answer comes sooner. load_pipeline never
        # raises.
        built: list[object] = []
        loader = threading.Thread(target=lambda: built.append(load_pipeline(
            settings, background=True)), name="knotbot pipeline load", daemon=True)
        loader.start()
        from ui.app import launch

        loader.join()
    pipeline = built[0]
    print(f"Knotbot is running on http://{host}:{port} (Ctrl+C to stop)")
    launch(pipeline, host, port, settings=settings,  # type: ignore[arg-type]
           feedback_file=settings.feedback_file)
