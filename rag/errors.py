"""The few errors Knotbot raises; each message says what to do next."""


class KnotbotError(Exception):
    """Base class: the CLI and UI show ``str(err)`` as one line, never a traceback."""


class CorpusError(KnotbotError):
    """The corpus folder is missing, empty or unreadable."""


class IndexMissingError(KnotbotError):
    """No index has been built yet."""

    def __init__(self, where: str) -> None:
        super().__init__(f"no Knotbot index found in {where}: run `knotbot ingest` first")


class ModelMismatchError(KnotbotError):
    """The index was built with another embedding model."""

    def __init__(self, built_with: str, configured: str) -> None:
        super().__init__(
            f"the index was built with the embedding model {built_with!r} but "
            f"{configured!r} is configured: run `knotbot ingest --rebuild`"
        )


class ModelError(KnotbotError):
    """The embedding model cannot be loaded."""


class StoreError(KnotbotError):
    """The Chroma store cannot be reached."""


class QuestionError(KnotbotError):
    """A question that cannot be answered as typed (empty, too long, not text)."""
